// Builds every long-lived service from the configuration, without a socket: the store, the embedded sandbox
// (when no DigiLocker credentials are set), the client, the caches, sign-in and the rate limiter. startGateway,
// the tests and the benchmark all build them here; later capabilities (the database, partners) join here too.
import { randomBytes } from "node:crypto";
import { createAuth } from "../auth/index.js";
import { publicCallbackUrl } from "../auth/redirects.js";
import { CatalogMemo } from "../cache/catalog-memo.js";
import { MetaCache } from "../cache/meta-cache.js";
import { UserData } from "../cache/user-data.js";
import type { Clock } from "../cache/cached-fetcher.js";
import type { Config } from "../config.js";
import { DigiLockerClient } from "../digilocker/index.js";
import { DocumentContents } from "../documents/document-contents.js";
import { signingTrust } from "../documents/signing-trust.js";
import { DownloadLinks } from "../files/download-links.js";
import { openDatabase } from "../db/database.js";
import { Partners } from "../partners/partners.js";
import { createTenants } from "../tenants/tenants.js";
import type { CatalogEntry } from "../graphql/types/catalog.js";
import type { Services } from "../graphql/context.js";
import { sandboxSigningCertificates } from "../sandbox/keys.js";
import { SECOND_CLIENT } from "../sandbox/seed/clients.js";
import { startSandbox, type Sandbox, type SandboxDeps } from "../sandbox/server.js";
import { MemoryStore, RedisStore, Vault, type Store } from "../store/index.js";
import type { Logger } from "./logger.js";
import { RateLimiter, type Budget, type BudgetName } from "./rate-limiter.js";
import { UpstreamCalls } from "./upstream-calls.js";

export interface ServiceDeps {
  /** The origin browsers use: sign-in links and callbacks are built on it. */
  publicUrl: string;
  logger: Logger;
  /** Clock for the caches and the memory store (tests move it to expire entries). */
  clock?: Clock;
  /** Wall clock for sessions, sign-in and the client's meta `ts`, epoch ms (tests move it to expire tokens). */
  now?: () => number;
  /** The embedded sandbox's clock and randomness (tests expire its codes and tokens). */
  sandbox?: SandboxDeps;
}

export interface BuiltServices {
  services: Services;
  upstreamCalls: UpstreamCalls;
  /** The embedded sandbox, when no DigiLocker credentials were configured. */
  sandbox: Sandbox | null;
  /** Closes what the services hold open (pools, the store, the limiter, the sandbox), once nothing uses them. */
  close(): Promise<void>;
}

export async function buildServices(config: Config, deps: ServiceDeps): Promise<BuiltServices> {
  const dl = config.digilocker;
  const a = config.auth;
  const g = config.gateway;
  const opened: { close(): Promise<void> }[] = [];
  const closeOpened = async () => {
    for (const resource of opened.reverse()) await resource.close();
  };
  try {
    // First: a Redis that does not answer fails the start before anything else is built.
    const store: Store =
      a.redisUrl === null
        ? new MemoryStore({
            partitions: {
              // Only a completed DigiLocker sign-in makes a session; nothing anonymous can evict one.
              session: { maxEntries: a.memoryStore.sessions, whenFull: "evict" },
              signin: { maxEntries: a.memoryStore.signIns, whenFull: "refuse" },
              // Consent requests' session links (auth/consent-requests.ts): like sessions, only a completed consent makes one.
              consent: { maxEntries: a.memoryStore.consentRequests, whenFull: "evict" },
              // Only a signed-in caller makes links; one pushed out answers 410 link_expired and is made again.
              download: { maxEntries: config.downloads.memoryStoreMaxLinks, whenFull: "evict" },
            },
            ...(deps.clock ? { clock: deps.clock } : {}),
          })
        : await RedisStore.connect({ url: a.redisUrl, keyPrefix: a.redisKeyPrefix });
    opened.push(store);
    const r = config.rateLimits;
    const window = (points: number) => ({ points, windowSeconds: r.windowSeconds });
    // Partner and app budgets' points are the defaults: a partner's own limits replace them per key (partner-budgets.ts).
    const budgets: Record<BudgetName, Budget> = {
      client: window(r.perClient),
      writes: window(r.writesPerClient),
      "partner-requests": window(r.partnerRequests),
      "partner-digilocker-calls": window(r.partnerDigilockerCalls),
      "app-requests": window(r.partnerRequests),
      "app-digilocker-calls": window(r.partnerDigilockerCalls),
      "session-requests": window(r.sessionRequests),
      "session-digilocker-calls": window(r.sessionDigilockerCalls),
    };
    const limiter =
      a.redisUrl === null
        ? RateLimiter.memory(budgets)
        : await RateLimiter.redis({ url: a.redisUrl, keyPrefix: `${a.redisKeyPrefix}rl:`, budgets });
    opened.push(limiter);
    // PostgreSQL that does not answer fails the start here; in memory, PGlite starts on the first query.
    const database = await openDatabase(config.database, deps.logger);
    opened.push(database);

    let sandbox: Sandbox | null = null;
    let credentials = dl.credentials;
    let baseUrl = dl.baseUrl;
    if (credentials === null) {
      sandbox = await startSandbox(config.sandbox, deps.sandbox);
      opened.push(sandbox);
      credentials = { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret };
      baseUrl = sandbox.baseUrl;
    }
    const upstreamCalls = new UpstreamCalls();
    const client = new DigiLockerClient(
      {
        baseUrl,
        ...credentials,
        tokenAuth: dl.tokenAuth,
        metaEncoding: dl.metaEncoding,
        timestamp: dl.timestamp,
        fileHmac: dl.fileHmac,
        // The pool size bounds how many calls are in flight at once: a cold catalogue never floods DigiLocker.
        pool: { connections: g.upstreamConcurrency },
        ...(dl.requestTimeoutMs === undefined ? {} : { timeouts: { requestMs: dl.requestTimeoutMs } }),
        ...(dl.maxRetries === undefined ? {} : { retry: { maxRetries: dl.maxRetries } }),
      },
      // The same wall clock as sessions: meta calls sign `ts` with it.
      { onCall: upstreamCalls.record, ...(deps.now ? { now: deps.now } : {}) },
    );
    opened.push(client);
    const userData = new UserData(client, {
      maxEntries: g.userCacheMaxEntries,
      accountTtlMs: g.userAccountCacheTtlSeconds * 1000,
      clock: deps.clock,
    });
    const now = deps.now ?? Date.now;
    const metaCacheOptions = {
      ttlMs: g.metaCacheTtlSeconds * 1000,
      statisticsTtlMs: g.statisticsCacheTtlSeconds * 1000,
      maxEntries: g.metaCacheMaxEntries,
    };
    const meta = new MetaCache(client, { ...metaCacheOptions, clock: deps.clock });
    // Beside the one MetaCache whose lists it derives from, for as long as it lives.
    const catalog = new CatalogMemo<CatalogEntry>();
    // Partners' own clients (docs/tenants.md), before sign-in: their consent requests sign in and refresh through them.
    const tenants = createTenants<CatalogEntry>({
      db: database.db,
      encryptionKeys: config.tenants.encryptionKeys,
      maxClients: config.tenants.maxClients,
      gateway: { client, meta, catalog },
      metaCache: metaCacheOptions,
      ...(deps.clock ? { clock: deps.clock } : {}),
      clientDeps: { onCall: upstreamCalls.record, ...(deps.now ? { now: deps.now } : {}) },
      now,
      log: deps.logger,
      callbackUrl: publicCallbackUrl(deps.publicUrl),
    });
    // Closed before the gateway's client and the database: partners' clients finish their calls first.
    opened.push(tenants);
    // Without SESSION_SECRET (memory store only, see config.ts) a per-process key: sessions die with the process anyway.
    // One value for the Vault and the download links, so the process has one secret, whichever it is.
    const secret = a.sessionSecret ?? randomBytes(48).toString("base64");
    const vault = new Vault(store, secret);
    const auth = createAuth(
      {
        ...a,
        publicUrl: deps.publicUrl,
        // The embedded sandbox signs id_tokens with its own key, as its own issuer.
        jwksUrl: sandbox ? `${sandbox.origin}/.well-known/jwks.json` : a.jwksUrl,
        idTokenIssuer: sandbox ? sandbox.origin : a.idTokenIssuer,
      },
      {
        vault,
        db: database.db,
        client,
        tenants: tenants.clients,
        userData,
        now,
        log: deps.logger,
      },
    );
    if (sandbox) {
      // Its second client too: a partner trying its own credentials (SANDBOX2) registers this gateway's callback.
      for (const uri of auth.redirects.callbackUrls()) {
        sandbox.registerRedirectUri(uri);
        if (sandbox.clientId !== SECOND_CLIENT.id) sandbox.registerRedirectUri(uri, SECOND_CLIENT.id);
      }
    }
    const services: Services = {
      client,
      meta,
      catalog,
      tenants,
      userData,
      auth,
      store,
      limiter,
      trustProxy: config.rateLimits.trustProxy,
      upstreamBudget: config.limits.maxUpstreamCalls,
      database,
      partners: new Partners(
        { db: database.db, now: () => new Date(now()), log: deps.logger, empty: () => database.unopened() },
      ),
      production: config.gateway.production,
      // The sandbox's signing certificates (their keys are in this repository) are trusted only with the sandbox running.
      contents: new DocumentContents({
        trust: signingTrust({
          configuredFiles: config.documents.trustedCertificateFiles,
          sandboxCertificates: sandboxSigningCertificates(),
          embeddedSandbox: sandbox !== null,
        }),
        now,
      }),
      downloadLinks: new DownloadLinks({ vault, secret, publicUrl: deps.publicUrl, ttlSeconds: config.downloads.linkTtlSeconds, now }),
    };
    return { services, upstreamCalls, sandbox, close: closeOpened };
  } catch (error) {
    await closeOpened();
    throw error;
  }
}
