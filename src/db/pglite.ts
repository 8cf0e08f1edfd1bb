// The embedded database. One PGlite instance per folder per process, shared by every Database opened on it and
// closed with the last; in memory, one instance per process, each Database in a schema of its own. Creating a
// PGlite runs initdb (seconds), so a process pays it once, and an in-memory Database not before its first query.
import { resolve } from "node:path";
import { PGlite, types } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, sql } from "kysely";
import type { Logger } from "../server/logger.js";
import { lockDataDir } from "./data-dir-lock.js";
import type { Database } from "./database.js";
import { migrate } from "./migrate.js";
import { PGlitePool, PGliteSession, quoteIdentifier } from "./pglite-pool.js";
import type { Tables } from "./tables.js";

/**
 * Values read as node-postgres reads them, so code and tests see one shape from both backends: int8 as a string
 * (PGlite's default, a number, loses precision), bytea as a Buffer (PGlite's default is a plain Uint8Array).
 */
const parsers = {
  [types.INT8]: (value: string) => value,
  [types.BYTEA]: (value: string) => Buffer.from(value.slice(2), "hex"),
};

async function createSession(dataDir?: string): Promise<PGliteSession> {
  return new PGliteSession(await PGlite.create({ ...(dataDir === undefined ? {} : { dataDir }), parsers }));
}

interface Folder {
  session: Promise<PGliteSession>;
  users: number;
  unlock: () => void;
}
const folders = new Map<string, Folder>();
/** Folders whose last Database is closing: an open waits, rather than start a second instance beside it. */
const closing = new Map<string, Promise<void>>();

/** A Database on a folder, migrated before it is returned. */
export async function openPGliteFolder(dataDir: string, log?: Logger): Promise<Database> {
  const dir = resolve(dataDir);
  while (closing.has(dir)) await closing.get(dir);
  let folder = folders.get(dir);
  if (!folder) {
    const unlock = lockDataDir(dir);
    const session = createSession(dir);
    folder = { session, users: 0, unlock };
    folders.set(dir, folder);
    session.catch(() => {
      folders.delete(dir);
      unlock();
    });
  }
  folder.users++;
  const entry = folder;
  const leave = async () => {
    if (--entry.users > 0) return;
    const done = (async () => {
      try {
        await (await entry.session).pglite.close();
      } finally {
        folders.delete(dir);
        closing.delete(dir);
        entry.unlock();
      }
    })();
    closing.set(dir, done.catch(() => undefined));
    await done;
  };
  let session: PGliteSession;
  try {
    session = await entry.session;
  } catch (error) {
    entry.users--;
    throw new Error(`DATA_DIR: cannot open the embedded database in ${dir}: ${(error as Error).message}`, { cause: error });
  }
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool: new PGlitePool(session) }) });
  try {
    await migrate(db, log);
  } catch (error) {
    await leave();
    throw error;
  }
  log?.info({ database: "pglite", dataDir: dir }, "database opened");
  let closed: Promise<void> | undefined;
  return {
    db,
    kind: "pglite",
    unopened: () => false,
    close: () => (closed ??= db.destroy().then(leave)),
  };
}

let memory: Promise<PGliteSession> | undefined;
let schemas = 0;

function memorySession(): Promise<PGliteSession> {
  return (memory ??= createSession().catch((error: unknown) => {
    memory = undefined;
    throw error;
  }));
}

/** A Database in memory: its schema is made and migrated on its first query; close() drops it. */
export function openPGliteMemory(log?: Logger): Database {
  const name = `db_${++schemas}`;
  const schema = quoteIdentifier(name);
  let used: PGliteSession | null = null;
  const db = new Kysely<Tables>({
    dialect: new PostgresDialect({
      // Kysely calls this on the first query, not before.
      pool: async () => {
        const session = await memorySession();
        const pool = new PGlitePool(session, { searchPath: name });
        const setup = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
        used = session;
        await sql.raw(`create schema if not exists ${schema}`).execute(setup);
        await migrate(setup, log);
        log?.info({ database: "pglite", dataDir: "memory" }, "database opened");
        return pool;
      },
    }),
  });
  const close = async () => {
    await db.destroy();
    const session: PGliteSession | null = used;
    if (session === null) return;
    await session.acquire();
    try {
      await session.pglite.exec(`drop schema if exists ${schema} cascade`);
    } finally {
      session.release();
    }
  };
  let closing: Promise<void> | undefined;
  return { db, kind: "pglite", unopened: () => used === null, close: () => (closing ??= close()) };
}
