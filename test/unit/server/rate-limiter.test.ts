import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RateLimiter } from "../../../src/server/rate-limiter.js";

// rate-limiter-flexible's memory store reads Date.now() and expires keys with setTimeout: fake timers drive both.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("RateLimiter.memory", () => {
  it("allows the budget's points, then refuses with the time left in the window", async () => {
    const limiter = RateLimiter.memory({ client: { points: 3, windowSeconds: 10 }, writes: { points: 0, windowSeconds: 1 } });
    for (let i = 0; i < 3; i++) expect(await limiter.consume("client", "203.0.113.5", 1)).toMatchObject({ allowed: true });
    vi.advanceTimersByTime(2_500);
    expect(await limiter.consume("client", "203.0.113.5", 1)).toMatchObject({ allowed: false, budget: "client", limit: 3, retryAfterSeconds: 8 });
  });

  it("refills after the window", async () => {
    const limiter = RateLimiter.memory({ client: { points: 2, windowSeconds: 1 }, writes: { points: 0, windowSeconds: 1 } });
    await limiter.consume("client", "203.0.113.5", 2);
    expect((await limiter.consume("client", "203.0.113.5", 1)).allowed).toBe(false);
    vi.advanceTimersByTime(999);
    expect((await limiter.consume("client", "203.0.113.5", 1)).allowed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await limiter.consume("client", "203.0.113.5", 2)).toMatchObject({ allowed: true });
  });

  it("counts each budget and each key on its own", async () => {
    const limiter = RateLimiter.memory({ client: { points: 1, windowSeconds: 60 }, writes: { points: 1, windowSeconds: 60 } });
    expect((await limiter.consume("client", "203.0.113.5", 1)).allowed).toBe(true);
    expect((await limiter.consume("writes", "203.0.113.5", 1)).allowed).toBe(true);
    expect((await limiter.consume("client", "203.0.113.6", 1)).allowed).toBe(true);
    expect(await limiter.consume("writes", "203.0.113.5", 1)).toMatchObject({ allowed: false, budget: "writes", limit: 1, retryAfterSeconds: 60 });
    expect((await limiter.consume("client", "203.0.113.5", 1)).allowed).toBe(false);
    expect((await limiter.consume("writes", "203.0.113.6", 1)).allowed).toBe(true);
  });

  it("treats a budget of 0 points as off, and consumes of 0 points as free", async () => {
    const limiter = RateLimiter.memory({ client: { points: 0, windowSeconds: 1 }, writes: { points: 1, windowSeconds: 60 } });
    for (let i = 0; i < 100; i++) expect(await limiter.consume("client", "203.0.113.5", 1000)).toEqual({ allowed: true, left: null });
    await limiter.consume("writes", "203.0.113.5", 1);
    expect(await limiter.consume("writes", "203.0.113.5", 0)).toEqual({ allowed: true, left: null });
    expect(await limiter.consume("writes", "203.0.113.5", -1)).toEqual({ allowed: true, left: null });
    expect((await limiter.consume("writes", "203.0.113.5", 1)).allowed).toBe(false);
  });

  it("refuses more points than are left, and leaves those points for a smaller consume", async () => {
    const limiter = RateLimiter.memory({ client: { points: 1, windowSeconds: 60 }, writes: { points: 5, windowSeconds: 60 } });
    expect((await limiter.consume("writes", "203.0.113.5", 3)).allowed).toBe(true);
    expect(await limiter.consume("writes", "203.0.113.5", 3)).toMatchObject({ allowed: false, budget: "writes", limit: 5, retryAfterSeconds: 60 });
    expect((await limiter.consume("writes", "203.0.113.5", 6)).allowed).toBe(false);
    expect((await limiter.consume("writes", "203.0.113.5", 2)).allowed).toBe(true);
    expect((await limiter.consume("writes", "203.0.113.5", 1)).allowed).toBe(false);
  });

  it("rounds the time left up to whole seconds", async () => {
    const limiter = RateLimiter.memory({ client: { points: 1, windowSeconds: 3 }, writes: { points: 0, windowSeconds: 1 } });
    await limiter.consume("client", "203.0.113.5", 1);
    vi.advanceTimersByTime(1_700);
    expect(await limiter.consume("client", "203.0.113.5", 1)).toMatchObject({ allowed: false, retryAfterSeconds: 2 });
    vi.advanceTimersByTime(1_299);
    expect(await limiter.consume("client", "203.0.113.5", 1)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
  });

  it("rejects budgets and points that are not whole numbers", async () => {
    expect(() => RateLimiter.memory({ client: { points: 1.5, windowSeconds: 1 } })).toThrow(/"client": points must be a whole number >= 0/);
    expect(() => RateLimiter.memory({ client: { points: -1, windowSeconds: 1 } })).toThrow(RangeError);
    expect(() => RateLimiter.memory({ client: { points: 1, windowSeconds: 0 } })).toThrow(/"client": windowSeconds must be a whole number >= 1/);
    expect(() => RateLimiter.memory({ client: { points: 1, windowSeconds: 0.5 } })).toThrow(RangeError);
    const limiter = RateLimiter.memory({ client: { points: 1, windowSeconds: 1 } });
    await expect(limiter.consume("client", "203.0.113.5", 0.5)).rejects.toThrow(RangeError);
  });

  it("takes extra budget names as a type parameter", async () => {
    const limiter = RateLimiter.memory<"client" | "writes" | "partner:acme">({
      client: { points: 1, windowSeconds: 1 },
      writes: { points: 1, windowSeconds: 1 },
      "partner:acme": { points: 1, windowSeconds: 1 },
    });
    expect((await limiter.consume("partner:acme", "203.0.113.5", 1)).allowed).toBe(true);
    expect(await limiter.consume("partner:acme", "203.0.113.5", 1)).toMatchObject({ allowed: false, budget: "partner:acme", limit: 1, retryAfterSeconds: 1 });
    await limiter.close();
  });

  it("reports what is left and when the window ends, on allowed and refused consumes", async () => {
    const limiter = RateLimiter.memory({ client: { points: 5, windowSeconds: 60 } });
    expect(await limiter.consume("client", "203.0.113.5", 2)).toEqual({ allowed: true, left: { limit: 5, remaining: 3, resetSeconds: 60 } });
    vi.advanceTimersByTime(20_500);
    expect(await limiter.consume("client", "203.0.113.5", 3)).toEqual({ allowed: true, left: { limit: 5, remaining: 0, resetSeconds: 40 } });
    expect(await limiter.consume("client", "203.0.113.5", 1)).toEqual({
      allowed: false,
      budget: "client",
      limit: 5,
      retryAfterSeconds: 40,
      left: { limit: 5, remaining: 0, resetSeconds: 40 },
    });
  });
});

describe("RateLimiter.memory with a limit per key", () => {
  const budgets = { "partner-requests": { points: 4, windowSeconds: 60 }, "partner-digilocker-calls": { points: 0, windowSeconds: 60 } };

  it("counts each key against its own limit, the budget's points when it names none", async () => {
    const limiter = RateLimiter.memory(budgets);
    for (let i = 0; i < 2; i++) expect((await limiter.consume("partner-requests", "ptn_small", 1, 2)).allowed).toBe(true);
    expect(await limiter.consume("partner-requests", "ptn_small", 1, 2)).toMatchObject({ allowed: false, budget: "partner-requests", limit: 2 });
    for (let i = 0; i < 4; i++) expect((await limiter.consume("partner-requests", "ptn_default", 1)).allowed).toBe(true);
    expect((await limiter.consume("partner-requests", "ptn_default", 1)).allowed).toBe(false);
    for (let i = 0; i < 10; i++) expect((await limiter.consume("partner-requests", "ptn_large", 1, 10)).allowed).toBe(true);
    expect(await limiter.consume("partner-requests", "ptn_large", 1, 10)).toMatchObject({ allowed: false, limit: 10, left: { remaining: 0 } });
  });

  it("turns a budget on for a key whose limit is set when the default is off, and off for a limit of 0", async () => {
    const limiter = RateLimiter.memory(budgets);
    expect(await limiter.consume("partner-digilocker-calls", "ptn_a", 500)).toEqual({ allowed: true, left: null });
    expect(await limiter.consume("partner-digilocker-calls", "ptn_b", 3, 5)).toEqual({ allowed: true, left: { limit: 5, remaining: 2, resetSeconds: 60 } });
    expect(await limiter.consume("partner-digilocker-calls", "ptn_b", 3, 5)).toMatchObject({ allowed: false, limit: 5, left: { remaining: 2 } });
    expect(await limiter.consume("partner-requests", "ptn_c", 1_000, 0)).toEqual({ allowed: true, left: null });
  });

  it("applies a limit changed mid-window to what the key has already used", async () => {
    const limiter = RateLimiter.memory(budgets);
    for (let i = 0; i < 3; i++) await limiter.consume("partner-requests", "ptn_a", 1, 3);
    expect((await limiter.consume("partner-requests", "ptn_a", 1, 3)).allowed).toBe(false);
    // The refused consume above stays counted (nothing was left before it): 5 used of the new 5.
    expect(await limiter.consume("partner-requests", "ptn_a", 1, 5)).toMatchObject({ allowed: true, left: { limit: 5, remaining: 0 } });
    expect((await limiter.consume("partner-requests", "ptn_a", 1, 2)).allowed).toBe(false);
  });

  it("gives back refunded points, and ignores refunds of nothing", async () => {
    const limiter = RateLimiter.memory(budgets);
    await limiter.consume("partner-requests", "ptn_a", 2, 2);
    await limiter.refund("partner-requests", "ptn_a", 1);
    await limiter.refund("partner-requests", "ptn_a", 0);
    await limiter.refund("partner-requests", "ptn_a", -3);
    expect(await limiter.consume("partner-requests", "ptn_a", 1, 2)).toMatchObject({ allowed: true, left: { remaining: 0 } });
    expect((await limiter.consume("partner-requests", "ptn_a", 1, 2)).allowed).toBe(false);
  });

  it("rejects a limit that is not a whole number >= 0, and unknown budgets", async () => {
    const limiter = RateLimiter.memory(budgets);
    await expect(limiter.consume("partner-requests", "ptn_a", 1, -1)).rejects.toThrow(/limit must be a whole number >= 0/);
    await expect(limiter.consume("partner-requests", "ptn_a", 1, 1.5)).rejects.toThrow(RangeError);
    await expect(limiter.consume("nope" as "partner-requests", "ptn_a", 1)).rejects.toThrow(/unknown rate budget "nope"/);
  });
});
