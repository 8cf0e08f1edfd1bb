// What `npm run chaos` sends: the bench's read profiles, issue #11's hostile reproductions, and malformed bodies.
// Each hostile document is made unique per request (a nonce in its operation name or ids), so the gateway's
// parse/validate cache cannot answer a repeat for free: every one costs what the first did.
import { readFileSync } from "node:fs";

export type Family = "read" | "hostile" | "malformed";

export interface ChaosRequest {
  /** e.g. "read:statistics", "hostile:aliases", "malformed:truncated-json" */
  kind: string;
  family: Family;
  body: string;
  contentType: string;
  /** Whether it carries the connection's bearer token. */
  user: boolean;
}

interface ReadProfile {
  id: string;
  user: boolean;
  body: string;
  /** The upstream endpoint whose cache answers it when warm (the cache table of RESILIENCE.md); none for per-user data. */
  cachedBy?: string;
}

const JSON_TYPE = "application/json";

/** The operations a frontend ships (schema/operations/), so the chaos reads are the ones codegen types. */
function operation(file: string): string {
  return readFileSync(new URL(`../schema/operations/${file}`, import.meta.url), "utf8");
}

const graphql = (query: string, variables?: Record<string, unknown>) => JSON.stringify(variables === undefined ? { query } : { query, variables });

export const READS: readonly ReadProfile[] = [
  { id: "statistics", user: false, body: graphql(operation("statistics.graphql")), cachedBy: "meta.statistics" },
  { id: "issued", user: true, body: graphql(operation("viewer-with-issued-documents.graphql")) },
  { id: "folder-tree", user: true, body: graphql(operation("folder-tree.graphql")) },
  {
    id: "catalogue",
    user: false,
    body: graphql(operation("catalogue-search.graphql"), { search: "marksheet", issuerSearch: "cbse", first: 5 }),
    cachedBy: "meta.parameters",
  },
  {
    id: "issuers",
    user: false,
    body: graphql("{ issuers(first: 20) { totalCount pageInfo { hasNextPage endCursor } edges { node { id orgId name categories } } } }"),
    cachedBy: "meta.issuers",
  },
  { id: "account", user: true, body: graphql("{ viewer { digilockerId name dateOfBirth gender eAadhaarAvailable } }") },
];

const times = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(" ");

interface HostileProfile {
  id: string;
  user: boolean;
  query(nonce: string): string;
}

/** Issue #11's reproductions, each as its report describes it. */
export const HOSTILE: readonly HostileProfile[] = [
  // (1) 4,000 aliases of one cheap field: ~115 kB of query, 4,000 resolver calls.
  { id: "aliases", user: false, query: (n) => `query A${n} { ${times(4000, (i) => `a${i}: node(id: "x") { id }`)} }` },
  // (2) An issuer that does not exist, nested 400 times: depth without data.
  {
    id: "deep-nesting",
    user: false,
    query: (n) => `query D${n} { issuer(orgId: "nope") { ${"docTypes { issuer { ".repeat(400)}orgId${" } }".repeat(400)} } }`,
  },
  // (3) A real issuer (CBSE) with 8 levels of docTypes → issuer: every level multiplies by CBSE's doctype count.
  {
    id: "fan-out",
    user: false,
    query: (n) => `query W${n} { issuer(orgId: "000018") { ${"docTypes { code issuer { ".repeat(8)}orgId${" } }".repeat(8)} } }`,
  },
  // (4) 24 fragments, each spreading the one before twice: 2^23 spreads of one field once expanded.
  {
    id: "fragment-bomb",
    user: false,
    query: (n) =>
      `query F${n} { statistics { ...F23 } } fragment F0 on Stats { users } ` +
      times(23, (i) => `fragment F${i + 1} on Stats { ...F${i} ...F${i} }`),
  },
  // (5) 300 revocations in one request: 300 upstream mutations. The tokens are made up, never the chaos run's own.
  {
    id: "revoke-batch",
    user: false,
    query: (n) => `mutation R${n} { ${times(300, (i) => `r${i}: revokeToken(input: {token: "chaos-${n}-${i}"}) { revoked }`)} }`,
  },
  // (6) 1,000 folder reads with distinct ids: 1,000 upstream calls on the caller's token.
  {
    id: "folder-aliases",
    user: true,
    query: (n) => `query V${n} { ${times(1000, (i) => `f${i}: viewer { folder(id: "${9_000_000 + i}") { name } }`)} }`,
  },
];

/** Bodies no client should send; each must get a coded 4xx, never a 5xx or a hang. */
export const MALFORMED: readonly { id: string; contentType: string; body: string }[] = [
  { id: "truncated-json", contentType: JSON_TYPE, body: '{"query":"{ statistics { users }' },
  { id: "not-json", contentType: JSON_TYPE, body: "{ statistics { users } }" },
  { id: "query-not-string", contentType: JSON_TYPE, body: '{"query":42}' },
  { id: "empty-body", contentType: JSON_TYPE, body: "" },
  { id: "parse-error", contentType: JSON_TYPE, body: graphql("{ statistics { users ") },
  { id: "unknown-field", contentType: JSON_TYPE, body: graphql("{ nope }") },
  { id: "wrong-content-type", contentType: "text/plain", body: graphql("{ statistics { users } }") },
  // Past GRAPHQL_MAX_BODY_BYTES (100 KiB): 300 kB of padding in the variables.
  { id: "oversized", contentType: JSON_TYPE, body: graphql("{ statistics { users } }", { pad: "x".repeat(300_000) }) },
];

function pickFrom<T>(items: readonly T[], random: () => number): T {
  const item = items[Math.floor(random() * items.length)] ?? items[0];
  if (item === undefined) throw new Error("nothing to pick from");
  return item;
}

/** Every hostile kind's id, "malformed" (the malformed bodies, as one kind) included: CHAOS_HOSTILE_KINDS picks among them. */
export const HOSTILE_KINDS: readonly string[] = [...HOSTILE.map((h) => h.id), "malformed"];

/** One request: a hostile one of `hostileKinds` with `hostileShare`, else a read. */
export function nextRequest(hostileShare: number, hostileKinds: readonly string[], random: () => number): ChaosRequest {
  if (hostileKinds.length === 0 || random() >= hostileShare) {
    const r = pickFrom(READS, random);
    return { kind: `read:${r.id}`, family: "read", body: r.body, contentType: JSON_TYPE, user: r.user };
  }
  const picked = pickFrom(hostileKinds, random);
  const h = HOSTILE.find((x) => x.id === picked);
  if (h === undefined) {
    const m = pickFrom(MALFORMED, random);
    return { kind: `malformed:${m.id}`, family: "malformed", body: m.body, contentType: m.contentType, user: false };
  }
  const nonce = Math.floor(random() * 2 ** 48).toString(36);
  return { kind: `hostile:${h.id}`, family: "hostile", body: graphql(h.query(nonce)), contentType: JSON_TYPE, user: h.user };
}

/** The read kind's cached upstream endpoint, for the cache table. */
export function cachedEndpointOf(kind: string): string | undefined {
  return READS.find((r) => `read:${r.id}` === kind)?.cachedBy;
}
