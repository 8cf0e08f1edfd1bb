// Wires configuration into a running gateway: the DigiLocker client (or the embedded sandbox when no
// credentials are configured), the caches, the HTTP server, and a graceful stop.
import { randomBytes } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { MetaCache } from "../cache/meta-cache.js";
import { UserData } from "../cache/user-data.js";
import type { Clock } from "../cache/cached-fetcher.js";
import { createAuth } from "../auth/index.js";
import type { Config } from "../config.js";
import { DigiLockerClient } from "../digilocker/index.js";
import type { Services } from "../graphql/context.js";
import { startSandbox, type Sandbox, type SandboxDeps } from "../sandbox/server.js";
import { MemoryStore, RedisStore, Vault, type Store } from "../store/index.js";
import { createApp, type AppDeps } from "./app.js";
import { connectionServerOptions, limitConnections, type ConnectionCounters } from "./connection-limits.js";
import { createLogger, type Logger } from "./logger.js";
import { UpstreamCalls } from "./upstream-calls.js";

export interface Gateway {
  /** e.g. http://127.0.0.1:4000 */
  url: string;
  /** The origin browsers use (PUBLIC_URL, or http://localhost:<port>): sign-in links and callbacks are on it. */
  publicUrl: string;
  services: Services;
  upstreamCalls: UpstreamCalls;
  /** Open and refused HTTP connections. */
  connections: ConnectionCounters;
  /** The embedded sandbox, when no DigiLocker credentials were configured. */
  sandbox: Sandbox | null;
  logger: Logger;
  /** Stops accepting, lets requests in flight finish (up to the shutdown timeout), then closes pools. */
  close(): Promise<void>;
}

export interface GatewayDeps {
  /** Clock for the caches (tests move it to expire entries). */
  clock?: Clock;
  logger?: Logger;
  /** Other yoga plugins or cache settings than the defaults (the benchmark's variants). */
  yoga?: AppDeps["yoga"];
  /** false sends every request through yoga's fetch adapter (the benchmark's `adapter` variant). */
  directPath?: boolean;
  /** Wall clock for sessions, sign-in and the client's meta `ts`, epoch ms (tests move it to expire tokens). */
  now?: () => number;
  /** The embedded sandbox's clock and randomness (tests expire its codes and tokens). */
  sandbox?: SandboxDeps;
}

/** Sessions, sign-in states and consent requests kept in memory unless REDIS_URL is set. */
const MEMORY_STORE_MAX_ENTRIES = 100_000;

export async function startGateway(config: Config, deps: GatewayDeps = {}): Promise<Gateway> {
  const logger = deps.logger ?? createLogger(config.gateway.logLevel);
  const dl = config.digilocker;
  const a = config.auth;
  // First: a Redis that does not answer fails the start before anything else is listening.
  const store: Store = a.redisUrl === null
    ? new MemoryStore({ maxEntries: MEMORY_STORE_MAX_ENTRIES, ...(deps.clock ? { clock: deps.clock } : {}) })
    : await RedisStore.connect({ url: a.redisUrl });
  let sandbox: Sandbox | null = null;
  let credentials = dl.credentials;
  let baseUrl = dl.baseUrl;
  if (credentials === null) {
    sandbox = await startSandbox(config.sandbox, deps.sandbox);
    credentials = { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret };
    baseUrl = sandbox.baseUrl;
  }
  const upstreamCalls = new UpstreamCalls();
  const client = new DigiLockerClient(
    {
      baseUrl,
      ...credentials,
      tokenAuth: dl.tokenAuth,
      metaEncoding: dl.metaEncoding,
      timestamp: dl.timestamp,
      fileHmac: dl.fileHmac,
      // The pool size bounds how many calls are in flight at once: a cold catalogue never floods DigiLocker.
      pool: { connections: config.gateway.upstreamConcurrency },
      ...(dl.requestTimeoutMs === undefined ? {} : { timeouts: { requestMs: dl.requestTimeoutMs } }),
      ...(dl.maxRetries === undefined ? {} : { retry: { maxRetries: dl.maxRetries } }),
    },
    // The same wall clock as sessions: meta calls sign `ts` with it.
    { onCall: upstreamCalls.record, ...(deps.now ? { now: deps.now } : {}) },
  );
  const g = config.gateway;
  const userData = new UserData(client, { maxEntries: g.userCacheMaxEntries, accountTtlMs: 3_600_000, clock: deps.clock });
  const server = createServer(connectionServerOptions(config.http));
  const connections = limitConnections(server, config.http);
  // Responses being written: on stop each is told to close its connection when done, so a keep-alive client
  // cannot hold the drain open until its own idle timeout. Registered before the app, which may answer at once.
  const writing = new Set<ServerResponse>();
  let draining = false;
  server.on("request", (_req, res: ServerResponse) => {
    if (draining) res.shouldKeepAlive = false;
    writing.add(res);
    res.once("close", () => writing.delete(res));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(g.port, g.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = g.host.includes(":") ? `[${g.host}]` : g.host;

  // Built once the port is known: an unset PUBLIC_URL means this very port, and the callback URLs follow from it.
  const publicUrl = g.publicUrlConfigured ? g.publicUrl : `http://localhost:${port}`;
  const auth = createAuth(
    {
      ...a,
      publicUrl,
      // The embedded sandbox signs id_tokens with its own key, as its own issuer.
      jwksUrl: sandbox ? `${sandbox.origin}/.well-known/jwks.json` : a.jwksUrl,
      idTokenIssuer: sandbox ? sandbox.origin : a.idTokenIssuer,
    },
    {
      // Without SESSION_SECRET (memory store only, see config.ts) a per-process key: sessions die with the process anyway.
      vault: new Vault(store, a.sessionSecret ?? randomBytes(48).toString("base64")),
      client,
      userData,
      now: deps.now ?? Date.now,
      log: logger,
    },
  );
  if (sandbox) for (const uri of auth.redirects.callbackUrls()) sandbox.registerRedirectUri(uri);
  const services: Services = {
    client,
    meta: new MetaCache(client, {
      ttlMs: g.metaCacheTtlSeconds * 1000,
      statisticsTtlMs: g.statisticsCacheTtlSeconds * 1000,
      maxEntries: g.metaCacheMaxEntries,
      clock: deps.clock,
    }),
    userData,
    auth,
    upstreamBudget: config.limits.maxUpstreamCalls,
  };
  const app = createApp({ services, upstreamCalls, logger, limits: config.limits, yoga: deps.yoga, directPath: deps.directPath });
  server.on("request", app.handle);

  let closing: Promise<void> | undefined;
  async function stop(): Promise<void> {
    draining = true;
    for (const res of writing) res.shouldKeepAlive = false;
    const drained = new Promise<void>((resolve) => server.close(() => { resolve(); }));
    server.closeIdleConnections();
    const deadline = setTimeout(() => { server.closeAllConnections(); }, g.shutdownTimeoutMs);
    await drained;
    clearTimeout(deadline);
    await client.close();
    await store.close();
    await sandbox?.close();
  }

  return {
    url: `http://${host}:${port}`,
    publicUrl,
    services,
    upstreamCalls,
    connections,
    sandbox,
    logger,
    close: () => (closing ??= stop()),
  };
}
