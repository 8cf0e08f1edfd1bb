// MetaCache over a fake client: which upstream call each read costs, keyed how, and for how long.
import { describe, expect, it } from "vitest";
import { MetaCache } from "../../../src/cache/meta-cache.js";
import type { DigiLockerClient, DocType, Issuer, SearchParameter, Statistics } from "../../../src/digilocker/index.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const issuers: Issuer[] = [
  { orgId: "000018", issuerId: "in.gov.cbse", name: "CBSE", categories: ["Education"], description: null },
  { orgId: "000100", issuerId: "in.gov.pan", name: "Income Tax Department", categories: [], description: null },
  { orgId: "000777", issuerId: null, name: "No URI prefix", categories: [], description: null },
];

const statistics: Statistics = {
  users: 1,
  authenticDocuments: 3_520_475_277,
  issuers: 3,
  requesters: 2,
  countAsOn: "2024-01-31",
  monthwiseRegistrations: [],
  yearwiseAuthenticDocuments: [],
};

function fakeClient() {
  const calls: string[] = [];
  const meta = {
    issuers: () => {
      calls.push("issuers");
      return Promise.resolve(issuers);
    },
    docTypes: (orgId: string) => {
      calls.push(`docTypes ${orgId}`);
      return Promise.resolve<DocType[]>([{ docType: "HSCER", description: `doc of ${orgId}` }]);
    },
    parameters: (orgId: string, docType: string) => {
      calls.push(`parameters ${orgId} ${docType}`);
      return Promise.resolve<SearchParameter[]>([{ label: "L", paramName: `${orgId}.${docType}`, options: null, example: null }]);
    },
    statistics: () => {
      calls.push("statistics");
      return Promise.resolve(statistics);
    },
  };
  return { client: { meta } as unknown as DigiLockerClient, calls };
}

function setup() {
  // Not 0: lru-cache reads a start time of 0 as "no TTL".
  let now = 1_000;
  const clock = { now: () => now };
  const { client, calls } = fakeClient();
  const cache = new MetaCache(client, { ttlMs: DAY, statisticsTtlMs: HOUR, maxEntries: 100, clock });
  return { cache, calls, advance: (ms: number) => (now += ms) };
}

/** Lets a background refresh finish. */
const settle = () => new Promise((r) => setImmediate(r));

describe("MetaCache", () => {
  it("indexes the issuer list by orgId and by issuerId, leaving out issuers without one", async () => {
    const { cache, calls } = setup();
    const index = await cache.issuers();
    expect(index.all).toEqual(issuers);
    expect(index.byOrgId.get("000018")?.name).toBe("CBSE");
    expect(index.byIssuerId.get("in.gov.pan")?.orgId).toBe("000100");
    expect(index.byOrgId.get("000777")?.issuerId).toBeNull();
    expect([...index.byIssuerId.keys()]).toEqual(["in.gov.cbse", "in.gov.pan"]);
    await cache.issuers();
    expect(calls).toEqual(["issuers"]);
  });

  it("shares one issuer call between concurrent readers", async () => {
    const { cache, calls } = setup();
    await Promise.all(Array.from({ length: 100 }, () => cache.issuers()));
    expect(calls).toEqual(["issuers"]);
  });

  it("caches doctypes per orgId and parameters per (orgId, doctype)", async () => {
    const { cache, calls } = setup();
    await Promise.all([cache.docTypes("000018"), cache.docTypes("000018"), cache.docTypes("000100")]);
    expect(await cache.parameters("000018", "HSCER")).toEqual([
      { label: "L", paramName: "000018.HSCER", options: null, example: null },
    ]);
    await cache.parameters("000018", "HSCER");
    await cache.parameters("000100", "HSCER");
    expect(calls).toEqual(["docTypes 000018", "docTypes 000100", "parameters 000018 HSCER", "parameters 000100 HSCER"]);
  });

  it("answers fresh issuers and doctypes without a promise or a call, and nothing once stale", async () => {
    const { cache, calls, advance } = setup();
    expect(cache.freshIssuers()).toBeUndefined();
    expect(cache.freshDocTypes("000018")).toBeUndefined();
    expect(calls).toEqual([]);
    const index = await cache.issuers();
    const docTypes = await cache.docTypes("000018");
    expect(cache.freshIssuers()).toBe(index);
    expect(cache.freshDocTypes("000018")).toBe(docTypes);
    expect(cache.freshDocTypes("000100")).toBeUndefined();
    advance(DAY + 1);
    expect(cache.freshIssuers()).toBeUndefined();
    expect(cache.freshDocTypes("000018")).toBeUndefined();
    expect(calls).toEqual(["issuers", "docTypes 000018"]);
  });

  it("keeps statistics for their own, shorter TTL", async () => {
    const { cache, calls, advance } = setup();
    await Promise.all([cache.issuers(), cache.statistics(), cache.docTypes("000018")]);
    advance(HOUR + 1);
    // Statistics are stale: served at once, refreshed behind; the catalogue is still fresh.
    expect((await cache.statistics()).authenticDocuments).toBe(3_520_475_277);
    await cache.issuers();
    await cache.docTypes("000018");
    await settle();
    expect(calls).toEqual(["issuers", "statistics", "docTypes 000018", "statistics"]);
    advance(DAY);
    await cache.issuers();
    await cache.docTypes("000018");
    await settle();
    expect(calls.slice(4)).toEqual(["issuers", "docTypes 000018"]);
  });
});
