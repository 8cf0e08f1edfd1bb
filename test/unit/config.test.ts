import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { ConfigError, configVariables, loadConfig } from "../../src/config.js";
import { sandboxSettingsSchema } from "../../src/sandbox/settings.js";

describe("loadConfig", () => {
  it("applies the documented defaults when nothing is set", () => {
    const config = loadConfig({});
    expect(config.digilocker).toEqual({
      baseUrl: "https://digilocker.meripehchaan.gov.in/public",
      credentials: null,
      tokenAuth: "client_secret_post",
      metaEncoding: "openapi",
      timestamp: "unix",
      fileHmac: "require",
      requestTimeoutMs: undefined,
      maxRetries: undefined,
    });
  });

  it("reads every variable", () => {
    const config = loadConfig({
      DIGILOCKER_BASE_URL: "http://127.0.0.1:4010/public",
      DIGILOCKER_CLIENT_ID: "ABCD1234",
      DIGILOCKER_CLIENT_SECRET: "secret-value",
      DIGILOCKER_TOKEN_AUTH: "client_secret_basic",
      DIGILOCKER_META_ENCODING: "multipart",
      DIGILOCKER_TS_CONVENTION: "unix-ist",
      DIGILOCKER_FILE_HMAC: "verify-if-present",
      DIGILOCKER_TIMEOUT_MS: "2500",
      DIGILOCKER_MAX_RETRIES: "0",
    });
    expect(config.digilocker).toEqual({
      baseUrl: "http://127.0.0.1:4010/public",
      credentials: { clientId: "ABCD1234", clientSecret: "secret-value" },
      tokenAuth: "client_secret_basic",
      metaEncoding: "multipart",
      timestamp: "unix-ist",
      fileHmac: "verify-if-present",
      requestTimeoutMs: 2500,
      maxRetries: 0,
    });
  });

  it.each([
    ["openapi", "openapi"],
    ["form", "form"],
    ["multipart", "multipart"],
    ["", "openapi"],
  ])("reads DIGILOCKER_META_ENCODING=%j as %j", (value, expected) => {
    expect(loadConfig({ DIGILOCKER_META_ENCODING: value }).digilocker.metaEncoding).toBe(expected);
  });

  it.each([["urlencoded"], ["json"], ["OPENAPI"]])("refuses DIGILOCKER_META_ENCODING=%j, naming the variable", (value) => {
    expect(() => loadConfig({ DIGILOCKER_META_ENCODING: value })).toThrow(/DIGILOCKER_META_ENCODING/);
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ DIGILOCKER_CLIENT_ID: "", DIGILOCKER_CLIENT_SECRET: "" }).digilocker.credentials).toBeNull();
  });

  it("reports every problem at once, each with its variable's name, and never the secret", () => {
    let error: unknown;
    try {
      loadConfig({
        DIGILOCKER_BASE_URL: "not a url",
        DIGILOCKER_CLIENT_SECRET: "do-not-print-me",
        DIGILOCKER_TS_CONVENTION: "local",
        DIGILOCKER_MAX_RETRIES: "-1",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems).toHaveLength(4);
    for (const name of ["DIGILOCKER_BASE_URL", "DIGILOCKER_TS_CONVENTION", "DIGILOCKER_MAX_RETRIES", "DIGILOCKER_CLIENT_ID"]) {
      expect(message).toContain(name);
    }
    expect(message).not.toContain("do-not-print-me");
  });
});

describe("loadConfig: the gateway", () => {
  it("applies the documented defaults when nothing is set", () => {
    expect(loadConfig({}).gateway).toEqual({
      host: "127.0.0.1",
      port: 4000,
      publicUrl: "http://localhost:4000",
      publicUrlConfigured: false,
      metaCacheTtlSeconds: 86_400,
      statisticsCacheTtlSeconds: 3_600,
      metaCacheMaxEntries: 5_000,
      userCacheMaxEntries: 10_000,
      userAccountCacheTtlSeconds: 300,
      upstreamConcurrency: 8,
      shutdownTimeoutMs: 10_000,
      logLevel: "info",
      production: false,
      persistedOnly: false,
      introspection: true,
      graphiql: true,
    });
  });

  it("reads every gateway variable", () => {
    const { gateway } = loadConfig({
      PORT: "8080",
      HOST: "0.0.0.0",
      PUBLIC_URL: "https://kyc.example.in/",
      META_CACHE_TTL_SECONDS: "600",
      STATISTICS_CACHE_TTL_SECONDS: "60",
      META_CACHE_MAX_ENTRIES: "100",
      USER_CACHE_MAX_ENTRIES: "200",
      USER_ACCOUNT_CACHE_TTL_SECONDS: "30",
      UPSTREAM_CONCURRENCY: "2",
      SHUTDOWN_TIMEOUT_MS: "0",
      LOG_LEVEL: "debug",
      GRAPHQL_PERSISTED_ONLY: "true",
      GRAPHQL_INTROSPECTION: "false",
      GRAPHIQL: "false",
    });
    expect(gateway).toEqual({
      host: "0.0.0.0",
      port: 8080,
      // Trailing slashes go: links are built as publicUrl + "/path".
      publicUrl: "https://kyc.example.in",
      publicUrlConfigured: true,
      metaCacheTtlSeconds: 600,
      statisticsCacheTtlSeconds: 60,
      metaCacheMaxEntries: 100,
      userCacheMaxEntries: 200,
      userAccountCacheTtlSeconds: 30,
      upstreamConcurrency: 2,
      shutdownTimeoutMs: 0,
      logLevel: "debug",
      production: false,
      persistedOnly: true,
      introspection: false,
      graphiql: false,
    });
  });

  it("derives PUBLIC_URL from PORT when unset, and accepts port 0 (any free port)", () => {
    expect(loadConfig({ PORT: "4100" }).gateway.publicUrl).toBe("http://localhost:4100");
    expect(loadConfig({ PORT: "0" }).gateway.port).toBe(0);
  });

  it("treats empty gateway variables as unset", () => {
    const { gateway } = loadConfig({ PORT: "", PUBLIC_URL: "", UPSTREAM_CONCURRENCY: "", LOG_LEVEL: "" });
    expect(gateway).toMatchObject({ port: 4000, publicUrl: "http://localhost:4000", upstreamConcurrency: 8, logLevel: "info" });
  });

  it.each([
    ["PORT", "65536"],
    ["PORT", "-1"],
    ["PORT", "http"],
    ["HOST", "   "],
    ["PUBLIC_URL", "not a url"],
    ["PUBLIC_URL", "localhost:4000"],
    ["PUBLIC_URL", "ftp://kyc.example.in"],
    ["META_CACHE_TTL_SECONDS", "0"],
    ["META_CACHE_TTL_SECONDS", "1d"],
    ["STATISTICS_CACHE_TTL_SECONDS", "0"],
    ["STATISTICS_CACHE_TTL_SECONDS", "3600.5"],
    ["META_CACHE_MAX_ENTRIES", "0"],
    ["USER_CACHE_MAX_ENTRIES", "lots"],
    ["UPSTREAM_CONCURRENCY", "0"],
    ["UPSTREAM_CONCURRENCY", "-8"],
    ["SHUTDOWN_TIMEOUT_MS", "-1"],
    ["SHUTDOWN_TIMEOUT_MS", "10s"],
    ["LOG_LEVEL", "verbose"],
    ["LOG_LEVEL", "INFO"],
    ["DATABASE_URL", "mysql://root:hunter2@127.0.0.1/db"],
    ["DATABASE_URL", "127.0.0.1:5432"],
    ["DATABASE_POOL_SIZE", "0"],
    ["DATABASE_POOL_SIZE", "101"],
    ["DATABASE_POOL_SIZE", "ten"],
  ])("refuses %s=%j, naming the variable", (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
    if (name.startsWith("DATABASE_")) expect(problems[0]).toMatch(new RegExp(`^${name}: `));
    // A database URL carries a password: it is never echoed.
    expect((error as ConfigError).message).not.toContain("hunter2");
  });

  describe("the database settings", () => {
    it("default to the embedded database in ./data", () => {
      expect(loadConfig({}).database).toEqual({ url: null, dataDir: "./data", poolSize: 10 });
    });

    it("read DATABASE_URL, DATA_DIR and DATABASE_POOL_SIZE", () => {
      const url = "postgresql://gateway:pw@db.internal:5432/digilocker_graphql";
      expect(loadConfig({ DATABASE_URL: url, DATA_DIR: "/var/lib/dlg", DATABASE_POOL_SIZE: "25" }).database).toEqual({
        url,
        dataDir: "/var/lib/dlg",
        poolSize: 25,
      });
    });

    it("keep the embedded database in memory with DATA_DIR=memory", () => {
      expect(loadConfig({ DATA_DIR: "memory" }).database.dataDir).toBeNull();
    });
  });

  it("reports every gateway problem together, beside the DigiLocker ones", () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: "99999",
        PUBLIC_URL: "kyc.example.in",
        META_CACHE_TTL_SECONDS: "0",
        UPSTREAM_CONCURRENCY: "none",
        SHUTDOWN_TIMEOUT_MS: "soon",
        LOG_LEVEL: "loud",
        DIGILOCKER_CLIENT_ID: "ABCD1234",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    const named = ["PORT", "PUBLIC_URL", "META_CACHE_TTL_SECONDS", "UPSTREAM_CONCURRENCY", "SHUTDOWN_TIMEOUT_MS", "LOG_LEVEL", "DIGILOCKER_CLIENT_SECRET"];
    expect(problems).toHaveLength(named.length);
    for (const name of named) expect(problems.filter((p) => p.startsWith(`${name}:`))).toHaveLength(1);
  });
});

describe("loadConfig: limits (docs/limits.md)", () => {
  it("applies the documented defaults when nothing is set", () => {
    const config = loadConfig({});
    expect(config.limits).toEqual({
      maxDocumentBytes: 16384,
      maxTokens: 2000,
      maxDepth: 12,
      maxAliases: 30,
      maxRootFields: 20,
      maxDirectives: 20,
      maxCost: 10000,
      maxUpstreamCalls: 100,
      maxUpstreamMutations: 1,
      executionTimeoutMs: 20000,
      maxResponseBytes: 5000000,
      maxBodyBytes: 102400,
      maxUploadBytes: 10551296,
      documentCacheEntries: 1000,
      documentCacheBytes: 2000000,
    });
    expect(config.http).toEqual({
      headersTimeoutMs: 10000,
      requestTimeoutMs: 30000,
      keepAliveTimeoutMs: 5000,
      maxConnectionsPerClient: 128,
      maxConnections: 10000,
    });
  });

  it("reads every limit", () => {
    const config = loadConfig({
      GRAPHQL_MAX_DOCUMENT_BYTES: "1000",
      GRAPHQL_MAX_TOKENS: "300",
      GRAPHQL_MAX_DEPTH: "7",
      GRAPHQL_MAX_ALIASES: "0",
      GRAPHQL_MAX_ROOT_FIELDS: "3",
      GRAPHQL_MAX_DIRECTIVES: "0",
      GRAPHQL_MAX_COST: "500",
      GRAPHQL_MAX_UPSTREAM_CALLS: "5",
      GRAPHQL_MAX_UPSTREAM_MUTATIONS: "0",
      GRAPHQL_EXECUTION_TIMEOUT_MS: "1500",
      GRAPHQL_MAX_RESPONSE_BYTES: "4096",
      GRAPHQL_MAX_BODY_BYTES: "2048",
      GRAPHQL_MAX_UPLOAD_BYTES: "4096",
      GRAPHQL_DOCUMENT_CACHE_ENTRIES: "0",
      GRAPHQL_DOCUMENT_CACHE_BYTES: "10",
      HTTP_HEADERS_TIMEOUT_MS: "2000",
      HTTP_REQUEST_TIMEOUT_MS: "2000",
      HTTP_KEEP_ALIVE_TIMEOUT_MS: "100",
      HTTP_MAX_CONNECTIONS_PER_CLIENT: "4",
      HTTP_MAX_CONNECTIONS: "9",
    });
    expect(config.limits).toEqual({
      maxDocumentBytes: 1000,
      maxTokens: 300,
      maxDepth: 7,
      maxAliases: 0,
      maxRootFields: 3,
      maxDirectives: 0,
      maxCost: 500,
      maxUpstreamCalls: 5,
      maxUpstreamMutations: 0,
      executionTimeoutMs: 1500,
      maxResponseBytes: 4096,
      maxBodyBytes: 2048,
      maxUploadBytes: 4096,
      documentCacheEntries: 0,
      documentCacheBytes: 10,
    });
    expect(config.http).toEqual({ headersTimeoutMs: 2000, requestTimeoutMs: 2000, keepAliveTimeoutMs: 100, maxConnectionsPerClient: 4, maxConnections: 9 });
  });

  it("refuses a depth of 0, a fractional cost, and a headers timeout longer than the request timeout, all together", () => {
    let error: unknown;
    try {
      loadConfig({ GRAPHQL_MAX_DEPTH: "0", GRAPHQL_MAX_COST: "1.5", HTTP_HEADERS_TIMEOUT_MS: "40000" });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems).toEqual([
      "GRAPHQL_MAX_DEPTH: Too small: expected number to be >=1",
      "GRAPHQL_MAX_COST: must be a whole number",
      "HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS (30000)",
    ]);
  });
});

describe("loadConfig: sign-in", () => {
  it("applies the documented defaults when nothing is set", () => {
    expect(loadConfig({}).auth).toEqual({
      sessionSecret: null,
      redisUrl: null,
      redisKeyPrefix: "dlg:",
      memoryStore: { sessions: 100_000, signIns: 20_000, consentRequests: 100_000 },
      sessionMaxAgeSeconds: 43_200,
      signInTtlSeconds: 600,
      consentRequestTtlSeconds: 3_600,
      allowedRedirectOrigins: [],
      postLogoutUrl: null,
      tokenEndpoint: "openid",
      jwksUrl: null,
      idTokenIssuer: "https://api.digitallocker.gov.in",
    });
  });

  it("reads every sign-in variable; allowed origins are reduced to origins", () => {
    const secret = "s".repeat(32);
    expect(
      loadConfig({
        SESSION_SECRET: secret,
        REDIS_URL: "rediss://cache.example.in:6380/2",
        SESSION_MAX_AGE_SECONDS: "7200",
        REDIS_KEY_PREFIX: "kyc:prod:",
        MEMORY_STORE_MAX_SESSIONS: "50",
        MEMORY_STORE_MAX_SIGN_INS: "20",
        MEMORY_STORE_MAX_CONSENT_REQUESTS: "30",
        SIGN_IN_TTL_SECONDS: "300",
        CONSENT_REQUEST_TTL_SECONDS: "900",
        ALLOWED_REDIRECT_ORIGINS: "https://app.example.in/after/sign-in, http://localhost:3000",
        POST_LOGOUT_URL: "https://app.example.in/bye",
        DIGILOCKER_TOKEN_ENDPOINT: "v1",
        DIGILOCKER_JWKS_URL: "https://digilocker.example/jwks.json",
        DIGILOCKER_ID_TOKEN_ISSUER: "https://digilocker.example",
      }).auth,
    ).toEqual({
      sessionSecret: secret,
      redisUrl: "rediss://cache.example.in:6380/2",
      redisKeyPrefix: "kyc:prod:",
      memoryStore: { sessions: 50, signIns: 20, consentRequests: 30 },
      sessionMaxAgeSeconds: 7200,
      signInTtlSeconds: 300,
      consentRequestTtlSeconds: 900,
      allowedRedirectOrigins: ["https://app.example.in", "http://localhost:3000"],
      postLogoutUrl: "https://app.example.in/bye",
      tokenEndpoint: "v1",
      jwksUrl: "https://digilocker.example/jwks.json",
      idTokenIssuer: "https://digilocker.example",
    });
  });

  it("needs SESSION_SECRET with REDIS_URL, and refuses a short one without echoing it", () => {
    expect(() => loadConfig({ REDIS_URL: "redis://127.0.0.1:6379" })).toThrow(/SESSION_SECRET: required with REDIS_URL/);
    let error: unknown;
    try {
      loadConfig({ SESSION_SECRET: "too-short-to-be-safe", REDIS_URL: "127.0.0.1:6379", DIGILOCKER_TOKEN_ENDPOINT: "v3" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems.map((p) => p.split(":")[0])).toEqual(["SESSION_SECRET", "REDIS_URL", "DIGILOCKER_TOKEN_ENDPOINT"]);
    expect(message).not.toContain("too-short-to-be-safe");
  });
});

describe("loadConfig: rate limits and TRUST_PROXY", () => {
  it("applies the documented defaults when nothing is set: no proxy is trusted", () => {
    expect(loadConfig({}).rateLimits).toEqual({
      windowSeconds: 60,
      perClient: 600,
      writesPerClient: 60,
      partnerRequests: 600,
      partnerDigilockerCalls: 1_200,
      sessionRequests: 300,
      sessionDigilockerCalls: 1_000,
      trustProxy: null,
    });
  });

  it("reads every rate-limit variable; 0 turns a budget off", () => {
    expect(
      loadConfig({
        RATE_LIMIT_WINDOW_SECONDS: "10",
        RATE_LIMIT_PER_CLIENT: "0",
        RATE_LIMIT_WRITES_PER_CLIENT: "5",
        PARTNER_REQUESTS_PER_WINDOW: "0",
        PARTNER_DIGILOCKER_CALLS_PER_WINDOW: "1000000000",
        SESSION_REQUESTS_PER_WINDOW: "7",
        SESSION_DIGILOCKER_CALLS_PER_WINDOW: "0",
        TRUST_PROXY: "2",
      }).rateLimits,
    ).toEqual({
      windowSeconds: 10,
      perClient: 0,
      writesPerClient: 5,
      partnerRequests: 0,
      partnerDigilockerCalls: 1_000_000_000,
      sessionRequests: 7,
      sessionDigilockerCalls: 0,
      trustProxy: { hops: 2 },
    });
  });

  it("refuses partner and session budgets that are not whole numbers from 0 to 10^9, naming each", () => {
    expect(() =>
      loadConfig({ PARTNER_REQUESTS_PER_WINDOW: "-1", PARTNER_DIGILOCKER_CALLS_PER_WINDOW: "1000000001", SESSION_REQUESTS_PER_WINDOW: "ten", SESSION_DIGILOCKER_CALLS_PER_WINDOW: "1.5" }),
    ).toThrow(/PARTNER_REQUESTS_PER_WINDOW[\s\S]*PARTNER_DIGILOCKER_CALLS_PER_WINDOW[\s\S]*SESSION_REQUESTS_PER_WINDOW[\s\S]*SESSION_DIGILOCKER_CALLS_PER_WINDOW/);
  });

  it("reads TRUST_PROXY as false, hops, or a list of addresses, ranges and names", () => {
    const trust = (value: string) => loadConfig({ TRUST_PROXY: value }).rateLimits.trustProxy;
    expect(trust("false")).toBeNull();
    expect(trust("0")).toBeNull();
    expect(trust("1")).toEqual({ hops: 1 });
    expect(trust("loopback, 10.0.0.0/8,fd00::/8, 203.0.113.7")).toEqual({ addresses: ["loopback", "10.0.0.0/8", "fd00::/8", "203.0.113.7"] });
  });

  it("refuses TRUST_PROXY=true (any client could pick its address) and what is not an address", () => {
    expect(() => loadConfig({ TRUST_PROXY: "true" })).toThrow(/TRUST_PROXY: must be false, a number of proxy hops.*any client's X-Forwarded-For/);
    expect(() => loadConfig({ TRUST_PROXY: "proxy.internal" })).toThrow(/TRUST_PROXY: .*\(not proxy\.internal\)/);
    expect(() => loadConfig({ RATE_LIMIT_WINDOW_SECONDS: "0" })).toThrow(/RATE_LIMIT_WINDOW_SECONDS/);
  });
});

describe("loadConfig: the sandbox (SANDBOX_*)", () => {
  it("leaves every sandbox setting unset by default, so the sandbox's own defaults apply", () => {
    const { sandbox } = loadConfig({});
    expect(sandbox).toEqual({
      host: "127.0.0.1",
      port: undefined,
      clientId: undefined,
      clientSecret: undefined,
      redirectUris: undefined,
      accessTokenTtlSeconds: undefined,
      timestamp: "unix",
      faults: {
        latencyMs: undefined,
        errorRate: undefined,
        errorCode: undefined,
        dropRate: undefined,
        wrongHmac: undefined,
        endpoints: undefined,
      },
    });
    // What `npm run sandbox` then runs with: the documented defaults.
    expect(sandboxSettingsSchema.parse(sandbox)).toMatchObject({
      host: "127.0.0.1",
      port: 4010,
      clientId: "SANDBOX1",
      clientSecret: "sandbox-client-secret",
      redirectUris: ["http://localhost:4000/auth/callback", "http://127.0.0.1:4000/auth/callback"],
      accessTokenTtlSeconds: 3600,
      timestamp: "unix",
      faults: { latencyMs: 0, errorRate: 0, errorCode: "unexpected_error", dropRate: 0, wrongHmac: false, endpoints: [] },
    });
  });

  it("reads every sandbox variable", () => {
    const { sandbox } = loadConfig({
      SANDBOX_HOST: "0.0.0.0",
      SANDBOX_PORT: "4011",
      SANDBOX_CLIENT_ID: "MYSANDBOX",
      SANDBOX_CLIENT_SECRET: "a-longer-secret",
      SANDBOX_REDIRECT_URIS: " http://localhost:4000/auth/callback , https://app.example/cb,",
      SANDBOX_TOKEN_TTL_SECONDS: "60",
      SANDBOX_LATENCY_MS: "250",
      SANDBOX_ERROR_RATE: "0.25",
      SANDBOX_ERROR_CODE: "partner_service_unresponsive",
      SANDBOX_DROP_RATE: "1",
      SANDBOX_WRONG_HMAC: "true",
      SANDBOX_FAULT_ENDPOINTS: "files.issued, meta.issuers",
      DIGILOCKER_TS_CONVENTION: "unix-ist",
    });
    expect(sandbox).toEqual({
      host: "0.0.0.0",
      port: 4011,
      clientId: "MYSANDBOX",
      clientSecret: "a-longer-secret",
      redirectUris: ["http://localhost:4000/auth/callback", "https://app.example/cb"],
      accessTokenTtlSeconds: 60,
      // The sandbox reads ts under the same convention the gateway's client writes it.
      timestamp: "unix-ist",
      faults: {
        latencyMs: 250,
        errorRate: 0.25,
        errorCode: "partner_service_unresponsive",
        dropRate: 1,
        wrongHmac: true,
        endpoints: ["files.issued", "meta.issuers"],
      },
    });
    // And the sandbox accepts all of it.
    expect(sandboxSettingsSchema.safeParse(sandbox).success).toBe(true);
  });

  it("accepts port 0 (any free port), rates 0 and 1.0, and SANDBOX_WRONG_HMAC=false", () => {
    const { sandbox } = loadConfig({ SANDBOX_PORT: "0", SANDBOX_ERROR_RATE: "0", SANDBOX_DROP_RATE: "1.0", SANDBOX_WRONG_HMAC: "false" });
    expect(sandbox.port).toBe(0);
    expect(sandbox.faults).toMatchObject({ errorRate: 0, dropRate: 1, wrongHmac: false });
  });

  it("treats empty sandbox variables as unset", () => {
    const { sandbox } = loadConfig({ SANDBOX_PORT: "", SANDBOX_CLIENT_SECRET: "", SANDBOX_FAULT_ENDPOINTS: "" });
    expect(sandbox).toMatchObject({ port: undefined, clientSecret: undefined, faults: { endpoints: undefined } });
  });

  it.each([
    ["SANDBOX_PORT", "65536"],
    ["SANDBOX_PORT", "http"],
    ["SANDBOX_HOST", "  "],
    ["SANDBOX_CLIENT_ID", "   "],
    ["SANDBOX_CLIENT_SECRET", "short"],
    ["SANDBOX_REDIRECT_URIS", "not a url"],
    ["SANDBOX_REDIRECT_URIS", " , "],
    ["SANDBOX_REDIRECT_URIS", "localhost:4000/auth/callback"],
    ["SANDBOX_REDIRECT_URIS", "http://localhost:4000/cb,javascript:alert(1)"],
    ["SANDBOX_TOKEN_TTL_SECONDS", "0"],
    ["SANDBOX_LATENCY_MS", "-5"],
    ["SANDBOX_LATENCY_MS", "1.5"],
    ["SANDBOX_ERROR_RATE", "1.5"],
    ["SANDBOX_ERROR_RATE", "50%"],
    ["SANDBOX_ERROR_RATE", ".5"],
    ["SANDBOX_ERROR_CODE", "Unexpected Error"],
    ["SANDBOX_DROP_RATE", "-0.1"],
    ["SANDBOX_WRONG_HMAC", "yes"],
    ["SANDBOX_FAULT_ENDPOINTS", "files.issued,files.isued"],
  ])("refuses %s=%j, naming the variable", (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
  });

  it("lists the endpoint ids when one is misspelt, and never prints the sandbox secret", () => {
    let error: unknown;
    try {
      loadConfig({ SANDBOX_FAULT_ENDPOINTS: "meta.issuer", SANDBOX_CLIENT_SECRET: "tiny", SANDBOX_ERROR_RATE: "2" });
    } catch (e) {
      error = e;
    }
    const { problems, message } = error as ConfigError;
    expect(problems).toHaveLength(3);
    expect(message).toContain("meta.issuers, meta.docTypes");
    expect(message).not.toContain("tiny");
  });
});

describe("loadConfig: production and the settings partners replaced", () => {
  it.each([
    [{}, false],
    [{ NODE_ENV: "production" }, true],
    [{ NODE_ENV: " production " }, true],
    [{ NODE_ENV: "development" }, false],
    [{ NODE_ENV: "test" }, false],
    [{ NODE_ENV: "Production" }, false],
  ])("NODE_ENV %j: production is %s", (env, production) => {
    expect(loadConfig(env).gateway.production).toBe(production);
    // Production's parts follow it unless set on their own.
    expect(loadConfig(env).gateway).toMatchObject({ persistedOnly: production, introspection: !production, graphiql: !production });
  });

  it.each([["true"], ["false"], ["yes"]])("refuses PUSH_URI_ENABLED=%j, pointing at the uri:push scope", (value) => {
    let error: unknown;
    try {
      loadConfig({ PUSH_URI_ENABLED: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^PUSH_URI_ENABLED: .*uri:push/)]);
  });
});

describe("loadConfig: tenants' credentials (CREDENTIALS_ENCRYPTION_KEYS, TENANT_CLIENTS_MAX)", () => {
  const KEY_1 = Buffer.alloc(32, 1);
  const KEY_2 = Buffer.alloc(32, 2);

  function problems(env: Record<string, string>): readonly string[] {
    try {
      loadConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    return [];
  }

  it("has no keys and 100 clients by default: storing credentials is then refused, never sealed with a per-process key", () => {
    expect(loadConfig({}).tenants).toEqual({ encryptionKeys: [], maxClients: 100 });
  });

  it("reads keyId:base64 entries in order (the first seals), standard or URL-safe base64, blanks around entries ignored", () => {
    const env = {
      CREDENTIALS_ENCRYPTION_KEYS: ` k2025-06:${KEY_2.toString("base64")} , k2024.1:${KEY_1.toString("base64url")}`,
      TENANT_CLIENTS_MAX: "25",
    };
    expect(loadConfig(env).tenants).toEqual({
      encryptionKeys: [
        { id: "k2025-06", key: KEY_2 },
        { id: "k2024.1", key: KEY_1 },
      ],
      maxClients: 25,
    });
  });

  it.each([
    ["a key of 16 bytes", `k1:${Buffer.alloc(16, 7).toString("base64")}`, /key "k1" is 16 bytes: it must be exactly 32/],
    ["a key that is not base64", "k1:not*base64*at*all", /key "k1" is not base64/],
    ["an empty key", "k1:", /key "k1" is not base64/],
    ["an id with a blank", `key one:${KEY_1.toString("base64")}`, /entry 1 must be keyId:base64/],
    ["an id that is too long", `${"k".repeat(33)}:${KEY_1.toString("base64")}`, /entry 1 must be keyId:base64/],
    ["a key without its id", KEY_1.toString("base64"), /entry 1 must be keyId:base64/],
    ["an id given twice", `k1:${KEY_1.toString("base64")},k1:${KEY_2.toString("base64")}`, /key id "k1" is given twice/],
    ["no entry at all", " , ", /lists no key/],
  ])("refuses %s, naming CREDENTIALS_ENCRYPTION_KEYS", (_what, value, message) => {
    const found = problems({ CREDENTIALS_ENCRYPTION_KEYS: value });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^CREDENTIALS_ENCRYPTION_KEYS: /);
    expect(found[0]).toMatch(message);
  });

  it("reports every bad entry together, by position, without quoting key material", () => {
    const secretish = Buffer.alloc(32, 9).toString("base64");
    const found = problems({ CREDENTIALS_ENCRYPTION_KEYS: `${secretish}:${secretish},k2:${Buffer.alloc(8).toString("base64")}` });
    expect(found).toEqual([expect.stringMatching(/entry 1 must be keyId:base64.*; key "k2" is 8 bytes/)]);
    expect(found.join("\n")).not.toContain(secretish.slice(0, 12));
  });

  it.each([["0"], ["10001"], ["many"]])("refuses TENANT_CLIENTS_MAX=%j", (value) => {
    expect(problems({ TENANT_CLIENTS_MAX: value })).toEqual([expect.stringMatching(/^TENANT_CLIENTS_MAX: /)]);
  });
});

describe("the documented variables", () => {
  const envExample = readFileSync(new URL("../../.env.example", import.meta.url), "utf8");
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

  /** Read only to refuse them at start, with a message naming what replaced them: not documented as settings. */
  const retired: ReadonlySet<string> = new Set(["PUSH_URI_ENABLED"]);

  it.each(configVariables.filter((name) => !retired.has(name)))("%s is in .env.example and the README's table", (name) => {
    expect(envExample).toMatch(new RegExp(`^# ${name}=`, "m"));
    expect(readme).toMatch(new RegExp(`^\\|[^\\n]*\`${name}\``, "m"));
  });

  it("every example value in .env.example is accepted as it stands", () => {
    const env: Record<string, string> = {};
    for (const [, name = "", value = ""] of envExample.matchAll(/^# ([A-Z_]+)=(.*)$/gm)) env[name] = value;
    // The credentials are shown empty (both unset): a valid pair.
    expect(() => loadConfig(env)).not.toThrow();
  });
});
