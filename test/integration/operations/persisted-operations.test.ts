import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ManifestNotFound, ManifestRetired, ManifestVersionConflict } from "../../../src/operations/errors.js";
import { PersistedOperations } from "../../../src/operations/persisted-operations.js";
import { PartnerNotFound } from "../../../src/partners/errors.js";
import { Partners } from "../../../src/partners/partners.js";
import { BACKENDS, openTestDatabase, type TestDatabase } from "../../helpers/databases.js";

const doc = (text: string) => ({ id: `sha256:${createHash("sha256").update(text).digest("hex")}`, text });
const A = doc("query A { statistics { users } }");
const B = doc("query B { statistics { issuers } }");

describe.each(BACKENDS)("PersistedOperations on %s", (kind) => {
  let database: TestDatabase;
  let operations: PersistedOperations;
  let partnerId: string;
  let clock: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database.close();
  });
  beforeEach(async () => {
    await database.reset();
    clock = "2025-06-01T10:00:00Z";
    operations = new PersistedOperations({ db: database.db, now: () => new Date(clock) });
    const partners = new Partners({ db: database.db, now: () => new Date(clock) }, { authCacheTtlMs: 0 });
    partnerId = (await partners.create({ name: "Acme", scopes: [], redirectOrigins: [] })).partner.id;
  });

  it("publishes, lists, looks up and retires", async () => {
    const published = await operations.publish({ partnerId, appName: "web", appVersion: "1.0.0" }, [A, B]);
    expect(published).toEqual({
      created: true,
      manifest: { partnerId, appName: "web", appVersion: "1.0.0", documents: 2, publishedAt: new Date(clock), retiredAt: null },
    });
    await operations.publish({ partnerId: null, appName: "gateway", appVersion: "1" }, [A]);
    expect(await operations.document(A.id)).toBe(A.text);
    expect(await operations.document(B.id)).toBe(B.text);
    expect(await operations.document(doc("query C { statistics { users } }").id)).toBeNull();
    // B is only the partner's: its key, or its app's version, may run it; A is the gateway's too, so anyone may.
    expect(await operations.allows({ partnerId }, B.id)).toBe(true);
    expect(await operations.allows({ app: { partnerId, name: "web", version: "1.0.0" } }, B.id)).toBe(true);
    expect(await operations.allows({ app: { partnerId, name: "web", version: "1.0.1" } }, B.id)).toBe(false);
    expect(await operations.allows({ app: { partnerId: null, name: "web", version: "1.0.0" } }, B.id)).toBe(false);
    expect(await operations.allows({ partnerId: "ptn_bbbbbbbbbbbb" }, B.id)).toBe(false);
    expect(await operations.allows("anyone", B.id)).toBe(false);
    expect(await operations.allows("anyone", A.id)).toBe(true);
    expect(await operations.allows({ partnerId: "ptn_bbbbbbbbbbbb" }, A.id)).toBe(true);
    expect(await operations.app("web", "1.0.0")).toEqual({ partnerId, retiredAt: null });
    expect(await operations.app("web", "1.0.1")).toBeNull();
    expect((await operations.list()).map((m) => [m.partnerId, m.appName, m.documents])).toEqual([
      [null, "gateway", 1],
      [partnerId, "web", 2],
    ]);
    expect((await operations.list(null)).map((m) => m.appName)).toEqual(["gateway"]);
    expect((await operations.list(partnerId)).map((m) => m.appName)).toEqual(["web"]);

    clock = "2025-06-02T10:00:00Z";
    const retired = await operations.retire({ partnerId, appName: "web", appVersion: "1.0.0" });
    expect(retired.retiredAt).toEqual(new Date(clock));
    expect(await operations.allows({ partnerId }, B.id)).toBe(false);
    expect(await operations.document(B.id)).toBeNull();
    expect(await operations.allows("anyone", A.id)).toBe(true);
    expect(await operations.app("web", "1.0.0")).toEqual({ partnerId, retiredAt: new Date(clock) });
    clock = "2025-06-03T10:00:00Z";
    expect((await operations.retire({ partnerId, appName: "web", appVersion: "1.0.0" })).retiredAt).toEqual(new Date("2025-06-02T10:00:00Z"));
    await expect(operations.publish({ partnerId, appName: "web", appVersion: "1.0.0" }, [A, B])).rejects.toBeInstanceOf(ManifestRetired);
  });

  it("publishing the same version with the same documents is a no-op; with others it is refused", async () => {
    const key = { partnerId, appName: "web", appVersion: "2" };
    await operations.publish(key, [A, B]);
    clock = "2025-06-05T10:00:00Z";
    const again = await operations.publish(key, [B, A]);
    expect(again.created).toBe(false);
    expect(again.manifest.publishedAt).toEqual(new Date("2025-06-01T10:00:00Z"));
    await expect(operations.publish(key, [A])).rejects.toBeInstanceOf(ManifestVersionConflict);
    await expect(operations.publish(key, [A, B, doc("query C { statistics { users } }")])).rejects.toThrow(/versions are immutable/);
    expect(await operations.list()).toHaveLength(1);
  });

  it("gives an app name to its first publisher: another partner, or the gateway, cannot publish under it", async () => {
    const partners = new Partners({ db: database.db, now: () => new Date(clock) }, { authCacheTtlMs: 0 });
    const other = (await partners.create({ name: "Other", scopes: [], redirectOrigins: [] })).partner.id;
    await operations.publish({ partnerId, appName: "web", appVersion: "1" }, [A]);
    await expect(operations.publish({ partnerId: other, appName: "web", appVersion: "2" }, [B])).rejects.toThrow(
      `the app name web belongs to ${partnerId}: browser apps are found by name alone, so each name has one owner; choose another name`,
    );
    await expect(operations.publish({ partnerId: null, appName: "web", appVersion: "2" }, [B])).rejects.toThrow(/the app name web belongs to ptn_/);
    // Nothing of the refused publications was written.
    expect((await operations.list()).map((m) => [m.partnerId, m.appVersion])).toEqual([[partnerId, "1"]]);
    await operations.publish({ partnerId: null, appName: "gateway", appVersion: "1" }, [A]);
    await expect(operations.publish({ partnerId: other, appName: "gateway", appVersion: "1" }, [B])).rejects.toThrow(/belongs to the gateway/);
    await operations.publish({ partnerId, appName: "web", appVersion: "2" }, [B]);
    expect(await operations.app("web", "2")).toEqual({ partnerId, retiredAt: null });
  });

  it("refuses an unknown partner, an unknown manifest to retire, and bad app names", async () => {
    await expect(operations.publish({ partnerId: "ptn_aaaaaaaaaaaa", appName: "web", appVersion: "1" }, [A])).rejects.toBeInstanceOf(PartnerNotFound);
    await expect(operations.retire({ partnerId, appName: "web", appVersion: "9" })).rejects.toBeInstanceOf(ManifestNotFound);
    await expect(operations.publish({ partnerId, appName: "my app", appVersion: "1" }, [A])).rejects.toThrow(/printable ASCII characters without spaces/);
    await expect(operations.publish({ partnerId, appName: "web", appVersion: "" }, [A])).rejects.toThrow(/an app version is 1 to 100/);
  });
});
