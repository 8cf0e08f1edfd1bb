// The chaos load: `connections` loops, each with its own token, sending one request at a time over plain HTTP
// (undici) with a client timeout, and a tally of what came back per kind of request. Also the /health prober.
import { setTimeout as sleep } from "node:timers/promises";
import { Agent, request } from "undici";
import { nextRequest, type ChaosRequest, type Family } from "./chaos-queries.js";
import type { SupervisedGateway } from "./chaos-gateway.js";

/** What one request ended as. Everything but `hung` and `connection` is an HTTP answer. */
export type Outcome = "data" | "partial" | "unavailable" | "refused" | "non-json" | "hung" | "connection";

export interface Answer {
  /** HTTP status, "hung" (no answer within the client timeout) or the socket error's code. */
  status: string;
  outcome: Outcome;
  ms: number;
  codes: string[];
  /** Messages of GraphQL errors that carry no extensions.code. */
  uncoded: string[];
}

export interface KindTally {
  family: Family;
  requests: number;
  statuses: Record<string, number>;
  outcomes: Partial<Record<Outcome, number>>;
  codes: Record<string, number>;
  uncoded: number;
  uncodedSamples: string[];
  /** Answered requests only: a hung one has no latency, it is counted apart. */
  latenciesMs: number[];
}

const bump = <K extends string>(m: Partial<Record<K, number>>, k: K, by = 1) => { m[k] = (m[k] ?? 0) + by; };
const UNCODED_SAMPLES = 3;

export class Tally {
  readonly kinds = new Map<string, KindTally>();

  record(req: ChaosRequest, a: Answer): void {
    let t = this.kinds.get(req.kind);
    if (t === undefined) {
      t = { family: req.family, requests: 0, statuses: {}, outcomes: {}, codes: {}, uncoded: 0, uncodedSamples: [], latenciesMs: [] };
      this.kinds.set(req.kind, t);
    }
    t.requests++;
    bump(t.statuses, a.status);
    bump(t.outcomes, a.outcome);
    for (const c of a.codes) bump(t.codes, c);
    t.uncoded += a.uncoded.length;
    for (const m of a.uncoded) if (t.uncodedSamples.length < UNCODED_SAMPLES && !t.uncodedSamples.includes(m)) t.uncodedSamples.push(m);
    if (a.outcome !== "hung" && a.outcome !== "connection") t.latenciesMs.push(a.ms);
  }
}

interface GraphQLBody {
  data?: unknown;
  errors?: unknown;
}

function errorsOf(body: GraphQLBody): { codes: string[]; uncoded: string[] } {
  const codes: string[] = [];
  const uncoded: string[] = [];
  for (const e of Array.isArray(body.errors) ? (body.errors as unknown[]) : []) {
    const err = (typeof e === "object" && e !== null ? e : {}) as { message?: unknown; extensions?: { code?: unknown } };
    if (typeof err.extensions?.code === "string") codes.push(err.extensions.code);
    else uncoded.push(typeof err.message === "string" ? err.message.slice(0, 160) : JSON.stringify(e).slice(0, 160));
  }
  return { codes, uncoded };
}

/** Whether any top-level field came back with data: a read was served, a hostile query was executed. */
function hasData(body: GraphQLBody): boolean {
  return typeof body.data === "object" && body.data !== null && Object.values(body.data).some((v) => v !== null);
}

export function classify(status: number, text: string, ms: number): Answer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { status: String(status), outcome: "non-json", ms, codes: [], uncoded: [] };
  }
  const body: GraphQLBody = typeof parsed === "object" && parsed !== null ? parsed : {};
  const { codes, uncoded } = errorsOf(body);
  const failed = codes.length + uncoded.length > 0;
  const outcome: Outcome = hasData(body)
    ? failed ? "partial" : "data"
    : codes.includes("UPSTREAM_UNAVAILABLE") ? "unavailable" : "refused";
  return { status: String(status), outcome, ms, codes, uncoded };
}

function errorCode(error: unknown): string {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === "string" ? code : error instanceof Error ? error.name : "error";
}

export async function send(agent: Agent, url: string, req: ChaosRequest, token: string | undefined, timeoutMs: number): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": req.contentType, accept: "application/json" };
  if (req.user && token !== undefined) headers.authorization = `Bearer ${token}`;
  const signal = AbortSignal.timeout(timeoutMs);
  const t0 = performance.now();
  try {
    // undici's own timeouts sit past the client timeout: the signal alone decides what "hung" means.
    const res = await request(`${url}/graphql`, {
      method: "POST", headers, body: req.body, dispatcher: agent, signal, headersTimeout: timeoutMs + 5_000, bodyTimeout: timeoutMs + 5_000,
    });
    const text = await res.body.text();
    return classify(res.statusCode, text, performance.now() - t0);
  } catch (error) {
    const ms = performance.now() - t0;
    if (signal.aborted) return { status: "hung", outcome: "hung", ms, codes: [], uncoded: [] };
    return { status: errorCode(error), outcome: "connection", ms, codes: [], uncoded: [] };
  }
}

export interface LoadOptions {
  gateway: SupervisedGateway;
  connections: number;
  durationS: number;
  hostileShare: number;
  hostileKinds: readonly string[];
  timeoutMs: number;
}

/** A refused connection right after a crash, before its exit is seen: wait a little instead of spinning. */
const CONNECTION_ERROR_PAUSE_MS = 100;

async function connectionLoop(i: number, o: LoadOptions, agent: Agent, tally: Tally, deadline: number): Promise<void> {
  while (performance.now() < deadline) {
    const target = await o.gateway.current();
    if (target === null) return;
    const req = nextRequest(o.hostileShare, o.hostileKinds, Math.random);
    const answer = await send(agent, target.url, req, target.tokens[i % target.tokens.length], o.timeoutMs);
    tally.record(req, answer);
    if (answer.outcome === "connection") await sleep(CONNECTION_ERROR_PAUSE_MS);
  }
}

/** Runs the load for `durationS`, then lets the requests in flight finish or time out. */
export async function runLoad(o: LoadOptions): Promise<Tally> {
  const tally = new Tally();
  const agent = new Agent({ connections: o.connections, pipelining: 1 });
  const deadline = performance.now() + o.durationS * 1000;
  try {
    await Promise.all(Array.from({ length: o.connections }, (_, i) => connectionLoop(i, o, agent, tally, deadline)));
  } finally {
    await agent.destroy();
  }
  return tally;
}

export interface HealthSample {
  atS: number;
  ms: number;
  /** HTTP status, "hung" or a socket error's code. */
  status: string;
}

/**
 * Probes GET /health every `intervalMs` on its own connections, without waiting for the previous probe: a stuck
 * event loop then shows as many slow probes, in proportion to how long it was stuck.
 */
export function probeHealth(gateway: SupervisedGateway, intervalMs: number, timeoutMs: number): { stop(): Promise<HealthSample[]> } {
  const samples: HealthSample[] = [];
  const agent = new Agent({ pipelining: 1 });
  const inFlight = new Set<Promise<void>>();
  const t0 = performance.now();
  const probe = async () => {
    const target = await gateway.current();
    if (target === null) return;
    const signal = AbortSignal.timeout(timeoutMs);
    const start = performance.now();
    let status: string;
    try {
      const res = await request(`${target.url}/health`, { dispatcher: agent, signal });
      await res.body.dump();
      status = String(res.statusCode);
    } catch (error) {
      status = signal.aborted ? "hung" : errorCode(error);
    }
    samples.push({ atS: (start - t0) / 1000, ms: performance.now() - start, status });
  };
  const timer = setInterval(() => {
    const p = probe();
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
      await agent.destroy();
      return samples;
    },
  };
}
