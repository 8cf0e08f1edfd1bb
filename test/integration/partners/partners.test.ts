import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { InvalidPartnerInput, PartnerKeyNotFound, PartnerNameTaken, PartnerNotFound } from "../../../src/partners/errors.js";
import { Partners } from "../../../src/partners/partners.js";
import { BACKENDS, openTestDatabase } from "../../helpers/databases.js";

type TestDatabase = Awaited<ReturnType<typeof openTestDatabase>>;

const sha256 = (text: string) => createHash("sha256").update(text).digest();
const secretOf = (key: string) => key.slice("dlg_".length + 12 + 1);
const keyIdOf = (key: string) => key.slice(4, 16);

describe.each(BACKENDS)("Partners on %s", (kind) => {
  let database: TestDatabase;
  let clock: number;
  let warnings: string[];
  let partners: Partners;
  const now = () => new Date(clock);
  const make = (authCacheTtlMs?: number) =>
    new Partners({ db: database.db, now, log: { warn: (fields, message) => warnings.push(`${message} ${JSON.stringify(fields)}`) } }, { authCacheTtlMs });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });

  afterAll(async () => {
    await database.close();
  });

  beforeEach(async () => {
    await database.reset();
    clock = Date.parse("2025-06-01T10:00:00Z");
    warnings = [];
    partners = make();
  });

  it("creates a partner whose key authenticates it", async () => {
    const { partner, key } = await partners.create({
      name: "  Acme KYC ",
      scopes: ["consent-requests:create", "consent-requests:read", "consent-requests:create"],
      redirectOrigins: ["https://KYC.acme.example:443/", "http://localhost:3000"],
    });
    expect(partner).toEqual({
      id: expect.stringMatching(/^ptn_[a-z2-7]{12}$/) as string,
      name: "Acme KYC",
      status: "active",
      scopes: ["consent-requests:create", "consent-requests:read"],
      redirectOrigins: ["https://kyc.acme.example", "http://localhost:3000"],
      limits: { requests: null, digilockerCalls: null },
      createdAt: new Date("2025-06-01T10:00:00Z"),
      updatedAt: new Date("2025-06-01T10:00:00Z"),
    });
    expect(key).toMatch(/^dlg_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/);
    expect(await partners.authenticate(key)).toEqual({ ok: true, partner, keyId: keyIdOf(key) });
    // A fresh object asks the database, not a cache.
    expect(await make().authenticate(key)).toEqual({ ok: true, partner, keyId: keyIdOf(key) });
  });

  it("stores the key's SHA-256, never the key", async () => {
    const { partner, key } = await partners.create({ name: "Acme KYC" });
    const rows = await database.db.selectFrom("partner_keys").selectAll().execute();
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.id).toBe(keyIdOf(key));
    expect(row.partner_id).toBe(partner.id);
    expect(Buffer.from(row.secret_hash).equals(sha256(secretOf(key)))).toBe(true);
    const everything = JSON.stringify([rows, await database.db.selectFrom("partners").selectAll().execute()]);
    expect(everything).not.toContain(secretOf(key));
    expect(Buffer.from(row.secret_hash).toString("latin1")).not.toContain(secretOf(key));
  });

  it("rotates: a new key works beside the old until the old is revoked", async () => {
    const { partner, key: oldKey } = await partners.create({ name: "Acme KYC" });
    clock += 500;
    const { keyId, key: newKey } = await partners.addKey(partner.id, "  rotation 2025 ");
    expect(keyId).toBe(keyIdOf(newKey));
    expect(await partners.authenticate(oldKey)).toMatchObject({ ok: true });
    expect(await partners.authenticate(newKey)).toMatchObject({ ok: true, keyId });

    clock += 500;
    const revoked = await partners.revokeKey(partner.id, keyIdOf(oldKey));
    expect(revoked).toMatchObject({ id: keyIdOf(oldKey), revokedAt: new Date("2025-06-01T10:00:01Z") });
    expect(await partners.authenticate(oldKey)).toEqual({ ok: false, reason: "revoked", keyId: keyIdOf(oldKey), message: "API key not accepted" });
    expect(await partners.authenticate(newKey)).toMatchObject({ ok: true, keyId });

    const summary = await partners.get(partner.id);
    expect(summary?.keys.map((k) => [k.id, k.label, k.revokedAt])).toEqual([
      [keyIdOf(oldKey), null, new Date("2025-06-01T10:00:01Z")],
      [keyId, "rotation 2025", null],
    ]);
  });

  it("revoking twice keeps the first time and is no error", async () => {
    const { partner, key } = await partners.create({ name: "Acme KYC" });
    await partners.revokeKey(partner.id, keyIdOf(key));
    clock += 60_000;
    expect((await partners.revokeKey(partner.id, keyIdOf(key))).revokedAt).toEqual(new Date("2025-06-01T10:00:00Z"));
  });

  it("refuses to revoke a key through another partner, or one that does not exist", async () => {
    const a = await partners.create({ name: "A" });
    const b = await partners.create({ name: "B" });
    await expect(partners.revokeKey(b.partner.id, keyIdOf(a.key))).rejects.toBeInstanceOf(PartnerKeyNotFound);
    await expect(partners.revokeKey(a.partner.id, "abcdefgh2345")).rejects.toBeInstanceOf(PartnerKeyNotFound);
    expect(await partners.authenticate(a.key)).toMatchObject({ ok: true });
  });

  it("refuses the right key id with a wrong secret", async () => {
    const { key } = await partners.create({ name: "Acme KYC" });
    await partners.authenticate(key); // now cached: the cache must not stand in for the secret
    const other = key.slice(0, 17) + (key[17] === "A" ? "B" : "A") + key.slice(18);
    expect(await partners.authenticate(other)).toEqual({ ok: false, reason: "wrong-secret", keyId: keyIdOf(key), message: "API key not accepted" });
    expect(await make().authenticate(other)).toMatchObject({ ok: false, reason: "wrong-secret" });
  });

  it("refuses a well-formed key whose id is unknown", async () => {
    await partners.create({ name: "Acme KYC" });
    const stranger = "dlg_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    expect(await partners.authenticate(stranger)).toEqual({ ok: false, reason: "unknown", keyId: "abcdefgh2345", message: "API key not accepted" });
  });

  it.each([
    ["empty", ""],
    ["10 kB", `dlg_${"a".repeat(10_240)}`],
    ["another prefix", "sk_live_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["SQL after dlg_", "dlg_' OR 1=1; DROP TABLE partner_keys; --"],
    ["SQL shaped to the key's length", "dlg_abcdefgh2345_'OR''='';DROP TABLE partners;--AAAAAAAAAAAAAA"],
    ["unicode", "dlg_ãbcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["emoji", "dlg_🔑🔑🔑🔑🔑🔑_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["a NUL byte", "dlg_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAA\u0000AAAAAAAAAAAAAAAAAAAAA"],
  ])("refuses a malformed key (%s) without throwing", async (_, text) => {
    await partners.create({ name: "Acme KYC" });
    expect(await partners.authenticate(text)).toEqual({ ok: false, reason: "malformed", keyId: null, message: "API key not accepted" });
    expect(await database.db.selectFrom("partner_keys").select("id").execute()).toHaveLength(1);
  });

  it("refuses a disabled partner's keys, and accepts them once enabled again", async () => {
    const { partner, key } = await partners.create({ name: "Acme KYC" });
    expect(await partners.authenticate(key)).toMatchObject({ ok: true });
    clock += 5;
    const disabled = await partners.disable(partner.id);
    expect(disabled).toMatchObject({ status: "disabled", updatedAt: new Date("2025-06-01T10:00:00.005Z") });
    expect(await partners.authenticate(key)).toEqual({ ok: false, reason: "disabled", keyId: keyIdOf(key), message: "API key not accepted" });
    expect(await make().authenticate(key)).toMatchObject({ ok: false, reason: "disabled" });
    expect(await partners.enable(partner.id)).toMatchObject({ status: "active" });
    expect(await partners.authenticate(key)).toMatchObject({ ok: true, partner: { status: "active" } });
  });

  it("refuses a second partner of the same name, whatever its case", async () => {
    await partners.create({ name: "Acme KYC" });
    const refusal = partners.create({ name: " ACME kyc " });
    await expect(refusal).rejects.toBeInstanceOf(PartnerNameTaken);
    await expect(refusal).rejects.toThrow('a partner named "ACME kyc" exists already (names are compared ignoring case): choose another name');
    expect(await partners.list()).toHaveLength(1);
    expect(await database.db.selectFrom("partner_keys").select("id").execute()).toHaveLength(1);
  });

  it("refuses one of two simultaneous creates of a name", async () => {
    const results = await Promise.allSettled([partners.create({ name: "Acme KYC" }), make().create({ name: "acme kyc" })]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const failure = results.find((r) => r.status === "rejected");
    expect(failure?.reason).toBeInstanceOf(PartnerNameTaken);
    expect(await database.db.selectFrom("partner_keys").select("id").execute()).toHaveLength(1);
  });

  it.each([
    ["javascript:alert(1)", 'redirect origin "javascript:alert(1)" must be http or https, written as https://host'],
    ["https://x.in/path", 'redirect origin "https://x.in/path" must be an origin only (scheme, host and port), without a path, query or fragment: use https://x.in'],
    ["https://x.in?next=1", 'redirect origin "https://x.in?next=1" must be an origin only (scheme, host and port), without a path, query or fragment: use https://x.in'],
    ["https://user:pw@x.in", 'redirect origin "https://user:pw@x.in" must not contain a user name or password'],
    ["x.in", 'redirect origin "x.in" is not a URL: write it as https://host or https://host:port'],
    ["", 'redirect origin "" is not a URL: write it as https://host or https://host:port'],
  ])("refuses the redirect origin %j", async (origin, message) => {
    const refusal = partners.create({ name: "Acme KYC", redirectOrigins: ["https://ok.example", origin] });
    await expect(refusal).rejects.toBeInstanceOf(InvalidPartnerInput);
    await expect(refusal).rejects.toThrow(message);
    expect(await partners.list()).toEqual([]);
  });

  it("refuses an unknown scope, naming the valid ones", async () => {
    const refusal = partners.create({ name: "Acme KYC", scopes: ["consent-requests:read", "documents:read"] });
    await expect(refusal).rejects.toBeInstanceOf(InvalidPartnerInput);
    await expect(refusal).rejects.toThrow(
      'unknown scope "documents:read": the scopes are catalogue:read, consent-requests:create, consent-requests:read, consent-requests:revoke, documents:contents, tokens:revoke, accounts:verify, documents:pull, files:upload, uri:push, credentials:manage',
    );
  });

  it.each([
    ["empty", "   "],
    ["too long", "x".repeat(101)],
    ["with a line break", "Acme\nKYC"],
  ])("refuses a name %s", async (_, name) => {
    await expect(partners.create({ name })).rejects.toBeInstanceOf(InvalidPartnerInput);
  });

  it("changes scopes and origins, applied to the next authentication on the same object", async () => {
    const { partner, key } = await partners.create({ name: "Acme KYC", scopes: ["catalogue:read"] });
    expect(await partners.authenticate(key)).toMatchObject({ ok: true, partner: { scopes: ["catalogue:read"] } });
    expect(await partners.setScopes(partner.id, ["uri:push", "files:upload"])).toMatchObject({ scopes: ["uri:push", "files:upload"] });
    expect(await partners.setRedirectOrigins(partner.id, ["https://b.example/"])).toMatchObject({ redirectOrigins: ["https://b.example"] });
    expect(await partners.authenticate(key)).toMatchObject({
      ok: true,
      partner: { scopes: ["uri:push", "files:upload"], redirectOrigins: ["https://b.example"] },
    });
    await expect(partners.setScopes(partner.id, ["everything"])).rejects.toBeInstanceOf(InvalidPartnerInput);
  });

  it("sets limits (a number, 0 for unlimited, null for the default), carried by the authenticated record", async () => {
    const { partner, key } = await partners.create({ name: "Acme KYC" });
    expect(await partners.setLimits(partner.id, { requests: 3 })).toMatchObject({ limits: { requests: 3, digilockerCalls: null } });
    expect(await partners.setLimits(partner.id, { digilockerCalls: 0 })).toMatchObject({ limits: { requests: 3, digilockerCalls: 0 } });
    expect(await partners.authenticate(key)).toMatchObject({ ok: true, partner: { limits: { requests: 3, digilockerCalls: 0 } } });
    expect(partners.limitsOf(partner.id)).toBeInstanceOf(Promise);
    expect(await partners.limitsOf(partner.id)).toEqual({ requests: 3, digilockerCalls: 0 });
    // Cached now: answered without a promise.
    expect(partners.limitsOf(partner.id)).toEqual({ requests: 3, digilockerCalls: 0 });
    expect(await partners.setLimits(partner.id, { requests: null, digilockerCalls: 1_000_000_000 })).toMatchObject({
      limits: { requests: null, digilockerCalls: 1_000_000_000 },
    });
    expect(partners.limitsOf(partner.id)).toBeInstanceOf(Promise);
    expect(await partners.limitsOf(partner.id)).toEqual({ requests: null, digilockerCalls: 1_000_000_000 });
    expect(await partners.limitsOf("ptn_abcdefgh2345")).toBeNull();
    for (const bad of [-1, 1.5, 1_000_000_001, Number.NaN]) {
      await expect(partners.setLimits(partner.id, { requests: bad })).rejects.toThrow(
        /a partner's requests limit must be a whole number from 0 \(unlimited\) to 1000000000/,
      );
    }
    await expect(partners.setLimits("ptn_abcdefgh2345", { requests: 1 })).rejects.toBeInstanceOf(PartnerNotFound);
  });

  it("answers PartnerNotFound for every change to a partner that does not exist", async () => {
    const missing = "ptn_abcdefgh2345";
    await expect(partners.addKey(missing)).rejects.toBeInstanceOf(PartnerNotFound);
    await expect(partners.setScopes(missing, [])).rejects.toBeInstanceOf(PartnerNotFound);
    await expect(partners.setRedirectOrigins(missing, [])).rejects.toBeInstanceOf(PartnerNotFound);
    await expect(partners.disable(missing)).rejects.toBeInstanceOf(PartnerNotFound);
    await expect(partners.enable(missing)).rejects.toThrow('no partner has the id "ptn_abcdefgh2345": see the ids with `npm run partner -- list`');
    expect(await partners.get(missing)).toBeNull();
  });

  it("lists partners with their keys, never a hash", async () => {
    const a = await partners.create({ name: "A", scopes: ["catalogue:read"] });
    clock += 1_000;
    const b = await partners.create({ name: "B" });
    const extra = await partners.addKey(a.partner.id, "second");
    const list = await partners.list();
    expect(list.map((p) => [p.name, p.keys.map((k) => k.id)])).toEqual([
      ["A", [keyIdOf(a.key), extra.keyId]],
      ["B", [keyIdOf(b.key)]],
    ]);
    expect(Object.keys(list[0]!.keys[0]!).sort()).toEqual(["createdAt", "id", "label", "lastUsedAt", "revokedAt"]);
  });

  it("records a key's last use at most once a minute", async () => {
    const { partner, key } = await partners.create({ name: "Acme KYC" });
    const lastUsed = async () => (await partners.get(partner.id))?.keys[0]?.lastUsedAt;
    expect(await lastUsed()).toBeNull();
    await partners.authenticate(key);
    expect(await lastUsed()).toEqual(new Date("2025-06-01T10:00:00Z"));
    clock += 59_000;
    await partners.authenticate(key);
    // Another object reads the row's time and does not write either.
    await make().authenticate(key);
    expect(await lastUsed()).toEqual(new Date("2025-06-01T10:00:00Z"));
    clock += 1_000;
    await partners.authenticate(key);
    expect(await lastUsed()).toEqual(new Date("2025-06-01T10:01:00Z"));
  });

  it("drops a stored scope it does not know, with a warning", async () => {
    const { partner, key } = await partners.create({ name: "Acme KYC", scopes: ["catalogue:read"] });
    await database.db.updateTable("partners").set({ scopes: ["catalogue:read", "time-travel:write"] }).where("id", "=", partner.id).execute();
    expect(await make().authenticate(key)).toMatchObject({ ok: true, partner: { scopes: ["catalogue:read"] } });
    expect(warnings).toEqual([`a partner's stored scope is unknown to this version: ignored {"partnerId":"${partner.id}","scope":"time-travel:write"}`]);
  });

  describe("the authentication cache", () => {
    it("answers from memory within its TTL: no query per request", async () => {
      const { key } = await partners.create({ name: "Acme KYC" });
      expect(await partners.authenticate(key)).toMatchObject({ ok: true });
      // Changed behind this object's back (as another instance would): unseen until the TTL runs out.
      await database.db.updateTable("partners").set({ name: "Renamed" }).execute();
      clock += 5_000;
      expect(await partners.authenticate(key)).toMatchObject({ ok: true, partner: { name: "Acme KYC" } });
      clock += 1;
      expect(await partners.authenticate(key)).toMatchObject({ ok: true, partner: { name: "Renamed" } });
    });

    it("stops a key revoked here at once, and one revoked by another instance within the TTL", async () => {
      const { partner, key } = await partners.create({ name: "Acme KYC" });
      const elsewhere = make(2_000);
      expect(await partners.authenticate(key)).toMatchObject({ ok: true });
      expect(await elsewhere.authenticate(key)).toMatchObject({ ok: true });

      await partners.revokeKey(partner.id, keyIdOf(key));
      expect(await partners.authenticate(key)).toMatchObject({ ok: false, reason: "revoked" });
      clock += 2_000;
      expect(await elsewhere.authenticate(key)).toMatchObject({ ok: true });
      clock += 1;
      expect(await elsewhere.authenticate(key)).toMatchObject({ ok: false, reason: "revoked" });
    });

    it("stops a partner disabled here at once, and one disabled by another instance within the TTL", async () => {
      const { partner, key } = await partners.create({ name: "Acme KYC" });
      const elsewhere = make(2_000);
      expect(await partners.authenticate(key)).toMatchObject({ ok: true });
      expect(await elsewhere.authenticate(key)).toMatchObject({ ok: true });

      await partners.disable(partner.id);
      expect(await partners.authenticate(key)).toMatchObject({ ok: false, reason: "disabled" });
      clock += 2_000;
      expect(await elsewhere.authenticate(key)).toMatchObject({ ok: true });
      clock += 1;
      expect(await elsewhere.authenticate(key)).toMatchObject({ ok: false, reason: "disabled" });
    });

    it("is off with a TTL of 0", async () => {
      const { partner, key } = await partners.create({ name: "Acme KYC" });
      const uncached = make(0);
      expect(await uncached.authenticate(key)).toMatchObject({ ok: true });
      await partners.revokeKey(partner.id, keyIdOf(key));
      expect(await uncached.authenticate(key)).toMatchObject({ ok: false, reason: "revoked" });
    });
  });
});
