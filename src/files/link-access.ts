// Whose DigiLocker access an opened download link uses, checked each time it is opened: a link dies with the
// session it was made in (signed out, expired, refresh refused), with the consent request behind that session
// (revoked), or with its bearer token (DigiLocker refusing it, found when the file is asked for).
import type { ConsentRequests } from "../auth/consent-requests.js";
import type { TenantRef } from "../auth/records.js";
import type { WarnLog } from "../auth/revoke.js";
import { SessionEndedError, type Sessions } from "../auth/sessions.js";
import { refusal, type LinkRefusal, type OpenedLink } from "./download-links.js";

/** `tenant`: whose DigiLocker client the token was issued to (docs/tenants.md); null: the gateway's. */
export type LinkAccess =
  | { kind: "session"; sessionId: string; token: string; tenant: TenantRef | null }
  | { kind: "bearer"; token: string; tenant: TenantRef | null };

export interface LinkAccessDeps {
  sessions: Sessions;
  consentRequests: ConsentRequests;
}

/**
 * A usable DigiLocker token for the link's binding (a session's is refreshed first when about to expire), or
 * session_ended / consent_revoked. Rejects only when the store fails.
 */
export async function accessFor(deps: LinkAccessDeps, binding: OpenedLink["binding"], log?: WarnLog): Promise<LinkAccess | LinkRefusal> {
  if (binding.kind === "bearer") return { kind: "bearer", token: binding.token, tenant: binding.tenant };
  const { sessionId, consentRequestId } = binding;
  const session = await deps.sessions.get(sessionId, log);
  if (session === null) {
    // Revoking a consent request ends its session: say which, so a partner knows a new sign-in will not do.
    if (consentRequestId !== null && (await deps.consentRequests.revoked(consentRequestId))) return refusal("consent_revoked");
    return refusal("session_ended");
  }
  try {
    return { kind: "session", sessionId, token: await deps.sessions.accessToken(sessionId, session, log), tenant: session.tenant };
  } catch (error) {
    if (error instanceof SessionEndedError) return refusal("session_ended");
    throw error;
  }
}
