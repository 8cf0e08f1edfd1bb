// Databases for tests, on both backends. PostgreSQL is the one in .ci/run (ensure_postgres): each call gets a
// schema of its own in the database digilocker_graphql_test (every pool connection's search_path is set to it),
// dropped on close, so parallel test files never see each other's rows. PGlite is in memory. Both are migrated.
// Nothing is skipped: with PostgreSQL not answering, the postgres half of a suite fails.
//
// A repository test runs once per backend:
//
//   describe.each(BACKENDS)("Partners on %s", (kind) => {
//     let database: TestDatabase;
//     beforeAll(async () => { database = await openTestDatabase(kind); });
//     afterAll(async () => { await database.close(); });
//     beforeEach(async () => { await database.reset(); });
//     it("…", async () => { … database.db … });
//   });
import { randomBytes } from "node:crypto";
import pg from "pg";
import { sql } from "kysely";
import { openDatabase, type Database } from "../../src/db/database.js";
import { migrate } from "../../src/db/migrate.js";
import type { Logger } from "../../src/server/logger.js";

export const BACKENDS = ["postgres", "pglite"] as const;
export type Backend = (typeof BACKENDS)[number];

/** The test PostgreSQL; TEST_DATABASE_URL points elsewhere. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/digilocker_graphql_test";

export interface TestDatabase extends Database {
  /** Empties every table but schema_migrations. */
  reset(): Promise<void>;
}

export async function openTestDatabase(kind: Backend, options: { log?: Logger } = {}): Promise<TestDatabase> {
  let dropSchema = async () => {};
  let database: Database;
  if (kind === "postgres") {
    const schema = await createTestSchema();
    dropSchema = () => schema.drop();
    try {
      database = await openDatabase({ url: schema.url, dataDir: null, poolSize: 4 }, options.log);
    } catch (error) {
      await schema.drop();
      throw error;
    }
  } else {
    database = await openDatabase({ url: null, dataDir: null }, options.log);
    // In memory the schema is made and migrated on the first query: make it now, as on PostgreSQL.
    await migrate(database.db, options.log);
  }
  const { db } = database;
  return {
    ...database,
    async reset() {
      const { rows } = await sql<{ name: string }>`
        select tablename as name from pg_tables where schemaname = current_schema() and tablename <> 'schema_migrations'`.execute(db);
      if (rows.length === 0) return;
      await sql`truncate table ${sql.join(rows.map((r) => sql.table(r.name)))} restart identity cascade`.execute(db);
    },
    async close() {
      try {
        await database.close();
      } finally {
        await dropSchema();
      }
    },
  };
}

/**
 * A fresh, empty schema in the test PostgreSQL: a URL whose every connection works in it (libpq's `options`,
 * which node-postgres reads from the URL too), and its drop.
 */
export async function createTestSchema(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await admin(`create schema ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set("options", `-c search_path=${name}`);
  return { name, url: url.toString(), drop: () => admin(`drop schema if exists ${name} cascade`) };
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `the test PostgreSQL (${TEST_DATABASE_URL.replace(/:[^:@/]*@/, ":***@")}) does not answer: ${(error as Error).message}. ` +
        "Start it as .ci/run does (ensure_postgres), or point TEST_DATABASE_URL at one.",
      { cause: error },
    );
  }
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * What a test gateway needs to keep its records on `kind`: DATABASE_URL to a fresh schema of the test PostgreSQL
 * (drop() removes it once the gateway is closed), or the in-memory PGlite that startTestGateway uses anyway.
 */
export async function gatewayDatabase(kind: Backend): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (kind === "pglite") return { env: { DATA_DIR: "memory" }, drop: () => Promise.resolve() };
  const schema = await createTestSchema();
  return { env: { DATABASE_URL: schema.url }, drop: () => schema.drop() };
}
