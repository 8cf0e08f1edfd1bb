// Who is calling: a user's bearer token (file, account and pull routes), the client's own credentials
// (token routes), or the meta recipe of ts + SHA-256 (meta routes).
import { createHash, timingSafeEqual } from "node:crypto";
import { errors } from "./errors.js";
import { header, type Reply, type SandboxRequest } from "./http.js";
import type { SandboxContext } from "./router.js";
import type { Grant, SandboxClient, SandboxUser } from "./state.js";

/** Scope names as the spec writes them (Get Access Token, "scope"). */
export const scopes = {
  openid: "openid",
  userDetails: "userdetails",
  issuedDocs: "files.issueddocs",
  uploadedDocs: "files.uploadeddocs",
  /** Pull Document for one doctype. */
  pull: (doctype: string) => `partners.${doctype}`,
  /** Get File from URI for one document. */
  file: (uri: string) => `issued/${uri}`,
} as const;

export interface Caller {
  user: SandboxUser;
  grant: Grant;
  client: SandboxClient;
}

/** The bearer token's user and grant, or invalid_token (missing, unknown, expired, revoked). */
export function bearerCaller(req: SandboxRequest, ctx: SandboxContext): Caller | Reply {
  const match = /^Bearer\s+(\S+)$/i.exec(header(req, "authorization") ?? "");
  const token = match?.[1] === undefined ? undefined : ctx.state.accessTokens.get(match[1]);
  if (!token || token.revoked || token.expiresAt <= ctx.now()) return errors.invalidToken();
  const grant = ctx.state.grants.get(token.grantId);
  if (!grant || grant.revoked) return errors.invalidToken();
  if (grant.consentValidTill !== null && grant.consentValidTill * 1000 <= ctx.now()) return errors.invalidToken();
  const user = ctx.state.users.get(grant.userId);
  const client = ctx.state.clients.get(grant.clientId);
  if (!user || !client) return errors.invalidToken();
  req.client = client.id;
  return { user, grant, client };
}

export function isReply(value: unknown): value is Reply {
  return typeof value === "object" && value !== null && "status" in value && typeof value.status === "number";
}

/** The client of a token call, by HTTP Basic or by form fields; null when neither authenticates. */
export function tokenClient(req: SandboxRequest, form: Record<string, string>, ctx: SandboxContext): SandboxClient | null {
  const basic = /^Basic\s+(\S+)$/i.exec(header(req, "authorization") ?? "");
  let id: string | undefined;
  let secret: string | undefined;
  if (basic?.[1] !== undefined) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0) {
      id = decoded.slice(0, colon);
      secret = decoded.slice(colon + 1);
    }
  } else {
    id = form.client_id;
    secret = form.client_secret;
  }
  const client = id === undefined ? undefined : ctx.state.clients.get(id);
  if (!client || secret === undefined || !safeEqual(client.secret, secret)) return null;
  req.client = client.id;
  return client;
}

/** Whether Basic authentication was used (refresh and revoke require it). */
export function usedBasic(req: SandboxRequest): boolean {
  return /^Basic\s/i.test(header(req, "authorization") ?? "");
}

const IST_OFFSET_SECONDS = 19_800;
const MAX_TS_AGE_SECONDS = 30 * 60;
/** Clock skew tolerated for a ts from the future. */
const MAX_TS_AHEAD_SECONDS = 5 * 60;

/**
 * A meta call's client, after checking clientid, ts (not older than 30 minutes, spec: "ts") and hmac =
 * hex SHA-256 of secret + the listed fields in order (docs/spec-assumptions.md #1, #2). `hashParts` are
 * the values after the secret and clientid, ending with ts (Push URI continues past it).
 */
export function metaCaller(
  req: SandboxRequest,
  form: Record<string, string>,
  ctx: SandboxContext,
  hashParts: string[],
  extraProblems: string[] = [],
): SandboxClient | Reply {
  const client = ctx.state.clients.get(form.clientid ?? "");
  if (!client) return errors.invalidClientId();
  const problems = [...extraProblems];
  const ts = form.ts ?? "";
  const nowSeconds = Math.floor(ctx.now() / 1000) + (ctx.settings.timestamp === "unix-ist" ? IST_OFFSET_SECONDS : 0);
  const age = nowSeconds - Number(ts);
  if (!/^\d+$/.test(ts) || age > MAX_TS_AGE_SECONDS || age < -MAX_TS_AHEAD_SECONDS) {
    problems.push("Timestamp parameter is missing or invalid");
  }
  const expected = createHash("sha256").update(client.secret + client.id + hashParts.join("")).digest("hex");
  if (!safeEqual(expected, (form.hmac ?? "").toLowerCase())) problems.push("HMAC parameter is missing or invalid");
  if (problems.length > 0) return errors.invalidParameter(problems);
  req.client = client.id;
  return client;
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
