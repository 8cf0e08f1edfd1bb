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

/** Written by migrate(): one row per migration applied. */
export interface SchemaMigrationsTable {
  version: string;
  applied_at: Generated<Date>;
}

export interface Tables {
  partners: PartnersTable;
  partner_keys: PartnerKeysTable;
  schema_migrations: SchemaMigrationsTable;
}

export type PartnerRow = Selectable<PartnersTable>;
export type NewPartnerRow = Insertable<PartnersTable>;
export type PartnerUpdate = Updateable<PartnersTable>;
export type PartnerKeyRow = Selectable<PartnerKeysTable>;
export type NewPartnerKeyRow = Insertable<PartnerKeysTable>;
export type PartnerKeyUpdate = Updateable<PartnerKeysTable>;
