// What the catalogue costs upstream, over real HTTP: exact DigiLocker call counts cold and warm, in-flight
// sharing across requests, serve-stale when DigiLocker fails, errors not cached, and our own credentials
// refused.
import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { startGateway, type Gateway } from "../../../src/server/gateway.js";
import { startTestGateway, type GraphQLResult, type TestGateway } from "../../helpers/gateway.js";
import { startTestSandbox, type TestSandbox } from "../../helpers/sandbox.js";

const DAY_MS = 86_400_000;
const failIssuers = { errorRate: 1, errorCode: "unexpected_error", endpoints: ["meta.issuers"] };

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function gateway(env?: Record<string, string>): Promise<TestGateway> {
  const t = await startTestGateway(env);
  cleanup.push(() => t.close());
  return t;
}

function ok<T>(result: GraphQLResult<T>): T {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data as T;
}

interface IssuersPage {
  issuers: { totalCount: number; edges: { node: { orgId: string; name: string } }[] } | null;
}
const ISSUERS = `{ issuers(first: 10) { totalCount edges { node { orgId name } } } }`;

/** Failed calls per endpoint, as an operator reads them from /metrics. */
async function failures(t: TestGateway, endpoint: string): Promise<number> {
  const text = await (await fetch(`${t.gateway.url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`digilocker_upstream_failures_total{endpoint="${endpoint}"}`));
  return line === undefined ? 0 : Number(line.split(" ").at(-1));
}

describe("issuer list", () => {
  it("costs one call for 100 concurrent identical queries on a cold cache, and none warm", async () => {
    const t = await gateway();
    const results = await Promise.all(Array.from({ length: 100 }, () => t.query<IssuersPage>(ISSUERS)));
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "meta.issuers": 1 });
    const first = ok(results[0]!);
    expect(first.issuers?.totalCount).toBe(241);
    for (const result of results) expect(ok(result)).toEqual(first);

    t.gateway.upstreamCalls.reset();
    expect(ok(await t.query<IssuersPage>(ISSUERS))).toEqual(first);
    expect(t.gateway.upstreamCalls.total()).toBe(0);
  });

  it("is fetched once per request whichever fields reach it", async () => {
    const t = await gateway();
    const data = ok(
      await t.query<Record<string, unknown>>(`{
        issuers(first: 3) { totalCount }
        a: issuer(orgId: "000018") { name docTypes { code } }
        b: issuer(issuerId: "in.gov.cbse") { name docTypes { code issuer { name } } }
        c: node(id: "${Buffer.from("Issuer:000018").toString("base64")}") { ... on Issuer { name } }
        d: node(id: "${Buffer.from("DocType:000018/HSCER").toString("base64")}") { ... on DocType { code } }
        documentCatalog(issuerSearch: "in.gov.cbse") { totalCount }
      }`),
    );
    const names = ["a", "b", "c"].map((k) => (data[k] as { name: string }).name);
    expect(new Set(names)).toEqual(new Set(["Central Board of Secondary Education, Delhi"]));
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "meta.issuers": 1, "meta.docTypes": 1 });
  });

  it("costs nothing for arguments refused at the edge", async () => {
    const t = await gateway();
    const result = await t.query(`{ issuers(first: 1000) { totalCount } documentCatalog(after: "nonsense") { totalCount } }`);
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT", "BAD_USER_INPUT"]);
    expect(t.gateway.upstreamCalls.total()).toBe(0);
  });
});

describe("doctypes and search parameters", () => {
  it("cost one issuer list and one doctype list per issuer on the page cold, and none warm", async () => {
    const t = await gateway();
    const query = `{ issuers(first: 10) { edges { node { orgId docTypes { code description } } } } }`;
    const cold = ok(await t.query<{ issuers: { edges: { node: { docTypes: unknown[] } }[] } }>(query));
    expect(cold.issuers.edges).toHaveLength(10);
    expect(cold.issuers.edges.every((e) => e.node.docTypes.length > 0)).toBe(true);
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "meta.issuers": 1, "meta.docTypes": 10 });

    t.gateway.upstreamCalls.reset();
    expect(ok(await t.query(query))).toEqual(cold);
    expect(t.gateway.upstreamCalls.total()).toBe(0);

    // The default page (20): the first 10 lists are cached, so 10 more.
    ok(await t.query(`{ issuers { edges { node { docTypes { code } } } } }`));
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "meta.docTypes": 10 });
  });

  it("cost one parameter list per doctype cold, and none warm", async () => {
    const t = await gateway();
    const query = `{ issuer(orgId: "000018") { docTypes { code searchParameters { name options } } } }`;
    const cold = ok(await t.query<{ issuer: { docTypes: unknown[] } }>(query));
    expect(cold.issuer.docTypes).toHaveLength(3);
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "meta.issuers": 1, "meta.docTypes": 1, "meta.parameters": 3 });
    t.gateway.upstreamCalls.reset();
    expect(ok(await t.query(query))).toEqual(cold);
    expect(t.gateway.upstreamCalls.total()).toBe(0);
  });
});

describe("when DigiLocker fails", () => {
  it("serves the stale issuer list, and counts the refresh that failed", async () => {
    const t = await gateway();
    const warm = ok(await t.query<IssuersPage>(ISSUERS));
    t.clock.advance(DAY_MS + 1);
    t.sandbox.setFaults(failIssuers);
    t.gateway.upstreamCalls.reset();

    expect(ok(await t.query<IssuersPage>(ISSUERS))).toEqual(warm);
    // The refresh runs behind the answer; wait for its outcome.
    await vi.waitFor(() => { expect(t.gateway.upstreamCalls.count("meta.issuers")).toBe(1); });
    await vi.waitFor(async () => { expect(await failures(t, "meta.issuers")).toBe(1); });

    // Still stale: the next query is served too, and tries again.
    expect(ok(await t.query<IssuersPage>(ISSUERS))).toEqual(warm);
    await vi.waitFor(async () => { expect(await failures(t, "meta.issuers")).toBe(2); });

    // DigiLocker is back: one more refresh succeeds, after which the list is fresh again.
    t.sandbox.setFaults({});
    expect(ok(await t.query<IssuersPage>(ISSUERS))).toEqual(warm);
    await vi.waitFor(() => { expect(t.gateway.upstreamCalls.count("meta.issuers")).toBe(3); });
    t.gateway.upstreamCalls.reset();
    await vi.waitFor(async () => {
      expect(ok(await t.query<IssuersPage>(ISSUERS))).toEqual(warm);
      expect(t.gateway.upstreamCalls.total()).toBe(0);
    });
    expect(await failures(t, "meta.issuers")).toBe(0);
  });

  it("does not cache an error: UPSTREAM_UNAVAILABLE cold, then the next query calls again and succeeds", async () => {
    const t = await gateway();
    t.sandbox.setFaults(failIssuers);
    const failed = await t.query<IssuersPage>(ISSUERS);
    expect(failed.data).toEqual({ issuers: null });
    expect(failed.errors).toHaveLength(1);
    expect(failed.errors?.[0]).toMatchObject({
      path: ["issuers"],
      message: "DigiLocker is not answering right now; try again shortly",
      extensions: { code: "UPSTREAM_UNAVAILABLE" },
    });
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "meta.issuers": 1 });

    t.sandbox.setFaults({});
    t.gateway.upstreamCalls.reset();
    expect(ok(await t.query<IssuersPage>(ISSUERS)).issuers?.totalCount).toBe(241);
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "meta.issuers": 1 });
  });

  it("leaves sibling fields intact when one fails", async () => {
    const t = await gateway();
    t.sandbox.setFaults({ errorRate: 1, errorCode: "unexpected_error", endpoints: ["meta.statistics", "meta.docTypes"] });
    const result = await t.query<{
      statistics: null;
      issuers: { edges: { node: { name: string; docTypes: null } }[] };
    }>(`{ statistics { users } issuers(first: 2) { edges { node { name docTypes { code } } } } }`);
    expect(result.data?.statistics).toBeNull();
    expect(result.data?.issuers.edges.map((e) => e.node)).toEqual([
      { name: "Central Board of Secondary Education, Delhi", docTypes: null },
      { name: "Income Tax Department", docTypes: null },
    ]);
    expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual(
      expect.arrayContaining([
        [["statistics"], "UPSTREAM_UNAVAILABLE"],
        [["issuers", "edges", 0, "node", "docTypes"], "UPSTREAM_UNAVAILABLE"],
        [["issuers", "edges", 1, "node", "docTypes"], "UPSTREAM_UNAVAILABLE"],
      ]),
    );
    expect(result.errors).toHaveLength(3);
  });
});

describe("with client credentials DigiLocker refuses", () => {
  const WRONG_ID = "NOT-OUR-CLIENT";
  const WRONG_SECRET = "wrong-secret-7c1e9a52";
  let upstream: TestSandbox;
  let g: Gateway;
  const logLines: string[] = [];

  async function start(clientId: string | null = WRONG_ID) {
    upstream = await startTestSandbox();
    const config = loadConfig({ DATA_DIR: "memory",
      PORT: "0",
      DIGILOCKER_MAX_RETRIES: "0",
      DIGILOCKER_BASE_URL: upstream.sandbox.baseUrl,
      DIGILOCKER_CLIENT_ID: clientId ?? upstream.sandbox.clientId,
      DIGILOCKER_CLIENT_SECRET: WRONG_SECRET,
    });
    const logger = pino({ level: "info" }, { write: (line: string) => { logLines.push(line); } });
    g = await startGateway(config, { logger });
    cleanup.push(() => upstream.close(), () => g.close());
    expect(g.sandbox).toBeNull();
  }

  async function post(query: string): Promise<{ text: string; body: GraphQLResult<Record<string, unknown>> }> {
    const res = await fetch(`${g.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query }),
    });
    const text = await res.text();
    return { text, body: { status: res.status, ...(JSON.parse(text) as Omit<GraphQLResult<never>, "status">) } };
  }

  it("answers INTERNAL_SERVER_ERROR (gateway_credentials_rejected), never blaming the user nor showing the secret", async () => {
    await start();
    const { text, body } = await post(`{ issuers(first: 1) { totalCount } statistics { users } documentCatalog { totalCount } }`);
    expect(body.data).toEqual({ issuers: null, statistics: null, documentCatalog: null });
    expect(body.errors).toHaveLength(3);
    for (const error of body.errors ?? []) {
      expect(error.extensions).toEqual({ code: "INTERNAL_SERVER_ERROR", reason: "gateway_credentials_rejected", requestId: expect.any(String) as string });
      expect(error.message).toBe("The gateway is misconfigured; the operator has been alerted");
      expect(error.message).not.toMatch(/token|sign in|your|invalid_client/i);
    }
    expect(text).not.toContain(WRONG_SECRET);
    expect(text).not.toContain(WRONG_ID);
    // issuers and documentCatalog shared one issuer-list call in flight.
    expect(g.upstreamCalls.snapshot()).toEqual({ "meta.issuers": 1, "meta.statistics": 1 });

    // The operator is told, by name of the variables to fix; the secret is in no log line.
    const logs = logLines.join("");
    expect(logs).toContain("DIGILOCKER_CLIENT_ID and DIGILOCKER_CLIENT_SECRET");
    expect(logs).not.toContain(WRONG_SECRET);

    // Not cached: the next query asks DigiLocker again.
    g.upstreamCalls.reset();
    await post(`{ issuers(first: 1) { totalCount } }`);
    expect(g.upstreamCalls.snapshot()).toEqual({ "meta.issuers": 1 });
  });

  it("treats a wrong secret with the right client id (DigiLocker answers invalid_parameter HMAC) the same way", async () => {
    await start(null);
    const { text, body } = await post(`{ statistics { users } }`);
    expect(body.data).toEqual({ statistics: null });
    expect(body.errors?.[0]?.extensions).toEqual({ code: "INTERNAL_SERVER_ERROR", reason: "gateway_credentials_rejected", requestId: expect.any(String) as string });
    expect(text).not.toContain(WRONG_SECRET);
    expect(logLines.join("")).toContain("check DIGILOCKER_CLIENT_SECRET");
  });
});
