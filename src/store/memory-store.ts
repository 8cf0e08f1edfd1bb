// The default store: one process's memory, bounded by entry count (least recently used goes first).
// Every operation is synchronous underneath, so take() is atomic without any locking.
import { LRUCache } from "lru-cache";
import { type Store, StoreUnavailableError, wholeTtlMs } from "./store.js";

export interface MemoryStoreOptions {
  maxEntries: number;
  /** A performance.now()-like clock (lru-cache's `perf`), so tests can move time. It must not read 0: lru-cache takes a start of 0 as "no TTL". */
  clock?: { now(): number };
}

export class MemoryStore implements Store {
  readonly #entries: LRUCache<string, string>;
  #closed = false;

  constructor(options: MemoryStoreOptions) {
    this.#entries = new LRUCache<string, string>({
      max: options.maxEntries,
      // ttlResolution 0: lru-cache otherwise reuses one now() for a millisecond, so an entry could outlive its TTL
      // by that much, and one a test clock has just moved past its TTL would still read as present.
      ttlResolution: 0,
      ...(options.clock ? { perf: options.clock } : {}),
    });
  }

  get(key: string): Promise<string | null> {
    return this.#run(() => this.#entries.get(key) ?? null);
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    return this.#run(() => {
      this.#entries.set(key, value, { ttl: wholeTtlMs(ttlMs) });
    });
  }

  take(key: string): Promise<string | null> {
    return this.#run(() => {
      const value = this.#entries.get(key);
      this.#entries.delete(key);
      return value ?? null;
    });
  }

  delete(key: string): Promise<void> {
    return this.#run(() => {
      this.#entries.delete(key);
    });
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#entries.clear();
    return Promise.resolve();
  }

  /** Errors become rejections (thrown in an executor), as from RedisStore. Use after close() is a shutdown-ordering bug: say so. */
  #run<T>(operation: () => T): Promise<T> {
    return new Promise((resolve) => {
      if (this.#closed) throw new StoreUnavailableError("the memory store is closed");
      resolve(operation());
    });
  }
}
