// The downloads case: one large document (the sandbox's largeDocumentBytes) fetched over and over by N concurrent
// clients, through the gateway's download links (hmac checked as it streams, last chunk held back) and through the
// raw service's undici pipe (bench/raw-service.ts, GET /file/<uri>). Throughput in MiB/s of file bytes received,
// and each service's memory peaks. A sandbox of its own, so the query cases keep Priya's 12-document locker.
import { Agent, request } from "undici";
import { startSandbox } from "../src/sandbox/server.js";
import { LARGE_DOCUMENT_URI } from "../src/sandbox/seed/large-document.js";
import type { Peaks } from "./child.js";
import { spread, startChild, type Child, type Spread } from "./harness.js";
import { BENCH_SCOPES, BENCH_USER } from "./queries.js";
import { RAW_FILE_PATH } from "./raw-service.js";

export interface DownloadSide {
  /** MiB of file bytes received per second, over the runs. */
  mibPerS: Spread;
  /** Whole files received, and requests that failed or came short, summed over the runs. */
  files: number;
  errors: number;
}

export interface DownloadRow {
  connections: number;
  raw: DownloadSide;
  gateway: DownloadSide;
  /** Gateway MiB/s ÷ raw MiB/s per run pair, then the median. */
  throughputPct: Spread;
  gatewayPeaks: Peaks;
  rawPeaks: Peaks;
}

export interface DownloadResults {
  /** When this case ran: it may be merged into an older run's results (BENCH_ONLY=downloads). */
  measuredAt: string;
  bytes: number;
  durationS: number;
  runs: number;
  /** RSS of each child right after start. */
  idle: { gatewayRss: number; rawRss: number };
  rows: DownloadRow[];
}

export interface DownloadOptions {
  bytes: number;
  connections: readonly number[];
  durationS: number;
  runs: number;
  log: (...args: unknown[]) => void;
}

interface Pulled {
  bytes: number;
  files: number;
  errors: number;
  seconds: number;
}

/** `connections` clients, each fetching its URL again and again for `durationS` (once at least), bodies counted and dropped. */
async function pull(urls: readonly string[], headers: Record<string, string>, size: number, connections: number, durationS: number): Promise<Pulled> {
  const agent = new Agent({ connections, pipelining: 1 });
  const out = { bytes: 0, files: 0, errors: 0 };
  const started = performance.now();
  const deadline = started + durationS * 1000;
  const client = async (url: string) => {
    do {
      let received = 0;
      try {
        const res = await request(url, { headers, dispatcher: agent });
        for await (const chunk of res.body) received += (chunk as Buffer).length;
        if (res.statusCode === 200 && received === size) out.files++;
        else out.errors++;
      } catch {
        out.errors++;
      }
      out.bytes += received;
    } while (performance.now() < deadline);
  };
  try {
    await Promise.all(Array.from({ length: connections }, (_, i) => client(urls[i % urls.length] ?? "")));
  } finally {
    await agent.close();
  }
  return { ...out, seconds: (performance.now() - started) / 1000 };
}

const mib = (p: Pulled) => p.bytes / 1048576 / p.seconds;

export async function measureDownloads(o: DownloadOptions): Promise<DownloadResults> {
  const sandbox = await startSandbox({ port: 0, largeDocumentBytes: o.bytes, faults: { latencyMs: 0 } });
  const env = { baseUrl: sandbox.baseUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret };
  let raw: Child | null = null;
  let gateway: Child | null = null;
  try {
    raw = await startChild("raw", env);
    gateway = await startChild("gateway", env);
    const idle = { gatewayRss: (await gateway.stats()).memory.rss, rawRss: (await raw.stats()).memory.rss };
    const token = sandbox.issueToken({ userId: BENCH_USER, scopes: BENCH_SCOPES }).accessToken;
    const most = Math.max(...o.connections);
    const links = await gateway.downloadLinks({ token, uri: LARGE_DOCUMENT_URI, count: most });
    const rawUrl = [`${raw.url}${RAW_FILE_PATH}${encodeURIComponent(LARGE_DOCUMENT_URI)}`];
    const auth = { authorization: `Bearer ${token}` };
    const rows: DownloadRow[] = [];
    for (const connections of o.connections) {
      // Warm: a download each, then a short load on each.
      await pull(rawUrl, auth, o.bytes, 1, 0);
      await pull(links, {}, o.bytes, 1, 0);
      raw.resetPeaks();
      gateway.resetPeaks();
      const runs: Record<"raw" | "gateway", Pulled[]> = { raw: [], gateway: [] };
      for (let i = 0; i < o.runs; i++) {
        // Interleaved, so drift on the shared cores hits both alike.
        runs.raw.push(await pull(rawUrl, auth, o.bytes, connections, o.durationS));
        runs.gateway.push(await pull(links, {}, o.bytes, connections, o.durationS));
      }
      const side = (ps: Pulled[]): DownloadSide => ({
        mibPerS: spread(ps.map(mib)),
        files: ps.reduce((n, p) => n + p.files, 0),
        errors: ps.reduce((n, p) => n + p.errors, 0),
      });
      const row: DownloadRow = {
        connections,
        raw: side(runs.raw),
        gateway: side(runs.gateway),
        throughputPct: spread(runs.gateway.map((g, i) => (100 * mib(g)) / mib(runs.raw[i] ?? g))),
        gatewayPeaks: (await gateway.stats()).peaks,
        rawPeaks: (await raw.stats()).peaks,
      };
      rows.push(row);
      o.log(
        `downloads c${connections}: raw ${row.raw.mibPerS.median.toFixed(0)} MiB/s, gateway ${row.gateway.mibPerS.median.toFixed(0)} MiB/s ` +
          `(${row.throughputPct.median.toFixed(0)}%), gateway peak RSS ${(row.gatewayPeaks.rss / 1048576).toFixed(0)} MB` +
          (row.raw.errors + row.gateway.errors > 0 ? `, errors raw ${row.raw.errors} gw ${row.gateway.errors}` : ""),
      );
    }
    return { measuredAt: new Date().toISOString(), bytes: o.bytes, durationS: o.durationS, runs: o.runs, idle, rows };
  } finally {
    await gateway?.stop();
    await raw?.stop();
    await sandbox.close();
  }
}
