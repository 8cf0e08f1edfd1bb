// Latency spikes (issue #11, `npm run chaos`): a share of API calls held longer than the fixed latency, drawn
// from the sandbox's randomness so a test can say exactly which calls spike. Over HTTP in
// test/integration/sandbox/faults.test.ts.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { decide, delayMs } from "../../../src/sandbox/faults.js";
import { faultSchema } from "../../../src/sandbox/settings.js";

/** Hands out `draws` in order and counts how many were taken. */
function drawsOf(draws: readonly number[]): { random: () => number; taken: () => number } {
  let i = 0;
  return { random: () => draws[i++] ?? 1, taken: () => i };
}

describe("delayMs", () => {
  it("is the fixed latency, with no draw taken, when no spike rate is set", () => {
    const d = drawsOf([0]);
    expect(delayMs(faultSchema.parse({ latencyMs: 20, latencySpikeMs: 900 }), "meta.issuers", d.random)).toBe(20);
    expect(d.taken()).toBe(0);
  });

  it("adds the spike to exactly the calls whose draw is below the rate", () => {
    const faults = faultSchema.parse({ latencyMs: 10, latencySpikeRate: 0.25, latencySpikeMs: 1000 });
    const d = drawsOf([0.1, 0.25, 0.9, 0.0, 0.5]);
    const delays = [0, 1, 2, 3, 4].map(() => delayMs(faults, "files.issued", d.random));
    expect(delays).toEqual([1010, 10, 10, 1010, 10]);
  });

  it("is 0 for an endpoint the faults are not limited to", () => {
    const faults = faultSchema.parse({ latencyMs: 10, latencySpikeRate: 1, endpoints: ["meta.issuers"] });
    expect(delayMs(faults, "files.issued", () => 0)).toBe(0);
    expect(delayMs(faults, "meta.issuers", () => 0)).toBe(5010);
  });

  it("leaves decide's draws alone: with no spike rate, one error draw per call as before", () => {
    const faults = faultSchema.parse({ errorRate: 0.5 });
    const d = drawsOf([0.1, 0.7]);
    delayMs(faults, "meta.statistics", d.random);
    expect(decide(faults, "meta.statistics", d.random).kind).toBe("reply");
    expect(d.taken()).toBe(1);
  });
});

describe("spike settings", () => {
  it("default to off, with a 5 s spike once a rate is set", () => {
    expect(faultSchema.parse({})).toMatchObject({ latencySpikeRate: 0, latencySpikeMs: 5000 });
  });

  it("refuse a rate outside 0 to 1 and a spike over a minute", () => {
    expect(faultSchema.safeParse({ latencySpikeRate: 1.5 }).success).toBe(false);
    expect(faultSchema.safeParse({ latencySpikeMs: 60_001 }).success).toBe(false);
  });

  it("come from SANDBOX_LATENCY_SPIKE_RATE and SANDBOX_LATENCY_SPIKE_MS", () => {
    const { sandbox } = loadConfig({ SANDBOX_LATENCY_SPIKE_RATE: "0.02", SANDBOX_LATENCY_SPIKE_MS: "3000" });
    expect(sandbox.faults).toMatchObject({ latencySpikeRate: 0.02, latencySpikeMs: 3000 });
    expect(faultSchema.parse(sandbox.faults)).toMatchObject({ latencySpikeRate: 0.02, latencySpikeMs: 3000 });
  });

  it("report a bad SANDBOX_LATENCY_SPIKE_RATE by its name", () => {
    expect(() => loadConfig({ SANDBOX_LATENCY_SPIKE_RATE: "2" })).toThrow(/SANDBOX_LATENCY_SPIKE_RATE/);
  });
});
