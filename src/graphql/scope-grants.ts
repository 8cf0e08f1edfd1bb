// Who gets a partner scope (docs/partners.md, "Who gets a scope"), and what a caller without it is told. builder.ts's
// scope loader asks scopeGranted once per scope and request (plugin-scope-auth caches the answer on the context).
import { AuthScopeFailureType, type AuthFailure } from "@pothos/plugin-scope-auth";
import { GraphQLError, type GraphQLResolveInfo } from "graphql";
import type { UserAccess } from "../auth/user-access.js";
import type { Partner } from "../partners/partners.js";
import { isPartnerScope, type PartnerScope } from "../partners/scopes.js";

/** The scopes a signed-in browser session has without a key: the user acts on their own DigiLocker. */
export const userScopes: ReadonlySet<PartnerScope> = new Set(["catalogue:read", "documents:contents", "documents:pull", "files:upload"]);

/** Never granted by development mode: pushing in the gateway's issuer name and setting credentials always need a key. */
const keyOnlyScopes: ReadonlySet<PartnerScope> = new Set(["uri:push", "credentials:manage"]);

/** What of a request's context decides a grant (Context has it all). */
export interface GrantContext {
  readonly apiKey: string | null;
  readonly partner: Partner | null;
  readonly viewer: UserAccess | null;
  developmentGrant: boolean;
  readonly services: { readonly production: boolean; readonly partners: { anyRegistered(): boolean | Promise<boolean> } };
}

/**
 * Whether the request has `scope`: synchronous with a key (its partner's scopes); without one, a live browser
 * session has the user scopes, and development mode (no partner registered, not production) the rest but
 * keyOnlyScopes, noting on the context that it granted. A store or database failure rejects: it is no refusal.
 */
export function scopeGranted(ctx: GrantContext, scope: PartnerScope): boolean | Promise<boolean> {
  if (ctx.partner !== null) return ctx.partner.scopes.includes(scope);
  // api-keys.ts refuses a request whose key it does not accept before any field runs; should one get here, its
  // key grants nothing, and it never falls back to the session or development mode.
  if (ctx.apiKey !== null) return false;
  return withoutKey(ctx, scope);
}

// Synchronous unless a session must be read or the partner registry asked: a keyless read of the catalogue (the
// bench's `statistics`) decides without a promise once the registry's answer is cached.
function withoutKey(ctx: GrantContext, scope: PartnerScope): boolean | Promise<boolean> {
  const viewer = ctx.viewer;
  // A session whose token DigiLocker refused during this request is being ended; a bearer token is no session (its
  // caller is a backend, which sends a key).
  if (userScopes.has(scope) && viewer?.kind === "session" && viewer.refusal === null) {
    return viewer.session().then((live) => (live !== null ? true : developmentGrant(ctx, scope)));
  }
  return developmentGrant(ctx, scope);
}

function developmentGrant(ctx: GrantContext, scope: PartnerScope): boolean | Promise<boolean> {
  if (keyOnlyScopes.has(scope) || ctx.services.production) return false;
  const registered = ctx.services.partners.anyRegistered();
  const decide = (any: boolean) => {
    if (any) return false;
    ctx.developmentGrant = true;
    return true;
  };
  return typeof registered === "boolean" ? decide(registered) : registered.then(decide);
}

/** The scope a refusal is about: the `partner` scope's parameter in scope-auth's failure tree, or null. */
export function refusedScope(failure: AuthFailure): PartnerScope | null {
  if (failure.kind === AuthScopeFailureType.AuthScope) {
    return failure.scope === "partner" && typeof failure.parameter === "string" && isPartnerScope(failure.parameter) ? failure.parameter : null;
  }
  if (failure.kind === AuthScopeFailureType.AnyAuthScopes || failure.kind === AuthScopeFailureType.AllAuthScopes) {
    for (const inner of failure.failures) {
      const scope = refusedScope(inner);
      if (scope !== null) return scope;
    }
  }
  return null;
}

/** `pullDocument` for a root field, `IssuedDocument.download` for any other. */
export function fieldLabel(info: Pick<GraphQLResolveInfo, "fieldName" | "parentType" | "schema">): string {
  const { parentType, schema } = info;
  const root = parentType === schema.getQueryType() || parentType === schema.getMutationType() || parentType === schema.getSubscriptionType();
  return root ? info.fieldName : `${parentType.name}.${info.fieldName}`;
}

/**
 * The error a caller without the scope gets, saying what to fix. Names the scope and the field only: never a key,
 * a token or anything else the request sent.
 */
export function scopeRefusal(ctx: Pick<GrantContext, "partner">, scope: PartnerScope | null, field: string): GraphQLError {
  if (scope === null) return new GraphQLError(`Not authorized to use ${field}`, { extensions: { code: "FORBIDDEN" } });
  const message =
    ctx.partner !== null
      ? `This API key's partner lacks the scope ${scope}, which ${field} needs: an operator grants it with \`npm run partner -- set-scopes\``
      : `${field} needs an API key (X-API-Key header) whose partner has the scope ${scope}${userScopes.has(scope) ? ", or a signed-in session" : ""}`;
  return new GraphQLError(message, { extensions: { code: "FORBIDDEN", scope } });
}

/** The sentence a guarded field's description ends with, so GraphiQL shows who may use it. */
export function needsScope(scope: PartnerScope): string {
  const who = userScopes.has(scope) ? "an API key whose partner has it, or a signed-in browser session" : "an API key whose partner has it";
  return `Needs the scope \`${scope}\`: ${who} (docs/partners.md).`;
}
