import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LOCK_FILE } from "../../../src/db/data-dir-lock.js";
import { openDatabase, type Database } from "../../../src/db/database.js";
import { migrate } from "../../../src/db/migrate.js";
import { migrations } from "../../../src/db/migrations/index.js";
import type { Logger } from "../../../src/server/logger.js";
import { BACKENDS, createTestSchema, openTestDatabase, type TestDatabase } from "../../helpers/databases.js";

const VERSIONS = migrations.map((m) => m.version);
// A PGlite on a folder runs initdb there on first open: seconds.
const PGLITE_FOLDER_MS = 90_000;

/** A logger that keeps the migrations it is told were applied. */
function migrationLog(): { log: Logger; applied: string[] } {
  const applied: string[] = [];
  const log = {
    info: (fields: { migration?: string }) => {
      if (fields.migration !== undefined) applied.push(fields.migration);
    },
    warn: () => undefined,
  } as unknown as Logger;
  return { log, applied };
}

describe.each(BACKENDS)("the database on %s", (kind) => {
  let database: TestDatabase;
  const { log, applied } = migrationLog();

  beforeAll(async () => {
    database = await openTestDatabase(kind, { log });
  }, PGLITE_FOLDER_MS);

  afterAll(async () => {
    await database.close();
  });

  it("applies every migration once and records it", async () => {
    expect(database.kind).toBe(kind);
    expect(applied).toEqual(VERSIONS);
    const rows = await database.db.selectFrom("schema_migrations").selectAll().orderBy("version").execute();
    expect(rows.map((r) => r.version)).toEqual(VERSIONS);
    for (const row of rows) expect(row.applied_at).toBeInstanceOf(Date);
  });

  it("applies nothing when migrated again", async () => {
    expect(await migrate(database.db, log)).toEqual([]);
    expect(applied).toEqual(VERSIONS);
  });

  it("refuses two partners whose names differ only in case", async () => {
    await database.reset();
    await database.db.insertInto("partners").values({ id: "p1", name: "Acme" }).execute();
    const error: unknown = await database.db.insertInto("partners").values({ id: "p2", name: "acme" }).execute().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "23505", constraint: "partners_name_key" });
    expect(await database.db.selectFrom("partners").select("name").execute()).toEqual([{ name: "Acme" }]);
  });

  it("reads the same shapes from both backends: defaults, text[], timestamptz, bytea, int8", async () => {
    await database.reset();
    await database.db.insertInto("partners").values({ id: "p1", name: "Acme", scopes: ["a", "b"] }).execute();
    await database.db
      .insertInto("partner_keys")
      .values({ id: "k1", partner_id: "p1", secret_hash: new Uint8Array([0, 1, 254, 255]) })
      .execute();
    const partner = await database.db.selectFrom("partners").selectAll().executeTakeFirstOrThrow();
    expect(partner).toMatchObject({ status: "active", scopes: ["a", "b"], redirect_origins: [] });
    expect(partner.created_at).toBeInstanceOf(Date);
    const key = await database.db.selectFrom("partner_keys").selectAll().executeTakeFirstOrThrow();
    expect(Buffer.isBuffer(key.secret_hash)).toBe(true);
    expect([...key.secret_hash]).toEqual([0, 1, 254, 255]);
    expect(key).toMatchObject({ label: null, revoked_at: null, last_used_at: null });
    const { count } = await database.db.selectFrom("partner_keys").select((eb) => eb.fn.countAll().as("count")).executeTakeFirstOrThrow();
    expect(count).toBe("1");
    // Deleting a partner deletes its keys.
    await database.db.deleteFrom("partners").where("id", "=", "p1").execute();
    expect(await database.db.selectFrom("partner_keys").selectAll().execute()).toEqual([]);
  });

  it("undoes a migration that fails, and records nothing of it", async () => {
    const broken = { version: "9999_broken", up: "create table half_done (x int); select 1 / 0;" };
    await expect(migrate(database.db, undefined, [...migrations, broken])).rejects.toThrow(/division by zero/);
    const tables = await sql<{ n: string }>`select count(*) as n from pg_tables where schemaname = current_schema() and tablename = 'half_done'`.execute(database.db);
    expect(tables.rows).toEqual([{ n: "0" }]);
    const versions = await database.db.selectFrom("schema_migrations").select("version").execute();
    expect(versions.map((r) => r.version)).toEqual(VERSIONS);
    // The advisory lock was released: migrating again does not wait.
    expect(await migrate(database.db)).toEqual([]);
  });
});

describe("PostgreSQL", () => {
  it("applies each migration exactly once when two instances start together", async () => {
    const schema = await createTestSchema();
    const first = migrationLog();
    const second = migrationLog();
    const opened: Database[] = [];
    try {
      opened.push(
        ...(await Promise.all([
          openDatabase({ url: schema.url, dataDir: null, poolSize: 2 }, first.log),
          openDatabase({ url: schema.url, dataDir: null, poolSize: 2 }, second.log),
        ])),
      );
      expect([...first.applied, ...second.applied]).toEqual(VERSIONS);
      const [a, b] = opened;
      // And again, by the migrate calls themselves, on the two pools at once.
      expect(await Promise.all([migrate(a!.db), migrate(b!.db)])).toEqual([[], []]);
      const rows = await a!.db.selectFrom("schema_migrations").select("version").execute();
      expect(rows.map((r) => r.version)).toEqual(VERSIONS);
    } finally {
      for (const database of opened) await database.close();
      await schema.drop();
    }
  });

  it("fails to open with a message naming DATABASE_URL, never its password, when PostgreSQL does not answer", async () => {
    const error: unknown = await openDatabase({ url: "postgres://postgres:s3cret-pw@127.0.0.1:1/x", dataDir: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/^DATABASE_URL: cannot open PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/x: /);
    expect(message).toMatch(/ECONNREFUSED/);
    expect(message).not.toContain("s3cret-pw");
  });
});

describe("PGlite on a folder", () => {
  const dirs: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), "dlg-pglite-"));
    dirs.push(dir);
    return dir;
  };

  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("keeps its data across close and reopen, and is shared by the databases one process opens on it", async () => {
    const dir = folder();
    // Left by a process that no longer runs: taken over.
    writeFileSync(join(dir, LOCK_FILE), "2147483646\n");
    const first = await openDatabase({ url: null, dataDir: dir });
    expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe(`${process.pid}\n`);
    await first.db.insertInto("partners").values({ id: "p1", name: "Acme" }).execute();
    const second = await openDatabase({ url: null, dataDir: dir });
    expect(await second.db.selectFrom("partners").select("name").execute()).toEqual([{ name: "Acme" }]);
    await first.close();
    // Still open for the second one.
    expect(await second.db.selectFrom("partners").select("name").execute()).toEqual([{ name: "Acme" }]);
    await second.close();

    const reopened = migrationLog();
    const again = await openDatabase({ url: null, dataDir: dir }, reopened.log);
    try {
      expect(reopened.applied).toEqual([]);
      expect(await again.db.selectFrom("partners").select("name").execute()).toEqual([{ name: "Acme" }]);
      const rows = await again.db.selectFrom("schema_migrations").select("version").execute();
      expect(rows.map((r) => r.version)).toEqual(VERSIONS);
    } finally {
      await again.close();
    }
  }, PGLITE_FOLDER_MS);

  it("refuses a folder another running process holds, naming DATA_DIR", async () => {
    const dir = folder();
    writeFileSync(join(dir, LOCK_FILE), `${process.ppid}\n`);
    await expect(openDatabase({ url: null, dataDir: dir })).rejects.toThrow(
      new RegExp(`^DATA_DIR: .* is in use by process ${process.ppid}`),
    );
  });
});

describe("PGlite in memory", () => {
  it("gives each database its own tables", async () => {
    const a = await openDatabase({ url: null, dataDir: null });
    const b = await openDatabase({ url: null, dataDir: null });
    try {
      await a.db.insertInto("partners").values({ id: "p1", name: "Acme" }).execute();
      expect(await b.db.selectFrom("partners").selectAll().execute()).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
    // Never queried: nothing was started for it, and closing it costs nothing.
    await (await openDatabase({ url: null, dataDir: null })).close();
  }, PGLITE_FOLDER_MS);
});
