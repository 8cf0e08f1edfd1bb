// The shared store: several gateway instances see the same sign-in states, sessions and consent requests.
// Every failure, at start or later, is a StoreUnavailableError within a bounded time (a sign-in should fail
// with "try again", not hang), and names the server by a URL with its password and query left out.
import { Redis } from "ioredis";
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
    // ioredis would read anything else as a host name or a socket path: a configuration mistake, said plainly.
    if (!/^rediss?:\/\/./.test(options.url)) throw new StoreUnavailableError("the Redis URL must start with redis:// or rediss://");
    const prefix = options.keyPrefix ?? "dlg:";
    const timeoutMs = options.connectTimeoutMs ?? 5000;
    const where = describeUrl(options.url);
    const scrub = scrubber(options.url);
    const redis = new Redis(options.url, {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      commandTimeout: timeoutMs,
      // A command waits through at most one reconnection attempt, then rejects; reconnection itself goes on
      // (capped backoff) so the store recovers when Redis comes back.
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    });
    // Without a listener ioredis prints every connection error to the console; the reasons reach callers
    // through the errors below instead.
    const last: { error: Error | null } = { error: null };
    redis.on("error", (error: Error) => {
      last.error = error;
    });

    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      await Promise.race([
        (async () => {
          await redis.connect();
          await redis.ping();
          // take() needs GETDEL (Redis 6.2+): find out now rather than on the first sign-in.
          await redis.getdel(`${prefix}connect-probe`).catch((error: unknown) => {
            const message = messageOf(error);
            throw new Error(/unknown command/i.test(message) ? `take() needs GETDEL (Redis 6.2 or later): ${message}` : message);
          });
        })(),
        deadline,
      ]);
    } catch (error) {
      // ioredis's connect() says only "Connection is closed."; the socket's own error says why.
      const reason = last.error && messageOf(error).startsWith("Connection is closed") ? messageOf(last.error) : messageOf(error);
      redis.disconnect();
      throw new StoreUnavailableError(`cannot use Redis at ${where}: ${scrub(reason)}`);
    } finally {
      clearTimeout(timer);
    }
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

/** The URL as it may appear in messages: scheme, user, host, port and database; no password, no query. */
function describeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "(an unparsable Redis URL)";
  }
  const user = parsed.username || parsed.password ? `${parsed.username}${parsed.password ? ":***" : ""}@` : "";
  return `${parsed.protocol}//${user}${parsed.host}${parsed.pathname}`;
}

/** Removes the URL's password from a server or socket message, should one ever echo it. */
function scrubber(url: string): (text: string) => string {
  const secrets: string[] = [];
  try {
    const parsed = new URL(url);
    secrets.push(parsed.password, parsed.searchParams.get("password") ?? "", decodeURIComponent(parsed.password));
  } catch {
    // An unparsable URL never reaches a message (describeUrl), and a bad %-escape leaves the raw form listed.
  }
  const present = secrets.filter((secret) => secret.length > 0);
  return (text) => present.reduce((scrubbed, secret) => scrubbed.split(secret).join("***"), text);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
