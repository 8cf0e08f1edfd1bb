import type { TimestampConvention } from "./settings.js";

const IST_OFFSET_SECONDS = 5.5 * 60 * 60;

/** The meta APIs' `ts` for an instant (see settings.ts for the two conventions). */
export function metaTimestamp(nowMs: number, convention: TimestampConvention): string {
  const seconds = Math.floor(nowMs / 1000);
  return String(convention === "unix-ist" ? seconds + IST_OFFSET_SECONDS : seconds);
}

/** Authorization's `consent_valid_till`: UNIX seconds under the same convention. */
export function unixSeconds(instant: Date, convention: TimestampConvention): number {
  return Number(metaTimestamp(instant.getTime(), convention));
}

/**
 * The inverse of unixSeconds: a token response's `consent_valid_till` under the same convention → true UNIX
 * seconds, so that a value sent in the authorization URL comes back as the same instant.
 */
export function epochSeconds(seconds: number, convention: TimestampConvention): number {
  return convention === "unix-ist" ? seconds - IST_OFFSET_SECONDS : seconds;
}
