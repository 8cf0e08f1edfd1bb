// The durable store (issue #16): PostgreSQL when DATABASE_URL is set, else the embedded PGlite, in a folder or in
// memory. One query layer for both: Kysely's PostgresDialect over a pg.Pool or over PGlite (pglite-pool.ts).
// Opening migrates (migrate.ts), so what openDatabase returns has every table of tables.ts.
import type { Kysely } from "kysely";
import type { Logger } from "../server/logger.js";
import { openPGliteFolder, openPGliteMemory } from "./pglite.js";
import { openPostgres } from "./postgres.js";
import type { Tables } from "./tables.js";

export { DatabaseUnavailableError } from "./postgres.js";

export interface Database {
  db: Kysely<Tables>;
  kind: "postgres" | "pglite";
  /**
   * True only while an in-memory database has not started (no query yet): it then holds no rows, which the
   * development-mode check uses to answer without starting it (PGlite's initdb takes seconds).
   */
  unopened(): boolean;
  /** Ends the pool (or releases the embedded instance); safe to call more than once. */
  close(): Promise<void>;
}

export interface DatabaseSettings {
  /** DATABASE_URL: postgres:// or postgresql://; null → PGlite. */
  url: string | null;
  /** The PGlite folder; null → in memory. Ignored with a url. */
  dataDir: string | null;
  /** Most PostgreSQL connections (DATABASE_POOL_SIZE). Default 10. */
  poolSize?: number;
}

/**
 * Opens and migrates. PostgreSQL that does not answer fails here, with a DatabaseUnavailableError naming
 * DATABASE_URL (never its password). In memory, PGlite starts and migrates on the first query instead: its
 * initdb takes seconds, and tests start many gateways that never query.
 */
export async function openDatabase(settings: DatabaseSettings, log?: Logger): Promise<Database> {
  if (settings.url !== null) return openPostgres(settings.url, settings.poolSize ?? 10, log);
  if (settings.dataDir !== null) return openPGliteFolder(settings.dataDir, log);
  return openPGliteMemory(log);
}
