// A real node:http server on 127.0.0.1 (port 0) for tests that need sockets: timeouts, refused connections, aborts.
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface TestServer {
  /** http://127.0.0.1:<port>/public */
  baseUrl: string;
  port: number;
  /** Requests received so far. */
  readonly requests: IncomingMessage[];
  /** Resolves when the next request arrives. */
  nextRequest(): Promise<IncomingMessage>;
  /** Drops every open connection and stops listening. */
  close(): Promise<void>;
}

export async function startServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const requests: IncomingMessage[] = [];
  const waiting: ((req: IncomingMessage) => void)[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    for (const resolve of waiting.splice(0)) resolve(req);
    handler(req, res);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/public`,
    port,
    requests,
    nextRequest: () => new Promise((resolve) => waiting.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A port that was just listening on 127.0.0.1 and is now closed: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  return port;
}
