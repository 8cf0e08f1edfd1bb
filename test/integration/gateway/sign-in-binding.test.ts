// Login CSRF over real HTTP: a sign-in is bound to the browser that opened its gateway link (/auth/sign-in,
// startSignIn's /auth/start/<ticket>, a consent request's /auth/consent/<link>) by the dlg_signin cookie, and the
// callback is refused in any other browser: no cookie, no code exchange, and the state left for the right browser.
// A sign-in that completes in a browser ends the session that browser had.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, consentToAuthorizationUrl } from "../../helpers/consent.js";
import { AJIT, PRIYA, startTestGateway, type TestGateway } from "../../helpers/gateway.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

const PARTNER_ORIGIN = "https://partner.example.in";
const BINDING_COOKIE = /^dlg_signin=([A-Za-z0-9_-]{43}); Path=\/; Max-Age=600; HttpOnly; SameSite=Lax$/;
const START_PATH = /^\/auth\/start\/[A-Za-z0-9_-]{43}$/;

const START = `mutation Start($input: StartSignInInput!) { startSignIn(input: $input) { authorizationUrl } }`;
type Start = { startSignIn: { authorizationUrl: string } | null };
const CREATE = `mutation ($input: CreateConsentRequestInput!) { createConsentRequest(input: $input) { id url status } }`;
const READ = `query ($id: ID!) { consentRequest(id: $id) { status lastError { code } user { name } } }`;
type ConsentRequestView = { status: string; lastError: { code: string } | null; user: { name: string | null } | null };
const VIEWER = `{ viewer { name } }`;
type Viewer = { viewer: { name: string | null } | null };
const SESSION = `{ session { expiresAt } }`;
type Session = { session: { expiresAt: string } | null };

function signInLink(t: TestGateway): string {
  return `${t.gateway.url}/auth/sign-in?returnTo=/graphql`;
}

/** Opens a sign-in link in `browser`: a 303 to DigiLocker's authorize URL, which it returns. */
async function open(browser: Browser, link: string | URL): Promise<URL> {
  const res = await browser.get(link);
  expect(res.status, `opening ${link.toString()}`).toBe(303);
  return new URL(res.headers.get("location") ?? "");
}

/** `userId` consents on DigiLocker's page in `browser`; the callback URL DigiLocker sent it to, not yet delivered. */
function consentAs(t: TestGateway, browser: Browser, authorizationUrl: URL, userId: string): Promise<URL> {
  return consentToAuthorizationUrl(t.sandbox, browser, authorizationUrl, userId);
}

async function startSignIn(t: TestGateway): Promise<URL> {
  const res = await t.query<Start>(START, { variables: { input: { returnTo: "/graphql" } } });
  expect(res.errors).toBeUndefined();
  return new URL(res.data?.startSignIn?.authorizationUrl ?? "");
}

function tokenExchanges(t: TestGateway): number {
  return t.gateway.upstreamCalls.count("oauth.tokenV2");
}

function sessionCookie(browser: Browser): string | null {
  const value = browser.cookies.get("dlg_session");
  return value === undefined ? null : `dlg_session=${value}`;
}

/** The gateway's refusal of a callback from the wrong browser: a 400 page, no redirect, no cookie. */
async function expectWrongBrowser(res: Response): Promise<void> {
  expect(res.status).toBe(400);
  expect(res.headers.get("content-type")).toMatch(/^text\/html/);
  expect(res.headers.get("location")).toBeNull();
  expect(res.headers.getSetCookie()).toEqual([]);
  expect(await res.text()).toContain("This sign-in was started in another browser");
}

/** A browser that started a sign-in of its own (so it has its own binding cookie) and never finished it. */
async function browserWithOwnBinding(t: TestGateway): Promise<Browser> {
  const browser = new Browser();
  await open(browser, signInLink(t));
  expect(browser.cookies.get("dlg_signin")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return browser;
}

async function viewerName(t: TestGateway, cookie: string | null): Promise<string | null | undefined> {
  const res = await t.query<Viewer>(VIEWER, { cookie });
  return res.data?.viewer?.name;
}

describe("sign-in bound to the browser that started it", () => {
  let t: TestGateway;
  // Fewer than 60 sign-ins and consent requests in all: the default writes budget is enough.
  beforeAll(async () => { t = await startTestGateway({ ALLOWED_REDIRECT_ORIGINS: PARTNER_ORIGIN }); });
  afterAll(async () => { await t.close(); });

  it("login CSRF: the attacker's callback opened in the victim's browser is refused, and the attacker's own browser can still complete it", async () => {
    const attacker = new Browser();
    const callback = await consentAs(t, attacker, await open(attacker, signInLink(t)), PRIYA);
    const code = callback.searchParams.get("code") ?? "";
    expect(code).not.toBe("");

    // The victim signed in as Ajit beforehand: a refused callback must leave that session alone.
    const signedIn = await signInThroughGateway(t, { userId: AJIT });
    expect(signedIn.callback.status).toBe(303);
    const victims: [string, Browser][] = [
      ["no cookies", new Browser()],
      ["its own binding cookie", await browserWithOwnBinding(t)],
      ["its own session", signedIn.browser],
    ];
    for (const [what, victim] of victims) {
      const sessionBefore = sessionCookie(victim);
      const exchanges = tokenExchanges(t);
      await expectWrongBrowser(await victim.get(callback));
      expect(tokenExchanges(t), what).toBe(exchanges);
      expect(sessionCookie(victim), what).toBe(sessionBefore);
      expect(t.sandbox.state.codes.get(code)?.used, what).toBe(false);
    }
    expect(await viewerName(t, signedIn.cookie)).toBe("Ajit Kumar");

    // The state was not used up: the browser that started the sign-in completes it.
    const exchanges = tokenExchanges(t);
    const own = await attacker.get(callback);
    expect(own.status).toBe(303);
    expect(own.headers.get("location")).toBe(`${t.gateway.url}/graphql`);
    expect(tokenExchanges(t)).toBe(exchanges + 1);
    expect(await viewerName(t, sessionCookie(attacker))).toBe("Priya Sharma");
  });

  it("startSignIn's link opened by the attacker: the callback is refused in the victim's browser", async () => {
    const link = await startSignIn(t);
    expect(link.pathname).toMatch(START_PATH);
    const attacker = new Browser();
    const callback = await consentAs(t, attacker, await open(attacker, link), PRIYA);
    const exchanges = tokenExchanges(t);
    const victim = new Browser();
    await expectWrongBrowser(await victim.get(callback));
    expect(tokenExchanges(t)).toBe(exchanges);
    expect(sessionCookie(victim)).toBeNull();

    const own = await attacker.get(callback);
    expect(own.status).toBe(303);
    expect(await viewerName(t, sessionCookie(attacker))).toBe("Priya Sharma");
  });

  it("startSignIn's link binds the browser that opens it first: the attacker's link opened by the victim leaves the attacker nothing to deliver", async () => {
    const link = await startSignIn(t);
    const victim = new Browser();
    const callback = await consentAs(t, victim, await open(victim, link), AJIT);

    // The attacker can neither open the link again nor deliver the callback (say it leaked) from its own browser.
    const attacker = await browserWithOwnBinding(t);
    const reopened = await attacker.get(link);
    expect(reopened.status).toBe(400);
    expect(reopened.headers.getSetCookie()).toEqual([]);
    expect(await reopened.text()).toContain("Sign-in link expired");
    const exchanges = tokenExchanges(t);
    await expectWrongBrowser(await attacker.get(callback));
    expect(tokenExchanges(t)).toBe(exchanges);
    expect(sessionCookie(attacker)).toBeNull();

    const own = await victim.get(callback);
    expect(own.status).toBe(303);
    expect(await viewerName(t, sessionCookie(victim))).toBe("Ajit Kumar");
  });

  it("startSignIn's link is single use: a second open, even in the same browser, is the 'Sign-in link expired' page", async () => {
    const link = await startSignIn(t);
    const browser = new Browser();
    await open(browser, link);
    const again = await browser.get(link);
    expect(again.status).toBe(400);
    expect(again.headers.get("content-type")).toMatch(/^text\/html/);
    expect(again.headers.get("location")).toBeNull();
    expect(again.headers.getSetCookie()).toEqual([]);
    expect(await again.text()).toContain("Sign-in link expired");
  });

  it("each sign-in link sets the binding cookie: dlg_signin, 43 base64url characters, Path=/, Max-Age=600, HttpOnly, SameSite=Lax", async () => {
    const created = await t.query<{ createConsentRequest: { url: string } }>(CREATE, {
      variables: { input: { redirectUrl: `${PARTNER_ORIGIN}/done` } },
    });
    expect(created.errors).toBeUndefined();
    const links = [signInLink(t), (await startSignIn(t)).toString(), created.data?.createConsentRequest.url ?? ""];
    for (const link of links) {
      const res = await fetch(link, { redirect: "manual" });
      expect(res.status, link).toBe(303);
      expect(res.headers.getSetCookie(), link).toEqual([expect.stringMatching(BINDING_COOKIE)]);
    }
  });

  it("two sign-ins started in one browser (two tabs) share its binding cookie, and both complete", async () => {
    const browser = new Browser();
    const first = await browser.get(signInLink(t));
    const second = await browser.get(signInLink(t));
    const [, value1 = "1"] = BINDING_COOKIE.exec(first.headers.getSetCookie()[0] ?? "") ?? [];
    const [, value2 = "2"] = BINDING_COOKIE.exec(second.headers.getSetCookie()[0] ?? "") ?? [];
    expect(value2).toBe(value1);

    const callback1 = await consentAs(t, browser, new URL(first.headers.get("location") ?? ""), AJIT);
    const callback2 = await consentAs(t, browser, new URL(second.headers.get("location") ?? ""), AJIT);
    for (const callback of [callback2, callback1]) {
      const res = await browser.get(callback);
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(`${t.gateway.url}/graphql`);
      expect(res.headers.getSetCookie()).toEqual([expect.stringMatching(/^dlg_session=[A-Za-z0-9_-]{43}; /)]);
    }
    expect(await viewerName(t, sessionCookie(browser))).toBe("Ajit Kumar");
  });

  it("a second sign-in in the same browser ends the first session: its cookie is dead and its token revoked at DigiLocker", async () => {
    // Another browser's session: the control, which nothing here may touch.
    const other = await signInThroughGateway(t, { userId: AJIT });
    const browser = new Browser();
    const tokensBefore = new Set(t.sandbox.state.accessTokens.keys());
    const first = await signInThroughGateway(t, { browser, userId: AJIT });
    expect(first.callback.status).toBe(303);
    const firstTokens = [...t.sandbox.state.accessTokens.keys()].filter((token) => !tokensBefore.has(token));
    expect(firstTokens).toHaveLength(1);
    const [firstToken = ""] = firstTokens;
    expect(t.sandbox.state.accessTokens.get(firstToken)?.revoked).toBe(false);

    const second = await signInThroughGateway(t, { browser, userId: PRIYA });
    expect(second.callback.status).toBe(303);
    expect(second.cookie).not.toBeNull();
    expect(second.cookie).not.toBe(first.cookie);

    const old = await t.query<Session>(SESSION, { cookie: first.cookie });
    expect(old.errors).toBeUndefined();
    expect(old.data?.session).toBeNull();
    const oldViewer = await t.query<Viewer>(VIEWER, { cookie: first.cookie });
    expect(oldViewer.data?.viewer ?? null).toBeNull();
    expect(oldViewer.errors?.[0]?.extensions).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(t.sandbox.state.accessTokens.get(firstToken)?.revoked).toBe(true);

    expect(await viewerName(t, second.cookie)).toBe("Priya Sharma");
    expect(await viewerName(t, other.cookie)).toBe("Ajit Kumar");
  });

  it("a sign-in the user denies leaves the browser's session as it was", async () => {
    const browser = new Browser();
    const first = await signInThroughGateway(t, { browser, userId: AJIT });
    expect(first.callback.status).toBe(303);
    const denied = await signInThroughGateway(t, { browser, userId: PRIYA, decision: "deny" });
    expect(denied.callback.status).toBe(303);
    expect(denied.callback.headers.getSetCookie()).toEqual([]);
    expect(sessionCookie(browser)).toBe(first.cookie);
    expect(await viewerName(t, first.cookie)).toBe("Ajit Kumar");
  });

  it("a consent request's callback from another browser is refused, and the request stays UNAUTHENTICATED until its own browser delivers it", async () => {
    // No partner is registered here: development mode, no key.
    const created = await t.query<{ createConsentRequest: { id: string; url: string; status: string } }>(CREATE, {
      variables: { input: { redirectUrl: `${PARTNER_ORIGIN}/done` } },
    });
    expect(created.errors).toBeUndefined();
    const { id = "", url = "" } = created.data?.createConsentRequest ?? {};
    const read = async () => (await t.query<{ consentRequest: ConsentRequestView | null }>(READ, { variables: { id } })).data?.consentRequest;

    const user = new Browser();
    const callback = await consentAs(t, user, await open(user, url), PRIYA);
    const exchanges = tokenExchanges(t);
    for (const other of [new Browser(), await browserWithOwnBinding(t)]) {
      await expectWrongBrowser(await other.get(callback));
    }
    expect(tokenExchanges(t)).toBe(exchanges);
    expect(await read()).toEqual({ status: "UNAUTHENTICATED", lastError: null, user: null });

    const own = await user.get(callback);
    expect(own.status).toBe(303);
    expect(own.headers.get("location")).toBe(`${PARTNER_ORIGIN}/done?success=true&id=${id}`);
    expect(await read()).toEqual({ status: "AUTHENTICATED", lastError: null, user: { name: "Priya Sharma" } });
  });
});

describe("sign-in binding with SIGN_IN_TTL_SECONDS", () => {
  let t: TestGateway;
  beforeAll(async () => { t = await startTestGateway({ SIGN_IN_TTL_SECONDS: "60" }); });
  afterAll(async () => { await t.close(); });

  it("the binding cookie lasts as long as a sign-in, and startSignIn's link expires with it", async () => {
    const res = await fetch(signInLink(t), { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie()).toEqual([expect.stringMatching(/^dlg_signin=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=60; HttpOnly; SameSite=Lax$/)]);

    const link = await startSignIn(t);
    t.clock.advance(61_000);
    const late = await new Browser().get(link);
    expect(late.status).toBe(400);
    expect(late.headers.getSetCookie()).toEqual([]);
    expect(await late.text()).toContain("Sign-in link expired");
  });
});

describe("sign-in binding on https", () => {
  let t: TestGateway;
  beforeAll(async () => { t = await startTestGateway({ PUBLIC_URL: "https://gateway.example.in" }); });
  afterAll(async () => { await t.close(); });

  it("names the binding cookie __Host-dlg_signin and makes it Secure", async () => {
    const res = await fetch(signInLink(t), { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie()).toEqual([
      expect.stringMatching(/^__Host-dlg_signin=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=600; HttpOnly; SameSite=Lax; Secure$/),
    ]);
  });
});
