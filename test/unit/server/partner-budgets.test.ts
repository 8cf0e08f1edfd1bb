// Which budgets a request is charged (partner-budgets.ts), decided from its context alone.
import { describe, expect, it } from "vitest";
import type { Context } from "../../../src/graphql/context.js";
import type { PartnerLimits } from "../../../src/partners/partners.js";
import { chargesFor, sessionKey } from "../../../src/server/partner-budgets.js";

const SESSION_ID = "s3cret-session-id-from-the-cookie";

function context(options: {
  partner?: PartnerLimits;
  app?: { name: string; partnerId: string | null };
  appLimits?: PartnerLimits | null;
  viewer?: "session" | "bearer";
  live?: boolean;
  calls?: number;
}): { ctx: Context; lookups: string[] } {
  const lookups: string[] = [];
  const ctx = {
    price: { upstreamCalls: options.calls ?? 0 },
    partner: options.partner === undefined ? null : { id: "ptn_aaaaaaaaaaaa", limits: options.partner },
    app: options.app === undefined ? null : { ...options.app, version: "1.0.0" },
    sessionId: options.viewer === "session" ? SESSION_ID : null,
    viewer:
      options.viewer === undefined
        ? null
        : { kind: options.viewer, session: () => Promise.resolve(options.live === false ? null : { id: "record" }) },
    services: {
      partners: {
        limitsOf: (id: string) => {
          lookups.push(id);
          return options.appLimits ?? null;
        },
      },
    },
  } as unknown as Context;
  return { ctx, lookups };
}

describe("chargesFor", () => {
  it("charges nothing, synchronously, without a key, an app or a session (a bearer token's request)", () => {
    expect(chargesFor(context({ viewer: "bearer", calls: 5 }).ctx)).toBeNull();
    expect(chargesFor(context({ calls: 1 }).ctx)).toBeNull();
    // The gateway's own app belongs to no partner.
    expect(chargesFor(context({ app: { name: "web", partnerId: null } }).ctx)).toBeNull();
  });

  it("charges a partner a request and the operation's DigiLocker calls, at its own limits (null: the default)", () => {
    expect(chargesFor(context({ partner: { requests: 3, digilockerCalls: null }, calls: 4 }).ctx)).toEqual([
      { budget: "partner-requests", key: "ptn_aaaaaaaaaaaa", points: 1, limit: 3, what: "requests with this partner's API key" },
      { budget: "partner-digilocker-calls", key: "ptn_aaaaaaaaaaaa", points: 4, limit: undefined, what: "DigiLocker calls with this partner's API key" },
    ]);
    // No DigiLocker call: nothing from the calls budget. 0 stays 0 (unlimited).
    expect(chargesFor(context({ partner: { requests: 0, digilockerCalls: 7 } }).ctx)).toEqual([
      { budget: "partner-requests", key: "ptn_aaaaaaaaaaaa", points: 1, limit: 0, what: "requests with this partner's API key" },
    ]);
  });

  it("charges a keyless partner app at its partner's limits, each app on its own key", () => {
    const { ctx, lookups } = context({ app: { name: "kyc-web", partnerId: "ptn_bbbbbbbbbbbb" }, appLimits: { requests: 10, digilockerCalls: 0 }, calls: 2 });
    expect(chargesFor(ctx)).toEqual([
      { budget: "app-requests", key: "ptn_bbbbbbbbbbbb/kyc-web", points: 1, limit: 10, what: 'requests from the app "kyc-web"' },
      { budget: "app-digilocker-calls", key: "ptn_bbbbbbbbbbbb/kyc-web", points: 2, limit: 0, what: 'DigiLocker calls from the app "kyc-web"' },
    ]);
    expect(lookups).toEqual(["ptn_bbbbbbbbbbbb"]);
    // A request with an accepted key is the partner's, whatever app it names.
    const keyed = context({ partner: { requests: null, digilockerCalls: null }, app: { name: "kyc-web", partnerId: "ptn_bbbbbbbbbbbb" } });
    expect(chargesFor(keyed.ctx)).toMatchObject([{ budget: "partner-requests" }]);
    expect(keyed.lookups).toEqual([]);
    // The partner is gone: no budget.
    expect(chargesFor(context({ app: { name: "kyc-web", partnerId: "ptn_gone" }, appLimits: null }).ctx)).toEqual([]);
  });

  it("charges a live session under its id's hash, never the id, and a session that is not live nothing", async () => {
    const charges = await chargesFor(context({ viewer: "session", calls: 1 }).ctx);
    expect(charges).toEqual([
      { budget: "session-requests", key: sessionKey(SESSION_ID), points: 1, limit: undefined, what: "requests in this browser session" },
      { budget: "session-digilocker-calls", key: sessionKey(SESSION_ID), points: 1, limit: undefined, what: "DigiLocker calls in this browser session" },
    ]);
    expect(JSON.stringify(charges)).not.toContain(SESSION_ID);
    expect(sessionKey(SESSION_ID)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(sessionKey(SESSION_ID)).not.toBe(sessionKey(`${SESSION_ID}x`));
    expect(await chargesFor(context({ viewer: "session", live: false, calls: 1 }).ctx)).toEqual([]);
    // A partner's request with a session cookie draws on both.
    const both = await chargesFor(context({ partner: { requests: null, digilockerCalls: null }, viewer: "session" }).ctx);
    expect(both?.map((c) => c.budget)).toEqual(["partner-requests", "session-requests"]);
  });
});
