// Tenants (docs/tenants.md), built in one call for services.ts: the credentials table behind its sealer, the service
// that checks and stores a partner's credentials, and the clients that serve each partner.
import type { Kysely } from "kysely";
import type { Clock } from "../cache/cached-fetcher.js";
import type { CatalogMemo } from "../cache/catalog-memo.js";
import type { MetaCache, MetaCacheOptions } from "../cache/meta-cache.js";
import type { Tables } from "../db/tables.js";
import type { ClientDeps, DigiLockerClient } from "../digilocker/index.js";
import { tenantClientFactory } from "./client-factory.js";
import { CredentialSealer, type EncryptionKey } from "./credential-sealing.js";
import { TenantCredentialsService, type CredentialsLog } from "./credentials-service.js";
import { TenantClients } from "./tenant-clients.js";
import { TenantCredentials } from "./tenant-credentials.js";

export interface TenantsDeps<E> {
  db: Kysely<Tables>;
  /** config.tenants.encryptionKeys (CREDENTIALS_ENCRYPTION_KEYS): the first seals, all open; empty: nothing is stored. */
  encryptionKeys: readonly EncryptionKey[];
  /** config.tenants.maxClients (TENANT_CLIENTS_MAX). */
  maxClients: number;
  /** The gateway's own client, meta cache and catalogue memo: tenants' clients copy the client's settings. */
  gateway: { client: DigiLockerClient; meta: MetaCache; catalog: CatalogMemo<E> };
  /** Tenants' meta caches: the gateway's TTLs and size (config.gateway). */
  metaCache: Omit<MetaCacheOptions, "clock">;
  /** The caches' clock (tests move it). */
  clock?: Clock;
  /** What tenants' clients share with the gateway's: its wall clock (meta `ts`) and call counter (metrics). */
  clientDeps?: ClientDeps;
  /** Wall clock, epoch ms: checkedAt and updatedAt, and the version interval. */
  now: () => number;
  log: CredentialsLog;
  /** How long an instance trusts a partner's credentials version before reading it again (default 5000 ms). */
  versionTtlMs?: number;
  /** This gateway's /auth/callback on its public origin: the one redirect URI partners may register (credentials-service.ts). */
  callbackUrl?: string;
}

export interface Tenants<E> {
  credentials: TenantCredentials;
  service: TenantCredentialsService;
  clients: TenantClients<E>;
  /** Closes partners' clients (the gateway's stays its owner's). */
  close(): Promise<void>;
}

export function createTenants<E>(deps: TenantsDeps<E>): Tenants<E> {
  const now = () => new Date(deps.now());
  const credentials = new TenantCredentials({ db: deps.db, sealer: new CredentialSealer(deps.encryptionKeys), now });
  const createClient = tenantClientFactory(deps.gateway.client, deps.clientDeps);
  const service = new TenantCredentialsService({
    credentials,
    createClient,
    now,
    log: deps.log,
    ...(deps.callbackUrl === undefined ? {} : { callbackUrl: deps.callbackUrl }),
  });
  const clients = new TenantClients<E>(
    {
      credentials,
      gateway: deps.gateway,
      createClient,
      metaCache: { ...deps.metaCache, ...(deps.clock ? { clock: deps.clock } : {}) },
      now: deps.now,
    },
    { maxClients: deps.maxClients, ...(deps.versionTtlMs === undefined ? {} : { versionTtlMs: deps.versionTtlMs }) },
  );
  return { credentials, service, clients, close: () => clients.close() };
}
