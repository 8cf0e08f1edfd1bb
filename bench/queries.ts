// The four cases: a GraphQL query for the gateway and the raw service's path that returns the same data.
import { RAW_PATHS } from "./raw-service.js";

export interface BenchQuery {
  id: keyof typeof RAW_PATHS;
  title: string;
  /** What the raw service does for it. */
  raw: string;
  query: string;
  /** Whether the request carries the user's bearer token. */
  user: boolean;
}

export const QUERIES: readonly BenchQuery[] = [
  {
    id: "issued",
    title: "viewer.issuedDocuments { name issuer { name } }",
    raw: "GET /oauth2/2/files/issued (bearer); issuer names from the issuer list fetched once at start",
    query: "{ viewer { issuedDocuments { name issuer { name } } } }",
    user: true,
  },
  {
    id: "catalog",
    title: "documentCatalog, first page (20)",
    raw: "the whole catalogue (issuers + every issuer's doctypes) fetched once at start; each request serves page 1 from memory",
    query: "{ documentCatalog { totalCount edges { node { code description issuer { orgId name } } } } }",
    user: false,
  },
  {
    id: "statistics",
    title: "statistics",
    raw: "POST /statistics/1/counts, signed, every request (the gateway caches it for STATISTICS_CACHE_TTL_SECONDS)",
    query: "{ statistics { users authenticDocuments issuers requesters monthwiseRegistrations { year month count } } }",
    user: false,
  },
  {
    id: "folder",
    title: "viewer.rootFolder.items (folder listing)",
    raw: "GET /oauth2/1/files/ (bearer), every request",
    query: "{ viewer { rootFolder { items { edges { node { __typename ... on Folder { name } ... on UploadedFile { name } } } } } } }",
    user: true,
  },
];

/** The seeded user whose locker the benchmark reads: Priya (12 issued documents from 9 issuers, two folders). */
export const BENCH_USER = "6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f";
export const BENCH_SCOPES = ["userdetails", "files.issueddocs", "files.uploadeddocs"];

export interface HttpRequestSpec {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  /** Under load, connection i sends these headers instead (its own token): see `tokens` below. */
  perConnection?: readonly Record<string, string>[];
}

/**
 * `tokens`: one per load connection, all for the bench user. With one token per connection nothing is shared
 * between connections (the gateway single-flights per token), so the rows measure the gateway's overhead, not
 * its sharing; a single shared token measures the sharing (BENCH_TOKENS=shared).
 */
function withTokens(spec: Omit<HttpRequestSpec, "perConnection">, q: BenchQuery, tokens: readonly string[]): HttpRequestSpec {
  const [first] = tokens;
  if (!q.user || first === undefined) return spec;
  const auth = (token: string) => ({ ...spec.headers, authorization: `Bearer ${token}` });
  return { ...spec, headers: auth(first), ...(tokens.length > 1 ? { perConnection: tokens.map(auth) } : {}) };
}

/** `extra`: headers every request carries besides (a partner's X-API-Key, when the child made one). */
export function gatewayRequest(gatewayUrl: string, q: BenchQuery, tokens: readonly string[], extra: Record<string, string> = {}): HttpRequestSpec {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json", ...extra };
  return withTokens({ url: `${gatewayUrl}/graphql`, method: "POST", headers, body: JSON.stringify({ query: q.query }) }, q, tokens);
}

export function rawRequest(rawUrl: string, q: BenchQuery, tokens: readonly string[]): HttpRequestSpec {
  return withTokens({ url: rawUrl + RAW_PATHS[q.id], method: "GET", headers: { accept: "application/json" } }, q, tokens);
}
