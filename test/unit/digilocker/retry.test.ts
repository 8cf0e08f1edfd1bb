import { describe, expect, it } from "vitest";
import {
  BadRequestError,
  DigiLockerAbortError,
  DigiLockerConnectionError,
  DigiLockerInputError,
  DigiLockerResponseError,
  DigiLockerTimeoutError,
  FileIntegrityError,
  InvalidTokenError,
  NotFoundError,
  UpstreamServerError,
} from "../../../src/digilocker/errors.js";
import { abortableSleep, parseRetryAfter, retryDelay, type RetryPolicy } from "../../../src/digilocker/retry.js";

const policy: RetryPolicy = { maxRetries: 10, baseDelayMs: 200, maxDelayMs: 3_000 };
const upstream = (status = 503, retryAfterMs: number | null = null, code: string | null = null) =>
  new UpstreamServerError({ endpoint: "account.user", status, code, description: null, retryAfterMs });
const half = () => 0.5;

describe("retryDelay: capped exponential backoff with full jitter", () => {
  it.each([
    // retry n: ceiling min(3000, 200 * 2^(n-1)), delay floor(0.5 * ceiling)
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 800],
    [5, 1_500], // 3200 capped at 3000
    [6, 1_500],
    [10, 1_500],
  ])("retry %i waits half the ceiling when random() is 0.5 → %i ms", (retry, expected) => {
    expect(retryDelay(upstream(), retry, policy, half)).toBe(expected);
  });

  it.each([
    [1, 200],
    [2, 400],
    [3, 800],
    [4, 1_600],
    [5, 3_000],
  ])("retry %i stays in [0, %i) over the whole range of random()", (retry, ceiling) => {
    expect(retryDelay(upstream(), retry, policy, () => 0)).toBe(0);
    expect(retryDelay(upstream(), retry, policy, () => 0.999_999)).toBe(ceiling - 1);
    expect(retryDelay(upstream(), retry, policy, () => 0.25)).toBe(Math.floor(ceiling / 4));
  });

  it("uses the policy's own base and ceiling", () => {
    const p = { maxRetries: 5, baseDelayMs: 50, maxDelayMs: 120 };
    expect([1, 2, 3, 4].map((n) => retryDelay(upstream(), n, p, () => 0.999_999))).toEqual([49, 99, 119, 119]);
  });

  it("is null once the retry number passes maxRetries", () => {
    const p = { ...policy, maxRetries: 2 };
    expect(retryDelay(upstream(), 1, p, half)).toBe(100);
    expect(retryDelay(upstream(), 2, p, half)).toBe(200);
    expect(retryDelay(upstream(), 3, p, half)).toBeNull();
    expect(retryDelay(upstream(), 1, { ...policy, maxRetries: 0 }, half)).toBeNull();
  });

  it.each<[string, unknown]>([
    ["HTTP 408", new BadRequestError({ endpoint: "account.user", status: 408, code: null, description: null })],
    ["HTTP 429", new BadRequestError({ endpoint: "account.user", status: 429, code: null, description: null })],
    ["HTTP 500", upstream(500)],
    ["HTTP 502", upstream(502)],
    ["HTTP 503", upstream(503)],
    ["HTTP 504", upstream(504)],
    ["HTTP 530", upstream(530, null, "unexpected_error")],
    ["a connection error", new DigiLockerConnectionError("account.user", "ECONNRESET")],
    ["a timeout", new DigiLockerTimeoutError("account.user", "headers", 15_000)],
  ])("retries %s", (_name, error) => {
    expect(retryDelay(error, 1, policy, half)).toBe(100);
  });

  it.each<[string, unknown]>([
    ["HTTP 400", new BadRequestError({ endpoint: "account.user", status: 400, code: "invalid_parameter", description: null })],
    ["HTTP 401", new InvalidTokenError({ endpoint: "account.user", status: 401, code: "invalid_token", description: null })],
    ["HTTP 404", new NotFoundError({ endpoint: "files.file", status: 404, code: "invalid_uri", description: null })],
    ["HTTP 501", upstream(501)],
    ["repository_service_configerror (500)", upstream(500, null, "repository_service_configerror")],
    ["a caller abort", new DigiLockerAbortError("account.user")],
    ["an unexpected 2xx body", new DigiLockerResponseError("account.user", 200, "the body is not valid JSON")],
    ["a failed HMAC check", new FileIntegrityError("files.file", "hmac_mismatch")],
    ["invalid input", new DigiLockerInputError("account.user", [{ path: "accessToken", message: "required" }])],
    ["an error from outside the client", new Error("boom")],
    ["a thrown non-error", "boom"],
  ])("does not retry %s", (_name, error) => {
    expect(retryDelay(error, 1, policy, half)).toBeNull();
  });

  it("does not retry an abort even if it were marked retryable", () => {
    const abort = new DigiLockerAbortError("account.user");
    Object.defineProperty(abort, "retryable", { value: true });
    expect(retryDelay(abort, 1, policy, half)).toBeNull();
  });

  it("honours Retry-After up to maxDelayMs, ignoring the jitter and the exponential ceiling", () => {
    const never = () => {
      throw new Error("random() must not be consulted when Retry-After is given");
    };
    expect(retryDelay(upstream(503, 2_500), 1, policy, never)).toBe(2_500);
    expect(retryDelay(upstream(503, 3_000), 1, policy, never)).toBe(3_000);
    expect(retryDelay(upstream(429, 0), 2, policy, never)).toBe(0);
  });

  it("gives up (null) when Retry-After asks for more than maxDelayMs", () => {
    expect(retryDelay(upstream(503, 3_001), 1, policy, half)).toBeNull();
    expect(retryDelay(upstream(503, 120_000), 1, policy, half)).toBeNull();
  });

  it("still stops at maxRetries when Retry-After is small", () => {
    expect(retryDelay(upstream(503, 1_000), 3, { ...policy, maxRetries: 2 }, half)).toBeNull();
  });

  it("ignores Retry-After on an error that is not retryable", () => {
    const e = new BadRequestError({ endpoint: "account.user", status: 400, code: null, description: null, retryAfterMs: 1_000 });
    expect(retryDelay(e, 1, policy, half)).toBeNull();
  });
});

describe("parseRetryAfter", () => {
  const now = Date.UTC(2023, 10, 14, 22, 13, 20); // Tue, 14 Nov 2023 22:13:20 GMT

  it.each([
    ["0", 0],
    ["1", 1_000],
    ["120", 120_000],
    [" 7 ", 7_000],
  ])("reads delta seconds %j as %i ms", (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it("reads the first of repeated headers", () => {
    expect(parseRetryAfter(["3", "9"], now)).toBe(3_000);
  });

  it("reads an HTTP date relative to now", () => {
    expect(parseRetryAfter("Tue, 14 Nov 2023 22:13:50 GMT", now)).toBe(30_000);
    expect(parseRetryAfter(new Date(now + 1_500).toUTCString(), now)).toBe(1_000); // HTTP dates have whole seconds
    expect(parseRetryAfter("Tuesday, 14-Nov-23 22:15:20 GMT", now)).toBe(120_000); // RFC 850 form
  });

  it("reads a date in the past as 0", () => {
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now)).toBe(0);
  });

  it.each([[undefined], [""], ["   "], ["soon"], ["1.5"], ["-1"], ["10s"], ["0x10"]])("returns null for %j", (value) => {
    expect(parseRetryAfter(value, now)).toBeNull();
  });
});

describe("abortableSleep", () => {
  it("resolves after the delay", async () => {
    await expect(abortableSleep(1)).resolves.toBeUndefined();
    await expect(abortableSleep(1, new AbortController().signal)).resolves.toBeUndefined();
  });

  it("rejects at once with the signal's reason when already aborted", async () => {
    const controller = new AbortController();
    const reason = new Error("stop");
    controller.abort(reason);
    await expect(abortableSleep(60_000, controller.signal)).rejects.toBe(reason);
  });

  it("rejects with the signal's reason when aborted while sleeping", async () => {
    const controller = new AbortController();
    const sleeping = abortableSleep(60_000, controller.signal);
    const reason = new Error("user navigated away");
    controller.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
  });
});
