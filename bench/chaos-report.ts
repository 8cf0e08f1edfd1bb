// What `npm run chaos` found, as data (bench/RESILIENCE.json) and as bench/RESILIENCE.md. The chaos run and the
// soak run each keep their own section: running one mode replaces its section and keeps the other's.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Crash, RssSample } from "./chaos-gateway.js";
import type { HealthSample, KindTally, Tally } from "./chaos-load.js";
import { cachedEndpointOf, type Family } from "./chaos-queries.js";
import { median } from "./stats.js";

export type Mode = "chaos" | "soak";

/** A kind's tally with its latencies summarised. */
export interface KindSummary extends Omit<KindTally, "latenciesMs"> {
  kind: string;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface ChaosSettings {
  durationS: number;
  connections: number;
  hostileShare: number;
  /** Which hostile kinds the hostile share is drawn from ("malformed": the malformed bodies). */
  hostileKinds: string[];
  clientTimeoutS: number;
  healthIntervalMs: number;
  rssIntervalS: number;
  /** What the gateway process was started with, besides the parent's environment. */
  gatewayEnv: Record<string, string>;
  runtime: string;
  node: string;
  cpus: number;
}

export interface RssGrowth {
  firstMinuteMb: number;
  lastMinuteMb: number;
  growthMb: number;
  /** False when the gateway restarted in between: the two minutes are then different processes. */
  sameProcess: boolean;
}

export interface ChaosResult {
  mode: Mode;
  started: string;
  finished: string;
  settings: ChaosSettings;
  crashes: Crash[];
  /** Gateway processes used: 1 + restarts (+ any start that failed). */
  processes: number;
  /** True when the gateway could not be started again after a crash, so the run ended early. */
  gaveUp: boolean;
  /** The load's wall time: its duration, then the wait for requests still in flight. */
  loadS: number;
  totals: { requests: number; fiveXx: number; uncoded: number; hung: number; connectionErrors: number };
  kinds: KindSummary[];
  cache: { kind: string; endpoint: string; servedWithData: number; upstreamCalls: number | null }[];
  /** Null when no gateway process answered the IPC stats request (stuck from the start). */
  upstreamCalls: Record<string, number> | null;
  rss: {
    beforeMb: number | null;
    maxMb: number;
    afterMb: number | null;
    /** Which gateway process "after" was read from: not the first one's when it crashed. */
    afterGeneration: number;
    samples: RssSample[];
    growth: RssGrowth | null;
  };
  health: { probes: number; p50Ms: number; p99Ms: number; maxMs: number; over1s: number; statuses: Record<string, number> };
}

/** Nearest-rank percentile of ascending `sorted`, as harness.ts's load() reports p99. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function summariseKind(kind: string, t: KindTally): KindSummary {
  const { latenciesMs, ...counts } = t;
  const ms = [...latenciesMs].sort((a, b) => a - b);
  return {
    kind,
    ...counts,
    p50Ms: median(ms),
    p99Ms: percentile(ms, 99),
    maxMs: ms.at(-1) ?? NaN,
  };
}

export function summariseKinds(tally: Tally): KindSummary[] {
  return [...tally.kinds.entries()].map(([k, t]) => summariseKind(k, t)).sort((a, b) => a.kind.localeCompare(b.kind));
}

export function totalsOf(kinds: readonly KindSummary[]): ChaosResult["totals"] {
  const sum = (f: (k: KindSummary) => number) => kinds.reduce((n, k) => n + f(k), 0);
  return {
    requests: sum((k) => k.requests),
    fiveXx: sum((k) => Object.entries(k.statuses).reduce((n, [s, c]) => n + (/^5\d\d$/.test(s) ? c : 0), 0)),
    uncoded: sum((k) => k.uncoded),
    hung: sum((k) => k.outcomes.hung ?? 0),
    connectionErrors: sum((k) => k.outcomes.connection ?? 0),
  };
}

/** Cached reads: answered with data vs the calls their cache's endpoint made upstream in the whole run. */
export function cacheRows(kinds: readonly KindSummary[], calls: Record<string, number> | null): ChaosResult["cache"] {
  return kinds.flatMap((k) => {
    const endpoint = cachedEndpointOf(k.kind);
    if (endpoint === undefined) return [];
    return [{ kind: k.kind, endpoint, servedWithData: (k.outcomes.data ?? 0) + (k.outcomes.partial ?? 0), upstreamCalls: calls?.[endpoint] ?? null }];
  });
}

/** Over every probe: one that failed (a reset while the gateway was stuck, a crash) counts until it failed. */
export function healthOf(samples: readonly HealthSample[]): ChaosResult["health"] {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  for (const s of samples) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
  return { probes: samples.length, p50Ms: median(ms), p99Ms: percentile(ms, 99), maxMs: ms.at(-1) ?? NaN, over1s: samples.filter((s) => s.ms > 1000).length, statuses };
}

/** RSS of the first minute against the last, by their means (soak runs, two minutes or longer). */
export function growthOf(samples: readonly RssSample[], durationS: number): RssGrowth | null {
  if (durationS < 120) return null;
  const first = samples.filter((s) => s.atS <= 60);
  const last = samples.filter((s) => s.atS >= durationS - 60 && s.atS <= durationS);
  if (first.length === 0 || last.length === 0) return null;
  const mean = (xs: readonly RssSample[]) => xs.reduce((n, s) => n + s.rssMb, 0) / xs.length;
  const generations = new Set([...first, ...last].map((s) => s.generation));
  return { firstMinuteMb: mean(first), lastMinuteMb: mean(last), growthMb: mean(last) - mean(first), sameProcess: generations.size === 1 };
}

// ---- Markdown --------------------------------------------------------------------------------------------------

const mb = (x: number | null) => (x === null || Number.isNaN(x) ? "n/a" : `${x.toFixed(0)} MB`);
const msOf = (x: number) => (Number.isNaN(x) ? "n/a" : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const counts = (m: Record<string, number | undefined>) =>
  Object.entries(m)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([k, v]) => `${k} ${String(v ?? 0)}`)
    .join(", ") || "none";
const pct = (n: number, of: number) => (of === 0 ? "n/a" : `${((100 * n) / of).toFixed(1)}%`);

function verdict(r: ChaosResult): string[] {
  const t = r.totals;
  const reads = r.kinds.filter((k) => k.family === "read");
  const readTotal = reads.reduce((n, k) => n + k.requests, 0);
  const served = reads.reduce((n, k) => n + (k.outcomes.data ?? 0) + (k.outcomes.partial ?? 0), 0);
  const unavailable = reads.reduce((n, k) => n + (k.outcomes.unavailable ?? 0), 0);
  const crashes = r.crashes.map((c) => `at ${c.atS.toFixed(1)} s (exit ${String(c.exitCode)}, signal ${String(c.signal)}, last RSS ${mb(c.lastRssMb)})`);
  return [
    `| Gateway crashes | **${r.crashes.length}**${crashes.length > 0 ? `: ${crashes.join("; ")}` : ""}${r.gaveUp ? " — could not be restarted; the run ended early" : ""} |`,
    `| Requests answered or given up on | ${t.requests} in ${r.loadS.toFixed(0)} s (${(t.requests / r.loadS).toFixed(1)}/s; the last ${Math.max(0, r.loadS - r.settings.durationS).toFixed(0)} s waited for requests in flight) |`,
    `| HTTP 5xx | **${t.fiveXx}** of ${t.requests} requests |`,
    `| GraphQL errors without \`extensions.code\` | **${t.uncoded}** |`,
    `| Hung requests (no answer within ${r.settings.clientTimeoutS} s) | **${t.hung}** |`,
    `| Connections reset or refused | **${t.connectionErrors}** |`,
    `| Reads answered with data, under faults | **${served}** of ${readTotal} (${pct(served, readTotal)}); ${unavailable} answered \`UPSTREAM_UNAVAILABLE\` |`,
    `| Gateway RSS before / max during / after | ${mb(r.rss.beforeMb)} / ${mb(r.rss.maxMb)} / ${mb(r.rss.afterMb)}${r.rss.afterGeneration > 0 ? ` (after: restarted process #${r.rss.afterGeneration + 1})` : ""} |`,
    `| \`/health\` latency p50 / p99 / max (${r.health.probes} probes; a failed probe counts until it failed) | ${msOf(r.health.p50Ms)} / ${msOf(r.health.p99Ms)} / ${msOf(r.health.maxMs)} ms; ${r.health.over1s} over 1 s; ${counts(r.health.statuses)} |`,
  ];
}

function growthLines(r: ChaosResult): string[] {
  if (r.mode !== "soak") return [];
  const g = r.rss.growth;
  const series = r.rss.samples.map((x) => x.rssMb.toFixed(0)).join(", ");
  const seriesLine = `| RSS every ${r.settings.rssIntervalS} s (MB) | ${series} |`;
  if (g === null) return [`| RSS growth, first minute → last minute | n/a: the run was shorter than two minutes |`, seriesLine];
  const note = g.sameProcess ? "" : " (the gateway restarted in between: not the same process)";
  return [`| RSS growth, first minute → last minute (means) | ${mb(g.firstMinuteMb)} → ${mb(g.lastMinuteMb)}: **${g.growthMb >= 0 ? "+" : ""}${g.growthMb.toFixed(1)} MB**${note} |`, seriesLine];
}

function kindTable(kinds: readonly KindSummary[]): string[] {
  return [
    "| Kind | Requests | HTTP status | Outcome | Error codes | p50 ms | p99 ms | max ms |",
    "|---|---:|---|---|---|---:|---:|---:|",
    ...kinds.map(
      (k) => `| \`${k.kind}\` | ${k.requests} | ${counts(k.statuses)} | ${counts(k.outcomes)} | ${counts(k.codes)}${k.uncoded > 0 ? `, **${k.uncoded} without code**` : ""} | ${msOf(k.p50Ms)} | ${msOf(k.p99Ms)} | ${msOf(k.maxMs)} |`,
    ),
  ];
}

function uncodedSamples(kinds: readonly KindSummary[]): string[] {
  const lines = kinds.flatMap((k) => k.uncodedSamples.map((m) => `- \`${k.kind}\`: ${JSON.stringify(m)}`));
  return lines.length === 0 ? [] : ["", "Errors without a code (samples):", "", ...lines];
}

function cacheTable(r: ChaosResult): string[] {
  return [
    "| Read | Answered with data | Upstream calls of its cached endpoint (whole run) |",
    "|---|---:|---|",
    ...r.cache.map((c) => `| \`${c.kind}\` | ${c.servedWithData} | ${c.upstreamCalls === null ? "not read" : String(c.upstreamCalls)} \`${c.endpoint}\` |`),
  ];
}

function settingsLines(r: ChaosResult): string[] {
  const s = r.settings;
  const env = Object.entries(s.gatewayEnv).map(([k, v]) => `\`${k}=${v}\``).join(", ");
  return [
    `${r.started} → ${r.finished}. ${s.durationS} s of load at ${s.connections} connections, each with its own sandbox token ` +
      `(the seeded users in turn); ${(100 * s.hostileShare).toFixed(0)}% of requests hostile or malformed (${s.hostileKinds.join(", ")}); client timeout ${s.clientTimeoutS} s; ` +
      `\`/health\` probed every ${s.healthIntervalMs} ms; RSS read from /proc every ${s.rssIntervalS} s. ` +
      `The gateway ran ${s.runtime}, with the sandbox embedded (its work and memory are in the gateway's process), Node ${s.node}, ${s.cpus} CPUs, and: ${env}.`,
  ];
}

function section(r: ChaosResult): string[] {
  const kinds = (f: Family) => r.kinds.filter((k) => k.family === f);
  return [
    `## ${r.mode === "soak" ? "Soak" : "Chaos"} run`,
    "",
    ...settingsLines(r),
    "",
    "| Finding | Result |",
    "|---|---|",
    ...verdict(r),
    ...growthLines(r),
    ...uncodedSamples(r.kinds),
    "",
    "### Reads",
    "",
    "Outcome: `data` answered in full, `partial` with data and errors, `unavailable` without data and with `UPSTREAM_UNAVAILABLE`, `refused` without data.",
    "",
    ...kindTable(kinds("read")),
    "",
    "Served from the gateway's caches while the sandbox failed calls: a read answered with data made no upstream call unless its endpoint's count grew.",
    "",
    ...cacheTable(r),
    "",
    r.upstreamCalls === null
      ? "Upstream calls in the run: not read (no gateway process answered the IPC stats request)."
      : `Upstream calls in the run, by endpoint (each gateway process up to its last snapshot): ${counts(r.upstreamCalls)}.`,
    "",
    "### Hostile and malformed requests",
    "",
    "Issue #11's reproductions (each made unique per request) and malformed bodies. `refused`: answered without data; `data`/`partial`: executed.",
    "",
    ...kindTable([...kinds("hostile"), ...kinds("malformed")]),
    "",
  ];
}

interface Stored {
  runs: Partial<Record<Mode, ChaosResult>>;
}

function readStored(jsonPath: string): Stored {
  if (!existsSync(jsonPath)) return { runs: {} };
  // Written by this module; a file of another shape is replaced rather than trusted.
  const parsed = JSON.parse(readFileSync(jsonPath, "utf8")) as Partial<Stored> | null;
  return typeof parsed?.runs === "object" ? { runs: parsed.runs } : { runs: {} };
}

export function render(stored: Stored): string {
  const runs = (["chaos", "soak"] as const).flatMap((m) => (stored.runs[m] === undefined ? [] : [stored.runs[m]]));
  return [
    "# Resilience under chaos",
    "",
    "Written by `npm run chaos` (bench/chaos.ts; the soak section by `npm run chaos -- --soak`), from bench/RESILIENCE.json.",
    "The gateway runs in a child process as `npm start` runs it, with the sandbox embedded and faults injected",
    "(`SANDBOX_*` below); the load mixes the bench's reads with issue #11's hostile queries and malformed bodies.",
    "",
    ...runs.flatMap(section),
  ].join("\n");
}

/** Replaces `result.mode`'s section in the JSON beside `mdPath` and renders both sections into it. */
export function writeReport(mdPath: string, result: ChaosResult): void {
  const jsonPath = mdPath.replace(/\.md$/, ".json");
  const stored = readStored(jsonPath);
  stored.runs[result.mode] = result;
  writeFileSync(jsonPath, `${JSON.stringify(stored, null, 2)}\n`);
  writeFileSync(mdPath, render(stored));
}
