// The operations a frontend ships (schema/operations/*.graphql), run as typed documents against a real gateway
// and sandbox. Their result types come from codegen: an incompatible schema change fails codegen or the
// typecheck here, before it reaches a client.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CatalogueSearchDocument,
  FolderTreeDocument,
  StatisticsDocument,
  ViewerWithIssuedDocumentsDocument,
  type FolderTreeQuery,
} from "../../generated/operations.js";
import { AJIT, ASHA, startTestGateway, type TestGateway } from "../../helpers/gateway.js";

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t.close());

describe("ViewerWithIssuedDocuments", () => {
  it("returns Ajit's account and his five issued documents with their issuers and types", async () => {
    const token = t.token(AJIT);
    t.gateway.upstreamCalls.reset();
    const { status, data, errors } = await t.query(ViewerWithIssuedDocumentsDocument, { token });
    expect(status).toBe(200);
    expect(errors).toBeUndefined();
    const viewer = data?.viewer;
    expect(viewer).toMatchObject({
      digilockerId: AJIT,
      name: "Ajit Kumar",
      dateOfBirth: "1970-12-31",
      gender: "MALE",
      eAadhaarAvailable: true,
    });
    const documents = viewer?.issuedDocuments ?? [];
    expect(documents.map((d) => [d.uri, d.issuer?.orgId, d.docType?.code, d.hasXml])).toEqual([
      ["in.gov.cbse-HSCER-201412345678", "000018", "HSCER", true],
      ["in.gov.delhi-INCER-98765432", "000120", "INCER", true],
      ["in.gov.pan-PANCR-ABCDE1234F", "000100", "PANCR", true],
      ["in.gov.transport-DRVLC-DL0120230100001", "000110", "DRVLC", false],
      ["in.gov.sandbox.offline-OFCER-0001", "000999", "OFCER", true],
    ]);
    const cbse = documents[0];
    expect(cbse).toMatchObject({
      name: "Class XII Marksheet",
      date: "2015-05-12T15:50:38.000Z",
      mimeTypes: ["application/pdf", "application/xml"],
      issuerId: "in.gov.cbse",
      issuer: { issuerId: "in.gov.cbse", name: "Central Board of Secondary Education, Delhi", categories: ["EDUCATION", "CENTRAL_GOVERNMENT"] },
      docType: { description: "Class XII Marksheet" },
    });
    // Global ids are distinct across types.
    const ids = documents.flatMap((d) => [d.id, d.issuer?.id, d.docType?.id]);
    expect(new Set(ids).size).toBe(ids.length);

    // Cold: one user-details call, the issued list, the issuer list, and one doctype list per distinct issuer.
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "account.user": 1, "files.issued": 1, "meta.issuers": 1, "meta.docTypes": 5 });

    // Warm, same token: only the issued list (it changes as documents arrive, so it is not cached).
    t.gateway.upstreamCalls.reset();
    const again = await t.query(ViewerWithIssuedDocumentsDocument, { token });
    expect(again.data).toEqual(data);
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "files.issued": 1 });
  });
});

describe("FolderTree", () => {
  type Item = NonNullable<NonNullable<FolderTreeQuery["viewer"]>["rootFolder"]>["items"]["edges"][number]["node"];
  const describeItem = (item: Item) => (item.__typename === "Folder" ? `${item.name}/` : item.name);

  it("returns Ajit's uploads two levels deep: one listing call per folder opened", async () => {
    t.gateway.upstreamCalls.reset();
    const { data, errors } = await t.query(FolderTreeDocument, { token: t.token(AJIT) });
    expect(errors).toBeUndefined();
    const root = data?.viewer?.rootFolder;
    expect(root).toMatchObject({ folderId: "1234", path: "/" });
    expect(root?.items.totalCount).toBe(3);
    expect(root?.items.pageInfo.hasNextPage).toBe(false);
    const items = root?.items.edges.map((e) => e.node) ?? [];
    expect(items.map(describeItem)).toEqual(["My Documents/", "myfile.pdf", "photo.jpg"]);

    const [myDocuments, myfile] = items;
    if (myDocuments?.__typename !== "Folder" || myfile?.__typename !== "UploadedFile") throw new Error("unexpected root items");
    expect(myDocuments).toMatchObject({ folderId: "5678", path: "/My Documents" });
    expect(myDocuments.items.edges.map((e) => e.node)).toEqual([
      { __typename: "Folder", id: expect.any(String) as string, folderId: "5679", name: "Education" },
    ]);
    expect(myfile).toMatchObject({ uri: "in.gov.digilocker-OTHER-39491058586222", mimeTypes: ["application/pdf"] });
    expect(myfile.size).toBeGreaterThan(0);

    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "files.uploaded": 2 });

    // Listings change as files arrive, so they are not cached: warm costs the same.
    t.gateway.upstreamCalls.reset();
    const again = await t.query(FolderTreeDocument, { token: t.token(AJIT) });
    expect(again.data).toEqual(data);
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "files.uploaded": 2 });
  });

  it("pages through a folder with first/after", async () => {
    const { data, errors } = await t.query(FolderTreeDocument, { token: t.token(ASHA), variables: { first: 1 } });
    expect(errors).toBeUndefined();
    const root = data?.viewer?.rootFolder;
    expect(root?.items.edges).toHaveLength(1);
    expect(root?.items.totalCount).toBeGreaterThanOrEqual(1);
    const family = root?.items.edges[0]?.node;
    expect(family?.__typename === "Folder" ? family.name : null).toBe("Family");
  });
});

describe("CatalogueSearch", () => {
  it("finds CBSE's marksheets with what a pull needs, a page at a time", async () => {
    const fresh = await startTestGateway();
    try {
      const variables = { search: "marksheet", issuerSearch: "cbse", first: 1 };
      fresh.gateway.upstreamCalls.reset();
      const page1 = await fresh.query(CatalogueSearchDocument, { variables });
      expect(page1.errors).toBeUndefined();
      const catalog1 = page1.data?.documentCatalog;
      expect(catalog1?.totalCount).toBe(2);
      expect(catalog1?.pageInfo.hasNextPage).toBe(true);
      const hscer = catalog1?.edges[0]?.node;
      expect(hscer).toMatchObject({
        code: "HSCER",
        description: "Class XII Marksheet",
        issuer: { orgId: "000018", issuerId: "in.gov.cbse" },
      });
      expect(hscer?.consentText).toContain("Central Board of Secondary Education, Delhi");
      expect(hscer?.consentText).toContain("Class XII Marksheet");
      expect(hscer?.searchParameters).toEqual([
        { name: "year", label: "Year", options: Array.from({ length: 24 }, (_, i) => String(2001 + i)), example: "2014" },
        { name: "rollno", label: "Roll Number", options: null, example: "12345678" },
      ]);
      const cold = fresh.gateway.upstreamCalls.snapshot();

      const page2 = await fresh.query(CatalogueSearchDocument, { variables: { ...variables, after: catalog1?.pageInfo.endCursor ?? null } });
      expect(page2.errors).toBeUndefined();
      expect(page2.data?.documentCatalog?.edges.map((e) => e.node.code)).toEqual(["SSCER"]);
      expect(page2.data?.documentCatalog?.pageInfo.hasNextPage).toBe(false);

      // Cold: the issuer list, the doctype lists of the issuers the issuer search keeps, one parameter list per entry shown.
      expect(cold).toEqual({ "meta.issuers": 1, "meta.docTypes": 1, "meta.parameters": 1 });
      // Warm: nothing at all.
      fresh.gateway.upstreamCalls.reset();
      const warm = await fresh.query(CatalogueSearchDocument, { variables });
      expect(warm.data).toEqual(page1.data);
      expect(fresh.gateway.upstreamCalls.total()).toBe(0);
    } finally {
      await fresh.close();
    }
  });
});

describe("Statistics", () => {
  it("returns DigiLocker's counts, past 2^31 where they are, and costs one call per TTL", async () => {
    t.gateway.upstreamCalls.reset();
    const { data, errors } = await t.query(StatisticsDocument);
    expect(errors).toBeUndefined();
    const stats = data?.statistics;
    expect(stats).toMatchObject({ issuers: 241, requesters: 1847 });
    expect(stats?.countAsOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(stats?.monthwiseRegistrations).toHaveLength(12);
    expect(stats?.monthwiseRegistrations.at(-1)?.count).toBe(stats?.users);
    // The sandbox's series: 2018's cumulative document count is the first past 2^31.
    expect(stats?.yearwiseAuthenticDocuments.slice(0, 3)).toEqual([
      { year: 2016, count: 835_134_567 },
      { year: 2017, count: 1_735_134_567 },
      { year: 2018, count: 2_635_134_567 },
    ]);
    expect(stats?.yearwiseAuthenticDocuments.at(-1)?.count).toBe(stats?.authenticDocuments);
    expect(stats?.authenticDocuments).toBeGreaterThan(2 ** 31);

    await t.query(StatisticsDocument);
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "meta.statistics": 1 });
  });
});

describe("the README's example queries", () => {
  const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
  const examples = [...readme.matchAll(/^```graphql\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? "");

  it("are there", () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples.map((query, i) => [i + 1, query]))("example %i runs clean with a sandbox token", async (_n, query) => {
    const { status, data, errors } = await t.query<Record<string, unknown>>(query, { token: t.token(AJIT) });
    expect(status).toBe(200);
    expect(errors).toBeUndefined();
    expect(Object.values(data ?? {}).every((v) => v !== null)).toBe(true);
  });
});
