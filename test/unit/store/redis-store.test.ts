// RedisStore when Redis is not there or misbehaves: every failure is a prompt StoreUnavailableError that never
// shows the URL's password. A few lines of RESP stand in for a broken server; the working store is tested
// against a real Redis in test/integration/store/.
import { once } from "node:events";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { RedisStore, StoreUnavailableError } from "../../../src/store/index.js";

/** The commands a client sends, as arrays of strings (RESP arrays of bulk strings). */
function parseCommands(buffer: string): { commands: string[][]; rest: string } {
  const commands: string[][] = [];
  let at = 0;
  for (;;) {
    const header = /^\*(\d+)\r\n/.exec(buffer.slice(at));
    if (!header) break;
    let cursor = at + header[0].length;
    const args: string[] = [];
    for (let i = 0; i < Number(header[1]); i += 1) {
      const length = /^\$(\d+)\r\n/.exec(buffer.slice(cursor));
      if (!length || buffer.length < cursor + length[0].length + Number(length[1]) + 2) return { commands, rest: buffer.slice(at) };
      cursor += length[0].length;
      args.push(buffer.slice(cursor, cursor + Number(length[1])));
      cursor += Number(length[1]) + 2;
    }
    commands.push(args);
    at = cursor;
  }
  return { commands, rest: buffer.slice(at) };
}

/** A TCP server that answers Redis commands with `reply` (a raw RESP reply, or null to stay silent). */
async function fakeRedis(reply: (command: string[]) => string | null) {
  const sockets = new Set<Socket>();
  const received: string[][] = [];
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    let pending = "";
    socket.on("data", (chunk) => {
      const { commands, rest } = parseCommands(pending + chunk.toString("latin1"));
      pending = rest;
      for (const command of commands) {
        received.push(command);
        const answer = reply(command);
        if (answer !== null) socket.write(answer);
      }
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    port,
    received,
    /** Drops every connection but keeps listening: a restart, or a connection killed. */
    dropConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
    /** Drops every connection and stops listening: Redis has gone away. */
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A server that answers what connect() sends (AUTH, INFO, PING, GETDEL) like a healthy Redis 7. */
function healthy(command: string[]): string | null {
  switch (command[0]?.toLowerCase()) {
    case "info": {
      const info = "# Server\r\nredis_version:7.0.15\r\nloading:0\r\n";
      return `$${info.length}\r\n${info}\r\n`;
    }
    case "ping":
      return "+PONG\r\n";
    case "auth":
      return "+OK\r\n";
    case "getdel":
    case "get":
      return "$-1\r\n";
    default:
      return "-ERR unknown command\r\n";
  }
}

async function rejection(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await promise;
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
  throw new Error("expected a rejection");
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("RedisStore.connect", () => {
  it("rejects at once on a closed port, naming the URL without its password", async () => {
    const { error, ms } = await rejection(RedisStore.connect({ url: "redis://:hunter2secret@127.0.0.1:1", connectTimeoutMs: 2000 }));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    const { message } = error as Error;
    expect(message).not.toContain("hunter2secret");
    expect(message).toContain("redis://:***@127.0.0.1:1");
    expect(message).toContain("ECONNREFUSED");
    expect(ms).toBeLessThan(2000);
  });

  it("gives up after connectTimeoutMs when the server accepts but never answers", async () => {
    const server = await fakeRedis(() => null);
    cleanups.push(server.close);
    const { error, ms } = await rejection(
      RedisStore.connect({ url: `redis://user:hunter2secret@127.0.0.1:${server.port}/2?password=hunter2secret`, connectTimeoutMs: 300 }),
    );
    expect(error).toBeInstanceOf(StoreUnavailableError);
    const { message } = error as Error;
    expect(message).toBe(`cannot use Redis at redis://user:***@127.0.0.1:${server.port}/2: no answer within 300 ms`);
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(1500);
  });

  it("refuses a server without GETDEL (before Redis 6.2), since take() needs it", async () => {
    const server = await fakeRedis((command) => (command[0] === "getdel" ? "-ERR unknown command 'getdel'\r\n" : healthy(command)));
    cleanups.push(server.close);
    const { error } = await rejection(RedisStore.connect({ url: `redis://127.0.0.1:${server.port}`, connectTimeoutMs: 2000 }));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(/: take\(\) needs GETDEL \(Redis 6\.2 or later\): ERR unknown command 'getdel'$/);
  });

  it("refuses what is not a redis:// or rediss:// URL, without echoing it", async () => {
    for (const url of ["127.0.0.1:6379", "http://:hunter2secret@127.0.0.1:6379", ""]) {
      const { error } = await rejection(RedisStore.connect({ url }));
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toBe("the Redis URL must start with redis:// or rediss://");
    }
  });

  it("sends the password to the server, and PINGs", async () => {
    const server = await fakeRedis(healthy);
    cleanups.push(server.close);
    const store = await RedisStore.connect({ url: `redis://:hunter2secret@127.0.0.1:${server.port}`, connectTimeoutMs: 2000 });
    cleanups.push(() => store.close());
    expect(server.received).toContainEqual(["auth", "hunter2secret"]);
    expect(server.received).toContainEqual(["ping"]);
  });
});

describe("RedisStore after it has started", () => {
  it("rejects a command the server never answers within the timeout, instead of hanging", async () => {
    const server = await fakeRedis((command) => (command[0] === "get" ? null : healthy(command)));
    cleanups.push(server.close);
    const store = await RedisStore.connect({ url: `redis://:hunter2secret@127.0.0.1:${server.port}`, connectTimeoutMs: 300 });
    cleanups.push(() => store.close());
    const { error, ms } = await rejection(store.get("session"));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toBe(`Redis GET at redis://:***@127.0.0.1:${server.port} failed: Command timed out`);
    expect(ms).toBeLessThan(1500);
  });

  it("ping rejects within the timeout when the server stops answering, without the password", async () => {
    let pings = 0;
    const server = await fakeRedis((command) => (command[0] === "ping" && (pings += 1) > 1 ? null : healthy(command)));
    cleanups.push(server.close);
    const store = await RedisStore.connect({ url: `redis://:hunter2secret@127.0.0.1:${server.port}`, connectTimeoutMs: 300 });
    cleanups.push(() => store.close());
    const { error, ms } = await rejection(store.ping());
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toBe(`Redis PING at redis://:***@127.0.0.1:${server.port} failed: Command timed out`);
    expect(ms).toBeLessThan(1500);
    expect(pings).toBe(2); // connect()'s, then ping()'s
  });

  it("rejects commands within the timeout once Redis has gone away", async () => {
    const server = await fakeRedis(healthy);
    const store = await RedisStore.connect({ url: `redis://127.0.0.1:${server.port}`, connectTimeoutMs: 500 });
    cleanups.push(() => store.close());
    await server.close();
    const operations = [() => store.get("a"), () => store.set("a", "b", 1000), () => store.take("a"), () => store.delete("a"), () => store.ping()];
    for (const operation of operations) {
      const { error, ms } = await rejection(operation());
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(ms).toBeLessThan(1000); // connectTimeoutMs also bounds each command; reconnection goes on behind it
    }
  });

  it("reconnects by itself after its connection drops", async () => {
    const server = await fakeRedis(healthy);
    cleanups.push(server.close);
    const store = await RedisStore.connect({ url: `redis://127.0.0.1:${server.port}`, connectTimeoutMs: 1000 });
    cleanups.push(() => store.close());
    server.dropConnections();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await store.get("a")).toBeNull();
    expect(server.received.filter(([name]) => name === "info")).toHaveLength(2); // a second connection's ready check
  });

  it("closes promptly even when Redis has gone away", async () => {
    const server = await fakeRedis(healthy);
    const store = await RedisStore.connect({ url: `redis://127.0.0.1:${server.port}`, connectTimeoutMs: 1000 });
    await server.close();
    const started = performance.now();
    await store.close();
    expect(performance.now() - started).toBeLessThan(3000);
    await expect(store.get("a")).rejects.toThrow(StoreUnavailableError);
  });
});
