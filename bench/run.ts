// `npm run bench`: the sandbox in this process, the gateway and the raw service each in a child process, both
// driven by autocannon from here for 1, 16 and 64 connections, with no injected latency and with 20 ms. Writes
// bench/RESULTS.md. Bounded: every run has a fixed duration, everything listens on 127.0.0.1 only.
//   BENCH_DURATION_S (3), BENCH_WARMUP_S (1), BENCH_RUNS (3), BENCH_QUERIES (issued,catalog,statistics,folder),
//   BENCH_LATENCIES (0,20), BENCH_CONNECTIONS (1,16,64), BENCH_OUT (bench/RESULTS.md), BENCH_PROFILE (1),
//   BENCH_PROFILE_QUERIES (statistics,issued), BENCH_VARIANTS (jit,adapter,graphql-js,graphql-js-no-parse-cache; empty:
//   skip), BENCH_CLIENT_COST (1; 0: skip the upstream call cost table), BENCH_DOWNLOADS (1; 0: skip the downloads case),
//   BENCH_DOWNLOAD_BYTES (10485760), BENCH_DOWNLOAD_CONNECTIONS (1,8,50: the issue's 50 concurrent downloads).
//   BENCH_ONLY=downloads runs the downloads case alone and merges it into the existing BENCH_OUT results (.json and
//   .md), keeping every other measurement as it was.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startSandbox, type Sandbox } from "../src/sandbox/server.js";
import { measureDownloads, type DownloadResults } from "./downloads.js";
import { callDelta, clientCost, load, once, runtimeDescription, spread, startChild, type Child, type ChildEnv, type LoadResult, type Spread } from "./harness.js";
import { summariseProfile, type ProfileSummary } from "./profile.js";
import { BENCH_SCOPES, BENCH_USER, QUERIES, gatewayRequest, rawRequest, type BenchQuery } from "./queries.js";
import { writeResults, type CaseResult, type Results, type UpstreamRow, type JitRow } from "./report.js";

const env = process.env;
const list = (v: string | undefined, d: string) => (v ?? d).split(",").map((s) => s.trim()).filter((s) => s !== "");
const DURATION = Number(env.BENCH_DURATION_S ?? 3);
const WARMUP = Number(env.BENCH_WARMUP_S ?? 1);
const RUNS = Number(env.BENCH_RUNS ?? 3);
const CONNECTIONS = list(env.BENCH_CONNECTIONS, "1,16,64").map(Number);
const LATENCIES = list(env.BENCH_LATENCIES, "0,20").map(Number);
const ONLY = list(env.BENCH_QUERIES, QUERIES.map((q) => q.id).join(","));
const OUT = env.BENCH_OUT ?? fileURLToPath(new URL("./RESULTS.md", import.meta.url));
const PROFILE = env.BENCH_PROFILE !== "0";
const TOKENS = env.BENCH_TOKENS === "shared" ? "shared" : "per-connection";
const queries = QUERIES.filter((q) => ONLY.includes(q.id));
const DOWNLOADS = {
  bytes: Number(env.BENCH_DOWNLOAD_BYTES ?? 10 * 1024 * 1024),
  connections: list(env.BENCH_DOWNLOAD_CONNECTIONS, "1,8,50").map(Number),
};

const log = (...args: unknown[]) => { console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...args); };

interface Measured {
  load: LoadResult;
  cpuUsPerReq: number;
  upstreamPerReq: number;
}

async function measure(child: Child, spec: ReturnType<typeof gatewayRequest>, connections: number): Promise<Measured> {
  const before = await child.stats();
  const result = await load(spec, connections, DURATION);
  const after = await child.stats();
  const cpu = after.cpu.user - before.cpu.user + (after.cpu.system - before.cpu.system);
  const reqs = Math.max(1, result.requests);
  return { load: result, cpuUsPerReq: cpu / reqs, upstreamPerReq: callDelta(before.calls, after.calls).total / reqs };
}

const sp = (xs: number[]): Spread => spread(xs);
const idle: Results["idle"] = [];

async function upstreamCounts(
  childEnv: ChildEnv,
  tokens: readonly string[],
  rawStartCalls: Record<string, number>,
  sandbox: Sandbox,
): Promise<UpstreamRow[]> {
  const rows: UpstreamRow[] = [];
  const nIssuers = rawStartCalls["/oauth2/1/pull/doctype"] ?? 0;
  for (const q of queries) {
    // One token: "16 identical requests" means the same user's same request, which must cost one call.
    const spec = (url: string) => gatewayRequest(url, q, tokens.slice(0, 1));
    // Cold: a fresh gateway's first request, then the same request again (warm).
    const g = await startChild("gateway", childEnv);
    const s0 = await g.stats();
    await once(spec(g.url));
    const s1 = await g.stats();
    await once(spec(g.url));
    const s2 = await g.stats();
    // Warm, 16 identical requests at once.
    await Promise.all(Array.from({ length: 16 }, () => once(spec(g.url))));
    const s3 = await g.stats();
    await g.stop();
    // Cold, 16 identical requests at once on another fresh gateway.
    const g2 = await startChild("gateway", childEnv);
    const c0 = await g2.stats();
    sandbox.resetStats();
    await Promise.all(Array.from({ length: 16 }, () => once(spec(g2.url))));
    const c1 = await g2.stats();
    const maxInFlight = Object.fromEntries(Object.entries(sandbox.stats().maxInFlight).filter(([, n]) => n > 0));
    await g2.stop();
    const expected: Record<string, number> =
      q.id === "issued"
        ? { "files.issued": 1, "meta.issuers": 1 }
        : q.id === "catalog"
          ? { "meta.issuers": 1, "meta.docTypes": nIssuers }
          : q.id === "statistics"
            ? { "meta.statistics": 1 }
            : { "files.uploaded": 1 };
    rows.push({
      query: q.id,
      cold: callDelta(s0.calls, s1.calls),
      warm: callDelta(s1.calls, s2.calls),
      warmConcurrent16: callDelta(s2.calls, s3.calls),
      coldConcurrent16: callDelta(c0.calls, c1.calls),
      coldConcurrent16MaxInFlight: maxInFlight,
      expectedCold: expected,
    });
    log("upstream", q.id, JSON.stringify(rows.at(-1)));
  }
  return rows;
}

async function pass(latencyMs: number, childEnv: ChildEnv, tokens: readonly string[], setLatency: (ms: number) => void): Promise<CaseResult[]> {
  setLatency(latencyMs);
  const raw = await startChild("raw", childEnv);
  const gateway = await startChild("gateway", childEnv);
  idle.push({ latencyMs, gatewayRss: (await gateway.stats()).memory.rss, rawRss: (await raw.stats()).memory.rss });
  const out: CaseResult[] = [];
  try {
    for (const q of queries) {
      const specs = { raw: rawRequest(raw.url, q, tokens), gateway: gatewayRequest(gateway.url, q, tokens) };
      // Caches warm: a first request each.
      await once(specs.raw);
      await once(specs.gateway);
      for (const connections of CONNECTIONS) {
        await load(specs.raw, connections, WARMUP);
        await load(specs.gateway, connections, WARMUP);
        gateway.resetPeaks();
        raw.resetPeaks();
        const runs: Record<"raw" | "gateway", Measured[]> = { raw: [], gateway: [] };
        for (let i = 0; i < RUNS; i++) {
          // Interleaved, so drift on the shared cores hits both alike.
          runs.raw.push(await measure(raw, specs.raw, connections));
          runs.gateway.push(await measure(gateway, specs.gateway, connections));
        }
        const gPeaks = (await gateway.stats()).peaks;
        const rPeaks = (await raw.stats()).peaks;
        const summary = (ms: Measured[]) => ({
          rps: sp(ms.map((m) => m.load.rps)),
          p50: sp(ms.map((m) => m.load.p50)),
          p99: sp(ms.map((m) => m.load.p99)),
          cpuUsPerReq: sp(ms.map((m) => m.cpuUsPerReq)),
          upstreamPerReq: sp(ms.map((m) => m.upstreamPerReq)),
          errors: ms.reduce((n, m) => n + m.load.errors + m.load.non2xx, 0),
        });
        const c: CaseResult = {
          latencyMs,
          query: q.id,
          connections,
          raw: summary(runs.raw),
          gateway: summary(runs.gateway),
          // Ratios per run pair, then the median: judged within the same run.
          addedP50: sp(runs.gateway.map((g, i) => g.load.p50 - (runs.raw[i]?.load.p50 ?? NaN))),
          throughputPct: sp(runs.gateway.map((g, i) => (100 * g.load.rps) / (runs.raw[i]?.load.rps ?? NaN))),
          gatewayPeaks: gPeaks,
          rawPeaks: rPeaks,
        };
        out.push(c);
        log(
          `lat ${latencyMs} ${q.id} c${connections}: raw ${c.raw.rps.median.toFixed(0)} rps p50 ${c.raw.p50.median.toFixed(2)}; ` +
            `gw ${c.gateway.rps.median.toFixed(0)} rps p50 ${c.gateway.p50.median.toFixed(2)} (${c.throughputPct.median.toFixed(0)}%, +${c.addedP50.median.toFixed(2)} ms)` +
            (c.raw.errors + c.gateway.errors > 0 ? ` errors raw ${c.raw.errors} gw ${c.gateway.errors}` : ""),
        );
      }
    }
  } finally {
    await gateway.stop();
    await raw.stop();
  }
  return out;
}

/** One warm 16-connection run of a query (BENCH_PROFILE_QUERIES: statistics,issued) on a gateway started with --cpu-prof. */
async function profile(childEnv: ChildEnv, tokens: readonly string[], queryId: string): Promise<ProfileSummary> {
  const dir = fileURLToPath(new URL(`./profiles/${queryId}/`, import.meta.url));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const q = QUERIES.find((x) => x.id === queryId) as BenchQuery;
  const g = await startChild("gateway", childEnv, ["--cpu-prof", "--cpu-prof-dir", dir]);
  const spec = gatewayRequest(g.url, q, tokens);
  await once(spec);
  await load(spec, 16, WARMUP);
  const from = (await g.stats()).monotonicUs;
  const r = await load(spec, 16, DURATION);
  const to = (await g.stats()).monotonicUs;
  await g.stop();
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (file === undefined) throw new Error("no .cpuprofile written");
  return summariseProfile(dir + file, q.id, r.requests, from, to);
}

/** The same warm runs against gateway variants (BENCH_GATEWAY_VARIANT), to keep only what helps. */
async function variants(childEnv: ChildEnv, tokens: readonly string[]): Promise<JitRow[]> {
  const rows: JitRow[] = [];
  const names = list(env.BENCH_VARIANTS, "jit,adapter,graphql-js,graphql-js-no-parse-cache");
  const picked = QUERIES.filter((q) => q.id === "statistics" || q.id === "issued");
  const children: Record<string, Child> = {};
  try {
    for (const name of names) children[name] = await startChild("gateway", childEnv, [], { BENCH_GATEWAY_VARIANT: name });
    for (const q of picked) {
      const results: Record<string, Measured[]> = {};
      for (const name of names) {
        const child = children[name] as Child;
        await once(gatewayRequest(child.url, q, tokens));
        await load(gatewayRequest(child.url, q, tokens), 16, WARMUP);
      }
      for (let i = 0; i < RUNS; i++) {
        for (const name of names) {
          const child = children[name] as Child;
          (results[name] ??= []).push(await measure(child, gatewayRequest(child.url, q, tokens), 16));
        }
      }
      for (const name of names) {
        const ms = results[name] ?? [];
        rows.push({
          variant: name,
          query: q.id,
          rps: sp(ms.map((m) => m.load.rps)),
          p50: sp(ms.map((m) => m.load.p50)),
          cpuUsPerReq: sp(ms.map((m) => m.cpuUsPerReq)),
        });
        log("variant", name, q.id, JSON.stringify(rows.at(-1)?.rps));
      }
    }
  } finally {
    for (const c of Object.values(children)) await c.stop();
  }
  return rows;
}

function downloads(): Promise<DownloadResults> {
  return measureDownloads({ ...DOWNLOADS, durationS: DURATION, runs: RUNS, log });
}

/** BENCH_ONLY=downloads: the downloads case alone, merged into the results already written. */
async function downloadsOnly(): Promise<void> {
  const json = OUT.replace(/\.md$/, ".json");
  const previous = JSON.parse(readFileSync(json, "utf8")) as Results & { started: string; finished: string };
  const results: Results = { ...previous, started: new Date(previous.started), finished: new Date(previous.finished), downloads: await downloads() };
  writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(OUT, writeResults(results));
  log(`merged the downloads case into ${OUT}`);
}

async function main(): Promise<void> {
  if (env.BENCH_ONLY === "downloads") {
    await downloadsOnly();
    return;
  }
  const started = new Date();
  const sandbox = await startSandbox({ port: 0, faults: { latencyMs: 0 } });
  const childEnv: ChildEnv = { baseUrl: sandbox.baseUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret };
  // One token per load connection (BENCH_TOKENS=shared: one for all), each a separate sign-in of the bench user.
  const tokenCount = TOKENS === "shared" ? 1 : Math.max(...CONNECTIONS, 16);
  const tokens = Array.from({ length: tokenCount }, () => sandbox.issueToken({ userId: BENCH_USER, scopes: BENCH_SCOPES }).accessToken);
  const setLatency = (ms: number) => { sandbox.setFaults({ ...sandbox.faults(), latencyMs: ms }); };
  try {
    log(`sandbox at ${sandbox.baseUrl}; ${RUNS} runs of ${DURATION} s after ${WARMUP} s warm-up per case`);
    // The raw service's start-up calls tell how many issuers the catalogue has.
    const probe = await startChild("raw", childEnv);
    const rawStartCalls = (await probe.stats()).calls;
    await probe.stop();
    // With 20 ms upstream latency, so that "concurrent" requests really overlap in flight.
    setLatency(20);
    const upstream = await upstreamCounts(childEnv, tokens, rawStartCalls, sandbox);
    const cases: CaseResult[] = [];
    for (const latencyMs of LATENCIES) cases.push(...(await pass(latencyMs, childEnv, tokens, setLatency)));
    setLatency(0);
    const variantRows = env.BENCH_VARIANTS === "" ? [] : await variants(childEnv, tokens);
    // 8 callers (the gateway's 8 upstream connections), each with a token of its own, so no call is shared.
    const callerTokens = Array.from({ length: 8 }, () => sandbox.issueToken({ userId: BENCH_USER, scopes: BENCH_SCOPES }).accessToken);
    const clientCostRows = env.BENCH_CLIENT_COST === "0" ? [] : await clientCost(childEnv, callerTokens, 20_000, 5);
    if (clientCostRows.length > 0) log("client cost", JSON.stringify(clientCostRows.map((r) => [r.layer, Math.round(r.usPerCall.median)])));
    const prof: ProfileSummary[] = [];
    if (PROFILE) for (const id of list(env.BENCH_PROFILE_QUERIES, "statistics,issued")) prof.push(await profile(childEnv, tokens, id));
    const downloadResults = env.BENCH_DOWNLOADS === "0" ? undefined : await downloads();
    const results: Results = {
      started,
      finished: new Date(),
      settings: { durationS: DURATION, warmupS: WARMUP, runs: RUNS, connections: CONNECTIONS, latencies: LATENCIES, runtime: runtimeDescription(), tokens: TOKENS },
      queries,
      rawStartCalls,
      upstream,
      idle,
      cases,
      variants: variantRows,
      clientCost: clientCostRows,
      profile: prof,
      ...(downloadResults === undefined ? {} : { downloads: downloadResults }),
    };
    // The measurements as JSON too, so the report can be re-rendered (tsx bench/render.ts) without a rerun.
    writeFileSync(OUT.replace(/\.md$/, ".json"), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(OUT, writeResults(results));
    log(`wrote ${OUT}`);
  } finally {
    await sandbox.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
