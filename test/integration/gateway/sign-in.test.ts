// The browser sign-in over real HTTP (issue 5): startSignIn's link or the /auth/sign-in link, the sandbox's consent
// page, the gateway's /auth/callback and its cookie; then each way it can go wrong, as a browser sees it. Every
// sign-in is bound to the browser that opened its link (its dlg_signin cookie), so each callback here is delivered
// by that browser; sign-in-binding.test.ts covers a callback from any other.
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPkcePair } from "../../../src/digilocker/index.js";
import { Browser, consentToAuthorizationUrl } from "../../helpers/consent.js";
import { AJIT, PRIYA, startTestGateway, type TestGateway } from "../../helpers/gateway.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

const START = `mutation Start($input: StartSignInInput!) { startSignIn(input: $input) { authorizationUrl expiresAt } }`;
type Start = { startSignIn: { authorizationUrl: string; expiresAt: string } | null };
type StartVars = { input: Record<string, unknown> };

const VIEWER = `{ viewer { name identity { pan maskedAadhaar dateOfBirth verification } issuedDocuments { name } } }`;
type Viewer = {
  viewer: {
    name: string | null;
    identity: { pan: string | null; maskedAadhaar: string | null; dateOfBirth: string | null; verification: string } | null;
    issuedDocuments: { name: string }[];
  } | null;
};
const SESSION = `{ session { refreshable expiresAt scopes } }`;
type Session = { session: { refreshable: boolean; expiresAt: string; scopes: string[] } | null };

/** The gateway's failure sentence for a refused code (src/auth/sign-in.ts): what returnTo receives instead of DigiLocker's text. */
const SIGN_IN_FAILED = "DigiLocker sign-in could not be completed; start again";
const COOKIE = /^dlg_session=([A-Za-z0-9_-]{43}); Path=\/; Max-Age=(\d+); HttpOnly; SameSite=Lax$/;
/** startSignIn's answer: a single-use gateway link, not DigiLocker's URL. */
const START_PATH = /^\/auth\/start\/[A-Za-z0-9_-]{43}$/;

/** Without PUBLIC_URL the gateway's public origin is localhost on its own port: returnTo paths resolve there. */
function publicUrl(t: TestGateway, path: string): string {
  return `http://localhost:${new URL(t.gateway.url).port}${path}`;
}

/** startSignIn's link (`authorizationUrl`): a gateway URL that starts the sign-in in the browser opening it. */
async function startSignIn(t: TestGateway, input: Record<string, unknown> = {}): Promise<URL> {
  const res = await t.query<Start, StartVars>(START, { variables: { input: { returnTo: "/graphql", ...input } } });
  expect(res.errors).toBeUndefined();
  return new URL(res.data?.startSignIn?.authorizationUrl ?? "");
}

/** Opens a sign-in link in `browser`: the gateway binds the sign-in to it and answers 303 to DigiLocker's authorize URL. */
async function open(browser: Browser, link: string | URL): Promise<URL> {
  const res = await browser.get(link);
  expect(res.status, `opening ${link.toString()}`).toBe(303);
  expect(browser.cookies.get("dlg_signin")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return new URL(res.headers.get("location") ?? "");
}

/** startSignIn's link opened in `browser`: DigiLocker's authorize URL, its state bound to that browser. */
async function begin(t: TestGateway, browser: Browser, input: Record<string, unknown> = {}): Promise<URL> {
  return open(browser, await startSignIn(t, input));
}

/** DigiLocker's redirect back for an authorization URL (Ajit consents, or not) in `browser`, not yet delivered to the gateway. */
function consent(t: TestGateway, browser: Browser, authorizationUrl: URL, decision: "allow" | "deny" = "allow"): Promise<URL> {
  return consentToAuthorizationUrl(t.sandbox, browser, authorizationUrl, AJIT, decision);
}

/** A request without cookies: for links that need no browser (DigiLocker's logout, a refused returnTo). */
function visit(url: string | URL): Promise<Response> {
  return fetch(url, { redirect: "manual" });
}

/** Where there is nowhere safe to send the browser: a 400 page, no redirect and no cookie. */
async function expectErrorPage(res: Response): Promise<string> {
  expect(res.status).toBe(400);
  expect(res.headers.get("content-type")).toMatch(/^text\/html/);
  expect(res.headers.get("location")).toBeNull();
  expect(res.headers.getSetCookie()).toEqual([]);
  return res.text();
}

/** A callback URL's query with one parameter replaced. */
function withParam(url: URL, name: string, value: string): URL {
  const copy = new URL(url);
  copy.searchParams.set(name, value);
  return copy;
}

function tokenCalls(t: TestGateway): number {
  return t.gateway.upstreamCalls.count("oauth.tokenV2") + t.gateway.upstreamCalls.count("oauth.tokenV1");
}

/** Access tokens the sandbox issued since `before` (a snapshot of its keys). */
function issuedSince(t: TestGateway, before: ReadonlySet<string>): string[] {
  return [...t.sandbox.state.accessTokens.keys()].filter((token) => !before.has(token));
}

/** Whether `text` holds the PKCE verifier of `challenge`: some 43 verifier characters in a row whose S256 is it. */
function holdsVerifier(text: string, challenge: string): boolean {
  for (const run of text.match(/[A-Za-z0-9\-._~]{43,}/g) ?? []) {
    for (let i = 0; i + 43 <= run.length; i++) {
      if (createHash("sha256").update(run.slice(i, i + 43)).digest("base64url") === challenge) return true;
    }
  }
  return false;
}

describe("browser sign-in", () => {
  let t: TestGateway;
  beforeAll(async () => { t = await startTestGateway(); });
  afterAll(async () => { await t.close(); });

  it("startSignIn → consent → callback sets an opaque HttpOnly cookie, and viewer and session answer from it", async () => {
    const before = new Set(t.sandbox.state.accessTokens.keys());
    const link = await startSignIn(t, { acr: "PAN" });
    expect(link.origin).toBe(publicUrl(t, ""));
    expect(link.pathname).toMatch(START_PATH);
    expect(link.search).toBe("");
    const browser = new Browser();
    const url = await open(browser, link);
    expect(`${url.origin}${url.pathname}`).toBe(`${t.sandbox.baseUrl}/oauth2/1/authorize`);
    const q = url.searchParams;
    expect(q.get("redirect_uri")).toBe(publicUrl(t, "/auth/callback"));
    expect(q.get("state")).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(q.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("scope")).toBe("openid");
    expect(q.get("acr")).toBe("pan");

    const signIn = await signInThroughGateway(t, { start: url.toString(), browser });
    expect(signIn.callback.status).toBe(303);
    expect(signIn.location).toBe(publicUrl(t, "/graphql"));
    // Only the session cookie: the binding cookie stays as it was (and expires with the sign-in's TTL).
    const setCookie = signIn.callback.headers.getSetCookie();
    expect(setCookie).toHaveLength(1);
    const [, sessionId = "", maxAge = ""] = COOKIE.exec(setCookie[0] ?? "") ?? [];
    expect(sessionId, `Set-Cookie: ${setCookie[0] ?? ""}`).not.toBe("");
    expect(Number(maxAge)).toBeGreaterThan(3590);
    expect(Number(maxAge)).toBeLessThanOrEqual(3600);
    // Opaque: neither of the sandbox's tokens, nor a piece of one.
    const issued = issuedSince(t, before);
    expect(issued).toHaveLength(1);
    for (const token of [...t.sandbox.state.accessTokens.keys(), ...t.sandbox.state.refreshTokens.keys()]) {
      expect(token.includes(sessionId) || sessionId.includes(token)).toBe(false);
    }

    const cookie = signIn.cookie;
    const viewer = await t.query<Viewer>(VIEWER, { cookie });
    expect(viewer.errors).toBeUndefined();
    expect(viewer.data?.viewer?.name).toBe("Ajit Kumar");
    expect(viewer.data?.viewer?.identity).toEqual({
      pan: "ABCDE1234F",
      maskedAadhaar: "xxxxxxxx0019",
      dateOfBirth: "1970-12-31",
      verification: "SIGNATURE",
    });
    // The sandbox seeds Ajit with five issued documents, his PAN among them.
    expect(viewer.data?.viewer?.issuedDocuments).toHaveLength(5);
    expect(viewer.data?.viewer?.issuedDocuments).toContainEqual({ name: "PAN Verification Record" });

    const session = await t.query<Session>(SESSION, { cookie });
    expect(session.errors).toBeUndefined();
    expect(session.data?.session?.refreshable).toBe(false);
    expect(session.data?.session?.scopes).toContain("files.issueddocs");
    const expiresAt = Date.parse(session.data?.session?.expiresAt ?? "");
    expect(Math.abs(expiresAt - (t.clock.epoch() + 3_600_000))).toBeLessThan(10_000);
  });

  it("the /auth/sign-in link redirects to DigiLocker and signs in the same way, on the host the browser used", async () => {
    // t.gateway.url is 127.0.0.1: the callback and returnTo stay there, where the cookie will be read.
    const link = `${t.gateway.url}/auth/sign-in?returnTo=/graphql`;
    const first = await visit(link);
    expect(first.status).toBe(303);
    const authorize = new URL(first.headers.get("location") ?? "");
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${t.sandbox.baseUrl}/oauth2/1/authorize`);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${t.gateway.url}/auth/callback`);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");

    const signIn = await signInThroughGateway(t, { start: link });
    expect(signIn.callback.status).toBe(303);
    expect(signIn.location).toBe(`${t.gateway.url}/graphql`);
    expect(signIn.cookie).toMatch(/^dlg_session=/);
    const viewer = await t.query<Viewer>(`{ viewer { name } }`, { cookie: signIn.cookie });
    expect(viewer.data?.viewer?.name).toBe("Ajit Kumar");
  });

  it("startSignIn from a page on 127.0.0.1 (its Origin) comes back to 127.0.0.1", async () => {
    const res = await t.query<Start, StartVars>(START, { variables: { input: { returnTo: "/graphql" } }, headers: { origin: t.gateway.url } });
    expect(res.errors).toBeUndefined();
    const link = new URL(res.data?.startSignIn?.authorizationUrl ?? "");
    // The link is on 127.0.0.1 too: its binding cookie lands on the host the callback will read it on.
    expect(link.origin).toBe(t.gateway.url);
    expect(link.pathname).toMatch(START_PATH);
    const browser = new Browser();
    const url = await open(browser, link);
    expect(url.searchParams.get("redirect_uri")).toBe(`${t.gateway.url}/auth/callback`);
    const signIn = await signInThroughGateway(t, { start: url.toString(), browser });
    expect(signIn.callback.status).toBe(303);
    expect(signIn.location).toBe(`${t.gateway.url}/graphql`);
  });

  it("no token, client secret or PKCE verifier reaches the browser anywhere in the flow", async () => {
    // The detector itself, on a pair whose verifier is known.
    const control = createPkcePair();
    expect(holdsVerifier(`?x=${control.verifier}&y`, control.challenge)).toBe(true);

    const before = new Set(t.sandbox.state.accessTokens.keys());
    const seen: string[] = [];
    const record = (status: number, headers: Headers, body: string) => {
      seen.push(`${String(status)}\n${[...headers].map(([k, v]) => `${k}: ${v}`).join("\n")}\n\n${body}`);
    };
    const started = await t.query<Start, StartVars>(START, { variables: { input: { returnTo: "/graphql" } } });
    record(started.status, started.headers, JSON.stringify(started));
    const browser = new Browser();
    const opened = await browser.get(started.data?.startSignIn?.authorizationUrl ?? "");
    record(opened.status, opened.headers, await opened.text());
    const url = new URL(opened.headers.get("location") ?? "");
    const signIn = await signInThroughGateway(t, { start: url.toString(), browser });
    record(signIn.callback.status, signIn.callback.headers, await signIn.callback.text());
    for (const document of [VIEWER, SESSION]) {
      const res = await t.query(document, { cookie: signIn.cookie });
      expect(res.errors).toBeUndefined();
      record(res.status, res.headers, JSON.stringify(res));
    }

    const [accessToken = "missing"] = issuedSince(t, before);
    const challenge = url.searchParams.get("code_challenge") ?? "";
    const text = seen.join("\n---\n");
    expect(text).not.toContain(accessToken);
    expect(text).not.toContain(t.sandbox.clientSecret);
    expect(holdsVerifier(text, challenge)).toBe(false);
  });

  it("a callback with a state the gateway never issued gets a 400 page, and the code is not exchanged", async () => {
    const browser = new Browser();
    const back = await consent(t, browser, await begin(t, browser));
    const code = back.searchParams.get("code") ?? "";
    t.gateway.upstreamCalls.reset();
    // From the browser that started a sign-in (it has the binding cookie): only the state is wrong.
    const res = await browser.get(withParam(back, "state", randomBytes(32).toString("base64url")));
    expect(await expectErrorPage(res)).toContain("start again");
    expect(tokenCalls(t)).toBe(0);
    expect(t.sandbox.state.codes.get(code)?.used).toBe(false);
  });

  it("a replayed callback gets a 400 page: the state is single use", async () => {
    const signIn = await signInThroughGateway(t, { start: (await startSignIn(t)).toString() });
    expect(signIn.callback.status).toBe(303);
    t.gateway.upstreamCalls.reset();
    // Replayed by the very browser that completed it, binding cookie and all.
    expect(await expectErrorPage(await signIn.browser.get(signIn.callbackUrl))).toContain("already completed");
    expect(tokenCalls(t)).toBe(0);
  });

  it("a replayed code (with a fresh state) is refused, and the session it first made is revoked with it", async () => {
    const first = await signInThroughGateway(t, { start: (await startSignIn(t)).toString() });
    expect(first.cookie).not.toBeNull();
    // The replay comes from a browser that started the fresh sign-in (so it passes the binding check) and holds
    // no session of its own (so nothing but the code's revocation can end the first session).
    const replayer = new Browser();
    const fresh = await begin(t, replayer);
    t.gateway.upstreamCalls.reset();
    const replay = await replayer.get(withParam(first.callbackUrl, "state", fresh.searchParams.get("state") ?? ""));
    expectSignInFailed(t, replay);
    // RFC 6749 4.1.2: DigiLocker (the sandbox) revokes what the code issued, so the first session ends too.
    const after = await t.query<{ viewer: { name: string } | null }>(`{ viewer { issuedDocuments { name } } }`, { cookie: first.cookie });
    expect(after.data?.viewer ?? null).toBeNull();
    expect(after.errors?.[0]?.extensions).toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("A's code delivered with B's state is exchanged with B's verifier, refused, and returnTo gets the gateway's error", async () => {
    // Both started in one browser (two tabs), so both states are bound to it.
    const browser = new Browser();
    const a = await begin(t, browser);
    const b = await begin(t, browser);
    const backA = await consent(t, browser, a);
    t.gateway.upstreamCalls.reset();
    const res = await browser.get(withParam(backA, "state", b.searchParams.get("state") ?? ""));
    const location = expectSignInFailed(t, res);
    expect(location.href).not.toContain("code_verifier");
    // Only the verifier was wrong: the code is still good, and A's own callback signs in with it.
    expect(t.sandbox.state.codes.get(backA.searchParams.get("code") ?? "")?.used).toBe(false);
    const own = await browser.get(backA);
    expect(own.status).toBe(303);
    expect(own.headers.get("location")).toBe(publicUrl(t, "/graphql"));
    expect(own.headers.getSetCookie()).toHaveLength(1);
  });

  it("startSignIn refuses a returnTo off the allowlist, saying how to fix it", async () => {
    const port = new URL(t.gateway.url).port;
    const cases: [string, RegExp][] = [
      ["https://evil.example/x", /https:\/\/evil\.example.*ALLOWED_REDIRECT_ORIGINS/],
      ["//evil.example", /absolute http\(s\) URL or a path/],
      ["javascript:alert(1)", /http\(s\) URL/],
      [`http://user:pw@localhost:${port}/graphql`, /credentials/],
    ];
    for (const [returnTo, message] of cases) {
      const res = await t.query<Start, StartVars>(START, { variables: { input: { returnTo } } });
      expect(res.data?.startSignIn ?? null, returnTo).toBeNull();
      expect(res.errors?.[0]?.extensions, returnTo).toMatchObject({ code: "BAD_USER_INPUT", reason: "redirect_not_allowed" });
      expect(res.errors?.[0]?.message, returnTo).toMatch(message);
    }
  });

  it("the /auth/sign-in link refuses a foreign returnTo with a 400 page, not a redirect", async () => {
    const page = await expectErrorPage(await visit(`${t.gateway.url}/auth/sign-in?returnTo=${encodeURIComponent("https://evil.example")}`));
    expect(page).toContain("ALLOWED_REDIRECT_ORIGINS");
  });

  it("denied consent comes back to returnTo as error=access_denied, without a cookie", async () => {
    const signIn = await signInThroughGateway(t, { start: (await startSignIn(t)).toString(), decision: "deny" });
    expect(signIn.callbackUrl.searchParams.get("error")).toBe("access_denied");
    expect(signIn.callback.status).toBe(303);
    expect(signIn.callback.headers.getSetCookie()).toEqual([]);
    expect(signIn.cookie).toBeNull();
    const location = new URL(signIn.location ?? "");
    expect(`${location.origin}${location.pathname}`).toBe(publicUrl(t, "/graphql"));
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.get("error_description")).toBe("The user did not give consent on DigiLocker");
  });

  it("DigiLocker's logout (user_loggedout, no state) lands on /auth/signed-out", async () => {
    const logout = await visit(`${t.sandbox.origin}/signin/logout/Y`);
    expect(logout.status).toBe(302);
    const back = new URL(logout.headers.get("location") ?? "");
    expect(back.pathname).toBe("/auth/callback");
    expect(back.port).toBe(new URL(t.gateway.url).port);
    expect(back.searchParams.get("error")).toBe("user_loggedout");
    expect(back.searchParams.has("state")).toBe(false);

    const callback = await visit(back);
    expect(callback.status).toBe(303);
    expect(callback.headers.get("location")).toBe(publicUrl(t, "/auth/signed-out"));
    const page = await visit(callback.headers.get("location") ?? "");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("You are signed out of DigiLocker.");
  });

  it("a bearer token still works, and wins over a session cookie", async () => {
    const signIn = await signInThroughGateway(t, { start: (await startSignIn(t)).toString() });
    const bearer = t.token(PRIYA);
    const NAME = `{ viewer { name identity { subject } } }`;
    type R = { viewer: { name: string | null; identity: { subject: string } | null } | null };
    expect((await t.query<R>(NAME, { token: bearer })).data?.viewer).toEqual({ name: "Priya Sharma", identity: null });
    expect((await t.query<R>(NAME, { cookie: signIn.cookie })).data?.viewer).toEqual({ name: "Ajit Kumar", identity: { subject: AJIT } });
    const both = await t.query<R>(NAME, { token: bearer, cookie: signIn.cookie });
    expect(both.errors).toBeUndefined();
    expect(both.data?.viewer).toEqual({ name: "Priya Sharma", identity: null });
  });
});

describe("browser sign-in: a code that expires before the callback", () => {
  let t: TestGateway;
  // A sign-in state that outlives the sandbox's 600 s code, so only the code expires.
  beforeAll(async () => { t = await startTestGateway({ SIGN_IN_TTL_SECONDS: "3600" }); });
  afterAll(async () => { await t.close(); });

  it("is refused by DigiLocker, and returnTo gets error=sign_in_failed", async () => {
    const browser = new Browser();
    const back = await consent(t, browser, await begin(t, browser));
    t.clock.advance(601_000);
    expect(t.sandbox.state.codes.get(back.searchParams.get("code") ?? "")?.expiresAt).toBeLessThanOrEqual(t.clock.epoch());
    t.gateway.upstreamCalls.reset();
    const res = await browser.get(back);
    expectSignInFailed(t, res);
  });
});

describe("browser sign-in: a state that expires before the callback", () => {
  let t: TestGateway;
  beforeAll(async () => { t = await startTestGateway(); });
  afterAll(async () => { await t.close(); });

  it("gets a 400 page past SIGN_IN_TTL_SECONDS (default 600), and the code is not exchanged", async () => {
    const browser = new Browser();
    const back = await consent(t, browser, await begin(t, browser));
    t.clock.advance(601_000);
    t.gateway.upstreamCalls.reset();
    expect(await expectErrorPage(await browser.get(back))).toContain("expired");
    expect(tokenCalls(t)).toBe(0);
  });
});

describe("browser sign-in with ALLOWED_REDIRECT_ORIGINS and POST_LOGOUT_URL", () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ ALLOWED_REDIRECT_ORIGINS: "https://app.example.in", POST_LOGOUT_URL: "https://app.example.in/bye" });
  });
  afterAll(async () => { await t.close(); });

  it("accepts a returnTo on an allowed origin and ends the sign-in there", async () => {
    const link = await startSignIn(t, { returnTo: "https://app.example.in/done" });
    // The link, like the callback, is on the gateway's public origin, not the returnTo's.
    expect(link.origin).toBe(publicUrl(t, ""));
    expect(link.pathname).toMatch(START_PATH);
    const browser = new Browser();
    const url = await open(browser, link);
    // DigiLocker still comes back to the gateway's own callback: only it holds the verifier.
    expect(url.searchParams.get("redirect_uri")).toBe(publicUrl(t, "/auth/callback"));
    const signIn = await signInThroughGateway(t, { start: url.toString(), browser });
    expect(signIn.callback.status).toBe(303);
    expect(signIn.location).toBe("https://app.example.in/done");
    expect(signIn.cookie).toMatch(/^dlg_session=/);
  });

  it("sends DigiLocker's logout redirect to POST_LOGOUT_URL", async () => {
    const logout = await visit(`${t.sandbox.origin}/signin/logout/Y`);
    const callback = await visit(logout.headers.get("location") ?? "");
    expect(callback.status).toBe(303);
    expect(callback.headers.get("location")).toBe("https://app.example.in/bye");
  });
});

/** One code exchange, refused: back to /graphql with the gateway's sign_in_failed, and no cookie. */
function expectSignInFailed(t: TestGateway, res: Response): URL {
  expect(res.status).toBe(303);
  expect(res.headers.getSetCookie()).toEqual([]);
  expect(tokenCalls(t)).toBe(1);
  const location = new URL(res.headers.get("location") ?? "");
  expect(`${location.origin}${location.pathname}`).toBe(publicUrl(t, "/graphql"));
  expect(location.searchParams.get("error")).toBe("sign_in_failed");
  expect(location.searchParams.get("error_description")).toBe(SIGN_IN_FAILED);
  return location;
}
