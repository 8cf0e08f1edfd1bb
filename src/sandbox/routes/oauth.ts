// Authorization APIs (spec: Get Authorization Code, Get Access Token (both), Refresh Access Token) and
// Token/Session Revocation (Revoke Token, Revoke Session). OAuth 2.0 (RFC 6749) with PKCE S256 (RFC 7636).
import { createHash, randomUUID } from "node:crypto";
import { safeEqual, scopes, tokenClient, usedBasic } from "../auth.js";
import { errors } from "../errors.js";
import { dlError, formFields, header, html as htmlReply, redirect, type Reply, type SandboxRequest } from "../http.js";
import { signJwt, type JwtClaims } from "../jwt.js";
import { consentPage, purposeNames, type ScopeChoice } from "../pages/consent.js";
import { errorPage } from "../pages/error.js";
import { maskAadhaar, pageHeaders } from "../pages/markup.js";
import type { Route, SandboxContext } from "../router.js";
import { clearCookie, readSession, SESSION_COOKIE, sealValue, setCookie } from "../session.js";
import type { AuthorizationRequest, Grant, SandboxClient, SandboxUser } from "../state.js";
import { createGrant, issueTokens, opaqueToken, revokeGrant } from "../tokens.js";

/** How long the consent page may stay open before Allow/Deny. */
const AUTH_REQUEST_TTL_SECONDS = 15 * 60;
/** The spec's sample id_token has exp - iat = 86400. */
const ID_TOKEN_TTL_SECONDS = 24 * 60 * 60;
/** Used codes are kept this long after expiry, so a replay can still revoke its tokens (RFC 6749 §4.1.2). */
const USED_CODE_MEMORY_MS = 60 * 60 * 1000;
const IST_OFFSET_SECONDS = 19_800;
const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

const ACRS = ["pan", "aadhaar", "driving_licence"];
const PURPOSES = Object.keys(purposeNames);
/**
 * verified_mobile (spec 127, "Verified mobile number of the user"; an integer in the older OpenAPI file, and
 * 9876543210 in the sample id_token, spec 214): an Indian mobile number as 10 digits, 6-9 first, without +91 or
 * a leading 0. The client checks the same pattern (src/digilocker/oauth.ts).
 */
const VERIFIED_MOBILE = /^[6-9]\d{9}$/;
const AMRS = ["all", "driving_licence", "aadhaar", "pan", "ndlemail", "username", "mobile", "other"];
const AUTHORIZE_PARAMS = [
  "response_type",
  "client_id",
  "redirect_uri",
  "state",
  "code_challenge",
  "code_challenge_method",
  "dl_flow",
  "verified_mobile",
  "scope",
  "acr",
  "req_doctype",
  "amr",
  "pla",
  "plsignup",
  "ulsignup",
  "purpose",
  "consent_valid_till",
];

/** The sandbox as the browser reached it (Host header), so the token page works via localhost or 127.0.0.1. */
export function requestOrigin(req: SandboxRequest, ctx: SandboxContext): string {
  const host = header(req, "host");
  return host !== undefined && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? `http://${host}` : ctx.origin;
}

/** The sandbox's own token page callback is accepted for every client, besides the client's registered URIs. */
export function ownCallback(origin: string): string {
  return `${origin}/sandbox/callback`;
}

function redirectAllowed(client: SandboxClient, uri: string, req: SandboxRequest, ctx: SandboxContext): boolean {
  // Exact string match, as the spec asks ("the exact URI registered"): no prefix or normalised matching.
  return client.redirectUris.includes(uri) || uri === ownCallback(ctx.origin) || uri === ownCallback(requestOrigin(req, ctx));
}

function withParams(uri: string, params: Record<string, string | null>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
  return url.toString();
}

function errorPageReply(status: number, title: string, message: string, hint?: string, headers: Record<string, string> = {}): Reply {
  return htmlReply(status, errorPage(title, message, hint), { ...pageHeaders, ...headers });
}

type Parsed = { ok: true; request: Omit<AuthorizationRequest, "id" | "clientId" | "redirectUri" | "expiresAt"> } | { ok: false; error: string; description: string };

function invalid(description: string, error = "invalid_request"): Parsed {
  return { ok: false, error, description };
}

/** Every parameter of Get Authorization Code other than client_id and redirect_uri (checked before). */
function parseAuthorize(q: URLSearchParams, client: SandboxClient, ctx: SandboxContext): Parsed {
  for (const name of AUTHORIZE_PARAMS) {
    // RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once."
    if (q.getAll(name).length > 1) return invalid(`The ${name} parameter is repeated`);
  }
  const state = q.get("state");
  if (state === null || state === "") return invalid("The state parameter is required");
  const responseType = q.get("response_type");
  if (responseType === null || responseType === "") return invalid("The response_type parameter is required");
  if (responseType !== "code") return invalid("Only response_type=code is supported", "unsupported_response_type");

  const challenge = q.get("code_challenge");
  const method = q.get("code_challenge_method");
  if (challenge !== null) {
    if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return invalid("code_challenge must be the base64url SHA-256 of the code_verifier (43 characters)");
    if (method !== "S256") return invalid("code_challenge_method must be S256 (the only supported method)");
  } else if (method !== null) {
    return invalid("code_challenge_method was sent without code_challenge");
  }

  const scope = q.get("scope");
  if (scope !== null && scope !== "openid") return invalid("The scope parameter must be openid", "invalid_scope");
  const acr = q.get("acr");
  if (acr !== null && !ACRS.includes(acr)) return invalid("acr must be one of pan, aadhaar, driving_licence");
  const purpose = q.get("purpose");
  if (purpose !== null && !PURPOSES.includes(purpose)) {
    return invalid("purpose must be one of kyc, verification, compliance, availing_services, educational");
  }

  const reqDocTypes: string[] = [];
  const rawDocTypes = q.get("req_doctype");
  if (rawDocTypes !== null) {
    const known = new Set(ctx.state.issuers.flatMap((i) => i.docTypes.map((d) => d.doctype)));
    for (const item of rawDocTypes.split(",")) {
      // Exact, as everywhere else: doctypes are upper case (docs/spec-assumptions.md #28), and the client sends them so.
      const doctype = item.trim();
      const upper = doctype.toUpperCase();
      if (!/^[A-Z0-9]{5}$/.test(upper)) return invalid("req_doctype must be a comma-separated list of 5-character document types");
      if (doctype !== upper && known.has(upper)) return invalid(`req_doctype ${doctype} must be upper case: send ${upper}`);
      if (!known.has(doctype)) return invalid(`req_doctype ${doctype} is not a document type of any issuer`);
      // Spec 131: the types are "selected from the ones that are approved for your client ID".
      if (!client.approvedDocTypes.includes(doctype)) return invalid(`req_doctype ${doctype} is not approved for client ${client.id}`);
      if (!reqDocTypes.includes(doctype)) reqDocTypes.push(doctype);
    }
  }

  let consentValidTill: number | null = null;
  const rawTill = q.get("consent_valid_till");
  if (rawTill !== null) {
    if (!/^\d{1,12}$/.test(rawTill)) return invalid("consent_valid_till must be a UNIX timestamp in seconds");
    // Sent under the configured ts convention (docs/spec-assumptions.md #2); kept as true UNIX seconds.
    consentValidTill = Number(rawTill) - (ctx.settings.timestamp === "unix-ist" ? IST_OFFSET_SECONDS : 0);
    if (consentValidTill * 1000 <= ctx.now()) return invalid("consent_valid_till is in the past");
  }

  const dlFlow = q.get("dl_flow");
  if (dlFlow !== null && dlFlow !== "signup") return invalid("dl_flow must be signup");
  const signup = dlFlow === "signup";
  for (const flag of ["pla", "plsignup", "ulsignup"]) {
    const value = q.get(flag);
    if (value !== null && value !== "Y") return invalid(`${flag} must be Y`);
  }
  // verified_mobile and amr are "used only if dl_flow … is set to signup and will be ignored otherwise" (spec).
  if (signup) {
    const mobile = q.get("verified_mobile");
    if (mobile !== null && !VERIFIED_MOBILE.test(mobile)) {
      return invalid("verified_mobile must be a 10-digit Indian mobile number starting with 6, 7, 8 or 9, without +91 or a leading 0");
    }
    const amr = q.get("amr");
    if (amr !== null && (amr.trim() === "" || amr.trim().split(/\s+/).some((m) => !AMRS.includes(m)))) {
      return invalid(`amr must be a space-separated list of ${AMRS.join(", ")}`);
    }
  }

  return {
    ok: true,
    request: { state, codeChallenge: challenge, openid: scope === "openid", acr, reqDocTypes, purpose, consentValidTill, signup },
  };
}

/**
 * The scopes offered on the consent page (all checked). Pull scopes (docs/spec-assumptions.md #36): the
 * doctypes of req_doctype in its order, else every doctype approved for the client (spec 131).
 */
export function scopeChoices(request: AuthorizationRequest, client: SandboxClient, ctx: SandboxContext): ScopeChoice[] {
  const choices: ScopeChoice[] = [];
  if (request.openid) choices.push({ scope: scopes.openid, label: "Share your name, date of birth, gender, mobile and email in an id_token" });
  choices.push(
    { scope: scopes.userDetails, label: "See your DigiLocker account details" },
    { scope: scopes.issuedDocs, label: "See and read your issued documents" },
    { scope: scopes.uploadedDocs, label: "See, read and add to your uploaded documents" },
  );
  const pulls = request.reqDocTypes.length > 0 ? request.reqDocTypes : client.approvedDocTypes;
  const descriptions = new Map(ctx.state.issuers.flatMap((i) => i.docTypes.map((d) => [d.doctype, d.description] as const)));
  for (const doctype of pulls) {
    choices.push({ scope: scopes.pull(doctype), label: descriptions.get(doctype) ?? doctype, doctype });
  }
  return choices;
}

function prune(ctx: SandboxContext): void {
  const now = ctx.now();
  for (const [id, r] of ctx.state.authRequests) if (r.expiresAt <= now) ctx.state.authRequests.delete(id);
  for (const [code, c] of ctx.state.codes) if (c.expiresAt + USED_CODE_MEMORY_MS <= now) ctx.state.codes.delete(code);
}

function seededUsers(ctx: SandboxContext): SandboxUser[] {
  return [...ctx.state.users.values()];
}

function authorizeGet(req: SandboxRequest, ctx: SandboxContext): Reply {
  prune(ctx);
  const q = req.url.searchParams;
  const clientId = q.get("client_id");
  const client = clientId === null || q.getAll("client_id").length > 1 ? undefined : ctx.state.clients.get(clientId);
  // Spec: a bad client or redirect URI "will result in error response"; RFC 6749 §4.1.2.1: never redirect then.
  if (!client) {
    return errorPageReply(400, "Unknown application", "The client_id parameter is missing or is not a registered application.");
  }
  const redirectUri = q.get("redirect_uri");
  if (redirectUri === null || q.getAll("redirect_uri").length > 1 || !redirectAllowed(client, redirectUri, req, ctx)) {
    return errorPageReply(
      400,
      "Redirect URI not registered",
      "The redirect_uri parameter is missing or is not exactly one of the URIs registered for this application.",
      `Registered for ${client.id}: ${client.redirectUris.join(", ")}`,
    );
  }
  const parsed = parseAuthorize(q, client, ctx);
  if (!parsed.ok) {
    return redirect(withParams(redirectUri, { error: parsed.error, error_description: parsed.description, state: q.get("state") || null }));
  }
  const request: AuthorizationRequest = {
    id: opaqueToken(),
    clientId: client.id,
    redirectUri,
    expiresAt: ctx.now() + AUTH_REQUEST_TTL_SECONDS * 1000,
    ...parsed.request,
  };
  ctx.state.authRequests.set(request.id, request);
  const session = readSession(ctx.keys, req.cookies[SESSION_COOKIE]);
  return htmlReply(
    200,
    consentPage({ client, request, users: seededUsers(ctx), selectedUserId: session?.userId ?? null, scopes: scopeChoices(request, client, ctx) }),
    pageHeaders,
  );
}

function authorizePost(req: SandboxRequest, ctx: SandboxContext): Reply {
  // Parsed here rather than with formFields: the scope checkboxes repeat one name.
  const form = new URLSearchParams(req.body.toString("utf8"));
  const request = ctx.state.authRequests.get(form.get("request_id") ?? "");
  const client = request === undefined ? undefined : ctx.state.clients.get(request.clientId);
  if (!request || !client || request.expiresAt <= ctx.now()) {
    return errorPageReply(400, "Sign-in expired", "This sign-in request has expired or was already answered.", "Go back to the application and start again.");
  }
  const back = (params: Record<string, string | null>, headers: Record<string, string> = {}) => {
    ctx.state.authRequests.delete(request.id);
    return redirect(withParams(request.redirectUri, { ...params, state: request.state }), headers);
  };
  const decision = form.get("decision");
  if (decision === "deny") return back({ error: "access_denied", error_description: "The user denied access to the application" });
  const user = ctx.state.users.get(form.get("user") ?? "");
  // Spec 136: the purpose "allows the user to change it on the consent screen", so the choice made there is
  // the grant's. Offered only when the request named one; a form without the field keeps the request's.
  const purpose = request.purpose === null ? null : (form.get("purpose") ?? request.purpose);
  const purposeOk = purpose === null || PURPOSES.includes(purpose);
  if (decision !== "allow" || !user || !purposeOk) {
    const view = { client, request, users: seededUsers(ctx), selectedUserId: null, scopes: scopeChoices(request, client, ctx), purpose: purposeOk ? purpose : null };
    const problem = purposeOk ? "Choose a user to sign in as, then Allow or Deny." : "Choose one of the listed purposes.";
    return htmlReply(400, consentPage({ ...view, problem }), pageHeaders);
  }
  const offered = new Set(scopeChoices(request, client, ctx).map((c) => c.scope));
  const granted = form.getAll("scope").filter((s) => offered.has(s));
  const grant = createGrant(ctx, {
    clientId: client.id,
    userId: user.digilockerId,
    scopes: granted,
    acr: request.acr,
    purpose,
    consentValidTill: request.consentValidTill,
  });
  grant.newAccount = request.signup;
  const code = opaqueToken();
  ctx.state.codes.set(code, {
    code,
    grantId: grant.id,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    expiresAt: ctx.now() + ctx.settings.codeTtlSeconds * 1000,
    used: false,
  });
  const session = sealValue(ctx.keys, { userId: user.digilockerId, clientId: client.id });
  return back({ code }, { "set-cookie": setCookie(SESSION_COOKIE, session, { maxAgeSeconds: SESSION_MAX_AGE_SECONDS }) });
}

function tokenJson(data: Record<string, unknown>): Reply {
  // RFC 6749 §5.1: token responses must not be cached.
  return { status: 200, headers: { "content-type": "application/json", "cache-control": "no-store", pragma: "no-cache" }, body: JSON.stringify(data) };
}

function tokenEndpoint(version: 1 | 2) {
  return (req: SandboxRequest, ctx: SandboxContext): Reply => {
    const form = formFields(req);
    const client = tokenClient(req, form, ctx);
    if (!client) return errors.invalidClient();
    const grantType = form.grant_type;
    if (grantType === "authorization_code") return exchangeCode(form, client, ctx, version);
    // Refresh is a v1 call and needs HTTP Basic (spec: Refresh Access Token, "Authorization: Basic").
    if (grantType === "refresh_token" && version === 1) return usedBasic(req) ? refresh(form, client, ctx) : errors.invalidClient();
    return errors.invalidGrantType();
  };
}

function pkceMatches(challenge: string, verifier: string | undefined): boolean {
  if (verifier === undefined || !/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return false;
  return safeEqual(createHash("sha256").update(verifier, "ascii").digest("base64url"), challenge);
}

function exchangeCode(form: Record<string, string>, client: SandboxClient, ctx: SandboxContext, version: 1 | 2): Reply {
  const code = ctx.state.codes.get(form.code ?? "");
  const grant = code === undefined ? undefined : ctx.state.grants.get(code.grantId);
  if (!code || !grant) return errors.invalidGrant("The authorization code is invalid");
  // Checked before the replay rule, so another client cannot revoke this client's tokens with a stolen code.
  if (grant.clientId !== client.id) return errors.invalidGrant("The authorization code was issued to another client");
  if (code.used) {
    // RFC 6749 §4.1.2: a reused code should revoke the tokens issued from it.
    revokeGrant(ctx, grant.id);
    return errors.invalidGrant("The authorization code has already been used; the tokens issued from it are revoked");
  }
  if (code.expiresAt <= ctx.now()) return errors.invalidGrant("The authorization code has expired");
  // The 401 of Get Access Token: "If the access token is expired or has been revoked by DigiLocker user" (spec
  // 225, 301). Bad client credentials stay 400 invalid_client, as the same URL's refresh table has it (spec 389).
  if (grant.revoked) return errors.grantEnded("The authorization has been revoked by the DigiLocker user");
  if (grant.consentValidTill !== null && grant.consentValidTill * 1000 <= ctx.now()) {
    return errors.grantEnded("The user's consent has expired (consent_valid_till has passed)");
  }
  if (form.redirect_uri !== code.redirectUri) return errors.invalidGrant("redirect_uri is missing or does not match the authorization request");
  if (code.codeChallenge !== null && !pkceMatches(code.codeChallenge, form.code_verifier)) {
    return errors.invalidGrant(
      form.code_verifier === undefined ? "code_verifier is required: the authorization request had a code_challenge" : "code_verifier does not match the code_challenge",
    );
  }
  const user = ctx.state.users.get(grant.userId);
  if (!user) return errors.unexpected(500);
  code.used = true;
  const tokens = issueTokens(ctx, grant, version === 1);
  const head = tokenHead(tokens, grant, ctx);
  if (version === 2) {
    return tokenJson(grant.scopes.includes(scopes.openid) ? { ...head, id_token: signJwt(idTokenClaims(ctx, grant, user, client), ctx.keys) } : head);
  }
  return tokenJson({ ...head, refresh_token: tokens.refreshToken, ...accountOf(user), new_account: grant.newAccount === true ? "Y" : "N", reference_key: user.referenceKey });
}

function refresh(form: Record<string, string>, client: SandboxClient, ctx: SandboxContext): Reply {
  const stored = ctx.state.refreshTokens.get(form.refresh_token ?? "");
  const grant = stored === undefined ? undefined : ctx.state.grants.get(stored.grantId);
  const user = grant === undefined ? undefined : ctx.state.users.get(grant.userId);
  const consentOver = grant?.consentValidTill != null && grant.consentValidTill * 1000 <= ctx.now();
  if (!stored || stored.revoked || !grant || grant.revoked || grant.clientId !== client.id || !user || consentOver) {
    return errors.invalidGrant();
  }
  // issueTokens revokes the grant's older refresh tokens: rotation (spec: "new access and refresh tokens").
  const tokens = issueTokens(ctx, grant, true);
  return tokenJson({ ...tokenHead(tokens, grant, ctx), refresh_token: tokens.refreshToken, ...accountOf(user), reference_key: user.referenceKey });
}

function tokenHead(tokens: { accessToken: string; expiresIn: number }, grant: Grant, ctx: SandboxContext): Record<string, unknown> {
  const head: Record<string, unknown> = {
    access_token: tokens.accessToken,
    expires_in: tokens.expiresIn,
    token_type: "Bearer",
    scope: grant.scopes.join(" "),
  };
  // Under the same `ts` convention it was sent with (docs/spec-assumptions.md #2, #14): a round trip keeps the instant.
  if (grant.consentValidTill !== null) {
    head.consent_valid_till = grant.consentValidTill + (ctx.settings.timestamp === "unix-ist" ? IST_OFFSET_SECONDS : 0);
  }
  return head;
}

function accountOf(user: SandboxUser): Record<string, string> {
  return {
    digilockerid: user.digilockerId,
    name: user.name,
    dob: user.dob,
    gender: user.gender,
    eaadhaar: user.eAadhaarXml !== null ? "Y" : "N",
  };
}

/** The claims of the spec's sample id_token, in its order; acr data only when that acr was asked for. */
export function idTokenClaims(ctx: SandboxContext, grant: Grant, user: SandboxUser, client: SandboxClient): JwtClaims {
  const iat = Math.floor(ctx.now() / 1000);
  const claims: JwtClaims = {
    iss: ctx.origin,
    sub: user.digilockerId,
    aud: client.id,
    iat,
    exp: iat + ID_TOKEN_TTL_SECONDS,
    auth_time: grant.authTime,
    name: user.name,
    preferred_username: user.username,
    email: user.email,
    birthdate: `${user.dob.slice(0, 2)}/${user.dob.slice(2, 4)}/${user.dob.slice(4)}`,
    gender: user.gender,
    phone_number: user.mobile,
    jti: randomUUID(),
    user_sso_id: `DL-${user.digilockerId}`,
  };
  if (grant.acr === "pan" && user.pan !== null) claims.pan_number = user.pan;
  if (grant.acr === "driving_licence" && user.drivingLicence !== null) claims.driving_licence = user.drivingLicence;
  if (user.aadhaar !== null) claims.masked_aadhaar = maskAadhaar(user.aadhaar);
  return claims;
}

function revoke(req: SandboxRequest, ctx: SandboxContext): Reply {
  const form = formFields(req);
  // Spec, Revoke Token: "Authorization: Basic <client credentials>".
  const client = usedBasic(req) ? tokenClient(req, form, ctx) : null;
  if (!client) return errors.invalidClient();
  const token = form.token ?? "";
  if (token === "") return dlError(400, "invalid_request", "The token parameter is missing");
  const access = () => ctx.state.accessTokens.get(token)?.grantId;
  const refreshed = () => ctx.state.refreshTokens.get(token)?.grantId;
  // The hint only orders the lookup (spec: without it "DigiLocker will look for this token in both").
  const grantId = form.token_type_hint === "refresh_token" ? (refreshed() ?? access()) : (access() ?? refreshed());
  if (grantId !== undefined) {
    const grant = ctx.state.grants.get(grantId);
    // RFC 7009 §2.1: the token must have been issued to the client asking; "invalid_grant" per RFC 6749 §5.2.
    if (grant && grant.clientId !== client.id) return errors.invalidGrant("The token was issued to another client");
    revokeGrant(ctx, grantId);
  }
  // RFC 7009 §2.2: an unknown token is not an error. No body is documented; an empty JSON object is sent.
  return { status: 200, headers: { "content-type": "application/json" }, body: "{}" };
}

function logout(req: SandboxRequest, ctx: SandboxContext): Reply {
  const session = readSession(ctx.keys, req.cookies[SESSION_COOKIE]);
  const client = (session === null ? undefined : ctx.state.clients.get(session.clientId)) ?? ctx.state.clients.get(ctx.settings.clientId);
  const cleared = { "set-cookie": clearCookie(SESSION_COOKIE) };
  const target = client?.redirectUris[0];
  if (target === undefined) return errorPageReply(200, "Signed out", "You are signed out of the DigiLocker sandbox.", undefined, cleared);
  // Spec, Revoke Session: back to the client's redirect link "with error=user_loggedout&error_description=user".
  return redirect(withParams(target, { error: "user_loggedout", error_description: "user" }), cleared);
}

export const oauthRoutes: Route[] = [
  // The authorize and logout pages are web pages, not API calls: no endpoint id, so no fault injection.
  { method: "GET", pattern: "/public/oauth2/1/authorize", handler: authorizeGet },
  { method: "POST", pattern: "/public/oauth2/1/authorize", handler: authorizePost },
  { method: "POST", pattern: "/public/oauth2/1/token", endpoint: "oauth.tokenV1", handler: tokenEndpoint(1) },
  { method: "POST", pattern: "/public/oauth2/2/token", endpoint: "oauth.tokenV2", handler: tokenEndpoint(2) },
  { method: "POST", pattern: "/public/oauth2/1/revoke", endpoint: "oauth.revoke", handler: revoke },
  { method: "GET", pattern: "/signin/logout/Y", handler: logout },
];
