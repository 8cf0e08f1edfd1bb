// Signs a seeded user in through the gateway the way a browser does: a sign-in link (the gateway's
// /auth/sign-in, startSignIn's authorizationUrl or a consent request's url), DigiLocker's consent page,
// and the gateway's callback, with cookies kept in one jar.
import { AJIT, type TestGateway } from "./gateway.js";
import { Browser, parseConsentForm } from "./consent.js";

export interface GatewaySignInOptions {
  /** Where to start: a URL that redirects to (or is) DigiLocker's authorize page. Default: /auth/sign-in?returnTo=/graphql. */
  start?: string;
  userId?: string;
  decision?: "allow" | "deny";
  /** Scopes left checked on the consent page; default every one offered. */
  scopes?: string[];
  browser?: Browser;
}

export interface GatewaySignIn {
  browser: Browser;
  /** The gateway callback URL DigiLocker redirected to (code and state, or error). */
  callbackUrl: URL;
  /** The gateway's answer to the callback. */
  callback: Response;
  /** Its Location header, when it redirected. */
  location: string | null;
  /** The session cookie as a Cookie header value, when one was set. */
  cookie: string | null;
}

/** Follows the sign-in up to and including the gateway's callback (not the redirect after it). */
export async function signInThroughGateway(t: Pick<TestGateway, "gateway" | "sandbox">, options: GatewaySignInOptions = {}): Promise<GatewaySignIn> {
  const browser = options.browser ?? new Browser();
  let url = options.start ?? `${t.gateway.url}/auth/sign-in?returnTo=/graphql`;
  // Gateway links redirect to DigiLocker's authorize page; follow until it answers with the page.
  let page = await browser.get(url);
  for (let hops = 0; page.status === 302 || page.status === 303; hops++) {
    if (hops > 3) throw new Error("too many redirects before the consent page");
    url = new URL(page.headers.get("location") ?? "", url).toString();
    page = await browser.get(url);
  }
  if (page.status !== 200) throw new Error(`expected the consent page, got ${page.status}: ${(await page.text()).slice(0, 300)}`);
  const form = parseConsentForm(await page.text());
  const body = new URLSearchParams({ request_id: form.requestId, user: options.userId ?? AJIT, decision: options.decision ?? "allow" });
  for (const scope of options.scopes ?? form.scopes.filter((s) => s.checked).map((s) => s.scope)) body.append("scope", scope);
  const answer = await browser.post(new URL(form.action, t.sandbox.origin), body);
  const location = answer.headers.get("location");
  if (answer.status !== 302 || location === null) throw new Error(`the consent form answered ${answer.status}`);
  const callbackUrl = new URL(location, t.sandbox.origin);
  const callback = await browser.get(callbackUrl);
  const session = [...browser.cookies].find(([name]) => name.endsWith("dlg_session"));
  return {
    browser,
    callbackUrl,
    callback,
    location: callback.headers.get("location"),
    cookie: session === undefined ? null : `${session[0]}=${session[1]}`,
  };
}
