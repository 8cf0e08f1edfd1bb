// The shared store: several gateway instances see the same sign-in states, sessions and consent requests.
// Every failure, at start or later, is a StoreUnavailableError within a bounded time (a sign-in should fail
// with "try again", not hang), and names the server by a URL with its password and query left out.
// No entry caps here: capacity is Redis's maxmemory; set `maxmemory-policy noeviction` so a full Redis refuses writes, never evicts sessions.
import type { Redis } from "ioredis";
import { connectRedis, messageOf } from "./redis-connection.js";
import { type Store, StoreUnavailableError, wholeTtlMs } from "./store.js";

export interface RedisStoreOptions {
  /** redis:// or rediss:// (TLS), as REDIS_URL gives it; may carry a username and password. */
  url: string;
  /** Put before every key, so one Redis can serve other programs too. Default "dlg:". */
  keyPrefix?: string;
  /** How long connect() waits for the server to answer, and how long any later command may take. Default 5000. */
  connectTimeoutMs?: number;
}

export class RedisStore implements Store {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #where: string;
  readonly #scrub: (text: string) => string;
  #closed = false;

  private constructor(redis: Redis, prefix: string, where: string, scrub: (text: string) => string) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#where = where;
    this.#scrub = scrub;
  }

  /** Connects and PINGs; rejects with StoreUnavailableError (message names the URL WITHOUT its password) when it cannot. */
  static async connect(options: RedisStoreOptions): Promise<RedisStore> {
    const prefix = options.keyPrefix ?? "dlg:";
    const { redis, where, scrub } = await connectRedis({
      url: options.url,
      timeoutMs: options.connectTimeoutMs ?? 5000,
      purpose: "Redis",
      // take() needs GETDEL (Redis 6.2+): find out now rather than on the first sign-in.
      probe: (r) =>
        r.getdel(`${prefix}connect-probe`).catch((error: unknown) => {
          const message = messageOf(error);
          throw new Error(/unknown command/i.test(message) ? `take() needs GETDEL (Redis 6.2 or later): ${message}` : message);
        }),
    });
    return new RedisStore(redis, prefix, where, scrub);
  }

  get(key: string): Promise<string | null> {
    return this.#run("GET", () => this.#redis.get(this.#prefix + key));
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    const ttl = wholeTtlMs(ttlMs);
    await this.#run("SET", () => this.#redis.set(this.#prefix + key, value, "PX", ttl));
  }

  take(key: string): Promise<string | null> {
    return this.#run("GETDEL", () => this.#redis.getdel(this.#prefix + key));
  }

  async delete(key: string): Promise<void> {
    await this.#run("DEL", () => this.#redis.del(this.#prefix + key));
  }

  /** PING within the command timeout: the readiness check. */
  async ping(): Promise<void> {
    await this.#run("PING", () => this.#redis.ping());
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // QUIT lets the commands already sent finish; if Redis is away it would wait for a reconnection, so it is
    // bounded by commandTimeout, and the socket is dropped either way.
    await this.#redis.quit().catch(() => undefined);
    this.#redis.disconnect();
  }

  /**
   * Runs one command, turning any failure into a StoreUnavailableError. The ioredis error is not kept as the
   * cause: it carries the command's arguments (keys and values, and AUTH's password), which a logger would print.
   */
  async #run<T>(command: string, send: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new StoreUnavailableError(`the Redis store at ${this.#where} is closed`);
    try {
      return await send();
    } catch (error) {
      throw new StoreUnavailableError(`Redis ${command} at ${this.#where} failed: ${this.#scrub(messageOf(error))}`);
    }
  }
}
