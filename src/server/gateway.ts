// Wires configuration into a running gateway: the DigiLocker client (or the embedded sandbox when no
// credentials are configured), the caches, the HTTP server, and a graceful stop.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { MetaCache } from "../cache/meta-cache.js";
import { UserData } from "../cache/user-data.js";
import type { Clock } from "../cache/cached-fetcher.js";
import type { Config } from "../config.js";
import { DigiLockerClient } from "../digilocker/index.js";
import type { Services } from "../graphql/context.js";
import { startSandbox, type Sandbox } from "../sandbox/server.js";
import { createApp, type AppDeps } from "./app.js";
import { createLogger, type Logger } from "./logger.js";
import { UpstreamCalls } from "./upstream-calls.js";

export interface Gateway {
  /** e.g. http://127.0.0.1:4000 */
  url: string;
  services: Services;
  upstreamCalls: UpstreamCalls;
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
}

export async function startGateway(config: Config, deps: GatewayDeps = {}): Promise<Gateway> {
  const logger = deps.logger ?? createLogger(config.gateway.logLevel);
  const dl = config.digilocker;
  let sandbox: Sandbox | null = null;
  let credentials = dl.credentials;
  let baseUrl = dl.baseUrl;
  if (credentials === null) {
    sandbox = await startSandbox(config.sandbox);
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
    { onCall: upstreamCalls.record },
  );
  const g = config.gateway;
  const services: Services = {
    client,
    meta: new MetaCache(client, {
      ttlMs: g.metaCacheTtlSeconds * 1000,
      statisticsTtlMs: g.statisticsCacheTtlSeconds * 1000,
      maxEntries: g.metaCacheMaxEntries,
      clock: deps.clock,
    }),
    userData: new UserData(client, { maxEntries: g.userCacheMaxEntries, accountTtlMs: 3_600_000, clock: deps.clock }),
  };
  const tokenHint = sandbox ? `<token from ${sandbox.origin}/sandbox/token>` : "<DigiLocker access token>";
  const app = createApp({ services, upstreamCalls, logger, tokenHint, yoga: deps.yoga });
  const server = createServer();
  // Responses being written: on stop each is told to close its connection when done, so a keep-alive client
  // cannot hold the drain open until its own idle timeout. Registered before the app, which may answer at once.
  const writing = new Set<ServerResponse>();
  let draining = false;
  server.on("request", (_req, res: ServerResponse) => {
    if (draining) res.shouldKeepAlive = false;
    writing.add(res);
    res.once("close", () => writing.delete(res));
  });
  server.on("request", app.handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(g.port, g.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = g.host.includes(":") ? `[${g.host}]` : g.host;

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
    await sandbox?.close();
  }

  return {
    url: `http://${host}:${port}`,
    services,
    upstreamCalls,
    sandbox,
    logger,
    close: () => (closing ??= stop()),
  };
}
