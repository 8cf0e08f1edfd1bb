// Kysely's PostgresPool over one PGlite instance, so one PostgresDialect serves PostgreSQL (pg.Pool) and PGlite
// alike. PGlite is a single session: the pool hands it to one holder at a time, first come first served, so a
// transaction's statements never interleave with another caller's.
import type { PGlite } from "@electric-sql/pglite";
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";

/** One PGlite instance and the turn to use it: several pools (one per schema) may share it. */
export class PGliteSession {
  #held = false;
  readonly #waiting: (() => void)[] = [];

  constructor(readonly pglite: PGlite) {}

  /** Resolves when the caller holds the session; callers are served in the order they asked. */
  acquire(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#held = false;
  }
}

export interface PGlitePoolOptions {
  /** Set on the session each time a connection is handed out: one schema per pool over a shared instance. */
  searchPath?: string;
}

export class PGlitePool implements PostgresPool {
  readonly #session: PGliteSession;
  readonly #owns: boolean;
  readonly #setSearchPath: string | null;
  #ended = false;

  /** Over a PGlite of its own (closed by end()), or a session shared with other pools (left open). */
  constructor(target: PGlite | PGliteSession, options: PGlitePoolOptions = {}) {
    this.#owns = !(target instanceof PGliteSession);
    this.#session = target instanceof PGliteSession ? target : new PGliteSession(target);
    this.#setSearchPath = options.searchPath === undefined ? null : `set search_path to ${quoteIdentifier(options.searchPath)}`;
  }

  async connect(): Promise<PostgresPoolClient> {
    if (this.#ended) throw new Error("the PGlite pool has ended");
    await this.#session.acquire();
    try {
      // Every time, not only when it changed: a holder's own SET would otherwise leak into the next one's turn.
      if (this.#setSearchPath !== null) await this.#session.pglite.exec(this.#setSearchPath);
    } catch (error) {
      this.#session.release();
      throw error;
    }
    return new PGliteClient(this.#session);
  }

  /** Waits for the current holder; closes the PGlite only when the pool was given one of its own. */
  async end(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    if (!this.#owns) return;
    await this.#session.acquire();
    try {
      await this.#session.pglite.close();
    } finally {
      this.#session.release();
    }
  }
}

class PGliteClient implements PostgresPoolClient {
  readonly #session: PGliteSession;
  #released = false;

  constructor(session: PGliteSession) {
    this.#session = session;
  }

  query<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(sqlOrCursor: string | PostgresCursor<R>, parameters: readonly unknown[] = []): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sqlOrCursor !== "string") throw new Error("the PGlite pool does not support cursors (Kysely's stream())");
    return this.#run<R>(sqlOrCursor, parameters);
  }

  /** `destroy`: Kysely gave up on the connection (a failed rollback); the one session is cleaned, not dropped. */
  release(destroy = false): void {
    if (this.#released) return;
    this.#released = true;
    if (!destroy) {
      this.#session.release();
      return;
    }
    void this.#session.pglite
      .exec("rollback")
      .catch(() => undefined)
      .finally(() => { this.#session.release(); });
  }

  async #run<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>> {
    if (this.#released) throw new Error("query on a released PGlite connection");
    const { pglite } = this.#session;
    // Kysely compares `command` with INSERT, UPDATE, DELETE, MERGE, COMMIT and ROLLBACK only; PGlite gives the tag's verb.
    if (parameters.length > 0) {
      const result = await pglite.query<R>(sql, [...parameters]);
      return { command: result.command as PostgresQueryResult<R>["command"], rowCount: result.affectedRows ?? 0, rows: result.rows };
    }
    // Without parameters the simple protocol, as node-postgres does: a migration's several statements run as one.
    // PGlite adds up affectedRows across the statements; the last one's own count is the difference.
    const results = await pglite.exec(sql);
    const last = results.at(-1);
    const before = results.at(-2)?.affectedRows ?? 0;
    return {
      command: (last?.command ?? "SELECT") as PostgresQueryResult<R>["command"],
      rowCount: (last?.affectedRows ?? 0) - before,
      rows: (last?.rows ?? []) as R[],
    };
  }
}

/** A double-quoted SQL identifier. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
