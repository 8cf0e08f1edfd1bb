// Partners' API keys on real HTTP (docs/partners.md), on PostgreSQL and on PGlite: the X-API-Key header is the only
// place a key is read; a key that is not accepted fails the request with one answer whatever the reason (so a
// caller learns nothing about which keys exist), and a key anywhere else is refused before anything runs. Every
// request is sent both ways: as a server's JSON POST (json-post.ts's direct path) and through yoga's adapter.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { startGateway, type Gateway } from "../../../src/server/gateway.js";
import { createLogger } from "../../../src/server/logger.js";
import { BACKENDS, createTestSchema, type Backend } from "../../helpers/databases.js";

const WAYS = {
  direct: { "content-type": "application/json", accept: "application/json" },
  adapter: { "content-type": "application/json", accept: "application/graphql-response+json" },
} as const;

/** The one answer every refused key gets (literal, as a partner's client sees it). */
const NOT_ACCEPTED = {
  errors: [
    {
      message: "API key not accepted: send a current key of an active partner in the X-API-Key header.",
      extensions: { code: "UNAUTHENTICATED", reason: "api_key_not_accepted" },
    },
  ],
};

interface Started {
  gateway: Gateway;
  lines: string[];
  close(): Promise<void>;
}

async function start(backend: Backend, env: Record<string, string> = {}): Promise<Started> {
  const lines: string[] = [];
  const logger = createLogger("debug", { write: (line: string) => { lines.push(line); } });
  let dropSchema = async () => {};
  const database: Record<string, string> = { DATA_DIR: "memory" };
  if (backend === "postgres") {
    const schema = await createTestSchema();
    database.DATABASE_URL = schema.url;
    dropSchema = () => schema.drop();
  }
  const config = loadConfig({ ...database, PORT: "0", SANDBOX_PORT: "0", LOG_LEVEL: "debug", DIGILOCKER_MAX_RETRIES: "0", ...env });
  const gateway = await startGateway(config, { logger });
  return {
    gateway,
    lines,
    async close() {
      await gateway.close();
      await dropSchema();
    },
  };
}

async function post(gateway: Gateway, way: keyof typeof WAYS, headers: Record<string, string>, query = "{ __typename }") {
  const res = await fetch(`${gateway.url}/graphql`, { method: "POST", headers: { ...WAYS[way], ...headers }, body: JSON.stringify({ query }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe.each(BACKENDS)("API keys on %s", (backend) => {
  let s: Started;
  let key: string;
  let keyId: string;
  let partnerId: string;

  beforeAll(async () => {
    s = await start(backend);
    const created = await s.gateway.services.partners.create({ name: "Acme KYC", scopes: ["catalogue:read"], redirectOrigins: ["https://acme.example.in"] });
    key = created.key;
    partnerId = created.partner.id;
    keyId = key.slice(4, 16);
  }, 30_000);
  afterAll(async () => {
    await s.close();
  });

  it.each(["direct", "adapter"] as const)("a current key is accepted (%s)", async (way) => {
    expect(await post(s.gateway, way, { "x-api-key": key })).toEqual({ status: 200, body: { data: { __typename: "Query" } } });
  });

  it.each(["direct", "adapter"] as const)("wrong secret, unknown id and malformed keys all get the same 401 (%s)", async (way) => {
    const wrongSecret = `${key.slice(0, 17)}${"A".repeat(42)}w`;
    const unknownId = `dlg_aaaaaaaaaaaa_${key.slice(17)}`;
    for (const presented of [wrongSecret, unknownId, "hello", `${key}x`, key.slice(0, -1), " ", "dlg_", "x".repeat(10_000)]) {
      expect(await post(s.gateway, way, { "x-api-key": presented }), presented.slice(0, 30)).toEqual({ status: 401, body: NOT_ACCEPTED });
    }
  });

  it("a refused key fails the whole request, whatever it asked for", async () => {
    const { status, body } = await post(s.gateway, "direct", { "x-api-key": "nope" }, "{ session { signedInAt } __typename }");
    expect(status).toBe(401);
    expect(body).toEqual(NOT_ACCEPTED);
  });

  it("a revoked key is refused at once; its partner's other key still works", async () => {
    const second = await s.gateway.services.partners.addKey(partnerId, "rotation");
    expect((await post(s.gateway, "direct", { "x-api-key": second.key })).status).toBe(200);
    await s.gateway.services.partners.revokeKey(partnerId, second.keyId);
    expect(await post(s.gateway, "direct", { "x-api-key": second.key })).toEqual({ status: 401, body: NOT_ACCEPTED });
    expect((await post(s.gateway, "direct", { "x-api-key": key })).status).toBe(200);
  });

  it("a disabled partner's keys are refused, and work again once it is enabled", async () => {
    await s.gateway.services.partners.disable(partnerId);
    expect(await post(s.gateway, "adapter", { "x-api-key": key })).toEqual({ status: 401, body: NOT_ACCEPTED });
    await s.gateway.services.partners.enable(partnerId);
    expect((await post(s.gateway, "adapter", { "x-api-key": key })).status).toBe(200);
  });

  it("the operator's log names the key id and the reason; no line holds a secret", async () => {
    s.lines.length = 0;
    const wrongSecret = `${key.slice(0, 17)}${"B".repeat(42)}w`;
    await post(s.gateway, "direct", { "x-api-key": wrongSecret });
    await post(s.gateway, "direct", { "x-api-key": key });
    const refused = s.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === "API key refused");
    expect(refused).toEqual([expect.objectContaining({ keyId, reason: "wrong-secret", level: 40 })]);
    const text = s.lines.join("");
    expect(text).not.toContain(key.slice(17));
    expect(text).not.toContain(wrongSecret.slice(17));
  });

  describe("a key anywhere but X-API-Key is refused before anything runs", () => {
    const misplacedInUrl = {
      errors: [
        {
          message:
            "An API key was sent in the URL, where proxies and browser history keep it: send it in the X-API-Key header only, and rotate this key (npm run partner -- add-key, then revoke-key).",
          extensions: { code: "API_KEY_MISPLACED", where: "query" },
        },
      ],
    };

    it.each([
      ["GET /graphql with api_key", (k: string) => `/graphql?query=%7B__typename%7D&api_key=${k}`],
      ["GET /graphql under another parameter name", (k: string) => `/graphql?query=%7B__typename%7D&x=${k}`],
      ["the key percent-encoded", (k: string) => `/graphql?query=%7B__typename%7D&key=${encodeURIComponent(k).replace("_", "%5F")}`],
      ["only its first part (cut short)", (k: string) => `/graphql?apikey=${k.slice(0, 16)}`],
      ["on the sign-in route", (k: string) => `/auth/sign-in?returnTo=%2Fgraphql&k=${k}`],
      ["on a download link", (k: string) => `/files/abc.1.def?key=${k}`],
      ["on /health", (k: string) => `/health?key=${k}`],
    ])("%s: 400 API_KEY_MISPLACED", async (_name, path) => {
      const res = await fetch(`${s.gateway.url}${path(key)}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual(misplacedInUrl);
    });

    it("a POST whose URL carries the key is refused even with the key in the header too", async () => {
      const res = await fetch(`${s.gateway.url}/graphql?api_key=${key}`, {
        method: "POST",
        headers: { ...WAYS.direct, "x-api-key": key },
        body: JSON.stringify({ query: "{ __typename }" }),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual(misplacedInUrl);
    });

    it.each([["Bearer"], ["bearer"], ["Basic"], [""]])("Authorization: %s <key>: 400, pointing at X-API-Key", async (scheme) => {
      const { status, body } = await post(s.gateway, "direct", { authorization: `${scheme} ${key}`.trim() });
      expect(status).toBe(400);
      expect(body).toEqual({
        errors: [
          {
            message: "An API key was sent in the Authorization header, which carries DigiLocker access tokens: send it in the X-API-Key header.",
            extensions: { code: "API_KEY_MISPLACED", where: "authorization" },
          },
        ],
      });
    });

    it("a query string without a key, or a DigiLocker token in Authorization, is not mistaken for one", async () => {
      expect((await fetch(`${s.gateway.url}/graphql?query=%7B__typename%7D&note=dlg_`)).status).toBe(200);
      const { status } = await post(s.gateway, "direct", { authorization: "Bearer 3f0c2b9d8e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c" });
      expect(status).toBe(200);
    });

    it("the refusal's log line says where, never the key", async () => {
      s.lines.length = 0;
      await fetch(`${s.gateway.url}/graphql?api_key=${key}`);
      expect(s.lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
        expect.objectContaining({ msg: "API key sent outside X-API-Key refused", where: "query", level: 40 }),
      ]);
      expect(s.lines.join("")).not.toContain(key.slice(17));
    });
  });
});

describe("guessing keys runs into the rate limit", () => {
  let s: Started;
  beforeAll(async () => {
    s = await start("pglite", { RATE_LIMIT_PER_CLIENT: "3" });
  });
  afterAll(async () => {
    await s.close();
  });

  it("the fourth refused key from one address is answered 429 with Retry-After", async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await fetch(`${s.gateway.url}/graphql`, {
        method: "POST",
        headers: { ...WAYS.direct, "x-api-key": `dlg_${"a".repeat(12)}_${String(i).padStart(43, "x")}` },
        body: JSON.stringify({ query: "{ __typename }" }),
      });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await last?.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe("RATE_LIMITED");
  });
});
