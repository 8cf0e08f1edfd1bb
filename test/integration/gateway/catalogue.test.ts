// The catalogue over real HTTP, gateway ↔ sandbox: issuers, issuer, Issuer.docTypes, DocType (and its
// searchParameters, consentText, issuer), node(id) and documentCatalog. The sandbox's seed is the oracle.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { IssuerSeed } from "../../../src/sandbox/state.js";
import { startTestGateway, type GraphQLResult, type TestGateway } from "../../helpers/gateway.js";

/** What a scoped field's answer carries while no partner is registered (docs/partners.md, "Development mode"). */
const DEVELOPMENT_NOTICE: unknown = expect.stringMatching(/^Development mode: /);
const DEVELOPMENT_MODE = { developmentMode: DEVELOPMENT_NOTICE };

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}
interface Page<N> {
  totalCount: number;
  pageInfo: PageInfo;
  edges: { cursor: string; node: N }[];
}

let t: TestGateway;
let seed: readonly IssuerSeed[];

beforeAll(async () => {
  t = await startTestGateway();
  seed = t.sandbox.state.issuers;
});
afterAll(() => t.close());

function ok<T>(result: GraphQLResult<T>): T {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  expect(result.data).toBeTruthy();
  return result.data as T;
}

function codes(result: GraphQLResult<unknown>): unknown[] {
  return (result.errors ?? []).map((e) => e.extensions?.code);
}

const PAGE = `totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { orgId } }`;

async function issuersPage(args: string): Promise<Page<{ orgId: string }>> {
  return ok(await t.query<{ issuers: Page<{ orgId: string }> }>(`{ issuers${args} { ${PAGE} } }`)).issuers;
}

const orgIds = (page: Page<{ orgId: string }>) => page.edges.map((e) => e.node.orgId);
const sortedOrgIds = (issuers: readonly IssuerSeed[]) => issuers.map((i) => i.orgid).sort();
const hasCategory = (issuer: IssuerSeed, name: string) => issuer.category.split(",").map((c) => c.trim()).includes(name);

/** The seed's issuers matching every word of `search` in name, issuerId or description. */
function seedSearch(search: string): IssuerSeed[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  return seed.filter((i) => words.every((w) => [i.name, i.issuerid, i.description].join("\n").toLowerCase().includes(w)));
}

describe("issuers", () => {
  it("pages forward through every issuer in orgId order, with a stable totalCount", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await issuersPage(after === null ? "(first: 100)" : `(first: 100, after: "${after}")`);
      pages += 1;
      expect(page.totalCount).toBe(241);
      expect(page.pageInfo.hasPreviousPage).toBe(pages > 1);
      seen.push(...orgIds(page));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(sortedOrgIds(seed));
  });

  it("pages backward with last and before, back to the first page", async () => {
    const first = await issuersPage("(first: 5)");
    const second = await issuersPage(`(first: 5, after: "${first.pageInfo.endCursor}")`);
    expect(orgIds(second)).toEqual(sortedOrgIds(seed).slice(5, 10));
    const back = await issuersPage(`(last: 5, before: "${second.pageInfo.startCursor}")`);
    expect(back.edges).toEqual(first.edges);
    expect(back.pageInfo).toEqual({ ...first.pageInfo, hasNextPage: true });
    expect(back.pageInfo.hasPreviousPage).toBe(false);
  });

  it("gives the last issuers with last alone, and 20 when no size is given", async () => {
    const last = await issuersPage("(last: 3)");
    expect(orgIds(last)).toEqual(sortedOrgIds(seed).slice(-3));
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(orgIds(await issuersPage(""))).toEqual(sortedOrgIds(seed).slice(0, 20));
  });

  it("filters by category", async () => {
    for (const [category, name] of [
      ["INSURANCE", "Insurance"],
      ["EDUCATION", "Education"],
      ["STATE_GOVERNMENT", "State Government"],
      ["CENTRAL_GOVERNMENT", "Central Government"],
    ] as const) {
      const result = ok(
        await t.query<{ issuers: { totalCount: number; edges: { node: { orgId: string; categories: string[] } }[] } }>(
          `{ issuers(first: 100, category: ${category}) { totalCount edges { node { orgId categories } } } }`,
        ),
      ).issuers;
      const expected = sortedOrgIds(seed.filter((i) => hasCategory(i, name)));
      expect(result.totalCount, category).toBe(expected.length);
      expect(result.edges.map((e) => e.node.orgId)).toEqual(expected.slice(0, 100));
      expect(result.edges.every((e) => e.node.categories.includes(category))).toBe(true);
    }
    expect((await issuersPage("(category: OTHER)")).totalCount).toBe(0);
  });

  it("searches name, issuerId and description, case-insensitively, every word", async () => {
    for (const search of ["CBSE", "in.gov.pan", "road TRANSPORT highways", "maharashtra revenue", "insurance health"]) {
      const page = await issuersPage(`(first: 100, search: ${JSON.stringify(search)})`);
      const expected = sortedOrgIds(seedSearch(search));
      expect(expected.length, search).toBeGreaterThan(0);
      expect(page.totalCount, search).toBe(expected.length);
      expect(orgIds(page), search).toEqual(expected);
    }
    // Found by description only ("CBSE (http://www.cbse.nic.in/) is issuing …"), by issuerId only, by name.
    expect(orgIds(await issuersPage(`(search: "cbse")`))).toContain("000018");
    expect(orgIds(await issuersPage(`(search: "IN.GOV.PAN")`))).toEqual(["000100"]);
    expect(orgIds(await issuersPage(`(search: "Sandbox Offline")`))).toEqual(["000999"]);
  });

  it("combines category and search, and an empty result has no cursors", async () => {
    const page = await issuersPage(`(first: 100, category: INSURANCE, search: "health")`);
    expect(orgIds(page)).toEqual(sortedOrgIds(seedSearch("health").filter((i) => hasCategory(i, "Insurance"))));
    const none = await issuersPage(`(search: "no such issuer anywhere")`);
    expect(none).toEqual({
      totalCount: 0,
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      edges: [],
    });
  });

  it("refuses bad arguments as BAD_USER_INPUT, naming the argument", async () => {
    const catalogCursor = ok(await t.query<{ documentCatalog: Page<unknown> }>(`{ documentCatalog(first: 1) { ${PAGE.replace("node { orgId }", "node { code }")} } }`))
      .documentCatalog.pageInfo.endCursor;
    const cases: [string, string][] = [
      ["(first: 0)", "first"],
      ["(first: 101)", "first"],
      ["(last: 101)", "last"],
      ["(last: -1)", "last"],
      ["(first: 2, last: 2)", "last"],
      [`(search: "${"x".repeat(101)}")`, "search"],
      [`(after: "not-a-cursor")`, "after"],
      [`(before: "${Buffer.from("[]").toString("base64url")}")`, "before"],
      [`(after: "${catalogCursor}")`, "after"],
    ];
    for (const [args, name] of cases) {
      const result = await t.query(`{ issuers${args} { totalCount } }`);
      expect(codes(result), args).toEqual(["BAD_USER_INPUT"]);
      expect(result.errors?.[0]?.message, args).toMatch(new RegExp(`^${name}: `));
      expect(result.data, args).toEqual({ issuers: null });
    }
  });
});

interface IssuerFields {
  id: string;
  orgId: string;
  issuerId: string | null;
  name: string;
  categories: string[];
  categoryNames: string[];
  description: string | null;
}
const ISSUER_FIELDS = "id orgId issuerId name categories categoryNames description";

describe("issuer", () => {
  it("finds an issuer by orgId or by issuerId, with every field", async () => {
    const data = ok(
      await t.query<{ a: IssuerFields; b: IssuerFields }>(
        `{ a: issuer(orgId: "000018") { ${ISSUER_FIELDS} } b: issuer(issuerId: "in.gov.cbse") { ${ISSUER_FIELDS} } }`,
      ),
    );
    const cbse = seed.find((i) => i.orgid === "000018")!;
    expect(data.a).toEqual({
      id: data.a.id,
      orgId: "000018",
      issuerId: "in.gov.cbse",
      name: "Central Board of Secondary Education, Delhi",
      categories: ["EDUCATION", "CENTRAL_GOVERNMENT"],
      categoryNames: ["Education", "Central Government"],
      description: cbse.description,
    });
    expect(data.b).toEqual(data.a);
  });

  it("answers null for an issuer DigiLocker does not list", async () => {
    const result = await t.query(`{ a: issuer(orgId: "999999") { name } b: issuer(issuerId: "in.gov.nowhere") { name } }`);
    // No partner is registered here: development mode grants catalogue:read, and the answer says so (docs/partners.md).
    expect(result).toEqual({ status: 200, data: { a: null, b: null }, extensions: DEVELOPMENT_MODE });
  });

  it("trims the id it is given", async () => {
    expect(ok(await t.query<{ issuer: { orgId: string } }>(`{ issuer(orgId: " 000100 ") { orgId } }`)).issuer.orgId).toBe("000100");
  });

  it("needs exactly one of orgId and issuerId", async () => {
    for (const args of ["", `(orgId: "000018", issuerId: "in.gov.cbse")`]) {
      const result = await t.query(`{ issuer${args} { name } }`);
      expect(codes(result), args).toEqual(["BAD_USER_INPUT"]);
      expect(result.errors?.[0]?.message).toContain("exactly one of orgId or issuerId");
    }
  });
});

interface SearchParameterFields {
  label: string;
  name: string;
  options: string[] | null;
  example: string | null;
}

describe("Issuer.docTypes and DocType", () => {
  it("lists an issuer's doctypes as DigiLocker sends them", async () => {
    for (const orgId of ["000018", "000120", "005001"]) {
      const data = ok(
        await t.query<{ issuer: { docTypes: { code: string; description: string; issuer: { orgId: string } }[] } }>(
          `{ issuer(orgId: "${orgId}") { docTypes { code description issuer { orgId } } } }`,
        ),
      );
      const expected = seed.find((i) => i.orgid === orgId)!.docTypes.map((d) => ({
        code: d.doctype,
        description: d.description,
        issuer: { orgId },
      }));
      expect(data.issuer.docTypes, orgId).toEqual(expected);
    }
  });

  it("gives search parameters: options from the valuelist, null for free text", async () => {
    const data = ok(
      await t.query<{ issuer: { docTypes: { code: string; searchParameters: SearchParameterFields[] }[] } }>(
        `{ issuer(orgId: "000018") { docTypes { code searchParameters { label name options example } } } }`,
      ),
    );
    const hscer = data.issuer.docTypes.find((d) => d.code === "HSCER")!;
    const years = Array.from({ length: 24 }, (_, i) => String(2001 + i));
    expect(hscer.searchParameters).toEqual([
      { label: expect.any(String) as string, name: "year", options: years, example: "2014" },
      { label: expect.any(String) as string, name: "rollno", options: null, example: "12345678" },
    ]);
    // Every doctype of the issuer, against the seed.
    for (const docType of seed.find((i) => i.orgid === "000018")!.docTypes) {
      const got = data.issuer.docTypes.find((d) => d.code === docType.doctype)!;
      expect(got.searchParameters).toEqual(
        docType.parameters.map((p) => ({
          label: p.label,
          name: p.paramname,
          options: p.valuelist === null ? null : p.valuelist.split(",").map((v) => v.trim()),
          example: p.example,
        })),
      );
    }
  });

  it("gives the spec's pull consent sentence for each doctype", async () => {
    const data = ok(
      await t.query<{ a: { docTypes: { code: string; consentText: string }[] }; b: { docTypes: { code: string; consentText: string }[] } }>(
        `{ a: issuer(orgId: "000018") { docTypes { code consentText } } b: issuer(orgId: "000110") { docTypes { code consentText } } }`,
      ),
    );
    expect(data.a.docTypes.find((d) => d.code === "HSCER")?.consentText).toBe(
      "I provide my consent to share my Aadhaar Number, Date of Birth and Name from my Aadhaar eKYC information " +
        "with the Central Board of Secondary Education, Delhi for the purpose of fetching my Class XII Marksheet into DigiLocker.",
    );
    expect(data.b.docTypes.find((d) => d.code === "DRVLC")?.consentText).toBe(
      "I provide my consent to share my Aadhaar Number, Date of Birth and Name from my Aadhaar eKYC information " +
        "with the Ministry of Road Transport and Highways for the purpose of fetching my Driving License into DigiLocker.",
    );
  });
});

describe("node(id)", () => {
  it("fetches an Issuer again by its global id", async () => {
    const { issuer } = ok(await t.query<{ issuer: IssuerFields }>(`{ issuer(orgId: "000110") { ${ISSUER_FIELDS} } }`));
    const { node } = ok(
      await t.query<{ node: IssuerFields & { __typename: string } }, { id: string }>(
        `query ($id: ID!) { node(id: $id) { __typename id ... on Issuer { ${ISSUER_FIELDS} } } }`,
        { variables: { id: issuer.id } },
      ),
    );
    expect(node).toEqual({ __typename: "Issuer", ...issuer });
  });

  it("fetches a DocType again by its global id, which includes its issuer", async () => {
    // Every state's revenue department issues INCER: the same code, different doctypes.
    const revenue = seed.filter((i) => i.docTypes.some((d) => d.doctype === "INCER")).slice(0, 2);
    const ids: string[] = [];
    for (const issuer of revenue) {
      const data = ok(
        await t.query<{ issuer: { docTypes: { id: string; code: string; description: string }[] } }>(
          `{ issuer(orgId: "${issuer.orgid}") { docTypes { id code description } } }`,
        ),
      );
      const incer = data.issuer.docTypes.find((d) => d.code === "INCER")!;
      ids.push(incer.id);
      const { node } = ok(
        await t.query<{ node: { __typename: string; id: string; code: string; description: string; issuer: { orgId: string } } }, { id: string }>(
          `query ($id: ID!) { node(id: $id) { __typename id ... on DocType { code description issuer { orgId } } } }`,
          { variables: { id: incer.id } },
        ),
      );
      expect(node).toEqual({ __typename: "DocType", ...incer, issuer: { orgId: issuer.orgid } });
    }
    expect(new Set(ids).size).toBe(2);
  });

  it("answers null for a doctype or issuer that does not exist", async () => {
    const id = (s: string) => Buffer.from(s).toString("base64");
    const result = await t.query(
      `{ a: node(id: "${id("DocType:000018/ZZZZZ")}") { id } b: node(id: "${id("DocType:999999/HSCER")}") { id } c: node(id: "${id("Issuer:999999")}") { id } }`,
    );
    expect(result).toEqual({ status: 200, data: { a: null, b: null, c: null }, extensions: DEVELOPMENT_MODE });
  });

  it("refuses a DocType id without an issuer as BAD_USER_INPUT", async () => {
    const result = await t.query(`{ node(id: "${Buffer.from("DocType:HSCER").toString("base64")}") { id } }`);
    expect(codes(result)).toEqual(["BAD_USER_INPUT"]);
    expect(result.data).toEqual({ node: null });
  });
});

interface CatalogNode {
  code: string;
  description: string;
  issuer: { orgId: string; name: string };
}
const CATALOG_PAGE = `totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { code description issuer { orgId name } } }`;

async function catalogPage(args: string): Promise<Page<CatalogNode>> {
  return ok(await t.query<{ documentCatalog: Page<CatalogNode> }>(`{ documentCatalog${args} { ${CATALOG_PAGE} } }`)).documentCatalog;
}

/** The seed's catalogue in (orgId, code) order, as `orgId/code`. */
function seedCatalog(filter: (issuer: IssuerSeed, doc: IssuerSeed["docTypes"][number]) => boolean = () => true): string[] {
  return seed
    .flatMap((i) => i.docTypes.filter((d) => filter(i, d)).map((d) => [i.orgid, d.doctype] as const))
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1))
    .map(([o, c]) => `${o}/${c}`);
}
const entries = (page: Page<CatalogNode>) => page.edges.map((e) => `${e.node.issuer.orgId}/${e.node.code}`);

describe("documentCatalog", () => {
  it("holds every doctype of every issuer, paged forward in (orgId, code) order", async () => {
    const expected = seedCatalog();
    expect(expected).toHaveLength(635);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await catalogPage(after === null ? "(first: 100)" : `(first: 100, after: "${after}")`);
      expect(page.totalCount).toBe(expected.length);
      seen.push(...entries(page));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it("pages backward, and names each entry's document and issuer", async () => {
    const first = await catalogPage("(first: 4)");
    const second = await catalogPage(`(first: 4, after: "${first.pageInfo.endCursor}")`);
    const back = await catalogPage(`(last: 4, before: "${second.pageInfo.startCursor}")`);
    expect(back.edges).toEqual(first.edges);
    expect(first.edges[0]?.node).toEqual({
      code: "HSCER",
      description: "Class XII Marksheet",
      issuer: { orgId: "000018", name: "Central Board of Secondary Education, Delhi" },
    });
  });

  it("searches documents by name or code, and issuers by name, issuerId or description", async () => {
    const cbse = await catalogPage(`(search: "marksheet", issuerSearch: "cbse")`);
    expect(entries(cbse)).toEqual(seedCatalog((i, d) => seedSearch("cbse").includes(i) && /marksheet/i.test(d.description)));
    expect(entries(cbse)).toContain("000018/HSCER");

    const licences = await catalogPage(`(first: 100, search: "drvlc")`);
    expect(licences.totalCount).toBe(seedCatalog((_, d) => d.doctype === "DRVLC").length);
    expect(licences.edges.every((e) => e.node.code === "DRVLC")).toBe(true);

    const health = await catalogPage(`(first: 100, category: INSURANCE, search: "health insurance")`);
    expect(entries(health)).toEqual(
      seedCatalog((i, d) => hasCategory(i, "Insurance") && /health/i.test(d.description) && /insurance/i.test(d.description)),
    );
    expect(health.totalCount).toBeGreaterThan(1);

    expect((await catalogPage(`(search: "nothing like this")`)).totalCount).toBe(0);
  });

  it("keeps a cursor's position across filters: it names an entry, not an offset", async () => {
    const cbse = await catalogPage(`(search: "class xii", issuerSearch: "in.gov.cbse")`);
    expect(entries(cbse)).toEqual(["000018/HSCER"]);
    const next = await catalogPage(`(first: 1, after: "${cbse.pageInfo.endCursor}")`);
    expect(entries(next)).toEqual([seedCatalog()[seedCatalog().indexOf("000018/HSCER") + 1]]);
  });

  it("resolves each entry's search parameters and consent text on demand", async () => {
    const data = ok(
      await t.query<{ documentCatalog: { edges: { node: { code: string; consentText: string; searchParameters: SearchParameterFields[] } }[] } }>(
        `{ documentCatalog(first: 1, search: "driving", issuerSearch: "in.gov.transport") { edges { node { code consentText searchParameters { name example } } } } }`,
      ),
    );
    expect(data.documentCatalog.edges.map((e) => e.node)).toEqual([
      {
        code: "DRVLC",
        consentText: expect.stringContaining("with the Ministry of Road Transport and Highways for the purpose of fetching my Driving License") as string,
        searchParameters: [
          { name: "dlno", example: "DL0120230100001" },
          { name: "dob", example: "31-12-1970" },
        ],
      },
    ]);
  });

  it("refuses bad cursors and arguments as BAD_USER_INPUT", async () => {
    const issuersCursor = (await issuersPage("(first: 1)")).pageInfo.endCursor;
    for (const args of [
      `(after: "${issuersCursor}")`,
      `(before: "%%%")`,
      `(first: 500)`,
      `(issuerSearch: "${"y".repeat(101)}")`,
      `(search: "${"y".repeat(101)}")`,
    ]) {
      const result = await t.query(`{ documentCatalog${args} { totalCount } }`);
      expect(codes(result), args).toEqual(["BAD_USER_INPUT"]);
      expect(result.data, args).toEqual({ documentCatalog: null });
    }
  });
});

describe("documentCatalog on a cold cache", () => {
  // Each doctype list takes a little while, so the gateway's calls overlap as they would against DigiLocker.
  const slowDocTypes = { latencyMs: 10, endpoints: ["meta.docTypes"] };

  it("costs the issuer list and one doctype list per issuer, never more than 8 in flight; nothing warm", async () => {
    const g = await startTestGateway();
    try {
      g.sandbox.setFaults(slowDocTypes);
      g.sandbox.resetStats();
      const cold = ok(await g.query<{ documentCatalog: { totalCount: number } }>(`{ documentCatalog(first: 5) { totalCount } }`));
      expect(cold.documentCatalog.totalCount).toBe(635);
      expect(g.gateway.upstreamCalls.snapshot()).toEqual({ "meta.issuers": 1, "meta.docTypes": 241 });
      const max = g.sandbox.stats().maxInFlight["meta.docTypes"] ?? 0;
      expect(max).toBeLessThanOrEqual(8);
      expect(max).toBeGreaterThan(1);
      expect(g.sandbox.stats().maxInFlightTotal).toBeLessThanOrEqual(8);

      g.gateway.upstreamCalls.reset();
      const warm = ok(await g.query<{ documentCatalog: { totalCount: number } }>(`{ documentCatalog(first: 100, search: "certificate") { totalCount } }`));
      expect(warm.documentCatalog.totalCount).toBeGreaterThan(0);
      expect(g.gateway.upstreamCalls.total()).toBe(0);
    } finally {
      await g.close();
    }
  });

  it("follows UPSTREAM_CONCURRENCY", async () => {
    const g = await startTestGateway({ UPSTREAM_CONCURRENCY: "3" });
    try {
      g.sandbox.setFaults(slowDocTypes);
      g.sandbox.resetStats();
      ok(await g.query(`{ documentCatalog(first: 1) { totalCount } }`));
      expect(g.gateway.upstreamCalls.count("meta.docTypes")).toBe(241);
      const max = g.sandbox.stats().maxInFlight["meta.docTypes"] ?? 0;
      expect(max).toBeLessThanOrEqual(3);
      expect(max).toBeGreaterThan(1);
    } finally {
      await g.close();
    }
  });

  it("with issuer filters, asks only for the matching issuers' doctype lists", async () => {
    const g = await startTestGateway();
    try {
      const data = ok(
        await g.query<{ documentCatalog: { totalCount: number } }>(`{ documentCatalog(issuerSearch: "cbse", category: EDUCATION) { totalCount } }`),
      );
      const issuers = seedSearch("cbse").filter((i) => hasCategory(i, "Education"));
      expect(data.documentCatalog.totalCount).toBe(issuers.reduce((n, i) => n + i.docTypes.length, 0));
      expect(g.gateway.upstreamCalls.snapshot()).toEqual({ "meta.issuers": 1, "meta.docTypes": issuers.length });
    } finally {
      await g.close();
    }
  });
});

describe("documentCatalog from the cache", () => {
  const DAY_MS = 86_400_000;
  const FILTERED_PAGES = [
    "(first: 100)",
    `(first: 7, after: "${Buffer.from(JSON.stringify(["documentCatalog", "000100", "PANCR"])).toString("base64url")}")`,
    "(last: 5)",
    `(first: 100, search: "certificate")`,
    `(first: 100, category: EDUCATION, issuerSearch: "board")`,
    `(first: 100, category: INSURANCE, search: "health insurance")`,
  ];

  it("answers warm, read from the cache without a call, exactly as cold, loaded through the loaders", async () => {
    const warm = await startTestGateway();
    try {
      ok(await warm.query(`{ documentCatalog(first: 1) { totalCount } }`));
      for (const args of FILTERED_PAGES) {
        const query = `{ documentCatalog${args} { ${CATALOG_PAGE} } }`;
        const cold = await startTestGateway();
        try {
          const loaded = ok(await cold.query(query));
          expect(cold.gateway.upstreamCalls.count("meta.issuers"), args).toBe(1);
          warm.gateway.upstreamCalls.reset();
          expect(ok(await warm.query(query)), args).toEqual(loaded);
          expect(ok(await warm.query(query)), args).toEqual(loaded);
          expect(warm.gateway.upstreamCalls.total(), args).toBe(0);
        } finally {
          await cold.close();
        }
      }
    } finally {
      await warm.close();
    }
  });

  it("shows a changed doctype list once refreshed, serving the stale one meanwhile", async () => {
    const g = await startTestGateway();
    try {
      const query = `{ documentCatalog(first: 100, issuerSearch: "in.gov.cbse") { totalCount edges { node { code issuer { orgId } } } } }`;
      type Result = { documentCatalog: { totalCount: number; edges: { node: { code: string; issuer: { orgId: string } } }[] } };
      const before = ok(await g.query<Result>(query));
      expect(before.documentCatalog.edges.map((e) => e.node.code)).not.toContain("ZZTEST");

      // DigiLocker's list changes; the cached one stays fresh for a day.
      const cbse = g.sandbox.state.issuers.find((i) => i.orgid === "000018")!;
      cbse.docTypes = [...cbse.docTypes, { doctype: "ZZTEST", description: "Test Certificate", parameters: [] }];
      g.gateway.upstreamCalls.reset();
      expect(ok(await g.query<Result>(query))).toEqual(before);
      expect(g.gateway.upstreamCalls.total()).toBe(0);

      // Stale: the old catalogue answers at once, while one refresh per list runs.
      g.clock.advance(DAY_MS + 1);
      expect(ok(await g.query<Result>(query))).toEqual(before);
      await vi.waitFor(() => {
        expect(g.gateway.upstreamCalls.snapshot()).toEqual({ "meta.issuers": 1, "meta.docTypes": 1 });
      });
      await vi.waitFor(async () => {
        const after = ok(await g.query<Result>(query)).documentCatalog;
        expect(after.totalCount).toBe(before.documentCatalog.totalCount + 1);
        expect(after.edges.at(-1)?.node).toEqual({ code: "ZZTEST", issuer: { orgId: "000018" } });
      });
      expect(g.gateway.upstreamCalls.snapshot()).toEqual({ "meta.issuers": 1, "meta.docTypes": 1 });
    } finally {
      await g.close();
    }
  });

  it("fails while one issuer's doctype list fails, and the retry asks only for the lists not yet cached", async () => {
    const g = await startTestGateway();
    try {
      const cbse = ok(await g.query<{ documentCatalog: { totalCount: number } }>(`{ documentCatalog(issuerSearch: "cbse") { totalCount } }`));
      expect(cbse.documentCatalog.totalCount).toBeGreaterThan(0);
      const cached = g.gateway.upstreamCalls.count("meta.docTypes");
      expect(cached).toBe(seedSearch("cbse").length);

      g.sandbox.setFaults({ errorRate: 1, errorCode: "unexpected_error", endpoints: ["meta.docTypes"] });
      g.gateway.upstreamCalls.reset();
      const failed = await g.query(`{ documentCatalog { totalCount } }`);
      expect(failed.data).toEqual({ documentCatalog: null });
      expect(codes(failed)).toEqual(["UPSTREAM_UNAVAILABLE"]);
      expect(g.gateway.upstreamCalls.snapshot()).toEqual({ "meta.docTypes": 241 - cached });

      g.sandbox.setFaults({});
      g.gateway.upstreamCalls.reset();
      const retried = ok(await g.query<{ documentCatalog: { totalCount: number } }>(`{ documentCatalog { totalCount } }`));
      expect(retried.documentCatalog.totalCount).toBe(635);
      expect(g.gateway.upstreamCalls.snapshot()).toEqual({ "meta.docTypes": 241 - cached });
    } finally {
      await g.close();
    }
  });
});
