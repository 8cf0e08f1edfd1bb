// Ending access over real HTTP (issue 5): signOut for a browser session, revokeToken for a partner's own
// token, and what viewer answers afterwards, or with no session at all.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type GraphQLResult, type TestGateway } from "../../helpers/gateway.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

const SIGN_OUT = `mutation { signOut { signedOut digilockerLogoutUrl } }`;
type SignOut = { signOut: { signedOut: boolean; digilockerLogoutUrl: string } | null };
const REVOKE = `mutation Revoke($token: String!) { revokeToken(input: { token: $token, hint: ACCESS_TOKEN }) { revoked } }`;
type Revoke = { revokeToken: { revoked: boolean } | null };
const NAME = `{ viewer { name } }`;
type Name = { viewer: { name: string | null } | null };

/** A bearer viewer is not checked up front: DigiLocker refuses the token its name asks with, and the viewer answers null once. */
function expectInvalidToken(res: GraphQLResult<Name>): void {
  expect(res.data).toEqual({ viewer: null });
  expect(res.errors).toHaveLength(1);
  expect(res.errors?.[0]?.path).toEqual(["viewer"]);
  expect(res.errors?.[0]?.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "invalid_token" });
}

describe("signing out and revoking", () => {
  let t: TestGateway;
  beforeAll(async () => { t = await startTestGateway(); });
  afterAll(async () => { await t.close(); });

  /** Signs Ajit in through /auth/sign-in; returns his cookie and the access token the gateway holds for it. */
  async function signIn(): Promise<{ cookie: string; accessToken: string }> {
    const before = new Set(t.sandbox.state.accessTokens.keys());
    const { cookie } = await signInThroughGateway(t);
    const issued = [...t.sandbox.state.accessTokens.keys()].filter((token) => !before.has(token));
    expect(issued).toHaveLength(1);
    if (cookie === null || issued[0] === undefined) throw new Error("the sign-in set no cookie");
    return { cookie, accessToken: issued[0] };
  }

  it("signOut revokes the session's token at DigiLocker, clears the cookie, and a second signOut is a no-op", async () => {
    const { cookie, accessToken } = await signIn();
    expect((await t.query<Name>(NAME, { cookie })).data?.viewer?.name).toBe("Ajit Kumar");

    t.gateway.upstreamCalls.reset();
    const out = await t.query<SignOut>(SIGN_OUT, { cookie });
    expect(out.errors).toBeUndefined();
    expect(out.data?.signOut).toEqual({ signedOut: true, digilockerLogoutUrl: `${t.sandbox.origin}/signin/logout/Y` });
    expect(out.headers.getSetCookie()).toEqual(["dlg_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"]);
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "oauth.revoke": 1 });
    expect(t.sandbox.state.accessTokens.get(accessToken)?.revoked).toBe(true);
    // DigiLocker itself refuses the token now, not only the gateway.
    expectInvalidToken(await t.query<Name>(NAME, { token: accessToken }));

    const after = await t.query<Name & { session: null }>(`{ session { expiresAt } viewer { name } }`, { cookie });
    expect(after.data).toEqual({ session: null, viewer: null });
    expect(after.errors).toHaveLength(1);
    expect(after.errors?.[0]?.path).toEqual(["viewer"]);
    expect(after.errors?.[0]?.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "session_expired" });

    const again = await t.query<SignOut>(SIGN_OUT, { cookie });
    expect(again.errors).toBeUndefined();
    expect(again.data?.signOut?.signedOut).toBe(false);
  });

  it("revokeToken ends a bearer token even after its account was cached", async () => {
    const token = t.token();
    // Cached first: the account must not outlive the revocation.
    expect((await t.query<Name>(NAME, { token })).data?.viewer?.name).toBe("Ajit Kumar");

    const revoked = await t.query<Revoke, { token: string }>(REVOKE, { variables: { token } });
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data?.revokeToken).toEqual({ revoked: true });
    expect(t.sandbox.state.accessTokens.get(token)?.revoked).toBe(true);

    expectInvalidToken(await t.query<Name>(NAME, { token }));
  });

  it("with no session and no token, viewer is null and the error says where to sign in", async () => {
    const res = await t.query<Name>(NAME);
    expect(res.data?.viewer).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "missing_token" });
    expect(res.errors?.[0]?.message).toContain("/auth/sign-in");
  });
});
