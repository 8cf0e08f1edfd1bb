// The gateway under chaos: a child process run as `npm start` runs it (bench/harness.ts's startChild: compiled
// dist/, the start script's node flags), with the DigiLocker sandbox embedded (no DIGILOCKER_CLIENT_ID) and its
// faults set through SANDBOX_* variables. A crash is recorded and the gateway started again, with fresh tokens
// (the embedded sandbox forgets its grants when its process dies), so the run goes on and the crash is counted.
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { startChild, type Child } from "./harness.js";
import { issueTokens, type TokenOptions } from "./chaos-tokens.js";

export interface Crash {
  /** Seconds since the load started (`startClock`). */
  atS: number;
  exitCode: number | null;
  signal: string | null;
  pid: number | undefined;
  /** The last RSS read from /proc before it died, MB. */
  lastRssMb: number | null;
}

export interface Target {
  url: string;
  tokens: readonly string[];
  /** Which gateway process (0 for the first, +1 per restart). */
  generation: number;
}

export interface RssReading {
  rssMb: number;
  /** VmHWM: the most the process ever held, so a peak between samples is not missed. */
  peakMb: number;
}

/** The gateway process's resident memory from /proc (Linux): readable even while its event loop is stuck. */
export function readRss(pid: number | undefined): RssReading | null {
  if (pid === undefined) return null;
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return null;
  }
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  const rss = kb("VmRSS");
  return Number.isNaN(rss) ? null : { rssMb: rss / 1024, peakMb: kb("VmHWM") / 1024 };
}

/** A port free now, for the embedded sandbox: fixed across restarts, so the token flow knows where it is. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

export interface SupervisorOptions {
  /** One token per connection. */
  tokens: number;
  /** SANDBOX_* faults and other gateway settings, on top of the parent's environment. */
  env: Record<string, string>;
  log: (...args: unknown[]) => void;
}

const LAUNCH_ATTEMPTS = 3;

/** Starts, watches and restarts the gateway; `current()` waits while it is restarting. */
export class SupervisedGateway {
  readonly crashes: Crash[] = [];
  private child: Child | null = null;
  private target: Promise<Target | null>;
  private generation = -1;
  private stopping = false;
  private lastRssMb: number | null = null;
  /** The latest upstream call counts of each generation (a dead process's last snapshot stands for it). */
  private readonly calls = new Map<number, Record<string, number>>();
  private pendingStats: Promise<void> | null = null;
  private clockOrigin = performance.now();

  private constructor(private readonly options: SupervisorOptions, private readonly sandboxPort: number) {
    this.target = this.launch();
  }

  static async start(options: SupervisorOptions): Promise<SupervisedGateway> {
    const g = new SupervisedGateway(options, await freePort());
    if ((await g.current()) === null) throw new Error("the gateway did not start");
    return g;
  }

  /** The running gateway, after any restart in progress; null once it could not be started again. */
  current(): Promise<Target | null> {
    return this.target;
  }

  pid(): number | undefined {
    return this.child?.process.pid;
  }

  /** Reads RSS (and remembers it, so a crash can say how much the process held). */
  sampleRss(): RssReading | null {
    const r = readRss(this.pid());
    if (r !== null) this.lastRssMb = r.rssMb;
    return r;
  }

  /**
   * Refreshes this generation's upstream call counts over IPC, waiting up to `waitMs` for them. A process too busy
   * to answer keeps its one request pending (no second is sent), so a stall does not pile up IPC listeners.
   */
  async sampleCalls(waitMs = 0): Promise<void> {
    const child = this.child;
    if (child !== null && child.process.connected && this.pendingStats === null) {
      const generation = this.generation;
      const pending: Promise<void> = child
        .stats()
        .then((s) => { this.calls.set(generation, s.calls); })
        .finally(() => { if (this.pendingStats === pending) this.pendingStats = null; });
      this.pendingStats = pending;
    }
    if (this.pendingStats !== null && waitMs > 0) await Promise.race([this.pendingStats, sleep(waitMs, undefined, { ref: false })]);
  }

  /** Upstream calls of every generation, summed (a crashed one counts up to its last snapshot); null if none answered. */
  upstreamCalls(): Record<string, number> | null {
    if (this.calls.size === 0) return null;
    const total: Record<string, number> = {};
    for (const snapshot of this.calls.values()) for (const [k, v] of Object.entries(snapshot)) total[k] = (total[k] ?? 0) + v;
    return total;
  }

  /** Crash times are counted from now on: call it as the load starts. */
  startClock(): void {
    this.clockOrigin = performance.now();
  }

  generations(): number {
    return this.generation + 1;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    // A restart under way finishes first, so the process it starts is stopped too, not left behind.
    await this.target;
    await this.stopChild();
  }

  /** harness.ts's stop() waits for an exit that a process already killed by a signal will not emit again. */
  private async stopChild(): Promise<void> {
    const p = this.child?.process;
    if (p === undefined || p.exitCode !== null || p.signalCode !== null) return;
    await this.child?.stop();
  }

  private elapsedS(): number {
    return (performance.now() - this.clockOrigin) / 1000;
  }

  private async launch(): Promise<Target | null> {
    for (let attempt = 1; attempt <= LAUNCH_ATTEMPTS && !this.stopping; attempt++) {
      try {
        return await this.launchOnce();
      } catch (error) {
        this.options.log(`gateway start ${attempt}/${LAUNCH_ATTEMPTS} failed:`, error instanceof Error ? error.message : error);
        await this.stopChild();
      }
    }
    return null;
  }

  private async launchOnce(): Promise<Target> {
    const host = "127.0.0.1";
    // No credentials: the gateway embeds the sandbox, as `npm start` does on a machine without any.
    const noCredentials = { baseUrl: "", clientId: "", clientSecret: "" };
    const child = await startChild("gateway", noCredentials, [], { ...this.options.env, SANDBOX_HOST: host, SANDBOX_PORT: String(this.sandboxPort) });
    // A stats request sent as the process dies fails on the IPC channel; the exit listener reports the death.
    child.process.on("error", (error) => { this.options.log("gateway IPC:", error.message); });
    this.child = child;
    // A stats request the previous process never answered must not block this one's.
    this.pendingStats = null;
    this.generation++;
    this.lastRssMb = null;
    const tokenOptions: TokenOptions = {
      origin: `http://${host}:${this.sandboxPort}`,
      clientId: this.options.env.SANDBOX_CLIENT_ID ?? "SANDBOX1",
      clientSecret: this.options.env.SANDBOX_CLIENT_SECRET ?? "sandbox-client-secret",
    };
    const tokens = await issueTokens(tokenOptions, this.options.tokens);
    child.process.once("exit", (code, signal) => { this.onExit(child, code, signal); });
    // A process that died while its tokens were issued is not seen by the listener above.
    if (child.process.exitCode !== null || child.process.signalCode !== null) throw new Error("the gateway exited while starting");
    return { url: child.url, tokens, generation: this.generation };
  }

  private onExit(child: Child, exitCode: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping || child !== this.child) return;
    const crash: Crash = { atS: this.elapsedS(), exitCode, signal, pid: child.process.pid, lastRssMb: this.lastRssMb };
    this.crashes.push(crash);
    this.options.log(`gateway CRASHED at ${crash.atS.toFixed(1)} s (exit ${String(exitCode)}, signal ${String(signal)}); restarting`);
    this.target = this.launch();
  }
}

export interface RssSample {
  atS: number;
  rssMb: number;
  generation: number;
}

/** Samples the gateway's RSS (and its upstream call counts) every `intervalMs` until stopped. */
export function watchMemory(gateway: SupervisedGateway, intervalMs: number): { stop(): { samples: RssSample[]; peakMb: number } } {
  const samples: RssSample[] = [];
  let peakMb = 0;
  const t0 = performance.now();
  const tick = () => {
    const r = gateway.sampleRss();
    if (r !== null) {
      samples.push({ atS: (performance.now() - t0) / 1000, rssMb: r.rssMb, generation: gateway.generations() - 1 });
      peakMb = Math.max(peakMb, r.peakMb, r.rssMb);
    }
    void gateway.sampleCalls();
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return { samples, peakMb };
    },
  };
}
