// Every request has an id over real HTTP, on both GraphQL paths and every other route: a well-formed X-Request-Id is
// kept, anything else replaced (never echoed, never logged), returned in X-Request-Id, on the request's log lines and
// in a masked error's extensions.
import { connect } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { startGateway, type Gateway } from "../../../src/server/gateway.js";
import { createLogger } from "../../../src/server/logger.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

interface Line {
  level: number;
  msg: string;
  requestId?: string;
}

const WAYS = {
  direct: { "content-type": "application/json", accept: "application/json" },
  adapter: { "content-type": "application/json", accept: "application/graphql-response+json" },
} as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let gateway: Gateway;
const raw: string[] = [];
const take = (): Line[] => raw.splice(0).join("").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Line);

beforeAll(async () => {
  const logger = createLogger("debug", { write: (line: string) => { raw.push(line); } });
  const config = loadConfig({ DATA_DIR: "memory", PORT: "0", SANDBOX_PORT: "0", LOG_LEVEL: "debug", DIGILOCKER_MAX_RETRIES: "0" });
  gateway = await startGateway(config, { logger });
});
afterAll(async () => { await gateway.close(); });
afterEach(() => { vi.restoreAllMocks(); });

const post = (way: keyof typeof WAYS, query: string, headers: Record<string, string> = {}) =>
  fetch(`${gateway.url}/graphql`, { method: "POST", headers: { ...WAYS[way], ...headers }, body: JSON.stringify({ query }) });

/** One request written byte for byte (fetch refuses to send unicode or control characters in a header). */
function rawRequest(headerValue: Buffer): Promise<string> {
  const url = new URL(gateway.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.end(Buffer.concat([Buffer.from(`GET /health HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\nX-Request-Id: `), headerValue, Buffer.from("\r\n\r\n")]));
    });
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", reject);
    socket.on("close", () => { resolve(Buffer.concat(chunks).toString("latin1")); });
  });
}

describe("X-Request-Id on every route", () => {
  const routes: [string, () => Promise<Response>][] = [
    ["GraphQL, direct path", () => post("direct", "{ __typename }")],
    ["GraphQL, yoga's adapter", () => post("adapter", "{ __typename }")],
    ["GraphQL, GET", () => fetch(`${gateway.url}/graphql?query=${encodeURIComponent("{ __typename }")}`)],
    ["/health", () => fetch(`${gateway.url}/health`)],
    ["/ready", () => fetch(`${gateway.url}/ready`)],
    ["/metrics", () => fetch(`${gateway.url}/metrics`)],
    ["/auth/*", () => fetch(`${gateway.url}/auth/no-such-route`, { redirect: "manual" })],
    ["/files/*", () => fetch(`${gateway.url}/files/not-a-link`)],
    ["a 404", () => fetch(`${gateway.url}/no-such-path`)],
    ["API_KEY_MISPLACED", () => fetch(`${gateway.url}/graphql?api_key=dlg_aaaaaaaaaaaa_secret`).then((r) => { expect(r.status).toBe(400); return r; })],
  ];

  it.each(routes)("%s: a fresh id without one", async (_name, send) => {
    const res = await send();
    await res.arrayBuffer();
    expect(res.headers.get("x-request-id")).toMatch(UUID);
  });

  it.each(routes.map(([name]) => [name] as const))("%s: a well-formed id is kept", async (name) => {
    const id = `caller:${name.length}.abc_DEF-1`;
    const original = globalThis.fetch;
    const spy = vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
      const headers = new Headers(init?.headers);
      headers.set("x-request-id", id);
      return original(input, { ...init, headers });
    });
    const res = await (routes.find(([n]) => n === name)?.[1] as () => Promise<Response>)();
    spy.mockRestore();
    await res.arrayBuffer();
    expect(res.headers.get("x-request-id")).toBe(id);
  });
});

describe("a malformed id is replaced, never echoed or logged", () => {
  const MALFORMED: [string, string][] = [
    ["too long", "x".repeat(129)],
    ["spaces", "abc def"],
    ["10 kB", "z".repeat(10_240)],
  ];

  it.each(MALFORMED)("%s (both GraphQL paths, and a refusal logged)", async (_name, id) => {
    take();
    for (const way of ["direct", "adapter"] as const) {
      const res = await post(way, "{ __typename }", { "x-request-id": id });
      await res.arrayBuffer();
      expect(res.headers.get("x-request-id")).toMatch(UUID);
    }
    const refused = await fetch(`${gateway.url}/graphql?api_key=dlg_aaaaaaaaaaaa_secret`, { headers: { "x-request-id": id } });
    await refused.arrayBuffer();
    const lines = take();
    expect(lines.find((l) => l.msg.startsWith("API key sent outside"))?.requestId).toBe(refused.headers.get("x-request-id"));
    expect(JSON.stringify(lines)).not.toContain(id);
  });

  it.each([
    ["CR in the value", Buffer.from("abc\rdef")],
    ["unicode", Buffer.from("abc-é-☃", "utf8")],
    ["control characters", Buffer.from("abc\x01\x7fdef", "latin1")],
  ])("%s, written byte for byte", async (_name, bytes) => {
    take();
    const answer = await rawRequest(bytes);
    const head = answer.split("\r\n\r\n")[0] ?? "";
    // Either node refuses the request outright (400) or the gateway answers with an id of its own.
    if (/^HTTP\/1\.1 200/.test(head)) expect(/\r\nx-request-id: ([^\r]*)/i.exec(head)?.[1]).toMatch(UUID);
    else expect(head).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).not.toContain(bytes.toString("latin1"));
    expect(JSON.stringify(take())).not.toContain("abc");
  });
});

describe("a masked error names its log line", () => {
  it.each(["direct", "adapter"] as const)("extensions.requestId = X-Request-Id = the error line's requestId (%s)", async (way) => {
    vi.spyOn(gateway.services.meta, "statistics").mockRejectedValue(new TypeError("boom"));
    take();
    const res = await post(way, "{ statistics { users } }");
    const body = (await res.json()) as { errors: { extensions: { code: string; requestId?: string } }[] };
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(UUID);
    expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: "INTERNAL_SERVER_ERROR", requestId: id } })]);
    const errorLines = take().filter((l) => l.level >= 50);
    expect(errorLines).toEqual([expect.objectContaining({ msg: "unexpected resolver error", requestId: id })]);
  });

  it("keeps the caller's id in the error and the line", async () => {
    vi.spyOn(gateway.services.meta, "statistics").mockRejectedValue(new TypeError("boom"));
    take();
    const res = await post("direct", "{ statistics { users } }", { "x-request-id": "support-case-42" });
    const body = (await res.json()) as { errors: { extensions: { requestId?: string } }[] };
    expect(body.errors[0]?.extensions.requestId).toBe("support-case-42");
    expect(take().find((l) => l.level >= 50)?.requestId).toBe("support-case-42");
  });

  it("an expected error the operator is not alerted to carries no id", async () => {
    const res = await post("direct", "{ viewer { name } }");
    const body = (await res.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0]?.extensions.code).toBe("UNAUTHENTICATED");
    expect(body.errors[0]?.extensions.requestId).toBeUndefined();
  });
});

describe("concurrent requests", () => {
  it("each request's lines carry its own id", async () => {
    vi.spyOn(gateway.services.meta, "statistics").mockImplementation(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new TypeError("boom");
    });
    take();
    const ids = ["one-1", "two-2", "three-3", "four-4"];
    const answers = await Promise.all(
      ids.map(async (id, i) => {
        const res = await post(i % 2 === 0 ? "direct" : "adapter", "{ statistics { users } }", { "x-request-id": id });
        return (await res.json()) as { errors: { extensions: { requestId?: string } }[] };
      }),
    );
    expect(answers.map((a) => a.errors[0]?.extensions.requestId)).toEqual(ids);
    const lines = take().filter((l) => l.level >= 50);
    expect(lines.map((l) => l.requestId).sort()).toEqual([...ids].sort());
  });
});

describe("what services log while serving a request", () => {
  it("carries the request's id: sign-out whose revocation DigiLocker does not confirm, and the sign-in callback", async () => {
    const { sandbox } = gateway;
    if (sandbox === null) throw new Error("the embedded sandbox is expected");
    const { cookie } = await signInThroughGateway({ gateway, sandbox });
    expect(cookie).not.toBeNull();
    vi.spyOn(gateway.services.client.oauth, "revoke").mockRejectedValue(new TypeError("DigiLocker away"));
    take();
    const res = await post("direct", "mutation { signOut { __typename } }", { cookie: cookie ?? "", "x-request-id": "sign-out-7" });
    expect(res.status).toBe(200);
    const warnings = take().filter((l) => l.msg === "DigiLocker did not confirm a revocation");
    // The refresh token and the access token: both lines name the request.
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.map((l) => l.requestId)).toEqual(warnings.map(() => "sign-out-7"));

    vi.spyOn(gateway.services.client.oauth, "exchangeCode").mockRejectedValue(new TypeError("DigiLocker away"));
    take();
    const signIn = await signInThroughGateway({ gateway, sandbox });
    expect(signIn.callback.status).toBe(303);
    const refused = take().filter((l) => l.msg === "DigiLocker refused the authorization code");
    expect(refused).toHaveLength(1);
    expect(refused[0]?.requestId).toBe(signIn.callback.headers.get("x-request-id"));
    expect(refused[0]?.requestId).toMatch(UUID);
  });
});
