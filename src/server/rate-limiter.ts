// The one rate limiter: named budgets of points per fixed window, counted per key (a client address from
// rateKey), in this process (memory) or shared by every gateway instance (Redis).
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { connectRedis } from "../store/redis-connection.js";

/** The budgets in use; later budgets (per partner) join this union. */
export type BudgetName = "client" | "writes";

/** `points` per `windowSeconds` per key; points 0 turns the budget off. */
export interface Budget {
  points: number;
  windowSeconds: number;
}

export type RateDecision = { allowed: true } | { allowed: false; budget: string; limit: number; retryAfterSeconds: number };

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
  points: number;
}

export class RateLimiter<B extends string = BudgetName> {
  // null: the budget is off.
  readonly #counters: ReadonlyMap<string, Counter | null>;
  readonly #close: () => Promise<void>;

  private constructor(counters: ReadonlyMap<string, Counter | null>, close: () => Promise<void>) {
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
          points: budget.points,
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

  /** Takes `points` from `key`'s budget; points <= 0 are always allowed. Never throws for a store failure. */
  async consume(budget: B, key: string, points: number): Promise<RateDecision> {
    if (!Number.isInteger(points)) throw new RangeError(`points must be a whole number, got ${points}`);
    const counter = this.#counters.get(budget);
    if (counter === undefined) throw new RangeError(`unknown rate budget "${budget}"`);
    if (counter === null || points <= 0) return { allowed: true };
    try {
      await counter.limiter.consume(key, points);
      return { allowed: true };
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      // The library counts a refused consume too. Give the points back when there were some left before it,
      // so a too-large request does not use up what a smaller one could still have.
      if (refusal.consumedPoints - points < counter.points) await counter.limiter.reward(key, points);
      return { allowed: false, budget, limit: counter.points, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
    }
  }

  close(): Promise<void> {
    return this.#close();
  }
}

function memoryLimiter(name: string, budget: Budget): RateLimiterMemory {
  return new RateLimiterMemory({ keyPrefix: name, points: budget.points, duration: budget.windowSeconds });
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
): Map<string, Counter | null> {
  return new Map(
    Object.entries(budgets).map(([name, budget]) => [name, budget.points === 0 ? null : { limiter: make(name, budget), points: budget.points }]),
  );
}
