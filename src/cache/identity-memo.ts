// A value derived from cached objects, kept per key while every input is the same object. The meta caches
// replace a list on refresh and never mutate it, so "same objects" means "same data", and a refresh or an
// eviction rebuilds the value on its next read. Bounded: past maxKeys the least recently used key goes.
import { LRUCache } from "lru-cache";

interface Entry<V> {
  inputs: readonly object[];
  value: V;
}

export class IdentityMemo<V extends object> {
  readonly #entries: LRUCache<string, Entry<V>>;

  constructor(maxKeys: number) {
    this.#entries = new LRUCache<string, Entry<V>>({ max: maxKeys });
  }

  /** The value kept for `key` if it was built from these very inputs, in this order; else build() kept. */
  get(key: string, inputs: readonly object[], build: () => V): V {
    const entry = this.#entries.get(key);
    if (entry !== undefined && sameObjects(entry.inputs, inputs)) return entry.value;
    const value = build();
    this.#entries.set(key, { inputs, value });
    return value;
  }

  get size(): number {
    return this.#entries.size;
  }
}

function sameObjects(a: readonly object[], b: readonly object[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
