// Query.viewer over real HTTP (gateway ↔ sandbox): the account, issued documents with their issuers and
// doctypes, and what each costs upstream, cold and warm, counted per endpoint.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AJIT, PRIYA, RAHUL, startTestGateway, type TestGateway } from "../../helpers/gateway.js";

interface Doc {
  id: string;
  uri: string;
  name: string;
  date: string | null;
  mimeTypes: string[];
  hasXml: boolean;
  docTypeCode: string | null;
  description: string | null;
  issuerId: string | null;
  issuerName: string | null;
}

const DOCS_WITH_ISSUERS = `{ viewer { issuedDocuments { uri issuerId issuer { name } } } }`;
const DOCS_WITH_DOCTYPES = `{ viewer { issuedDocuments { uri docTypeCode issuer { name } docType { code description } } } }`;
const ACCOUNT = `{ viewer { digilockerId name dateOfBirth gender eAadhaarAvailable referenceKey } }`;

describe("viewer: what a cold and a warm gateway pay upstream", () => {
  let t: TestGateway;
  beforeAll(async () => { t = await startTestGateway(); });
  afterAll(async () => { await t.close(); });

  it("costs 2 calls cold (issued list, issuer list) and 1 warm for N documents with their issuers", async () => {
    const token = t.token(PRIYA);
    const calls = t.gateway.upstreamCalls;
    calls.reset();
    type R = { viewer: { issuedDocuments: { uri: string; issuerId: string | null; issuer: { name: string } | null }[] } };
    const cold = await t.query<R>(DOCS_WITH_ISSUERS, { token });
    expect(cold.errors).toBeUndefined();
    const docs = cold.data!.viewer.issuedDocuments;
    expect(docs).toHaveLength(12);
    expect(new Set(docs.map((d) => d.issuerId)).size).toBe(9);
    expect(docs.every((d) => d.issuer !== null)).toBe(true);
    expect(docs.find((d) => d.uri === "in.gov.cbse-SSCER-20088812345")?.issuer?.name).toBe(
      "Central Board of Secondary Education, Delhi",
    );
    expect(calls.snapshot()).toEqual({ "files.issued": 1, "meta.issuers": 1 });

    calls.reset();
    const warm = await t.query<R>(DOCS_WITH_ISSUERS, { token });
    expect(warm.data).toEqual(cold.data);
    // The issued list is the user's and may change; the catalogue is cached.
    expect(calls.snapshot()).toEqual({ "files.issued": 1 });
  });
});

describe("viewer: docType through the issuer's doctype list", () => {
  let t: TestGateway;
  beforeAll(async () => { t = await startTestGateway(); });
  afterAll(async () => { await t.close(); });

  it("costs one doctype list per distinct issuer cold and none warm (Priya: 12 documents, 9 issuers)", async () => {
    const token = t.token(PRIYA);
    const calls = t.gateway.upstreamCalls;
    type R = {
      viewer: {
        issuedDocuments: { uri: string; docTypeCode: string | null; docType: { code: string; description: string } | null }[];
      };
    };
    calls.reset();
    const cold = await t.query<R>(DOCS_WITH_DOCTYPES, { token });
    expect(cold.errors).toBeUndefined();
    const docs = cold.data!.viewer.issuedDocuments;
    expect(docs).toHaveLength(12);
    for (const doc of docs) expect(doc.docType?.code).toBe(doc.docTypeCode);
    expect(docs.find((d) => d.uri === "in.gov.cbse-HSCER-20109912345")?.docType?.description).toBe("Class XII Marksheet");
    expect(calls.snapshot()).toEqual({ "files.issued": 1, "meta.issuers": 1, "meta.docTypes": 9 });

    calls.reset();
    const warm = await t.query<R>(DOCS_WITH_DOCTYPES, { token });
    expect(warm.data).toEqual(cold.data);
    expect(calls.snapshot()).toEqual({ "files.issued": 1 });
  });
});

describe("viewer", () => {
  let t: TestGateway;
  beforeAll(async () => { t = await startTestGateway(); });
  afterAll(async () => { await t.close(); });
  afterEach(() => { t.sandbox.setFaults({}); });

  it("gives every field of an issued document as DigiLocker sent it", async () => {
    const res = await t.query<{ viewer: { issuedDocuments: Doc[] } }>(
      `{ viewer { issuedDocuments { id uri name date mimeTypes hasXml docTypeCode description issuerId issuerName } } }`,
      { token: t.token(AJIT) },
    );
    expect(res.errors).toBeUndefined();
    const docs = res.data!.viewer.issuedDocuments;
    expect(docs.map((d) => d.uri)).toEqual([
      "in.gov.cbse-HSCER-201412345678",
      "in.gov.delhi-INCER-98765432",
      "in.gov.pan-PANCR-ABCDE1234F",
      "in.gov.transport-DRVLC-DL0120230100001",
      "in.gov.sandbox.offline-OFCER-0001",
    ]);
    const cbse = docs[0]!;
    expect(cbse).toMatchObject({
      name: "Class XII Marksheet",
      mimeTypes: ["application/pdf", "application/xml"],
      hasXml: true,
      docTypeCode: "HSCER",
      issuerId: "in.gov.cbse",
    });
    expect(cbse.issuerName).toMatch(/Central Board of Secondary Education/);
    expect(cbse.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
    expect(docs[3]).toMatchObject({ mimeTypes: ["application/pdf"], hasXml: false });
    expect(new Set(docs.map((d) => d.id)).size).toBe(docs.length);
  });

  it("reads the account (Get User Details) with typed fields", async () => {
    const res = await t.query(ACCOUNT, { token: t.token(PRIYA) });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      viewer: {
        digilockerId: PRIYA,
        name: "Priya Sharma",
        dateOfBirth: "1992-08-15",
        gender: "FEMALE",
        eAadhaarAvailable: true,
        referenceKey: expect.any(String) as unknown,
      },
    });
    const rahul = await t.query<{ viewer: { eAadhaarAvailable: boolean | null; dateOfBirth: string } }>(
      `{ viewer { eAadhaarAvailable dateOfBirth } }`,
      { token: t.token(RAHUL) },
    );
    expect(rahul.data?.viewer).toEqual({ eAadhaarAvailable: false, dateOfBirth: "1985-01-01" });
  });

  it("does not call Get User Details for issued documents alone", async () => {
    t.gateway.upstreamCalls.reset();
    const res = await t.query(`{ viewer { issuedDocuments { uri } } }`, { token: t.token(AJIT) });
    expect(res.errors).toBeUndefined();
    expect(t.gateway.upstreamCalls.count("account.user")).toBe(0);
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "files.issued": 1 });
  });

  it("calls Get User Details once per token, across queries; another token makes its own call", async () => {
    const calls = t.gateway.upstreamCalls;
    const token = t.token(PRIYA);
    calls.reset();
    const first = await t.query(`{ viewer { name dateOfBirth } }`, { token });
    const second = await t.query(`{ viewer { name dateOfBirth } }`, { token });
    expect(first.data).toEqual({ viewer: { name: "Priya Sharma", dateOfBirth: "1992-08-15" } });
    expect(second.data).toEqual(first.data);
    expect(calls.count("account.user")).toBe(1);

    const other = await t.query(`{ viewer { name } }`, { token: t.token(PRIYA) });
    expect(other.data).toEqual({ viewer: { name: "Priya Sharma" } });
    expect(calls.count("account.user")).toBe(2);
    expect(calls.total()).toBe(2);
  });

  it("never lets two users' concurrent queries see each other's data", async () => {
    const users = [AJIT, PRIYA, AJIT, PRIYA, AJIT, PRIYA];
    const tokens = new Map([AJIT, PRIYA].map((u) => [u, t.token(u)]));
    // Slow answers keep the queries in flight together, where sharing would happen if it could.
    t.sandbox.setFaults({ latencyMs: 50 });
    type R = { viewer: { digilockerId: string; issuedDocuments: { uri: string }[]; rootFolder: { folderId: string } } };
    const results = await Promise.all(
      users.map((u) =>
        t.query<R>(`{ viewer { digilockerId issuedDocuments { uri } rootFolder { folderId } } }`, { token: tokens.get(u)! }),
      ),
    );
    results.forEach((res, i) => {
      expect(res.errors).toBeUndefined();
      const viewer = res.data!.viewer;
      const mine = users[i] === AJIT;
      expect(viewer.digilockerId).toBe(users[i]);
      expect(viewer.issuedDocuments).toHaveLength(mine ? 5 : 12);
      expect(viewer.issuedDocuments[0]?.uri).toBe(mine ? "in.gov.cbse-HSCER-201412345678" : "in.gov.cbse-SSCER-20088812345");
      expect(viewer.rootFolder.folderId).toBe(mine ? "1234" : "2100");
    });
  });

  it("shares one issued-list call among 10 concurrent identical queries of one token", async () => {
    const token = t.token(AJIT);
    // The first call stays in flight long enough for the other nine to join it.
    t.sandbox.setFaults({ latencyMs: 300, endpoints: ["files.issued", "account.user"] });
    t.gateway.upstreamCalls.reset();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => t.query(`{ viewer { name issuedDocuments { uri } } }`, { token })),
    );
    for (const res of results) {
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual(results[0]!.data);
    }
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "files.issued": 1, "account.user": 1 });
  });

  it("finds an issued document by node(id) in the viewer's own list, and not another user's", async () => {
    const ajit = t.token(AJIT);
    const list = await t.query<{ viewer: { issuedDocuments: { id: string; uri: string }[] } }>(
      `{ viewer { issuedDocuments { id uri } } }`,
      { token: ajit },
    );
    const pan = list.data!.viewer.issuedDocuments.find((d) => d.uri === "in.gov.pan-PANCR-ABCDE1234F")!;
    const query = `query ($id: ID!) { node(id: $id) { __typename id ... on IssuedDocument { uri name issuer { name } } } }`;
    const found = await t.query(query, { token: ajit, variables: { id: pan.id } });
    expect(found.errors).toBeUndefined();
    expect(found.data).toEqual({
      node: { __typename: "IssuedDocument", id: pan.id, uri: pan.uri, name: "PAN Verification Record", issuer: { name: "Income Tax Department" } },
    });

    const asPriya = await t.query(query, { token: t.token(PRIYA), variables: { id: pan.id } });
    expect(asPriya.errors).toBeUndefined();
    expect(asPriya.data).toEqual({ node: null });
  });
});
