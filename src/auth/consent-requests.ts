// Consent requests, the partner-backend flow (as Setu's and infopass's DigiLocker APIs): a partner creates one,
// sends its user to `url`, and reads the status and the user's documents by id with its key. The request is a row
// in the database, owned by its partner (consent-request-rows.ts); the tokens stay in the request's session, in
// the Store. The row never holds the session id: it holds `sessionRef`, and the Store keeps, sealed under the
// request's id and that ref (namespace "consent"), which session it is, for as long as the session can live.
import { randomBytes, randomUUID } from "node:crypto";
import type { Vault } from "../store/index.js";
import type { ConsentError, ConsentRequestRecord, ConsentRequestRows, StoredConsentStatus } from "./consent-request-rows.js";
import { consentSessionLink, type AuthorizeOptions } from "./records.js";
import { describeFailure, type WarnLog } from "./revoke.js";
import type { NewSession, Sessions } from "./sessions.js";

/** The memory store's partition for it is sized by MEMORY_STORE_MAX_CONSENT_REQUESTS. */
const LINK_NAMESPACE = "consent";

export type { ConsentRequestRecord };
export type ConsentRequestStatus = StoredConsentStatus | "EXPIRED";

/** A consent request as a reader sees it: the row with its status worked out at read time. */
export interface ConsentRequestView {
  record: ConsentRequestRecord;
  status: ConsentRequestStatus;
  /** Until the user consents: when the link dies; after: when the access ends. */
  validUntil: number;
  /** `${publicOrigin}/auth/consent/${link}`: never the id. */
  url: string;
  /** The live session it reads through, while AUTHENTICATED; stays inside the gateway. */
  sessionId: string | null;
}

export interface ConsentRequestsDeps {
  rows: ConsentRequestRows;
  vault: Vault;
  sessions: Sessions;
  now: () => number;
  linkTtlMs: number;
  /** The gateway's public origin: a request's url is on it. */
  publicOrigin: string;
  log: WarnLog;
}

export class ConsentRequests {
  readonly #deps: ConsentRequestsDeps;

  constructor(deps: ConsentRequestsDeps) {
    this.#deps = deps;
  }

  /** A new UNAUTHENTICATED request of `partnerId` (null: development mode, no key). */
  async create(input: { redirectUrl: string; partnerId: string | null; authorize: AuthorizeOptions }): Promise<ConsentRequestView> {
    const now = this.#deps.now();
    const record = await this.#deps.rows.insert({
      id: randomUUID(),
      link: randomBytes(32).toString("base64url"),
      partnerId: input.partnerId,
      redirectUrl: input.redirectUrl,
      authorize: input.authorize,
      createdAt: now,
      linkValidUntil: now + this.#deps.linkTtlMs,
    });
    // A new request has no session to read: nothing here logs.
    return this.#view(record, this.#deps.log);
  }

  /** The request if `partnerId` owns it; another partner's id reads as one that does not exist. */
  async get(id: string, partnerId: string | null, log: WarnLog = this.#deps.log): Promise<ConsentRequestView | null> {
    const record = await this.#deps.rows.find(id, partnerId);
    return record === null ? null : this.#view(record, log);
  }

  /**
   * Ends access, if `partnerId` owns it: REVOKED, the link stops working, and the session (if the user consented)
   * ends, its tokens revoked at DigiLocker. Null when not found. Repeating it is harmless, and finishes a revocation
   * whose session could not be ended the first time (the Store down).
   */
  async revoke(id: string, partnerId: string | null, log: WarnLog = this.#deps.log): Promise<ConsentRequestView | null> {
    const record = await this.#deps.rows.markRevoked(id, partnerId, this.#deps.now());
    if (record === null) return null;
    if (record.sessionRef !== null) {
      const key = linkKey(record.id, record.sessionRef);
      const link = await this.#deps.vault.get(LINK_NAMESPACE, key, consentSessionLink);
      if (link !== null) {
        await this.#deps.sessions.end(link.sessionId, log);
        await this.#deps.vault.delete(LINK_NAMESPACE, key);
      }
    }
    return this.#view(record, log);
  }

  /** GET /auth/consent/<link>: the request the browser's link opens, or null (unknown or malformed). */
  async byLink(link: string, log: WarnLog = this.#deps.log): Promise<ConsentRequestView | null> {
    const record = await this.#deps.rows.findByLink(link);
    return record === null ? null : this.#view(record, log);
  }

  /** For the callback, whose sign-in state names the request: whoever owns it. */
  async forSignIn(id: string, log: WarnLog = this.#deps.log): Promise<ConsentRequestView | null> {
    const record = await this.#deps.rows.findById(id);
    return record === null ? null : this.#view(record, log);
  }

  /**
   * The user consented and `session` holds the tokens: the request becomes AUTHENTICATED if it still may (neither
   * revoked nor expired, nor completed by another browser meanwhile). False when it may not: the session is then
   * ended, its tokens revoked at DigiLocker. The Store record naming the session is written first, so a request
   * that reads AUTHENTICATED always finds its session, and a revocation racing this one always finds what to end.
   */
  async complete(id: string, session: NewSession, log: WarnLog = this.#deps.log): Promise<boolean> {
    const { vault, rows, now } = this.#deps;
    const at = now();
    const ref = randomBytes(16).toString("base64url");
    const key = linkKey(id, ref);
    let record: ConsentRequestRecord | null;
    try {
      await vault.set(LINK_NAMESPACE, key, { sessionId: session.id }, Math.max(1, session.record.endsAt - at));
      record = await rows.markAuthenticated(id, { sessionRef: ref, at, accessUntil: session.record.endsAt });
    } catch (error) {
      await this.#discard(key, session.id, log);
      throw error;
    }
    if (record !== null) return true;
    await this.#discard(key, session.id, log);
    return false;
  }

  /** The user denied consent or the sign-in failed: lastError, if still UNAUTHENTICATED. The row; null when unknown. */
  failed(id: string, error: ConsentError): Promise<ConsentRequestRecord | null> {
    return this.#deps.rows.recordFailure(id, error, this.#deps.now());
  }

  /** Whether the request was revoked (a download link made through its session says so when it dies). */
  revoked(id: string): Promise<boolean> {
    return this.#deps.rows.isRevoked(id);
  }

  async #view(record: ConsentRequestRecord, log: WarnLog): Promise<ConsentRequestView> {
    const now = this.#deps.now();
    const url = `${this.#deps.publicOrigin}/auth/consent/${record.link}`;
    const base = { record, url, sessionId: null };
    if (record.status === "REVOKED") return { ...base, status: "REVOKED", validUntil: record.revokedAt ?? record.updatedAt };
    if (record.status === "AUTHENTICATED") {
      const sessionId = await this.#sessionOf(record);
      const session = sessionId === null ? null : await this.#deps.sessions.get(sessionId, log);
      // No live session (it expired, its refresh was refused, or DigiLocker refused its token): the access is over.
      if (sessionId === null || session === null) return { ...base, status: "EXPIRED", validUntil: Math.min(record.accessUntil ?? now, now) };
      return { ...base, status: "AUTHENTICATED", validUntil: session.endsAt, sessionId };
    }
    return { ...base, status: record.linkValidUntil > now ? "UNAUTHENTICATED" : "EXPIRED", validUntil: record.linkValidUntil };
  }

  async #sessionOf(record: ConsentRequestRecord): Promise<string | null> {
    if (record.sessionRef === null) return null;
    const link = await this.#deps.vault.get(LINK_NAMESPACE, linkKey(record.id, record.sessionRef), consentSessionLink);
    return link?.sessionId ?? null;
  }

  /** A consent that did not take: its session ends (tokens revoked) and its Store record goes. Best effort, logged. */
  async #discard(key: string, sessionId: string, log: WarnLog): Promise<void> {
    try {
      await this.#deps.sessions.end(sessionId, log);
      await this.#deps.vault.delete(LINK_NAMESPACE, key);
    } catch (failure) {
      log.warn(describeFailure(failure), "could not end the session of a consent that did not take; it ends at its expiry");
    }
  }
}

/** The Store id of a request's session record: its id and its row's session_ref (the Vault keys it by an HMAC). */
function linkKey(id: string, ref: string): string {
  return `${id}.${ref}`;
}
