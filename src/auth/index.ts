// Sign-in as one bundle: sessions, the OAuth flow, consent requests and the redirect policy, over one store (and the
// database, where consent requests are kept).
import type { Kysely } from "kysely";
import type { UserData } from "../cache/user-data.js";
import type { Tables } from "../db/tables.js";
import type { DigiLockerClient } from "../digilocker/index.js";
import type { Vault } from "../store/index.js";
import { ConsentRequestRows } from "./consent-request-rows.js";
import { ConsentRequests } from "./consent-requests.js";
import { IdTokenVerifier } from "./id-token.js";
import { RedirectPolicy } from "./redirects.js";
import type { WarnLog } from "./revoke.js";
import { OpaqueCookie } from "./opaque-cookie.js";
import { Sessions } from "./sessions.js";
import { SignIn } from "./sign-in.js";
import type { TenantSource } from "./tenant-source.js";

export interface Auth {
  sessions: Sessions;
  signIn: SignIn;
  consentRequests: ConsentRequests;
  redirects: RedirectPolicy;
  /** The session cookie: an opaque session id. */
  cookie: OpaqueCookie;
  /** The sign-in binding cookie (sign-in.ts): set when a browser starts a sign-in, checked by the callback. */
  bindingCookie: OpaqueCookie;
  signInTtlSeconds: number;
}

export interface AuthSettings {
  publicUrl: string;
  allowedRedirectOrigins: readonly string[];
  postLogoutUrl: string | null;
  tokenEndpoint: "openid" | "v1";
  jwksUrl: string | null;
  idTokenIssuer: string;
  sessionMaxAgeSeconds: number;
  signInTtlSeconds: number;
  consentRequestTtlSeconds: number;
}

export interface AuthDeps {
  vault: Vault;
  /** The durable store: consent requests' rows. */
  db: Kysely<Tables>;
  /** The gateway's own client: browsers' sign-ins, and the id_token audience by default. */
  client: DigiLockerClient;
  /** Partners' own clients (docs/tenants.md): their consent requests' sign-ins and sessions; the gateway's for null. */
  tenants: TenantSource;
  userData: UserData;
  now: () => number;
  log: WarnLog;
}

export function createAuth(settings: AuthSettings, deps: AuthDeps): Auth {
  const { vault, client, tenants, now, log } = deps;
  const redirects = new RedirectPolicy(settings.publicUrl, settings.allowedRedirectOrigins);
  const sessions = new Sessions({ vault, tenants, userData: deps.userData, now, log, maxAgeMs: settings.sessionMaxAgeSeconds * 1000 });
  const consentRequests = new ConsentRequests({
    rows: new ConsentRequestRows(deps.db),
    vault,
    sessions,
    now,
    linkTtlMs: settings.consentRequestTtlSeconds * 1000,
    publicOrigin: redirects.origin,
    log,
  });
  const idTokens = new IdTokenVerifier({
    issuer: settings.idTokenIssuer,
    audience: client.settings.clientId,
    jwksUrl: settings.jwksUrl,
    now,
  });
  const signIn = new SignIn({
    vault,
    client,
    tenants,
    sessions,
    consentRequests,
    idTokens,
    redirects,
    tokenEndpoint: settings.tokenEndpoint,
    signInTtlMs: settings.signInTtlSeconds * 1000,
    postLogoutUrl: settings.postLogoutUrl ?? redirects.signedOutPage(),
    now,
    log,
  });
  return {
    sessions,
    signIn,
    consentRequests,
    redirects,
    cookie: new OpaqueCookie("dlg_session", redirects.secureCookies),
    bindingCookie: new OpaqueCookie("dlg_signin", redirects.secureCookies),
    signInTtlSeconds: settings.signInTtlSeconds,
  };
}
