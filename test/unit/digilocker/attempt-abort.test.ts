// The per-attempt abort switch the transport hands undici: deadline, caller's signal, and no listener left behind.
import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AttemptAbort } from "../../../src/digilocker/attempt-abort.js";
import { mockClient } from "../../helpers/digilocker.js";
import { ACCESS_TOKEN } from "../../helpers/endpoint-calls.js";

describe("AttemptAbort", () => {
  afterEach(() => { vi.useRealTimers(); });

  it("aborts with the deadline's reason when the deadline passes, and says it timed out", () => {
    vi.useFakeTimers();
    const reason = new Error("deadline");
    const abort = new AttemptAbort(100, () => reason);
    const heard = vi.fn();
    abort.on("abort", heard);
    vi.advanceTimersByTime(99);
    expect(abort.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect({ aborted: abort.aborted, timedOut: abort.timedOut, reason: abort.reason }).toEqual({ aborted: true, timedOut: true, reason });
    expect(heard).toHaveBeenCalledTimes(1);
    expect(() => { abort.throwIfAborted(); }).toThrow(reason);
  });

  it("follows the caller's signal, and is aborted from the start if the caller already was", () => {
    const caller = new AbortController();
    const abort = new AttemptAbort(10_000, () => new Error("deadline"), caller.signal);
    caller.abort(new Error("caller"));
    expect({ aborted: abort.aborted, timedOut: abort.timedOut }).toEqual({ aborted: true, timedOut: false });
    expect((abort.reason as Error).message).toBe("caller");
    abort.finish(false);
    const late = new AttemptAbort(10_000, () => new Error("deadline"), caller.signal);
    expect(late.aborted).toBe(true);
    late.finish(false);
  });

  it("finish() stops the deadline, and unlinks the caller unless the body was handed over", () => {
    vi.useFakeTimers();
    const caller = new AbortController();
    const done = new AttemptAbort(100, () => new Error("deadline"), caller.signal);
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(1);
    done.finish(false);
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
    vi.advanceTimersByTime(1_000);
    expect(done.aborted).toBe(false);
    // A download still being read: the caller's abort must still reach it.
    const download = new AttemptAbort(100, () => new Error("deadline"), caller.signal);
    download.finish(true);
    caller.abort();
    expect(download.aborted).toBe(true);
  });

  it("one long-lived caller signal over many calls gathers no listeners", async () => {
    const { client, pool } = mockClient();
    pool.intercept({ path: "/public/oauth2/2/files/issued", method: "GET" }).reply(200, '{"items":[]}', { headers: { "content-type": "application/json" } }).times(50);
    const caller = new AbortController();
    for (let i = 0; i < 50; i++) await client.files.listIssued(ACCESS_TOKEN, { signal: caller.signal });
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
  });
});
