// Fault injection for the gateway's reliability tests and benchmarks: latency (fixed and spikes), errors, dropped
// connections and wrong file HMACs, applied to API routes only (never the sign-in pages).
import type { Reply } from "./http.js";
import { specReply } from "./errors.js";
import type { EndpointId, Faults } from "./settings.js";

export type FaultDecision = { kind: "drop" } | { kind: "reply"; reply: Reply } | { kind: "pass" };

export function appliesTo(faults: Faults, endpoint: EndpointId): boolean {
  return faults.endpoints.length === 0 || faults.endpoints.includes(endpoint);
}

/**
 * How long to hold one API call before it is answered: the fixed latency, plus a spike for a share of calls.
 * The spike is drawn only when a spike rate is set, so the draws `decide` makes stay the same without it.
 */
export function delayMs(faults: Faults, endpoint: EndpointId, random: () => number): number {
  if (!appliesTo(faults, endpoint)) return 0;
  const spiked = faults.latencySpikeRate > 0 && random() < faults.latencySpikeRate;
  return faults.latencyMs + (spiked ? faults.latencySpikeMs : 0);
}

/** What to do with one API call before its handler runs. */
export function decide(faults: Faults, endpoint: EndpointId, random: () => number): FaultDecision {
  if (!appliesTo(faults, endpoint)) return { kind: "pass" };
  if (faults.dropRate > 0 && random() < faults.dropRate) return { kind: "drop" };
  if (faults.errorRate > 0 && random() < faults.errorRate) return { kind: "reply", reply: specReply(faults.errorCode, endpoint) };
  return { kind: "pass" };
}

/** Flips the file HMAC of a successful file response, so the client's integrity check must catch it. */
export function corruptHmac(reply: Reply): Reply {
  const hmac = reply.headers?.hmac;
  if (typeof hmac !== "string") return reply;
  const bytes = Buffer.from(hmac, "base64");
  bytes[0] = (bytes[0] ?? 0) ^ 0xff;
  return { ...reply, headers: { ...reply.headers, hmac: bytes.toString("base64") } };
}
