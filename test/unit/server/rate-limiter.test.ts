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
    for (let i = 0; i < 3; i++) expect(await limiter.consume("client", "203.0.113.5", 1)).toEqual({ allowed: true });
    vi.advanceTimersByTime(2_500);
    expect(await limiter.consume("client", "203.0.113.5", 1)).toEqual({ allowed: false, budget: "client", limit: 3, retryAfterSeconds: 8 });
  });

  it("refills after the window", async () => {
    const limiter = RateLimiter.memory({ client: { points: 2, windowSeconds: 1 }, writes: { points: 0, windowSeconds: 1 } });
    await limiter.consume("client", "203.0.113.5", 2);
    expect((await limiter.consume("client", "203.0.113.5", 1)).allowed).toBe(false);
    vi.advanceTimersByTime(999);
    expect((await limiter.consume("client", "203.0.113.5", 1)).allowed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await limiter.consume("client", "203.0.113.5", 2)).toEqual({ allowed: true });
  });

  it("counts each budget and each key on its own", async () => {
    const limiter = RateLimiter.memory({ client: { points: 1, windowSeconds: 60 }, writes: { points: 1, windowSeconds: 60 } });
    expect((await limiter.consume("client", "203.0.113.5", 1)).allowed).toBe(true);
    expect((await limiter.consume("writes", "203.0.113.5", 1)).allowed).toBe(true);
    expect((await limiter.consume("client", "203.0.113.6", 1)).allowed).toBe(true);
    expect(await limiter.consume("writes", "203.0.113.5", 1)).toEqual({ allowed: false, budget: "writes", limit: 1, retryAfterSeconds: 60 });
    expect((await limiter.consume("client", "203.0.113.5", 1)).allowed).toBe(false);
    expect((await limiter.consume("writes", "203.0.113.6", 1)).allowed).toBe(true);
  });

  it("treats a budget of 0 points as off, and consumes of 0 points as free", async () => {
    const limiter = RateLimiter.memory({ client: { points: 0, windowSeconds: 1 }, writes: { points: 1, windowSeconds: 60 } });
    for (let i = 0; i < 100; i++) expect(await limiter.consume("client", "203.0.113.5", 1000)).toEqual({ allowed: true });
    await limiter.consume("writes", "203.0.113.5", 1);
    expect(await limiter.consume("writes", "203.0.113.5", 0)).toEqual({ allowed: true });
    expect(await limiter.consume("writes", "203.0.113.5", -1)).toEqual({ allowed: true });
    expect((await limiter.consume("writes", "203.0.113.5", 1)).allowed).toBe(false);
  });

  it("refuses more points than are left, and leaves those points for a smaller consume", async () => {
    const limiter = RateLimiter.memory({ client: { points: 1, windowSeconds: 60 }, writes: { points: 5, windowSeconds: 60 } });
    expect((await limiter.consume("writes", "203.0.113.5", 3)).allowed).toBe(true);
    expect(await limiter.consume("writes", "203.0.113.5", 3)).toEqual({ allowed: false, budget: "writes", limit: 5, retryAfterSeconds: 60 });
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
    expect(await limiter.consume("partner:acme", "203.0.113.5", 1)).toEqual({ allowed: false, budget: "partner:acme", limit: 1, retryAfterSeconds: 1 });
    await limiter.close();
  });
});
