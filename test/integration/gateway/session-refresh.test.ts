// Sessions over real HTTP (gateway ↔ embedded sandbox, one moved clock): v1 sign-ins that carry the account
// and a refresh token, refresh rotation and its single flight, a refused refresh, a session without a refresh
// token running out, and consent_valid_till capping a session.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../../src/sandbox/server.js";
import type { Grant } from "../../../src/sandbox/state.js";
import { AJIT, PRIYA, startTestGateway, type GraphQLResult, type TestGateway } from "../../helpers/gateway.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

const ACCESS_TTL_MS = 3_600_000;
const SESSION = `{ session { signedInAt expiresAt refreshable accessTokenExpiresAt refreshedAt consentValidTill } }`;
const ACCOUNT = `{ viewer { name digilockerId } }`;
const DOCUMENTS = `{ viewer { issuedDocuments { name } } }`;

interface SessionView {
  signedInAt: string;
  expiresAt: string;
  refreshable: boolean;
  accessTokenExpiresAt: string;
  refreshedAt: string | null;
  consentValidTill: string | null;
}
type SessionResult = { session: SessionView | null };
type AccountResult = { viewer: { name: string | null; digilockerId: string | null } | null };
type DocumentsResult = { viewer: { issuedDocuments: { name: string }[] | null } | null };

/** Signs a seeded user in through the gateway's /auth/sign-in and returns the session cookie and the sandbox grant made for it. */
async function signIn(t: TestGateway, userId = AJIT, start?: string): Promise<{ cookie: string; grant: Grant }> {
  const before = new Set(t.sandbox.state.grants.keys());
  const result = await signInThroughGateway(t, { userId, ...(start === undefined ? {} : { start }) });
  expect(result.callback.status).toBe(303);
  if (result.cookie === null) throw new Error(`no session cookie; the callback went to ${result.location ?? "nowhere"}`);
  const grants = [...t.sandbox.state.grants.values()].filter((g) => !before.has(g.id));
  expect(grants).toHaveLength(1);
  return { cookie: result.cookie, grant: grants[0] as Grant };
}

/** The grant's access and refresh tokens as the sandbox holds them, oldest first. */
function tokensOf(sandbox: Sandbox, grant: Grant) {
  const { accessTokens, refreshTokens } = sandbox.state;
  return {
    access: [...accessTokens.values()].filter((a) => a.grantId === grant.id),
    refresh: [...refreshTokens.values()].filter((r) => r.grantId === grant.id),
  };
}

async function session(t: TestGateway, cookie: string): Promise<SessionView | null> {
  const res = await t.query<SessionResult>(SESSION, { cookie });
  expect(res.errors).toBeUndefined();
  return res.data?.session ?? null;
}

/** The one error of a result, which must say: sign in again. */
function sessionEnded(res: GraphQLResult<unknown>, cause: "session_expired" | "refresh_rejected"): void {
  expect(res.errors, JSON.stringify(res.data)).toHaveLength(1);
  const [error] = res.errors ?? [];
  expect(error?.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "session_expired", cause });
  expect(error?.message).toMatch(/sign in again/i);
}

const ms = (iso: string | null | undefined) => (iso == null ? Number.NaN : Date.parse(iso));

describe("sessions from /oauth2/1/token (refresh token, account fields)", () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ DIGILOCKER_TOKEN_ENDPOINT: "v1" });
  });
  afterAll(async () => {
    await t.close();
  });

  it("is refreshable, and the account v1 sent answers viewer without Get User Details", async () => {
    const { cookie } = await signIn(t);
    expect(await session(t, cookie)).toMatchObject({ refreshable: true, refreshedAt: null, consentValidTill: null });

    t.gateway.upstreamCalls.reset();
    const res = await t.query<AccountResult>(ACCOUNT, { cookie });
    expect(res.errors).toBeUndefined();
    expect(res.data?.viewer).toEqual({ name: t.sandbox.state.users.get(AJIT)?.name, digilockerId: AJIT });
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({});
  });

  it("refreshes an expired access token once, rotating both tokens, and then uses the new one", async () => {
    const { cookie, grant } = await signIn(t, PRIYA);
    const first = await session(t, cookie);
    const issued = tokensOf(t.sandbox, grant);
    expect(issued.access).toHaveLength(1);
    expect(issued.refresh).toHaveLength(1);
    const [oldAccess] = issued.access;
    const [oldRefresh] = issued.refresh;

    t.clock.advance(ACCESS_TTL_MS + 1_000);
    const calls = t.gateway.upstreamCalls;
    calls.reset();
    const res = await t.query<DocumentsResult>(DOCUMENTS, { cookie });
    expect(res.errors).toBeUndefined();
    expect(res.data?.viewer?.issuedDocuments?.length).toBeGreaterThan(0);
    expect(calls.count("oauth.refresh")).toBe(1);

    // Rotation: the sandbox issued a new pair for the same grant; the old refresh token is dead, and so is the old
    // access token (it expired, which is why the gateway refreshed).
    const rotated = tokensOf(t.sandbox, grant);
    expect(rotated.access).toHaveLength(2);
    expect(rotated.refresh).toHaveLength(2);
    expect(oldRefresh?.revoked).toBe(true);
    expect(rotated.refresh[1]?.revoked).toBe(false);
    expect(rotated.access[1]?.revoked).toBe(false);
    const stale = await t.query<AccountResult>(ACCOUNT, { token: oldAccess?.token ?? "" });
    expect(stale.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");

    const second = await session(t, cookie);
    expect(ms(second?.refreshedAt)).toBeGreaterThanOrEqual(t.clock.epoch() - 5_000);
    expect(ms(second?.accessTokenExpiresAt)).toBeGreaterThanOrEqual(ms(first?.accessTokenExpiresAt) + ACCESS_TTL_MS);
    expect(second?.signedInAt).toBe(first?.signedInAt);

    calls.reset();
    expect((await t.query<DocumentsResult>(DOCUMENTS, { cookie })).errors).toBeUndefined();
    expect(calls.count("oauth.refresh")).toBe(0);

    // The stored refresh token is the rotated one: the next expiry refreshes again with it.
    t.clock.advance(ACCESS_TTL_MS + 1_000);
    calls.reset();
    expect((await t.query<DocumentsResult>(DOCUMENTS, { cookie })).errors).toBeUndefined();
    expect(calls.count("oauth.refresh")).toBe(1);
    expect(rotated.refresh[1]?.revoked).toBe(true);
  });

  it("makes exactly one refresh call for ten concurrent requests on an expired token", async () => {
    const { cookie } = await signIn(t);
    t.clock.advance(ACCESS_TTL_MS + 1_000);
    t.gateway.upstreamCalls.reset();
    const results = await Promise.all(Array.from({ length: 10 }, () => t.query<AccountResult>(ACCOUNT, { cookie })));
    for (const res of results) {
      expect(res.errors).toBeUndefined();
      expect(res.data?.viewer?.digilockerId).toBe(AJIT);
    }
    expect(t.gateway.upstreamCalls.count("oauth.refresh")).toBe(1);
  });

  it("ends the session when DigiLocker refuses the refresh token", async () => {
    const { cookie, grant } = await signIn(t);
    const [refreshToken] = tokensOf(t.sandbox, grant).refresh;
    // Revoked at DigiLocker by someone else (the user, or a partner holding it): Revoke Token with the client's credentials.
    const basic = Buffer.from(`${t.sandbox.clientId}:${t.sandbox.clientSecret}`).toString("base64");
    const revoked = await fetch(`${t.sandbox.baseUrl}/oauth2/1/revoke`, {
      method: "POST",
      headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: refreshToken?.token ?? "", token_type_hint: "refresh_token" }).toString(),
    });
    expect(revoked.status).toBe(200);
    expect(t.sandbox.state.grants.get(grant.id)?.revoked).toBe(true);

    t.clock.advance(ACCESS_TTL_MS + 1_000);
    t.gateway.upstreamCalls.reset();
    const refused = await t.query<DocumentsResult>(DOCUMENTS, { cookie });
    sessionEnded(refused, "refresh_rejected");
    expect(refused.data?.viewer?.issuedDocuments ?? null).toBeNull();
    expect(t.gateway.upstreamCalls.count("oauth.refresh")).toBe(1);

    t.gateway.upstreamCalls.reset();
    const later = await t.query<DocumentsResult>(DOCUMENTS, { cookie });
    sessionEnded(later, "session_expired");
    expect(later.data?.viewer ?? null).toBeNull();
    expect(await session(t, cookie)).toBeNull();
    expect(t.gateway.upstreamCalls.total()).toBe(0);
  });

  it("ends the session at consent_valid_till, refresh token or not", async () => {
    // On the gateway's clock, which the tests above have moved.
    const till = new Date(t.clock.epoch() + 20 * 60_000);
    const started = await t.query<{ startSignIn: { authorizationUrl: string } }>(
      `mutation ($till: DateTime!) { startSignIn(input: { returnTo: "/graphql", consentValidTill: $till }) { authorizationUrl } }`,
      { variables: { till: till.toISOString() } },
    );
    expect(started.errors).toBeUndefined();
    const { cookie } = await signIn(t, AJIT, started.data?.startSignIn.authorizationUrl);
    const s = await session(t, cookie);
    expect(s?.refreshable).toBe(true);
    // DigiLocker keeps consent_valid_till in whole seconds.
    expect(Math.abs(ms(s?.expiresAt) - till.getTime())).toBeLessThan(1_000);
    expect(Math.abs(ms(s?.consentValidTill) - till.getTime())).toBeLessThan(1_000);
    expect((await t.query<AccountResult>(ACCOUNT, { cookie })).errors).toBeUndefined();

    t.clock.advance(till.getTime() - t.clock.epoch() + 1_000);
    t.gateway.upstreamCalls.reset();
    sessionEnded(await t.query<AccountResult>(ACCOUNT, { cookie }), "session_expired");
    expect(t.gateway.upstreamCalls.count("oauth.refresh")).toBe(0);
    expect(await session(t, cookie)).toBeNull();
  });
});

describe("sessions from /oauth2/2/token (no refresh token)", () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(async () => {
    await t.close();
  });

  it("lasts as long as the access token, then ends without a refresh call", async () => {
    const { cookie } = await signIn(t);
    const s = await session(t, cookie);
    expect(s?.refreshable).toBe(false);
    expect(s?.expiresAt).toBe(s?.accessTokenExpiresAt);

    // Inside the last minute (when a refreshable session would renew) the token is still used as it is.
    t.clock.advance(ACCESS_TTL_MS - 10_000);
    t.gateway.upstreamCalls.reset();
    expect((await t.query<DocumentsResult>(DOCUMENTS, { cookie })).errors).toBeUndefined();

    t.clock.advance(11_000);
    sessionEnded(await t.query<DocumentsResult>(DOCUMENTS, { cookie }), "session_expired");
    expect(await session(t, cookie)).toBeNull();
    expect(t.gateway.upstreamCalls.count("oauth.refresh")).toBe(0);
    expect(t.gateway.upstreamCalls.count("oauth.tokenV1")).toBe(0);
  });
});
