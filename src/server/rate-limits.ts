// The per-client budgets, charged before an operation runs (after the operation limits have priced it), so a
// refused operation writes nothing and calls nothing: records it would create go to the `writes` budget, and an
// operation that reaches DigiLocker without a live session, or that looks up anyone's account (verifyAccount,
// FieldCost.alwaysCharged) with or without one, costs one from the `client` budget. A refusal is HTTP 429 with
// Retry-After, on both server paths (yoga turns `extensions.http` into the status and headers).
import { GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { Context } from "../graphql/context.js";
import type { RateDecision } from "./rate-limiter.js";

export interface RateLimitedOptions {
  /** The budget's window, named in the message ("per 60 s"); without it, "per window". */
  windowSeconds?: number;
  /** Said after the limit, e.g. what the operation asked for against what was left. */
  detail?: string;
  /** More headers for the 429 (partner-budgets.ts: RateLimit and RateLimit-Policy); Retry-After is always set. */
  headers?: Record<string, string>;
}

/**
 * The error a refused request gets (HTTP 429, Retry-After): `what` ran out ("sign-ins and consent requests started
 * from this address", "requests with this partner's API key"), the limit, and when to come back.
 */
export function rateLimited(decision: Extract<RateDecision, { allowed: false }>, what: string, options: RateLimitedOptions = {}): GraphQLError {
  const per = options.windowSeconds === undefined ? "window" : `${options.windowSeconds} s`;
  const detail = options.detail === undefined ? "" : ` ${options.detail}`;
  return new GraphQLError(`Too many ${what}: the limit is ${decision.limit} per ${per}.${detail} Try again in ${decision.retryAfterSeconds} s.`, {
    extensions: {
      code: "RATE_LIMITED",
      budget: decision.budget,
      limit: decision.limit,
      retryAfterSeconds: decision.retryAfterSeconds,
      http: { status: 429, headers: { ...options.headers, "retry-after": String(decision.retryAfterSeconds) } },
    },
  });
}

/**
 * What the operation owes, or null: records it creates, and whether it reaches DigiLocker without a live session
 * (a browser's session is read once per request: its DigiLocker calls are its user's own) or looks up anyone's
 * account (charged whoever asks: a signed-in user could enumerate numbers too). Synchronous when nothing can be
 * owed, as for most signed-in reads: no promise on the hot path.
 */
function charges(ctx: Context): { writes: number; client: boolean } | Promise<{ writes: number; client: boolean }> | null {
  const price = ctx.price;
  if (price === null) return null;
  const client = price.reachesDigiLocker || price.alwaysCharged;
  if (price.writes === 0 && !client) return null;
  if (!client || price.alwaysCharged || ctx.viewer?.kind !== "session") return { writes: price.writes, client };
  return ctx.viewer.session().then((live) => ({ writes: price.writes, client: live === null }));
}

async function charge(ctx: Context, owed: { writes: number; client: boolean }): Promise<GraphQLError | null> {
  const { limiter } = ctx.services;
  if (owed.writes > 0) {
    const decision = await limiter.consume("writes", ctx.clientKey, owed.writes);
    if (!decision.allowed) return rateLimited(decision, "sign-ins and consent requests started from this address");
  }
  if (owed.client) {
    const decision = await limiter.consume("client", ctx.clientKey, 1);
    if (!decision.allowed) return rateLimited(decision, "account lookups and requests reaching DigiLocker without a session from this address");
  }
  return null;
}

export function useRateLimits(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as unknown as Context;
      const owed = charges(ctx);
      if (owed === null) return;
      return Promise.resolve(owed)
        .then((o) => charge(ctx, o))
        .then((refusal) => {
          if (refusal !== null) setResultAndStopExecution({ errors: [refusal] });
        });
    },
  };
}
