// Partner and session budgets over real HTTP (docs/limits.md, "Partner, app and session budgets"): a partner's
// requests and DigiLocker calls per window, set as the partner CLI does (Partners.setLimits), a browser session's,
// the RateLimit headers of draft-ietf-httpapi-ratelimit-headers-11 on answers and refusals, on both server paths
// (the direct JSON POST, and yoga's adapter through another Accept or a GET).
import { afterEach, describe, expect, it } from "vitest";
import { startTestGateway, type GraphQLResult, type TestGateway } from "../../helpers/gateway.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

/** The direct node:http path is the default; yoga's adapter answers another Accept. */
const ADAPTER = { accept: "application/graphql-response+json" };
/** Two DigiLocker calls as priced: Query.viewer (1) and User.name (1). */
const TWO_CALLS = "{ viewer { name } }";
const ONE_CALL = "{ viewer { __typename } }";
const NO_CALL = "{ __typename }";

interface Refusal {
  status: number;
  retryAfter: number;
  message: string;
  extensions: Record<string, unknown> | undefined;
}

function refusalOf(result: GraphQLResult<unknown>): Refusal {
  expect(result.status).toBe(429);
  expect(result.data ?? null).toBeNull();
  expect(result.errors).toHaveLength(1);
  return {
    status: result.status,
    retryAfter: Number(result.headers.get("retry-after")),
    message: result.errors?.[0]?.message ?? "",
    extensions: result.errors?.[0]?.extensions,
  };
}

/** RateLimit's `t` for one budget, as a number (the seconds left vary with the clock). */
function resetOf(headers: Headers, budget: string): number {
  const match = new RegExp(`"${budget}";r=\\d+;t=(\\d+)`).exec(headers.get("ratelimit") ?? "");
  if (match === null) throw new Error(`no RateLimit item for ${budget} in ${headers.get("ratelimit")}`);
  return Number(match[1]);
}

async function get(t: TestGateway, query: string, headers: Record<string, string>) {
  const res = await fetch(`${t.gateway.url}/graphql?query=${encodeURIComponent(query)}`, { headers: { accept: "application/json", ...headers } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] } };
}

describe("a partner's budgets", () => {
  let t: TestGateway | undefined;
  afterEach(async () => {
    await t?.close();
  });

  async function partnerWith(gateway: TestGateway, name: string, limits: { requests?: number | null; digilockerCalls?: number | null }) {
    const { partner, key } = await gateway.gateway.services.partners.create({ name });
    await gateway.gateway.services.partners.setLimits(partner.id, limits);
    return { id: partner.id, headers: { "x-api-key": key } };
  }

  it("answers 3 requests of a partner limited to 3, on both paths, then 429 with Retry-After and RateLimit headers", async () => {
    t = await startTestGateway({ RATE_LIMIT_WINDOW_SECONDS: "60" });
    const acme = await partnerWith(t, "Acme KYC", { requests: 3 });
    const first = await t.query(NO_CALL, { headers: acme.headers });
    expect(first.status).toBe(200);
    expect(first.data).toEqual({ __typename: "Query" });
    expect(first.headers.get("ratelimit-policy")).toBe('"partner-requests";q=3;w=60');
    expect(first.headers.get("ratelimit")).toMatch(/^"partner-requests";r=2;t=(60|59)$/);

    const second = await t.query(NO_CALL, { headers: { ...acme.headers, ...ADAPTER } });
    expect(second.status).toBe(200);
    expect(second.headers.get("ratelimit-policy")).toBe('"partner-requests";q=3;w=60');
    expect(second.headers.get("ratelimit")).toMatch(/^"partner-requests";r=1;t=\d+$/);

    const third = await get(t, NO_CALL, acme.headers);
    expect(third.status).toBe(200);
    expect(third.body).toEqual({ data: { __typename: "Query" } });
    expect(third.headers.get("ratelimit")).toMatch(/^"partner-requests";r=0;t=\d+$/);

    for (const headers of [acme.headers, { ...acme.headers, ...ADAPTER }]) {
      const result = await t.query(NO_CALL, { headers });
      const refused = refusalOf(result);
      expect(refused.retryAfter).toBeGreaterThanOrEqual(1);
      expect(refused.retryAfter).toBeLessThanOrEqual(60);
      expect(refused.extensions).toEqual({ code: "RATE_LIMITED", budget: "partner-requests", limit: 3, retryAfterSeconds: refused.retryAfter });
      expect(refused.message).toBe(`Too many requests with this partner's API key: the limit is 3 per 60 s. Try again in ${refused.retryAfter} s.`);
      expect(result.headers.get("ratelimit-policy")).toBe('"partner-requests";q=3;w=60');
      expect(result.headers.get("ratelimit")).toBe(`"partner-requests";r=0;t=${refused.retryAfter}`);
      // Once each: the headers are not also added from the context.
      expect(result.headers.get("retry-after")).toBe(String(refused.retryAfter));
    }
    const viaGet = await get(t, NO_CALL, acme.headers);
    expect(viaGet.status).toBe(429);
    expect(viaGet.body.errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED", budget: "partner-requests", limit: 3 });
    expect(viaGet.headers.get("ratelimit")).toMatch(/^"partner-requests";r=0;t=\d+$/);

    // Another partner, on the gateway's defaults, is unaffected.
    const other = await partnerWith(t, "Other Bank", {});
    const answered = await t.query(NO_CALL, { headers: other.headers });
    expect(answered.status).toBe(200);
    expect(answered.headers.get("ratelimit-policy")).toBe('"partner-requests";q=600;w=60');
    expect(answered.headers.get("ratelimit")).toMatch(/^"partner-requests";r=599;t=\d+$/);
    // No key, no budget: no headers.
    const keyless = await t.query(NO_CALL);
    expect(keyless.status).toBe(200);
    expect(keyless.headers.get("ratelimit")).toBeNull();
    expect(keyless.headers.get("ratelimit-policy")).toBeNull();
  });

  it("refuses an operation whose DigiLocker calls exceed what is left, gives its request back, and lets no-call queries pass", async () => {
    t = await startTestGateway({ RATE_LIMIT_WINDOW_SECONDS: "60" });
    const acme = await partnerWith(t, "Acme KYC", { requests: 10, digilockerCalls: 3 });
    const token = t.token();
    const first = await t.query<{ viewer: { name: string } }>(TWO_CALLS, { token, headers: acme.headers });
    expect(first.status).toBe(200);
    expect(first.data?.viewer.name).toBe("Ajit Kumar");
    expect(first.headers.get("ratelimit-policy")).toBe('"partner-requests";q=10;w=60, "partner-digilocker-calls";q=3;w=60');
    expect(first.headers.get("ratelimit")).toMatch(/^"partner-requests";r=9;t=\d+, "partner-digilocker-calls";r=1;t=\d+$/);

    const result = await t.query(TWO_CALLS, { token, headers: { ...acme.headers, ...ADAPTER } });
    const refused = refusalOf(result);
    expect(refused.extensions).toEqual({ code: "RATE_LIMITED", budget: "partner-digilocker-calls", limit: 3, retryAfterSeconds: refused.retryAfter });
    expect(refused.message).toBe(
      `Too many DigiLocker calls with this partner's API key: the limit is 3 per 60 s. This operation may make 2 and 1 are left. Try again in ${refused.retryAfter} s.`,
    );
    // The request point was given back: still 9 left.
    expect(result.headers.get("ratelimit")).toBe(
      `"partner-requests";r=9;t=${resetOf(result.headers, "partner-requests")}, "partner-digilocker-calls";r=1;t=${refused.retryAfter}`,
    );

    const noCall = await t.query(NO_CALL, { headers: acme.headers });
    expect(noCall.status).toBe(200);
    // Nothing charged to the calls budget, so only the requests budget is reported.
    expect(noCall.headers.get("ratelimit-policy")).toBe('"partner-requests";q=10;w=60');
    expect(noCall.headers.get("ratelimit")).toMatch(/^"partner-requests";r=8;t=\d+$/);

    const oneCall = await t.query(ONE_CALL, { token, headers: acme.headers });
    expect(oneCall.status).toBe(200);
    expect(oneCall.headers.get("ratelimit")).toMatch(/^"partner-requests";r=7;t=\d+, "partner-digilocker-calls";r=0;t=\d+$/);
    expect(refusalOf(await t.query(ONE_CALL, { token, headers: acme.headers })).extensions).toMatchObject({ budget: "partner-digilocker-calls" });

    // Unlimited calls for another partner: only its requests are reported.
    const other = await partnerWith(t, "Other Bank", { digilockerCalls: null, requests: null });
    await t.gateway.services.partners.setLimits(other.id, { digilockerCalls: 0 });
    const answered = await t.query(TWO_CALLS, { token, headers: other.headers });
    expect(answered.status).toBe(200);
    expect(answered.headers.get("ratelimit-policy")).toBe('"partner-requests";q=600;w=60');
  });

  it("survives a flood with one key: exactly the limit answered, the rest refused, the gateway still up", async () => {
    t = await startTestGateway({ RATE_LIMIT_WINDOW_SECONDS: "60" });
    const acme = await partnerWith(t, "Acme KYC", { requests: 50 });
    // Waves of 100 at once: HTTP_MAX_CONNECTIONS_PER_CLIENT (128) bounds one address's open connections.
    const results: GraphQLResult<unknown>[] = [];
    for (let wave = 0; wave < 3; wave++) {
      results.push(
        ...(await Promise.all(
          Array.from({ length: 100 }, (_, i) => t!.query(NO_CALL, { headers: i % 2 === 0 ? acme.headers : { ...acme.headers, ...ADAPTER } })),
        )),
      );
    }
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(statuses.filter((s) => s === 429)).toHaveLength(250);
    const other = await partnerWith(t, "Other Bank", {});
    expect((await t.query(NO_CALL, { headers: other.headers })).status).toBe(200);
    expect((await fetch(`${t.gateway.url}/health`)).status).toBe(200);
  });
});

describe("a browser session's budget", () => {
  let t: TestGateway | undefined;
  afterEach(async () => {
    await t?.close();
  });

  it("answers SESSION_REQUESTS_PER_WINDOW requests of a live session, then 429 without the session id anywhere", async () => {
    t = await startTestGateway({ SESSION_REQUESTS_PER_WINDOW: "2", SESSION_DIGILOCKER_CALLS_PER_WINDOW: "100", RATE_LIMIT_WINDOW_SECONDS: "60" });
    const { cookie } = await signInThroughGateway(t);
    if (cookie === null) throw new Error("no session cookie");
    const first = await t.query<{ viewer: { name: string } }>(TWO_CALLS, { cookie });
    expect(first.status).toBe(200);
    expect(first.data?.viewer.name).toBe("Ajit Kumar");
    expect(first.headers.get("ratelimit-policy")).toBe('"session-requests";q=2;w=60, "session-digilocker-calls";q=100;w=60');
    expect(first.headers.get("ratelimit")).toMatch(/^"session-requests";r=1;t=\d+, "session-digilocker-calls";r=98;t=\d+$/);
    const second = await t.query(NO_CALL, { cookie, headers: ADAPTER });
    expect(second.status).toBe(200);
    expect(second.headers.get("ratelimit")).toMatch(/^"session-requests";r=0;t=\d+$/);

    const result = await t.query(TWO_CALLS, { cookie });
    const refused = refusalOf(result);
    expect(refused.extensions).toEqual({ code: "RATE_LIMITED", budget: "session-requests", limit: 2, retryAfterSeconds: refused.retryAfter });
    expect(refused.message).toBe(`Too many requests in this browser session: the limit is 2 per 60 s. Try again in ${refused.retryAfter} s.`);
    // The calls taken with the refused request were given back.
    expect(result.headers.get("ratelimit")).toMatch(/^"session-requests";r=0;t=\d+, "session-digilocker-calls";r=98;t=\d+$/);
    const sessionId = cookie.slice(cookie.indexOf("=") + 1);
    expect(JSON.stringify(result)).not.toContain(sessionId);
    expect(`${result.headers.get("ratelimit")} ${result.headers.get("ratelimit-policy")}`).not.toContain(sessionId);

    // A bearer token's caller has no session budget.
    const bearer = await t.query(TWO_CALLS, { token: t.token() });
    expect(bearer.status).toBe(200);
    expect(bearer.headers.get("ratelimit")).toBeNull();
  });
});
