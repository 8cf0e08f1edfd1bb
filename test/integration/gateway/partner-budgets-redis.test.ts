// A partner's budgets shared by two gateway instances on the real Redis (127.0.0.1:6379, .ci/run starts one) and one
// PostgreSQL schema: what one instance counts, the other sees, for requests and for DigiLocker calls. Each test has
// a key prefix of its own and removes its keys afterwards.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, expect, it, onTestFinished } from "vitest";
import { createTestSchema } from "../../helpers/databases.js";
import { startTestGateway, type GraphQLResult, type TestGateway } from "../../helpers/gateway.js";

const REDIS_URL = "redis://127.0.0.1:6379";
const NO_CALL = "{ __typename }";
/** Two DigiLocker calls as priced: Query.viewer and User.name. */
const TWO_CALLS = "{ viewer { name } }";
const ADAPTER = { accept: "application/graphql-response+json" };

const admin = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
admin.on("error", () => undefined);
afterAll(() => {
  admin.disconnect();
});

async function deleteUnder(prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await admin.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 100);
    if (keys.length > 0) await admin.del(...keys);
    cursor = next;
  } while (cursor !== "0");
}

/** A and B on one Redis (one key prefix) and one database; closed and cleaned up when the test ends. */
async function startPair(): Promise<{ a: TestGateway; b: TestGateway; prefix: string }> {
  const schema = await createTestSchema();
  const prefix = `test:budgets:${randomBytes(6).toString("hex")}:`;
  onTestFinished(async () => {
    await schema.drop();
    await deleteUnder(prefix);
  });
  const env = {
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    SESSION_SECRET: randomBytes(48).toString("base64"),
    DATABASE_URL: schema.url,
    RATE_LIMIT_WINDOW_SECONDS: "60",
  };
  const a = await startTestGateway(env);
  onTestFinished(() => a.close());
  const b = await startTestGateway(env);
  onTestFinished(() => b.close());
  return { a, b, prefix };
}

function expectRefused(result: GraphQLResult<unknown>, budget: string, limit: number): number {
  expect(result.status).toBe(429);
  const retryAfter = Number(result.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(result.errors?.[0]?.extensions).toEqual({ code: "RATE_LIMITED", budget, limit, retryAfterSeconds: retryAfter });
  return retryAfter;
}

it("shares a partner's request budget between two instances: 2 on A, 2 on B, the 5th refused on either", async () => {
  const { a, b, prefix } = await startPair();
  const { partner, key } = await a.gateway.services.partners.create({ name: "Acme KYC" });
  // As `npm run partner -- set-limits <id> --requests 4` would, in the shared database.
  await a.gateway.services.partners.setLimits(partner.id, { requests: 4 });
  const headers = { "x-api-key": key };

  expect((await a.query(NO_CALL, { headers })).headers.get("ratelimit")).toMatch(/^"partner-requests";r=3;t=\d+$/);
  expect((await a.query(NO_CALL, { headers: { ...headers, ...ADAPTER } })).status).toBe(200);
  expect((await b.query(NO_CALL, { headers })).headers.get("ratelimit")).toMatch(/^"partner-requests";r=1;t=\d+$/);
  const fourth = await b.query(NO_CALL, { headers: { ...headers, ...ADAPTER } });
  expect(fourth.status).toBe(200);
  expect(fourth.headers.get("ratelimit-policy")).toBe('"partner-requests";q=4;w=60');
  expect(fourth.headers.get("ratelimit")).toMatch(/^"partner-requests";r=0;t=\d+$/);

  expectRefused(await a.query(NO_CALL, { headers }), "partner-requests", 4);
  const onB = await b.query(NO_CALL, { headers: { ...headers, ...ADAPTER } });
  const retryAfter = expectRefused(onB, "partner-requests", 4);
  expect(onB.headers.get("ratelimit")).toBe(`"partner-requests";r=0;t=${retryAfter}`);
  // Counted in Redis under the partner's id, once for both instances (refused requests with nothing left count too).
  expect(await admin.get(`${prefix}rl:partner-requests:${partner.id}`)).toBe("6");
});

it("shares a partner's DigiLocker-call budget between two instances, refusing what exceeds the rest", async () => {
  const { a, b, prefix } = await startPair();
  const { partner, key } = await a.gateway.services.partners.create({ name: "Acme KYC" });
  await a.gateway.services.partners.setLimits(partner.id, { digilockerCalls: 5 });
  const headers = { "x-api-key": key };

  const onA = await a.query<{ viewer: { name: string } }>(TWO_CALLS, { token: a.token(), headers });
  expect(onA.data?.viewer.name).toBe("Ajit Kumar");
  expect(onA.headers.get("ratelimit")).toMatch(/^"partner-requests";r=599;t=\d+, "partner-digilocker-calls";r=3;t=\d+$/);
  const onB = await b.query<{ viewer: { name: string } }>(TWO_CALLS, { token: b.token(), headers: { ...headers, ...ADAPTER } });
  expect(onB.data?.viewer.name).toBe("Ajit Kumar");
  expect(onB.headers.get("ratelimit")).toMatch(/^"partner-requests";r=598;t=\d+, "partner-digilocker-calls";r=1;t=\d+$/);

  const refused = await a.query(TWO_CALLS, { token: a.token(), headers });
  expectRefused(refused, "partner-digilocker-calls", 5);
  expect(refused.errors?.[0]?.message).toContain("This operation may make 2 and 1 are left.");
  expectRefused(await b.query(TWO_CALLS, { token: b.token(), headers }), "partner-digilocker-calls", 5);
  // Neither refusal kept its request point nor its calls.
  expect(await admin.get(`${prefix}rl:partner-requests:${partner.id}`)).toBe("2");
  expect(await admin.get(`${prefix}rl:partner-digilocker-calls:${partner.id}`)).toBe("4");
  // A query that makes no DigiLocker call still passes, on either.
  expect((await b.query(NO_CALL, { headers })).status).toBe(200);
});
