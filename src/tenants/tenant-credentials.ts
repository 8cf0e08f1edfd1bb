// Partners' own DigiLocker credentials in the database (table partner_credentials), the secret sealed
// (credential-sealing.ts). Every change adds one to the row's version, which is how each gateway instance learns that
// the client it holds for a partner is stale (tenant-clients.ts). Only open() hands out the secret, and only the
// client factory (TenantClients) calls it.
import { inspect } from "node:util";
import type { Kysely } from "kysely";
import type { PartnerCredentialsRow, Tables } from "../db/tables.js";
import { PartnerNotFound } from "../partners/errors.js";
import type { CredentialSealer } from "./credential-sealing.js";
import type { CheckedCredentialsInput, TokenEndpoint } from "./credentials-input.js";

/** A partner's credentials as anyone may see them: never the secret. */
export interface StoredCredentials {
  partnerId: string;
  clientId: string;
  redirectUri: string;
  tokenEndpoint: TokenEndpoint;
  /** 1 for the first credentials, one more at each change. */
  version: number;
  /** Which CREDENTIALS_ENCRYPTION_KEYS entry sealed the secret. */
  keyId: string;
  /** When DigiLocker last accepted them (the live check before they were stored). */
  checkedAt: Date;
  updatedAt: Date;
}

/**
 * The secret, kept out of accidental output: JSON, util.inspect (pino, console.log) and string conversion show
 * "[redacted]". reveal() is for the DigiLocker client's settings only.
 */
export class ClientSecret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toJSON(): string {
    return "[redacted]";
  }
  toString(): string {
    return "[redacted]";
  }
  [inspect.custom](): string {
    return "[redacted]";
  }
}

export interface OpenedCredentials extends StoredCredentials {
  clientSecret: ClientSecret;
}

export interface TenantCredentialsDeps {
  db: Kysely<Tables>;
  sealer: CredentialSealer;
  now: () => Date;
}

export class TenantCredentials {
  readonly #db: Kysely<Tables>;
  readonly #sealer: CredentialSealer;
  readonly #now: () => Date;
  readonly #listeners = new Set<(partnerId: string) => void>();

  constructor(deps: TenantCredentialsDeps) {
    this.#db = deps.db;
    this.#sealer = deps.sealer;
    this.#now = deps.now;
  }

  /** False without CREDENTIALS_ENCRYPTION_KEYS: put() would throw SealingNotConfigured. */
  get canStore(): boolean {
    return this.#sealer.configured;
  }

  /** Called after every change this object commits (TenantClients drops its client for the partner at once). */
  onChange(listener: (partnerId: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async get(partnerId: string): Promise<StoredCredentials | null> {
    const row = await this.#db.selectFrom("partner_credentials").selectAll().where("partner_id", "=", partnerId).executeTakeFirst();
    return row === undefined ? null : toStored(row);
  }

  /** The current version, or null when the partner has no credentials (the gateway's own apply). */
  async version(partnerId: string): Promise<number | null> {
    const row = await this.#db.selectFrom("partner_credentials").select("version").where("partner_id", "=", partnerId).executeTakeFirst();
    return row?.version ?? null;
  }

  /**
   * Stores the credentials (already checked with DigiLocker at `checkedAt`) as the next version, in one
   * transaction that holds the partner's row: two changes at once get versions n+1 and n+2, never the same one.
   * Throws PartnerNotFound for an unknown partner, SealingNotConfigured without keys.
   */
  async put(partnerId: string, input: CheckedCredentialsInput, checkedAt: Date): Promise<StoredCredentials> {
    const { sealed, keyId } = this.#sealer.seal(partnerId, input.clientSecret);
    const now = this.#now();
    const row = await this.#db.transaction().execute(async (trx) => {
      const partner = await trx.selectFrom("partners").select("id").where("id", "=", partnerId).forUpdate().executeTakeFirst();
      if (partner === undefined) throw new PartnerNotFound(partnerId);
      const previous = await trx.selectFrom("partner_credentials").select("version").where("partner_id", "=", partnerId).executeTakeFirst();
      const values = {
        client_id: input.clientId,
        client_secret_sealed: sealed,
        key_id: keyId,
        redirect_uri: input.redirectUri,
        token_endpoint: input.tokenEndpoint,
        version: (previous?.version ?? 0) + 1,
        checked_at: checkedAt,
        updated_at: now,
      };
      return trx
        .insertInto("partner_credentials")
        .values({ partner_id: partnerId, ...values })
        .onConflict((oc) => oc.column("partner_id").doUpdateSet(values))
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    this.#changed(partnerId);
    return toStored(row);
  }

  /**
   * The credentials with their secret, for building the partner's DigiLocker client; null without credentials.
   * Throws SealedSecretUnreadable when the secret does not open. A secret sealed with an older key is sealed again
   * with the current one (same version: the credentials did not change), so keys rotate as partners are served.
   */
  async open(partnerId: string): Promise<OpenedCredentials | null> {
    const row = await this.#db.selectFrom("partner_credentials").selectAll().where("partner_id", "=", partnerId).executeTakeFirst();
    if (row === undefined) return null;
    const secret = this.#sealer.open(partnerId, row.client_secret_sealed);
    if (this.#sealer.isStale(row.key_id)) await this.#reseal(row, secret);
    return { ...toStored(row), clientSecret: new ClientSecret(secret) };
  }

  /**
   * Seals every secret not sealed with the current key again (after adding a new first key, before dropping the
   * old one). Returns how many were sealed again, and the partners whose secret does not open with any key.
   */
  async resealAll(): Promise<{ resealed: number; unreadable: string[] }> {
    const current = this.#sealer.currentKeyId;
    if (current === null) return { resealed: 0, unreadable: [] };
    const rows = await this.#db.selectFrom("partner_credentials").selectAll().where("key_id", "<>", current).execute();
    let resealed = 0;
    const unreadable: string[] = [];
    for (const row of rows) {
      let secret: string;
      try {
        secret = this.#sealer.open(row.partner_id, row.client_secret_sealed);
      } catch {
        unreadable.push(row.partner_id);
        continue;
      }
      if (await this.#reseal(row, secret)) resealed++;
    }
    return { resealed, unreadable };
  }

  /** Only if the row is still the one read: a change meanwhile has sealed with the current key already. */
  async #reseal(row: PartnerCredentialsRow, secret: string): Promise<boolean> {
    const { sealed, keyId } = this.#sealer.seal(row.partner_id, secret);
    const result = await this.#db
      .updateTable("partner_credentials")
      .set({ client_secret_sealed: sealed, key_id: keyId })
      .where("partner_id", "=", row.partner_id)
      .where("version", "=", row.version)
      .where("key_id", "=", row.key_id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  #changed(partnerId: string): void {
    for (const listener of this.#listeners) listener(partnerId);
  }
}

function toStored(row: PartnerCredentialsRow): StoredCredentials {
  return {
    partnerId: row.partner_id,
    clientId: row.client_id,
    redirectUri: row.redirect_uri,
    tokenEndpoint: row.token_endpoint,
    version: row.version,
    keyId: row.key_id,
    checkedAt: row.checked_at,
    updatedAt: row.updated_at,
  };
}
