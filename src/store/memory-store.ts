// The default store: one process's memory, one bounded LRU per kind of record (the key's namespace, before its
// first ":"), so that a flood of one kind (anonymous consent requests) can never push out another (sessions).
// Every operation is synchronous underneath, so take() is atomic without any locking.
import { LRUCache } from "lru-cache";
import { type Store, StoreFullError, StoreUnavailableError, wholeTtlMs } from "./store.js";

export interface MemoryStorePartition {
  /** Most entries of this kind held at once. */
  maxEntries: number;
  /**
   * What a set of a NEW key does when the partition is full. "evict": the least recently used entry goes (for
   * records only a completed sign-in creates). "refuse": expired entries are purged, and if the partition is still
   * full the set rejects with StoreFullError (for records anyone can create); nothing live is evicted to make room.
   * Overwriting a key that is present always succeeds.
   */
  whenFull: "evict" | "refuse";
}

export interface MemoryStoreOptions {
  /** One partition per key namespace, e.g. `session`, `signin`, `consent` (the Vault's). A key in any other namespace is rejected. */
  partitions: Record<string, MemoryStorePartition>;
  /** A performance.now()-like clock (lru-cache's `perf`), so tests can move time. It must not read 0: lru-cache takes a start of 0 as "no TTL". */
  clock?: { now(): number };
}

interface Partition extends MemoryStorePartition {
  name: string;
  entries: LRUCache<string, string>;
}

export class MemoryStore implements Store {
  readonly #partitions = new Map<string, Partition>();
  #closed = false;

  constructor(options: MemoryStoreOptions) {
    for (const [name, { maxEntries, whenFull }] of Object.entries(options.partitions)) {
      if (!/^[^:]+$/.test(name)) throw new RangeError(`a memory store partition is named by its key namespace: not empty, no ":" (got "${name}")`);
      if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
        throw new RangeError(`the memory store's ${name} partition needs maxEntries of at least 1, got ${maxEntries}`);
      }
      const entries = new LRUCache<string, string>({
        max: maxEntries,
        // ttlResolution 0: lru-cache otherwise reuses one now() for a millisecond, so an entry could outlive its TTL
        // by that much, and one a test clock has just moved past its TTL would still read as present.
        ttlResolution: 0,
        ...(options.clock ? { perf: options.clock } : {}),
      });
      this.#partitions.set(name, { name, maxEntries, whenFull, entries });
    }
    if (this.#partitions.size === 0) throw new RangeError("a memory store needs at least one partition");
  }

  get(key: string): Promise<string | null> {
    return this.#run(() => this.#partitionOf(key).entries.get(key) ?? null);
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    return this.#run(() => {
      const ttl = wholeTtlMs(ttlMs);
      const { name, maxEntries, whenFull, entries } = this.#partitionOf(key);
      // has() is false for an expired entry: that key counts as new, and the purge below removes it.
      if (whenFull === "refuse" && !entries.has(key) && entries.size >= maxEntries) {
        entries.purgeStale();
        if (entries.size >= maxEntries) throw new StoreFullError(name, maxEntries);
      }
      entries.set(key, value, { ttl });
    });
  }

  take(key: string): Promise<string | null> {
    return this.#run(() => {
      const { entries } = this.#partitionOf(key);
      const value = entries.get(key);
      entries.delete(key);
      return value ?? null;
    });
  }

  delete(key: string): Promise<void> {
    return this.#run(() => {
      this.#partitionOf(key).entries.delete(key);
    });
  }

  ping(): Promise<void> {
    return this.#run(() => undefined);
  }

  close(): Promise<void> {
    this.#closed = true;
    for (const { entries } of this.#partitions.values()) entries.clear();
    return Promise.resolve();
  }

  /** The key's partition. A namespace without one is a bug in the caller: the message names the namespace, never the key. */
  #partitionOf(key: string): Partition {
    const colon = key.indexOf(":");
    const namespace = colon < 1 ? null : key.slice(0, colon);
    const partition = namespace === null ? undefined : this.#partitions.get(namespace);
    if (partition) return partition;
    const known = [...this.#partitions.keys()].join(", ");
    throw new Error(
      namespace === null
        ? `a memory store key must start with its namespace and ":" (one of ${known})`
        : `the memory store has no partition for the key namespace "${namespace}" (it has ${known})`,
    );
  }

  /** Errors become rejections (thrown in an executor), as from RedisStore. Use after close() is a shutdown-ordering bug: say so. */
  #run<T>(operation: () => T): Promise<T> {
    return new Promise((resolve) => {
      if (this.#closed) throw new StoreUnavailableError("the memory store is closed");
      resolve(operation());
    });
  }
}
