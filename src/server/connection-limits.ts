// Bounds the gateway's node:http connections. Unbounded, a client that trickles its headers or body (or sends
// nothing at all) holds a socket and a parser forever, and one address can open sockets until the process runs
// out of file descriptors. Node's own server options bound time; the per-address cap is ours, as Node has none.
import type { Server, ServerOptions } from "node:http";
import type { Socket } from "node:net";
import type { HttpLimitsConfig } from "../config.js";

/** Read-only counters, for /metrics. */
export interface ConnectionCounters {
  /** Connections accepted and not yet closed. */
  readonly open: number;
  /** Client addresses with at least one open connection. */
  readonly clients: number;
  /** Connections closed on arrival because their address already had maxConnectionsPerClient open. */
  readonly refusedPerClient: number;
  /** Connections Node dropped on arrival because the server already had maxConnections open. */
  readonly refusedOverMax: number;
}

// How often Node looks for connections past their headers or request timeout (its default is every 30 s, so a
// slow-loris could outlive a 10 s headers timeout by 30 s): a tenth of the headers timeout, so a socket lives at
// most 10% past it, at most 1 s late, and never more often than every 10 ms (each check walks every connection).
const CHECK_FRACTION = 10;
const MIN_CHECK_MS = 10;
const MAX_CHECK_MS = 1_000;

export function connectionCheckingIntervalMs(headersTimeoutMs: number): number {
  return Math.min(MAX_CHECK_MS, Math.max(MIN_CHECK_MS, Math.round(headersTimeoutMs / CHECK_FRACTION)));
}

/**
 * Options for `createServer`. The headers timeout also closes a socket that never sends a byte: Node 20 starts
 * its clock when the connection is accepted, not at the first byte (test/integration/gateway/connection-limits.test.ts).
 */
export function connectionServerOptions(limits: HttpLimitsConfig): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: connectionCheckingIntervalMs(limits.headersTimeoutMs),
  };
}

/**
 * Caps connections in all (Node's maxConnections) and per client address (counted here). Behind a reverse proxy
 * every connection comes from the proxy's address: raise HTTP_MAX_CONNECTIONS_PER_CLIENT there.
 */
export function limitConnections(server: Server, limits: HttpLimitsConfig): ConnectionCounters {
  server.maxConnections = limits.maxConnections;
  const perAddress = new Map<string, number>();
  let open = 0;
  let refusedPerClient = 0;
  let refusedOverMax = 0;

  function release(address: string): void {
    open--;
    const left = (perAddress.get(address) ?? 1) - 1;
    if (left === 0) perAddress.delete(address);
    else perAddress.set(address, left);
  }

  server.on("drop", () => { refusedOverMax++; });
  server.on("connection", (socket: Socket) => {
    const address = socket.remoteAddress;
    // Reset by the peer before it got here: nothing to count, and its 'close' is on the way.
    if (address === undefined) return;
    const count = perAddress.get(address) ?? 0;
    if (count >= limits.maxConnectionsPerClient) {
      refusedPerClient++;
      socket.destroy();
      return;
    }
    perAddress.set(address, count + 1);
    open++;
    socket.once("close", () => { release(address); });
  });

  return {
    get open() { return open; },
    get clients() { return perAddress.size; },
    get refusedPerClient() { return refusedPerClient; },
    get refusedOverMax() { return refusedOverMax; },
  };
}
