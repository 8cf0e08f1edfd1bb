// Which DigiLocker client serves a partner, on PostgreSQL and PGlite, against the sandbox: the gateway's until the
// partner stores credentials, its own after; a client replaced while a call is in flight lets that call finish and is
// closed after; two instances over one database see each other's change once the version interval has passed (an
// injected clock, no sleeping); clients pushed out of the LRU are closed once released.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { CatalogMemo } from "../../../src/cache/catalog-memo.js";
import { MetaCache } from "../../../src/cache/meta-cache.js";
import { DigiLockerClient, DigiLockerConnectionError } from "../../../src/digilocker/index.js";
import { Partners } from "../../../src/partners/partners.js";
import { SECOND_CLIENT } from "../../../src/sandbox/seed/clients.js";
import { startSandbox, type Sandbox } from "../../../src/sandbox/server.js";
import { tenantClientFactory, type TenantClientFactory } from "../../../src/tenants/client-factory.js";
import { CredentialSealer, SealedSecretUnreadable, type EncryptionKey } from "../../../src/tenants/credential-sealing.js";
import type { CheckedCredentialsInput } from "../../../src/tenants/credentials-input.js";
import { TenantClients, type TenantBundle } from "../../../src/tenants/tenant-clients.js";
import { TenantCredentials } from "../../../src/tenants/tenant-credentials.js";
import { BACKENDS, openTestDatabase, type TestDatabase } from "../../helpers/databases.js";

const KEYS: EncryptionKey[] = [{ id: "k1", key: Buffer.alloc(32, 1) }];
const META = { ttlMs: 60_000, statisticsTtlMs: 60_000, maxEntries: 100 };
const TTL = 5_000;

describe.each(BACKENDS)("TenantClients on %s", (kind) => {
  let database: TestDatabase;
  let sandbox: Sandbox;
  let gateway: TenantBundle<unknown>;
  let clock: number;
  let partnerId: string;
  let otherId: string;
  /** Every client built for a tenant, with a spy on its close(). */
  let built: { client: DigiLockerClient; close: ReturnType<typeof vi.fn> }[];
  let open: TenantClients<unknown>[];
  const now = () => clock;
  const tenantOne = (): CheckedCredentialsInput => ({ clientId: SECOND_CLIENT.id, clientSecret: SECOND_CLIENT.secret, redirectUri: "https://a.example/auth/callback", tokenEndpoint: "v1" });
  const tenantTwo = (): CheckedCredentialsInput => ({ clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, redirectUri: "https://b.example/auth/callback", tokenEndpoint: "openid" });

  const repository = (keys = KEYS) => new TenantCredentials({ db: database.db, sealer: new CredentialSealer(keys), now: () => new Date(clock) });

  function instance(credentials = repository(), maxClients = 10): TenantClients<unknown> {
    const factory = tenantClientFactory(gateway.client);
    const createClient: TenantClientFactory = (c, o) => {
      const client = factory(c, o);
      const close = vi.fn(client.close.bind(client));
      client.close = close;
      built.push({ client, close });
      return client;
    };
    const clients = new TenantClients({ credentials, gateway, createClient, metaCache: META, now }, { maxClients, versionTtlMs: TTL });
    open.push(clients);
    return clients;
  }

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    sandbox = await startSandbox({ port: 0 });
    const client = new DigiLockerClient({ baseUrl: sandbox.baseUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, retry: { maxRetries: 0 } });
    gateway = { client, meta: new MetaCache(client, META), catalog: new CatalogMemo() };
  });
  afterAll(async () => {
    await gateway.client.close();
    await sandbox.close();
    await database.close();
  });
  beforeEach(async () => {
    await database.reset();
    sandbox.setFaults({});
    clock = Date.parse("2025-06-01T10:00:00Z");
    built = [];
    open = [];
    const partners = new Partners({ db: database.db, now: () => new Date(clock) });
    partnerId = (await partners.create({ name: "Acme KYC" })).partner.id;
    otherId = (await partners.create({ name: "Other KYC" })).partner.id;
  });
  afterEach(async () => {
    for (const clients of open) await clients.close();
  });

  it("serves a caller without a partner, and a partner without credentials, with the gateway's own client", async () => {
    const clients = instance();
    for (const id of [null, partnerId]) {
      const lease = await clients.clientFor(id);
      expect(lease.identity).toBeNull();
      expect(lease.client).toBe(gateway.client);
      expect(lease.meta).toBe(gateway.meta);
      expect(lease.catalog).toBe(gateway.catalog);
      lease.release();
    }
    expect(built).toEqual([]);
  });

  it("uses the partner's own client, meta cache and memo once it has credentials (this instance: at once)", async () => {
    const credentials = repository();
    const clients = instance(credentials);
    (await clients.clientFor(partnerId)).release();
    await credentials.put(partnerId, tenantOne(), new Date(clock));
    const lease = await clients.clientFor(partnerId);
    expect(lease.identity).toEqual({ partnerId, clientId: "SANDBOX2", redirectUri: "https://a.example/auth/callback", tokenEndpoint: "v1", version: 1 });
    expect(lease.client.settings.clientId).toBe("SANDBOX2");
    expect(lease.client.settings.baseUrl).toBe(sandbox.baseUrl);
    expect(lease.meta).not.toBe(gateway.meta);
    expect(lease.catalog).not.toBe(gateway.catalog);
    // The sandbox accepts the call signed with SANDBOX2's secret: the client really holds the tenant's credentials.
    expect((await lease.meta.issuers()).all.length).toBeGreaterThan(0);
    lease.release();
    // Kept: the next request gets the same client; another partner still gets the gateway's.
    const again = await clients.clientFor(partnerId);
    expect(again.client).toBe(lease.client);
    again.release();
    expect((await clients.clientFor(otherId)).client).toBe(gateway.client);
    expect(built).toHaveLength(1);
  });

  it("builds one client for concurrent first requests, and reads the version at most once per interval", async () => {
    const credentials = repository();
    await credentials.put(partnerId, tenantOne(), new Date(clock));
    const versions = vi.spyOn(credentials, "version");
    const clients = instance(credentials);
    const leases = await Promise.all(Array.from({ length: 5 }, () => clients.clientFor(partnerId)));
    expect(new Set(leases.map((l) => l.client)).size).toBe(1);
    for (let i = 0; i < 5; i++) (await clients.clientFor(partnerId)).release();
    expect(versions).toHaveBeenCalledTimes(1);
    clock += TTL;
    (await clients.clientFor(partnerId)).release();
    expect(versions).toHaveBeenCalledTimes(2);
    expect(built).toHaveLength(1);
    for (const lease of leases) lease.release();
  });

  it("lets a call in flight finish on the old client when the credentials change, closes it after, and serves the next with the new", async () => {
    const credentials = repository();
    await credentials.put(partnerId, tenantOne(), new Date(clock));
    const clients = instance(credentials);
    const before = await clients.clientFor(partnerId);
    sandbox.setFaults({ latencyMs: 300, endpoints: ["meta.statistics"] });
    const inFlight = before.client.meta.statistics();
    // Rotated while the call is on its way.
    await credentials.put(partnerId, tenantTwo(), new Date(clock));
    const after = await clients.clientFor(partnerId);
    expect(after.identity).toMatchObject({ clientId: sandbox.clientId, version: 2 });
    expect(after.client).not.toBe(before.client);
    expect(built[0]?.close).not.toHaveBeenCalled();
    expect(clients.size).toEqual({ clients: 1, draining: 1 });
    await expect(inFlight).resolves.toBeDefined();
    // Still held, it still works: a request's next call does not meet a closed client.
    sandbox.setFaults({});
    await expect(before.client.meta.statistics()).resolves.toBeDefined();
    before.release();
    expect(built[0]?.close).toHaveBeenCalledTimes(1);
    expect(clients.size).toEqual({ clients: 1, draining: 0 });
    await expect(before.client.meta.statistics()).rejects.toThrow(DigiLockerConnectionError);
    await expect(after.client.meta.statistics()).resolves.toBeDefined();
    after.release();
  });

  it("sees another instance's change once the version interval has passed, and closes the client it replaces", async () => {
    const here = repository();
    const there = repository();
    const a = instance(here);
    const b = instance(there);
    const version = async (clients: TenantClients<unknown>) => {
      const lease = await clients.clientFor(partnerId);
      lease.release();
      return lease.identity?.version ?? null;
    };
    // B remembers that the partner has no credentials…
    expect(await version(b)).toBeNull();
    await here.put(partnerId, tenantOne(), new Date(clock));
    // …for the interval, while A, where the change was made, uses them at once.
    expect(await version(a)).toBe(1);
    clock += TTL - 1;
    expect(await version(b)).toBeNull();
    clock += 1;
    const first = await b.clientFor(partnerId);
    expect(first.identity).toMatchObject({ clientId: "SANDBOX2", version: 1 });
    first.release();

    await here.put(partnerId, tenantTwo(), new Date(clock));
    expect(await version(a)).toBe(2);
    expect(await version(b)).toBe(1);
    clock += TTL;
    const second = await b.clientFor(partnerId);
    expect(second.identity).toMatchObject({ clientId: sandbox.clientId, version: 2 });
    // B's version-1 client is closed: nobody held it any more.
    expect(built.find((entry) => entry.client === first.client)?.close).toHaveBeenCalledTimes(1);
    expect(b.size).toEqual({ clients: 1, draining: 0 });
    second.release();
  });

  it("keeps at most maxClients, closing the one pushed out once it is released", async () => {
    const credentials = repository();
    await credentials.put(partnerId, tenantOne(), new Date(clock));
    await credentials.put(otherId, tenantTwo(), new Date(clock));
    const clients = instance(credentials, 1);
    const held = await clients.clientFor(partnerId);
    const other = await clients.clientFor(otherId);
    expect(clients.size).toEqual({ clients: 1, draining: 1 });
    expect(built[0]?.close).not.toHaveBeenCalled();
    await expect(held.client.meta.statistics()).resolves.toBeDefined();
    held.release();
    held.release();
    expect(built[0]?.close).toHaveBeenCalledTimes(1);
    other.release();
    // Back for the first partner: built again, pushing the other's out (closed at once: nobody holds it).
    const back = await clients.clientFor(partnerId);
    expect(built).toHaveLength(3);
    expect(built[1]?.close).toHaveBeenCalledTimes(1);
    back.release();
  });

  it("never falls back to the gateway's credentials when the partner's secret cannot be read", async () => {
    await repository([{ id: "gone", key: Buffer.alloc(32, 7) }]).put(partnerId, tenantOne(), new Date(clock));
    const clients = instance(repository(KEYS));
    await expect(clients.clientFor(partnerId)).rejects.toThrow(SealedSecretUnreadable);
    await expect(clients.clientFor(partnerId)).rejects.toThrow(/sealed with the key "gone"/);
    expect(built).toEqual([]);
  });

  it("runs a function with a lease and releases it however the function ends", async () => {
    const credentials = repository();
    await credentials.put(partnerId, tenantOne(), new Date(clock));
    const clients = instance(credentials, 1);
    await expect(clients.with(partnerId, () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await clients.with(partnerId, (tenant) => Promise.resolve(tenant.identity?.clientId))).toBe("SANDBOX2");
    // Released both times: pushing it out closes it at once.
    await credentials.put(otherId, tenantTwo(), new Date(clock));
    (await clients.clientFor(otherId)).release();
    expect(built[0]?.close).toHaveBeenCalledTimes(1);
  });

  it("closes every partner's client on close(), and then refuses to serve", async () => {
    const credentials = repository();
    await credentials.put(partnerId, tenantOne(), new Date(clock));
    const clients = instance(credentials);
    const lease = await clients.clientFor(partnerId);
    await clients.close();
    expect(built[0]?.close).toHaveBeenCalledTimes(1);
    lease.release();
    expect(built[0]?.close).toHaveBeenCalledTimes(1);
    await expect(clients.clientFor(partnerId)).rejects.toThrow(/closed/);
  });
});
