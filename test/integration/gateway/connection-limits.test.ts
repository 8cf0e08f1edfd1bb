// Connection bounds over raw sockets, as a slow or greedy client meets them: headers or a body that never finish,
// a socket that sends nothing, too many sockets from one address. No fetch here: its keep-alive pool would hold
// connections of its own and blur the counts.
import { connect, type Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../helpers/gateway.js";

const HEADERS_MS = 300;
const REQUEST_MS = 600;
/** Upper slack for a loaded machine: Node checks on a timer and the event loop may be busy elsewhere. */
const SLACK_MS = 1_500;
/** Lower bound: Node's clock starts when it accepts, after the client's 'connect', so only timer rounding is early. */
const EARLY_MS = 30;

interface Client {
  socket: Socket;
  /** Everything the server has sent so far. */
  received(): string;
  /** Resolves when the connection is closed, with the milliseconds since it connected. */
  closed: Promise<number>;
  isClosed(): boolean;
}

/** A raw TCP client to the gateway, tracked in `opened` so afterEach can release whatever a test left open. */
function connectClient(port: number, opened: Set<Socket>): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    opened.add(socket);
    let text = "";
    let done = false;
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => { text += chunk; });
    // A refused or timed-out socket may end in a reset: what counts is that it closed.
    socket.on("error", () => undefined);
    socket.once("connect", () => {
      const connectedAt = performance.now();
      const closed = new Promise<number>((onClose) => {
        socket.once("close", () => {
          done = true;
          onClose(performance.now() - connectedAt);
        });
      });
      resolve({ socket, received: () => text, closed, isClosed: () => done });
    });
    socket.once("close", () => { reject(new Error("closed before connecting")); });
  });
}

/** Writes a GET and resolves with the status line of the response it gets. */
function get(client: Client, path: string, headers = ""): Promise<string> {
  const from = client.received().length;
  return new Promise((resolve, reject) => {
    const check = () => {
      const text = client.received().slice(from);
      if (!text.includes("\r\n\r\n")) return;
      client.socket.off("data", check);
      resolve(text.slice(0, text.indexOf("\r\n")));
    };
    client.socket.on("data", check);
    client.socket.once("close", () => { reject(new Error(`closed without an answer to ${path}`)); });
    client.socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n${headers}\r\n`);
  });
}

/** Writes `text` one byte every `everyMs` until the socket closes (or the text runs out). */
function trickle(client: Client, text: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (client.isClosed() || i >= text.length) {
      clearInterval(timer);
      return;
    }
    client.socket.write(text.charAt(i++));
  }, everyMs);
}

/** Milliseconds from connect to close; fails fast, instead of at the test timeout, if the socket stays open. */
async function closedWithin(client: Client, limitMs: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => { reject(new Error(`still open after ${limitMs} ms`)); }, limitMs);
  });
  try {
    return await Promise.race([client.closed, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until `condition` holds or `timeoutMs` passes; the caller's expect then says which. */
async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

const statusLine = (text: string) => text.slice(0, text.indexOf("\r\n"));

/** One gateway per block, with its own env; checks after every test that every connection was released. */
function withGateway(env: Record<string, string>) {
  const ctx = { t: undefined as unknown as TestGateway, port: 0, opened: new Set<Socket>() };
  let before = 0;
  beforeAll(async () => {
    ctx.t = await startTestGateway(env);
    ctx.port = Number(new URL(ctx.t.gateway.url).port);
  });
  afterAll(() => ctx.t.close());
  beforeEach(() => { before = ctx.t.gateway.connections.open; });
  afterEach(async () => {
    for (const socket of ctx.opened) socket.destroy();
    ctx.opened.clear();
    // The server sees the close a moment after the client does.
    await until(() => ctx.t.gateway.connections.open === before, 2_000);
    expect(ctx.t.gateway.connections.open).toBe(before);
  });
  return ctx;
}

describe("headers and request timeouts", () => {
  const ctx = withGateway({ HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_MS), HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_MS) });

  it("closes a slow-loris whose headers trickle in byte by byte, with 408, once the headers timeout has passed", async () => {
    const client = await connectClient(ctx.port, ctx.opened);
    trickle(client, `GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ${"a".repeat(1_000)}`, 20);
    const afterMs = await closedWithin(client, HEADERS_MS + SLACK_MS);
    expect(afterMs).toBeGreaterThanOrEqual(HEADERS_MS - EARLY_MS);
    expect(afterMs).toBeLessThan(HEADERS_MS + SLACK_MS);
    expect(statusLine(client.received())).toBe("HTTP/1.1 408 Request Timeout");
  });

  it("closes a chunked POST /graphql whose body never finishes, with 408, at the request timeout", async () => {
    const client = await connectClient(ctx.port, ctx.opened);
    client.socket.write(
      "POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
        '1\r\n{\r\n',
    );
    // Body bytes keep coming: progress does not extend the deadline.
    trickle(client, "1\r\n \r\n".repeat(1_000), 50);
    const afterMs = await closedWithin(client, REQUEST_MS + SLACK_MS);
    // Past the headers timeout: the headers were complete, only the request timeout applies.
    expect(afterMs).toBeGreaterThanOrEqual(REQUEST_MS - EARLY_MS);
    expect(afterMs).toBeLessThan(REQUEST_MS + SLACK_MS);
    expect(statusLine(client.received())).toBe("HTTP/1.1 408 Request Timeout");
  });

  it("closes a POST /graphql whose body stops short of its Content-Length, with 408, at the request timeout", async () => {
    const client = await connectClient(ctx.port, ctx.opened);
    client.socket.write(
      "POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nAccept: application/json\r\n" +
        'Content-Length: 100\r\n\r\n{"query":',
    );
    const afterMs = await closedWithin(client, REQUEST_MS + SLACK_MS);
    expect(afterMs).toBeGreaterThanOrEqual(REQUEST_MS - EARLY_MS);
    expect(afterMs).toBeLessThan(REQUEST_MS + SLACK_MS);
    expect(statusLine(client.received())).toBe("HTTP/1.1 408 Request Timeout");
  });

  it("closes a connection that never sends a byte once the headers timeout has passed", async () => {
    const client = await connectClient(ctx.port, ctx.opened);
    const afterMs = await closedWithin(client, HEADERS_MS + SLACK_MS);
    expect(afterMs).toBeGreaterThanOrEqual(HEADERS_MS - EARLY_MS);
    expect(afterMs).toBeLessThan(HEADERS_MS + SLACK_MS);
  });

  it("still answers a prompt client on a fresh connection", async () => {
    const client = await connectClient(ctx.port, ctx.opened);
    expect(await get(client, "/health", "Connection: close\r\n")).toBe("HTTP/1.1 200 OK");
  });
});

describe("connections per client address", () => {
  const ctx = withGateway({ HTTP_MAX_CONNECTIONS_PER_CLIENT: "3" });

  it("closes the 4th connection from 127.0.0.1 at once, keeps serving the first 3, and accepts a new one after one closes", async () => {
    const { connections } = ctx.t.gateway;
    const refusedBefore = connections.refusedPerClient;
    const first = await Promise.all([1, 2, 3].map(() => connectClient(ctx.port, ctx.opened)));
    for (const client of first) expect(await get(client, "/health")).toBe("HTTP/1.1 200 OK");

    const fourth = await connectClient(ctx.port, ctx.opened);
    // Well inside the 10 s headers timeout, and with no 408: refused, not timed out.
    await closedWithin(fourth, SLACK_MS);
    expect(fourth.received()).toBe("");
    expect(connections.refusedPerClient).toBe(refusedBefore + 1);

    // The first 3 are untouched (keep-alive): each answers again.
    for (const client of first) expect(await get(client, "/health")).toBe("HTTP/1.1 200 OK");

    first[0]!.socket.destroy();
    await first[0]!.closed;
    await until(() => connections.open === 2, 2_000);
    expect(connections.open).toBe(2);
    const next = await connectClient(ctx.port, ctx.opened);
    expect(await get(next, "/health")).toBe("HTTP/1.1 200 OK");
    expect(connections.refusedPerClient).toBe(refusedBefore + 1);
  });
});

describe("slow clients do not starve prompt ones", () => {
  const ctx = withGateway({});

  it("answers /health within 100 ms while slow-loris connections are held open", async () => {
    const health = async () => {
      const started = performance.now();
      const client = await connectClient(ctx.port, ctx.opened);
      expect(await get(client, "/health", "Connection: close\r\n")).toBe("HTTP/1.1 200 OK");
      return performance.now() - started;
    };
    await health(); // warm up: the first request compiles the route
    const slow = await Promise.all(Array.from({ length: 20 }, () => connectClient(ctx.port, ctx.opened)));
    for (const client of slow) trickle(client, `GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ${"a".repeat(1_000)}`, 20);

    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push(await health());
    // The median: one GC pause or a busy neighbour on a shared CI machine is not what this measures.
    times.sort((a, b) => a - b);
    expect(times[2]).toBeLessThan(100);
    for (const client of slow) expect(client.isClosed()).toBe(false);
  });
});
