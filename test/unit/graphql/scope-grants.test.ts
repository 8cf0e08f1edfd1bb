// Who gets a partner scope (src/graphql/scope-grants.ts): a key's partner exactly its scopes; without a key, a live
// browser session the user scopes, development mode the rest but uri:push and credentials:manage; and what a
// caller without the scope is told.
import { AuthScopeFailureType, type AuthFailure } from "@pothos/plugin-scope-auth";
import { buildSchema } from "graphql";
import { describe, expect, it } from "vitest";
import type { SessionRecord } from "../../../src/auth/records.js";
import type { UserAccess } from "../../../src/auth/user-access.js";
import { InvalidTokenError } from "../../../src/digilocker/index.js";
import type { Partner } from "../../../src/partners/partners.js";
import type { PartnerScope } from "../../../src/partners/scopes.js";
import { fieldLabel, needsScope, refusedScope, scopeGranted, scopeRefusal, type GrantContext } from "../../../src/graphql/scope-grants.js";
import { EVERY_PARTNER_SCOPE } from "../../helpers/scopes.js";

const ALL: readonly PartnerScope[] = EVERY_PARTNER_SCOPE;
const USER: PartnerScope[] = ["catalogue:read", "documents:contents", "documents:pull", "files:upload"];

function partner(scopes: PartnerScope[]): Partner {
  const at = new Date("2026-01-01T00:00:00Z");
  return { id: "ptn_aaaaaaaaaaaa", name: "Acme", status: "active", scopes, redirectOrigins: [], limits: { requests: null, digilockerCalls: null }, createdAt: at, updatedAt: at };
}

/** A viewer whose session() answers `record` (and counts its calls). */
function viewer(kind: "session" | "bearer", record: SessionRecord | null, refusal: InvalidTokenError | null = null) {
  const calls = { session: 0 };
  const access = {
    kind,
    refusal,
    session: () => {
      calls.session++;
      return Promise.resolve(kind === "bearer" ? null : record);
    },
  } as unknown as UserAccess;
  return { access, calls };
}

const LIVE = { id: "s-1" } as unknown as SessionRecord;

function context(over: Partial<Omit<GrantContext, "services">> & { production?: boolean; registered?: boolean | Error } = {}) {
  const calls = { anyRegistered: 0 };
  const ctx: GrantContext = {
    apiKey: over.apiKey ?? null,
    partner: over.partner ?? null,
    viewer: over.viewer ?? null,
    developmentGrant: false,
    services: {
      production: over.production ?? false,
      partners: {
        anyRegistered: () => {
          calls.anyRegistered++;
          const r = over.registered ?? true;
          return r instanceof Error ? Promise.reject(r) : Promise.resolve(r);
        },
      },
    },
  };
  return { ctx, calls };
}

describe("scopeGranted with an accepted key", () => {
  it.each(ALL)("%s: granted iff the partner has it, synchronously, nothing else asked", (scope) => {
    const { ctx, calls } = context({ apiKey: "dlg_…", partner: partner([scope]), viewer: viewer("session", LIVE).access, registered: false });
    expect(scopeGranted(ctx, scope)).toBe(true);
    const others = ALL.filter((s) => s !== scope);
    for (const other of others) expect(scopeGranted(ctx, other)).toBe(false);
    expect(calls.anyRegistered).toBe(0);
    expect(ctx.developmentGrant).toBe(false);
  });

  it("a partner with no scopes gets none, even with a live session and no partner registered", () => {
    const { ctx } = context({ apiKey: "k", partner: partner([]), viewer: viewer("session", LIVE).access, registered: false });
    expect(ALL.map((s) => scopeGranted(ctx, s))).toEqual(ALL.map(() => false));
  });

  it("a key sent but not accepted (partner null) grants nothing, without development mode or the session", () => {
    const session = viewer("session", LIVE);
    const { ctx, calls } = context({ apiKey: "dlg_bogus", viewer: session.access, registered: false });
    expect(ALL.map((s) => scopeGranted(ctx, s))).toEqual(ALL.map(() => false));
    expect(calls.anyRegistered).toBe(0);
    expect(session.calls.session).toBe(0);
  });
});

describe("scopeGranted without a key, partners registered", () => {
  it.each(ALL)("%s with a live browser session: granted iff a user scope, not development mode", async (scope) => {
    const { ctx } = context({ viewer: viewer("session", LIVE).access });
    expect(await scopeGranted(ctx, scope)).toBe(USER.includes(scope));
    expect(ctx.developmentGrant).toBe(false);
  });

  it.each(USER)("%s with an ended session (session() null): refused", async (scope) => {
    const { ctx } = context({ viewer: viewer("session", null).access });
    expect(await scopeGranted(ctx, scope)).toBe(false);
  });

  it("a session whose token DigiLocker refused during the request: not live, and its record is not read", async () => {
    const refused = new InvalidTokenError({ endpoint: "files.issued", status: 401, code: "invalid_token", description: "Invalid token" });
    const session = viewer("session", LIVE, refused);
    const { ctx } = context({ viewer: session.access });
    expect(await scopeGranted(ctx, "documents:pull")).toBe(false);
    expect(session.calls.session).toBe(0);
  });

  it.each(ALL)("%s with a bearer token alone: refused", async (scope) => {
    const { ctx } = context({ viewer: viewer("bearer", null).access });
    expect(await scopeGranted(ctx, scope)).toBe(false);
  });

  it.each(ALL)("%s with no credentials at all: refused", async (scope) => {
    const { ctx } = context();
    expect(await scopeGranted(ctx, scope)).toBe(false);
  });
});

describe("scopeGranted in development mode (no key, no partner registered)", () => {
  const GRANTED = ALL.filter((s) => s !== "uri:push" && s !== "credentials:manage");

  it.each(GRANTED)("%s: granted, and the context notes it", async (scope) => {
    const { ctx } = context({ registered: false, viewer: viewer("bearer", null).access });
    expect(await scopeGranted(ctx, scope)).toBe(true);
    expect(ctx.developmentGrant).toBe(true);
  });

  it.each(["uri:push", "credentials:manage"] as const)("%s: never, and the registry is not asked", async (scope) => {
    const { ctx, calls } = context({ registered: false, viewer: viewer("session", LIVE).access });
    expect(await scopeGranted(ctx, scope)).toBe(false);
    expect(ctx.developmentGrant).toBe(false);
    expect(calls.anyRegistered).toBe(0);
  });

  it("a user scope a live session has anyway is the session's grant, not development mode's", async () => {
    const { ctx, calls } = context({ registered: false, viewer: viewer("session", LIVE).access });
    expect(await scopeGranted(ctx, "catalogue:read")).toBe(true);
    expect(ctx.developmentGrant).toBe(false);
    expect(calls.anyRegistered).toBe(0);
  });

  it.each(GRANTED)("NODE_ENV=production: %s refused, and the registry is not asked", async (scope) => {
    const { ctx, calls } = context({ registered: false, production: true });
    expect(await scopeGranted(ctx, scope)).toBe(false);
    expect(ctx.developmentGrant).toBe(false);
    expect(calls.anyRegistered).toBe(0);
  });

  it("the registry failing is an error, not a refusal nor a grant", async () => {
    const { ctx } = context({ registered: new Error("database down") });
    await expect(scopeGranted(ctx, "catalogue:read")).rejects.toThrow("database down");
    expect(ctx.developmentGrant).toBe(false);
  });
});

describe("refusedScope", () => {
  const failure = (scope: string, parameter: unknown): AuthFailure => ({ kind: AuthScopeFailureType.AuthScope, scope, parameter, error: null });

  it.each<[string, AuthFailure, string | null]>([
    ["a partner scope", failure("partner", "documents:pull"), "documents:pull"],
    ["inside $any", { kind: AuthScopeFailureType.AnyAuthScopes, failures: [failure("partner", "uri:push")] }, "uri:push"],
    [
      "inside nested $all",
      { kind: AuthScopeFailureType.AllAuthScopes, failures: [{ kind: AuthScopeFailureType.AnyAuthScopes, failures: [failure("partner", "tokens:revoke")] }] },
      "tokens:revoke",
    ],
    ["an unknown scope name", failure("partner", "documents:everything"), null],
    ["a parameter that is no string", failure("partner", { toString: () => "uri:push" }), null],
    ["another loader", failure("admin", "uri:push"), null],
    ["a scope function's false", { kind: AuthScopeFailureType.AuthScopeFunction, error: null }, null],
  ])("%s", (_, input, expected) => {
    expect(refusedScope(input)).toBe(expected);
  });
});

describe("fieldLabel", () => {
  const schema = buildSchema("type Query { statistics: Int } type Mutation { pullDocument: Int } type IssuedDocument { download: Int }");
  it.each([
    ["Query", "statistics", "statistics"],
    ["Mutation", "pullDocument", "pullDocument"],
    ["IssuedDocument", "download", "IssuedDocument.download"],
  ])("%s.%s is %s", (type, fieldName, expected) => {
    const parentType = schema.getType(type);
    expect(fieldLabel({ schema, fieldName, parentType } as Parameters<typeof fieldLabel>[0])).toBe(expected);
  });
});

describe("scopeRefusal", () => {
  it("without a key, a user scope: names the field, the scope, the header and the session", () => {
    const error = scopeRefusal({ partner: null }, "documents:pull", "pullDocument");
    expect(error.message).toBe("pullDocument needs an API key (X-API-Key header) whose partner has the scope documents:pull, or a signed-in session");
    expect(error.extensions).toEqual({ code: "FORBIDDEN", scope: "documents:pull" });
  });

  it("without a key, a partner-only scope: no session offered", () => {
    const error = scopeRefusal({ partner: null }, "accounts:verify", "verifyAccount");
    expect(error.message).toBe("verifyAccount needs an API key (X-API-Key header) whose partner has the scope accounts:verify");
  });

  it("with a key: says the partner lacks it and how an operator grants it", () => {
    const error = scopeRefusal({ partner: partner(["catalogue:read"]) }, "documents:contents", "IssuedDocument.download");
    expect(error.message).toBe(
      "This API key's partner lacks the scope documents:contents, which IssuedDocument.download needs: an operator grants it with `npm run partner -- set-scopes`",
    );
    expect(error.extensions).toEqual({ code: "FORBIDDEN", scope: "documents:contents" });
  });

  it("a failure naming no partner scope: FORBIDDEN without one", () => {
    const error = scopeRefusal({ partner: null }, null, "node");
    expect(error.message).toBe("Not authorized to use node");
    expect(error.extensions).toEqual({ code: "FORBIDDEN" });
  });
});

describe("needsScope", () => {
  it.each([
    ["documents:pull", "Needs the scope `documents:pull`: an API key whose partner has it, or a signed-in browser session (docs/partners.md)."],
    ["accounts:verify", "Needs the scope `accounts:verify`: an API key whose partner has it (docs/partners.md)."],
  ] as const)("%s", (scope, expected) => {
    expect(needsScope(scope)).toBe(expected);
  });
});
