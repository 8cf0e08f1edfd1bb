// MemoryStore: the Store contract with a test clock, plus what only memory has: a bound on entries.
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../../src/store/index.js";
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

describeStoreContract("MemoryStore", () => {
  const clock = testClock();
  const store = new MemoryStore({ maxEntries: 100, clock });
  return Promise.resolve({
    store,
    elapse: (ms) => {
      clock.advance(ms);
      return Promise.resolve();
    },
  });
});

describe("MemoryStore", () => {
  it("drops the least recently used entry beyond maxEntries", async () => {
    const store = new MemoryStore({ maxEntries: 2 });
    await store.set("a", "1", 60_000);
    await store.set("b", "2", 60_000);
    await store.get("a"); // a is now more recent than b
    await store.set("c", "3", 60_000);
    expect(await store.get("a")).toBe("1");
    expect(await store.get("b")).toBeNull();
    expect(await store.get("c")).toBe("3");
  });

  it("keeps an entry for exactly its TTL, a fraction rounded up to the next millisecond", async () => {
    const clock = testClock();
    const store = new MemoryStore({ maxEntries: 10, clock });
    await store.set("a", "value", 1.2);
    clock.advance(2);
    expect(await store.get("a")).toBe("value");
    clock.advance(1);
    expect(await store.get("a")).toBeNull();
  });

  it("runs on real time without a clock", async () => {
    const store = new MemoryStore({ maxEntries: 10 });
    await store.set("a", "value", 20);
    expect(await store.get("a")).toBe("value");
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await store.get("a")).toBeNull();
  });
});
