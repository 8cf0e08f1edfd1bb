// CachedFetcher in isolation: a fake load function and a manual clock, so every call is counted exactly.
import { describe, expect, it } from "vitest";
import { CachedFetcher } from "../../../src/cache/cached-fetcher.js";

const TTL = 1_000;

class Clock {
  #now = 1_000_000;
  now(): number {
    return this.#now;
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

/** A load function whose calls are counted and whose answers the test releases one by one. */
function fakeLoad() {
  const calls: string[] = [];
  const pending: { key: string; resolve: (v: { value: string }) => void; reject: (e: Error) => void }[] = [];
  const load = (key: string) =>
    new Promise<{ value: string }>((resolve, reject) => {
      calls.push(key);
      pending.push({ key, resolve, reject });
    });
  const settle = async (how: "resolve" | "reject", value = "v") => {
    const next = pending.shift();
    if (!next) throw new Error("no load is pending");
    if (how === "resolve") next.resolve({ value: `${value}:${next.key}` });
    else next.reject(new Error(`upstream failed for ${next.key}`));
    // Let the cache see the settled promise.
    await new Promise((r) => setImmediate(r));
  };
  return { load, calls, pending, settle };
}

function setup(maxEntries = 10) {
  const clock = new Clock();
  const fake = fakeLoad();
  const cache = new CachedFetcher<string, { value: string }>(fake.load, { ttlMs: TTL, maxEntries, clock });
  return { clock, fake, cache };
}

describe("CachedFetcher", () => {
  it("shares one load between concurrent misses of a key", async () => {
    const { fake, cache } = setup();
    const gets = Array.from({ length: 50 }, () => cache.get("a"));
    expect(fake.calls).toEqual(["a"]);
    await fake.settle("resolve");
    const values = await Promise.all(gets);
    expect(new Set(values.map((v) => v.value))).toEqual(new Set(["v:a"]));
  });

  it("answers fresh hits without loading, and loads each key on its own", async () => {
    const { fake, cache } = setup();
    const a = cache.get("a");
    await fake.settle("resolve");
    await a;
    expect(await cache.get("a")).toEqual({ value: "v:a" });
    const b = cache.get("b");
    await fake.settle("resolve");
    expect(await b).toEqual({ value: "v:b" });
    expect(fake.calls).toEqual(["a", "b"]);
  });

  it("answers a stale hit at once and refreshes it in the background", async () => {
    const { clock, fake, cache } = setup();
    const first = cache.get("a");
    await fake.settle("resolve", "old");
    await first;
    clock.advance(TTL + 1);
    // No load is released, yet the stale value comes back: stale-while-revalidate.
    expect(await cache.get("a")).toEqual({ value: "old:a" });
    expect(fake.calls).toEqual(["a", "a"]);
    // A second stale read while the refresh is in flight does not start another.
    expect(await cache.get("a")).toEqual({ value: "old:a" });
    expect(fake.calls).toEqual(["a", "a"]);
    await fake.settle("resolve", "new");
    expect(await cache.get("a")).toEqual({ value: "new:a" });
    expect(fake.calls).toHaveLength(2);
  });

  it("sees the clock move at once (no now() reused across reads)", async () => {
    const { clock, fake, cache } = setup();
    const first = cache.get("a");
    await fake.settle("resolve");
    await first;
    await cache.get("a"); // a fresh hit reads the clock
    clock.advance(TTL + 1);
    await cache.get("a");
    expect(fake.calls).toEqual(["a", "a"]);
    await fake.settle("resolve");
  });

  it("keeps serving the stale value when the refresh fails, and tries again on the next read", async () => {
    const { clock, fake, cache } = setup();
    const first = cache.get("a");
    await fake.settle("resolve", "old");
    await first;
    clock.advance(TTL + 1);
    expect(await cache.get("a")).toEqual({ value: "old:a" });
    await fake.settle("reject");
    expect(await cache.get("a")).toEqual({ value: "old:a" });
    expect(fake.calls).toEqual(["a", "a", "a"]);
    await fake.settle("resolve", "new");
    expect(await cache.get("a")).toEqual({ value: "new:a" });
  });

  it("does not cache an error: the next read loads again", async () => {
    const { fake, cache } = setup();
    const failing = expect(cache.get("a")).rejects.toThrow("upstream failed for a");
    await fake.settle("reject");
    await failing;
    const next = cache.get("a");
    expect(fake.calls).toEqual(["a", "a"]);
    await fake.settle("resolve");
    expect(await next).toEqual({ value: "v:a" });
  });

  it("shares a failing load between concurrent readers", async () => {
    const { fake, cache } = setup();
    const gets = Promise.allSettled([cache.get("a"), cache.get("a"), cache.get("a")]);
    await fake.settle("reject");
    const results = await gets;
    expect(results.map((r) => (r.status === "rejected" ? String(r.reason) : "fulfilled"))).toEqual(
      Array(3).fill("Error: upstream failed for a"),
    );
    expect(fake.calls).toEqual(["a"]);
  });

  it("evicts the least recently used key beyond maxEntries", async () => {
    const { fake, cache } = setup(2);
    for (const key of ["a", "b"]) {
      const get = cache.get(key);
      await fake.settle("resolve");
      await get;
    }
    await cache.get("a"); // a is now the most recently used
    const c = cache.get("c");
    await fake.settle("resolve");
    await c;
    await cache.get("a");
    expect(fake.calls).toEqual(["a", "b", "c"]);
    const b = cache.get("b");
    expect(fake.calls).toEqual(["a", "b", "c", "b"]);
    await fake.settle("resolve");
    await b;
  });

  it("fresh() answers a fresh value only, without loading, and leaves a stale one for get() to serve", async () => {
    const { clock, fake, cache } = setup();
    expect(cache.fresh("a")).toBeUndefined();
    const first = cache.get("a");
    expect(cache.fresh("a")).toBeUndefined(); // still loading
    await fake.settle("resolve", "old");
    const old = await first;
    expect(cache.fresh("a")).toBe(old);
    expect(fake.calls).toEqual(["a"]);

    clock.advance(TTL + 1);
    expect(cache.fresh("a")).toBeUndefined();
    expect(fake.calls).toEqual(["a"]);
    // The stale value is still there: get() serves it and refreshes.
    expect(await cache.get("a")).toBe(old);
    expect(fake.calls).toEqual(["a", "a"]);
    expect(cache.fresh("a")).toBeUndefined(); // being refreshed
    await fake.settle("resolve", "new");
    expect(cache.fresh("a")).toEqual({ value: "new:a" });
    expect(fake.calls).toHaveLength(2);
  });

  it("clear() forgets everything", async () => {
    const { fake, cache } = setup();
    const a = cache.get("a");
    await fake.settle("resolve");
    await a;
    cache.clear();
    const again = cache.get("a");
    expect(fake.calls).toEqual(["a", "a"]);
    await fake.settle("resolve");
    await again;
  });
});
