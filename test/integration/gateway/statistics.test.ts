// statistics over real HTTP: every field, counts beyond 2^31 as exact JSON numbers, and its own cache TTL.
import { afterEach, describe, expect, it, vi } from "vitest";
import { startTestGateway, type GraphQLResult, type TestGateway } from "../../helpers/gateway.js";

interface Stats {
  users: number;
  authenticDocuments: number;
  issuers: number;
  requesters: number;
  countAsOn: string | null;
  monthwiseRegistrations: { month: number; year: number; count: number }[];
  yearwiseAuthenticDocuments: { year: number; count: number }[];
}

const STATISTICS = `{ statistics {
  users authenticDocuments issuers requesters countAsOn
  monthwiseRegistrations { month year count }
  yearwiseAuthenticDocuments { year count }
} }`;

const HOUR_MS = 3_600_000;

let t: TestGateway | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function ok<T>(result: GraphQLResult<T>): T {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data as T;
}

describe("statistics", () => {
  it("gives every count, date and series DigiLocker sends, counts past 2^31 exact", async () => {
    t = await startTestGateway();
    const { statistics } = ok(await t.query<{ statistics: Stats }>(STATISTICS));
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "meta.statistics": 1 });

    // The same numbers the client reads (strings upstream, numbers here), field by field.
    const direct = await t.gateway.services.client.meta.statistics();
    expect(statistics).toEqual({
      users: direct.users,
      authenticDocuments: direct.authenticDocuments,
      issuers: direct.issuers,
      requesters: direct.requesters,
      countAsOn: direct.countAsOn,
      monthwiseRegistrations: direct.monthwiseRegistrations.map(({ month, year, count }) => ({ month, year, count })),
      yearwiseAuthenticDocuments: direct.yearwiseAuthenticDocuments.map(({ year, count }) => ({ year, count })),
    });

    expect(statistics.authenticDocuments).toBeGreaterThan(2 ** 31);
    expect(Number.isSafeInteger(statistics.authenticDocuments)).toBe(true);
    expect(statistics.issuers).toBe(241);
    expect(statistics.requesters).toBe(1847);
    expect(statistics.countAsOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(statistics.monthwiseRegistrations).toHaveLength(12);
    for (const m of statistics.monthwiseRegistrations) expect(m.month).toBeGreaterThanOrEqual(1);
    expect(statistics.yearwiseAuthenticDocuments[0]?.year).toBe(2016);
    expect(statistics.yearwiseAuthenticDocuments.some((y) => y.count > 2 ** 31)).toBe(true);
  });

  it("sends counts as JSON numbers, not strings", async () => {
    t = await startTestGateway();
    const res = await fetch(`${t.gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ statistics { authenticDocuments } }" }),
    });
    // Development mode (no partner registered) granted catalogue:read, and the answer says so after the data.
    expect(await res.text()).toMatch(/^\{"data":\{"statistics":\{"authenticDocuments":\d{10,}\}\},"extensions":\{"developmentMode":"Development mode: [^"]+"\}\}$/);
  });

  it("is cached for an hour, apart from the catalogue's day", async () => {
    t = await startTestGateway();
    const first = ok(await t.query<{ statistics: Stats }>(STATISTICS));
    ok(await t.query(`{ issuers(first: 1) { totalCount } }`));
    t.gateway.upstreamCalls.reset();
    expect(ok(await t.query(STATISTICS))).toEqual(first);
    expect(t.gateway.upstreamCalls.total()).toBe(0);

    t.clock.advance(HOUR_MS + 1);
    // Stale statistics answer at once and refresh behind; the issuer list is still fresh.
    expect(ok(await t.query(STATISTICS))).toEqual(first);
    ok(await t.query(`{ issuers(first: 1) { totalCount } }`));
    await vi.waitFor(() => { expect(t?.gateway.upstreamCalls.snapshot()).toEqual({ "meta.statistics": 1 }); });
  });

  it("is null with UPSTREAM_UNAVAILABLE when DigiLocker fails on a cold cache", async () => {
    t = await startTestGateway();
    t.sandbox.setFaults({ errorRate: 1, errorCode: "unexpected_error", endpoints: ["meta.statistics"] });
    const result = await t.query(STATISTICS);
    expect(result.data).toEqual({ statistics: null });
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(["UPSTREAM_UNAVAILABLE"]);
  });
});
