// What every Store promises, written once and run against each implementation (MemoryStore in the unit
// tests, RedisStore against a real Redis in the integration tests), so the two cannot drift apart.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Store, StoreUnavailableError } from "../../src/store/index.js";

export interface StoreUnderTest {
  store: Store;
  /** Lets `ms` of the store's time pass: a test clock moved on, or a real wait. */
  elapse: (ms: number) => Promise<void>;
  /** Removes whatever the test left behind (Redis keys); runs after close(). */
  cleanup?: () => Promise<void>;
}

/**
 * Keys are namespaced as the Vault writes them (`namespace:rest`): every key here is in the namespace `test`,
 * which a store under test must accept.
 */
export function describeStoreContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`${name}: the Store contract`, () => {
    let subject: StoreUnderTest | undefined;
    let store: Store;
    let elapse: (ms: number) => Promise<void>;

    beforeEach(async () => {
      subject = await makeStore();
      ({ store, elapse } = subject);
    });

    afterEach(async () => {
      // Undefined when makeStore failed (Redis down): that failure is the test's, not the cleanup's.
      const done = subject;
      subject = undefined;
      await done?.store.close();
      await done?.cleanup?.();
    });

    it("answers ping while open", async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it("answers null for a key never set", async () => {
      expect(await store.get("test:missing")).toBeNull();
      expect(await store.take("test:missing")).toBeNull();
    });

    it("gives back what was set, byte for byte", async () => {
      const value = 'v1.{"json": "ü ✓"}\u0000\n\ttrailing ';
      await store.set("test:a", value, 60_000);
      expect(await store.get("test:a")).toBe(value);
      expect(await store.get("test:a")).toBe(value); // get does not consume
      await store.set("test:empty", "", 60_000);
      expect(await store.get("test:empty")).toBe("");
    });

    it("keeps keys apart", async () => {
      await store.set("test:k1", "one", 60_000);
      await store.set("test:k2", "two", 60_000);
      expect(await store.get("test:k1")).toBe("one");
      expect(await store.get("test:k2")).toBe("two");
    });

    it("overwrites on set", async () => {
      await store.set("test:a", "first", 60_000);
      await store.set("test:a", "second", 60_000);
      expect(await store.get("test:a")).toBe("second");
    });

    it("deletes, and deleting a missing key is not an error", async () => {
      await store.set("test:a", "value", 60_000);
      await store.delete("test:a");
      expect(await store.get("test:a")).toBeNull();
      await expect(store.delete("test:never-there")).resolves.toBeUndefined();
    });

    it("take returns the value once and removes it", async () => {
      await store.set("test:state", "single-use", 60_000);
      expect(await store.take("test:state")).toBe("single-use");
      expect(await store.take("test:state")).toBeNull();
      expect(await store.get("test:state")).toBeNull();
    });

    it("of concurrent takes, exactly one gets the value", async () => {
      await store.set("test:state", "single-use", 60_000);
      const results = await Promise.all(Array.from({ length: 10 }, () => store.take("test:state")));
      expect(results.filter((result) => result === "single-use")).toHaveLength(1);
      expect(results.filter((result) => result === null)).toHaveLength(9);
    });

    it("expires each entry after its own TTL", async () => {
      await store.set("test:short", "s", 50);
      await store.set("test:long", "l", 60_000);
      expect(await store.get("test:short")).toBe("s");
      await elapse(120);
      expect(await store.get("test:short")).toBeNull();
      expect(await store.take("test:short")).toBeNull();
      expect(await store.get("test:long")).toBe("l");
    });

    it("an overwrite sets a new TTL", async () => {
      await store.set("test:a", "short-lived", 50);
      await store.set("test:a", "long-lived", 60_000);
      await elapse(120);
      expect(await store.get("test:a")).toBe("long-lived");
    });

    it("takes a fractional TTL (rounded to whole milliseconds: Redis's PX wants an integer)", async () => {
      await store.set("test:a", "value", 49.5);
      expect(await store.get("test:a")).toBe("value");
      await elapse(120);
      expect(await store.get("test:a")).toBeNull();
    });

    it("rejects a TTL that is not positive and finite (a caller bug) and stores nothing", async () => {
      for (const ttl of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        await expect(store.set("test:a", "value", ttl)).rejects.toThrow(RangeError);
      }
      expect(await store.get("test:a")).toBeNull();
    });

    it("after close, refuses every operation with StoreUnavailableError; closing twice is fine", async () => {
      await store.set("test:a", "value", 60_000);
      await store.close();
      await expect(store.close()).resolves.toBeUndefined();
      await expect(store.get("test:a")).rejects.toThrow(StoreUnavailableError);
      await expect(store.set("test:a", "value", 60_000)).rejects.toThrow(StoreUnavailableError);
      await expect(store.take("test:a")).rejects.toThrow(StoreUnavailableError);
      await expect(store.delete("test:a")).rejects.toThrow(StoreUnavailableError);
      await expect(store.ping()).rejects.toThrow(StoreUnavailableError);
    });
  });
}
