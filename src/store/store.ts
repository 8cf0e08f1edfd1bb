// The one seam between sign-in state (pending sign-ins, sessions, consent requests) and where it lives:
// in this process (MemoryStore) or shared between gateway instances (RedisStore).

/** A string key-value store with per-entry TTL: the one seam between sign-in state and where it lives. */
export interface Store {
  get(key: string): Promise<string | null>;
  /** ttlMs > 0; overwrites. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Reads and deletes in one atomic step (single-use values: sign-in state). Two concurrent takes: one wins, the other gets null. */
  take(key: string): Promise<string | null>;
  delete(key: string): Promise<void>;
  /** Resolves when the store answers (a readiness check); rejects with StoreUnavailableError when it does not, or is closed. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The store cannot answer: Redis is down or unreachable, or the store was closed. Never carries a credential. */
export class StoreUnavailableError extends Error {
  override name = "StoreUnavailableError";
}

/**
 * The memory store refused to create a record: that kind of record (`partition`, a key namespace such as
 * "consent") is at its cap of `maxEntries` live entries. Overwriting a record that exists is never refused.
 */
export class StoreFullError extends Error {
  override name = "StoreFullError";

  constructor(
    readonly partition: string,
    readonly maxEntries: number,
  ) {
    super(`the memory store holds its maximum of ${maxEntries} ${partition} records`);
  }
}

/**
 * A TTL as whole milliseconds, rounded up so a fraction never becomes "no expiry" or "expired at once".
 * Anything not positive and finite is a caller bug, thrown rather than stored as a value that never expires.
 */
export function wholeTtlMs(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`ttlMs must be a positive number of milliseconds, got ${ttlMs}`);
  return Math.ceil(ttlMs);
}
