// Which DigiLocker client serves a partner (docs/tenants.md): its own, built from its stored credentials, with a
// meta cache and catalogue memo of its own (another client id may see another catalogue); or the gateway's, when it
// has none. Clients are built on first use and kept in an LRU of TENANT_CLIENTS_MAX; one pushed out, or replaced
// after a change, is closed once the last lease on it is released, so a call in flight finishes on the client it
// started with (DigiLockerClient.close() lets requests already sent finish, but refuses new ones: a retry, or the
// next call of the same request, would fail).
//
// A change made through this instance applies at once (TenantCredentials.onChange). One made on another instance is
// seen within versionTtlMs: each partner's credentials version is read from the database at most once per interval
// (default 5 s, like the partners' key cache) and compared with the client held.
import { LRUCache } from "lru-cache";
import { CatalogMemo } from "../cache/catalog-memo.js";
import { MetaCache, type MetaCacheOptions } from "../cache/meta-cache.js";
import type { DigiLockerClient } from "../digilocker/index.js";
import type { TokenEndpoint } from "./credentials-input.js";
import type { TenantClientFactory } from "./client-factory.js";
import type { TenantCredentials } from "./tenant-credentials.js";

/** What serves one partner's calls; `E` is the catalogue's entry type (Services.catalog). */
export interface TenantBundle<E> {
  client: DigiLockerClient;
  meta: MetaCache;
  catalog: CatalogMemo<E>;
}

/** The credentials a tenant's client was built from (no secret); what sign-in needs besides the client. */
export interface TenantIdentity {
  partnerId: string;
  clientId: string;
  redirectUri: string;
  tokenEndpoint: TokenEndpoint;
  version: number;
}

export interface Tenant<E> extends TenantBundle<E> {
  /** Null: the gateway's own client and credentials serve this caller. */
  readonly identity: TenantIdentity | null;
}

/** A tenant held for a while: release() when done with it (once; more calls do nothing). */
export interface TenantLease<E> extends Tenant<E> {
  release(): void;
}

export interface TenantClientsOptions {
  /** Most partners' clients kept (TENANT_CLIENTS_MAX). */
  maxClients: number;
  /** How long a partner's credentials version read from the database is trusted (default 5000 ms). */
  versionTtlMs?: number;
}

export interface TenantClientsDeps<E> {
  credentials: TenantCredentials;
  /** The gateway's own client, meta cache and memo: for callers without a partner, or whose partner has no credentials. */
  gateway: TenantBundle<E>;
  createClient: TenantClientFactory;
  /** A tenant's meta cache settings (the gateway's TTLs and size). */
  metaCache: MetaCacheOptions;
  /** Milliseconds, for the version interval (tests move it). */
  now: () => number;
}

interface Entry<E> {
  tenant: Tenant<E> & { identity: TenantIdentity };
  leases: number;
  /** Out of the cache: closed when `leases` reaches 0. */
  retired: boolean;
  closed: Promise<void> | null;
}

/** A partner's credentials version as last read: null when it has none. */
interface Known {
  version: number | null;
  readAt: number;
}

/** Partners whose version is remembered (a partner without credentials costs an entry too, and no client). */
const KNOWN_MAX = 10_000;

export class TenantClients<E> {
  readonly #deps: TenantClientsDeps<E>;
  readonly #versionTtlMs: number;
  readonly #known = new LRUCache<string, Known>({ max: KNOWN_MAX });
  readonly #entries: LRUCache<string, Entry<E>>;
  /** One version read and one build per partner at a time; others wait for it. */
  readonly #reading = new Map<string, Promise<Known>>();
  readonly #building = new Map<string, Promise<Entry<E> | null>>();
  /** Retired entries still leased. */
  readonly #draining = new Set<Entry<E>>();
  readonly #gateway: TenantLease<E>;
  readonly #unsubscribe: () => void;
  /** One more at each change made through this instance: a read begun before it must not be kept after it. */
  #generation = 0;
  #closed = false;

  constructor(deps: TenantClientsDeps<E>, options: TenantClientsOptions) {
    this.#deps = deps;
    this.#versionTtlMs = options.versionTtlMs ?? 5_000;
    this.#entries = new LRUCache<string, Entry<E>>({
      max: options.maxClients,
      // Pushed out, replaced or deleted: closed once nobody holds it.
      dispose: (entry) => { this.#retire(entry); },
    });
    this.#gateway = { ...deps.gateway, identity: null, release: () => undefined };
    this.#unsubscribe = deps.credentials.onChange((partnerId) => {
      this.#generation++;
      this.#known.delete(partnerId);
      this.#entries.delete(partnerId);
    });
  }

  /**
   * The tenant serving `partnerId` (null: no partner), held until release(). The gateway's own when the partner has
   * no credentials. Throws SealedSecretUnreadable when its stored secret does not open (never falls back to the
   * gateway's credentials: the partner's users consented to the partner's client).
   */
  async clientFor(partnerId: string | null): Promise<TenantLease<E>> {
    if (this.#closed) throw new Error("TenantClients is closed");
    if (partnerId === null) return this.#gateway;
    // A build's entry may be retired (pushed out by another partner's) before this caller takes its lease: ask again.
    for (;;) {
      const entry = await this.#entryFor(partnerId);
      if (entry === null) return this.#gateway;
      if (!entry.retired) return this.#lease(entry);
    }
  }

  /**
   * True when the partner is known, within the version interval, to have no credentials of its own: it is then served
   * by the gateway's client, and a request can say so without a promise.
   */
  knownWithoutCredentials(partnerId: string): boolean {
    const known = this.#known.get(partnerId);
    return known !== undefined && known.version === null && this.#deps.now() - known.readAt < this.#versionTtlMs;
  }

  /** The gateway's own client, meta cache and memo, as a lease whose release() does nothing: what clientFor(null) gives. */
  get gateway(): TenantLease<E> {
    return this.#gateway;
  }

  /** Runs `use` with the partner's tenant and releases it after, however `use` ends. */
  async with<T>(partnerId: string | null, use: (tenant: Tenant<E>) => Promise<T>): Promise<T> {
    const lease = await this.clientFor(partnerId);
    try {
      return await use(lease);
    } finally {
      lease.release();
    }
  }

  /** Partners' clients held now (not the gateway's), and those retired but still leased. */
  get size(): { clients: number; draining: number } {
    return { clients: this.#entries.size, draining: this.#draining.size };
  }

  /**
   * Closes every partner's client, leased or not (the gateway's is its owner's to close), and waits for them: at
   * shutdown, after requests have drained. Calls already sent still finish (DigiLockerClient.close()).
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#unsubscribe();
    const all = [...this.#entries.values(), ...this.#draining];
    this.#entries.clear();
    await Promise.all(all.map((entry) => this.#close(entry)));
  }

  async #entryFor(partnerId: string): Promise<Entry<E> | null> {
    const known = await this.#version(partnerId);
    if (known.version === null) {
      this.#entries.delete(partnerId);
      return null;
    }
    const entry = this.#entries.get(partnerId);
    if (entry?.tenant.identity.version === known.version) return entry;
    return this.#build(partnerId);
  }

  #version(partnerId: string): Promise<Known> {
    const known = this.#known.get(partnerId);
    if (known !== undefined && this.#deps.now() - known.readAt < this.#versionTtlMs) return Promise.resolve(known);
    let reading = this.#reading.get(partnerId);
    if (reading === undefined) {
      const readAt = this.#deps.now();
      const generation = this.#generation;
      reading = this.#deps.credentials
        .version(partnerId)
        .then((version) => {
          const read = { version, readAt };
          if (generation === this.#generation) this.#known.set(partnerId, read);
          return read;
        })
        .finally(() => this.#reading.delete(partnerId));
      this.#reading.set(partnerId, reading);
    }
    return reading;
  }

  #build(partnerId: string): Promise<Entry<E> | null> {
    let building = this.#building.get(partnerId);
    if (building === undefined) {
      building = this.#load(partnerId).finally(() => this.#building.delete(partnerId));
      this.#building.set(partnerId, building);
    }
    return building;
  }

  async #load(partnerId: string): Promise<Entry<E> | null> {
    const readAt = this.#deps.now();
    const generation = this.#generation;
    const opened = await this.#deps.credentials.open(partnerId);
    // A change committed here while the row was read: read it again rather than keep what may be the old one.
    if (generation !== this.#generation) return this.#load(partnerId);
    this.#known.set(partnerId, { version: opened?.version ?? null, readAt });
    if (opened === null) {
      this.#entries.delete(partnerId);
      return null;
    }
    const held = this.#entries.get(partnerId);
    if (held?.tenant.identity.version === opened.version) return held;
    const client = this.#deps.createClient({ clientId: opened.clientId, clientSecret: opened.clientSecret.reveal() });
    const entry: Entry<E> = {
      tenant: {
        client,
        meta: new MetaCache(client, this.#deps.metaCache),
        catalog: new CatalogMemo<E>(),
        identity: {
          partnerId,
          clientId: opened.clientId,
          redirectUri: opened.redirectUri,
          tokenEndpoint: opened.tokenEndpoint,
          version: opened.version,
        },
      },
      leases: 0,
      retired: false,
      closed: null,
    };
    if (this.#closed) {
      await client.close();
      throw new Error("TenantClients is closed");
    }
    // Replacing the partner's older entry retires it (dispose).
    this.#entries.set(partnerId, entry);
    return entry;
  }

  #lease(entry: Entry<E>): TenantLease<E> {
    entry.leases++;
    let released = false;
    return {
      ...entry.tenant,
      release: () => {
        if (released) return;
        released = true;
        entry.leases--;
        if (entry.retired && entry.leases === 0) void this.#close(entry);
      },
    };
  }

  #retire(entry: Entry<E>): void {
    if (entry.retired) return;
    entry.retired = true;
    if (entry.leases === 0) void this.#close(entry);
    else this.#draining.add(entry);
  }

  #close(entry: Entry<E>): Promise<void> {
    this.#draining.delete(entry);
    // A failure to close a pool leaves nothing to do but let it go.
    entry.closed ??= entry.tenant.client.close().catch(() => undefined);
    return entry.closed;
  }
}
