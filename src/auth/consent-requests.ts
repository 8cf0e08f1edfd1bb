// Consent requests, the partner-backend flow (as Setu's and infopass's DigiLocker APIs): a partner creates one,
// sends its user to `url`, and reads the status and the user's documents by id. The tokens stay in the
// request's session, never with the partner.
import { randomUUID } from "node:crypto";
import type { Vault } from "../store/index.js";
import { consentRequestRecord, type AuthorizeOptions, type ConsentRequestRecord } from "./records.js";
import type { Sessions } from "./sessions.js";

const NAMESPACE = "consent";
/** How long an ended request can still be read (as EXPIRED or REVOKED) before it is gone. */
const RETAIN_AFTER_END_MS = 24 * 3_600_000;

export type ConsentRequestStatus = "UNAUTHENTICATED" | "AUTHENTICATED" | "REVOKED" | "EXPIRED";

/** A consent request as a reader sees it: the stored record with its status worked out at read time. */
export interface ConsentRequestView {
  record: ConsentRequestRecord;
  status: ConsentRequestStatus;
  /** Until the user consents: when the link dies; after: when the access ends. */
  validUntil: number;
  url: string;
}

export interface ConsentRequestsDeps {
  vault: Vault;
  sessions: Sessions;
  now: () => number;
  linkTtlMs: number;
  /** The gateway's public origin: a request's url is `${origin}/auth/consent/${id}`. */
  publicOrigin: string;
}

export class ConsentRequests {
  readonly #deps: ConsentRequestsDeps;

  constructor(deps: ConsentRequestsDeps) {
    this.#deps = deps;
  }

  async create(input: { redirectUrl: string; partner: string | null; authorize: AuthorizeOptions }): Promise<ConsentRequestView> {
    const now = this.#deps.now();
    const record: ConsentRequestRecord = {
      id: randomUUID(),
      partner: input.partner,
      redirectUrl: input.redirectUrl,
      authorize: input.authorize,
      createdAt: now,
      linkValidUntil: now + this.#deps.linkTtlMs,
      status: "UNAUTHENTICATED",
      sessionId: null,
      authenticatedAt: null,
      accessUntil: null,
      revokedAt: null,
      lastError: null,
    };
    await this.#save(record, record.linkValidUntil);
    return this.#view(record, null);
  }

  async get(id: string): Promise<ConsentRequestView | null> {
    const record = await this.#read(id);
    if (record === null) return null;
    const sessionEnd = record.sessionId === null ? null : ((await this.#deps.sessions.get(record.sessionId))?.endsAt ?? null);
    return this.#view(record, sessionEnd);
  }

  /** The user consented: the request now reads the session's data. */
  async authenticated(id: string, sessionId: string, sessionEndsAt: number): Promise<ConsentRequestRecord | null> {
    const record = await this.#read(id);
    if (record === null) return null;
    const next: ConsentRequestRecord = { ...record, status: "AUTHENTICATED", sessionId, authenticatedAt: this.#deps.now(), accessUntil: sessionEndsAt, lastError: null };
    await this.#save(next, sessionEndsAt);
    return next;
  }

  /** The user denied consent or the sign-in failed: kept UNAUTHENTICATED (the user may try the link again). */
  async failed(id: string, error: { code: string; message: string }): Promise<ConsentRequestRecord | null> {
    const record = await this.#read(id);
    if (record === null) return null;
    const next = { ...record, lastError: error };
    await this.#save(next, record.linkValidUntil);
    return next;
  }

  /** Ends access: the session's tokens are revoked at DigiLocker and the link stops working. Null when unknown. */
  async revoke(id: string): Promise<ConsentRequestView | null> {
    const record = await this.#read(id);
    if (record === null) return null;
    if (record.sessionId !== null) await this.#deps.sessions.end(record.sessionId);
    const next: ConsentRequestRecord = { ...record, status: "REVOKED", revokedAt: record.revokedAt ?? this.#deps.now() };
    await this.#save(next, this.#deps.now());
    return this.#view(next, null);
  }

  #view(record: ConsentRequestRecord, sessionEndsAt: number | null): ConsentRequestView {
    const now = this.#deps.now();
    const url = `${this.#deps.publicOrigin}/auth/consent/${record.id}`;
    if (record.status === "REVOKED") return { record, status: "REVOKED", validUntil: record.revokedAt ?? now, url };
    if (record.status === "AUTHENTICATED") {
      // No live session (it expired, or its refresh was refused): the access is over.
      if (sessionEndsAt === null) return { record, status: "EXPIRED", validUntil: Math.min(record.accessUntil ?? now, now), url };
      return { record, status: "AUTHENTICATED", validUntil: sessionEndsAt, url };
    }
    return { record, status: record.linkValidUntil > now ? "UNAUTHENTICATED" : "EXPIRED", validUntil: record.linkValidUntil, url };
  }

  #read(id: string): Promise<ConsentRequestRecord | null> {
    return this.#deps.vault.get(NAMESPACE, id, consentRequestRecord);
  }

  /** Kept a day past `endsAt`, so a partner polling late still reads EXPIRED or REVOKED rather than nothing. */
  async #save(record: ConsentRequestRecord, endsAt: number): Promise<void> {
    await this.#deps.vault.set(NAMESPACE, record.id, record, Math.max(1, endsAt - this.#deps.now()) + RETAIN_AFTER_END_MS);
  }
}
