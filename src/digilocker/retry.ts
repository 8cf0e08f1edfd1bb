// When and how long to wait before another attempt: the whole retry policy in one place.
import { DigiLockerAbortError, DigiLockerApiError, DigiLockerError } from "./errors.js";

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Milliseconds to wait before retry number `retry` (1-based), or null when the error must not be
 * retried. Retry-After wins when DigiLocker sends one; a Retry-After beyond our ceiling means giving
 * up now rather than waiting past the caller's patience. Otherwise capped exponential backoff with
 * full jitter, so that many clients recovering from one outage do not retry in step.
 */
export function retryDelay(error: unknown, retry: number, policy: RetryPolicy, random: () => number): number | null {
  if (retry > policy.maxRetries) return null;
  if (!(error instanceof DigiLockerError) || error instanceof DigiLockerAbortError || !error.retryable) return null;
  if (error instanceof DigiLockerApiError && error.retryAfterMs !== null) {
    return error.retryAfterMs <= policy.maxDelayMs ? error.retryAfterMs : null;
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/** Parses Retry-After: delta seconds or an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === "") return null;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim()) * 1000;
  // An HTTP date names its day or month; without this, V8's lenient Date.parse reads "1.5" or "-1" as
  // dates in 2001 and the retry would go out at once instead of backing off.
  if (!/[a-z]/i.test(raw)) return null;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** A sleep that ends early, with the signal's reason, when the caller aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
