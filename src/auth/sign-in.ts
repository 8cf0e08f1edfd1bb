// The OAuth authorization code flow with PKCE and state (spec: Get Authorization Code, Get Access Token),
// owned by the gateway: it makes the state and verifier, keeps them server-side for one use, exchanges the
// code at its own callback and ends with a session. Both flows (a browser's, a consent request's) go through it.
// Every sign-in is bound to the browser that started it (login CSRF, RFC 9700 4.7): it starts only in a top-level
// navigation to a gateway URL, which sets the binding cookie, and the callback refuses a browser without it. A
// consent request of a partner with its own DigiLocker credentials (docs/tenants.md) signs in with the partner's
// client: the state records which, and the callback exchanges the code with that client only.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { createPkcePair, type DigiLockerClient, type TokenSet } from "../digilocker/index.js";
import type { Vault } from "../store/index.js";
import type { ConsentRequests, ConsentRequestView } from "./consent-requests.js";
import type { IdTokenVerifier, VerifiedIdentity } from "./id-token.js";
import { pendingSignIn, signInTicket, type AuthorizeOptions, type PendingSignIn, type SignInTicket, type TenantRef } from "./records.js";
import type { RedirectPolicy } from "./redirects.js";
import { describeFailure, revokeTokens, type WarnLog } from "./revoke.js";
import type { NewSession, Sessions } from "./sessions.js";
import { sameTenant, tenantRef, type HeldTenant, type TenantSource } from "./tenant-source.js";

const NAMESPACE = "signin";
/** startSignIn's tickets share the sign-in states' namespace (and the store's capacity for them). */
const TICKET_PREFIX = "ticket:";

export interface SignInDeps {
  vault: Vault;
  /** The gateway's own client: browsers' sign-ins. */
  client: DigiLockerClient;
  /** Consent requests' partners' clients (docs/tenants.md), and the client a callback exchanges its code with. */
  tenants: TenantSource;
  sessions: Sessions;
  consentRequests: ConsentRequests;
  idTokens: IdTokenVerifier;
  redirects: RedirectPolicy;
  tokenEndpoint: "openid" | "v1";
  signInTtlMs: number;
  postLogoutUrl: string;
  now: () => number;
  log: WarnLog;
}

export interface StartedSignIn {
  authorizationUrl: string;
  expiresAt: number;
}

/** startSignIn's answer: a gateway URL that starts the sign-in in the browser that opens it. */
export interface PreparedSignIn {
  startUrl: string;
  expiresAt: number;
}

/** What the callback tells the browser; src/server/auth-routes.ts turns it into a response. */
export type CallbackOutcome =
  /** A browser sign-in succeeded: set the session cookie, go back (the session it replaced has ended). */
  | { kind: "signed_in"; location: string; sessionId: string; maxAgeSeconds: number }
  /** Anything else that can go somewhere safe: returnTo or a consent request's redirectUrl, with the outcome in the query. */
  | { kind: "redirect"; location: string }
  /** No state we know: there is nowhere safe to send the browser, so a page says what happened. */
  | { kind: "invalid"; message: string };

/** Error codes a returnTo or redirectUrl can receive; never DigiLocker's own text. */
export type SignInErrorCode = "access_denied" | "sign_in_failed" | "id_token_invalid" | "consent_request_closed";

const errorMessages: Record<SignInErrorCode, string> = {
  access_denied: "The user did not give consent on DigiLocker",
  sign_in_failed: "DigiLocker sign-in could not be completed; start again",
  id_token_invalid: "DigiLocker's identity token failed verification",
  consent_request_closed: "The consent request was revoked or expired before the user finished",
};

export class SignIn {
  readonly #deps: SignInDeps;

  constructor(deps: SignInDeps) {
    this.#deps = deps;
  }

  /**
   * A DigiLocker authorization URL for a browser (returnTo) or a consent request, valid for one use until expiresAt,
   * bound to `browserBinding` (the value of the browser's binding cookie): only a top-level navigation may call this.
   * A browser's sign-in is the gateway's own client's. A consent request's is its partner's, when the partner has its
   * own credentials (docs/tenants.md): its client id and its registered redirect URI, which is this gateway's callback.
   */
  async start(
    options: AuthorizeOptions,
    target: { returnTo: URL } | { consentRequestId: string; partnerId: string | null },
    browserBinding: string,
  ): Promise<StartedSignIn> {
    if ("returnTo" in target) return this.#start(options, { returnTo: target.returnTo, consentRequestId: null }, this.#deps.client, null, browserBinding);
    const held = await this.#deps.tenants.clientFor(target.partnerId);
    try {
      return await this.#start(options, { returnTo: null, consentRequestId: target.consentRequestId }, held.client, held.identity, browserBinding);
    } finally {
      held.release();
    }
  }

  async #start(
    options: AuthorizeOptions,
    target: { returnTo: URL | null; consentRequestId: string | null },
    client: DigiLockerClient,
    tenant: HeldTenant["identity"],
    browserBinding: string,
  ): Promise<StartedSignIn> {
    const { redirects, vault, now, signInTtlMs } = this.#deps;
    const { returnTo } = target;
    const redirectUri = tenant?.redirectUri ?? redirects.callbackUrl(returnTo);
    const state = randomBytes(32).toString("base64url");
    const pkce = createPkcePair();
    const authorizationUrl = client.oauth.authorizationUrl({
      redirectUri,
      state,
      codeChallenge: pkce.challenge,
      signup: options.signup,
      acr: options.acr ?? undefined,
      reqDocTypes: options.requestedDocTypes ?? undefined,
      purpose: options.purpose ?? undefined,
      consentValidTill: options.consentValidTill === null ? undefined : new Date(options.consentValidTill),
    });
    const expiresAt = now() + signInTtlMs;
    const pending: PendingSignIn = {
      redirectUri,
      codeVerifier: pkce.verifier,
      returnTo: returnTo?.toString() ?? null,
      consentRequestId: target.consentRequestId,
      tenant: tenantRef(tenant),
      browserBinding: bindingDigest(browserBinding),
      expiresAt,
    };
    await vault.set(NAMESPACE, state, pending, signInTtlMs);
    return { authorizationUrl, expiresAt };
  }

  /**
   * startSignIn: keeps what to start under a single-use ticket and answers a gateway URL for it, on the origin the
   * callback will use (so the binding cookie is set where the callback reads it). A GraphQL response cannot set a
   * cookie the callback would see (a cross-site fetch, third-party cookie rules), a top-level navigation can.
   */
  async prepare(options: AuthorizeOptions, returnTo: URL): Promise<PreparedSignIn> {
    const { redirects, vault, now, signInTtlMs } = this.#deps;
    const ticket = randomBytes(32).toString("base64url");
    const expiresAt = now() + signInTtlMs;
    const record: SignInTicket = { authorize: options, returnTo: returnTo.toString(), expiresAt };
    await vault.set(NAMESPACE, TICKET_PREFIX + ticket, record, signInTtlMs);
    return { startUrl: new URL(`/auth/start/${ticket}`, redirects.callbackUrl(returnTo)).toString(), expiresAt };
  }

  /** GET /auth/start/<ticket>: the ticket, taken (single use); null when unknown, used or expired. */
  async redeem(ticket: string): Promise<{ options: AuthorizeOptions; returnTo: URL } | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(ticket)) return null;
    const record = await this.#deps.vault.take(NAMESPACE, TICKET_PREFIX + ticket, signInTicket);
    if (record === null || record.expiresAt <= this.#deps.now()) return null;
    return { options: record.authorize, returnTo: new URL(record.returnTo) };
  }

  /**
   * GET /auth/callback: DigiLocker's redirect after sign-in and consent, or after its logout page. `browser` is what
   * the browser's cookies hold: its binding (null without one) and the session a browser sign-in replaces.
   */
  async complete(query: URLSearchParams, browser: { binding: string | null; sessionId: string | null }, log: WarnLog = this.#deps.log): Promise<CallbackOutcome> {
    const state = query.get("state");
    const error = query.get("error");
    if (state === null || state === "") {
      // Spec, Revoke Session: DigiLocker's logout comes back with error=user_loggedout and no state.
      if (error === "user_loggedout") return { kind: "redirect", location: this.#deps.postLogoutUrl };
      return { kind: "invalid", message: "This sign-in answer carries no state: start signing in again from the application." };
    }
    const { vault } = this.#deps;
    const found = await vault.get(NAMESPACE, state, pendingSignIn);
    if (found === null || found.expiresAt <= this.#deps.now()) {
      return { kind: "invalid", message: "This sign-in has expired or was already completed: start again from the application." };
    }
    // Checked before the state is used up: a link opened in the wrong browser cannot spend the right one's sign-in.
    if (browser.binding === null || !sameDigest(bindingDigest(browser.binding), found.browserBinding)) {
      return {
        kind: "invalid",
        message:
          "This sign-in was started in another browser, or this browser's cookies were cleared: start signing in again here. (A link to this page sent by someone else cannot sign you in.)",
      };
    }
    const pending = await vault.take(NAMESPACE, state, pendingSignIn);
    if (pending === null) {
      return { kind: "invalid", message: "This sign-in has expired or was already completed: start again from the application." };
    }
    if (error !== null) return this.#fail(pending, error === "access_denied" ? "access_denied" : "sign_in_failed");
    const code = query.get("code");
    if (code === null || code === "") return this.#fail(pending, "sign_in_failed");

    // The client the authorization URL named: the code was issued to it, and only it can exchange the code.
    let held: HeldTenant;
    try {
      held = await this.#deps.tenants.clientFor(pending.tenant?.partnerId ?? null);
    } catch (failure) {
      log.warn({ partner: pending.tenant?.partnerId, ...describeFailure(failure) }, "the partner's DigiLocker client is unavailable: the code was not exchanged");
      return this.#fail(pending, "sign_in_failed");
    }
    try {
      if (!sameTenant(pending.tenant, held.identity)) {
        log.warn({ partner: pending.tenant?.partnerId }, "the partner's DigiLocker client id changed during the sign-in: the code was not exchanged");
        return await this.#fail(pending, "sign_in_failed");
      }
      return await this.#exchange(pending, code, held, browser, log);
    } finally {
      held.release();
    }
  }

  async #exchange(pending: PendingSignIn, code: string, held: HeldTenant, browser: { sessionId: string | null }, log: WarnLog): Promise<CallbackOutcome> {
    const { client } = held;
    const tokenEndpoint = held.identity?.tokenEndpoint ?? this.#deps.tokenEndpoint;
    let tokens: TokenSet;
    try {
      tokens = await client.oauth.exchangeCode({
        code,
        redirectUri: pending.redirectUri,
        codeVerifier: pending.codeVerifier,
        version: tokenEndpoint === "v1" ? 1 : 2,
      });
    } catch (failure) {
      log.warn(describeFailure(failure), "DigiLocker refused the authorization code");
      return this.#fail(pending, "sign_in_failed");
    }
    let identity: VerifiedIdentity | null = null;
    if (tokens.idToken !== null) {
      try {
        // Issued to the client that exchanged the code: a partner's client id is its audience.
        identity = await this.#deps.idTokens.verify(tokens.idToken, client.settings.clientId);
      } catch (failure) {
        log.warn(describeFailure(failure), "DigiLocker's id_token failed verification; its tokens are revoked");
        await revokeTokens(client, log, tokens);
        return this.#fail(pending, "id_token_invalid");
      }
    }
    if (pending.consentRequestId !== null) return this.#completeConsent(pending.consentRequestId, pending.tenant, tokens, identity, client, log);
    // A new sign-in in a browser ends the session it replaces (its tokens revoked at DigiLocker).
    if (browser.sessionId !== null) await this.#deps.sessions.end(browser.sessionId, log);
    const session = await this.#deps.sessions.create(tokens, identity, null, pending.tenant);
    return { kind: "signed_in", location: pending.returnTo ?? this.#deps.redirects.signedOutPage(), sessionId: session.id, maxAgeSeconds: (session.record.endsAt - this.#deps.now()) / 1000 };
  }

  async #completeConsent(id: string, tenant: TenantRef | null, tokens: TokenSet, identity: VerifiedIdentity | null, client: DigiLockerClient, log: WarnLog): Promise<CallbackOutcome> {
    const { consentRequests, sessions } = this.#deps;
    // Tokens the gateway will not use are revoked, not left alive at DigiLocker.
    const discard = () => revokeTokens(client, log, tokens);
    let request: ConsentRequestView | null;
    try {
      request = await consentRequests.forSignIn(id, log);
    } catch (error) {
      // The database down.
      await discard();
      throw error;
    }
    // The state named the request and its partner's client when it was made: they must still go together.
    if (request === null || (tenant !== null && request.record.partnerId !== tenant.partnerId)) {
      await discard();
      return { kind: "invalid", message: "This consent request no longer exists: ask the application for a new link." };
    }
    if (request.status !== "UNAUTHENTICATED") {
      await discard();
      return { kind: "redirect", location: consentRedirect(request.record.redirectUrl, id, "consent_request_closed") };
    }
    let session: NewSession;
    try {
      session = await sessions.create(tokens, identity, id, tenant);
    } catch (error) {
      await discard();
      throw error;
    }
    // Revoked, expired or completed in another browser since it was read above: complete() has ended the session.
    if (!(await consentRequests.complete(id, session, log))) {
      return { kind: "redirect", location: consentRedirect(request.record.redirectUrl, id, "consent_request_closed") };
    }
    return { kind: "redirect", location: consentRedirect(request.record.redirectUrl, id, null) };
  }

  async #fail(pending: PendingSignIn, code: SignInErrorCode): Promise<CallbackOutcome> {
    if (pending.consentRequestId !== null) {
      const record = await this.#deps.consentRequests.failed(pending.consentRequestId, { code, message: errorMessages[code] });
      if (record === null) return { kind: "invalid", message: "This consent request no longer exists: ask the application for a new link." };
      return { kind: "redirect", location: consentRedirect(record.redirectUrl, record.id, code) };
    }
    const location = new URL(pending.returnTo ?? this.#deps.redirects.signedOutPage());
    location.searchParams.set("error", code);
    location.searchParams.set("error_description", errorMessages[code]);
    return { kind: "redirect", location: location.toString() };
  }
}

/** What the pending sign-in keeps of the binding cookie: its SHA-256, so a store dump cannot forge the cookie. */
function bindingDigest(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}

function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Setu's contract: `redirectUrl?success=true&id=…`, or `success=false&id=…&errCode=…&errMessage=…`; the partner's own
 * query parameters are kept. The id may travel here (to the partner's own origin): reading it needs the partner's key.
 */
export function consentRedirect(redirectUrl: string, id: string, error: SignInErrorCode | null): string {
  const url = new URL(redirectUrl);
  url.searchParams.set("success", error === null ? "true" : "false");
  url.searchParams.set("id", id);
  if (error !== null) {
    url.searchParams.set("errCode", error);
    url.searchParams.set("errMessage", errorMessages[error]);
  }
  return url.toString();
}
