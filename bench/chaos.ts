// `npm run chaos` (issue #11): the gateway, run as `npm start` runs it with its sandbox embedded, under injected
// upstream faults and a load of reads mixed with hostile queries; reports crashes, 5xx, errors without a code,
// hung requests, reads served under faults, RSS and /health latency into bench/RESILIENCE.md (and .json).
// `npm run chaos -- --soak` (or CHAOS_DURATION_S=600): ten minutes, RSS every 10 s, its growth reported.
// Knobs (environment):
//   CHAOS_DURATION_S (60; soak 600), CHAOS_CONNECTIONS (64), CHAOS_HOSTILE_SHARE (0.07: hostile and malformed),
//   CHAOS_HOSTILE_KINDS (all: aliases,deep-nesting,fan-out,fragment-bomb,revoke-batch,folder-aliases,malformed),
//   CHAOS_CLIENT_TIMEOUT_S (40), CHAOS_HEALTH_INTERVAL_MS (200), CHAOS_RSS_INTERVAL_S (1; soak 10),
//   CHAOS_OUT (bench/RESILIENCE.md). Faults, passed to the gateway's sandbox: SANDBOX_ERROR_RATE (0.05),
//   SANDBOX_DROP_RATE (0.02), SANDBOX_LATENCY_SPIKE_RATE (0.02), SANDBOX_LATENCY_SPIKE_MS (2000), and any other
//   SANDBOX_* or gateway variable set here. STATISTICS_CACHE_TTL_SECONDS (10) and META_CACHE_TTL_SECONDS (30)
//   are short, so that cache refreshes meet the faults within the run.
// Bounded: fixed duration, everything on 127.0.0.1; requests still in flight at the end get the client timeout.
import { availableParallelism } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { SupervisedGateway, watchMemory } from "./chaos-gateway.js";
import { probeHealth, runLoad } from "./chaos-load.js";
import { cacheRows, growthOf, healthOf, summariseKinds, totalsOf, writeReport, type ChaosResult, type ChaosSettings, type Mode } from "./chaos-report.js";
import { HOSTILE_KINDS } from "./chaos-queries.js";
import { runtimeDescription } from "./harness.js";

const env = process.env;
const num = (v: string | undefined, d: number) => (v === undefined || v === "" ? d : Number(v));
const DURATION_S = num(env.CHAOS_DURATION_S, process.argv.includes("--soak") ? 600 : 60);
const MODE: Mode = process.argv.includes("--soak") || DURATION_S >= 600 ? "soak" : "chaos";
const OUT = env.CHAOS_OUT ?? fileURLToPath(new URL("./RESILIENCE.md", import.meta.url));
/** RSS read after the load, once the requests in flight are done and the gateway idled this long. */
const SETTLE_MS = 2_000;
/** How long the final upstream call counts are waited for over IPC. */
const STATS_WAIT_MS = 5_000;

/** CHAOS_HOSTILE_KINDS, checked: a misspelt kind would quietly leave the mix without it. */
function hostileKinds(): string[] {
  const picked = (env.CHAOS_HOSTILE_KINDS ?? "").split(",").map((k) => k.trim()).filter((k) => k !== "");
  const unknown = picked.filter((k) => !HOSTILE_KINDS.includes(k));
  if (unknown.length > 0) throw new Error(`CHAOS_HOSTILE_KINDS: unknown ${unknown.join(", ")}; one of ${HOSTILE_KINDS.join(", ")}`);
  return picked.length > 0 ? picked : [...HOSTILE_KINDS];
}

const settings: Omit<ChaosSettings, "gatewayEnv"> = {
  durationS: DURATION_S,
  connections: num(env.CHAOS_CONNECTIONS, 64),
  hostileShare: num(env.CHAOS_HOSTILE_SHARE, 0.07),
  hostileKinds: hostileKinds(),
  clientTimeoutS: num(env.CHAOS_CLIENT_TIMEOUT_S, 40),
  healthIntervalMs: num(env.CHAOS_HEALTH_INTERVAL_MS, 200),
  rssIntervalS: num(env.CHAOS_RSS_INTERVAL_S, MODE === "soak" ? 10 : 1),
  runtime: runtimeDescription(),
  node: process.version,
  cpus: availableParallelism(),
};

/** The gateway's faults and cache lifetimes: the defaults unless set in this process's environment. */
function gatewayEnv(): Record<string, string> {
  const defaults: Record<string, string> = {
    SANDBOX_ERROR_RATE: "0.05",
    SANDBOX_DROP_RATE: "0.02",
    SANDBOX_LATENCY_SPIKE_RATE: "0.02",
    SANDBOX_LATENCY_SPIKE_MS: "2000",
    STATISTICS_CACHE_TTL_SECONDS: "10",
    META_CACHE_TTL_SECONDS: "30",
    // All load comes from one address: the per-client budgets (tested in test/integration/gateway/rate-limits.test.ts)
    // would answer most of it with 429.
    RATE_LIMIT_PER_CLIENT: "1000000000",
    RATE_LIMIT_WRITES_PER_CLIENT: "1000000000",
  };
  const chosen = Object.entries(defaults).map(([k, v]) => [k, env[k] ?? v] as const);
  // Other SANDBOX_* set here reach the child anyway (it inherits the environment); listed so the report shows them.
  const extra = Object.entries(env).filter((e): e is [string, string] => e[0].startsWith("SANDBOX_") && e[1] !== undefined && !(e[0] in defaults));
  return Object.fromEntries([...chosen, ...extra]);
}

const log = (...args: unknown[]) => { console.log(`[chaos ${new Date().toISOString().slice(11, 19)}]`, ...args); };

async function main(): Promise<void> {
  const started = new Date();
  const childEnv = gatewayEnv();
  log(`${MODE}: ${DURATION_S} s at ${settings.connections} connections, ${(100 * settings.hostileShare).toFixed(0)}% hostile; faults ${JSON.stringify(childEnv)}`);
  const gateway = await SupervisedGateway.start({ tokens: settings.connections, env: childEnv, log });
  try {
    const beforeMb = gateway.sampleRss()?.rssMb ?? null;
    log(`gateway up (pid ${String(gateway.pid())}, RSS ${beforeMb?.toFixed(0) ?? "?"} MB), ${settings.connections} tokens issued; load starts`);
    const memory = watchMemory(gateway, settings.rssIntervalS * 1000);
    const health = probeHealth(gateway, settings.healthIntervalMs, settings.clientTimeoutS * 1000);
    const timeoutMs = settings.clientTimeoutS * 1000;
    gateway.startClock();
    const loadStart = performance.now();
    const tally = await runLoad({ gateway, connections: settings.connections, durationS: DURATION_S, hostileShare: settings.hostileShare, hostileKinds: settings.hostileKinds, timeoutMs });
    const loadS = (performance.now() - loadStart) / 1000;
    const healthSamples = await health.stop();
    const rss = memory.stop();
    log("load done; letting the gateway settle");
    await sleep(SETTLE_MS);
    const afterMb = gateway.sampleRss()?.rssMb ?? null;
    const afterGeneration = gateway.generations() - 1;
    await gateway.sampleCalls(STATS_WAIT_MS);
    const kinds = summariseKinds(tally);
    const upstreamCalls = gateway.upstreamCalls();
    const result: ChaosResult = {
      mode: MODE,
      started: started.toISOString(),
      finished: new Date().toISOString(),
      settings: { ...settings, gatewayEnv: childEnv },
      crashes: gateway.crashes,
      processes: gateway.generations(),
      gaveUp: (await Promise.race([gateway.current(), sleep(0, "pending" as const)])) === null,
      loadS,
      totals: totalsOf(kinds),
      kinds,
      cache: cacheRows(kinds, upstreamCalls),
      upstreamCalls,
      rss: { beforeMb, maxMb: rss.peakMb, afterMb, afterGeneration, samples: rss.samples, growth: growthOf(rss.samples, DURATION_S) },
      health: healthOf(healthSamples),
    };
    writeReport(OUT, result);
    log(`crashes ${result.crashes.length}, 5xx ${result.totals.fiveXx}, uncoded ${result.totals.uncoded}, hung ${result.totals.hung}, ` +
      `requests ${result.totals.requests}, RSS ${beforeMb?.toFixed(0) ?? "?"} → max ${rss.peakMb.toFixed(0)} → ${afterMb?.toFixed(0) ?? "?"} MB; wrote ${OUT}`);
  } finally {
    await gateway.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
