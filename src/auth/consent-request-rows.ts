// Consent requests' rows (table consent_requests, migration 0002): the SQL and nothing of sessions or the Store.
// Each transition is one conditional UPDATE: two that race (a revocation and a completing callback) serialize on
// the row, and the one whose condition no longer holds changes nothing, so a request never reads AUTHENTICATED
// after REVOKED. Lookups a partner makes name the owner in the same statement (`partner_id is not distinct from`):
// another partner's id and an id that does not exist are the same query finding no row.
import { sql, type Kysely } from "kysely";
import { z } from "zod";
import type { ConsentRequestRow, ConsentRequestStatusColumn, Tables } from "../db/tables.js";
import { authorizeOptions, type AuthorizeOptions } from "./records.js";

export type StoredConsentStatus = ConsentRequestStatusColumn;

/** A row as the auth layer reads it. Times are epoch milliseconds. */
export interface ConsentRequestRecord {
  id: string;
  /** The value in the browser's URL (`/auth/consent/<link>`): it starts a sign-in and reads nothing. */
  link: string;
  /** Null: created in development mode, without a key. */
  partnerId: string | null;
  redirectUrl: string;
  authorize: AuthorizeOptions;
  status: StoredConsentStatus;
  lastError: ConsentError | null;
  /** Names the Store record holding the session id (consent-requests.ts); null until the user consents. */
  sessionRef: string | null;
  createdAt: number;
  linkValidUntil: number;
  authenticatedAt: number | null;
  /** The session's end as of consent; a refresh can only bring it closer. */
  accessUntil: number | null;
  revokedAt: number | null;
  updatedAt: number;
}

export interface ConsentError {
  code: string;
  message: string;
}

export interface NewConsentRequest {
  id: string;
  link: string;
  partnerId: string | null;
  redirectUrl: string;
  authorize: AuthorizeOptions;
  createdAt: number;
  linkValidUntil: number;
}

/** Ids as randomUUID writes them (PostgreSQL would refuse anything else in a uuid column with an error). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** 32 random bytes, base64url: consent-requests.ts makes them. */
const LINK = /^[A-Za-z0-9_-]{43}$/;

const consentError = z.object({ code: z.string(), message: z.string() });

export class ConsentRequestRows {
  readonly #db: Kysely<Tables>;

  constructor(db: Kysely<Tables>) {
    this.#db = db;
  }

  async insert(input: NewConsentRequest): Promise<ConsentRequestRecord> {
    const created = new Date(input.createdAt);
    const row = await this.#db
      .insertInto("consent_requests")
      .values({
        id: input.id,
        link: input.link,
        partner_id: input.partnerId,
        redirect_url: input.redirectUrl,
        authorize: JSON.stringify(input.authorize),
        status: "UNAUTHENTICATED",
        last_error: null,
        session_ref: null,
        created_at: created,
        link_valid_until: new Date(input.linkValidUntil),
        authenticated_at: null,
        access_until: null,
        revoked_at: null,
        updated_at: created,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  /** The request when `partnerId` owns it (null: a development-mode request, found only without a key). */
  async find(id: string, partnerId: string | null): Promise<ConsentRequestRecord | null> {
    if (!UUID.test(id)) return null;
    const row = await this.#db
      .selectFrom("consent_requests")
      .selectAll()
      .where("id", "=", id)
      .where("partner_id", "is not distinct from", partnerId)
      .executeTakeFirst();
    return row === undefined ? null : toRecord(row);
  }

  /** Whoever owns it: for the gateway's own use (the callback, whose sign-in state names the request). */
  async findById(id: string): Promise<ConsentRequestRecord | null> {
    if (!UUID.test(id)) return null;
    const row = await this.#db.selectFrom("consent_requests").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? null : toRecord(row);
  }

  /** The request a browser link opens; null for anything not shaped as a link, without asking the database. */
  async findByLink(link: string): Promise<ConsentRequestRecord | null> {
    if (!LINK.test(link)) return null;
    const row = await this.#db.selectFrom("consent_requests").selectAll().where("link", "=", link).executeTakeFirst();
    return row === undefined ? null : toRecord(row);
  }

  /**
   * The user consented: AUTHENTICATED, only if it is still UNAUTHENTICATED and its link alive at `at`. Null when
   * that no longer held (revoked, expired, or another browser's consent came first): nothing changed.
   */
  async markAuthenticated(id: string, change: { sessionRef: string; at: number; accessUntil: number }): Promise<ConsentRequestRecord | null> {
    if (!UUID.test(id)) return null;
    const at = new Date(change.at);
    const row = await this.#db
      .updateTable("consent_requests")
      .set({
        status: "AUTHENTICATED",
        session_ref: change.sessionRef,
        authenticated_at: at,
        access_until: new Date(change.accessUntil),
        last_error: null,
        updated_at: at,
      })
      .where("id", "=", id)
      .where("status", "=", "UNAUTHENTICATED")
      .where("link_valid_until", ">", at)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? null : toRecord(row);
  }

  /**
   * The user's attempt failed: `lastError` is set while the request is UNAUTHENTICATED (the user may try again);
   * a request that moved on meanwhile is left as it is. Either way the row is returned (null: no such id).
   */
  async recordFailure(id: string, error: ConsentError, at: number): Promise<ConsentRequestRecord | null> {
    if (!UUID.test(id)) return null;
    const open = sql<boolean>`status = 'UNAUTHENTICATED'`;
    const row = await this.#db
      .updateTable("consent_requests")
      .set({
        last_error: sql<string>`case when ${open} then ${JSON.stringify(error)}::jsonb else last_error end`,
        updated_at: sql<Date>`case when ${open} then ${new Date(at)}::timestamptz else updated_at end`,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? null : toRecord(row);
  }

  /**
   * REVOKED, when `partnerId` owns it, whatever its status (revoking twice keeps the first revokedAt). The row
   * after the change, with the session_ref any consent that committed before it set; null when not found.
   */
  async markRevoked(id: string, partnerId: string | null, at: number): Promise<ConsentRequestRecord | null> {
    if (!UUID.test(id)) return null;
    const when = new Date(at);
    const row = await this.#db
      .updateTable("consent_requests")
      .set({
        status: "REVOKED",
        revoked_at: sql<Date>`coalesce(revoked_at, ${when}::timestamptz)`,
        updated_at: when,
      })
      .where("id", "=", id)
      .where("partner_id", "is not distinct from", partnerId)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? null : toRecord(row);
  }

  /** Whether the request was revoked (download links made through its session say so); false when unknown. */
  async isRevoked(id: string): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const row = await this.#db.selectFrom("consent_requests").select("status").where("id", "=", id).executeTakeFirst();
    return row?.status === "REVOKED";
  }
}

function toRecord(row: ConsentRequestRow): ConsentRequestRecord {
  const authorize = authorizeOptions.safeParse(row.authorize);
  const lastError = consentError.nullable().safeParse(row.last_error);
  // Only this module writes these columns: a value that does not read back is a bug, not an answer.
  if (!authorize.success || !lastError.success) throw new Error(`consent request ${row.id}: its stored authorize options or last error do not read back`);
  return {
    id: row.id,
    link: row.link,
    partnerId: row.partner_id,
    redirectUrl: row.redirect_url,
    authorize: authorize.data,
    status: row.status,
    lastError: lastError.data,
    sessionRef: row.session_ref,
    createdAt: row.created_at.getTime(),
    linkValidUntil: row.link_valid_until.getTime(),
    authenticatedAt: row.authenticated_at?.getTime() ?? null,
    accessUntil: row.access_until?.getTime() ?? null,
    revokedAt: row.revoked_at?.getTime() ?? null,
    updatedAt: row.updated_at.getTime(),
  };
}
