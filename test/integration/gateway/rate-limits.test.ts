// The per-client budgets over real HTTP (docs/limits.md, "Rate limits"): what is charged, what is not, who the
// client is (X-Forwarded-For only from trusted proxies), and the sign-in links' own 429 page.
import { afterEach, describe, expect, it } from "vitest";
import { startTestGateway, type GraphQLResult, type TestGateway } from "../../helpers/gateway.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

const PUBLIC_READ = "{ statistics { users } }";
/** The direct node:http path (plain JSON POST), or yoga's fetch adapter (any other Accept). */
const ADAPTER = { accept: "application/graphql-response+json" };

function expectRefused(result: GraphQLResult<unknown>, budget: string, limit: number) {
  expect(result.status).toBe(429);
  const retryAfter = Number(result.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(result.errors).toHaveLength(1);
  expect(result.errors?.[0]?.extensions).toEqual({ code: "RATE_LIMITED", budget, limit, retryAfterSeconds: retryAfter });
}

describe("the client budget: requests that reach DigiLocker without a live session", () => {
  let t: TestGateway | undefined;
  afterEach(async () => { await t?.close(); });

  it("charges public reads and bearer tokens one each, on both paths, and answers 429 past the budget", async () => {
    t = await startTestGateway({ RATE_LIMIT_PER_CLIENT: "4" });
    const token = t.token();
    expect((await t.query(PUBLIC_READ)).status).toBe(200);
    expect((await t.query(PUBLIC_READ, { headers: ADAPTER })).status).toBe(200);
    expect((await t.query("{ viewer { name } }", { token })).status).toBe(200);
    // Not charged: nothing here reaches DigiLocker.
    expect((await t.query("{ session { expiresAt } }")).status).toBe(200);
    expect((await t.query("{ __typename }")).status).toBe(200);
    expect((await t.query(PUBLIC_READ, { headers: ADAPTER })).status).toBe(200);
    expectRefused(await t.query(PUBLIC_READ), "client", 4);
    expectRefused(await t.query(PUBLIC_READ, { headers: ADAPTER }), "client", 4);
    expectRefused(await t.query("{ viewer { name } }", { token }), "client", 4);
  });

  it("never charges a browser's live session, but does charge a forged session cookie", async () => {
    // The sign-in's callback costs one (it exchanges the code at DigiLocker).
    t = await startTestGateway({ RATE_LIMIT_PER_CLIENT: "2" });
    const signIn = await signInThroughGateway(t);
    const cookie = signIn.cookie;
    for (let i = 0; i < 5; i++) {
      const viewer = await t.query<{ viewer: { name: string } | null }>("{ viewer { name } statistics { users } }", { cookie });
      expect(viewer.status).toBe(200);
      expect(viewer.data?.viewer?.name).toBe("Ajit Kumar");
    }
    const forged = `dlg_session=${"A".repeat(43)}`;
    expect((await t.query(PUBLIC_READ, { cookie: forged })).status).toBe(200);
    expectRefused(await t.query(PUBLIC_READ, { cookie: forged }), "client", 2);
  });

  it("keys on the socket's address: X-Forwarded-For is ignored without TRUST_PROXY", async () => {
    t = await startTestGateway({ RATE_LIMIT_PER_CLIENT: "1" });
    expect((await t.query(PUBLIC_READ, { headers: { "x-forwarded-for": "203.0.113.1" } })).status).toBe(200);
    expectRefused(await t.query(PUBLIC_READ, { headers: { "x-forwarded-for": "203.0.113.2" } }), "client", 1);
    expectRefused(await t.query(PUBLIC_READ, { headers: { ...ADAPTER, "x-forwarded-for": "198.51.100.9" } }), "client", 1);
  });

  it("with TRUST_PROXY=loopback, keys on the forwarded address, an IPv6 client by its /64, on both paths", async () => {
    t = await startTestGateway({ RATE_LIMIT_PER_CLIENT: "1", TRUST_PROXY: "loopback" });
    const from = (address: string, extra: Record<string, string> = {}) => t!.query(PUBLIC_READ, { headers: { "x-forwarded-for": address, ...extra } });
    expect((await from("203.0.113.1")).status).toBe(200);
    expectRefused(await from("203.0.113.1", ADAPTER), "client", 1);
    expect((await from("203.0.113.2", ADAPTER)).status).toBe(200);
    expect((await from("2001:db8:1:2::10")).status).toBe(200);
    // Same /64: one client.
    expectRefused(await from("2001:db8:1:2:ffff::1"), "client", 1);
    expect((await from("2001:db8:1:3::10")).status).toBe(200);
    // A spoofed hop in front of the client's own entry changes nothing: the last untrusted address counts.
    expectRefused(await from("192.0.2.77, 203.0.113.1"), "client", 1);
  });
});

describe("the writes budget on the sign-in links", () => {
  let t: TestGateway | undefined;
  afterEach(async () => { await t?.close(); });

  it("answers /auth/sign-in past the budget with a 429 page and Retry-After, having started nothing", async () => {
    t = await startTestGateway({ RATE_LIMIT_WRITES_PER_CLIENT: "2" });
    const visit = () => fetch(`${t!.gateway.url}/auth/sign-in?returnTo=/graphql`, { redirect: "manual" });
    expect((await visit()).status).toBe(303);
    expect((await visit()).status).toBe(303);
    const refused = await visit();
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get("location")).toBeNull();
    expect(refused.headers.getSetCookie()).toEqual([]);
    expect(await refused.text()).toContain(`Too many sign-in attempts from this address. Try again in ${retryAfter} seconds.`);
    // startSignIn draws on the same budget.
    const start = await t.query('mutation { startSignIn(input: { returnTo: "/graphql" }) { authorizationUrl } }');
    expectRefused(start, "writes", 2);
  });
});
