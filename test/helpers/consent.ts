// Drives the sandbox's sign-in and consent page over HTTP the way a browser would: GET the authorize
// page, read its form, POST a decision, and capture the redirect (never following it to the client).
import type { Sandbox } from "../../src/sandbox/server.js";

/** A cookie jar over global fetch with redirects left to the caller. Cookie paths are not scoped. */
export class Browser {
  readonly cookies = new Map<string, string>();

  get(url: string | URL): Promise<Response> {
    return this.#send(url, { method: "GET" });
  }

  post(url: string | URL, form: URLSearchParams): Promise<Response> {
    return this.#send(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form.toString() });
  }

  async #send(url: string | URL, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      if (attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1).trim());
    }
    return res;
  }
}

export function unescapeHtml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

export interface ConsentForm {
  action: string;
  requestId: string;
  users: { id: string; checked: boolean }[];
  /** Every scope checkbox offered, and whether it is checked. */
  scopes: { scope: string; checked: boolean }[];
}

/** Reads the consent page's form: its action, the hidden request id, the user radios and scope checkboxes. */
export function parseConsentForm(page: string): ConsentForm {
  const action = /<form method="post" action="([^"]*)"/.exec(page)?.[1];
  const requestId = /<input type="hidden" name="request_id" value="([^"]*)">/.exec(page)?.[1];
  if (action === undefined || requestId === undefined) throw new Error(`Not a consent page:\n${page.slice(0, 2000)}`);
  const inputs = (type: string, name: string) =>
    [...page.matchAll(new RegExp(`<input type="${type}" name="${name}" value="([^"]*)"( checked)?`, "g"))].map((m) => ({
      value: unescapeHtml(m[1] ?? ""),
      checked: m[2] !== undefined,
    }));
  return {
    action: unescapeHtml(action),
    requestId: unescapeHtml(requestId),
    users: inputs("radio", "user").map((u) => ({ id: u.value, checked: u.checked })),
    scopes: inputs("checkbox", "scope").map((s) => ({ scope: s.value, checked: s.checked })),
  };
}

export interface AuthorizeOptions {
  /** Defaults to the sandbox's primary client. */
  clientId?: string;
  redirectUri: string;
  /** PKCE: the challenge is sent with method S256; null sends no code_challenge. */
  pkce: { challenge: string } | null;
  state: string;
  /** `scope=openid` is sent unless this is false. */
  openid?: boolean;
  /** More authorize parameters (acr, req_doctype, purpose, consent_valid_till, dl_flow, …); they override the above. */
  params?: Record<string, string>;
}

export function authorizeUrl(sandbox: Sandbox, options: AuthorizeOptions): URL {
  const url = new URL(`${sandbox.baseUrl}/oauth2/1/authorize`);
  const q = url.searchParams;
  q.set("response_type", "code");
  q.set("client_id", options.clientId ?? sandbox.clientId);
  q.set("redirect_uri", options.redirectUri);
  q.set("state", options.state);
  if (options.pkce !== null) {
    q.set("code_challenge", options.pkce.challenge);
    q.set("code_challenge_method", "S256");
  }
  if (options.openid !== false) q.set("scope", "openid");
  for (const [k, v] of Object.entries(options.params ?? {})) q.set(k, v);
  return url;
}

export interface ConsentOptions extends AuthorizeOptions {
  /** digilockerId of the seeded user to sign in as. */
  userId: string;
  /** Scopes left checked; by default every offered scope (as the page renders them, all checked). */
  scopes?: string[];
  decision?: "allow" | "deny";
  /** Carries cookies across calls (the sandbox session); a fresh one by default. */
  browser?: Browser;
}

/** Signs `userId` in through the consent page and returns the URL the sandbox redirected to (code or error). */
export async function signInThroughConsent(sandbox: Sandbox, options: ConsentOptions): Promise<URL> {
  const browser = options.browser ?? new Browser();
  const page = await browser.get(authorizeUrl(sandbox, options));
  if (page.status !== 200) {
    throw new Error(`The authorize page answered ${page.status} (location: ${page.headers.get("location") ?? "none"})`);
  }
  const form = parseConsentForm(await page.text());
  const body = new URLSearchParams({ request_id: form.requestId, user: options.userId, decision: options.decision ?? "allow" });
  for (const scope of options.scopes ?? form.scopes.filter((s) => s.checked).map((s) => s.scope)) body.append("scope", scope);
  const answer = await browser.post(new URL(form.action, sandbox.origin), body);
  const location = answer.headers.get("location");
  if (answer.status !== 302 || location === null) {
    throw new Error(`The consent form answered ${answer.status}: ${(await answer.text()).slice(0, 500)}`);
  }
  return new URL(location, sandbox.origin);
}

/**
 * `userId` consents (or declines) on DigiLocker's page for an authorization URL the gateway wrote, in `browser`, every
 * parameter exactly as written (code_challenge, scope, acr, …): the URL DigiLocker redirects to, not yet delivered.
 */
export function consentToAuthorizationUrl(
  sandbox: Sandbox,
  browser: Browser,
  authorizationUrl: URL,
  userId: string,
  decision: "allow" | "deny" = "allow",
): Promise<URL> {
  const q = authorizationUrl.searchParams;
  return signInThroughConsent(sandbox, {
    browser,
    redirectUri: q.get("redirect_uri") ?? "",
    state: q.get("state") ?? "",
    pkce: null,
    params: Object.fromEntries(q),
    userId,
    decision,
  });
}

/**
 * A browser following a gateway link (`start`: a consent request's url, a sign-in link) through DigiLocker's page,
 * where `userId` decides, up to and not including the gateway's callback: the callback URL DigiLocker redirected to,
 * and the browser (with its binding cookie) that must deliver it. Delivering it is the caller's move, so a test can
 * race it against something else.
 */
export async function followToCallback(
  sandbox: Sandbox,
  start: string,
  options: { userId: string; decision?: "allow" | "deny"; browser?: Browser },
): Promise<{ browser: Browser; callbackUrl: URL }> {
  const browser = options.browser ?? new Browser();
  let url = start;
  let page = await browser.get(url);
  for (let hops = 0; page.status === 302 || page.status === 303; hops++) {
    if (hops > 3) throw new Error("too many redirects before the consent page");
    url = new URL(page.headers.get("location") ?? "", url).toString();
    page = await browser.get(url);
  }
  if (page.status !== 200) throw new Error(`expected DigiLocker's consent page, got ${page.status}: ${(await page.text()).slice(0, 300)}`);
  const form = parseConsentForm(await page.text());
  const body = new URLSearchParams({ request_id: form.requestId, user: options.userId, decision: options.decision ?? "allow" });
  for (const scope of form.scopes.filter((s) => s.checked)) body.append("scope", scope.scope);
  const answer = await browser.post(new URL(form.action, sandbox.origin), body);
  const location = answer.headers.get("location");
  if (answer.status !== 302 || location === null) throw new Error(`the consent form answered ${answer.status}`);
  return { browser, callbackUrl: new URL(location, sandbox.origin) };
}
