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

    it("answers null for a key never set", async () => {
      expect(await store.get("missing")).toBeNull();
      expect(await store.take("missing")).toBeNull();
    });

    it("gives back what was set, byte for byte", async () => {
      const value = 'v1.{"json": "ü ✓"}\u0000\n\ttrailing ';
      await store.set("a", value, 60_000);
      expect(await store.get("a")).toBe(value);
      expect(await store.get("a")).toBe(value); // get does not consume
      await store.set("empty", "", 60_000);
      expect(await store.get("empty")).toBe("");
    });

    it("keeps keys apart", async () => {
      await store.set("k1", "one", 60_000);
      await store.set("k2", "two", 60_000);
      expect(await store.get("k1")).toBe("one");
      expect(await store.get("k2")).toBe("two");
    });

    it("overwrites on set", async () => {
      await store.set("a", "first", 60_000);
      await store.set("a", "second", 60_000);
      expect(await store.get("a")).toBe("second");
    });

    it("deletes, and deleting a missing key is not an error", async () => {
      await store.set("a", "value", 60_000);
      await store.delete("a");
      expect(await store.get("a")).toBeNull();
      await expect(store.delete("never-there")).resolves.toBeUndefined();
    });

    it("take returns the value once and removes it", async () => {
      await store.set("state", "single-use", 60_000);
      expect(await store.take("state")).toBe("single-use");
      expect(await store.take("state")).toBeNull();
      expect(await store.get("state")).toBeNull();
    });

    it("of concurrent takes, exactly one gets the value", async () => {
      await store.set("state", "single-use", 60_000);
      const results = await Promise.all(Array.from({ length: 10 }, () => store.take("state")));
      expect(results.filter((result) => result === "single-use")).toHaveLength(1);
      expect(results.filter((result) => result === null)).toHaveLength(9);
    });

    it("expires each entry after its own TTL", async () => {
      await store.set("short", "s", 50);
      await store.set("long", "l", 60_000);
      expect(await store.get("short")).toBe("s");
      await elapse(120);
      expect(await store.get("short")).toBeNull();
      expect(await store.take("short")).toBeNull();
      expect(await store.get("long")).toBe("l");
    });

    it("an overwrite sets a new TTL", async () => {
      await store.set("a", "short-lived", 50);
      await store.set("a", "long-lived", 60_000);
      await elapse(120);
      expect(await store.get("a")).toBe("long-lived");
    });

    it("takes a fractional TTL (rounded to whole milliseconds: Redis's PX wants an integer)", async () => {
      await store.set("a", "value", 49.5);
      expect(await store.get("a")).toBe("value");
      await elapse(120);
      expect(await store.get("a")).toBeNull();
    });

    it("rejects a TTL that is not positive and finite (a caller bug) and stores nothing", async () => {
      for (const ttl of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        await expect(store.set("a", "value", ttl)).rejects.toThrow(RangeError);
      }
      expect(await store.get("a")).toBeNull();
    });

    it("after close, refuses every operation with StoreUnavailableError; closing twice is fine", async () => {
      await store.set("a", "value", 60_000);
      await store.close();
      await expect(store.close()).resolves.toBeUndefined();
      await expect(store.get("a")).rejects.toThrow(StoreUnavailableError);
      await expect(store.set("a", "value", 60_000)).rejects.toThrow(StoreUnavailableError);
      await expect(store.take("a")).rejects.toThrow(StoreUnavailableError);
      await expect(store.delete("a")).rejects.toThrow(StoreUnavailableError);
    });
  });
}
