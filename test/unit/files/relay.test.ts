// relayHoldingBack over a real node:http server: the last chunk goes out only after the body ended cleanly, a
// body that fails at its end never arrives whole, and a failure before anything was sent leaves the status free.
import { createServer, get, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { relayHoldingBack, type RelayOutcome } from "../../../src/files/relay.js";

/** Chunks, then (optionally) an error where a verified body would give its FileIntegrityError. */
function body(chunks: Buffer[], failAtEnd: boolean): Readable {
  return Readable.from(
    (function* () {
      for (const chunk of chunks) yield chunk;
      if (failAtEnd) throw new Error("hmac_mismatch");
    })(),
  );
}

interface Served {
  status: number;
  received: Buffer;
  complete: boolean;
}

let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

/** Serves one response with `handler` and fetches it with node:http. */
async function serveOnce(handler: (res: ServerResponse) => Promise<void>): Promise<Served> {
  const server = createServer((_req, res) => void handler(res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  close = () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => { resolve(); }); });
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    get(`http://127.0.0.1:${port}/`, (res: IncomingMessage) => {
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("error", () => undefined);
      res.on("close", () => { resolve({ status: res.statusCode ?? 0, received: Buffer.concat(parts), complete: res.complete }); });
    }).on("error", reject);
  });
}

const chunks = [Buffer.alloc(1000, 1), Buffer.alloc(1000, 2), Buffer.alloc(1000, 3)];

describe("relayHoldingBack", () => {
  it("passes a clean body on whole", async () => {
    let outcome: RelayOutcome | null = null;
    const served = await serveOnce(async (res) => {
      res.setHeader("content-length", "3000");
      outcome = await relayHoldingBack(body(chunks, false), res);
    });
    expect(served).toEqual({ status: 200, received: Buffer.concat(chunks), complete: true });
    expect(outcome).toBe("complete");
  });

  it("holds the last chunk back from a body that fails at its end, and the caller cuts the connection", async () => {
    const served = await serveOnce(async (res) => {
      res.setHeader("content-length", "3000");
      await relayHoldingBack(body(chunks, true), res).catch(() => {
        expect(res.headersSent).toBe(true);
        res.destroy();
      });
    });
    expect(served.status).toBe(200);
    expect(served.complete).toBe(false);
    expect(served.received.length).toBeLessThanOrEqual(2000);
    expect(served.received.includes(3)).toBe(false);
  });

  it("sends nothing of a one-chunk body that fails, so the caller can still answer with a status", async () => {
    const served = await serveOnce(async (res) => {
      res.setHeader("content-length", "1000");
      await relayHoldingBack(body(chunks.slice(0, 1), true), res).catch(() => {
        expect(res.headersSent).toBe(false);
        res.removeHeader("content-length");
        res.writeHead(502).end("failed");
      });
    });
    expect(served).toEqual({ status: 502, received: Buffer.from("failed"), complete: true });
  });

  it("ends an empty body cleanly", async () => {
    const served = await serveOnce(async (res) => {
      await relayHoldingBack(body([], false), res);
    });
    expect(served).toEqual({ status: 200, received: Buffer.alloc(0), complete: true });
  });
});
