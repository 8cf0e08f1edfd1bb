// The tables as Kysely sees them, matching the migrations (src/db/migrations/). Columns with a database default
// are Generated: optional on insert. timestamptz reads as a Date, text[] as string[], bytea as a Buffer (from
// either backend: pglite.ts parses it so) and is written from any Uint8Array.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

export type PartnerStatus = "active" | "disabled";

export interface PartnersTable {
  id: string;
  /** Unique regardless of case (index partners_name_key on lower(name)). */
  name: string;
  status: Generated<PartnerStatus>;
  scopes: Generated<string[]>;
  redirect_origins: Generated<string[]>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** Requests per rate window; null: the gateway's default, 0: unlimited (migration 0006). */
  requests_per_window: Generated<number | null>;
  /** DigiLocker calls per rate window; null: the gateway's default, 0: unlimited. */
  digilocker_calls_per_window: Generated<number | null>;
}

export interface PartnerKeysTable {
  id: string;
  /** Deleted with its partner. */
  partner_id: string;
  secret_hash: ColumnType<Buffer, Uint8Array, Uint8Array>;
  label: string | null;
  created_at: Generated<Date>;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

export type ConsentRequestStatusColumn = "UNAUTHENTICATED" | "AUTHENTICATED" | "REVOKED";

export interface ConsentRequestsTable {
  id: string;
  /** The value in the browser's URL (/auth/consent/<link>): starts the sign-in, reads nothing. */
  link: string;
  /** Null: created in development mode, without a partner. */
  partner_id: string | null;
  redirect_url: string;
  /** AuthorizeOptions (auth/records.ts), as JSON. */
  authorize: ColumnType<unknown, string, string>;
  status: ConsentRequestStatusColumn;
  /** `{ code, message }` as JSON, or null. */
  last_error: ColumnType<unknown, string | null, string | null>;
  /**
   * Names the sealed Store record holding the session's id (never the session id itself); set with AUTHENTICATED,
   * kept after REVOKED. Null until the user consents.
   */
  session_ref: string | null;
  created_at: Date;
  link_valid_until: Date;
  authenticated_at: Date | null;
  access_until: Date | null;
  revoked_at: Date | null;
  updated_at: Date;
}

export type TokenEndpointColumn = "v1" | "openid";

export interface PartnerCredentialsTable {
  partner_id: string;
  client_id: string;
  client_secret_sealed: ColumnType<Buffer, Uint8Array, Uint8Array>;
  /** Which CREDENTIALS_ENCRYPTION_KEYS entry sealed the secret. */
  key_id: string;
  redirect_uri: string;
  token_endpoint: TokenEndpointColumn;
  /** 1 at first, then one more at each change: instances compare it with the client they hold. */
  version: number;
  checked_at: Date;
  updated_at: Date;
}

export interface PersistedManifestsTable {
  id: Generated<number>;
  /** Null: the gateway's own operations (schema/operations/). Deleted with its partner. */
  partner_id: string | null;
  app_name: string;
  app_version: string;
  published_at: Date;
  /** Set by `operations retire`: its documents are no longer found. */
  retired_at: Date | null;
}

export interface PersistedDocumentsTable {
  manifest_id: number;
  /** `sha256:` + the SHA-256 of `document`, in lowercase hex. */
  document_id: string;
  document: string;
}

/** Who owns an app name (migration 0005): the first publisher of it; null partner_id is the gateway. */
export interface PersistedAppsTable {
  app_name: string;
  partner_id: string | null;
}

/** Written by migrate(): one row per migration applied. */
export interface SchemaMigrationsTable {
  version: string;
  applied_at: Generated<Date>;
}

export interface Tables {
  partners: PartnersTable;
  partner_keys: PartnerKeysTable;
  consent_requests: ConsentRequestsTable;
  partner_credentials: PartnerCredentialsTable;
  persisted_manifests: PersistedManifestsTable;
  persisted_documents: PersistedDocumentsTable;
  persisted_apps: PersistedAppsTable;
  schema_migrations: SchemaMigrationsTable;
}

export type PartnerRow = Selectable<PartnersTable>;
export type NewPartnerRow = Insertable<PartnersTable>;
export type PartnerUpdate = Updateable<PartnersTable>;
export type PartnerKeyRow = Selectable<PartnerKeysTable>;
export type NewPartnerKeyRow = Insertable<PartnerKeysTable>;
export type PartnerKeyUpdate = Updateable<PartnerKeysTable>;
export type ConsentRequestRow = Selectable<ConsentRequestsTable>;
export type PartnerCredentialsRow = Selectable<PartnerCredentialsTable>;
export type PersistedManifestRow = Selectable<PersistedManifestsTable>;
