// PostgreSQL through a pg.Pool. A server that does not answer fails the start within CONNECT_TIMEOUT_MS, with a
// message naming DATABASE_URL by its URL without the password; later failures reject the query that met them.
import pg from "pg";
import { Kysely, PostgresDialect } from "kysely";
import type { Logger } from "../server/logger.js";
import type { Database } from "./database.js";
import { migrate } from "./migrate.js";
import type { Tables } from "./tables.js";

/** How long a query waits for a connection (at start: for the server to answer) before it fails. */
const CONNECT_TIMEOUT_MS = 5_000;

export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
}

export async function openPostgres(url: string, poolSize: number, log?: Logger): Promise<Database> {
  const where = describeUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // An idle connection that breaks (a server restart) is dropped and replaced by the pool; without a listener
  // its 'error' event would end the process.
  pool.on("error", (error) => {
    log?.warn({ database: where, reason: scrub(error.message, url) }, "an idle database connection failed");
  });
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  const reasonOf = (error: unknown) => scrub(error instanceof Error ? error.message : String(error), url);
  try {
    (await pool.connect()).release();
  } catch (error) {
    await pool.end();
    throw new DatabaseUnavailableError(`DATABASE_URL: cannot open PostgreSQL at ${where}: ${reasonOf(error)}`, { cause: error });
  }
  try {
    await migrate(db, log);
  } catch (error) {
    await db.destroy();
    throw new Error(`DATABASE_URL: migrating PostgreSQL at ${where} failed: ${reasonOf(error)}`, { cause: error });
  }
  log?.info({ database: where, poolSize }, "database opened");
  let closing: Promise<void> | undefined;
  return { db, kind: "postgres", unopened: () => false, close: () => (closing ??= db.destroy()) };
}

/** The URL as it may appear in messages: scheme, user, host, port and database; no password, no query. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username === "" ? "" : `${u.username}@`;
    return `${u.protocol}//${user}${u.host}${u.pathname}`;
  } catch {
    return "(an unparsable DATABASE_URL)";
  }
}

/** Removes the URL's password from a message, should a server or driver ever echo it. */
function scrub(text: string, url: string): string {
  let password = "";
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    return text;
  }
  return password === "" ? text : text.replaceAll(password, "***");
}
