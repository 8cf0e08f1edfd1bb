// Brings a database up to date: each missing migration in its own transaction, recorded in schema_migrations.
// The whole run holds a session-level advisory lock on one connection, so instances starting together apply
// each migration once: the second waits, then finds them recorded.
import { sql, type Kysely } from "kysely";
import type { Logger } from "../server/logger.js";
import { migrations as allMigrations, type Migration } from "./migrations/index.js";
import type { Tables } from "./tables.js";

/** pg_advisory_lock's key for migrations: "dlgmig" in ASCII, fixed so every instance and version agrees. */
export const MIGRATION_LOCK_KEY = 0x64_6c_67_6d_69_67n;

/** Applies what is missing and returns the versions it applied, in order (none when up to date). */
export async function migrate(db: Kysely<Tables>, log?: Logger, migrations: readonly Migration[] = allMigrations): Promise<string[]> {
  return db.connection().execute(async (conn) => {
    const key = sql.raw(MIGRATION_LOCK_KEY.toString());
    await sql`select pg_advisory_lock(${key})`.execute(conn);
    try {
      await sql`
        create table if not exists schema_migrations (
          version text primary key,
          applied_at timestamptz not null default now()
        )`.execute(conn);
      const rows = await conn.selectFrom("schema_migrations").select("version").execute();
      const done = new Set(rows.map((r) => r.version));
      const applied: string[] = [];
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        await conn.transaction().execute(async (trx) => {
          await sql.raw(migration.up).execute(trx);
          await trx.insertInto("schema_migrations").values({ version: migration.version }).execute();
        });
        log?.info({ migration: migration.version }, "database migration applied");
        applied.push(migration.version);
      }
      return applied;
    } finally {
      await sql`select pg_advisory_unlock(${key})`.execute(conn);
    }
  });
}
