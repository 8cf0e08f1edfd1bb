// MemoryStore: the Store contract with a test clock, plus what only memory has: one bounded partition per key
// namespace, which either evicts its least recently used entry or refuses new keys when full.
import { describe, expect, it } from "vitest";
import { MemoryStore, type MemoryStorePartition, StoreFullError, StoreUnavailableError } from "../../../src/store/index.js";
import { describeStoreContract } from "../../helpers/store-contract.js";

/** A performance.now()-like clock that moves only when told; it starts far from 0 (lru-cache reads 0 as "no TTL"). */
function testClock() {
  let now = 1_000_000;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

for (const whenFull of ["evict", "refuse"] as const) {
  describeStoreContract(`MemoryStore (whenFull: ${whenFull})`, () => {
    const clock = testClock();
    const store = new MemoryStore({ partitions: { test: { maxEntries: 100, whenFull } }, clock });
    return Promise.resolve({
      store,
      elapse: (ms) => {
        clock.advance(ms);
        return Promise.resolve();
      },
    });
  });
}

/** The gateway's layout in miniature: sessions evict, anonymous consent requests are refused when full. */
function gatewayLike(clock?: { now(): number }) {
  const partitions: Record<string, MemoryStorePartition> = {
    session: { maxEntries: 5, whenFull: "evict" },
    consent: { maxEntries: 3, whenFull: "refuse" },
  };
  return new MemoryStore({ partitions, ...(clock ? { clock } : {}) });
}

describe("MemoryStore partitions", () => {
  it("a consent flood past its cap is refused with StoreFullError, and every session stays readable", async () => {
    const store = gatewayLike();
    for (let i = 1; i <= 5; i += 1) await store.set(`session:${i}`, `s${i}`, 60_000);
    for (let i = 1; i <= 3; i += 1) await store.set(`consent:${i}`, `c${i}`, 60_000);
    for (let i = 4; i <= 1000; i += 1) {
      await expect(store.set(`consent:${i}`, `c${i}`, 60_000)).rejects.toThrow(StoreFullError);
    }
    const error = await rejectionOf(store.set("consent:flood", "c", 60_000));
    if (!(error instanceof StoreFullError)) throw new Error(`expected a StoreFullError, got ${String(error)}`);
    expect(error.name).toBe("StoreFullError");
    expect(error.message).toBe("the memory store holds its maximum of 3 consent records");
    expect(error.partition).toBe("consent");
    expect(error.maxEntries).toBe(3);
    for (let i = 1; i <= 5; i += 1) expect(await store.get(`session:${i}`)).toBe(`s${i}`);
    for (let i = 1; i <= 3; i += 1) expect(await store.get(`consent:${i}`)).toBe(`c${i}`);
    expect(await store.get("consent:4")).toBeNull();
  });

  it("a full consent partition still lets an existing request be overwritten (it becomes authenticated)", async () => {
    const store = gatewayLike();
    for (let i = 1; i <= 3; i += 1) await store.set(`consent:${i}`, "pending", 60_000);
    await expect(store.set("consent:2", "authenticated", 60_000)).resolves.toBeUndefined();
    expect(await store.get("consent:1")).toBe("pending");
    expect(await store.get("consent:2")).toBe("authenticated");
    expect(await store.get("consent:3")).toBe("pending");
  });

  it("an expired entry frees room in a refusing partition; nothing live is evicted for it", async () => {
    const clock = testClock();
    const store = gatewayLike(clock);
    await store.set("consent:short", "c1", 1_000);
    await store.set("consent:2", "c2", 60_000);
    await store.set("consent:3", "c3", 60_000);
    await expect(store.set("consent:4", "c4", 60_000)).rejects.toThrow(StoreFullError);
    clock.advance(999);
    await expect(store.set("consent:4", "c4", 60_000)).rejects.toThrow(StoreFullError); // not expired yet
    clock.advance(2);
    await store.set("consent:4", "c4", 60_000);
    expect(await store.get("consent:short")).toBeNull();
    expect(await store.get("consent:2")).toBe("c2");
    expect(await store.get("consent:3")).toBe("c3");
    expect(await store.get("consent:4")).toBe("c4");
    await expect(store.set("consent:5", "c5", 60_000)).rejects.toThrow(StoreFullError);
  });

  it("take and delete free room in a refusing partition", async () => {
    const store = gatewayLike();
    for (let i = 1; i <= 3; i += 1) await store.set(`consent:${i}`, `c${i}`, 60_000);
    expect(await store.take("consent:1")).toBe("c1");
    await store.set("consent:4", "c4", 60_000);
    await store.delete("consent:2");
    await store.set("consent:5", "c5", 60_000);
    expect([await store.get("consent:3"), await store.get("consent:4"), await store.get("consent:5")]).toEqual(["c3", "c4", "c5"]);
  });

  it("an evicting partition drops its least recently used entry, and only its own", async () => {
    const store = new MemoryStore({
      partitions: { session: { maxEntries: 2, whenFull: "evict" }, consent: { maxEntries: 2, whenFull: "refuse" } },
    });
    await store.set("consent:x", "cx", 60_000);
    await store.set("session:a", "1", 60_000);
    await store.set("session:b", "2", 60_000);
    await store.get("session:a"); // a is now more recent than b
    await store.set("session:c", "3", 60_000);
    expect(await store.get("session:a")).toBe("1");
    expect(await store.get("session:b")).toBeNull();
    expect(await store.get("session:c")).toBe("3");
    expect(await store.get("consent:x")).toBe("cx");
  });

  it("keeps equal keys in different namespaces apart", async () => {
    const store = gatewayLike();
    await store.set("session:same", "session value", 60_000);
    await store.set("consent:same", "consent value", 60_000);
    expect(await store.take("session:same")).toBe("session value");
    expect(await store.get("consent:same")).toBe("consent value");
  });

  it("rejects a key whose namespace has no partition, naming the namespace but not the key", async () => {
    const store = gatewayLike();
    const key = "signin:hmac-of-a-secret-state";
    for (const operation of [() => store.get(key), () => store.set(key, "v", 60_000), () => store.take(key), () => store.delete(key)]) {
      const error = await rejectionOf(operation());
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(StoreUnavailableError);
      expect(error.message).toBe('the memory store has no partition for the key namespace "signin" (it has session, consent)');
      expect(error.message).not.toContain("hmac-of-a-secret-state");
    }
    for (const bare of ["no-namespace", ":leading-colon"]) {
      const error = await rejectionOf(store.set(bare, "v", 60_000));
      expect(error.message).toBe('a memory store key must start with its namespace and ":" (one of session, consent)');
    }
  });

  it("refuses partitions it could not honour", () => {
    expect(() => new MemoryStore({ partitions: {} })).toThrow("a memory store needs at least one partition");
    expect(() => new MemoryStore({ partitions: { session: { maxEntries: 0, whenFull: "evict" } } })).toThrow(
      "the memory store's session partition needs maxEntries of at least 1, got 0",
    );
    expect(() => new MemoryStore({ partitions: { session: { maxEntries: 1.5, whenFull: "refuse" } } })).toThrow(RangeError);
    expect(() => new MemoryStore({ partitions: { "a:b": { maxEntries: 1, whenFull: "evict" } } })).toThrow(RangeError);
    expect(() => new MemoryStore({ partitions: { "": { maxEntries: 1, whenFull: "evict" } } })).toThrow(RangeError);
  });

  it("answers ping while open, and refuses it after close", async () => {
    const store = gatewayLike();
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    const error = await rejectionOf(store.ping());
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error.message).toBe("the memory store is closed");
  });
});

describe("MemoryStore time", () => {
  it("keeps an entry for exactly its TTL, a fraction rounded up to the next millisecond", async () => {
    const clock = testClock();
    const store = gatewayLike(clock);
    await store.set("session:a", "value", 1.2);
    clock.advance(2);
    expect(await store.get("session:a")).toBe("value");
    clock.advance(1);
    expect(await store.get("session:a")).toBeNull();
  });

  it("runs on real time without a clock", async () => {
    const store = gatewayLike();
    await store.set("consent:a", "value", 20);
    expect(await store.get("consent:a")).toBe("value");
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await store.get("consent:a")).toBeNull();
  });
});
