// Whose DigiLocker data a part of a query reads: a bearer token sent by a server caller, or a session (the
// browser's cookie, a consent request's). Resolvers never hold tokens; they ask the access for one.
import type { InvalidTokenError } from "../digilocker/index.js";
import type { LinkBinding } from "../files/download-links.js";
import type { VerifiedIdentity } from "./id-token.js";
import type { SessionRecord, TenantRef } from "./records.js";
import type { WarnLog } from "./revoke.js";
import { SessionEndedError, type Sessions } from "./sessions.js";

export interface UserAccess {
  readonly kind: "bearer" | "session";
  /** A usable access token; a session refreshes it first when it is about to expire. */
  token(): Promise<string>;
  /** The live session behind it; null for a bearer token. */
  session(): Promise<SessionRecord | null>;
  /** The id_token's verified claims, when the sign-in returned one. */
  identity(): Promise<VerifiedIdentity | null>;
  /**
   * DigiLocker answered `invalid_token` for `token` (revoked there, or expired early). From then on, for the rest of
   * the request, every method above rejects with that answer at once: no DigiLocker call, no cache read. A session
   * holding the token is ended (Sessions.endRefused); this resolves once it is.
   */
  refused(token: string, error: InvalidTokenError): Promise<void>;
  /**
   * Whose DigiLocker client the token was issued to, known once token() has resolved (docs/tenants.md): a session's
   * as its record says (null: the gateway's), or "caller" for a bearer token, which belongs to whoever sends it (the
   * partner of the request's API key, else the gateway). Calls with the token go through that client: it checks the
   * files' HMACs with its secret, and refreshes and revokes with its credentials.
   */
  readonly tenant: TenantRef | null | "caller";
  /**
   * Whom a download link made now acts for (src/files/download-links.ts): this bearer token, or this session (a
   * browser's, or a consent request's) so that the link dies with it. Kept server-side, never put in the link.
   * `caller`: the client serving the request (a bearer link streams through it); a session's link reads its own.
   */
  linkBinding(caller: TenantRef | null): Promise<LinkBinding>;
  /** DigiLocker's refusal that ended this access during the request; null while it lives. */
  readonly refusal: InvalidTokenError | null;
}

export function bearerAccess(token: string): UserAccess {
  const resolved = Promise.resolve(token);
  let refusal: InvalidTokenError | null = null;
  return {
    kind: "bearer",
    token: () => (refusal === null ? resolved : Promise.reject(refusal)),
    session: () => (refusal === null ? Promise.resolve(null) : Promise.reject(refusal)),
    identity: () => (refusal === null ? Promise.resolve(null) : Promise.reject(refusal)),
    refused: (_token, error) => {
      refusal ??= error;
      return Promise.resolve();
    },
    tenant: "caller",
    linkBinding: (caller) => (refusal === null ? Promise.resolve({ kind: "bearer", token, tenant: caller }) : Promise.reject(refusal)),
    get refusal() {
      return refusal;
    },
  };
}

/**
 * Reads the session at most once per access (one store read per request), and refreshes at most once. `log`: the
 * request's (its id on what the sessions log for it).
 */
export function sessionAccess(sessions: Sessions, sessionId: string, log?: WarnLog): UserAccess {
  let record: Promise<SessionRecord | null> | undefined;
  let token: Promise<string> | undefined;
  let refusal: InvalidTokenError | null = null;
  let ending: Promise<void> | undefined;
  let tenant: TenantRef | null | undefined;
  const session = () => (record ??= sessions.get(sessionId, log));
  return {
    kind: "session",
    session: () => (refusal === null ? session() : Promise.reject(refusal)),
    token: () =>
      refusal === null
        ? (token ??= session().then((found) => {
            tenant = found?.tenant ?? null;
            return sessions.accessToken(sessionId, found, log);
          }))
        : Promise.reject(refusal),
    get tenant() {
      if (tenant === undefined) throw new Error("a session's tenant is known once its token has been read");
      return tenant;
    },
    identity: async () => {
      if (refusal !== null) throw refusal;
      const found = await session();
      if (found === null) throw new SessionEndedError("session_expired");
      return found.identity;
    },
    linkBinding: async () => {
      if (refusal !== null) throw refusal;
      const found = await session();
      if (found === null) throw new SessionEndedError("session_expired");
      return { kind: "session", sessionId, consentRequestId: found.consentRequestId };
    },
    refused: (refusedToken, error) => {
      refusal ??= error;
      // Once, however many of the request's calls were refused together.
      return (ending ??= sessions.endRefused(sessionId, refusedToken, log).then(() => undefined));
    },
    get refusal() {
      return refusal;
    },
  };
}
