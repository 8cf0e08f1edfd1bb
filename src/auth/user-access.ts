// Whose DigiLocker data a part of a query reads: a bearer token sent by a server caller, or a session (the
// browser's cookie, a consent request's). Resolvers never hold tokens; they ask the access for one.
import type { VerifiedIdentity } from "./id-token.js";
import type { SessionRecord } from "./records.js";
import { SessionEndedError, type Sessions } from "./sessions.js";

export interface UserAccess {
  readonly kind: "bearer" | "session";
  /** A usable access token; a session refreshes it first when it is about to expire. */
  token(): Promise<string>;
  /** The live session behind it; null for a bearer token. */
  session(): Promise<SessionRecord | null>;
  /** The id_token's verified claims, when the sign-in returned one. */
  identity(): Promise<VerifiedIdentity | null>;
}

export function bearerAccess(token: string): UserAccess {
  const resolved = Promise.resolve(token);
  return {
    kind: "bearer",
    token: () => resolved,
    session: () => Promise.resolve(null),
    identity: () => Promise.resolve(null),
  };
}

/** Reads the session at most once per access (one store read per request), and refreshes at most once. */
export function sessionAccess(sessions: Sessions, sessionId: string): UserAccess {
  let record: Promise<SessionRecord | null> | undefined;
  let token: Promise<string> | undefined;
  const session = () => (record ??= sessions.get(sessionId));
  return {
    kind: "session",
    session,
    token: () => (token ??= session().then((found) => sessions.accessToken(sessionId, found))),
    identity: async () => {
      const found = await session();
      if (found === null) throw new SessionEndedError("session_expired");
      return found.identity;
    },
  };
}
