// Grants, codes and tokens: the sandbox's OAuth bookkeeping, shared by the token routes and the
// "get a token" page.
import { randomBytes, randomUUID } from "node:crypto";
import type { SandboxContext } from "./router.js";
import type { Grant } from "./state.js";

/** 40 hex characters, like the spec's sample tokens. */
export function opaqueToken(): string {
  return randomBytes(20).toString("hex");
}

export interface GrantInput {
  clientId: string;
  userId: string;
  scopes: string[];
  acr?: string | null;
  /** The purpose the user left chosen on the consent page (spec 136). */
  purpose?: string | null;
  consentValidTill?: number | null;
}

export function createGrant(ctx: SandboxContext, input: GrantInput): Grant {
  const grant: Grant = {
    id: randomUUID(),
    clientId: input.clientId,
    userId: input.userId,
    scopes: [...new Set(input.scopes)],
    acr: input.acr ?? null,
    purpose: input.purpose ?? null,
    consentValidTill: input.consentValidTill ?? null,
    authTime: Math.floor(ctx.now() / 1000),
    revoked: false,
  };
  ctx.state.grants.set(grant.id, grant);
  return grant;
}

export interface IssuedTokens {
  accessToken: string;
  expiresIn: number;
  refreshToken: string | null;
}

/** A fresh access token (and refresh token when asked) for a grant; older refresh tokens of the grant stop working. */
export function issueTokens(ctx: SandboxContext, grant: Grant, withRefresh: boolean): IssuedTokens {
  const expiresIn = ctx.settings.accessTokenTtlSeconds;
  const accessToken = opaqueToken();
  ctx.state.accessTokens.set(accessToken, { token: accessToken, grantId: grant.id, expiresAt: ctx.now() + expiresIn * 1000, revoked: false });
  let refreshToken: string | null = null;
  if (withRefresh) {
    for (const rt of ctx.state.refreshTokens.values()) if (rt.grantId === grant.id) rt.revoked = true;
    refreshToken = opaqueToken();
    ctx.state.refreshTokens.set(refreshToken, { token: refreshToken, grantId: grant.id, revoked: false });
  }
  return { accessToken, expiresIn, refreshToken };
}

/** Revokes a grant with every token issued under it (spec, Revoke Token: "other tokens based on the same authorisation grant"). */
export function revokeGrant(ctx: SandboxContext, grantId: string): void {
  const grant = ctx.state.grants.get(grantId);
  if (grant) grant.revoked = true;
  for (const t of ctx.state.accessTokens.values()) if (t.grantId === grantId) t.revoked = true;
  for (const t of ctx.state.refreshTokens.values()) if (t.grantId === grantId) t.revoked = true;
}
