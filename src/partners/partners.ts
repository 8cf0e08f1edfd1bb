// Partners, the callers of the gateway, and their API keys: records in the database, and the check of a key a
// request presents. docs/partners.md is the operator's side of it.
import type { Kysely } from "kysely";
import { sql } from "kysely";
import { LRUCache } from "lru-cache";
import type { PartnerStatus, Tables } from "../db/tables.js";
import { generateApiKey, hashSecret, parseApiKey, randomBase32, secretMatches } from "./api-keys.js";
import { PartnerKeyNotFound, PartnerNameTaken, PartnerNotFound } from "./errors.js";
import { checkLabel, checkLimit, checkName, checkRedirectOrigins, checkScopes } from "./input.js";
import { isPartnerScope, type PartnerScope } from "./scopes.js";

export type { PartnerStatus };

/** Frozen: authenticate() hands the same object to every request within its cache's TTL. */
export interface Partner {
  readonly id: string;
  readonly name: string;
  readonly status: PartnerStatus;
  readonly scopes: readonly PartnerScope[];
  /** Origins (`https://host[:port]`) a consent request's redirect URL may be on. */
  readonly redirectOrigins: readonly string[];
  /** Its rate budgets per window (docs/limits.md), read on every request it makes from this cached record. */
  readonly limits: PartnerLimits;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/**
 * A partner's budgets per rate window (RATE_LIMIT_WINDOW_SECONDS): null takes the gateway's default
 * (PARTNER_REQUESTS_PER_WINDOW, PARTNER_DIGILOCKER_CALLS_PER_WINDOW); 0 is unlimited.
 */
export interface PartnerLimits {
  readonly requests: number | null;
  readonly digilockerCalls: number | null;
}

/** A key as an operator sees it: never its secret nor its hash. */
export interface PartnerKeySummary {
  id: string;
  label: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  /** Written at most once a minute per key and gateway instance: a minute's use may not show yet. */
  lastUsedAt: Date | null;
}

export interface PartnerSummary extends Partner {
  /** Oldest first, revoked ones included. */
  keys: PartnerKeySummary[];
}

export interface AuthenticatedPartner {
  ok: true;
  partner: Partner;
  keyId: string;
}

/**
 * Why a key was refused: for logs only. The caller answers every refusal with the same `message`, so a client
 * cannot tell a revoked key from one that never existed.
 */
export type KeyRefusalReason = "malformed" | "unknown" | "wrong-secret" | "revoked" | "disabled";

export interface KeyRefusal {
  ok: false;
  reason: KeyRefusalReason;
  /** The key id the presented text carried (not a secret), null when malformed. */
  keyId: string | null;
  message: typeof KEY_NOT_ACCEPTED;
}

export const KEY_NOT_ACCEPTED = "API key not accepted";

export interface PartnersLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface PartnersDeps {
  db: Kysely<Tables>;
  now: () => Date;
  /** Where a stored scope this version does not know is reported; default: a JSON line on stderr. */
  log?: PartnersLog;
  /** True while the database is known to hold no rows (Database.unopened): anyRegistered() then asks nothing. */
  empty?: () => boolean;
}

export interface PartnersOptions {
  /**
   * How long a successful authentication is reused without asking the database (default 5000; 0: never).
   * This is how long a key revoked, or a partner disabled, through another Partners object (another gateway
   * instance, the CLI) may still be accepted here, and how long a change of scopes or origins made there takes
   * to show. Changes made through this object apply to it at once.
   */
  authCacheTtlMs?: number;
}

/** Ids of the form ptn_ + 12 base32 characters. */
const PARTNER_ID_PREFIX = "ptn_";
const AUTH_CACHE_MAX = 10_000;
const LAST_USED_INTERVAL_MS = 60_000;
/** Compared against when the key id is unknown, so that answer takes as long as a wrong secret's. */
const DUMMY_HASH = hashSecret("no key has this secret");

interface KeyEntry {
  secretHash: Buffer;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  partner: Partner;
}

const stderrLog: PartnersLog = {
  warn: (fields, message) => process.stderr.write(`${JSON.stringify({ level: "warn", ...fields, msg: message })}\n`),
};

export class Partners {
  readonly #db: Kysely<Tables>;
  readonly #now: () => Date;
  readonly #log: PartnersLog;
  /** Key id → what authenticated it, for authCacheTtlMs; null when that is 0. */
  readonly #authCache: LRUCache<string, KeyEntry> | null;
  /** Partner id → its limits (or null: no such partner), for authCacheTtlMs: the app budgets' lookups. */
  readonly #limitsCache: LRUCache<string, { limits: PartnerLimits | null }> | null;
  /** Key id → when this object last wrote its last_used_at (epoch ms). */
  readonly #lastUsedWrites = new LRUCache<string, number>({ max: AUTH_CACHE_MAX });
  /** Bumped by every change made here: a lookup that began before it must not refill the cache with what it read. */
  #generation = 0;
  readonly #empty: () => boolean;
  readonly #registeredTtlMs: number;
  /** anyRegistered()'s last answer, reused for the auth cache's TTL; a create here sets it at once. */
  #registered: { value: boolean; until: number } | null = null;

  constructor(deps: PartnersDeps, options: PartnersOptions = {}) {
    this.#db = deps.db;
    this.#now = deps.now;
    this.#log = deps.log ?? stderrLog;
    const ttl = options.authCacheTtlMs ?? 5_000;
    this.#empty = deps.empty ?? (() => false);
    this.#registeredTtlMs = ttl;
    this.#authCache =
      ttl > 0
        ? new LRUCache<string, KeyEntry>({
            max: AUTH_CACHE_MAX,
            ttl,
            // The TTL runs on the same clock as everything else here (a test's fake one); no rounding of it.
            perf: { now: () => this.#now().getTime() },
            ttlResolution: 0,
          })
        : null;
    this.#limitsCache =
      ttl > 0
        ? new LRUCache<string, { limits: PartnerLimits | null }>({
            max: AUTH_CACHE_MAX,
            ttl,
            perf: { now: () => this.#now().getTime() },
            ttlResolution: 0,
          })
        : null;
  }

  /** A partner and its first key, in one transaction. The key is in the answer only: it cannot be shown again. */
  async create(input: { name: string; scopes?: readonly string[]; redirectOrigins?: readonly string[] }): Promise<{ partner: Partner; key: string }> {
    const name = checkName(input.name);
    const scopes = checkScopes(input.scopes ?? []);
    const redirectOrigins = checkRedirectOrigins(input.redirectOrigins ?? []);
    const now = this.#now();
    const id = `${PARTNER_ID_PREFIX}${randomBase32(12)}`;
    const { key, keyId, secretHash } = generateApiKey();
    try {
      const row = await this.#db.transaction().execute(async (trx) => {
        if (await nameTaken(trx, name)) throw new PartnerNameTaken(name);
        const inserted = await trx
          .insertInto("partners")
          .values({ id, name, status: "active", scopes, redirect_origins: redirectOrigins, created_at: now, updated_at: now })
          .returningAll()
          .executeTakeFirstOrThrow();
        await trx
          .insertInto("partner_keys")
          .values({ id: keyId, partner_id: id, secret_hash: secretHash, label: null, created_at: now, revoked_at: null, last_used_at: null })
          .execute();
        return inserted;
      });
      this.#registered = { value: true, until: Number.POSITIVE_INFINITY };
      return { partner: this.#toPartner(row), key };
    } catch (error) {
      // Two creates of one name at once both pass the check; the unique index refuses the second.
      if (isUniqueViolation(error) && (await nameTaken(this.#db, name))) throw new PartnerNameTaken(name);
      throw error;
    }
  }

  /** Every partner with its keys, oldest first. */
  async list(): Promise<PartnerSummary[]> {
    const partners = await this.#db.selectFrom("partners").selectAll().orderBy("created_at").orderBy("id").execute();
    const keys = await this.#keyQuery().execute();
    const byPartner = new Map<string, PartnerKeySummary[]>();
    for (const key of keys) {
      const list = byPartner.get(key.partner_id) ?? [];
      list.push(toKeySummary(key));
      byPartner.set(key.partner_id, list);
    }
    return partners.map((row) => ({ ...this.#toPartner(row), keys: byPartner.get(row.id) ?? [] }));
  }

  /** The partner with its keys, or null. */
  async get(partnerId: string): Promise<PartnerSummary | null> {
    const row = await this.#db.selectFrom("partners").selectAll().where("id", "=", partnerId).executeTakeFirst();
    if (row === undefined) return null;
    const keys = await this.#keyQuery().where("partner_id", "=", partnerId).execute();
    return { ...this.#toPartner(row), keys: keys.map(toKeySummary) };
  }

  /** Another key for the partner (to rotate: add one, move the client to it, revoke the old). Shown once. */
  async addKey(partnerId: string, label?: string | null): Promise<{ keyId: string; key: string }> {
    const checkedLabel = checkLabel(label);
    await this.#requirePartner(partnerId);
    const { key, keyId, secretHash } = generateApiKey();
    await this.#db
      .insertInto("partner_keys")
      .values({ id: keyId, partner_id: partnerId, secret_hash: secretHash, label: checkedLabel, created_at: this.#now(), revoked_at: null, last_used_at: null })
      .execute();
    return { keyId, key };
  }

  /**
   * Refuses the key from now on (here at once; on other instances within their authCacheTtlMs). Revoking a
   * revoked key changes nothing and is no error.
   */
  async revokeKey(partnerId: string, keyId: string): Promise<PartnerKeySummary> {
    await this.#db
      .updateTable("partner_keys")
      .set({ revoked_at: this.#now() })
      .where("id", "=", keyId)
      .where("partner_id", "=", partnerId)
      .where("revoked_at", "is", null)
      .execute();
    this.#forget(keyId);
    const row = await this.#keyQuery().where("id", "=", keyId).where("partner_id", "=", partnerId).executeTakeFirst();
    if (row === undefined) throw new PartnerKeyNotFound(partnerId, keyId);
    return toKeySummary(row);
  }

  /** Replaces the partner's scopes. */
  async setScopes(partnerId: string, scopes: readonly string[]): Promise<Partner> {
    return this.#update(partnerId, { scopes: checkScopes(scopes) });
  }

  /** Replaces the partner's redirect origins. */
  async setRedirectOrigins(partnerId: string, origins: readonly string[]): Promise<Partner> {
    return this.#update(partnerId, { redirect_origins: checkRedirectOrigins(origins) });
  }

  /**
   * Sets the partner's budgets per window: a whole number from 0 (unlimited) to 10^9, or null for the gateway's
   * default; a field left out is kept. Here at once; on other instances within their authCacheTtlMs.
   */
  async setLimits(partnerId: string, limits: { requests?: number | null; digilockerCalls?: number | null }): Promise<Partner> {
    const changes: { requests_per_window?: number | null; digilocker_calls_per_window?: number | null } = {};
    if (limits.requests !== undefined) changes.requests_per_window = checkLimit("requests", limits.requests);
    if (limits.digilockerCalls !== undefined) changes.digilocker_calls_per_window = checkLimit("digilockerCalls", limits.digilockerCalls);
    return this.#update(partnerId, changes);
  }

  /**
   * The partner's limits, or null when there is no such partner: what an app of the partner is held to (its
   * requests carry no key, so no authenticated record). Synchronous within authCacheTtlMs of the last lookup.
   */
  limitsOf(partnerId: string): PartnerLimits | null | Promise<PartnerLimits | null> {
    const cached = this.#limitsCache?.get(partnerId);
    if (cached !== undefined) return cached.limits;
    const generation = this.#generation;
    return this.#db
      .selectFrom("partners")
      .select(["requests_per_window", "digilocker_calls_per_window"])
      .where("id", "=", partnerId)
      .executeTakeFirst()
      .then((row) => {
        const limits = row === undefined ? null : toLimits(row);
        if (generation === this.#generation) this.#limitsCache?.set(partnerId, { limits });
        return limits;
      });
  }

  /** Refuses all the partner's keys (here at once; on other instances within their authCacheTtlMs). */
  async disable(partnerId: string): Promise<Partner> {
    return this.#update(partnerId, { status: "disabled" });
  }

  async enable(partnerId: string): Promise<Partner> {
    return this.#update(partnerId, { status: "active" });
  }

  /** True when a partner is known to exist without asking anything (the cached answer of anyRegistered). */
  registeredKnown(): boolean {
    return this.#registered?.value === true;
  }

  /**
   * Whether any partner exists, active or not: until one does, a gateway outside production runs in development
   * mode (docs/partners.md). A partner created elsewhere (the CLI, another instance) shows within the auth cache's TTL.
   */
  anyRegistered(): boolean | Promise<boolean> {
    // Synchronous when known: development mode's check sits on every guarded field of a keyless request.
    if (this.#empty()) return false;
    const now = this.#now().getTime();
    if (this.#registered !== null && this.#registered.until > now) return this.#registered.value;
    return this.#db
      .selectFrom("partners")
      .select("id")
      .limit(1)
      .executeTakeFirst()
      .then((row) => {
        const value = row !== undefined;
        // Partners are never deleted: once one exists, the answer cannot go back to false.
        this.#registered = { value, until: value ? Number.POSITIVE_INFINITY : now + this.#registeredTtlMs };
        return value;
      });
  }

  /**
   * The partner a presented key belongs to, or why it is refused. Never throws for anything a caller sends (a
   * database failure does throw). Unknown key ids cost the same hash and comparison as known ones.
   */
  authenticate(presentedKey: string): AuthenticatedPartner | KeyRefusal | Promise<AuthenticatedPartner | KeyRefusal> {
    const parsed = parseApiKey(presentedKey);
    if (parsed === null) return refusal("malformed", null);
    const { keyId, secret } = parsed;
    // A key authenticated within the cache's TTL is decided without a promise (the hot path of a partner's calls).
    const cached = this.#authCache?.get(keyId);
    if (cached !== undefined) return this.#decide(keyId, secret, cached, false);
    const generation = this.#generation;
    return this.#loadKey(keyId).then((entry) => {
      if (entry === null) {
        secretMatches(secret, DUMMY_HASH);
        return refusal("unknown", keyId);
      }
      return this.#decide(keyId, secret, entry, generation === this.#generation);
    });
  }

  #decide(keyId: string, secret: string, entry: KeyEntry, cache: boolean): AuthenticatedPartner | KeyRefusal | Promise<AuthenticatedPartner | KeyRefusal> {
    // The secret first: without it, nobody learns whether a key id is revoked or its partner disabled.
    if (!secretMatches(secret, entry.secretHash)) return refusal("wrong-secret", keyId);
    if (entry.revokedAt !== null) return refusal("revoked", keyId);
    if (entry.partner.status !== "active") return refusal("disabled", keyId);
    if (cache) this.#authCache?.set(keyId, entry);
    const accepted: AuthenticatedPartner = { ok: true, partner: entry.partner, keyId };
    const recording = this.#recordUse(keyId, entry.lastUsedAt);
    return recording === null ? accepted : recording.then(() => accepted);
  }

  async #loadKey(keyId: string): Promise<KeyEntry | null> {
    const row = await this.#db
      .selectFrom("partner_keys as k")
      .innerJoin("partners as p", "p.id", "k.partner_id")
      .select([
        "k.secret_hash",
        "k.revoked_at",
        "k.last_used_at",
        "p.id",
        "p.name",
        "p.status",
        "p.scopes",
        "p.redirect_origins",
        "p.requests_per_window",
        "p.digilocker_calls_per_window",
        "p.created_at",
        "p.updated_at",
      ])
      .where("k.id", "=", keyId)
      .executeTakeFirst();
    if (row === undefined) return null;
    return { secretHash: row.secret_hash, revokedAt: row.revoked_at, lastUsedAt: row.last_used_at, partner: this.#toPartner(row) };
  }

  /** last_used_at, written at most once a minute per key: not a database write per request. */
  /** Writes last_used_at at most once a minute per key; null when nothing is to be written now. */
  #recordUse(keyId: string, storedLastUse: Date | null): Promise<void> | null {
    const now = this.#now().getTime();
    const last = this.#lastUsedWrites.get(keyId) ?? storedLastUse?.getTime();
    if (last !== undefined && now - last < LAST_USED_INTERVAL_MS) return null;
    this.#lastUsedWrites.set(keyId, now);
    return this.#db
      .updateTable("partner_keys")
      .set({ last_used_at: new Date(now) })
      .where("id", "=", keyId)
      .execute()
      .then(
        () => undefined,
        (error: unknown) => {
          // A bookkeeping write; the request it was for goes on.
          this.#log.warn({ keyId, problem: error instanceof Error ? error.name : "unknown" }, "could not record an API key's last use");
        },
      );
  }

  async #update(
    partnerId: string,
    changes: {
      scopes?: PartnerScope[];
      redirect_origins?: string[];
      status?: PartnerStatus;
      requests_per_window?: number | null;
      digilocker_calls_per_window?: number | null;
    },
  ): Promise<Partner> {
    const row = await this.#db
      .updateTable("partners")
      .set({ ...changes, updated_at: this.#now() })
      .where("id", "=", partnerId)
      .returningAll()
      .executeTakeFirst();
    this.#forgetPartner(partnerId);
    if (row === undefined) throw new PartnerNotFound(partnerId);
    return this.#toPartner(row);
  }

  async #requirePartner(partnerId: string): Promise<void> {
    const row = await this.#db.selectFrom("partners").select("id").where("id", "=", partnerId).executeTakeFirst();
    if (row === undefined) throw new PartnerNotFound(partnerId);
  }

  #keyQuery() {
    return this.#db
      .selectFrom("partner_keys")
      .select(["id", "partner_id", "label", "created_at", "revoked_at", "last_used_at"])
      .orderBy("created_at")
      .orderBy("id");
  }

  #forget(keyId: string): void {
    this.#generation++;
    this.#authCache?.delete(keyId);
  }

  #forgetPartner(partnerId: string): void {
    this.#generation++;
    this.#limitsCache?.delete(partnerId);
    const cache = this.#authCache;
    if (cache === null) return;
    for (const [keyId, entry] of cache.entries()) if (entry.partner.id === partnerId) cache.delete(keyId);
  }

  #toPartner(row: {
    id: string;
    name: string;
    status: PartnerStatus;
    scopes: string[];
    redirect_origins: string[];
    requests_per_window: number | null;
    digilocker_calls_per_window: number | null;
    created_at: Date;
    updated_at: Date;
  }): Partner {
    const scopes: PartnerScope[] = [];
    for (const scope of row.scopes) {
      if (isPartnerScope(scope)) scopes.push(scope);
      // Written by a newer version, or by hand: dropped, so the partner has less access, never more.
      else this.#log.warn({ partnerId: row.id, scope: scope.slice(0, 60) }, "a partner's stored scope is unknown to this version: ignored");
    }
    return Object.freeze({
      id: row.id,
      name: row.name,
      status: row.status,
      scopes: Object.freeze(scopes),
      redirectOrigins: Object.freeze([...row.redirect_origins]),
      limits: toLimits(row),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    });
  }
}

function toLimits(row: { requests_per_window: number | null; digilocker_calls_per_window: number | null }): PartnerLimits {
  return Object.freeze({ requests: row.requests_per_window, digilockerCalls: row.digilocker_calls_per_window });
}

function refusal(reason: KeyRefusalReason, keyId: string | null): KeyRefusal {
  return { ok: false, reason, keyId, message: KEY_NOT_ACCEPTED };
}

function toKeySummary(row: { id: string; label: string | null; created_at: Date; revoked_at: Date | null; last_used_at: Date | null }): PartnerKeySummary {
  return { id: row.id, label: row.label, createdAt: row.created_at, revokedAt: row.revoked_at, lastUsedAt: row.last_used_at };
}

async function nameTaken(db: Kysely<Tables>, name: string): Promise<boolean> {
  const row = await db
    .selectFrom("partners")
    .select("id")
    .where(sql<boolean>`lower(name) = lower(${name})`)
    .executeTakeFirst();
  return row !== undefined;
}

/** PostgreSQL's unique_violation, as pg and PGlite both report it. */
function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "23505";
}
