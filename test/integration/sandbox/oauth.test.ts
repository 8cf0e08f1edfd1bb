// The sandbox's OAuth side over real HTTP: the consent page driven like a browser, the code exchanged by
// the DigiLocker client (v1 and v2), refresh rotation, revocation, expiry and Revoke Session.
import { createPublicKey, verify, type JsonWebKey } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import {
  BadRequestError,
  ClientCredentialsError,
  createPkcePair,
  DigiLockerClient,
  InvalidTokenError,
  type DigiLockerApiError,
  type PkcePair,
} from "../../../src/digilocker/index.js";
import type { SandboxDeps } from "../../../src/sandbox/server.js";
import type { SandboxSettingsInput } from "../../../src/sandbox/settings.js";
import { authorizeUrl, Browser, parseConsentForm, signInThroughConsent, unescapeHtml, type ConsentOptions } from "../../helpers/consent.js";
import { startTestSandbox, type TestSandbox } from "../../helpers/sandbox.js";

const REDIRECT = "http://localhost:4000/auth/callback";
const AJIT = "123e4567-e89b-12d3-a456-426655440000";
const PRIYA = "6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f";
const RAHUL = "0b7e3d52-1c4a-4f6e-8d2b-7a9c5e1f3b20";
const SECOND_CLIENT = "SANDBOX2";
const SECOND_SECRET = "sandbox-second-secret";

let running: TestSandbox[] = [];
afterEach(async () => {
  await Promise.all(running.map((t) => t.close()));
  running = [];
});

async function start(options: { sandbox?: SandboxSettingsInput; deps?: SandboxDeps } = {}): Promise<TestSandbox> {
  const t = await startTestSandbox(options);
  running.push(t);
  return t;
}

/** A controllable clock for expiry tests. */
function clock() {
  const c = { now: Date.UTC(2024, 0, 15, 10), advance: (seconds: number) => (c.now += seconds * 1000) };
  return c;
}

async function rejection(promise: Promise<unknown>): Promise<DigiLockerApiError> {
  try {
    await promise;
  } catch (error) {
    return error as DigiLockerApiError;
  }
  throw new Error("expected a rejection");
}

/** Signs a user in and returns the code, checking the redirect carries the state. */
async function codeFor(t: TestSandbox, pkce: PkcePair | null, options: Partial<ConsentOptions> = {}): Promise<string> {
  const state = options.state ?? "st-123";
  const url = await signInThroughConsent(t.sandbox, { redirectUri: REDIRECT, userId: AJIT, pkce, state, ...options });
  expect(url.searchParams.get("state")).toBe(state);
  const code = url.searchParams.get("code");
  if (code === null) throw new Error(`no code in ${url.href}`);
  return code;
}

function rawToken(t: TestSandbox, version: 1 | 2, form: Record<string, string>, basic?: string): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (basic !== undefined) headers.authorization = `Basic ${Buffer.from(basic).toString("base64")}`;
  return fetch(`${t.sandbox.baseUrl}/oauth2/${version}/token`, { method: "POST", headers, body: new URLSearchParams(form).toString() });
}

function secondClient(t: TestSandbox): DigiLockerClient {
  return new DigiLockerClient({ baseUrl: t.sandbox.baseUrl, clientId: SECOND_CLIENT, clientSecret: SECOND_SECRET, retry: { maxRetries: 0 } });
}

describe("the code flow with PKCE", () => {
  it("v1: consent → code → tokens with the account fields → Get User Details", async () => {
    const t = await start();
    const pkce = createPkcePair();
    const redirect = await signInThroughConsent(t.sandbox, { redirectUri: REDIRECT, userId: AJIT, pkce, state: "xyz-42" });
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT);
    expect(redirect.searchParams.get("state")).toBe("xyz-42");
    const code = redirect.searchParams.get("code")!;
    expect(code).toMatch(/^[0-9a-f]{40}$/);

    const tokens = await t.client.oauth.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: pkce.verifier, version: 1 });
    expect(tokens.tokenType).toBe("Bearer");
    expect(tokens.expiresIn).toBe(3600);
    // Without req_doctype the pull scopes of every doctype approved for the client come too (approved-doctypes.test.ts).
    expect(tokens.scopes.filter((s) => !s.startsWith("partners."))).toEqual(["openid", "userdetails", "files.issueddocs", "files.uploadeddocs"]);
    expect(tokens.scopes).toContain("partners.HSCER");
    expect(tokens.refreshToken).toMatch(/^[0-9a-f]{40}$/);
    expect(tokens.idToken).toBeNull();
    expect(tokens.newAccount).toBe(false);
    expect(tokens.account).toMatchObject({ digilockerId: AJIT, name: "Ajit Kumar", dateOfBirth: "1970-12-31", gender: "MALE", eAadhaar: true });

    const user = await t.client.account.user(tokens.accessToken);
    expect(user.digilockerId).toBe(AJIT);
  });

  it("v1: the JSON has the spec sample's fields, consent_valid_till when asked and new_account Y on sign-up", async () => {
    const t = await start();
    const till = Math.floor(Date.now() / 1000) + 86_400;
    const pkce = createPkcePair();
    const code = await codeFor(t, pkce, { params: { consent_valid_till: String(till), dl_flow: "signup" } });
    const res = await rawToken(t, 1, {
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT,
      code_verifier: pkce.verifier,
      client_id: t.sandbox.clientId,
      client_secret: t.sandbox.clientSecret,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      "access_token", "expires_in", "token_type", "scope", "consent_valid_till", "refresh_token",
      "digilockerid", "name", "dob", "gender", "eaadhaar", "new_account", "reference_key",
    ]);
    expect(body).toMatchObject({ token_type: "Bearer", consent_valid_till: till, digilockerid: AJIT, dob: "31121970", gender: "M", eaadhaar: "Y", new_account: "Y" });
  });

  it("v2: an id_token, no refresh token, verifiable against the JWKS with the sample's claims", async () => {
    const t = await start();
    const pkce = createPkcePair();
    const code = await codeFor(t, pkce, { params: { acr: "pan" } });
    const tokens = await t.client.oauth.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: pkce.verifier, version: 2 });
    expect(tokens.refreshToken).toBeNull();
    expect(tokens.account).toBeNull();
    expect(tokens.scopes).toContain("openid");
    const idToken = tokens.idToken!;

    const jwks = (await (await fetch(`${t.sandbox.origin}/.well-known/jwks.json`)).json()) as { keys: JsonWebKey[] };
    const [h, p, s] = idToken.split(".") as [string, string, string];
    const header = JSON.parse(Buffer.from(h, "base64url").toString()) as { alg: string; kid: string };
    expect(header.alg).toBe("RS256");
    const jwk = jwks.keys.find((k) => k.kid === header.kid)!;
    expect(verify("sha256", Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: "jwk" }), Buffer.from(s, "base64url"))).toBe(true);

    const claims = JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({
      iss: t.sandbox.origin,
      sub: AJIT,
      aud: t.sandbox.clientId,
      name: "Ajit Kumar",
      preferred_username: "ajit.kumar",
      birthdate: "31/12/1970",
      gender: "M",
      phone_number: "9876543210",
      user_sso_id: `DL-${AJIT}`,
      masked_aadhaar: "xxxxxxxx0019",
      pan_number: "ABCDE1234F",
    });
    expect(claims).not.toHaveProperty("driving_licence");
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    const iat = claims.iat as number;
    expect(claims.exp).toBe(iat + 86_400);
    expect(claims.auth_time).toBeLessThanOrEqual(iat);

    const user = await t.client.account.user(tokens.accessToken);
    expect(user.name).toBe("Ajit Kumar");
  });

  it("v2: acr=driving_licence carries the licence, not the PAN; no Aadhaar means no masked_aadhaar", async () => {
    const t = await start();
    const pkce = createPkcePair();
    const ajitCode = await codeFor(t, pkce, { params: { acr: "driving_licence" } });
    const ajit = await t.client.oauth.exchangeCode({ code: ajitCode, redirectUri: REDIRECT, codeVerifier: pkce.verifier });
    const ajitClaims = JSON.parse(Buffer.from(ajit.idToken!.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    expect(ajitClaims.driving_licence).toBe("DL0120230100001");
    expect(ajitClaims).not.toHaveProperty("pan_number");

    const rahulCode = await codeFor(t, pkce, { userId: RAHUL });
    const rahul = await t.client.oauth.exchangeCode({ code: rahulCode, redirectUri: REDIRECT, codeVerifier: pkce.verifier });
    const rahulClaims = JSON.parse(Buffer.from(rahul.idToken!.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    expect(rahulClaims.sub).toBe(RAHUL);
    expect(rahulClaims).not.toHaveProperty("masked_aadhaar");
  });

  it("grants only the scopes left checked, and partners.<DOCTYPE> for each req_doctype", async () => {
    const t = await start();
    const pkce = createPkcePair();
    const page = await (await fetch(authorizeUrl(t.sandbox, { redirectUri: REDIRECT, pkce, state: "s", params: { req_doctype: "PANCR, DRVLC" } }))).text();
    expect(parseConsentForm(page).scopes).toEqual([
      { scope: "openid", checked: true },
      { scope: "userdetails", checked: true },
      { scope: "files.issueddocs", checked: true },
      { scope: "files.uploadeddocs", checked: true },
      { scope: "partners.PANCR", checked: true },
      { scope: "partners.DRVLC", checked: true },
    ]);
    // A scope that was not offered is dropped, not granted.
    const code = await codeFor(t, pkce, { params: { req_doctype: "PANCR,DRVLC" }, scopes: ["files.issueddocs", "partners.PANCR", "partners.ABCDE"] });
    const tokens = await t.client.oauth.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: pkce.verifier, version: 1 });
    expect(tokens.scopes).toEqual(["files.issueddocs", "partners.PANCR"]);
  });

  it("works without PKCE when no code_challenge was sent", async () => {
    const t = await start();
    const code = await codeFor(t, null);
    const tokens = await t.client.oauth.exchangeCode({ code, redirectUri: REDIRECT, version: 1 });
    expect(tokens.accessToken).toMatch(/^[0-9a-f]{40}$/);
  });

  it("accepts client credentials by HTTP Basic as well as form fields", async () => {
    const t = await start();
    const basic = new DigiLockerClient({
      baseUrl: t.sandbox.baseUrl,
      clientId: t.sandbox.clientId,
      clientSecret: t.sandbox.clientSecret,
      tokenAuth: "client_secret_basic",
      retry: { maxRetries: 0 },
    });
    try {
      const pkce = createPkcePair();
      const code = await codeFor(t, pkce);
      const tokens = await basic.oauth.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: pkce.verifier, version: 1 });
      expect(tokens.account?.digilockerId).toBe(AJIT);
    } finally {
      await basic.close();
    }
  });
});

describe("the consent page", () => {
  it("lists the seeded users with masked Aadhaar, a hidden request id and no raw parameters", async () => {
    const t = await start();
    const res = await fetch(authorizeUrl(t.sandbox, { redirectUri: REDIRECT, pkce: createPkcePair(), state: "<b>state-in-page?</b>" }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    const page = await res.text();
    const form = parseConsentForm(page);
    expect(form.action).toBe("/public/oauth2/1/authorize");
    expect(form.requestId).toMatch(/^[0-9a-f]{40}$/);
    expect(form.users.map((u) => u.id)).toEqual(expect.arrayContaining([AJIT, PRIYA, RAHUL]));
    expect(form.users.every((u) => !u.checked)).toBe(true);
    expect(page).toContain("Ajit Kumar");
    expect(page).toContain("xxxxxxxx0019");
    expect(page).not.toContain("999999990019");
    expect(page).toMatch(/<form method="post"/);
    expect(page).toContain('name="decision" value="allow"');
    expect(page).toContain('name="decision" value="deny"');
    expect(page).not.toContain("state-in-page");
    expect(page).not.toContain("<script");
  });

  it("escapes what it shows and pre-selects the signed-in user from the session cookie", async () => {
    const t = await start();
    t.sandbox.state.clients.get(t.sandbox.clientId)!.name = `<img src=x onerror="alert(1)">`;
    const browser = new Browser();
    await signInThroughConsent(t.sandbox, { redirectUri: REDIRECT, userId: PRIYA, pkce: null, state: "a", browser });
    expect([...browser.cookies.keys()]).toEqual(["dl_sandbox_session"]);
    const page = await (await browser.get(authorizeUrl(t.sandbox, { redirectUri: REDIRECT, pkce: null, state: "b" }))).text();
    expect(page).not.toContain("<img src=x");
    expect(unescapeHtml(page)).toContain(`<img src=x onerror="alert(1)">`);
    expect(parseConsentForm(page).users.filter((u) => u.checked).map((u) => u.id)).toEqual([PRIYA]);
  });

  it("sets the session cookie HttpOnly and SameSite=Lax", async () => {
    const t = await start();
    const page = await (await fetch(authorizeUrl(t.sandbox, { redirectUri: REDIRECT, pkce: null, state: "s" }))).text();
    const { requestId } = parseConsentForm(page);
    const res = await fetch(`${t.sandbox.baseUrl}/oauth2/1/authorize`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ request_id: requestId, user: AJIT, decision: "allow" }).toString(),
      redirect: "manual",
    });
    expect(res.status).toBe(302);
    const cookie = res.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^dl_sandbox_session=[^;]+; Path=\//);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
  });

  it("Deny redirects with error=access_denied and the state", async () => {
    const t = await start();
    const url = await signInThroughConsent(t.sandbox, { redirectUri: REDIRECT, userId: AJIT, pkce: createPkcePair(), state: "deny-me", decision: "deny" });
    expect(`${url.origin}${url.pathname}`).toBe(REDIRECT);
    expect(url.searchParams.get("error")).toBe("access_denied");
    expect(url.searchParams.get("error_description")).toBeTruthy();
    expect(url.searchParams.get("state")).toBe("deny-me");
    expect(url.searchParams.has("code")).toBe(false);
  });

  it("answers a request id only once", async () => {
    const t = await start();
    const page = await (await fetch(authorizeUrl(t.sandbox, { redirectUri: REDIRECT, pkce: null, state: "s" }))).text();
    const body = new URLSearchParams({ request_id: parseConsentForm(page).requestId, user: AJIT, decision: "allow" }).toString();
    const post = () =>
      fetch(`${t.sandbox.baseUrl}/oauth2/1/authorize`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body, redirect: "manual" });
    expect((await post()).status).toBe(302);
    const again = await post();
    expect(again.status).toBe(400);
    expect(again.headers.get("location")).toBeNull();
  });

  it("asks again, without redirecting, when Allow comes without a user", async () => {
    const t = await start();
    const page = await (await fetch(authorizeUrl(t.sandbox, { redirectUri: REDIRECT, pkce: null, state: "s" }))).text();
    const res = await fetch(`${t.sandbox.baseUrl}/oauth2/1/authorize`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ request_id: parseConsentForm(page).requestId, decision: "allow" }).toString(),
      redirect: "manual",
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain("Choose a user");
  });

  it("is not subject to fault injection (it is a page, not an API)", async () => {
    const t = await start({ sandbox: { faults: { errorRate: 1 } } });
    const res = await fetch(authorizeUrl(t.sandbox, { redirectUri: REDIRECT, pkce: null, state: "s" }));
    expect(res.status).toBe(200);
  });
});

describe("authorize validation", () => {
  it.each([
    ["an unknown client_id", { client_id: "NOPE" }],
    ["a missing client_id", { client_id: "" }],
    ["an unregistered redirect_uri", { redirect_uri: "https://evil.test/cb" }],
    ["a redirect_uri differing by a trailing slash", { redirect_uri: `${REDIRECT}/` }],
    ["a redirect_uri with an extra query", { redirect_uri: `${REDIRECT}?x=1` }],
  ])("answers %s with a 400 page and no redirect", async (_, override) => {
    const t = await start();
    const url = authorizeUrl(t.sandbox, { redirectUri: REDIRECT, pkce: createPkcePair(), state: "s" });
    for (const [k, v] of Object.entries(override)) url.searchParams.set(k, v);
    const res = await fetch(url, { redirect: "manual" });
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await res.text()).not.toContain("evil.test/cb?");
  });

  it("answers a redirect_uri registered for another client with a 400 page", async () => {
    const t = await start({ sandbox: { redirectUris: ["http://localhost:4000/auth/callback"] } });
    t.sandbox.state.clients.get(SECOND_CLIENT)!.redirectUris = ["https://second.test/cb"];
    const url = authorizeUrl(t.sandbox, { redirectUri: "https://second.test/cb", pkce: null, state: "s" });
    const res = await fetch(url, { redirect: "manual" });
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
  });

  const past = String(Math.floor(Date.now() / 1000) - 60);
  it.each([
    ["response_type missing", { response_type: "" }, "invalid_request"],
    ["response_type=token", { response_type: "token" }, "unsupported_response_type"],
    ["code_challenge_method=plain", { code_challenge_method: "plain" }, "invalid_request"],
    ["code_challenge_method missing", { code_challenge_method: "" }, "invalid_request"],
    ["a short code_challenge", { code_challenge: "abc" }, "invalid_request"],
    ["scope=email", { scope: "email" }, "invalid_scope"],
    ["acr=voter_id", { acr: "voter_id" }, "invalid_request"],
    ["purpose=fun", { purpose: "fun" }, "invalid_request"],
    ["req_doctype=PAN", { req_doctype: "PAN" }, "invalid_request"],
    ["an unknown req_doctype", { req_doctype: "PANCR,ZZZZZ" }, "invalid_request"],
    ["consent_valid_till in the past", { consent_valid_till: past }, "invalid_request"],
    ["consent_valid_till not a number", { consent_valid_till: "tomorrow" }, "invalid_request"],
    ["dl_flow=signin", { dl_flow: "signin" }, "invalid_request"],
    ["pla=N", { pla: "N" }, "invalid_request"],
    ["ulsignup=yes", { ulsignup: "yes" }, "invalid_request"],
    ["a bad verified_mobile on sign-up", { dl_flow: "signup", verified_mobile: "12345" }, "invalid_request"],
    ["an unknown amr on sign-up", { dl_flow: "signup", amr: "aadhaar retina" }, "invalid_request"],
  ])("redirects %s back with %s and the state", async (_, params, error) => {
    const t = await start();
    const url = authorizeUrl(t.sandbox, { redirectUri: REDIRECT, pkce: createPkcePair(), state: "keep-me", params });
    for (const [k, v] of Object.entries(params)) if (v === "") url.searchParams.delete(k);
    const res = await fetch(url, { redirect: "manual" });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get("error")).toBe(error);
    expect(location.searchParams.get("error_description")).toBeTruthy();
    expect(location.searchParams.get("state")).toBe("keep-me");
  });

  it("redirects a missing state with invalid_request (and no state)", async () => {
    const t = await start();
    const url = authorizeUrl(t.sandbox, { redirectUri: REDIRECT, pkce: null, state: "x" });
    url.searchParams.delete("state");
    const res = await fetch(url, { redirect: "manual" });
    const location = new URL(res.headers.get("location")!);
    expect(location.searchParams.get("error")).toBe("invalid_request");
    expect(location.searchParams.has("state")).toBe(false);
  });

  it("refuses a repeated parameter", async () => {
    const t = await start();
    const url = authorizeUrl(t.sandbox, { redirectUri: REDIRECT, pkce: null, state: "s" });
    url.searchParams.append("acr", "pan");
    url.searchParams.append("acr", "aadhaar");
    const location = new URL((await fetch(url, { redirect: "manual" })).headers.get("location")!);
    expect(location.searchParams.get("error")).toBe("invalid_request");
  });

  it("accepts every optional parameter of the spec together", async () => {
    const t = await start();
    const till = String(Math.floor(Date.now() / 1000) + 3600);
    const params = {
      acr: "aadhaar", req_doctype: "PANCR", purpose: "kyc", consent_valid_till: till, dl_flow: "signup",
      verified_mobile: "9876543210", amr: "aadhaar mobile", pla: "Y", plsignup: "Y", ulsignup: "Y",
    };
    const res = await fetch(authorizeUrl(t.sandbox, { redirectUri: REDIRECT, pkce: createPkcePair(), state: "s", params }));
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain("KYC");
    expect(page).toContain("new_account=Y");
  });

  it("allows the sandbox's own /sandbox/callback for every client", async () => {
    const t = await start();
    const res = await fetch(authorizeUrl(t.sandbox, { clientId: SECOND_CLIENT, redirectUri: `${t.sandbox.origin}/sandbox/callback`, pkce: null, state: "s" }));
    expect(res.status).toBe(200);
  });

  it("refuses a lower-case req_doctype, saying what to fix (docs/spec-assumptions.md #28)", async () => {
    const t = await start();
    const url = authorizeUrl(t.sandbox, { redirectUri: REDIRECT, pkce: null, state: "s", params: { req_doctype: "PANCR,drvlc" } });
    const location = new URL((await fetch(url, { redirect: "manual" })).headers.get("location")!);
    expect(location.searchParams.get("error")).toBe("invalid_request");
    expect(location.searchParams.get("error_description")).toBe("req_doctype drvlc must be upper case: send DRVLC");
    const unknown = authorizeUrl(t.sandbox, { redirectUri: REDIRECT, pkce: null, state: "s", params: { req_doctype: "zzzzz" } });
    const other = new URL((await fetch(unknown, { redirect: "manual" })).headers.get("location")!);
    expect(other.searchParams.get("error_description")).toBe("req_doctype zzzzz is not a document type of any issuer");
  });

  // The same examples as test/unit/digilocker/oauth.test.ts: client and sandbox agree on the format.
  const MOBILE_TEXT = "verified_mobile must be a 10-digit Indian mobile number starting with 6, 7, 8 or 9, without +91 or a leading 0";
  it.each(["9876543210", "6000000000", "7012345678", "8999999999"])("accepts verified_mobile %s on sign-up", async (mobile) => {
    const t = await start();
    const url = authorizeUrl(t.sandbox, { redirectUri: REDIRECT, pkce: null, state: "s", params: { dl_flow: "signup", verified_mobile: mobile } });
    expect((await fetch(url, { redirect: "manual" })).status).toBe(200);
  });

  it.each(["5876543210", "0987654321", "09876543210", "+919876543210", "919876543210", "98765 43210", "98765-43210", "987654321", ""])(
    "refuses verified_mobile %j on sign-up",
    async (mobile) => {
      const t = await start();
      const url = authorizeUrl(t.sandbox, { redirectUri: REDIRECT, pkce: null, state: "s", params: { dl_flow: "signup", verified_mobile: mobile } });
      const res = await fetch(url, { redirect: "manual" });
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get("location")!);
      expect(location.searchParams.get("error")).toBe("invalid_request");
      expect(location.searchParams.get("error_description")).toBe(MOBILE_TEXT);
    },
  );

  it("ignores verified_mobile without dl_flow=signup, as the spec says (spec 127)", async () => {
    const t = await start();
    const url = authorizeUrl(t.sandbox, { redirectUri: REDIRECT, pkce: null, state: "s", params: { verified_mobile: "+919876543210" } });
    expect((await fetch(url, { redirect: "manual" })).status).toBe(200);
  });
});

describe("purpose on the consent page (spec 136: the user may change it)", () => {
  const SPEC_PURPOSES = ["kyc", "verification", "compliance", "availing_services", "educational"];

  /** The grant behind an access token, as the sandbox recorded it. */
  function grantOf(t: TestSandbox, accessToken: string) {
    const stored = t.sandbox.state.accessTokens.get(accessToken);
    const grant = stored === undefined ? undefined : t.sandbox.state.grants.get(stored.grantId);
    if (!grant) throw new Error("no grant for the token");
    return grant;
  }

  /** Opens the consent page for `purpose`, then Allows as Ajit with `fields` added to the form. */
  async function consent(t: TestSandbox, purpose: string | null, fields: Record<string, string>) {
    const params: Record<string, string> = purpose === null ? {} : { purpose };
    const page = await (await fetch(authorizeUrl(t.sandbox, { redirectUri: REDIRECT, pkce: null, state: "s", params }))).text();
    const body = new URLSearchParams({ request_id: parseConsentForm(page).requestId, user: AJIT, decision: "allow", ...fields });
    const res = await fetch(`${t.sandbox.baseUrl}/oauth2/1/authorize`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
      redirect: "manual",
    });
    return { page, res };
  }

  async function exchanged(t: TestSandbox, res: Response) {
    const code = new URL(res.headers.get("location")!).searchParams.get("code")!;
    return t.client.oauth.exchangeCode({ code, redirectUri: REDIRECT, version: 1 });
  }

  it("shows a labelled select of the spec's purposes, preselected with the request's", async () => {
    const t = await start();
    const page = await (await fetch(authorizeUrl(t.sandbox, { redirectUri: REDIRECT, pkce: null, state: "s", params: { purpose: "verification" } }))).text();
    expect(page).toContain('<label for="purpose">Purpose of this consent</label>');
    expect(page).toContain('<select id="purpose" name="purpose" aria-describedby="purpose-hint" required>');
    expect([...page.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1])).toEqual(SPEC_PURPOSES);
    expect([...page.matchAll(/<option value="([^"]*)" selected>/g)].map((m) => m[1])).toEqual(["verification"]);
  });

  it("records the purpose the user chose, not the one asked for", async () => {
    const t = await start();
    const { res } = await consent(t, "kyc", { purpose: "educational" });
    expect(res.status).toBe(302);
    const tokens = await exchanged(t, res);
    expect(grantOf(t, tokens.accessToken).purpose).toBe("educational");
  });

  it("keeps the request's purpose when the form sends none, and has none when none was asked", async () => {
    const t = await start();
    expect(grantOf(t, (await exchanged(t, (await consent(t, "compliance", {})).res)).accessToken).purpose).toBe("compliance");
    const { page, res } = await consent(t, null, { purpose: "kyc" });
    expect(page).not.toContain('name="purpose"');
    expect(grantOf(t, (await exchanged(t, res)).accessToken).purpose).toBeNull();
  });

  it("asks again, without redirecting, for a purpose outside the spec's list", async () => {
    const t = await start();
    const { res } = await consent(t, "kyc", { purpose: "marketing" });
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain("Choose one of the listed purposes.");
  });
});

describe("token endpoint errors", () => {
  it("a wrong PKCE verifier, or none, is invalid_grant", async () => {
    const t = await start();
    const pkce = createPkcePair();
    const code = await codeFor(t, pkce);
    const wrong = await rejection(t.client.oauth.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: createPkcePair().verifier }));
    expect(wrong).toBeInstanceOf(BadRequestError);
    expect(wrong).toMatchObject({ status: 400, code: "invalid_grant" });
    expect(wrong.description).toMatch(/code_verifier/);
    const missing = await rejection(t.client.oauth.exchangeCode({ code, redirectUri: REDIRECT }));
    expect(missing).toMatchObject({ status: 400, code: "invalid_grant" });
    expect(missing.description).toMatch(/code_verifier is required/);
    // The failed attempts did not use the code up.
    const tokens = await t.client.oauth.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: pkce.verifier });
    expect(tokens.idToken).toBeTruthy();
  });

  it("a replayed code is invalid_grant and revokes the tokens issued from it", async () => {
    const t = await start();
    const pkce = createPkcePair();
    const code = await codeFor(t, pkce);
    const first = await t.client.oauth.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: pkce.verifier, version: 1 });
    await t.client.account.user(first.accessToken);
    const replay = await rejection(t.client.oauth.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: pkce.verifier, version: 1 }));
    expect(replay).toMatchObject({ status: 400, code: "invalid_grant" });
    expect(replay.description).toMatch(/already been used/);
    expect(await rejection(t.client.account.user(first.accessToken))).toBeInstanceOf(InvalidTokenError);
    expect(await rejection(t.client.oauth.refresh(first.refreshToken!))).toMatchObject({ code: "invalid_grant" });
  });

  it("an expired code is invalid_grant", async () => {
    const c = clock();
    const t = await start({ sandbox: { codeTtlSeconds: 60 }, deps: { now: () => c.now } });
    const pkce = createPkcePair();
    const code = await codeFor(t, pkce);
    c.advance(61);
    const expired = await rejection(t.client.oauth.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: pkce.verifier }));
    expect(expired).toMatchObject({ status: 400, code: "invalid_grant" });
    expect(expired.description).toMatch(/expired/);
  });

  it("a code is still good just before it expires", async () => {
    const c = clock();
    const t = await start({ sandbox: { codeTtlSeconds: 60 }, deps: { now: () => c.now } });
    const pkce = createPkcePair();
    const code = await codeFor(t, pkce);
    c.advance(59);
    await expect(t.client.oauth.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: pkce.verifier })).resolves.toBeTruthy();
  });

  it("a different redirect_uri, an unknown code, or another client's code is invalid_grant", async () => {
    const t = await start();
    const pkce = createPkcePair();
    const code = await codeFor(t, pkce);
    const other = await rejection(t.client.oauth.exchangeCode({ code, redirectUri: "http://127.0.0.1:4000/auth/callback", codeVerifier: pkce.verifier }));
    expect(other).toMatchObject({ code: "invalid_grant" });
    expect(other.description).toMatch(/redirect_uri/);
    expect(await rejection(t.client.oauth.exchangeCode({ code: "nope", redirectUri: REDIRECT }))).toMatchObject({ code: "invalid_grant" });
    const second = secondClient(t);
    try {
      const stolen = await rejection(second.oauth.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: pkce.verifier }));
      expect(stolen).toMatchObject({ code: "invalid_grant" });
      expect(stolen.description).toMatch(/another client/);
    } finally {
      await second.close();
    }
    // The other client's attempt neither used the code nor revoked anything.
    await expect(t.client.oauth.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: pkce.verifier })).resolves.toBeTruthy();
  });

  it("bad client credentials are invalid_client (400), by form or by Basic", async () => {
    const t = await start();
    const pkce = createPkcePair();
    const code = await codeFor(t, pkce);
    const wrong = new DigiLockerClient({ baseUrl: t.sandbox.baseUrl, clientId: t.sandbox.clientId, clientSecret: "wrong-secret-123", retry: { maxRetries: 0 } });
    try {
      const error = await rejection(wrong.oauth.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: pkce.verifier }));
      expect(error).toBeInstanceOf(ClientCredentialsError);
      expect(error).toMatchObject({ status: 400, code: "invalid_client" });
    } finally {
      await wrong.close();
    }
    const basic = await rawToken(t, 1, { grant_type: "authorization_code", code, redirect_uri: REDIRECT }, `${t.sandbox.clientId}:nope`);
    expect(basic.status).toBe(400);
    expect(await basic.json()).toEqual({ error: "invalid_client", error_description: "The client credentials are invalid" });
    const none = await rawToken(t, 2, { grant_type: "authorization_code", code, redirect_uri: REDIRECT });
    expect(await none.json()).toMatchObject({ error: "invalid_client" });
  });

  // Spec 225 and 301: "401 If the access token is expired or has been revoked by DigiLocker user".
  it.each([1, 2] as const)("/oauth2/%s/token answers 401 when the user's consent expired before the exchange", async (version) => {
    const c = clock();
    const t = await start({ deps: { now: () => c.now } });
    const pkce = createPkcePair();
    const code = await codeFor(t, pkce, { params: { consent_valid_till: String(c.now / 1000 + 60) } });
    c.advance(60);
    const form = { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: pkce.verifier };
    const res = await rawToken(t, version, { ...form, client_id: t.sandbox.clientId, client_secret: t.sandbox.clientSecret });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/json; charset=UTF-8");
    expect(await res.json()).toEqual({ error: "invalid_grant", error_description: "The user's consent has expired (consent_valid_till has passed)" });
    // The client reads a 401 as the user's authorization being over (docs/spec-assumptions.md #19).
    const error = await rejection(t.client.oauth.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: pkce.verifier, version }));
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect(error).toMatchObject({ status: 401, code: "invalid_grant" });
  });

  it("answers 401 when the user revoked the authorization before the exchange", async () => {
    const t = await start();
    const pkce = createPkcePair();
    const code = await codeFor(t, pkce);
    t.sandbox.state.grants.get(t.sandbox.state.codes.get(code)!.grantId)!.revoked = true;
    const res = await rawToken(t, 2, {
      grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: pkce.verifier,
    }, `${t.sandbox.clientId}:${t.sandbox.clientSecret}`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "invalid_grant", error_description: "The authorization has been revoked by the DigiLocker user" });
  });

  it.each([
    [1, "password"],
    [1, ""],
    [2, "refresh_token"],
    [2, "client_credentials"],
  ] as const)("/oauth2/%s/token with grant_type=%j is invalid_grant_type", async (version, grantType) => {
    const t = await start();
    const res = await rawToken(t, version, { grant_type: grantType, client_id: t.sandbox.clientId, client_secret: t.sandbox.clientSecret });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/json; charset=UTF-8");
    expect(await res.json()).toEqual({ error: "invalid_grant_type", error_description: "The grant_type parameter is invalid" });
  });
});

describe("refresh", () => {
  it("rotates: new tokens work, the old refresh token then fails with invalid_grant", async () => {
    const t = await start();
    const pkce = createPkcePair();
    const code = await codeFor(t, pkce, { params: { req_doctype: "PANCR" } });
    const first = await t.client.oauth.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: pkce.verifier, version: 1 });
    const second = await t.client.oauth.refresh(first.refreshToken!);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.scopes).toEqual(first.scopes);
    expect(second.account).toMatchObject({ digilockerId: AJIT, name: "Ajit Kumar", eAadhaar: true });
    expect((await t.client.account.user(second.accessToken)).digilockerId).toBe(AJIT);

    const reused = await rejection(t.client.oauth.refresh(first.refreshToken!));
    expect(reused).toBeInstanceOf(BadRequestError);
    expect(reused).toMatchObject({ status: 400, code: "invalid_grant", description: "The refresh token is invalid" });
    await expect(t.client.oauth.refresh(second.refreshToken!)).resolves.toBeTruthy();
  });

  it("answers with the spec sample's fields", async () => {
    const t = await start();
    const { refreshToken } = t.sandbox.issueToken({ userId: AJIT, scopes: ["userdetails"], refresh: true });
    const res = await rawToken(t, 1, { grant_type: "refresh_token", refresh_token: refreshToken! }, `${t.sandbox.clientId}:${t.sandbox.clientSecret}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      "access_token", "expires_in", "token_type", "scope", "refresh_token", "digilockerid", "name", "dob", "gender", "eaadhaar", "reference_key",
    ]);
  });

  it("without HTTP Basic is invalid_client, even with good form credentials", async () => {
    const t = await start();
    const { refreshToken } = t.sandbox.issueToken({ userId: AJIT, scopes: ["userdetails"], refresh: true });
    const res = await rawToken(t, 1, {
      grant_type: "refresh_token",
      refresh_token: refreshToken!,
      client_id: t.sandbox.clientId,
      client_secret: t.sandbox.clientSecret,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_client" });
  });

  it("another client's refresh token, or an unknown one, is invalid_grant", async () => {
    const t = await start();
    const { refreshToken } = t.sandbox.issueToken({ userId: AJIT, scopes: ["userdetails"], refresh: true });
    const second = secondClient(t);
    try {
      expect(await rejection(second.oauth.refresh(refreshToken!))).toMatchObject({ code: "invalid_grant" });
    } finally {
      await second.close();
    }
    expect(await rejection(t.client.oauth.refresh("0".repeat(40)))).toMatchObject({ code: "invalid_grant" });
  });
});

describe("revoke", () => {
  it("revoking the access token makes Get User Details answer invalid_token, and the refresh token dies too", async () => {
    const t = await start();
    const pkce = createPkcePair();
    const code = await codeFor(t, pkce);
    const tokens = await t.client.oauth.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: pkce.verifier, version: 1 });
    await t.client.oauth.revoke(tokens.accessToken, "access_token");
    const error = await rejection(t.client.account.user(tokens.accessToken));
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect(error).toMatchObject({ status: 401, code: "invalid_token" });
    expect(await rejection(t.client.oauth.refresh(tokens.refreshToken!))).toMatchObject({ code: "invalid_grant" });
  });

  it("revoking the refresh token (no hint) revokes the grant's access token", async () => {
    const t = await start();
    const issued = t.sandbox.issueToken({ userId: AJIT, scopes: ["userdetails"], refresh: true });
    await t.client.oauth.revoke(issued.refreshToken!);
    expect(await rejection(t.client.account.user(issued.accessToken))).toBeInstanceOf(InvalidTokenError);
  });

  it("answers 200 with an empty JSON object, also for an unknown token", async () => {
    const t = await start();
    const res = await fetch(`${t.sandbox.baseUrl}/oauth2/1/revoke`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${t.sandbox.clientId}:${t.sandbox.clientSecret}`).toString("base64")}`,
      },
      body: "token=unknown-token",
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
  });

  it("needs HTTP Basic: form credentials are invalid_client", async () => {
    const t = await start();
    const issued = t.sandbox.issueToken({ userId: AJIT, scopes: ["userdetails"] });
    const res = await fetch(`${t.sandbox.baseUrl}/oauth2/1/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: issued.accessToken, client_id: t.sandbox.clientId, client_secret: t.sandbox.clientSecret }).toString(),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_client" });
    await expect(t.client.account.user(issued.accessToken)).resolves.toBeTruthy();
  });

  it("refuses to revoke another client's token", async () => {
    const t = await start();
    const issued = t.sandbox.issueToken({ userId: AJIT, scopes: ["userdetails"] });
    const second = secondClient(t);
    try {
      expect(await rejection(second.oauth.revoke(issued.accessToken))).toMatchObject({ status: 400, code: "invalid_grant" });
    } finally {
      await second.close();
    }
    await expect(t.client.account.user(issued.accessToken)).resolves.toBeTruthy();
  });
});

describe("expiry", () => {
  it("an access token works until accessTokenTtlSeconds, then is invalid_token", async () => {
    const c = clock();
    const t = await start({ sandbox: { accessTokenTtlSeconds: 120 }, deps: { now: () => c.now } });
    const pkce = createPkcePair();
    const code = await codeFor(t, pkce);
    const tokens = await t.client.oauth.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: pkce.verifier, version: 1 });
    expect(tokens.expiresIn).toBe(120);
    c.advance(119);
    await expect(t.client.account.user(tokens.accessToken)).resolves.toBeTruthy();
    c.advance(1);
    expect(await rejection(t.client.account.user(tokens.accessToken))).toBeInstanceOf(InvalidTokenError);
    // The refresh token outlives it and brings a fresh access token.
    const fresh = await t.client.oauth.refresh(tokens.refreshToken!);
    await expect(t.client.account.user(fresh.accessToken)).resolves.toBeTruthy();
  });

  it("consent_valid_till ends the grant: tokens and refresh stop working", async () => {
    const c = clock();
    const t = await start({ deps: { now: () => c.now } });
    const till = c.now / 1000 + 600;
    const pkce = createPkcePair();
    const code = await codeFor(t, pkce, { params: { consent_valid_till: String(till) } });
    const tokens = await t.client.oauth.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: pkce.verifier, version: 1 });
    expect(tokens.consentValidTill).toBe(new Date(till * 1000).toISOString());
    c.advance(600);
    expect(await rejection(t.client.account.user(tokens.accessToken))).toBeInstanceOf(InvalidTokenError);
    expect(await rejection(t.client.oauth.refresh(tokens.refreshToken!))).toMatchObject({ code: "invalid_grant" });
  });
});

describe("Revoke Session (/signin/logout/Y)", () => {
  it("clears the session and redirects to the session client's first redirect URI with user_loggedout", async () => {
    const t = await start();
    t.sandbox.state.clients.get(SECOND_CLIENT)!.redirectUris = ["https://second.test/cb", "https://second.test/other"];
    const browser = new Browser();
    await signInThroughConsent(t.sandbox, { clientId: SECOND_CLIENT, redirectUri: "https://second.test/cb", userId: AJIT, pkce: null, state: "s", browser });
    expect(browser.cookies.has("dl_sandbox_session")).toBe(true);

    const res = await browser.get(t.client.oauth.logoutUrl());
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe("https://second.test/cb");
    expect(location.searchParams.get("error")).toBe("user_loggedout");
    expect(location.searchParams.get("error_description")).toBe("user");
    expect(browser.cookies.has("dl_sandbox_session")).toBe(false);

    // Signed out: the consent page no longer pre-selects anyone.
    const page = await (await browser.get(authorizeUrl(t.sandbox, { redirectUri: REDIRECT, pkce: null, state: "s" }))).text();
    expect(parseConsentForm(page).users.some((u) => u.checked)).toBe(false);
  });

  it("without a session goes to the primary client's first redirect URI", async () => {
    const t = await start();
    const res = await fetch(`${t.sandbox.origin}/signin/logout/Y`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${REDIRECT}?error=user_loggedout&error_description=user`);
  });

  it("ignores a forged session cookie", async () => {
    const t = await start();
    const forged = `${Buffer.from(JSON.stringify({ userId: AJIT, clientId: SECOND_CLIENT })).toString("base64url")}.AAAA`;
    t.sandbox.state.clients.get(SECOND_CLIENT)!.redirectUris = ["https://second.test/cb"];
    const res = await fetch(`${t.sandbox.origin}/signin/logout/Y`, { redirect: "manual", headers: { cookie: `dl_sandbox_session=${forged}` } });
    expect(res.headers.get("location")).toMatch(/^http:\/\/localhost:4000\/auth\/callback\?/);
  });
});

describe("registerRedirectUri (an embedding app's callback, known only once it listens)", () => {
  const CALLBACK = "http://127.0.0.1:59999/auth/callback";

  it("makes the authorize page accept the URI, and Revoke Session redirect to it with user_loggedout", async () => {
    const t = await start();
    const url = authorizeUrl(t.sandbox, { redirectUri: CALLBACK, pkce: createPkcePair(), state: "s" });
    expect((await fetch(url, { redirect: "manual" })).status).toBe(400);

    t.sandbox.registerRedirectUri(CALLBACK);
    expect((await fetch(url, { redirect: "manual" })).status).toBe(200);
    const logout = await fetch(`${t.sandbox.origin}/signin/logout/Y`, { redirect: "manual" });
    expect(logout.status).toBe(302);
    expect(logout.headers.get("location")).toBe(`${CALLBACK}?error=user_loggedout&error_description=user`);
  });

  it("goes first without duplicates, keeps the URIs already registered, and touches only the client named", async () => {
    const t = await start();
    const primary = t.sandbox.state.clients.get(t.sandbox.clientId)!;
    const before = [...primary.redirectUris];
    t.sandbox.registerRedirectUri(CALLBACK);
    t.sandbox.registerRedirectUri(before[1]!);
    t.sandbox.registerRedirectUri(CALLBACK);
    expect(primary.redirectUris).toEqual([CALLBACK, before[1], before[0]]);

    t.sandbox.registerRedirectUri("https://second.test/cb", SECOND_CLIENT);
    expect(t.sandbox.state.clients.get(SECOND_CLIENT)!.redirectUris[0]).toBe("https://second.test/cb");
    expect(primary.redirectUris).not.toContain("https://second.test/cb");
    expect(() => { t.sandbox.registerRedirectUri(CALLBACK, "NOPE"); }).toThrow(/NOPE/);
  });

  it.each([["a relative path", "/auth/callback"], ["not a URL", "callback"], ["ftp", "ftp://127.0.0.1/cb"], ["javascript", "javascript:alert(1)"], ["a fragment", `${CALLBACK}#x`], ["blanks", ` ${CALLBACK}`]])(
    "refuses %s with a TypeError",
    async (_, uri) => {
      const t = await start();
      const before = [...t.sandbox.state.clients.get(t.sandbox.clientId)!.redirectUris];
      expect(() => { t.sandbox.registerRedirectUri(uri); }).toThrow(TypeError);
      expect(t.sandbox.state.clients.get(t.sandbox.clientId)!.redirectUris).toEqual(before);
    },
  );
});
