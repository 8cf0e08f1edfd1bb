// RedisStore against the real Redis on 127.0.0.1:6379 (.ci/run starts one). Each run writes under its own
// key prefix and removes its keys afterwards, so parallel runs do not collide. A missing Redis fails these
// tests: they are how we know the shared store works.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { RedisStore, StoreUnavailableError, Vault } from "../../../src/store/index.js";
import { startPrivateRedis } from "../../helpers/private-redis.js";
import { describeStoreContract } from "../../helpers/store-contract.js";

const url = "redis://127.0.0.1:6379";

/** Every key under `prefix` (SCAN, not KEYS: it does not block a shared server). */
async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, "\\$&")}*`;
  const found: string[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 100);
    found.push(...keys);
    cursor = next;
  } while (cursor !== "0");
  return found;
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  if (keys.length > 0) await redis.del(...keys);
}

// Connects on first use, so that without Redis each test fails on its own (a failed beforeAll would report
// them as skipped).
const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
admin.on("error", () => undefined); // each command's own rejection says what went wrong
afterAll(() => {
  admin.disconnect();
});

describeStoreContract("RedisStore", async () => {
  const keyPrefix = `dlg-test:${randomUUID()}:`;
  const store = await RedisStore.connect({ url, keyPrefix, connectTimeoutMs: 2000 });
  return {
    store,
    elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    cleanup: () => deleteKeys(admin, keyPrefix),
  };
});

describe("RedisStore on a real Redis", () => {
  it("keeps values under its prefix with a millisecond TTL (SET PX), and take is GETDEL", async () => {
    const keyPrefix = `dlg-test:${randomUUID()}:`;
    const store = await RedisStore.connect({ url, keyPrefix });
    try {
      await store.set("state", "value", 30_000.2);
      expect(await admin.get(`${keyPrefix}state`)).toBe("value");
      const pttl = await admin.pttl(`${keyPrefix}state`);
      expect(pttl).toBeGreaterThan(29_000);
      expect(pttl).toBeLessThanOrEqual(30_001);
      expect(await store.take("state")).toBe("value");
      expect(await admin.exists(`${keyPrefix}state`)).toBe(0);
    } finally {
      await store.close();
      await deleteKeys(admin, keyPrefix);
    }
  });

  it("answers ping", async () => {
    const store = await RedisStore.connect({ url, keyPrefix: `dlg-test:${randomUUID()}:` });
    try {
      await expect(store.ping()).resolves.toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it("ping fails within the command timeout while Redis is down, and answers again once it is back", async () => {
    const redis = await startPrivateRedis(); // stopping the shared 6379 would fail every other test
    const store = await RedisStore.connect({ url: redis.url, connectTimeoutMs: 500 });
    try {
      await expect(store.ping()).resolves.toBeUndefined();
      await redis.stop();
      const started = performance.now();
      const error = await store.ping().then(
        () => null,
        (rejected: unknown) => rejected,
      );
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message.startsWith(`Redis PING at ${redis.url} failed: `)).toBe(true);
      expect(performance.now() - started).toBeLessThan(1500);
      await redis.start();
      await expect.poll(() => store.ping().then(() => "answered", () => "down"), { timeout: 5000, interval: 100 }).toBe("answered");
    } finally {
      await store.close();
      await redis.close();
    }
  });

  it("uses the prefix dlg: by default", async () => {
    const store = await RedisStore.connect({ url });
    const key = `store-test:${randomUUID()}`;
    try {
      await store.set(key, "value", 30_000);
      expect(await admin.get(`dlg:${key}`)).toBe("value");
    } finally {
      await store.delete(key);
      await store.close();
    }
    expect(await admin.exists(`dlg:${key}`)).toBe(0);
  });

  it("two stores on one Redis share entries, and a take on one consumes for both", async () => {
    const keyPrefix = `dlg-test:${randomUUID()}:`;
    const [first, second] = await Promise.all([RedisStore.connect({ url, keyPrefix }), RedisStore.connect({ url, keyPrefix })]);
    try {
      await first.set("state", "value", 30_000);
      expect(await second.get("state")).toBe("value");
      const taken = await Promise.all([first.take("state"), second.take("state")]);
      expect(taken.filter((value) => value === "value")).toHaveLength(1);
      expect(taken.filter((value) => value === null)).toHaveLength(1);
    } finally {
      await Promise.all([first.close(), second.close()]);
      await deleteKeys(admin, keyPrefix);
    }
  });

  it("holds Vault records with neither the id nor the value readable in Redis", async () => {
    const keyPrefix = `dlg-test:${randomUUID()}:`;
    const store = await RedisStore.connect({ url, keyPrefix });
    const vault = new Vault(store, "a-session-secret-of-at-least-32-chars!");
    const sessionId = randomUUID();
    const record = z.object({ accessToken: z.string() });
    try {
      await vault.set("session", sessionId, { accessToken: "access-token-7f3a9c" }, 30_000);
      const keys = await keysUnder(admin, keyPrefix);
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatch(new RegExp(`^${keyPrefix}session:[A-Za-z0-9_-]{43}$`));
      const raw = await admin.get(keys[0]!);
      expect(raw).toMatch(/^v1\./);
      for (const clear of [sessionId, "access-token-7f3a9c"]) expect(`${keys[0]!} ${raw!}`).not.toContain(clear);
      expect(await vault.take("session", sessionId, record)).toEqual({ accessToken: "access-token-7f3a9c" });
      expect(await admin.exists(keys[0]!)).toBe(0);
    } finally {
      await store.close();
      await deleteKeys(admin, keyPrefix);
    }
  });
});
