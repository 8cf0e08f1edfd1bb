// Partners' DigiLocker credentials in the database, on PostgreSQL and PGlite: versions that grow by one per change
// (two changes at once included), a secret that is sealed at rest, opens only in its own row, and moves to a new key
// as it is read (or all at once with resealAll).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PartnerNotFound } from "../../../src/partners/errors.js";
import { Partners } from "../../../src/partners/partners.js";
import { CredentialSealer, SealedSecretUnreadable, SealingNotConfigured, type EncryptionKey } from "../../../src/tenants/credential-sealing.js";
import type { CheckedCredentialsInput } from "../../../src/tenants/credentials-input.js";
import { TenantCredentials } from "../../../src/tenants/tenant-credentials.js";
import { BACKENDS, openTestDatabase, type TestDatabase } from "../../helpers/databases.js";

const K1: EncryptionKey = { id: "k1", key: Buffer.alloc(32, 1) };
const K2: EncryptionKey = { id: "k2", key: Buffer.alloc(32, 2) };
const INPUT: CheckedCredentialsInput = {
  clientId: "SANDBOX2",
  clientSecret: "planted-tenant-secret-4b1d",
  redirectUri: "https://kyc.example.in/auth/callback",
  tokenEndpoint: "v1",
};
const CHECKED = new Date("2025-06-01T10:00:00Z");

describe.each(BACKENDS)("TenantCredentials on %s", (kind) => {
  let database: TestDatabase;
  let clock: number;
  let partnerId: string;
  let otherId: string;
  const repository = (keys: EncryptionKey[] = [K1]) =>
    new TenantCredentials({ db: database.db, sealer: new CredentialSealer(keys), now: () => new Date(clock) });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database.close();
  });
  beforeEach(async () => {
    await database.reset();
    clock = Date.parse("2025-06-01T10:00:05Z");
    const partners = new Partners({ db: database.db, now: () => new Date(clock) });
    partnerId = (await partners.create({ name: "Acme KYC" })).partner.id;
    otherId = (await partners.create({ name: "Other KYC" })).partner.id;
  });

  it("has nothing for a partner that set nothing: the gateway's credentials apply", async () => {
    const credentials = repository();
    expect(await credentials.get(partnerId)).toBeNull();
    expect(await credentials.version(partnerId)).toBeNull();
    expect(await credentials.open(partnerId)).toBeNull();
  });

  it("stores version 1, then one more at each change, and never answers the secret but from open()", async () => {
    const credentials = repository();
    const first = await credentials.put(partnerId, INPUT, CHECKED);
    expect(first).toEqual({
      partnerId,
      clientId: "SANDBOX2",
      redirectUri: "https://kyc.example.in/auth/callback",
      tokenEndpoint: "v1",
      version: 1,
      keyId: "k1",
      checkedAt: CHECKED,
      updatedAt: new Date(clock),
    });
    expect(JSON.stringify(first)).not.toContain(INPUT.clientSecret);
    clock += 60_000;
    const second = await credentials.put(partnerId, { ...INPUT, clientId: "SANDBOX1", tokenEndpoint: "openid" }, new Date(clock));
    expect(second).toMatchObject({ clientId: "SANDBOX1", tokenEndpoint: "openid", version: 2 });
    expect(await credentials.get(partnerId)).toEqual(second);
    expect(await credentials.version(partnerId)).toBe(2);
    const opened = await credentials.open(partnerId);
    expect(opened?.clientSecret.reveal()).toBe(INPUT.clientSecret);
    // However it is printed, the opened secret shows as [redacted].
    expect(JSON.stringify(opened)).not.toContain(INPUT.clientSecret);
    expect(String(opened?.clientSecret)).toBe("[redacted]");
    const { inspect } = await import("node:util");
    expect(inspect(opened, { depth: 5 })).not.toContain(INPUT.clientSecret);
  });

  it("keeps the secret sealed in its row, under the key named in key_id", async () => {
    await repository().put(partnerId, INPUT, CHECKED);
    const row = await database.db.selectFrom("partner_credentials").selectAll().executeTakeFirstOrThrow();
    expect(row.key_id).toBe("k1");
    expect(Buffer.isBuffer(row.client_secret_sealed)).toBe(true);
    expect(row.client_secret_sealed.includes(Buffer.from(INPUT.clientSecret))).toBe(false);
    expect(new CredentialSealer([K1]).open(partnerId, row.client_secret_sealed)).toBe(INPUT.clientSecret);
  });

  it("gives two changes made at once versions 1 and 2, never the same one", async () => {
    const a = repository();
    const b = repository();
    const results = await Promise.all([a.put(partnerId, INPUT, CHECKED), b.put(partnerId, { ...INPUT, clientId: "SANDBOX1" }, CHECKED)]);
    expect(results.map((r) => r.version).sort()).toEqual([1, 2]);
    expect(await a.version(partnerId)).toBe(2);
  });

  it("keeps partners apart: one partner's change leaves the other's version alone", async () => {
    const credentials = repository();
    await credentials.put(partnerId, INPUT, CHECKED);
    await credentials.put(partnerId, INPUT, CHECKED);
    expect((await credentials.put(otherId, INPUT, CHECKED)).version).toBe(1);
    expect(await credentials.version(partnerId)).toBe(2);
  });

  it("refuses a secret copied into another partner's row", async () => {
    const credentials = repository();
    await credentials.put(partnerId, INPUT, CHECKED);
    await credentials.put(otherId, { ...INPUT, clientSecret: "the-other-partners-secret" }, CHECKED);
    const mine = await database.db.selectFrom("partner_credentials").select("client_secret_sealed").where("partner_id", "=", partnerId).executeTakeFirstOrThrow();
    await database.db.updateTable("partner_credentials").set({ client_secret_sealed: mine.client_secret_sealed }).where("partner_id", "=", otherId).execute();
    await expect(credentials.open(otherId)).rejects.toThrow(SealedSecretUnreadable);
    expect((await credentials.open(partnerId))?.clientSecret.reveal()).toBe(INPUT.clientSecret);
  });

  it("refuses an unknown partner, and stores nothing without keys", async () => {
    await expect(repository().put("ptn_nobodyhere0", INPUT, CHECKED)).rejects.toThrow(PartnerNotFound);
    const unkeyed = repository([]);
    expect(unkeyed.canStore).toBe(false);
    await expect(unkeyed.put(partnerId, INPUT, CHECKED)).rejects.toThrow(SealingNotConfigured);
    expect(await unkeyed.get(partnerId)).toBeNull();
  });

  it("tells listeners of each change it commits, and of none it refuses", async () => {
    const credentials = repository();
    const changed: string[] = [];
    const stop = credentials.onChange((id) => changed.push(id));
    await credentials.put(partnerId, INPUT, CHECKED);
    await expect(credentials.put("ptn_nobodyhere0", INPUT, CHECKED)).rejects.toThrow(PartnerNotFound);
    stop();
    await credentials.put(otherId, INPUT, CHECKED);
    expect(changed).toEqual([partnerId]);
  });

  it("rotates keys: a secret sealed with the old key opens and is sealed again with the new one, version unchanged", async () => {
    await repository([K1]).put(partnerId, INPUT, CHECKED);
    const rotated = repository([K2, K1]);
    const opened = await rotated.open(partnerId);
    expect(opened).toMatchObject({ version: 1, keyId: "k1" });
    expect(opened?.clientSecret.reveal()).toBe(INPUT.clientSecret);
    const row = await database.db.selectFrom("partner_credentials").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ key_id: "k2", version: 1 });
    // The old key can now go.
    expect((await repository([K2]).open(partnerId))?.clientSecret.reveal()).toBe(INPUT.clientSecret);
  });

  it("rotates every secret at once with resealAll, naming those no key opens", async () => {
    await repository([K1]).put(partnerId, INPUT, CHECKED);
    await repository([{ id: "lost", key: Buffer.alloc(32, 9) }]).put(otherId, INPUT, CHECKED);
    const result = await repository([K2, K1]).resealAll();
    expect(result).toEqual({ resealed: 1, unreadable: [otherId] });
    const rows = await database.db.selectFrom("partner_credentials").select(["partner_id", "key_id"]).orderBy("partner_id").execute();
    expect(Object.fromEntries(rows.map((r) => [r.partner_id, r.key_id]))).toEqual({ [partnerId]: "k2", [otherId]: "lost" });
    expect(await repository([K2, K1]).resealAll()).toEqual({ resealed: 0, unreadable: [otherId] });
    await expect(repository([K2]).open(otherId)).rejects.toThrow(/sealed with the key "lost"/);
  });

  it("leaves a row changed meanwhile alone when sealing again", async () => {
    await repository([K1]).put(partnerId, INPUT, CHECKED);
    // Another instance changes the credentials (with the new key) between this one's read and its reseal.
    await repository([K2, K1]).put(partnerId, { ...INPUT, clientSecret: "newer-secret-value" }, CHECKED);
    expect(await repository([K2, K1]).resealAll()).toEqual({ resealed: 0, unreadable: [] });
    expect((await repository([K2]).open(partnerId))?.clientSecret.reveal()).toBe("newer-secret-value");
  });

  it("goes with its partner", async () => {
    await repository().put(partnerId, INPUT, CHECKED);
    await database.db.deleteFrom("partners").where("id", "=", partnerId).execute();
    expect(await repository().get(partnerId)).toBeNull();
  });
});
