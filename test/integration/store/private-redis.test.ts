// The private Redis helper: its own redis-server on its own port, stopped and started again on that same port,
// while the shared Redis on 6379 that the other tests use goes on answering.
import { connect } from "node:net";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { type PrivateRedis, startPrivateRedis } from "../../helpers/private-redis.js";

/** How a connection to 127.0.0.1:`port` ends: "open", or the socket error's code (ECONNREFUSED). */
function connectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.on("connect", () => {
      socket.destroy();
      resolve("open");
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      resolve(error.code ?? error.message);
    });
  });
}

/** PING through ioredis, one connection, no retries. */
async function ping(url: string): Promise<string> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return await client.ping();
  } finally {
    client.disconnect();
  }
}

let redis: PrivateRedis | undefined;
afterEach(async () => {
  await redis?.close();
  redis = undefined;
});

describe("startPrivateRedis", () => {
  it("starts a redis-server on a port of its own that answers PING", async () => {
    redis = await startPrivateRedis();
    expect(redis.port).not.toBe(6379);
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await ping(redis.url)).toBe("PONG");
  });

  it("stops, starts again on the same port, and stops for good on close; the shared 6379 answers throughout", async () => {
    redis = await startPrivateRedis();
    const { port, url } = redis;
    const client = new Redis(url);
    client.on("error", () => undefined);
    try {
      await client.set("kept?", "no");
      await redis.stop();
      expect(await connectOutcome(port)).toBe("ECONNREFUSED");
      expect(await ping("redis://127.0.0.1:6379")).toBe("PONG");

      await redis.start();
      expect(redis.port).toBe(port);
      expect(await ping(url)).toBe("PONG");
      expect(await client.get("kept?")).toBeNull(); // a client reconnects by itself; nothing was persisted

      await redis.stop();
      await redis.start(); // and again
      expect(await ping(url)).toBe("PONG");
    } finally {
      client.disconnect();
    }

    await redis.close();
    expect(await connectOutcome(port)).toBe("ECONNREFUSED");
    await expect(redis.start()).rejects.toThrow(`the private Redis on port ${port} is closed`);
    expect(await ping("redis://127.0.0.1:6379")).toBe("PONG");
  });

  it("two private servers get different ports", async () => {
    const [first, second] = await Promise.all([startPrivateRedis(), startPrivateRedis()]);
    try {
      expect(first.port).not.toBe(second.port);
      expect(await ping(first.url)).toBe("PONG");
      expect(await ping(second.url)).toBe("PONG");
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});
