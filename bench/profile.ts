// Reads a V8 .cpuprofile (node --cpu-prof) and sums self time by function and by where the code lives.
import { readFileSync } from "node:fs";

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: CpuNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  file: string;
  query: string;
  requests: number;
  /** Milliseconds of samples, idle excluded. */
  busyMs: number;
  totalMs: number;
  topFunctions: { name: string; where: string; selfMs: number; pct: number }[];
  byArea: { area: string; selfMs: number; pct: number }[];
}

/** src/…, a package name, node internals, or V8's own buckets ((garbage collector), (program)). */
export function areaOf(url: string, functionName: string): string {
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm?.[1] !== undefined) return nm[1];
  if (url.startsWith("node:")) return "node internals";
  const own = /\/(src|bench)\/(.+)$/.exec(url);
  if (own) return `${own[1] ?? ""}/ (ours)`;
  return url;
}

/** Only samples taken between fromUs and toUs (the load's window, on the profile's monotonic clock) count. */
export function summariseProfile(file: string, query: string, requests: number, fromUs = 0, toUs = Number.POSITIVE_INFINITY): ProfileSummary {
  const p = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let t = p.startTime;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    t += dt;
    if (t >= fromUs && t <= toUs) self.set(id, (self.get(id) ?? 0) + dt);
  });
  const fn = new Map<string, { name: string; where: string; us: number }>();
  const area = new Map<string, number>();
  let busy = 0;
  let total = 0;
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (node === undefined) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    total += us;
    if (functionName === "(idle)") continue;
    busy += us;
    const where = url === "" ? "" : `${url.replace(/^file:\/\/.*?\/(node_modules|src|bench)\//, "$1/")}:${lineNumber + 1}`;
    const key = `${functionName}@${where}`;
    const e = fn.get(key) ?? { name: functionName || "(anonymous)", where, us: 0 };
    e.us += us;
    fn.set(key, e);
    const a = areaOf(url, functionName);
    area.set(a, (area.get(a) ?? 0) + us);
  }
  if (busy === 0 && fromUs > 0) return summariseProfile(file, query, requests);
  const pct = (us: number) => (100 * us) / Math.max(1, busy);
  return {
    file,
    query,
    requests,
    busyMs: busy / 1000,
    totalMs: total / 1000,
    topFunctions: [...fn.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, 15)
      .map((e) => ({ name: e.name, where: e.where, selfMs: e.us / 1000, pct: pct(e.us) })),
    byArea: [...area]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([a, us]) => ({ area: a, selfMs: us / 1000, pct: pct(us) })),
  };
}
