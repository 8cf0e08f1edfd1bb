// One cached upstream read: lru-cache's fetch() gives in-flight de-duplication (concurrent misses share
// one call), stale-while-revalidate (a stale hit answers at once and refreshes in the background) and
// serve-stale when the refresh fails. Rejections are never stored, so an error is not cached.
import { LRUCache } from "lru-cache";

export interface Clock {
  now(): number;
}

export interface CachedFetcherOptions {
  ttlMs: number;
  maxEntries: number;
  clock?: Clock;
}

export class CachedFetcher<K extends string, V extends object> {
  readonly #cache: LRUCache<K, V>;

  constructor(load: (key: K) => Promise<V>, options: CachedFetcherOptions) {
    this.#cache = new LRUCache<K, V>({
      max: options.maxEntries,
      ttl: options.ttlMs,
      // ttlResolution 0: lru-cache otherwise reuses one now() for a millisecond, so an entry a test clock
      // has just moved past its TTL could still read as fresh.
      ...(options.clock ? { perf: options.clock, ttlResolution: 0 } : {}),
      fetchMethod: (key) => load(key),
      // A stale hit answers with the stale value while one refresh runs (readers during it get it too);
      // a failed refresh leaves the stale value in place. Not allowStaleOnFetchRejection: with no stale
      // value (a cold miss) it would resolve undefined instead of rejecting with the upstream error.
      allowStale: true,
      noDeleteOnStaleGet: true,
      noDeleteOnFetchRejection: true,
      allowStaleOnFetchAbort: true,
    });
  }

  async get(key: K): Promise<V> {
    const value = await this.#cache.fetch(key);
    // fetch() resolves undefined only when the fetchMethod does; ours never does.
    if (value === undefined) throw new Error(`cache fetch for ${key} produced no value`);
    return value;
  }

  /**
   * The cached value when it is fresh, without a promise; undefined when it is missing, loading, stale or
   * being refreshed: then get() does what this cannot (load, serve stale while refreshing, share the call
   * in flight). Never loads, and leaves a stale entry in place.
   */
  fresh(key: K): V | undefined {
    // A new options object per call: lru-cache writes a status field into the one it is given.
    return this.#cache.get(key, { allowStale: false });
  }

  clear(): void {
    this.#cache.clear();
  }
}
