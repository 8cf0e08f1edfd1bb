// A service under load in its own process: `gateway` (startGateway, configured from DIGILOCKER_* env) or `raw`
// (bench/raw-service.ts). It answers the parent over IPC with its CPU time, memory peaks and upstream calls.
import { loadConfig } from "../src/config.js";
import { partnerScopeNames } from "../src/partners/scopes.js";
import { startGateway, type GatewayDeps } from "../src/server/gateway.js";
import { measureClientCost, type ClientCostRow } from "./client-cost.js";
import { startRawService } from "./raw-service.js";

export type ChildRequest =
  | { type: "stats" }
  | { type: "reset-peaks" }
  | { type: "exit" }
  /** Gateway only: `count` download links to `uri` for a bearer token (bench/downloads.ts). */
  | { type: "download-links"; token: string; uri: string; count: number };
export type ChildMessage =
  | { type: "ready"; url: string; headers: Record<string, string> }
  | { type: "download-links"; urls: string[] }
  | { type: "client-cost"; rows: ClientCostRow[] }
  | { type: "stats"; cpu: NodeJS.CpuUsage; peaks: Peaks; calls: Record<string, number>; monotonicUs: number; memory: NodeJS.MemoryUsage };
export interface Peaks {
  rss: number;
  heapUsed: number;
  external: number;
  /** Absent in results written before it was sampled. */
  arrayBuffers?: number;
}

const kind = process.argv[2];
const reply = (m: ChildMessage) => process.send?.(m);

const noPeaks = (): Peaks => ({ rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0 });
let peaks = noPeaks();
function sample(): void {
  const m = process.memoryUsage();
  peaks = {
    rss: Math.max(peaks.rss, m.rss),
    heapUsed: Math.max(peaks.heapUsed, m.heapUsed),
    external: Math.max(peaks.external, m.external),
    arrayBuffers: Math.max(peaks.arrayBuffers ?? 0, m.arrayBuffers),
  };
}
const sampler = setInterval(sample, 25);
sampler.unref();

async function main(): Promise<void> {
  const baseUrl = process.env.DIGILOCKER_BASE_URL ?? "";
  const clientId = process.env.DIGILOCKER_CLIENT_ID ?? "";
  const clientSecret = process.env.DIGILOCKER_CLIENT_SECRET ?? "";
  if (kind === "client-cost") {
    // One measurement, then exit: BENCH_CLIENT_COST = {tokens, calls, rounds} as JSON.
    const input = JSON.parse(process.env.BENCH_CLIENT_COST ?? "{}") as { tokens: string[]; calls: number; rounds: number };
    const rows = await measureClientCost({ baseUrl, clientId, clientSecret, ...input });
    process.send?.({ type: "client-cost", rows } satisfies ChildMessage, () => process.exit(0));
    return;
  }
  let url: string;
  let calls: () => Record<string, number>;
  let close: () => Promise<void>;
  let links: ((m: Extract<ChildRequest, { type: "download-links" }>) => Promise<string[]>) | null = null;
  /** Headers the load must send: BENCH_PARTNER=1 registers a partner with every scope and hands back its key. */
  let headers: Record<string, string> = {};
  if (kind === "gateway") {
    // BENCH_GATEWAY_VARIANT: jit (what ships: graphql-jit execution, yoga's parse/validate cache, the direct path for
    // JSON POSTs), graphql-js (no jit), graphql-js-no-parse-cache (no jit, yoga's parse/validate cache off),
    // adapter (every request through yoga's fetch adapter, as before src/server/json-post.ts).
    const variant = process.env.BENCH_GATEWAY_VARIANT ?? "jit";
    const deps: GatewayDeps =
      variant === "graphql-js"
        ? { yoga: { plugins: [] } }
        : variant === "graphql-js-no-parse-cache"
          ? { yoga: { plugins: [], parserAndValidationCache: false } }
          : variant === "adapter"
            ? { directPath: false }
            : {};
    // All load comes from one address: per-client budgets too large to refuse, so the limiter's cost is measured.
    const budgets = { RATE_LIMIT_PER_CLIENT: "1000000000", RATE_LIMIT_WRITES_PER_CLIENT: "1000000000" };
    const gateway = await startGateway(loadConfig({ ...budgets, DATA_DIR: "memory", ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent" }), deps);
    url = gateway.url;
    if (process.env.BENCH_PARTNER === "1") {
      // As production runs: a partner is registered (no development mode) and the load calls with its key.
      const { key } = await gateway.services.partners.create({ name: "bench", scopes: partnerScopeNames });
      headers = { "x-api-key": key };
    }
    calls = () => gateway.upstreamCalls.snapshot();
    close = () => gateway.close();
    links = async ({ token, uri, count }) => {
      const urls: string[] = [];
      for (let i = 0; i < count; i++) {
        const link = await gateway.services.downloadLinks.create({
          binding: { kind: "bearer", token },
          uri,
          format: "FILE",
          disposition: "ATTACHMENT",
          fileName: "document.pdf",
          mimeType: "application/pdf",
        });
        // On the address the gateway listens on (PUBLIC_URL is localhost:<port> here).
        urls.push(`${gateway.url}${new URL(link.url).pathname}`);
      }
      return urls;
    };
  } else if (kind === "raw") {
    const raw = await startRawService({ baseUrl, clientId, clientSecret });
    url = raw.url;
    calls = () => ({ ...raw.calls });
    close = () => raw.close();
  } else {
    throw new Error(`unknown child kind ${String(kind)}`);
  }
  process.on("message", (m: ChildRequest) => {
    if (m.type === "stats") {
      sample();
      // The monotonic clock V8's CPU profiles use, so a profile can be cut to the load's window.
      const monotonicUs = Number(process.hrtime.bigint() / 1000n);
      reply({ type: "stats", cpu: process.cpuUsage(), peaks, calls: calls(), monotonicUs, memory: process.memoryUsage() });
    } else if (m.type === "reset-peaks") {
      peaks = noPeaks();
      sample();
    } else if (m.type === "download-links") {
      if (links === null) throw new Error("only a gateway child makes download links");
      void links(m).then((urls) => reply({ type: "download-links", urls }));
    } else {
      void close().finally(() => process.exit(0));
    }
  });
  reply({ type: "ready", url, headers });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
