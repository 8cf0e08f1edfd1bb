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
