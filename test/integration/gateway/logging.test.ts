// Logs are not an attack surface: a request's errors make one line, at the level the worst of them deserves (our
// bug: error with a stack; DigiLocker failing: warn; the client's mistake: debug), and no line holds what the
// client sent. Over real HTTP, every line the gateway writes captured, each request sent both ways: as a server's
// JSON POST (json-post.ts's direct path) and asking for application/graphql-response+json (yoga's adapter).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { startGateway, type Gateway } from "../../../src/server/gateway.js";
import { createLogger } from "../../../src/server/logger.js";
import { PRIYA } from "../../helpers/gateway.js";

interface Line {
  level: number;
  msg: string;
  [field: string]: unknown;
}

const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;
const WAYS = {
  direct: { "content-type": "application/json", accept: "application/json" },
  adapter: { "content-type": "application/json", accept: "application/graphql-response+json" },
} as const;
type Way = keyof typeof WAYS;

// Secret-looking values a client might paste anywhere: a JWT, a 64-hex token, an Aadhaar number, a mobile number.
const JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJwbGFudGVkIn0.c2lnbmF0dXJlLXBsYW50ZWQ";
const HEX = "d41d8cd98f00b204e9800998ecf8427e6f5c2a1b9e3d7c4f8a0b1c2d3e4f5a6b";
const AADHAAR = "1234 5678 9012";
const MOBILE = "9876543210";
const PLANTED = [JWT, HEX, AADHAAR, AADHAAR.replaceAll(" ", ""), MOBILE, "eyJhbGciOi", HEX.slice(20, 44)];

/** A gateway whose every log line, from debug up, lands in `lines`. */
async function startLogged(env: Record<string, string> = {}) {
  const raw: string[] = [];
  const logger = createLogger("debug", { write: (line: string) => { raw.push(line); } });
  const config = loadConfig({ DATA_DIR: "memory", PORT: "0", SANDBOX_PORT: "0", LOG_LEVEL: "debug", DIGILOCKER_MAX_RETRIES: "0", ...env });
  const gateway = await startGateway(config, { logger });
  return {
    gateway,
    /** The lines written since the last call. */
    take(): { lines: Line[]; bytes: number; text: string } {
      const text = raw.splice(0).join("");
      return { lines: text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Line), bytes: Buffer.byteLength(text), text };
    },
  };
}

type Logged = Awaited<ReturnType<typeof startLogged>>;

async function served(gateway: Gateway): Promise<{ direct: number; adapter: number }> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  const read = (path: string) => Number(new RegExp(`graphql_http_requests_total\\{path="${path}"\\} (\\d+)`).exec(text)?.[1]);
  return { direct: read("direct"), adapter: read("adapter") };
}

async function post(gateway: Gateway, way: Way, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(`${gateway.url}/graphql`, { method: "POST", headers: { ...WAYS[way], ...headers }, body: JSON.stringify(body) });
  return (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
}

function expectNothingPlanted(text: string): void {
  for (const secret of PLANTED) expect(text, `the log holds "${secret}"`).not.toContain(secret);
}

/** `alias` for i: three letters, so 4,000 of them fit the direct path's 64 kB body. */
const alias = (i: number) => [2, 1, 0].map((p) => String.fromCharCode(97 + (Math.floor(i / 26 ** p) % 26))).join("");

describe("4,000 failing aliases in one request", () => {
  let g: Logged;
  beforeAll(async () => {
    // Limits raised so the operation runs and fails 4,000 times (with the defaults it is refused whole: below).
    g = await startLogged({
      GRAPHQL_MAX_DOCUMENT_BYTES: "200000",
      GRAPHQL_MAX_TOKENS: "100000",
      GRAPHQL_MAX_ALIASES: "10000",
      GRAPHQL_MAX_ROOT_FIELDS: "10000",
      GRAPHQL_MAX_COST: "1000000",
      GRAPHQL_MAX_UPSTREAM_CALLS: "100000",
    });
  });
  afterAll(async () => { await g.gateway.close(); });

  const viewers = `{${Array.from({ length: 4000 }, (_, i) => `${alias(i)}:viewer{name}`).join("")}}`;
  const nodes = `{${Array.from({ length: 4000 }, (_, i) => `${alias(i)}:node(id:"x"){id}`).join("")}}`;

  // Each takes seconds: graphql-js and graphql-jit locate 4,000 errors in a 64 kB document.
  const SLOW = 60_000;

  /** Sends `query` one way; returns what the log got. */
  async function send(way: Way, query: string, errors: number) {
    g.take();
    const before = await served(g.gateway);
    const body = await post(g.gateway, way, { query });
    expect(body.errors).toHaveLength(errors);
    const after = await served(g.gateway);
    return { ...g.take(), path: after.direct > before.direct ? "direct" : "adapter" };
  }

  it.each(["direct", "adapter"] as const)("of `viewer` without a token write one debug line counting their codes (%s)", async (way) => {
    const { lines, bytes, path } = await send(way, viewers, 4000);
    // Before: 4,003 lines, 1.48 MB, 4,000 of them at error level.
    expect(lines).toEqual([
      expect.objectContaining({ level: LEVEL.debug, errors: 4000, codes: { UNAUTHENTICATED: 4000 }, reasons: { missing_token: 4000 } }),
    ]);
    expect(bytes).toBeLessThan(500);
    expect(path).toBe(way);
  }, SLOW);

  it("of `node` with a malformed id write one debug line too", async () => {
    // Over the direct path's 64 kB: yoga serves it whichever way it is sent.
    const { lines, bytes } = await send("direct", nodes, 4000);
    // Before: 4,003 lines, 703 kB, 4,000 of them at error level.
    expect(lines.length).toBeLessThanOrEqual(3);
    expect(lines.filter((l) => l.level >= LEVEL.error)).toEqual([]);
    expect(lines).toEqual([expect.objectContaining({ level: LEVEL.debug, errors: 4000, codes: { BAD_USER_INPUT: 4000 } })]);
    expect(bytes).toBeLessThan(500);
  }, SLOW);
});

describe("with the default limits", () => {
  let g: Logged;
  beforeAll(async () => { g = await startLogged(); });
  afterAll(async () => { await g.gateway.close(); });
  afterEach(() => {
    vi.restoreAllMocks();
    g.gateway.sandbox?.setFaults({});
  });

  it.each(["direct", "adapter"] as const)("a refusal by the limits is one info line (%s)", async (way) => {
    g.take();
    const query = `{${Array.from({ length: 4000 }, (_, i) => `${alias(i)}:viewer{name}`).join("")}}`;
    const body = await post(g.gateway, way, { query });
    expect(body.errors?.[0]?.extensions?.code).toBe("OPERATION_LIMIT_EXCEEDED");
    const { lines } = g.take();
    expect(lines).toEqual([expect.objectContaining({ level: LEVEL.info, codes: { OPERATION_LIMIT_EXCEEDED: 1 } })]);
  });

  it.each([
    ["query={a&variables={bad", "variables"],
    ["extensions=[", "extensions"],
    [`query={statistics{users}}&variables=${encodeURIComponent(`{"id":"${JWT}"`)}`, "variables"],
  ])("malformed GET parameters (%s) are the client's mistake: BAD_REQUEST, no stack, nothing at error", async (params, name) => {
    for (const accept of ["application/json", "application/graphql-response+json"]) {
      g.take();
      const res = await fetch(`${g.gateway.url}/graphql?${params}`, { headers: { accept } });
      const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors).toEqual([{ message: `The ${name} parameter is not valid JSON.`, extensions: { code: "BAD_REQUEST" } }]);
      expect(res.status).toBe(accept === "application/json" ? 200 : 400);
      // Before: three error lines, one with the SyntaxError's stack.
      const { lines, text } = g.take();
      expect(lines).toEqual([expect.objectContaining({ level: LEVEL.debug, codes: { BAD_REQUEST: 1 } })]);
      expect(text).not.toContain("stack");
      expectNothingPlanted(text);
    }
  });

  it("a form body with broken variables is refused alike", async () => {
    g.take();
    const res = await fetch(`${g.gateway.url}/graphql`, {
      method: "POST",
      // The CSRF header lets the form through csrf.ts (a 403 before parsing otherwise), so its variables are parsed.
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/graphql-response+json", "x-graphql-yoga-csrf": "1" },
      body: new URLSearchParams({ query: "{ statistics { users } }", variables: `{"id":"${JWT}"` }).toString(),
    });
    expect(res.status).toBe(400);
    const { lines, text } = g.take();
    expect(lines).toEqual([expect.objectContaining({ level: LEVEL.debug, codes: { BAD_REQUEST: 1 } })]);
    expectNothingPlanted(text);
  });

  const planted: [string, Record<string, unknown>, Record<string, string>][] = [
    ["an id (global id)", { query: `{ node(id: "${JWT}") { id } }` }, {}],
    ["an id (consent request)", { query: `{ consentRequest(id: "${HEX}") { status } }` }, {}],
    ["an id in a variable", { query: "query ($id: ID!) { consentRequest(id: $id) { status } }", variables: { id: AADHAAR } }, {}],
    ["a variable of the wrong type", { query: "query ($n: Int) { issuers(first: $n) { totalCount } }", variables: { n: MOBILE + JWT } }, {}],
    ["an unknown variable's value", { query: "{ statistics { users } }", variables: { token: JWT, aadhaar: AADHAAR } }, {}],
    ["a search string", { query: `{ documentCatalog(search: "${AADHAAR} ${MOBILE}", first: 1) { totalCount } }` }, {}],
    ["a field name in the query text", { query: `{ statistics { users } ${"x" + HEX} }` }, {}],
    ["a string the parser chokes on", { query: `{ statistics { users } "${JWT}" }` }, {}],
    ["an operation name", { query: "query A { statistics { users } }", operationName: `Op${HEX}` }, {}],
    ["a bearer token DigiLocker refuses", { query: "{ viewer { name } }" }, { authorization: `Bearer ${JWT}` }],
    ["a session cookie", { query: "{ viewer { name } }" }, { cookie: `dlg_session=${HEX}` }],
  ];

  it.each(planted)("nothing of %s reaches the log", async (_what, body, headers) => {
    for (const way of ["direct", "adapter"] as const) {
      g.take();
      const answer = await post(g.gateway, way, body, headers);
      const { lines, text } = g.take();
      expectNothingPlanted(text);
      expect(lines.filter((l) => l.level >= LEVEL.error)).toEqual([]);
      // The unknown variables are not an error: no line at all.
      expect(lines).toHaveLength(answer.errors === undefined ? 0 : 1);
    }
  });

  it.each(["direct", "adapter"] as const)("our own bug is one error line with its stack, its message scrubbed (%s)", async (way) => {
    vi.spyOn(g.gateway.services.meta, "statistics").mockRejectedValue(new TypeError(`cannot read users of ${HEX} for ${AADHAAR}`));
    g.take();
    const body = await post(g.gateway, way, { query: "{ a: statistics { users } b: statistics { users } issuers(first: 1) { totalCount } }" });
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(["INTERNAL_SERVER_ERROR", "INTERNAL_SERVER_ERROR"]);
    const { lines, text } = g.take();
    expect(lines).toHaveLength(1);
    const line = lines[0] as Line & { err: { type: string; message: string; stack: string } };
    expect(line).toMatchObject({
      level: LEVEL.error,
      msg: "unexpected resolver error",
      errors: 2,
      codes: { INTERNAL_SERVER_ERROR: 2 },
      problems: { "unexpected resolver error": 2 },
    });
    expect(line.err.type).toBe("TypeError");
    expect(line.err.message).toBe("cannot read users of [token] for [number]");
    expect(line.err.stack).toMatch(/\n\s+at /);
    expectNothingPlanted(text);
  });

  it.each([
    ["an error answer (SANDBOX_ERROR_RATE=1)", { errorRate: 1 }],
    ["a dropped connection (SANDBOX_DROP_RATE=1)", { dropRate: 1 }],
  ])("DigiLocker failing, %s, is one warn line naming the endpoint", async (_what, faults) => {
    for (const way of ["direct", "adapter"] as const) {
      g.gateway.sandbox?.setFaults({ ...faults, endpoints: ["files.issued"] });
      g.take();
      const token = g.gateway.sandbox?.issueToken({ userId: PRIYA, scopes: ["userdetails", "files.issueddocs"] }).accessToken ?? "";
      const body = await post(g.gateway, way, { query: "{ a: viewer { issuedDocuments { name } } b: viewer { issuedDocuments { uri } } }" }, {
        authorization: `Bearer ${token}`,
      });
      expect(new Set(body.errors?.map((e) => e.extensions?.code))).toEqual(new Set(["UPSTREAM_UNAVAILABLE"]));
      const { lines, text } = g.take();
      expect(lines).toEqual([
        expect.objectContaining({ level: LEVEL.warn, msg: "DigiLocker unavailable", codes: { UPSTREAM_UNAVAILABLE: body.errors?.length } }),
      ]);
      expect(lines[0]?.endpoints).toEqual({ "files.issued": body.errors?.length });
      expect(text).not.toContain(token);
    }
  });

  it("a sign-in route's failure names the route, not the path that holds the consent link", async () => {
    vi.spyOn(g.gateway.services.auth.consentRequests, "byLink").mockRejectedValue(new Error("database exploded"));
    g.take();
    // Shaped as a link is (43 base64url characters), so the route looks it up.
    const id = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx";
    const res = await fetch(`${g.gateway.url}/auth/consent/${id}`, { redirect: "manual" });
    expect(res.status).toBe(503);
    const { lines, text } = g.take();
    expect(lines).toEqual([expect.objectContaining({ level: LEVEL.error, route: "/auth/consent/:link", msg: "sign-in route failed: unexpected resolver error" })]);
    expect((lines[0]?.err as { stack: string }).stack).toMatch(/\n\s+at /);
    expect(text).not.toContain(id);
  });
});
