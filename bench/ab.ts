// A/B: gateway variants (env and node flags) under the same warm 16-connection load, interleaved, with raw.
//   AB='[{"name":"a","env":{},"flags":[]},{"name":"b","env":{"FAST":"0"}}]' AB_QUERIES=issued AB_ROUNDS=5 tsx bench/ab.ts
// A variant whose env sets AB_CHILD_PATH runs another build's child: a base commit's, checked out with
// `git worktree add /tmp/base <commit>` and built there (npm ci && npm run build), e.g.
//   {"name":"base","env":{"AB_CHILD_PATH":"/tmp/base/dist/bench/child.js"}}. Results go in bench/AB-RESULTS.md.
// A variant with "env":{"BENCH_PARTNER":"1"} registers a partner and sends its key on every request (production as
// partners meet it); without it the gateway runs in development mode (no partner registered).
import { startSandbox } from "../src/sandbox/server.js";
import { load, once, spread, startChild, type Child } from "./harness.js";
import { BENCH_SCOPES, BENCH_USER, QUERIES, gatewayRequest, rawRequest } from "./queries.js";

interface Variant { name: string; env?: Record<string, string>; flags?: string[] }
const variants = JSON.parse(process.env.AB ?? "[]") as Variant[];
const ROUNDS = Number(process.env.AB_ROUNDS ?? 5);
const DURATION = Number(process.env.AB_DURATION_S ?? 2);
const CONNS = Number(process.env.AB_CONNS ?? 16);
const qs = (process.env.AB_QUERIES ?? "issued").split(",");


const sandbox = await startSandbox({ port: 0, faults: { latencyMs: Number(process.env.AB_LATENCY_MS ?? 0) } });
const childEnv = { baseUrl: sandbox.baseUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret };
const tokens = Array.from({ length: CONNS }, () => sandbox.issueToken({ userId: BENCH_USER, scopes: BENCH_SCOPES }).accessToken);
const children: [string, Child][] = [["raw", await startChild("raw", childEnv)]];
for (const v of variants) children.push([v.name, await startChild("gateway", childEnv, v.flags ?? [], v.env ?? {})]);
try {
  for (const id of qs) {
    const q = QUERIES.find((x) => x.id === id);
    if (q === undefined) throw new Error(id);
    const spec = (name: string, c: Child) => (name === "raw" ? rawRequest(c.url, q, tokens) : gatewayRequest(c.url, q, tokens, c.headers));
    for (const [name, c] of children) { await once(spec(name, c)); await load(spec(name, c), CONNS, 1); }
    const res: Record<string, { rps: number[]; cpu: number[]; p50: number[] }> = {};
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, c] of children) {
        const b = await c.stats();
        const l = await load(spec(name, c), CONNS, DURATION);
        const a = await c.stats();
        const cpu = a.cpu.user - b.cpu.user + a.cpu.system - b.cpu.system;
        const e = (res[name] ??= { rps: [], cpu: [], p50: [] });
        e.rps.push(l.rps); e.cpu.push(cpu / Math.max(1, l.requests)); e.p50.push(l.p50);
      }
    }
    const rawRps = spread(res.raw?.rps ?? []).median;
    for (const [name] of children) {
      const e = res[name];
      if (e === undefined) continue;
      const [rps, cpu, p50] = [spread(e.rps), spread(e.cpu), spread(e.p50)];
      console.log(
        `${id.padEnd(10)} ${name.padEnd(14)} rps ${rps.median.toFixed(0).padStart(6)} (${rps.min.toFixed(0)}–${rps.max.toFixed(0)})  ` +
          `cpu µs/req ${cpu.median.toFixed(0).padStart(5)} (${cpu.min.toFixed(0)}–${cpu.max.toFixed(0)})  p50 ${p50.median.toFixed(2)}  ` +
          `${((100 * rps.median) / rawRps).toFixed(0)}% of raw`,
      );
    }
  }
} finally {
  for (const [, c] of children) await c.stop();
  await sandbox.close();
}
process.exit(0);
