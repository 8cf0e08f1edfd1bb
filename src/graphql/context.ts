// A fresh context per request: whose data it reads (bearer token or session cookie), the shared services,
// this request's loaders, and the cookies a mutation wants set on the response.
import type { Auth } from "../auth/index.js";
import { bearerAccess, sessionAccess, type UserAccess } from "../auth/user-access.js";
import type { MetaCache } from "../cache/meta-cache.js";
import type { UserData } from "../cache/user-data.js";
import type { DigiLockerClient } from "../digilocker/index.js";
import { createLoaders, type Loaders } from "./loaders.js";

/** Long-lived pieces shared by every request. */
export interface Services {
  client: DigiLockerClient;
  meta: MetaCache;
  userData: UserData;
  auth: Auth;
  /** Most DigiLocker calls one request's loaders start on its callers' behalf (GRAPHQL_MAX_UPSTREAM_CALLS). */
  upstreamBudget: number;
}

export interface Context {
  services: Services;
  /** `Authorization: Bearer <DigiLocker token>` (server callers) wins over the session cookie (browsers); null when neither. */
  viewer: UserAccess | null;
  /** The browser's session id, from the session cookie. */
  sessionId: string | null;
  /** The browser's Origin header (a relative returnTo comes back to it when it is the gateway's own). */
  origin: string | null;
  /** `X-Partner-Id`: recorded on consent requests; not authenticated yet (docs/sign-in.md). */
  partner: string | null;
  loaders: Loaders;
  /** Set-Cookie lines for the response (sign-out clears the session cookie). */
  setCookies: string[];
}

export interface IncomingRequest {
  method: string;
  headers: { get(name: string): string | null };
}

/**
 * A form or text/plain POST is a "simple" request a browser sends cross-origin without asking first; it never
 * carries the session (CSRF). JSON needs a CORS preflight, which only allowed origins pass (app.ts).
 */
function mayCarrySession(request: IncomingRequest): boolean {
  if (request.method === "GET") return true;
  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || type === "application/graphql-response+json" || type === "application/graphql+json";
}

export function createContext(services: Services, request: IncomingRequest): Context {
  const { headers } = request;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "");
  const bearer = match?.[1] ?? null;
  const sessionId = mayCarrySession(request) ? services.auth.cookie.read(headers.get("cookie")) : null;
  const partner = headers.get("x-partner-id")?.trim().slice(0, 100) || null;
  const viewer = bearer !== null ? bearerAccess(bearer) : sessionId !== null ? sessionAccess(services.auth.sessions, sessionId) : null;
  return { services, viewer, sessionId, origin: headers.get("origin"), partner, loaders: createLoaders(services), setCookies: [] };
}
