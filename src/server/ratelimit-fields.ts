// The RateLimit-Policy and RateLimit response fields of the IETF httpapi draft "RateLimit header fields for HTTP",
// revision draft-ietf-httpapi-ratelimit-headers-11 (May 2026): each a Structured Fields List (RFC 9651) of one Item
// per policy, the policy's name a String. RateLimit-Policy: `"name";q=<quota>;w=<window seconds>`; RateLimit:
// `"name";r=<available quota>;t=<seconds until it refills>`. `qu` (the quota unit) is left out: the draft's
// registry has no unit for DigiLocker calls, and the policy name says what is counted; `pk` (partition key) too:
// the partition is the caller itself, and a key could only leak who else shares it.

/** One budget that applied to a request, as its answer reports it. */
export interface PolicyReport {
  /** The budget's name ("partner-requests"), also the error's `budget`. */
  name: string;
  /** Points per window. */
  quota: number;
  windowSeconds: number;
  /** Points left in this window. */
  remaining: number;
  /** Whole seconds until the window refills. */
  resetSeconds: number;
}

/** The two fields for these budgets, as [lowercase name, value]; none for no budget. */
export function rateLimitFields(reports: readonly PolicyReport[]): [string, string][] {
  if (reports.length === 0) return [];
  const policy = reports.map((r) => `${sfString(r.name)};q=${sfInteger(r.quota)};w=${sfInteger(r.windowSeconds)}`).join(", ");
  const limit = reports.map((r) => `${sfString(r.name)};r=${sfInteger(r.remaining)};t=${sfInteger(r.resetSeconds)}`).join(", ");
  return [
    ["ratelimit-policy", policy],
    ["ratelimit", limit],
  ];
}

/** RFC 9651 sf-string: printable ASCII, with `"` and `\` escaped. */
function sfString(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) throw new RangeError(`not a Structured Fields string: ${JSON.stringify(value)}`);
  return `"${value.replace(/["\\]/g, "\\$&")}"`;
}

/** RFC 9651 sf-integer: at most 15 digits; the draft's values are never negative. */
function sfInteger(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > 999_999_999_999_999) throw new RangeError(`not a non-negative Structured Fields integer: ${value}`);
  return String(value);
}
