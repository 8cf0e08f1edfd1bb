// Per-partner, per-app and per-session budgets (docs/limits.md, "Partner, app and session budgets"), each in
// requests and in DigiLocker calls per window: a request costs one from its holder's requests budget and, before
// it runs, the DigiLocker calls the operation limits priced it at (OperationPrice.upstreamCalls) from its calls
// budget. The holders: the partner whose API key was accepted, else the partner app the request names (ctx.app),
// and a live browser session besides. A partner's own limits (partner CLI, set-limits) ride on its cached record;
// an app's are its partner's. An answer carries RateLimit-Policy and RateLimit (ratelimit-fields.ts) for every
// budget it was charged; a refusal is rate-limits.ts's RATE_LIMITED error (429, Retry-After) with them too, and
// gives back what the request's other budgets had taken.
import { createHash } from "node:crypto";
import type { GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { Context } from "../graphql/context.js";
import type { PartnerLimits } from "../partners/partners.js";
import type { BudgetName, RateDecision } from "./rate-limiter.js";
import { rateLimitFields, type PolicyReport } from "./ratelimit-fields.js";
import { rateLimited } from "./rate-limits.js";

/** Whose budgets a request draws on. */
type Holder = "partner" | "app" | "session";

/** One amount a request owes one budget. */
export interface Charge {
  budget: BudgetName;
  /** The counter's key: a partner id, `<partner id>/<app name>`, or a session id's hash. */
  key: string;
  points: number;
  /** The key's own limit; undefined: the budget's (the gateway's default). 0: unlimited. */
  limit: number | undefined;
  /** What ran out, for the message ("requests with this partner's API key"). */
  what: string;
}

const CALLS = "digilocker-calls";

/** A session's counter key: never the id itself (it is the cookie's secret), in Redis or anywhere else. */
export function sessionKey(sessionId: string): string {
  return createHash("sha256").update(sessionId).digest("base64url").slice(0, 22);
}

/** What a holder owes for one operation: a request, and its DigiLocker calls when it may make any. */
export function holderCharges(holder: Holder, key: string, limits: PartnerLimits | null, upstreamCalls: number, whose: string): Charge[] {
  const own = (limit: number | null | undefined) => (limit === null ? undefined : limit);
  const charges: Charge[] = [{ budget: `${holder}-requests`, key, points: 1, limit: own(limits?.requests), what: `requests ${whose}` }];
  if (upstreamCalls > 0) {
    charges.push({ budget: `${holder}-${CALLS}`, key, points: upstreamCalls, limit: own(limits?.digilockerCalls), what: `DigiLocker calls ${whose}` });
  }
  return charges;
}

/**
 * The request's charges, or null when no budget applies (no accepted key, no partner app, no session: a bearer
 * token's or a public read's), decided without a promise. A session counts only while live (as rate-limits.ts
 * decides), and an app's limits come from its partner's record (cached by Partners.limitsOf).
 */
export function chargesFor(ctx: Context): Charge[] | Promise<Charge[]> | null {
  const price = ctx.price;
  if (price === null) return null;
  const app = ctx.partner === null && ctx.app !== null && ctx.app.partnerId !== null ? { ...ctx.app, partnerId: ctx.app.partnerId } : null;
  const viewer = ctx.viewer?.kind === "session" && ctx.sessionId !== null ? ctx.viewer : null;
  if (ctx.partner === null && app === null && viewer === null) return null;
  const calls = price.upstreamCalls;
  const charges: Charge[] = [];
  if (ctx.partner !== null) charges.push(...holderCharges("partner", ctx.partner.id, ctx.partner.limits, calls, "with this partner's API key"));
  const withSession = (list: Charge[]): Charge[] | Promise<Charge[]> => {
    if (viewer === null || ctx.sessionId === null) return list;
    const sessionId = ctx.sessionId;
    return viewer.session().then(
      (live) => (live === null ? list : [...list, ...holderCharges("session", sessionKey(sessionId), null, calls, "in this browser session")]),
      // A session DigiLocker already refused is no live session.
      () => list,
    );
  };
  if (app === null) return withSession(charges);
  const whose = `from the app ${JSON.stringify(app.name.slice(0, 60))}`;
  const withApp = (limits: PartnerLimits | null) =>
    // An app whose partner is gone draws on no partner's budget.
    limits === null ? charges : [...charges, ...holderCharges("app", `${app.partnerId}/${app.name}`, limits, calls, whose)];
  const limits = ctx.services.partners.limitsOf(app.partnerId);
  return limits instanceof Promise ? limits.then((l) => withSession(withApp(l))) : withSession(withApp(limits));
}

type Refused = Extract<RateDecision, { allowed: false }>;

/**
 * Takes every charge at once. All allowed: the headers for the answer. One refused: what the others took is given
 * back, and the error names the first refused in the order charged (requests before calls, partner or app before
 * session), with every budget's headers as they stand after the refunds.
 */
export async function charge(ctx: Context, charges: readonly Charge[]): Promise<{ headers: [string, string][]; refusal: GraphQLError | null }> {
  const { limiter } = ctx.services;
  const decisions = await Promise.all(charges.map((c) => limiter.consume(c.budget, c.key, c.points, c.limit)));
  const index = decisions.findIndex((d) => !d.allowed);
  const refunded = index !== -1;
  if (refunded) {
    const taken = charges.filter((_, i) => decisions[i]?.allowed === true && decisions[i].left !== null);
    await Promise.all(taken.map((c) => limiter.refund(c.budget, c.key, c.points)));
  }
  const reports: PolicyReport[] = [];
  charges.forEach((c, i) => {
    const decision = decisions[i];
    if (decision?.left == null) return;
    const { limit, remaining, resetSeconds } = decision.left;
    const given = refunded && decision.allowed ? Math.min(limit, remaining + c.points) : remaining;
    reports.push({ name: c.budget, quota: limit, windowSeconds: limiter.windowSeconds(c.budget), remaining: given, resetSeconds });
  });
  const headers = rateLimitFields(reports);
  if (!refunded) return { headers, refusal: null };
  const refused = decisions[index] as Refused;
  const c = charges[index] as Charge;
  const detail = c.budget.endsWith(CALLS) ? `This operation may make ${c.points} and ${refused.left.remaining} are left.` : undefined;
  return {
    headers,
    refusal: rateLimited(refused, c.what, {
      windowSeconds: limiter.windowSeconds(c.budget),
      ...(detail === undefined ? {} : { detail }),
      headers: Object.fromEntries(headers),
    }),
  };
}

export function usePartnerBudgets(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as unknown as Context;
      const owed = chargesFor(ctx);
      // Nothing owed (no key, no app, no session): no work, no promise.
      if (owed === null) return;
      return Promise.resolve(owed)
        .then((charges) => charge(ctx, charges))
        .then(({ headers, refusal }) => {
          if (refusal !== null) setResultAndStopExecution({ errors: [refusal] });
          else ctx.responseHeaders.push(...headers);
        });
    },
  };
}
