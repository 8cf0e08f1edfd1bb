// Pieces of the benchmark run: child processes over IPC, autocannon runs, and small statistics.
import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { z } from "zod";
import type { ChildMessage, ChildRequest } from "./child.js";
import type { ClientCostRow } from "./client-cost.js";
export { median, spread, type Spread } from "./stats.js";
import type { HttpRequestSpec } from "./queries.js";

// The services run as `npm start` runs the gateway: compiled JavaScript (dist/, from `npm run build`) with plain
// node. BENCH_RUNTIME=tsx runs them from source under tsx instead (its loader costs ~50 MB of RSS).
export const RUNTIME: "tsx" | "compiled" = process.env.BENCH_RUNTIME === "tsx" ? "tsx" : "compiled";

/** The node flags `npm start` passes (package.json is the one place they are set), for the services to run alike. */
function startFlags(): string[] {
  const pkg = z
    .object({ scripts: z.object({ start: z.string() }) })
    .parse(JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")));
  return pkg.scripts.start.match(/--[\w-]+(?:=\S+)?/g) ?? [];
}

/** BENCH_NODE_FLAGS replaces them ("" for none, "--max-old-space-size=128" …): the memory variants. */
const NODE_FLAGS =
  process.env.BENCH_NODE_FLAGS === undefined ? startFlags() : process.env.BENCH_NODE_FLAGS.split(/\s+/).filter((f) => f !== "");
const CHILD = fileURLToPath(new URL(RUNTIME === "tsx" ? "./child.ts" : "../dist/bench/child.js", import.meta.url));

export function runtimeDescription(): string {
  const flags = NODE_FLAGS.length === 0 ? "" : ` with ${NODE_FLAGS.join(" ")}`;
  return RUNTIME === "tsx" ? `from source under tsx${flags}` : `as compiled JavaScript (dist/) under plain node${flags}, as \`npm start\` runs`;
}

export interface Child {
  kind: "gateway" | "raw";
  url: string;
  /** Headers every request to it must carry (a partner's key under BENCH_PARTNER=1); none by default. */
  headers: Record<string, string>;
  process: ChildProcess;
  stats(): Promise<Extract<ChildMessage, { type: "stats" }>>;
  resetPeaks(): void;
  /** Gateway only: download links made by its own service (bench/downloads.ts). */
  downloadLinks(request: { token: string; uri: string; count: number }): Promise<string[]>;
  stop(): Promise<void>;
}

export interface ChildEnv {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

/**
 * bench/child.ts as `kind`, run as `npm start` runs the gateway, pointed at the sandbox through DIGILOCKER_*.
 * `extraEnv.AB_CHILD_PATH`: another build's child instead (bench/ab.ts compares a base commit with this one).
 */
function forkChild(kind: string, env: ChildEnv, extraExecArgv: string[], extraEnv: Record<string, string>): ChildProcess {
  return fork(extraEnv.AB_CHILD_PATH ?? CHILD, [kind], {
    execArgv: [...(RUNTIME === "tsx" ? ["--import", "tsx"] : []), ...NODE_FLAGS, ...extraExecArgv],
    env: {
      ...process.env,
      DIGILOCKER_BASE_URL: env.baseUrl,
      DIGILOCKER_CLIENT_ID: env.clientId,
      DIGILOCKER_CLIENT_SECRET: env.clientSecret,
      ...extraEnv,
    },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
}

export async function startChild(kind: "gateway" | "raw", env: ChildEnv, extraExecArgv: string[] = [], extraEnv: Record<string, string> = {}): Promise<Child> {
  const proc = forkChild(kind, env, extraExecArgv, extraEnv);
  const { url, headers } = await new Promise<{ url: string; headers: Record<string, string> }>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`${kind} child did not start in 60 s`)); }, 60_000);
    proc.once("exit", (code) => { reject(new Error(`${kind} child exited with ${String(code)}`)); });
    proc.on("message", (m: ChildMessage) => {
      if (m.type === "ready") {
        clearTimeout(timer);
        resolve({ url: m.url, headers: m.headers });
      }
    });
  });
  const send = (m: ChildRequest) => proc.send(m);
  return {
    kind,
    url,
    headers,
    process: proc,
    stats: () =>
      new Promise((resolve) => {
        const on = (m: ChildMessage) => {
          if (m.type !== "stats") return;
          proc.off("message", on);
          resolve(m);
        };
        proc.on("message", on);
        send({ type: "stats" });
      }),
    resetPeaks: () => send({ type: "reset-peaks" }),
    downloadLinks: (request) =>
      new Promise((resolve) => {
        const on = (m: ChildMessage) => {
          if (m.type !== "download-links") return;
          proc.off("message", on);
          resolve(m.urls);
        };
        proc.on("message", on);
        send({ type: "download-links", ...request });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) {
          resolve();
          return;
        }
        const kill = setTimeout(() => proc.kill("SIGKILL"), 15_000);
        proc.once("exit", () => {
          clearTimeout(kill);
          resolve();
        });
        send({ type: "exit" });
      }),
  };
}

/** The client-cost measurement (bench/client-cost.ts) in a child of its own, run as the services are. */
export async function clientCost(env: ChildEnv, tokens: readonly string[], calls: number, rounds: number): Promise<ClientCostRow[]> {
  const proc = forkChild("client-cost", env, [], { BENCH_CLIENT_COST: JSON.stringify({ tokens, calls, rounds }) });
  return new Promise((resolve, reject) => {
    proc.once("exit", (code) => { reject(new Error(`client-cost child exited with ${String(code)}`)); });
    proc.on("message", (m: ChildMessage) => {
      if (m.type === "client-cost") resolve(m.rows);
    });
  });
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
}

/** One autocannon run. Latency percentiles come from every response's own time (sub-millisecond), not from
 * autocannon's histogram, which keeps whole milliseconds only. */
export async function load(spec: HttpRequestSpec, connections: number, durationS: number): Promise<LoadResult> {
  const times: number[] = [];
  let nextClient = 0;
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        method: spec.method,
        headers: spec.headers,
        ...(spec.body === undefined ? {} : { body: spec.body }),
        connections,
        duration: durationS,
        pipelining: 1,
        // Connection i gets the i-th token's headers (autocannon sets clients up in order).
        ...(spec.perConnection === undefined
          ? {}
          : {
              setupClient: (client: autocannon.Client) => {
                const headers = spec.perConnection?.[nextClient++ % (spec.perConnection.length || 1)];
                if (headers) client.setHeaders(headers);
              },
            }),
      },
      (error: Error | null, result: autocannon.Result) => {
        if (error) reject(error);
        else resolve(result);
      },
    );
    instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) times.push(ms);
    });
  });
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? NaN;
  return {
    rps: r.requests.total / (r.duration || durationS),
    p50: pct(50),
    p99: pct(99),
    requests: r.requests.total,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}


/** Upstream calls in `after` not in `before`, summed. */
export function callDelta(before: Record<string, number>, after: Record<string, number>): { total: number; byEndpoint: Record<string, number> } {
  const byEndpoint: Record<string, number> = {};
  let total = 0;
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    if (d > 0) {
      byEndpoint[k] = d;
      total += d;
    }
  }
  return { total, byEndpoint };
}

/** POSTs or GETs once with fetch and returns the parsed JSON body. */
export async function once(spec: HttpRequestSpec): Promise<unknown> {
  const res = await fetch(spec.url, { method: spec.method, headers: spec.headers, ...(spec.body === undefined ? {} : { body: spec.body }) });
  return res.json();
}
