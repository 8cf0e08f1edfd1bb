// The one rate limiter: named budgets of points per fixed window, counted per key (a client address from
// rateKey, a partner, an app, a session's hash), in this process (memory) or shared by every gateway instance
// (Redis). One counter per budget name; the limit is the budget's points unless a consume names its own (a
// partner's limits, set with the partner CLI), so per-key limits need no counter of their own and a limit changed
// mid-window applies to what that key has already used.
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { connectRedis } from "../store/redis-connection.js";

/** The budgets in use (docs/limits.md, "Rate limits"). */
export type BudgetName =
  | "client"
  | "writes"
  | "partner-requests"
  | "partner-digilocker-calls"
  | "app-requests"
  | "app-digilocker-calls"
  | "session-requests"
  | "session-digilocker-calls";

/** `points` per `windowSeconds` per key; points 0 turns the budget off. */
export interface Budget {
  points: number;
  windowSeconds: number;
}

/** What a key has left of a budget after a consume, as the RateLimit header reports it. */
export interface RateLeft {
  limit: number;
  /** Points left in this window (after a refusal: what was left before it, the refused points given back). */
  remaining: number;
  /** Whole seconds until the window ends and the budget refills, at least 1. */
  resetSeconds: number;
}

/** `left` is null when nothing was counted: the budget is off (limit 0) or the consume was of 0 points. */
export type RateDecision =
  | { allowed: true; left: RateLeft | null }
  | { allowed: false; budget: string; limit: number; retryAfterSeconds: number; left: RateLeft };

export interface RedisRateLimiterOptions<B extends string> {
  /** redis:// or rediss://, as REDIS_URL gives it; may carry a username and password. */
  url: string;
  /** Put before every key. Default "dlg:rl:". */
  keyPrefix?: string;
  budgets: Record<B, Budget>;
  /** How long the start waits for Redis, and how long any later command may take. Default 5000. */
  connectTimeoutMs?: number;
}

interface Counter {
  limiter: RateLimiterAbstract;
  /** The limit when a consume names none; 0: off. */
  points: number;
  windowSeconds: number;
}

/**
 * The library's own limit, never reached: the limit is compared here (consume's `limit`), so one counter serves
 * every limit and the library never rejects a consume.
 */
const LIBRARY_POINTS = 2 ** 52;

export class RateLimiter<B extends string = BudgetName> {
  readonly #counters: ReadonlyMap<string, Counter>;
  readonly #close: () => Promise<void>;

  private constructor(counters: ReadonlyMap<string, Counter>, close: () => Promise<void>) {
    this.#counters = counters;
    this.#close = close;
  }

  /** Counts in this process only. */
  static memory<B extends string = BudgetName>(budgets: Record<B, Budget>): RateLimiter<B> {
    checkBudgets(budgets);
    return new RateLimiter<B>(countersFor(budgets, memoryLimiter), () => Promise.resolve());
  }

  /**
   * Counts in Redis, shared by every instance. Connects and PINGs first; rejects with StoreUnavailableError
   * (naming the URL without its password) when Redis does not answer within connectTimeoutMs.
   */
  static async redis<B extends string = BudgetName>(options: RedisRateLimiterOptions<B>): Promise<RateLimiter<B>> {
    checkBudgets(options.budgets);
    const prefix = options.keyPrefix ?? "dlg:rl:";
    // Its own connection, opened as the store's is.
    const { redis } = await connectRedis({ url: options.url, timeoutMs: options.connectTimeoutMs ?? 5000, purpose: "Redis for rate limits" });
    const counters = countersFor(
      options.budgets,
      (name, budget) =>
        new RateLimiterRedis({
          storeClient: redis,
          keyPrefix: `${prefix}${name}`,
          points: LIBRARY_POINTS,
          duration: budget.windowSeconds,
          // While Redis is away, count per process at once rather than wait for a reconnection on every request.
          rejectIfRedisNotReady: true,
          insuranceLimiter: memoryLimiter(name, budget),
        }),
    );
    let closed = false;
    return new RateLimiter<B>(counters, async () => {
      if (closed) return;
      closed = true;
      await redis.quit().catch(() => undefined);
      redis.disconnect();
    });
  }

  /**
   * Takes `points` from `key`'s budget; points <= 0 are always allowed and count nothing. `limit` replaces the
   * budget's points for this key (a partner's own limit); 0 (either way) turns the budget off for it. A refused
   * consume takes nothing when there was something left before it, so a too-large request does not use up what a
   * smaller one could still have. Never throws for a store failure (Redis away: this process counts alone).
   */
  async consume(budget: B, key: string, points: number, limit?: number): Promise<RateDecision> {
    if (!Number.isInteger(points)) throw new RangeError(`points must be a whole number, got ${points}`);
    const counter = this.#counter(budget);
    const max = limit ?? counter.points;
    if (!Number.isInteger(max) || max < 0) throw new RangeError(`limit must be a whole number >= 0, got ${max}`);
    if (max === 0 || points <= 0) return { allowed: true, left: null };
    let res: RateLimiterRes;
    try {
      res = await counter.limiter.consume(key, points);
    } catch (refusal) {
      // Only past LIBRARY_POINTS: refused below all the same.
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      res = refusal;
    }
    const resetSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    if (res.consumedPoints <= max) return { allowed: true, left: { limit: max, remaining: max - res.consumedPoints, resetSeconds } };
    const before = res.consumedPoints - points;
    if (before < max) await counter.limiter.reward(key, points);
    return {
      allowed: false,
      budget,
      limit: max,
      retryAfterSeconds: resetSeconds,
      left: { limit: max, remaining: Math.max(0, max - before), resetSeconds },
    };
  }

  /**
   * Gives back points an allowed consume took (a request refused by another budget before it ran). Best effort:
   * a store failure leaves them counted.
   */
  async refund(budget: B, key: string, points: number): Promise<void> {
    if (!Number.isInteger(points) || points <= 0) return;
    await this.#counter(budget).limiter.reward(key, points).catch(() => undefined);
  }

  /** The budget's window, in seconds (what RateLimit-Policy's `w` says). */
  windowSeconds(budget: B): number {
    return this.#counter(budget).windowSeconds;
  }

  #counter(budget: B): Counter {
    const counter = this.#counters.get(budget);
    if (counter === undefined) throw new RangeError(`unknown rate budget "${budget}"`);
    return counter;
  }

  close(): Promise<void> {
    return this.#close();
  }
}

function memoryLimiter(name: string, budget: Budget): RateLimiterMemory {
  return new RateLimiterMemory({ keyPrefix: name, points: LIBRARY_POINTS, duration: budget.windowSeconds });
}

function checkBudgets(budgets: Record<string, Budget>): void {
  for (const [name, budget] of Object.entries(budgets)) {
    if (!Number.isInteger(budget.points) || budget.points < 0) {
      throw new RangeError(`rate budget "${name}": points must be a whole number >= 0, got ${budget.points}`);
    }
    // The Redis script sets its expiry in whole seconds.
    if (!Number.isInteger(budget.windowSeconds) || budget.windowSeconds < 1) {
      throw new RangeError(`rate budget "${name}": windowSeconds must be a whole number >= 1, got ${budget.windowSeconds}`);
    }
  }
}

function countersFor(
  budgets: Record<string, Budget>,
  make: (name: string, budget: Budget) => RateLimiterAbstract,
): Map<string, Counter> {
  // A counter even for a budget that is off by default: a key's own limit may turn it on. Nothing is stored until
  // a consume counts something.
  return new Map(Object.entries(budgets).map(([name, budget]) => [name, { limiter: make(name, budget), points: budget.points, windowSeconds: budget.windowSeconds }]));
}
