// The per-client budgets, charged before an operation runs (after the operation limits have priced it), so a
// refused operation writes nothing and calls nothing: records it would create go to the `writes` budget, and an
// operation that reaches DigiLocker without a live session costs one from the `client` budget. A refusal is HTTP
// 429 with Retry-After, on both server paths (yoga turns `extensions.http` into the status and headers).
import { GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { Context } from "../graphql/context.js";
import type { RateDecision } from "./rate-limiter.js";

/** The error a refused request gets: what ran out, the limit, and when to come back. */
export function rateLimited(decision: Extract<RateDecision, { allowed: false }>, what: string): GraphQLError {
  return new GraphQLError(
    `Too many ${what} from this address: the limit is ${decision.limit} per window. Try again in ${decision.retryAfterSeconds} s.`,
    {
      extensions: {
        code: "RATE_LIMITED",
        budget: decision.budget,
        limit: decision.limit,
        retryAfterSeconds: decision.retryAfterSeconds,
        http: { status: 429, headers: { "retry-after": String(decision.retryAfterSeconds) } },
      },
    },
  );
}

/** Whether the request is a browser's live session: its DigiLocker calls are the user's own (read once per request). */
async function liveSession(ctx: Context): Promise<boolean> {
  if (ctx.viewer?.kind !== "session") return false;
  return (await ctx.viewer.session()) !== null;
}

export function useRateLimits(): Plugin {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as unknown as Context;
      const price = ctx.price;
      if (price === null) return;
      const { limiter } = ctx.services;
      if (price.writes > 0) {
        const decision = await limiter.consume("writes", ctx.clientKey, price.writes);
        if (!decision.allowed) {
          setResultAndStopExecution({ errors: [rateLimited(decision, "sign-ins and consent requests started")] });
          return;
        }
      }
      if (price.reachesDigiLocker && !(await liveSession(ctx))) {
        const decision = await limiter.consume("client", ctx.clientKey, 1);
        if (!decision.allowed) setResultAndStopExecution({ errors: [rateLimited(decision, "requests reaching DigiLocker without a session")] });
      }
    },
  };
}
