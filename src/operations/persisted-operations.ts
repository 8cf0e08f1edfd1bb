// The persisted-operation manifests in the database (migrations 0004, 0005): published per partner (null: the
// gateway's own) and app version, immutable once published, retired rather than deleted. An app name has one owner.
// document(), allows() and app() are what the request path asks (through operations/persisted-documents.ts, which
// caches their answers).
import type { Kysely } from "kysely";
import type { Tables } from "../db/tables.js";
import { PartnerNotFound } from "../partners/errors.js";
import { AppNameTaken, InvalidOperationsInput, ManifestNotFound, ManifestRetired, ManifestVersionConflict } from "./errors.js";

/** Printable ASCII without spaces (it travels in a header), at most this long. */
const MAX_APP_FIELD = 100;
const APP_FIELD = /^[\x21-\x7e]+$/;

export interface ManifestKey {
  /** Null: the gateway's own operations. */
  partnerId: string | null;
  appName: string;
  appVersion: string;
}

export interface ManifestSummary extends ManifestKey {
  documents: number;
  publishedAt: Date;
  retiredAt: Date | null;
}

export interface PublishResult {
  manifest: ManifestSummary;
  /** False: the same version with the same documents was there already, and nothing changed. */
  created: boolean;
}

/** Who runs a persisted document: a partner (its key accepted), a named app (without a key), or anyone else. */
export type DocumentCaller = { partnerId: string } | { app: { partnerId: string | null; name: string; version: string } } | "anyone";

/** A published app version as the request path needs it. */
export interface AppVersion {
  partnerId: string | null;
  retiredAt: Date | null;
}

export class PersistedOperations {
  readonly #db: Kysely<Tables>;
  readonly #now: () => Date;

  constructor(deps: { db: Kysely<Tables>; now?: () => Date }) {
    this.#db = deps.db;
    this.#now = deps.now ?? (() => new Date());
  }

  /** Stores a manifest's documents (already read and checked) under a new version; the same again is a no-op. */
  async publish(key: ManifestKey, documents: readonly { id: string; text: string }[], retried = false): Promise<PublishResult> {
    checkKey(key);
    const ids = new Set(documents.map((d) => d.id));
    try {
      return await this.#db.transaction().execute(async (trx) => {
        if (key.partnerId !== null) {
          const partner = await trx.selectFrom("partners").select("id").where("id", "=", key.partnerId).executeTakeFirst();
          if (partner === undefined) throw new PartnerNotFound(key.partnerId);
        }
        // The first publisher of a name owns it; a second one racing for it finds the winner's row.
        await trx.insertInto("persisted_apps").values({ app_name: key.appName, partner_id: key.partnerId }).onConflict((oc) => oc.column("app_name").doNothing()).execute();
        const owner = await trx.selectFrom("persisted_apps").select("partner_id").where("app_name", "=", key.appName).executeTakeFirstOrThrow();
        if (owner.partner_id !== key.partnerId) throw new AppNameTaken(key.appName, owner.partner_id);
        const existing = await matching(trx, key).select(["id", "published_at", "retired_at"]).executeTakeFirst();
        if (existing !== undefined) {
          if (existing.retired_at !== null) throw new ManifestRetired(describeManifest(key), existing.retired_at);
          const stored = await trx.selectFrom("persisted_documents").select("document_id").where("manifest_id", "=", existing.id).execute();
          const same = stored.length === ids.size && stored.every((row) => ids.has(row.document_id));
          if (!same) throw new ManifestVersionConflict(describeManifest(key));
          return { manifest: summary(key, stored.length, existing.published_at, null), created: false };
        }
        const publishedAt = this.#now();
        const { id } = await trx
          .insertInto("persisted_manifests")
          .values({ partner_id: key.partnerId, app_name: key.appName, app_version: key.appVersion, published_at: publishedAt })
          .returning("id")
          .executeTakeFirstOrThrow();
        const unique = [...new Map(documents.map((d) => [d.id, d.text])).entries()];
        // Batches keep each statement well under PostgreSQL's 65535 parameters.
        for (let i = 0; i < unique.length; i += 500) {
          await trx
            .insertInto("persisted_documents")
            .values(unique.slice(i, i + 500).map(([documentId, document]) => ({ manifest_id: id, document_id: documentId, document })))
            .execute();
        }
        return { manifest: summary(key, unique.length, publishedAt, null), created: true };
      });
    } catch (error) {
      // Two publishers of one version at once: the loser compares with what the winner stored.
      if (!retried && isUniqueViolation(error)) return this.publish(key, documents, true);
      throw error;
    }
  }

  /** Every manifest, or one partner's (null: the gateway's own), by partner, app and publication. */
  async list(partnerId?: string | null): Promise<ManifestSummary[]> {
    let query = this.#db
      .selectFrom("persisted_manifests as m")
      .leftJoin("persisted_documents as d", "d.manifest_id", "m.id")
      .select((eb) => ["m.partner_id", "m.app_name", "m.app_version", "m.published_at", "m.retired_at", eb.fn.count<string>("d.document_id").as("documents")])
      .groupBy("m.id")
      .orderBy("m.partner_id", (ob) => ob.nullsFirst())
      .orderBy("m.app_name")
      .orderBy("m.published_at")
      .orderBy("m.id");
    if (partnerId === null) query = query.where("m.partner_id", "is", null);
    else if (partnerId !== undefined) query = query.where("m.partner_id", "=", partnerId);
    const rows = await query.execute();
    return rows.map((r) =>
      summary({ partnerId: r.partner_id, appName: r.app_name, appVersion: r.app_version }, Number(r.documents), r.published_at, r.retired_at),
    );
  }

  /** Hides a version's documents from lookups for good; retiring it again changes nothing. */
  async retire(key: ManifestKey): Promise<ManifestSummary> {
    checkKey(key);
    const row = await matching(this.#db, key).select(["id", "published_at", "retired_at"]).executeTakeFirst();
    if (row === undefined) throw new ManifestNotFound(describeManifest(key));
    let retiredAt = row.retired_at;
    if (retiredAt === null) {
      retiredAt = this.#now();
      await this.#db.updateTable("persisted_manifests").set({ retired_at: retiredAt }).where("id", "=", row.id).where("retired_at", "is", null).execute();
    }
    const { count } = await this.#db
      .selectFrom("persisted_documents")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .where("manifest_id", "=", row.id)
      .executeTakeFirstOrThrow();
    return summary(key, Number(count), row.published_at, retiredAt);
  }

  /** The text of a document some unretired manifest holds, whoever's, or null: its id is its text's hash. */
  async document(documentId: string): Promise<string | null> {
    const row = await this.#db
      .selectFrom("persisted_documents as d")
      .innerJoin("persisted_manifests as m", "m.id", "d.manifest_id")
      .select("d.document")
      .where("d.document_id", "=", documentId)
      .where("m.retired_at", "is", null)
      .limit(1)
      .executeTakeFirst();
    return row?.document ?? null;
  }

  /**
   * Whether `caller` may run the document: it is in an unretired manifest of the caller's partner (any app and
   * version of it) or of the named app's version, or in one of the gateway's own (anyone may run those).
   */
  async allows(caller: DocumentCaller, documentId: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom("persisted_documents as d")
      .innerJoin("persisted_manifests as m", "m.id", "d.manifest_id")
      .select("m.id")
      .where("d.document_id", "=", documentId)
      .where("m.retired_at", "is", null)
      .where((eb) => {
        const gateways = eb("m.partner_id", "is", null);
        if (caller === "anyone") return gateways;
        if ("partnerId" in caller) return eb.or([gateways, eb("m.partner_id", "=", caller.partnerId)]);
        const { app } = caller;
        const owner = app.partnerId === null ? eb("m.partner_id", "is", null) : eb("m.partner_id", "=", app.partnerId);
        return eb.or([gateways, eb.and([owner, eb("m.app_name", "=", app.name), eb("m.app_version", "=", app.version)])]);
      })
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** A published version of an app, whoever owns the name, retired or not; null when never published. */
  async app(appName: string, appVersion: string): Promise<AppVersion | null> {
    const row = await this.#db
      .selectFrom("persisted_manifests")
      .select(["partner_id", "retired_at"])
      .where("app_name", "=", appName)
      .where("app_version", "=", appVersion)
      .orderBy("id")
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? null : { partnerId: row.partner_id, retiredAt: row.retired_at };
  }
}

/** "app <name> <version> of <partner>" for messages. */
export function describeManifest(key: ManifestKey): string {
  return `app ${key.appName} version ${key.appVersion} of ${key.partnerId ?? "the gateway"}`;
}

/** The manifest `key` names, as `m`. */
function matching(db: Kysely<Tables>, key: ManifestKey) {
  const query = db.selectFrom("persisted_manifests as m");
  const scoped = key.partnerId === null ? query.where("m.partner_id", "is", null) : query.where("m.partner_id", "=", key.partnerId);
  return scoped.where("m.app_name", "=", key.appName).where("m.app_version", "=", key.appVersion);
}

function checkKey(key: ManifestKey): void {
  for (const [field, value] of [
    ["appName", key.appName],
    ["appVersion", key.appVersion],
  ] as const) {
    if (value.length === 0 || value.length > MAX_APP_FIELD || !APP_FIELD.test(value)) {
      throw new InvalidOperationsInput(field, `${field === "appName" ? "an app name" : "an app version"} is 1 to ${MAX_APP_FIELD} printable ASCII characters without spaces; ${JSON.stringify(value.slice(0, 40))} is not`);
    }
  }
}

function summary(key: ManifestKey, documents: number, publishedAt: Date, retiredAt: Date | null): ManifestSummary {
  return { partnerId: key.partnerId, appName: key.appName, appVersion: key.appVersion, documents, publishedAt, retiredAt };
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "23505";
}
