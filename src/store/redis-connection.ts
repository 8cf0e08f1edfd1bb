// One way to open a Redis connection, for the store and for the rate limiter: bounded commands, capped
// reconnection, nothing printed, and every failure a StoreUnavailableError that names the server by a URL with
// its password and query left out.
import { Redis } from "ioredis";
import { StoreUnavailableError } from "./store.js";

export interface RedisConnection {
  redis: Redis;
  /** The URL as it may appear in messages. */
  where: string;
  /** Removes the URL's password from a message, should a server or socket error ever echo it. */
  scrub: (text: string) => string;
}

export interface RedisConnectOptions {
  /** redis:// or rediss:// (TLS); may carry a username and password. */
  url: string;
  /** How long the start waits for an answer, and how long any later command may take. */
  timeoutMs: number;
  /** What the connection is for, in the failure message ("Redis", "Redis for rate limits"). */
  purpose: string;
  /** Run after PING, within the same deadline: what the caller needs the server to support. */
  probe?: (redis: Redis) => Promise<unknown>;
}

/** Connects and PINGs; rejects with StoreUnavailableError within `timeoutMs` when it cannot. */
export async function connectRedis(options: RedisConnectOptions): Promise<RedisConnection> {
  const { url, timeoutMs } = options;
  // ioredis would read anything else as a host name or a socket path: a configuration mistake, said plainly.
  if (!/^rediss?:\/\/./.test(url)) throw new StoreUnavailableError("the Redis URL must start with redis:// or rediss://");
  const where = describeUrl(url);
  const scrub = scrubber(url);
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    // A command waits through at most one reconnection attempt, then rejects; reconnection itself goes on
    // (capped backoff) so the caller recovers when Redis comes back.
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
        await options.probe?.(redis);
      })(),
      deadline,
    ]);
  } catch (error) {
    // ioredis's connect() says only "Connection is closed."; the socket's own error says why.
    const reason = last.error && messageOf(error).startsWith("Connection is closed") ? messageOf(last.error) : messageOf(error);
    redis.disconnect();
    throw new StoreUnavailableError(`cannot use ${options.purpose} at ${where}: ${scrub(reason)}`);
  } finally {
    clearTimeout(timer);
  }
  return { redis, where, scrub };
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

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
