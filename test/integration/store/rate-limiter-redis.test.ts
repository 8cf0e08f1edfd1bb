// RateLimiter against the real Redis on 127.0.0.1:6379 (.ci/run starts one). Each test counts under its own
// key prefix and removes its keys afterwards, so parallel runs do not collide.
import { randomUUID } from "node:crypto";
import { type AddressInfo, createServer, connect as connectTcp, type Server, type Socket } from "node:net";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { RateLimiter } from "../../../src/server/rate-limiter.js";
import { StoreUnavailableError } from "../../../src/store/store.js";

const url = "redis://127.0.0.1:6379";
const client = "203.0.113.5";

const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
admin.on("error", () => undefined); // each command's own rejection says what went wrong
afterAll(() => {
  admin.disconnect();
});

async function keysUnder(prefix: string): Promise<string[]> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, "\\$&")}*`;
  const found: string[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await admin.scan(cursor, "MATCH", pattern, "COUNT", 100);
    found.push(...keys);
    cursor = next;
  } while (cursor !== "0");
  return found;
}

/** Runs `body` with a limiter under a fresh prefix, then closes it and deletes its keys. */
async function withLimiter(
  budgets: { client: { points: number; windowSeconds: number }; writes: { points: number; windowSeconds: number } },
  body: (limiter: RateLimiter, keyPrefix: string) => Promise<void>,
): Promise<void> {
  const keyPrefix = `dlg-test:${randomUUID()}:`;
  const limiter = await RateLimiter.redis({ url, keyPrefix, budgets, connectTimeoutMs: 2000 });
  try {
    await body(limiter, keyPrefix);
  } finally {
    await limiter.close();
    const keys = await keysUnder(keyPrefix);
    if (keys.length > 0) await admin.del(...keys);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP relay to the real Redis that can be cut, standing in for Redis going away mid-run. */
async function startRelay(): Promise<{ url: string; cut: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((downstream) => {
    const upstream = connectTcp(6379, "127.0.0.1");
    for (const socket of [downstream, upstream]) {
      sockets.add(socket);
      socket.on("error", () => undefined);
      socket.on("close", () => {
        downstream.destroy();
        upstream.destroy();
      });
    }
    downstream.pipe(upstream).pipe(downstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    cut: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => { resolve(); }));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

describe("RateLimiter.redis on a real Redis", () => {
  it("allows the budget's points, then refuses with the time left in the window", async () => {
    await withLimiter({ client: { points: 3, windowSeconds: 30 }, writes: { points: 0, windowSeconds: 1 } }, async (limiter, keyPrefix) => {
      for (let i = 0; i < 3; i++) expect(await limiter.consume("client", client, 1)).toMatchObject({ allowed: true });
      const refused = await limiter.consume("client", client, 1);
      expect(refused).toMatchObject({ allowed: false, budget: "client", limit: 3 });
      const { retryAfterSeconds } = refused as { retryAfterSeconds: number };
      expect(retryAfterSeconds).toBeGreaterThan(0);
      expect(retryAfterSeconds).toBeLessThanOrEqual(30);
      expect(await admin.get(`${keyPrefix}client:${client}`)).toBe("4");
      expect(await admin.pttl(`${keyPrefix}client:${client}`)).toBeGreaterThan(28_000);
    });
  });

  it("refills after the window", async () => {
    await withLimiter({ client: { points: 2, windowSeconds: 1 }, writes: { points: 0, windowSeconds: 1 } }, async (limiter) => {
      expect((await limiter.consume("client", client, 2)).allowed).toBe(true);
      expect(await limiter.consume("client", client, 1)).toMatchObject({ allowed: false, budget: "client", limit: 2, retryAfterSeconds: 1 });
      await sleep(1_100);
      expect(await limiter.consume("client", client, 2)).toMatchObject({ allowed: true });
    });
  });

  it("counts each budget and each key on its own", async () => {
    await withLimiter({ client: { points: 1, windowSeconds: 30 }, writes: { points: 1, windowSeconds: 30 } }, async (limiter) => {
      expect((await limiter.consume("client", client, 1)).allowed).toBe(true);
      expect((await limiter.consume("writes", client, 1)).allowed).toBe(true);
      expect((await limiter.consume("client", "203.0.113.6", 1)).allowed).toBe(true);
      expect((await limiter.consume("writes", client, 1)).allowed).toBe(false);
      expect((await limiter.consume("client", client, 1)).allowed).toBe(false);
      expect((await limiter.consume("writes", "203.0.113.6", 1)).allowed).toBe(true);
    });
  });

  it("touches Redis for neither a budget that is off nor a consume of 0 points", async () => {
    await withLimiter({ client: { points: 0, windowSeconds: 1 }, writes: { points: 5, windowSeconds: 30 } }, async (limiter, keyPrefix) => {
      for (let i = 0; i < 20; i++) expect(await limiter.consume("client", client, 100)).toMatchObject({ allowed: true });
      expect(await limiter.consume("writes", client, 0)).toMatchObject({ allowed: true });
      expect(await keysUnder(keyPrefix)).toEqual([]);
    });
  });

  it("refuses more points than are left, and leaves those points for a smaller consume", async () => {
    await withLimiter({ client: { points: 1, windowSeconds: 30 }, writes: { points: 5, windowSeconds: 30 } }, async (limiter, keyPrefix) => {
      expect((await limiter.consume("writes", client, 3)).allowed).toBe(true);
      expect(await limiter.consume("writes", client, 3)).toMatchObject({ allowed: false, budget: "writes", limit: 5 });
      expect(await admin.get(`${keyPrefix}writes:${client}`)).toBe("3");
      expect((await limiter.consume("writes", client, 2)).allowed).toBe(true);
      expect((await limiter.consume("writes", client, 1)).allowed).toBe(false);
    });
  });

  it("counts under dlg:rl: by default", async () => {
    const key = `rl-test-${randomUUID()}`;
    const limiter = await RateLimiter.redis({ url, budgets: { client: { points: 1, windowSeconds: 30 }, writes: { points: 0, windowSeconds: 1 } } });
    try {
      await limiter.consume("client", key, 1);
      expect(await admin.get(`dlg:rl:client:${key}`)).toBe("1");
    } finally {
      await limiter.close();
      await admin.del(`dlg:rl:client:${key}`);
    }
  });

  it("shares the count between two instances on one Redis", async () => {
    const keyPrefix = `dlg-test:${randomUUID()}:`;
    const budgets = { client: { points: 4, windowSeconds: 30 }, writes: { points: 0, windowSeconds: 1 } };
    const [first, second] = await Promise.all([RateLimiter.redis({ url, keyPrefix, budgets }), RateLimiter.redis({ url, keyPrefix, budgets })]);
    try {
      expect((await first.consume("client", client, 2)).allowed).toBe(true);
      expect((await second.consume("client", client, 2)).allowed).toBe(true);
      expect((await first.consume("client", client, 1)).allowed).toBe(false);
      expect((await second.consume("client", client, 1)).allowed).toBe(false);
    } finally {
      await Promise.all([first.close(), second.close()]);
      const keys = await keysUnder(keyPrefix);
      if (keys.length > 0) await admin.del(...keys);
    }
  });

  it("goes on counting in this process when Redis goes away mid-run", async () => {
    const relay = await startRelay();
    const budgets = { client: { points: 2, windowSeconds: 30 }, writes: { points: 0, windowSeconds: 1 } };
    const keyPrefix = `dlg-test:${randomUUID()}:`;
    const limiter = await RateLimiter.redis({ url: relay.url, keyPrefix, budgets, connectTimeoutMs: 1000 });
    try {
      expect((await limiter.consume("client", client, 2)).allowed).toBe(true);
      await relay.cut();
      await sleep(100); // ioredis sees the closed socket and stops being "ready"
      const started = Date.now();
      expect((await limiter.consume("client", client, 1)).allowed).toBe(true);
      expect((await limiter.consume("client", client, 1)).allowed).toBe(true);
      expect(await limiter.consume("client", client, 1)).toMatchObject({ allowed: false, budget: "client", limit: 2, retryAfterSeconds: 30 });
      expect(Date.now() - started).toBeLessThan(500);
    } finally {
      await limiter.close();
      const keys = await keysUnder(keyPrefix);
      if (keys.length > 0) await admin.del(...keys);
    }
  });
});

describe("RateLimiter.redis with a limit per key", () => {
  it("shares one count per key between two instances, each key against its own limit, and refunds", async () => {
    const keyPrefix = `dlg-test:${randomUUID()}:`;
    const budgets = { "partner-requests": { points: 600, windowSeconds: 30 } };
    const [first, second] = await Promise.all([RateLimiter.redis({ url, keyPrefix, budgets }), RateLimiter.redis({ url, keyPrefix, budgets })]);
    try {
      expect(await first.consume("partner-requests", "ptn_a", 2, 4)).toMatchObject({ allowed: true, left: { limit: 4, remaining: 2 } });
      expect(await second.consume("partner-requests", "ptn_a", 2, 4)).toMatchObject({ allowed: true, left: { limit: 4, remaining: 0 } });
      const refused = await first.consume("partner-requests", "ptn_a", 1, 4);
      expect(refused).toMatchObject({ allowed: false, budget: "partner-requests", limit: 4, left: { limit: 4, remaining: 0 } });
      // Nothing was left before it: the refused point stays counted, as for every budget.
      expect(await admin.get(`${keyPrefix}partner-requests:ptn_a`)).toBe("5");
      await second.refund("partner-requests", "ptn_a", 2);
      expect(await admin.get(`${keyPrefix}partner-requests:ptn_a`)).toBe("3");
      expect((await first.consume("partner-requests", "ptn_a", 1, 4)).allowed).toBe(true);
      expect((await second.consume("partner-requests", "ptn_b", 5, 10)).allowed).toBe(true);
      expect(await admin.get(`${keyPrefix}partner-requests:ptn_b`)).toBe("5");
    } finally {
      await Promise.all([first.close(), second.close()]);
      const keys = await keysUnder(keyPrefix);
      if (keys.length > 0) await admin.del(...keys);
    }
  });
});

describe("RateLimiter.redis at start", () => {
  const budgets = { client: { points: 1, windowSeconds: 1 }, writes: { points: 1, windowSeconds: 1 } };

  it("rejects a Redis that refuses connections, naming the URL without its password", async () => {
    const started = Date.now();
    const error = await RateLimiter.redis({ url: "redis://user:s3cret@127.0.0.1:1", budgets, connectTimeoutMs: 1000 }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain("redis://user:***@127.0.0.1:1");
    expect(message).not.toContain("s3cret");
    expect(JSON.stringify(error)).not.toContain("s3cret");
  });

  it("rejects a server that accepts but never answers, within the timeout", async () => {
    const accepted = new Set<Socket>();
    const silent = createServer((socket) => accepted.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const started = Date.now();
      await expect(RateLimiter.redis({ url: `redis://:s3cret@127.0.0.1:${port}`, budgets, connectTimeoutMs: 500 })).rejects.toThrow(
        new StoreUnavailableError(`cannot use Redis for rate limits at redis://:***@127.0.0.1:${port}: no answer within 500 ms`),
      );
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("rejects a URL that is not redis:// or rediss://", async () => {
    await expect(RateLimiter.redis({ url: "127.0.0.1:6379", budgets })).rejects.toThrow(StoreUnavailableError);
  });
});
