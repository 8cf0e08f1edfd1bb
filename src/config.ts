// Every setting from the environment, validated in one place; no other module reads process.env.
import { z } from "zod";
import { PRODUCTION_BASE_URL, timestampConventions } from "./digilocker/settings.js";
import type { OperationLimits } from "./graphql/operation-limits.js";
import { endpointIds, type SandboxSettingsInput } from "./sandbox/settings.js";
import { KEY_BYTES, KEY_ID_PATTERN, type EncryptionKey } from "./tenants/credential-sealing.js";

/**
 * The spec's sample id_token says `"iss":"https:\/\/api.digmtallocker.gov.in"`, a typo of this
 * (docs/spec-assumptions.md); operators set DIGILOCKER_ID_TOKEN_ISSUER when production says otherwise.
 */
const DEFAULT_ID_TOKEN_ISSUER = "https://api.digitallocker.gov.in";

const optionalInt = (min: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min))
    .optional();

const rate = z
  .string()
  .trim()
  .regex(/^(0(\.\d+)?|1(\.0+)?)$/, "must be a number from 0 to 1")
  .transform(Number)
  .optional();

/** A switch: "true" or "false", nothing else (a typo must not silently mean either). */
const onOff = z.enum(["true", "false"], { message: 'must be "true" or "false"' }).transform((v) => v === "true").optional();

const envSchema = z
  .object({
    PORT: optionalInt(0).pipe(z.number().max(65_535).optional()),
    HOST: z.string().trim().min(1).default("127.0.0.1"),
    // http(s) only: "localhost:4000" is otherwise a valid URL whose scheme is "localhost:".
    PUBLIC_URL: z.url({ protocol: /^https?$/, message: "must be the gateway's own absolute http(s) URL, e.g. https://kyc.example.in" }).optional(),
    META_CACHE_TTL_SECONDS: optionalInt(1),
    STATISTICS_CACHE_TTL_SECONDS: optionalInt(1),
    META_CACHE_MAX_ENTRIES: optionalInt(1),
    USER_CACHE_MAX_ENTRIES: optionalInt(1),
    USER_ACCOUNT_CACHE_TTL_SECONDS: optionalInt(1),
    UPSTREAM_CONCURRENCY: optionalInt(1),
    SHUTDOWN_TIMEOUT_MS: optionalInt(0),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    GRAPHQL_MAX_DOCUMENT_BYTES: optionalInt(1),
    GRAPHQL_MAX_TOKENS: optionalInt(1),
    GRAPHQL_MAX_DEPTH: optionalInt(1),
    GRAPHQL_MAX_ALIASES: optionalInt(0),
    GRAPHQL_MAX_ROOT_FIELDS: optionalInt(1),
    GRAPHQL_MAX_DIRECTIVES: optionalInt(0),
    GRAPHQL_MAX_COST: optionalInt(1),
    GRAPHQL_MAX_UPSTREAM_CALLS: optionalInt(0),
    GRAPHQL_MAX_UPSTREAM_MUTATIONS: optionalInt(0),
    GRAPHQL_EXECUTION_TIMEOUT_MS: optionalInt(1),
    GRAPHQL_MAX_RESPONSE_BYTES: optionalInt(1024),
    GRAPHQL_MAX_BODY_BYTES: optionalInt(1024),
    GRAPHQL_MAX_UPLOAD_BYTES: optionalInt(1024),
    GRAPHQL_DOCUMENT_CACHE_ENTRIES: optionalInt(0),
    GRAPHQL_DOCUMENT_CACHE_BYTES: optionalInt(0),
    HTTP_HEADERS_TIMEOUT_MS: optionalInt(1),
    HTTP_REQUEST_TIMEOUT_MS: optionalInt(1),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: optionalInt(1),
    HTTP_MAX_CONNECTIONS_PER_CLIENT: optionalInt(1),
    HTTP_MAX_CONNECTIONS: optionalInt(1),
    TRUST_PROXY: z
      .string()
      .trim()
      .transform((v, ctx) => {
        const parsed = parseTrustProxy(v);
        if (typeof parsed === "string") {
          ctx.addIssue({ code: "custom", message: parsed });
          return z.NEVER;
        }
        return parsed;
      })
      .optional(),
    RATE_LIMIT_WINDOW_SECONDS: optionalInt(1),
    RATE_LIMIT_PER_CLIENT: optionalInt(0),
    RATE_LIMIT_WRITES_PER_CLIENT: optionalInt(0),
    PARTNER_REQUESTS_PER_WINDOW: optionalInt(0).pipe(z.number().max(1_000_000_000).optional()),
    PARTNER_DIGILOCKER_CALLS_PER_WINDOW: optionalInt(0).pipe(z.number().max(1_000_000_000).optional()),
    SESSION_REQUESTS_PER_WINDOW: optionalInt(0).pipe(z.number().max(1_000_000_000).optional()),
    SESSION_DIGILOCKER_CALLS_PER_WINDOW: optionalInt(0).pipe(z.number().max(1_000_000_000).optional()),
    DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/, message: "must be a postgres:// or postgresql:// URL, e.g. postgres://gateway@127.0.0.1:5432/digilocker_graphql" })
      .optional(),
    // The embedded database's folder, relative to the working directory; "memory" keeps it in memory (gone at exit).
    DATA_DIR: z.string().trim().min(1).default("./data"),
    DATABASE_POOL_SIZE: optionalInt(1).pipe(z.number().max(100).optional()),
    // keyId:base64(32 bytes),… — the first seals partners' DigiLocker secrets, every one opens them (docs/tenants.md).
    CREDENTIALS_ENCRYPTION_KEYS: z
      .string()
      .transform((v, ctx) => {
        const parsed = parseEncryptionKeys(v);
        if (typeof parsed === "string") {
          ctx.addIssue({ code: "custom", message: parsed });
          return z.NEVER;
        }
        return parsed;
      })
      .optional(),
    TENANT_CLIENTS_MAX: optionalInt(1).pipe(z.number().max(10_000).optional()),
    MEMORY_STORE_MAX_SESSIONS: optionalInt(1),
    MEMORY_STORE_MAX_SIGN_INS: optionalInt(1),
    MEMORY_STORE_MAX_CONSENT_REQUESTS: optionalInt(1),
    MEMORY_STORE_MAX_DOWNLOAD_LINKS: optionalInt(1),
    DOWNLOAD_LINK_TTL_SECONDS: optionalInt(10).pipe(z.number().max(86_400).optional()),
    DIGILOCKER_BASE_URL: z.url({ message: "must be an absolute URL including the /public prefix" }).default(PRODUCTION_BASE_URL),
    DIGILOCKER_CLIENT_ID: z.string().trim().min(1).optional(),
    DIGILOCKER_CLIENT_SECRET: z.string().min(1).optional(),
    DIGILOCKER_TOKEN_AUTH: z.enum(["client_secret_post", "client_secret_basic"]).default("client_secret_post"),
    DIGILOCKER_META_ENCODING: z.enum(["openapi", "form", "multipart"]).default("openapi"),
    DIGILOCKER_TS_CONVENTION: z.enum(timestampConventions).default("unix"),
    DIGILOCKER_FILE_HMAC: z.enum(["require", "verify-if-present"]).default("require"),
    DIGILOCKER_TIMEOUT_MS: optionalInt(1),
    DIGILOCKER_MAX_RETRIES: optionalInt(0),
    SESSION_SECRET: z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 48`)").optional(),
    REDIS_URL: z.url({ protocol: /^rediss?$/, message: "must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379" }).optional(),
    REDIS_KEY_PREFIX: z.string().trim().regex(/^[A-Za-z0-9:_.-]{1,64}$/, "must be 1 to 64 letters, digits or : _ . -").default("dlg:"),
    SESSION_MAX_AGE_SECONDS: optionalInt(60),
    SIGN_IN_TTL_SECONDS: optionalInt(30),
    CONSENT_REQUEST_TTL_SECONDS: optionalInt(60),
    ALLOWED_REDIRECT_ORIGINS: z
      .string()
      .transform((v) => v.split(",").map((u) => u.trim()).filter((u) => u !== ""))
      .pipe(z.array(z.url({ protocol: /^https?$/, message: "must be a comma-separated list of http(s) origins, e.g. https://app.example.in" })))
      .optional(),
    POST_LOGOUT_URL: z.url({ protocol: /^https?$/, message: "must be an absolute http(s) URL" }).optional(),
    DIGILOCKER_TOKEN_ENDPOINT: z.enum(["openid", "v1"]).default("openid"),
    DIGILOCKER_JWKS_URL: z.url({ protocol: /^https?$/, message: "must be the absolute URL of DigiLocker's JSON Web Key Set" }).optional(),
    DIGILOCKER_ID_TOKEN_ISSUER: z.string().trim().min(1).default(DEFAULT_ID_TOKEN_ISSUER),
    // PEM files of the certificates XML signatures are trusted from (docs/xml-signatures.md); read at start-up.
    XML_TRUSTED_CERTIFICATES: z
      .string()
      .transform((v) => v.split(",").map((p) => p.trim()).filter((p) => p !== ""))
      .optional(),
    // "production" requires an API key for every partner operation (docs/partners.md); read here only.
    NODE_ENV: z.string().trim().optional(),
    // Production mode's parts, each on with NODE_ENV=production and off without it unless set (docs/production.md).
    GRAPHQL_PERSISTED_ONLY: onOff,
    GRAPHQL_INTROSPECTION: onOff,
    GRAPHIQL: onOff,
    // Gone: pushUri needs a partner key with the uri:push scope (docs/partners.md). Set, it fails the start.
    PUSH_URI_ENABLED: z
      .string()
      .optional()
      .refine((v) => v === undefined, "is no longer read: pushUri needs an API key whose partner has the uri:push scope (docs/partners.md)"),
    SANDBOX_HOST: z.string().trim().min(1).default("127.0.0.1"),
    SANDBOX_PORT: optionalInt(0).pipe(z.number().max(65_535).optional()),
    SANDBOX_CLIENT_ID: z.string().trim().min(1).optional(),
    SANDBOX_CLIENT_SECRET: z.string().min(8, "must be at least 8 characters").optional(),
    SANDBOX_REDIRECT_URIS: z
      .string()
      .transform((v) => v.split(",").map((u) => u.trim()).filter((u) => u !== ""))
      // http(s) only: "localhost:4000/cb" is otherwise a valid URL whose scheme is "localhost:".
      .pipe(z.array(z.url({ protocol: /^https?$/, message: "must be a comma-separated list of absolute http(s) URLs" })).min(1))
      .optional(),
    SANDBOX_TOKEN_TTL_SECONDS: optionalInt(1),
    SANDBOX_LATENCY_MS: optionalInt(0),
    SANDBOX_LATENCY_SPIKE_RATE: rate,
    SANDBOX_LATENCY_SPIKE_MS: optionalInt(0),
    SANDBOX_ERROR_RATE: rate,
    SANDBOX_ERROR_CODE: z.string().trim().regex(/^[a-z_]+$/, "must be a DigiLocker error code such as unexpected_error").optional(),
    SANDBOX_DROP_RATE: rate,
    SANDBOX_WRONG_HMAC: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
    SANDBOX_FAULT_ENDPOINTS: z
      .string()
      .transform((v) => v.split(",").map((e) => e.trim()).filter((e) => e !== ""))
      .pipe(z.array(z.enum(endpointIds, { message: `must be a comma-separated list of: ${endpointIds.join(", ")}` })))
      .optional(),
    SANDBOX_XML_SIGNATURE_PROFILE: z.enum(["rsa-sha256", "rsa-sha1"]).optional(),
    SANDBOX_XML_SIGNING_CERTIFICATE: z.enum(["primary", "rotated"]).optional(),
  });

/** Credentials that several instances share need one key to open each other's sessions. */
function sessionSecretProblem(env: Record<string, string>): string | null {
  if ("REDIS_URL" in env && !("SESSION_SECRET" in env)) {
    return "SESSION_SECRET: required with REDIS_URL, so every instance can open the sessions the others stored";
  }
  return null;
}

/** Every variable the configuration reads (README's table and .env.example list each one). */
export const configVariables: readonly string[] = Object.keys(envSchema.shape);

/** Credentials come in pairs; checked apart from the schema so its problems and this one are reported together. */
function credentialPairProblem(env: Record<string, string>): string | null {
  const hasId = "DIGILOCKER_CLIENT_ID" in env;
  if (hasId === "DIGILOCKER_CLIENT_SECRET" in env) return null;
  const missing = hasId ? "DIGILOCKER_CLIENT_SECRET" : "DIGILOCKER_CLIENT_ID";
  return `${missing}: set both DIGILOCKER_CLIENT_ID and DIGILOCKER_CLIENT_SECRET, or neither`;
}

/**
 * node:http refuses a headers timeout longer than the request timeout: both bound the same request's arrival.
 * Read from the raw variables, so it is reported beside any other problem.
 */
function httpTimeoutProblem(env: Record<string, string>): string | null {
  const read = (name: string, fallback: number) => {
    const value = env[name]?.trim();
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : fallback;
  };
  const headers = read("HTTP_HEADERS_TIMEOUT_MS", HTTP_DEFAULTS.headersTimeoutMs);
  const request = read("HTTP_REQUEST_TIMEOUT_MS", HTTP_DEFAULTS.requestTimeoutMs);
  return headers <= request ? null : `HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS (${request})`;
}

/**
 * TRUST_PROXY: which peers' X-Forwarded-For the gateway believes. "false" (the default) trusts none; a number
 * trusts that many proxy hops in front of the gateway; otherwise a comma-separated list of addresses, CIDR ranges
 * or the names loopback, linklocal and uniquelocal (proxy-addr's vocabulary). An error message when unusable.
 */
export type TrustProxy = { hops: number } | { addresses: string[] } | null;

function parseTrustProxy(value: string): TrustProxy | string {
  if (value === "" || value === "false") return null;
  if (value === "true") {
    return "must be false, a number of proxy hops, or the proxies' addresses: true would believe any client's X-Forwarded-For";
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops === 0 ? null : { hops };
  }
  const addresses = value.split(",").map((a) => a.trim()).filter((a) => a !== "");
  const bad = addresses.filter((a) => !/^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/.test(a));
  if (addresses.length === 0 || bad.length > 0) {
    return `must be false, a number of proxy hops, or a comma-separated list of addresses, CIDR ranges, loopback, linklocal or uniquelocal (not ${bad.join(", ") || "empty"})`;
  }
  return { addresses };
}

/**
 * CREDENTIALS_ENCRYPTION_KEYS: comma-separated `keyId:base64`, each key 32 random bytes (`openssl rand -base64 32`),
 * ids unique. A message naming what is wrong otherwise, which never quotes key material: an entry whose id does
 * not look like one (a key pasted without its id, say) is named by its position only.
 */
function parseEncryptionKeys(value: string): EncryptionKey[] | string {
  const entries = value.split(",").map((e) => e.trim()).filter((e) => e !== "");
  if (entries.length === 0) return "lists no key: give keyId:base64 entries, e.g. k1:$(openssl rand -base64 32)";
  const keys: EncryptionKey[] = [];
  const problems: string[] = [];
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(":");
    const id = colon === -1 ? "" : entry.slice(0, colon).trim();
    if (!KEY_ID_PATTERN.test(id)) {
      problems.push(
        `entry ${index + 1} must be keyId:base64, the key id 1 to 32 letters, digits, . _ or - (starting with a letter or digit), e.g. k1:$(openssl rand -base64 32)`,
      );
      return;
    }
    const text = entry.slice(colon + 1).trim();
    const key = Buffer.from(text, "base64");
    // Node's decoder skips what is not base64; encoding back shows whether anything was skipped.
    const canonical = (b64: string) => b64.replace(/=+$/, "").replaceAll("-", "+").replaceAll("_", "/");
    if (text === "" || canonical(key.toString("base64")) !== canonical(text)) {
      problems.push(`key ${JSON.stringify(id)} is not base64: give ${KEY_BYTES} random bytes in base64 (openssl rand -base64 32)`);
    } else if (key.length !== KEY_BYTES) {
      problems.push(`key ${JSON.stringify(id)} is ${key.length} bytes: it must be exactly ${KEY_BYTES} (openssl rand -base64 32)`);
    } else if (keys.some((k) => k.id === id)) {
      problems.push(`key id ${JSON.stringify(id)} is given twice: each key needs its own id`);
    } else {
      keys.push({ id, key });
    }
  });
  return problems.length > 0 ? problems.join("; ") : keys;
}

const HTTP_DEFAULTS = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 } as const;

export interface Config {
  gateway: {
    host: string;
    port: number;
    /** The gateway's own origin, for links it hands out. */
    publicUrl: string;
    /** False when derived from PORT: the gateway then uses the port it actually listens on. */
    publicUrlConfigured: boolean;
    metaCacheTtlSeconds: number;
    statisticsCacheTtlSeconds: number;
    metaCacheMaxEntries: number;
    userCacheMaxEntries: number;
    /** How long a token's account details (Get User Details) are kept: the longest a revocation made at DigiLocker goes unseen by account fields. */
    userAccountCacheTtlSeconds: number;
    /** Most DigiLocker calls in flight at once (the client's connection pool size). */
    upstreamConcurrency: number;
    shutdownTimeoutMs: number;
    logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
    /**
     * NODE_ENV=production: every partner operation needs an API key. Otherwise, while no partner is registered,
     * the gateway answers them without one (development mode, docs/partners.md).
     */
    production: boolean;
    /** Only persisted documents run (GRAPHQL_PERSISTED_ONLY; default: production): a query's text is refused. */
    persistedOnly: boolean;
    /** Introspection answered (GRAPHQL_INTROSPECTION; default: not production). */
    introspection: boolean;
    /** GraphiQL served at /graphql to browsers (GRAPHIQL; default: not production). */
    graphiql: boolean;
  };
  /** What one GraphQL request may ask for, checked before anything runs (docs/limits.md). */
  limits: OperationLimitsConfig;
  /** Bounds on HTTP connections: how long a request may take to arrive, how many sockets one address holds. */
  http: HttpLimitsConfig;
  /** Per-client budgets of anonymous DigiLocker calls and of records created (docs/limits.md, "Rate limits"). */
  rateLimits: RateLimitsConfig;
  digilocker: {
    baseUrl: string;
    /** Null when no credentials are configured. */
    credentials: { clientId: string; clientSecret: string } | null;
    tokenAuth: "client_secret_post" | "client_secret_basic";
    /** `openapi`: each meta call encoded as the older OpenAPI file has it; `form` / `multipart`: all six alike. */
    metaEncoding: "openapi" | "form" | "multipart";
    timestamp: (typeof timestampConventions)[number];
    fileHmac: "require" | "verify-if-present";
    requestTimeoutMs: number | undefined;
    maxRetries: number | undefined;
  };
  auth: {
    /** Null: a random key per process (fine for the memory store, whose sessions die with the process). */
    sessionSecret: string | null;
    redisUrl: string | null;
    /** Put before every Redis key (sessions, sign-in states, consent requests' session links, rate-limit counters). */
    redisKeyPrefix: string;
    /** Records the memory store keeps of each kind (REDIS_URL unset); Redis has no such caps (docs/sign-in.md). */
    memoryStore: { sessions: number; signIns: number; consentRequests: number };
    /** Longest a refreshable session lives (one without a refresh token ends with its access token). */
    sessionMaxAgeSeconds: number;
    /** How long a sign-in URL (its state and PKCE verifier) stays usable. */
    signInTtlSeconds: number;
    /** How long a consent request's link stays usable before the request is EXPIRED. */
    consentRequestTtlSeconds: number;
    /** Origins returnTo and redirectUrl may point at, besides the gateway's own (no open redirect). */
    allowedRedirectOrigins: string[];
    /** Where DigiLocker's logout (`error=user_loggedout`, no state) lands; null: the gateway's own page. */
    postLogoutUrl: string | null;
    /** `/oauth2/2/token` (OpenID: id_token, no refresh token) or `/oauth2/1/token` (refresh token). */
    tokenEndpoint: "openid" | "v1";
    /** Null: id_token signatures are not checked; the TLS connection to the token endpoint stands in. */
    jwksUrl: string | null;
    idTokenIssuer: string;
  };
  /** The durable store: partners (src/db/). */
  database: {
    /** PostgreSQL (DATABASE_URL); null: the embedded PGlite. Never logged whole: it may carry a password. */
    url: string | null;
    /** PGlite's folder when url is null; null: in memory (DATA_DIR=memory). */
    dataDir: string | null;
    /** Most PostgreSQL connections the gateway holds. */
    poolSize: number;
  };
  /** Download links (docs/downloads.md). */
  downloads: {
    /** How long a link works after it is made. */
    linkTtlSeconds: number;
    /** Links the memory store keeps (REDIS_URL unset); past it the least recently used go (they then answer 410). */
    memoryStoreMaxLinks: number;
  };
  /** Partners' own DigiLocker credentials (docs/tenants.md). */
  tenants: {
    /**
     * CREDENTIALS_ENCRYPTION_KEYS, in order: the first seals, all open. Empty when unset: storing credentials is
     * then refused (never a per-process key: what it sealed in the database would not open after a restart).
     */
    encryptionKeys: EncryptionKey[];
    /** Most partners' DigiLocker clients (each with its connection pool and meta cache) kept at once. */
    maxClients: number;
  };
  /** Documents' contents (docs/xml-signatures.md). */
  documents: {
    /**
     * PEM files naming the certificates whose XML signatures read VALID (DigiLocker's document signer, UIDAI's
     * e-KYC signer; several while they rotate). The embedded sandbox's own are added only while it runs.
     */
    trustedCertificateFiles: string[];
  };
  /** Settings of the bundled sandbox (`npm run sandbox`); unset values take the sandbox's defaults. */
  sandbox: SandboxSettingsInput;
}

export interface OperationLimitsConfig extends OperationLimits {
  /** Longest query text, in UTF-8 bytes. */
  maxDocumentBytes: number;
  /** Most lexical tokens in a document (graphql-js stops parsing past it). */
  maxTokens: number;
  /** An operation still running after this is answered with OPERATION_TIMEOUT. */
  executionTimeoutMs: number;
  /** A larger answer is replaced by a RESPONSE_TOO_LARGE error. */
  maxResponseBytes: number;
  /** Largest request body yoga reads (413 past it). */
  maxBodyBytes: number;
  /** Largest multipart (file upload) body yoga reads: a 10 MB file and its multipart framing (413 past it). */
  maxUploadBytes: number;
  /** Parsed documents kept (each with its validation result and compiled code): entries, and their text's total bytes. */
  documentCacheEntries: number;
  documentCacheBytes: number;
}

export interface HttpLimitsConfig {
  /** Headers must have arrived within this (slow-loris). */
  headersTimeoutMs: number;
  /** A whole request, body included, must have arrived within this. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Most open connections from one client address. */
  maxConnectionsPerClient: number;
  /** Most open connections in all. */
  maxConnections: number;
}

export interface RateLimitsConfig {
  /** The budgets refill every window. */
  windowSeconds: number;
  /** Requests that reach DigiLocker without a live session, per client address and window; 0 turns the budget off. */
  perClient: number;
  /** Records created (sign-in states, consent requests) per client address and window; 0 turns the budget off. */
  writesPerClient: number;
  /**
   * A partner's requests and DigiLocker calls per window, when it has no limits of its own (partner CLI,
   * set-limits); each of its apps gets as much again. 0: unlimited.
   */
  partnerRequests: number;
  partnerDigilockerCalls: number;
  /** A browser session's requests and DigiLocker calls per window; 0: unlimited. */
  sessionRequests: number;
  sessionDigilockerCalls: number;
  /** Whose X-Forwarded-For to believe; null: the socket's address is the client's. */
  trustProxy: TrustProxy;
}

export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Reads the whole configuration, reporting every problem together, each with its variable's name. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means "not set", as in most .env tooling.
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value !== "") present[name] = value;
  const parsed = envSchema.safeParse(present);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`);
  for (const problem of [credentialPairProblem(present), sessionSecretProblem(present), httpTimeoutProblem(present)]) {
    if (problem !== null) problems.push(problem);
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const port = e.PORT ?? 4000;
  const production = e.NODE_ENV === "production";
  return {
    gateway: {
      host: e.HOST,
      port,
      publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ""),
      publicUrlConfigured: e.PUBLIC_URL !== undefined,
      metaCacheTtlSeconds: e.META_CACHE_TTL_SECONDS ?? 86_400,
      statisticsCacheTtlSeconds: e.STATISTICS_CACHE_TTL_SECONDS ?? 3_600,
      metaCacheMaxEntries: e.META_CACHE_MAX_ENTRIES ?? 5_000,
      userCacheMaxEntries: e.USER_CACHE_MAX_ENTRIES ?? 10_000,
      userAccountCacheTtlSeconds: e.USER_ACCOUNT_CACHE_TTL_SECONDS ?? 300,
      upstreamConcurrency: e.UPSTREAM_CONCURRENCY ?? 8,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS ?? 10_000,
      logLevel: e.LOG_LEVEL,
      production,
      persistedOnly: e.GRAPHQL_PERSISTED_ONLY ?? production,
      introspection: e.GRAPHQL_INTROSPECTION ?? !production,
      graphiql: e.GRAPHIQL ?? !production,
    },
    limits: {
      maxDocumentBytes: e.GRAPHQL_MAX_DOCUMENT_BYTES ?? 16_384,
      maxTokens: e.GRAPHQL_MAX_TOKENS ?? 2_000,
      maxDepth: e.GRAPHQL_MAX_DEPTH ?? 12,
      maxAliases: e.GRAPHQL_MAX_ALIASES ?? 30,
      maxRootFields: e.GRAPHQL_MAX_ROOT_FIELDS ?? 20,
      maxDirectives: e.GRAPHQL_MAX_DIRECTIVES ?? 20,
      maxCost: e.GRAPHQL_MAX_COST ?? 10_000,
      maxUpstreamCalls: e.GRAPHQL_MAX_UPSTREAM_CALLS ?? 100,
      maxUpstreamMutations: e.GRAPHQL_MAX_UPSTREAM_MUTATIONS ?? 1,
      executionTimeoutMs: e.GRAPHQL_EXECUTION_TIMEOUT_MS ?? 20_000,
      maxResponseBytes: e.GRAPHQL_MAX_RESPONSE_BYTES ?? 5_000_000,
      maxBodyBytes: e.GRAPHQL_MAX_BODY_BYTES ?? 102_400,
      maxUploadBytes: e.GRAPHQL_MAX_UPLOAD_BYTES ?? 10_551_296,
      documentCacheEntries: e.GRAPHQL_DOCUMENT_CACHE_ENTRIES ?? 1_000,
      documentCacheBytes: e.GRAPHQL_DOCUMENT_CACHE_BYTES ?? 2_000_000,
    },
    http: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS ?? HTTP_DEFAULTS.headersTimeoutMs,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS ?? HTTP_DEFAULTS.requestTimeoutMs,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS ?? 5_000,
      maxConnectionsPerClient: e.HTTP_MAX_CONNECTIONS_PER_CLIENT ?? 128,
      maxConnections: e.HTTP_MAX_CONNECTIONS ?? 10_000,
    },
    rateLimits: {
      windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS ?? 60,
      perClient: e.RATE_LIMIT_PER_CLIENT ?? 600,
      writesPerClient: e.RATE_LIMIT_WRITES_PER_CLIENT ?? 60,
      partnerRequests: e.PARTNER_REQUESTS_PER_WINDOW ?? 600,
      partnerDigilockerCalls: e.PARTNER_DIGILOCKER_CALLS_PER_WINDOW ?? 1_200,
      sessionRequests: e.SESSION_REQUESTS_PER_WINDOW ?? 300,
      sessionDigilockerCalls: e.SESSION_DIGILOCKER_CALLS_PER_WINDOW ?? 1_000,
      trustProxy: e.TRUST_PROXY ?? null,
    },
    digilocker: {
      baseUrl: e.DIGILOCKER_BASE_URL,
      credentials:
        e.DIGILOCKER_CLIENT_ID && e.DIGILOCKER_CLIENT_SECRET
          ? { clientId: e.DIGILOCKER_CLIENT_ID, clientSecret: e.DIGILOCKER_CLIENT_SECRET }
          : null,
      tokenAuth: e.DIGILOCKER_TOKEN_AUTH,
      metaEncoding: e.DIGILOCKER_META_ENCODING,
      timestamp: e.DIGILOCKER_TS_CONVENTION,
      fileHmac: e.DIGILOCKER_FILE_HMAC,
      requestTimeoutMs: e.DIGILOCKER_TIMEOUT_MS,
      maxRetries: e.DIGILOCKER_MAX_RETRIES,
    },
    auth: {
      sessionSecret: e.SESSION_SECRET ?? null,
      redisUrl: e.REDIS_URL ?? null,
      redisKeyPrefix: e.REDIS_KEY_PREFIX,
      memoryStore: {
        sessions: e.MEMORY_STORE_MAX_SESSIONS ?? 100_000,
        signIns: e.MEMORY_STORE_MAX_SIGN_INS ?? 20_000,
        consentRequests: e.MEMORY_STORE_MAX_CONSENT_REQUESTS ?? 100_000,
      },
      sessionMaxAgeSeconds: e.SESSION_MAX_AGE_SECONDS ?? 43_200,
      signInTtlSeconds: e.SIGN_IN_TTL_SECONDS ?? 600,
      consentRequestTtlSeconds: e.CONSENT_REQUEST_TTL_SECONDS ?? 3_600,
      allowedRedirectOrigins: (e.ALLOWED_REDIRECT_ORIGINS ?? []).map((u) => new URL(u).origin),
      postLogoutUrl: e.POST_LOGOUT_URL ?? null,
      tokenEndpoint: e.DIGILOCKER_TOKEN_ENDPOINT,
      jwksUrl: e.DIGILOCKER_JWKS_URL ?? null,
      idTokenIssuer: e.DIGILOCKER_ID_TOKEN_ISSUER,
    },
    database: {
      url: e.DATABASE_URL ?? null,
      dataDir: e.DATA_DIR === "memory" ? null : e.DATA_DIR,
      poolSize: e.DATABASE_POOL_SIZE ?? 10,
    },
    downloads: {
      linkTtlSeconds: e.DOWNLOAD_LINK_TTL_SECONDS ?? 300,
      memoryStoreMaxLinks: e.MEMORY_STORE_MAX_DOWNLOAD_LINKS ?? 100_000,
    },
    tenants: {
      encryptionKeys: e.CREDENTIALS_ENCRYPTION_KEYS ?? [],
      maxClients: e.TENANT_CLIENTS_MAX ?? 100,
    },
    documents: { trustedCertificateFiles: e.XML_TRUSTED_CERTIFICATES ?? [] },
    sandbox: {
      host: e.SANDBOX_HOST,
      port: e.SANDBOX_PORT,
      clientId: e.SANDBOX_CLIENT_ID,
      clientSecret: e.SANDBOX_CLIENT_SECRET,
      redirectUris: e.SANDBOX_REDIRECT_URIS,
      accessTokenTtlSeconds: e.SANDBOX_TOKEN_TTL_SECONDS,
      timestamp: e.DIGILOCKER_TS_CONVENTION,
      faults: {
        latencyMs: e.SANDBOX_LATENCY_MS,
        latencySpikeRate: e.SANDBOX_LATENCY_SPIKE_RATE,
        latencySpikeMs: e.SANDBOX_LATENCY_SPIKE_MS,
        errorRate: e.SANDBOX_ERROR_RATE,
        errorCode: e.SANDBOX_ERROR_CODE,
        dropRate: e.SANDBOX_DROP_RATE,
        wrongHmac: e.SANDBOX_WRONG_HMAC,
        endpoints: e.SANDBOX_FAULT_ENDPOINTS,
      },
      // Left out when neither is set, like the other unset sandbox settings: the sandbox's defaults apply.
      xmlSignature:
        e.SANDBOX_XML_SIGNATURE_PROFILE === undefined && e.SANDBOX_XML_SIGNING_CERTIFICATE === undefined
          ? undefined
          : { profile: e.SANDBOX_XML_SIGNATURE_PROFILE, certificate: e.SANDBOX_XML_SIGNING_CERTIFICATE },
    },
  };
}
