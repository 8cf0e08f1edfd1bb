// An anonymous flood cannot sign anyone out (issue 12): 110 requests of 20 aliased createConsentRequest each, from
// one address, on both server paths, with the memory store and with Redis. The per-client writes budget ends the
// flood in 429s; and where the limiter cannot help (a flood from many addresses, here with the budget off), consent
// requests are rows in the database, apart from the store's sessions: the flood cannot evict one. (Development mode:
// no partner is registered. With partners, only a key's holder creates requests.)
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { AJIT, PRIYA, startTestGateway, type GraphQLResult, type TestGateway } from "../../helpers/gateway.js";
import { Browser } from "../../helpers/consent.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

/** The most root fields one operation may have (GRAPHQL_MAX_ROOT_FIELDS): 20 records per request. */
const FLOOD = `mutation Flood { ${Array.from({ length: 20 }, (_, i) => `c${i}: createConsentRequest(input: { redirectUrl: "/graphql" }) { id }`).join(" ")} }`;
const CREATE = `mutation { createConsentRequest(input: { redirectUrl: "/graphql" }) { id url } }`;
const READ = `query ($id: ID!) { consentRequest(id: $id) { status user { name } } }`;

type Flood = Record<string, { id: string } | null>;

/** The direct node:http path (plain JSON POST), or yoga's fetch adapter (any other Accept). */
const PATHS = [{}, { accept: "application/graphql-response+json" }] as const;

/** A signed-in browser and an authenticated consent request: what the flood must not take away. */
async function victims(t: TestGateway) {
  const browser = await signInThroughGateway(t, { userId: AJIT });
  expect(browser.callback.status).toBe(303);
  const created = await t.query<{ createConsentRequest: { id: string; url: string } }>(CREATE);
  const request = created.data?.createConsentRequest;
  if (!request) throw new Error(`no consent request: ${JSON.stringify(created.errors)}`);
  const consent = await signInThroughGateway(t, { start: request.url, userId: PRIYA, browser: new Browser() });
  expect(consent.callback.status).toBe(303);
  return { cookie: browser.cookie, consentId: request.id };
}

async function expectIntact(t: TestGateway, v: { cookie: string | null; consentId: string }) {
  const viewer = await t.query<{ viewer: { name: string } | null }>("{ viewer { name } }", { cookie: v.cookie });
  expect(viewer.errors).toBeUndefined();
  expect(viewer.data?.viewer?.name).toBe("Ajit Kumar");
  const consent = await t.query<{ consentRequest: { status: string; user: { name: string } | null } | null }>(READ, { variables: { id: v.consentId } });
  expect(consent.errors).toBeUndefined();
  expect(consent.data?.consentRequest).toEqual({ status: "AUTHENTICATED", user: { name: "Priya Sharma" } });
}

/** 110 flood requests, alternating the two server paths. */
async function flood(t: TestGateway): Promise<GraphQLResult<Flood>[]> {
  const results: GraphQLResult<Flood>[] = [];
  for (let i = 0; i < 110; i++) results.push(await t.query<Flood>(FLOOD, { headers: { ...PATHS[i % 2] } }));
  return results;
}

function expectRateLimited(result: GraphQLResult<Flood>) {
  expect(result.status).toBe(429);
  const retryAfter = Number(result.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(result.data ?? null).toBeNull();
  expect(result.errors).toHaveLength(1);
  expect(result.errors?.[0]?.extensions).toEqual({ code: "RATE_LIMITED", budget: "writes", limit: 60, retryAfterSeconds: retryAfter });
  expect(result.errors?.[0]?.message).toBe(`Too many sign-ins and consent requests started from this address: the limit is 60 per window. Try again in ${retryAfter} s.`);
}

describe.each([
  { store: "memory", env: {} as Record<string, string> },
  {
    store: "Redis",
    env: (): Record<string, string> => ({
      REDIS_URL: "redis://127.0.0.1:6379",
      SESSION_SECRET: randomBytes(48).toString("base64"),
      // Counters of its own: other test files share this Redis and this client address.
      REDIS_KEY_PREFIX: `test:flood:${randomBytes(6).toString("hex")}:`,
    }),
  },
])("an anonymous flood from one address ($store store)", ({ env }) => {
  let t: TestGateway | undefined;
  afterEach(async () => { await t?.close(); });

  it("ends in 429s with Retry-After on both paths, creates nothing past the budget, and signs nobody out", async () => {
    t = await startTestGateway(typeof env === "function" ? env() : env);
    const v = await victims(t);
    // Spent so far from RATE_LIMIT_WRITES_PER_CLIENT (60): the browser's sign-in link, the consent request, its link.
    const results = await flood(t);
    // 57 left: two requests of 20 fit, the third (20 > 17) and every later one is refused whole.
    for (const ok of results.slice(0, 2)) {
      expect(ok.status).toBe(200);
      expect(ok.errors).toBeUndefined();
      expect(Object.values(ok.data ?? {}).filter((c) => c !== null)).toHaveLength(20);
    }
    for (const refused of results.slice(2)) expectRateLimited(refused);
    // Refused on both server paths.
    expect(results.slice(2).some((_, i) => i % 2 === 0)).toBe(true);
    expect(results.slice(2).some((_, i) => i % 2 === 1)).toBe(true);
    // The 17 points the refused requests did not use are still there: a single create fits.
    const single = await t.query<{ createConsentRequest: { id: string } }>(CREATE);
    expect(single.status).toBe(200);
    expect(single.errors).toBeUndefined();
    await expectIntact(t, v);
  });
});

describe("a flood from many addresses (no per-client budget) against the memory store's capacities", () => {
  let t: TestGateway | undefined;
  afterEach(async () => { await t?.close(); });

  it("consent requests go to the database: a flood of them creates rows and evicts no session nor authenticated request", async () => {
    t = await startTestGateway({ RATE_LIMIT_WRITES_PER_CLIENT: "0", MEMORY_STORE_MAX_CONSENT_REQUESTS: "100", MEMORY_STORE_MAX_SIGN_INS: "50" });
    const v = await victims(t);
    const results = await flood(t);
    for (const ok of results) {
      expect(ok.errors).toBeUndefined();
      expect(Object.values(ok.data ?? {}).filter((c) => c !== null)).toHaveLength(20);
    }
    await expectIntact(t, v);
  });

  it("refuses new sign-ins past the sign-in capacity with a 503 page, and the signed-in session stays", async () => {
    t = await startTestGateway({ RATE_LIMIT_WRITES_PER_CLIENT: "0", MEMORY_STORE_MAX_SIGN_INS: "50" });
    const v = await victims(t);
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await fetch(`${t.gateway.url}/auth/sign-in?returnTo=/graphql`, { redirect: "manual" })).status);
    expect(statuses.slice(0, 50)).toEqual(Array.from({ length: 50 }, () => 303));
    expect(statuses.slice(50)).toEqual(Array.from({ length: 10 }, () => 503));
    const busy = await fetch(`${t.gateway.url}/auth/sign-in?returnTo=/graphql`, { redirect: "manual" });
    expect(busy.headers.get("retry-after")).toBe("60");
    expect(await busy.text()).toContain("Too many sign-ins are in progress. Try again in a minute.");
    await expectIntact(t, v);
  });
});
