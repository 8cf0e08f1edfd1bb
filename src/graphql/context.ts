// A fresh context per request: whose data it reads (bearer token or session cookie), the shared services,
// this request's loaders, and the cookies a mutation wants set on the response.
import type { Auth } from "../auth/index.js";
import { bearerAccess, sessionAccess, type UserAccess } from "../auth/user-access.js";
import type { CatalogMemo } from "../cache/catalog-memo.js";
import type { MetaCache } from "../cache/meta-cache.js";
import type { UserData } from "../cache/user-data.js";
import type { TrustProxy } from "../config.js";
import type { DigiLockerClient } from "../digilocker/index.js";
import type { DocumentContents } from "../documents/document-contents.js";
import type { DownloadLinks } from "../files/download-links.js";
import type { Database } from "../db/database.js";
import type { Partner, Partners } from "../partners/partners.js";
import type { Tenant } from "../tenants/tenant-clients.js";
import type { Tenants } from "../tenants/tenants.js";
import type { FieldNode } from "graphql";
import { CSRF_HEADERS } from "../server/csrf.js";
import type { RateLimiter } from "../server/rate-limiter.js";
import type { RequestScope } from "../server/request-id.js";
import type { Store } from "../store/index.js";
import { createLoaders, type Loaders } from "./loaders.js";
import type { OperationPrice } from "./operation-limits.js";
import type { CatalogEntry } from "./types/catalog.js";

/**
 * What serves a request's DigiLocker calls (docs/tenants.md): a client, its meta cache and catalogue memo, and whose
 * credentials they are (`identity`: null for the gateway's own).
 */
export type DigiLocker = Tenant<CatalogEntry>;

/** Long-lived pieces shared by every request. */
export interface Services {
  /**
   * The gateway's own client, meta cache and catalogue (also `tenants.clients.gateway`). Resolvers use the request's
   * (`Context.digilocker`), which is a partner's own when it has credentials.
   */
  client: DigiLockerClient;
  meta: MetaCache;
  /** The document catalogue derived from meta's lists, kept while they are the same lists (catalog-memo.ts). */
  catalog: CatalogMemo<CatalogEntry>;
  userData: UserData;
  auth: Auth;
  /** Where sessions, sign-in states and consent requests' session links are kept (readiness pings it). */
  store: Store;
  /** Per-client budgets (docs/limits.md, "Rate limits"). */
  limiter: RateLimiter;
  /** Whose X-Forwarded-For names the client (TRUST_PROXY). */
  trustProxy: TrustProxy;
  /** Most DigiLocker calls one request's loaders start on its callers' behalf (GRAPHQL_MAX_UPSTREAM_CALLS). */
  upstreamBudget: number;
  /** The durable store (src/db/): partners, consent requests, tenants' credentials. */
  database: Database;
  /** Partners and their API keys (docs/partners.md). */
  partners: Partners;
  /** Partners' own DigiLocker credentials and the clients built from them (docs/tenants.md). */
  tenants: Tenants<CatalogEntry>;
  /** NODE_ENV=production: no development mode, whether or not a partner is registered. */
  production: boolean;
  /** Certificate data and e-Aadhaar read out of their XML, signatures checked against the pinned signers. */
  contents: DocumentContents;
  /** Signed, expiring links that stream a DigiLocker file through GET /files/<link> (docs/downloads.md). */
  downloadLinks: DownloadLinks;
}

export interface Context {
  services: Services;
  /** `Authorization: Bearer <DigiLocker token>` (server callers) wins over the session cookie (browsers); null when neither. */
  viewer: UserAccess | null;
  /** The browser's session id, from the session cookie. */
  sessionId: string | null;
  /** The browser's Origin header (a relative returnTo comes back to it when it is the gateway's own). */
  origin: string | null;
  /** `X-API-Key` as sent, checked before the operation runs (server/api-keys.ts); null without one. */
  apiKey: string | null;
  /** The partner whose key was accepted; null without a key (api-keys.ts refuses the request when it is not accepted). */
  partner: Partner | null;
  /**
   * The app the request names in X-GraphQL-Client-Name and X-GraphQL-Client-Version (docs/production.md), once a
   * published manifest of that name and version is found; `partnerId` is whose app it is (null: the gateway's own).
   * It selects the persisted documents a request may run, and its budget; it grants no scope.
   */
  app: { name: string; version: string; partnerId: string | null } | null;
  /** Set when a scope was granted only because the gateway runs in development mode: the answer then says so. */
  developmentGrant: boolean;
  /**
   * The client, meta cache and catalogue memo this request's DigiLocker calls go through: its partner's own once its
   * key is accepted and it has credentials (held for the operation by src/server/tenant-lease.ts), else the gateway's.
   * Meta calls and bearer tokens use it; a session's calls use the client the session was made with (loaders.ts).
   */
  digilocker: DigiLocker;
  loaders: Loaders;
  /**
   * Headers for the HTTP response, as [lowercase name, value] (sign-out's Set-Cookie, the budgets' RateLimit): yoga
   * gives resolvers and plugins no response, so both server paths add these to theirs (app.ts, json-post.ts).
   */
  responseHeaders: [string, string][];
  /**
   * Where this request's User objects sit in the answer (`viewer`, `ConsentRequest.user`) and whose data they read:
   * src/server/dead-token.ts gives a User whose token died one answer, null and a single UNAUTHENTICATED error.
   */
  users: { path: readonly (string | number)[]; access: UserAccess; nodes: readonly FieldNode[] }[];
  /** The client's address as the rate limits key it (client-address.ts). */
  clientKey: string;
  /** The operation's price, set by the operation limits just before it runs. */
  price: OperationPrice | null;
  /** This request's id (server/request-id.ts): echoed in `X-Request-Id`, on its log lines and its masked errors. */
  requestId: string;
  /** The id and a logger that puts it on every line (`scope.log`, a pino child made on first use). */
  scope: RequestScope;
}

export interface IncomingRequest {
  method: string;
  headers: { get(name: string): string | null };
}

/**
 * A form or text/plain POST is a "simple" request a browser sends cross-origin without asking first; it never
 * carries the session (CSRF). JSON needs a CORS preflight, which only allowed origins pass (app.ts). A multipart
 * upload carries it only with a CSRF-prevention header, which no cross-site form can set and which makes the
 * browser ask first; without one, csrf.ts has refused the request (403) before this runs.
 */
function mayCarrySession(request: IncomingRequest): boolean {
  if (request.method === "GET") return true;
  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "multipart/form-data") return CSRF_HEADERS.some((name) => request.headers.get(name) !== null);
  return type === "application/json" || type === "application/graphql-response+json" || type === "application/graphql+json";
}

/** `clientKey`: the client's address as the rate limits key it (client-address.ts); `scope`: its id and logger. */
export function createContext(services: Services, request: IncomingRequest, clientKey: string, scope: RequestScope): Context {
  const { headers } = request;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "");
  const bearer = match?.[1] ?? null;
  const sessionId = mayCarrySession(request) ? services.auth.cookie.read(headers.get("cookie")) : null;
  const viewer = bearer !== null ? bearerAccess(bearer) : sessionId !== null ? sessionAccess(services.auth.sessions, sessionId, scope) : null;
  const digilocker = services.tenants.clients.gateway;
  return {
    services,
    viewer,
    sessionId,
    origin: headers.get("origin"),
    apiKey: headers.get("x-api-key"),
    partner: null,
    app: null,
    developmentGrant: false,
    digilocker,
    loaders: createLoaders(services, digilocker),
    responseHeaders: [],
    users: [],
    clientKey,
    price: null,
    requestId: scope.requestId,
    scope,
  };
}
