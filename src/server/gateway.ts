// A running gateway: the services (services.ts) behind the HTTP app (app.ts) on a listening socket, and a
// graceful stop that drains requests before closing what the services hold.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Config } from "../config.js";
import type { Services } from "../graphql/context.js";
import type { Sandbox } from "../sandbox/server.js";
import { createApp, type AppDeps } from "./app.js";
import { connectionServerOptions, limitConnections, type ConnectionCounters } from "./connection-limits.js";
import { createLogger, type Logger } from "./logger.js";
import { buildServices, type BuiltServices, type ServiceDeps } from "./services.js";
import type { UpstreamCalls } from "./upstream-calls.js";

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

export interface GatewayDeps extends Omit<ServiceDeps, "publicUrl" | "logger"> {
  logger?: Logger;
  /** Other yoga plugins or cache settings than the defaults (the benchmark's variants). */
  yoga?: AppDeps["yoga"];
  /** false sends every request through yoga's fetch adapter (the benchmark's `adapter` variant). */
  directPath?: boolean;
}

/** What a request that arrives while the services are still being built gets. */
function starting(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(503, { "retry-after": "1", "content-type": "text/plain" }).end("starting");
}

export async function startGateway(config: Config, deps: GatewayDeps = {}): Promise<Gateway> {
  const logger = deps.logger ?? createLogger(config.gateway.logLevel);
  const g = config.gateway;
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
  server.on("request", starting);
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
  let built: BuiltServices;
  try {
    built = await buildServices(config, { ...deps, publicUrl, logger });
  } catch (error) {
    // A Redis that does not answer (or a sandbox that cannot start) fails the start: nothing is left listening.
    await new Promise<void>((resolve) => server.close(() => { resolve(); }));
    throw error;
  }
  const { services, upstreamCalls, sandbox } = built;
  const app = createApp({ services, upstreamCalls, logger, limits: config.limits, modes: config.gateway, ...(deps.now ? { now: deps.now } : {}), yoga: deps.yoga, directPath: deps.directPath });
  server.off("request", starting);
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
    await built.close();
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
