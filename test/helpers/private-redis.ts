// A redis-server of the test's own, on a free port, for tests that stop Redis: stopping the shared one on 6379
// would fail every other test running beside them. Nothing is persisted (no RDB, no AOF).
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { type AddressInfo, connect, createServer } from "node:net";

export interface PrivateRedis {
  /** redis://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Kills the server and waits for it to exit: the port refuses connections afterwards. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: nothing survives a stop). */
  start(): Promise<void>;
  /** Stops it for good. */
  close(): Promise<void>;
}

const startDeadlineMs = 10_000;

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  let closed = false;
  // Should the test process end without close(), its redis-server must not outlive it.
  const killOnExit = () => child?.kill("SIGKILL");
  process.on("exit", killOnExit);

  const stop = async () => {
    const running = child;
    child = null;
    if (running) await kill(running);
  };
  const redis: PrivateRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start: async () => {
      if (closed) throw new Error(`the private Redis on port ${port} is closed`);
      if (child) return;
      child = await launch(port);
    },
    close: async () => {
      closed = true;
      await stop();
      process.off("exit", killOnExit);
    },
  };
  await redis.start().catch((error: unknown) => {
    process.off("exit", killOnExit);
    throw error;
  });
  return redis;
}

/** A port nothing listens on now: bind one on port 0, read it, let it go. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => {
    server.close((error) => {
      if (error) reject(error);
      else resolve();
    });
  });
  return port;
}

/** Spawns redis-server on `port` and resolves once it answers PING; rejects (and kills it) within 10 s otherwise. */
async function launch(port: number): Promise<ChildProcess> {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"], {
    stdio: "ignore",
  });
  // Set by the listeners below (a holder, so the loop below sees what they wrote).
  const failed: { error: Error | null } = { error: null };
  child.once("error", (error: NodeJS.ErrnoException) => {
    failed.error =
      error.code === "ENOENT"
        ? new Error("redis-server not found: install it (apt-get install redis-server)")
        : new Error(`cannot start redis-server: ${error.message}`);
  });
  child.once("exit", (code, signal) => {
    failed.error ??= new Error(`redis-server on port ${port} exited (${signal ?? `code ${code}`}) before answering PING`);
  });
  const deadline = performance.now() + startDeadlineMs;
  for (;;) {
    if (failed.error) throw failed.error;
    if (await answersPing(port)) return child;
    if (performance.now() >= deadline) {
      await kill(child);
      throw new Error(`redis-server on port ${port} did not answer PING within ${startDeadlineMs / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether 127.0.0.1:`port` answers an inline PING with +PONG within a second. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let reply = "";
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(1000, () => {
      done(false);
    });
    socket.on("error", () => {
      done(false);
    });
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString("latin1");
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG\r\n"));
    });
  });
}

/** SIGTERM, SIGKILL after 5 s; resolves once the process has exited (and so closed its port). */
async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}
