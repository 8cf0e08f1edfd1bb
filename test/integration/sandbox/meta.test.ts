// The six meta APIs, client ↔ sandbox over real HTTP (spec: "DigiLocker Meta APIs"): each call in both
// body encodings and both ts conventions, every error of the tables, and Push URI's effect on the
// user's issued documents. Requests the client never sends (bad hmac, missing fields) go out raw.
import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  BadRequestError,
  ClientCredentialsError,
  DigiLockerClient,
  InsufficientScopeError,
  NotFoundError,
  type ClientDeps,
  type ClientSettingsInput,
  type PushUriInput,
} from "../../../src/digilocker/index.js";
import type { Sandbox } from "../../../src/sandbox/server.js";
import { startTestSandbox, type TestSandbox } from "../../helpers/sandbox.js";

const AJIT = "123e4567-e89b-12d3-a456-426655440000";
const PRIYA = "6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f";
const RAHUL_MOBILE = "9000000001";
const IST_SECONDS = 19_800;
const MINUTE = 60_000;

const TEXT = {
  ts: "Timestamp parameter is missing or invalid",
  hmac: "HMAC parameter is missing or invalid",
  orgid: "The orgid parameter is missing or invalid",
  doctype: "The doctype parameter is missing or invalid",
  uidOrMobile: "Either one of uid or mobile number is mandatory",
};

const PATH = {
  issuers: "/oauth2/1/pull/issuers",
  docTypes: "/oauth2/1/pull/doctype",
  parameters: "/oauth2/1/pull/parameters",
  verify: "/account/2/verify",
  push: "/account/1/pushuri",
  statistics: "/statistics/1/counts",
};

/** Awaits a rejection and returns the error; fails when the promise resolves. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to fail");
}

/** The spec's recipe, computed here apart from the client: hex SHA-256 of secret + clientid + parts. */
function metaHash(secret: string, clientId: string, parts: string[]): string {
  return createHash("sha256").update(secret + clientId + parts.join("")).digest("hex");
}

function nowTs(convention: "unix" | "unix-ist" = "unix", nowMs = Date.now()): string {
  return String(Math.floor(nowMs / 1000) + (convention === "unix-ist" ? IST_SECONDS : 0));
}

interface RawReply {
  status: number;
  body: unknown;
}

/** A POST the way a hand-written integration would send it: urlencoded, or multipart with `multipart`. */
async function post(sandbox: Sandbox, path: string, fields: Record<string, string>, multipart = false): Promise<RawReply> {
  let body: URLSearchParams | FormData;
  if (multipart) {
    body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
  } else {
    body = new URLSearchParams(fields);
  }
  const res = await fetch(sandbox.baseUrl + path, { method: "POST", body });
  const text = await res.text();
  return { status: res.status, body: text === "" ? null : JSON.parse(text) };
}

/** A correctly signed raw call: clientid, the fields, ts and hmac over `hashed(ts)`. */
function signed(sandbox: Sandbox, fields: Record<string, string>, hashed: (ts: string) => string[], ts = nowTs()) {
  const hmac = metaHash(sandbox.clientSecret, sandbox.clientId, hashed(ts));
  return { clientid: sandbox.clientId, ...fields, ts, hmac };
}

function invalidParameter(...texts: string[]) {
  return { error: "invalid_parameter", error_description: texts.join(", ") };
}

function clientFor(sandbox: Sandbox, settings: Partial<ClientSettingsInput> = {}, deps: ClientDeps = {}): DigiLockerClient {
  return new DigiLockerClient(
    { baseUrl: sandbox.baseUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, retry: { maxRetries: 0 }, ...settings },
    deps,
  );
}

const conventions = [
  { metaEncoding: "form", timestamp: "unix" },
  { metaEncoding: "multipart", timestamp: "unix" },
  { metaEncoding: "form", timestamp: "unix-ist" },
  { metaEncoding: "multipart", timestamp: "unix-ist" },
] as const;

describe.each(conventions)("meta APIs through the client ($metaEncoding, ts $timestamp)", ({ metaEncoding, timestamp }) => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ sandbox: { timestamp }, client: { metaEncoding, timestamp } });
  });
  afterAll(() => t.close());

  it("lists at least 200 issuers, with the spec's CBSE entry", async () => {
    const issuers = await t.client.meta.issuers();
    expect(issuers.length).toBeGreaterThanOrEqual(200);
    expect(issuers.length).toBe(t.sandbox.state.issuers.length);
    expect(issuers.find((i) => i.orgId === "000018")).toMatchObject({
      issuerId: "in.gov.cbse",
      categories: ["Education", "Central Government"],
    });
  });

  it("lists an issuer's document types", async () => {
    const docTypes = await t.client.meta.docTypes("000018");
    expect(docTypes.map((d) => d.docType)).toEqual(expect.arrayContaining(["HSCER", "SSCER", "MGCER"]));
    expect(docTypes.find((d) => d.docType === "HSCER")?.description).toBe("Class XII Marksheet");
  });

  it("gives a document's search parameters, with and without value lists", async () => {
    const parameters = await t.client.meta.parameters("000018", "HSCER");
    const year = parameters.find((p) => p.paramName === "year");
    const rollno = parameters.find((p) => p.paramName === "rollno");
    expect(year?.options).toContain("2014");
    expect(year?.example).toBe("2014");
    expect(rollno).toMatchObject({ options: null, example: "12345678" });
  });

  it("verifies accounts by Aadhaar number and by mobile number", async () => {
    await expect(t.client.meta.verifyAccount({ uid: "999999990019" })).resolves.toEqual({ registered: true, digilockerId: AJIT });
    await expect(t.client.meta.verifyAccount({ mobile: "9123456780" })).resolves.toEqual({ registered: true, digilockerId: PRIYA });
    await expect(t.client.meta.verifyAccount({ mobile: "9999999999" })).resolves.toEqual({ registered: false, digilockerId: null });
  });

  it("gives statistics whose issuer count is the real one", async () => {
    const stats = await t.client.meta.statistics();
    expect(stats.issuers).toBe(t.sandbox.state.issuers.length);
    expect(stats.authenticDocuments).toBeGreaterThan(2 ** 31);
    expect(stats.monthwiseRegistrations).toHaveLength(12);
  });

  it("pushes a URI into a user's account", async () => {
    const uri = `in.gov.sandbox-SBCER-${metaEncoding}-${timestamp}`;
    await t.client.meta.pushUri({ ...pushInput(uri), action: "A" });
    const { accessToken } = t.sandbox.issueToken({ userId: AJIT, scopes: ["files.issueddocs"] });
    const issued = await t.client.files.listIssued(accessToken);
    expect(issued.map((d) => d.uri)).toContain(uri);
  });
});

function pushInput(uri: string): Omit<PushUriInput, "action"> {
  return {
    digilockerId: AJIT,
    uri,
    docType: "SBCER",
    description: "Sandbox Certificate",
    docId: uri.split("-").slice(2).join("-"),
    issueDate: "2024-03-15",
  };
}

describe("meta authentication (clientid, ts, hmac)", () => {
  let t: TestSandbox;
  const extra: DigiLockerClient[] = [];
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterEach(async () => {
    await Promise.all(extra.splice(0).map((c) => c.close()));
  });
  afterAll(() => t.close());

  function client(settings: Partial<ClientSettingsInput> = {}, deps: ClientDeps = {}): DigiLockerClient {
    const c = clientFor(t.sandbox, settings, deps);
    extra.push(c);
    return c;
  }

  it("refuses an unknown clientid with 401 invalid_client_id", async () => {
    const error = await failure(client({ clientId: "NOSUCHCLIENT" }).meta.issuers());
    expect(error).toBeInstanceOf(ClientCredentialsError);
    expect(error).toMatchObject({ status: 401, code: "invalid_client_id", description: "The client_id parameter is invalid" });
  });

  it("refuses a hash made with the wrong secret", async () => {
    const error = await failure(client({ clientSecret: "not-the-secret" }).meta.statistics());
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, code: "invalid_parameter", description: TEXT.hmac });
  });

  it("refuses a ts older than 30 minutes and accepts one a little younger", async () => {
    const late = client({}, { now: () => Date.now() - 31 * MINUTE });
    const error = await failure(late.meta.issuers());
    expect(error).toMatchObject({ status: 400, code: "invalid_parameter", description: TEXT.ts });
    const slow = client({}, { now: () => Date.now() - 29 * MINUTE });
    await expect(slow.meta.issuers()).resolves.not.toHaveLength(0);
  });

  it("refuses a ts more than 5 minutes ahead, beyond the spec (docs/spec-assumptions.md #2), and accepts one 4 minutes ahead", async () => {
    // The spec bounds only the age (spec 1099); this strictness is what catches a ts shifted 5.5 hours to IST.
    const early = client({}, { now: () => Date.now() + 6 * MINUTE });
    const error = await failure(early.meta.issuers());
    expect(error).toMatchObject({ status: 400, code: "invalid_parameter", description: TEXT.ts });
    const skewed = client({}, { now: () => Date.now() + 4 * MINUTE });
    await expect(skewed.meta.issuers()).resolves.not.toHaveLength(0);
  });

  it("refuses a ts from a client whose convention is not the sandbox's (unix vs unix-ist), both ways", async () => {
    const error = await failure(client({ timestamp: "unix-ist" }).meta.docTypes("000018"));
    expect(error).toMatchObject({ status: 400, code: "invalid_parameter", description: TEXT.ts });

    const ist = await startTestSandbox({ sandbox: { timestamp: "unix-ist" } });
    try {
      const reverse = await failure(ist.client.meta.docTypes("000018"));
      expect(reverse).toMatchObject({ status: 400, code: "invalid_parameter", description: TEXT.ts });
    } finally {
      await ist.close();
    }
  });

  it("lists every problem together: missing ts and hmac", async () => {
    const reply = await post(t.sandbox, PATH.issuers, { clientid: t.sandbox.clientId });
    expect(reply).toEqual({ status: 400, body: invalidParameter(TEXT.ts, TEXT.hmac) });
  });

  it("refuses a ts that is not digits, even with a hash over it", async () => {
    const fields = signed(t.sandbox, {}, (ts) => [ts], "17e8");
    expect(await post(t.sandbox, PATH.statistics, fields)).toEqual({ status: 400, body: invalidParameter(TEXT.ts) });
  });

  it("refuses a hash over the fields in another order", async () => {
    const ts = nowTs();
    const fields = { clientid: t.sandbox.clientId, orgid: "000018", ts, hmac: metaHash(t.sandbox.clientSecret, t.sandbox.clientId, [ts, "000018"]) };
    expect(await post(t.sandbox, PATH.docTypes, fields)).toEqual({ status: 400, body: invalidParameter(TEXT.hmac) });
  });

  it("checks clientid before anything else", async () => {
    expect(await post(t.sandbox, PATH.verify, { clientid: "NOSUCHCLIENT" })).toEqual({
      status: 401,
      body: { error: "invalid_client_id", error_description: "The client_id parameter is invalid" },
    });
  });

  it("accepts a multipart body signed by hand", async () => {
    const reply = await post(t.sandbox, PATH.verify, signed(t.sandbox, { mobile: "9876543210" }, (ts) => ["9876543210", ts]), true);
    expect(reply).toEqual({ status: 200, body: { registered: "true", digilockerid: AJIT } });
  });
});

describe("meta reads: bodies and parameter errors", () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(() => t.close());

  it("sends issuers with the spec's five string fields", async () => {
    const reply = await post(t.sandbox, PATH.issuers, signed(t.sandbox, {}, (ts) => [ts]));
    expect(reply.status).toBe(200);
    const { issuers } = reply.body as { issuers: Record<string, unknown>[] };
    for (const issuer of issuers) {
      expect(Object.keys(issuer).sort()).toEqual(["category", "description", "issuerid", "name", "orgid"]);
      for (const value of Object.values(issuer)) expect(typeof value).toBe("string");
    }
    expect(issuers.find((i) => i.orgid === "000018")).toMatchObject({ issuerid: "in.gov.cbse", category: "Education,Central Government" });
  });

  it("sends doctypes as {documents: [{doctype, description}]}", async () => {
    const reply = await post(t.sandbox, PATH.docTypes, signed(t.sandbox, { orgid: "000120" }, (ts) => ["000120", ts]));
    expect(reply.status).toBe(200);
    expect((reply.body as { documents: unknown[] }).documents).toEqual(
      expect.arrayContaining([
        { doctype: "INCER", description: "Income Certificate" },
        { doctype: "BTCER", description: "Birth Certificate" },
      ]),
    );
  });

  it("sends parameters with valuelist null for free text", async () => {
    const reply = await post(
      t.sandbox,
      PATH.parameters,
      signed(t.sandbox, { orgid: "000018", doctype: "HSCER" }, (ts) => ["000018", "HSCER", ts]),
    );
    expect(reply.status).toBe(200);
    expect((reply.body as { parameters: unknown[] }).parameters).toContainEqual({
      label: expect.any(String) as unknown,
      paramname: "rollno",
      valuelist: null,
      example: "12345678",
    });
  });

  it("refuses an unknown orgid for doctypes", async () => {
    const error = await failure(t.client.meta.docTypes("123456"));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, code: "invalid_parameter", description: TEXT.orgid });
  });

  it("refuses a missing orgid, listed with a bad hmac", async () => {
    const ts = nowTs();
    const reply = await post(t.sandbox, PATH.docTypes, { clientid: t.sandbox.clientId, ts, hmac: "0".repeat(64) });
    expect(reply).toEqual({ status: 400, body: invalidParameter(TEXT.orgid, TEXT.hmac) });
  });

  it("refuses an unknown doctype of a known issuer", async () => {
    const error = await failure(t.client.meta.parameters("000018", "ZZZZZ"));
    expect(error).toMatchObject({ status: 400, code: "invalid_parameter", description: TEXT.doctype });
  });

  it("refuses an unknown orgid for parameters, and a doctype that is not one (lower case, missing)", async () => {
    const unknownOrg = await failure(t.client.meta.parameters("123456", "HSCER"));
    expect(unknownOrg).toMatchObject({ status: 400, code: "invalid_parameter", description: TEXT.orgid });
    // Doctypes are matched exactly (docs/spec-assumptions.md #28); the text says what to fix.
    const lower = signed(t.sandbox, { orgid: "000018", doctype: "hscer" }, (ts) => ["000018", "hscer", ts]);
    expect(await post(t.sandbox, PATH.parameters, lower)).toEqual({
      status: 400,
      body: invalidParameter("The doctype parameter is missing or invalid (doctypes are upper case: send HSCER)"),
    });
    // A lower-case doctype that is no doctype of the issuer even upper-cased gets the spec's text alone.
    const unknownLower = signed(t.sandbox, { orgid: "000018", doctype: "zzzzz" }, (ts) => ["000018", "zzzzz", ts]);
    expect(await post(t.sandbox, PATH.parameters, unknownLower)).toEqual({ status: 400, body: invalidParameter(TEXT.doctype) });
    const neither = signed(t.sandbox, {}, (ts) => ["", "", ts]);
    expect(await post(t.sandbox, PATH.parameters, neither)).toEqual({ status: 400, body: invalidParameter(TEXT.orgid, TEXT.doctype) });
  });

  it("verify: strings in the body, registered or not", async () => {
    const yes = await post(t.sandbox, PATH.verify, signed(t.sandbox, { uid: "999999990019" }, (ts) => ["999999990019", ts]));
    expect(yes).toEqual({ status: 200, body: { registered: "true", digilockerid: AJIT } });
    const no = await post(t.sandbox, PATH.verify, signed(t.sandbox, { uid: "999999999999" }, (ts) => ["999999999999", ts]));
    expect(no).toEqual({ status: 200, body: { registered: "false", digilockerid: "" } });
    const rahul = await t.client.meta.verifyAccount({ mobile: RAHUL_MOBILE });
    expect(rahul.registered).toBe(true);
  });

  it("verify: neither uid nor mobile, or both, is refused", async () => {
    const neither = await post(t.sandbox, PATH.verify, signed(t.sandbox, {}, (ts) => [ts]));
    expect(neither).toEqual({ status: 400, body: invalidParameter(TEXT.uidOrMobile) });
    // Both: the hash takes one value, "uid/mobile" (spec 1358), so the text says to send one.
    const both = signed(t.sandbox, { uid: "999999990019", mobile: "9876543210" }, (ts) => ["999999990019", ts]);
    expect(await post(t.sandbox, PATH.verify, both)).toEqual({
      status: 400,
      body: { error: "invalid_parameter", error_description: "Only one of uid or mobile number is allowed, not both" },
    });
  });
});

describe("statistics", () => {
  // 31 January 2025, 20:00 UTC: already 1 February in India, where DigiLocker counts.
  const NOW = Date.UTC(2025, 0, 31, 20, 0, 0);
  let t: TestSandbox;
  let client: DigiLockerClient;
  beforeAll(async () => {
    t = await startTestSandbox({ deps: { now: () => NOW } });
    client = clientFor(t.sandbox, {}, { now: () => NOW });
  });
  afterAll(async () => {
    await client.close();
    await t.close();
  });

  it("sends every count as a string, as the spec's sample", async () => {
    const reply = await post(t.sandbox, PATH.statistics, signed(t.sandbox, {}, (ts) => [ts], nowTs("unix", NOW)));
    expect(reply.status).toBe(200);
    const body = reply.body as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      ["authentic_documents", "count_as_on", "issuers", "monthwise_registrations", "requesters", "users", "yearwise_authentic_documents"],
    );
    for (const key of ["users", "authentic_documents", "issuers", "requesters", "count_as_on"]) expect(typeof body[key]).toBe("string");
    for (const item of [...(body.monthwise_registrations as object[]), ...(body.yearwise_authentic_documents as object[])]) {
      for (const value of Object.values(item)) expect(typeof value).toMatch("string");
    }
    expect(body.count_as_on).toBe("01022025");
    expect(body.issuers).toBe(String(t.sandbox.state.issuers.length));
  });

  it("is deterministic and consistent: 12 months up to this one, cumulative years ending at today's count", async () => {
    const first = await client.meta.statistics();
    expect(await client.meta.statistics()).toEqual(first);
    expect(first.countAsOn).toBe("2025-02-01");
    const months = first.monthwiseRegistrations;
    expect(months.map((m) => `${m.year}-${m.month}`)).toEqual([
      "2024-3", "2024-4", "2024-5", "2024-6", "2024-7", "2024-8", "2024-9", "2024-10", "2024-11", "2024-12", "2025-1", "2025-2",
    ]);
    expect(new Set(months.map((m) => m.id)).size).toBe(12);
    for (let i = 1; i < months.length; i++) expect(months[i]!.count).toBeGreaterThan(months[i - 1]!.count);
    expect(months.at(-1)!.count).toBe(first.users);
    const years = first.yearwiseAuthenticDocuments;
    expect(years.map((y) => y.year)).toEqual([2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025]);
    expect(years.at(-1)!.count).toBe(first.authenticDocuments);
    expect(first.authenticDocuments).toBeGreaterThan(2 ** 31);
  });
});

describe("Push URI", () => {
  let t: TestSandbox;
  let second: DigiLockerClient;
  let ajitToken: string;
  let priyaToken: string;
  beforeAll(async () => {
    t = await startTestSandbox();
    second = clientFor(t.sandbox, { clientId: "SANDBOX2", clientSecret: "sandbox-second-secret" });
    ajitToken = t.sandbox.issueToken({ userId: AJIT, scopes: ["files.issueddocs"] }).accessToken;
    priyaToken = t.sandbox.issueToken({ userId: PRIYA, scopes: ["files.issueddocs"] }).accessToken;
  });
  afterAll(async () => {
    await second.close();
    await t.close();
  });

  const issuedUris = async (token: string) => (await t.client.files.listIssued(token)).map((d) => d.uri);

  it("adds (A), updates (U) and deletes (D) a URI, as the issued list shows", async () => {
    const uri = "in.gov.sandbox-SBCER-2024000101";
    await t.client.meta.pushUri({ ...pushInput(uri), action: "A" });
    const added = (await t.client.files.listIssued(ajitToken)).find((d) => d.uri === uri);
    expect(added).toMatchObject({ docType: "SBCER", description: "Sandbox Certificate", issuerId: "in.gov.sandbox" });
    expect(await issuedUris(priyaToken)).not.toContain(uri);

    await t.client.meta.pushUri({ ...pushInput(uri), description: "Sandbox Certificate (revised)", action: "U" });
    const updated = (await t.client.files.listIssued(ajitToken)).find((d) => d.uri === uri);
    expect(updated?.description).toBe("Sandbox Certificate (revised)");

    await t.client.meta.pushUri({ ...pushInput(uri), action: "D" });
    expect(await issuedUris(ajitToken)).not.toContain(uri);
  });

  it("serves the pushed PDF and XML bytes as the document's file and certificate data", async () => {
    const uri = "in.gov.sandbox-SBCER-2024000102";
    const pdf = new Uint8Array(Buffer.from("%PDF-1.4\n% pushed by the test\n%%EOF\n", "latin1"));
    const xml = '<?xml version="1.0"?><Certificate number="2024000102"/>';
    await t.client.meta.pushUri({ ...pushInput(uri), action: "A", docContent: pdf, dataContent: xml });
    const file = await t.client.files.downloadBuffer(ajitToken, uri);
    expect(file.data.equals(Buffer.from(pdf))).toBe(true);
    expect(await t.client.files.certificateXml(ajitToken, uri)).toBe(xml);
  });

  it("generates a real PDF when no doccontent is pushed", async () => {
    const uri = "in.gov.sandbox-SBCER-2024000103";
    await t.client.meta.pushUri({ ...pushInput(uri), action: "A" });
    const file = await t.client.files.downloadBuffer(ajitToken, uri);
    const text = file.data.toString("latin1");
    expect(text.startsWith("%PDF-")).toBe(true);
    expect(text.trimEnd().endsWith("%%EOF")).toBe(true);
  });

  it("refuses to add a URI twice: in this account, or in another", async () => {
    const uri = "in.gov.sandbox-SBCER-2024000104";
    await t.client.meta.pushUri({ ...pushInput(uri), action: "A" });
    const again = await failure(t.client.meta.pushUri({ ...pushInput(uri), action: "A" }));
    expect(again).toBeInstanceOf(BadRequestError);
    expect(again).toMatchObject({ status: 400, code: "invalid_parameter", description: "URI already exists in this account" });
    const elsewhere = await failure(t.client.meta.pushUri({ ...pushInput(uri), digilockerId: PRIYA, action: "A" }));
    expect(elsewhere).toMatchObject({ status: 400, code: "invalid_parameter", description: "URI already exists in another account" });
    expect(await issuedUris(priyaToken)).not.toContain(uri);
  });

  it("refuses to update or delete a URI that is not this issuer's in this account", async () => {
    const missing = await failure(t.client.meta.pushUri({ ...pushInput("in.gov.sandbox-SBCER-404"), action: "U" }));
    expect(missing).toMatchObject({ status: 400, code: "invalid_parameter", description: "URI parameter is missing or invalid" });
    // A seeded CBSE marksheet: the sandbox issuer may not delete another issuer's document.
    const cbse = "in.gov.cbse-HSCER-201412345678";
    const foreign = await failure(t.client.meta.pushUri({ ...pushInput(cbse), docType: "HSCER", action: "D" }));
    expect(foreign).toMatchObject({ status: 400, code: "invalid_parameter", description: "URI parameter is missing or invalid" });
    expect(await issuedUris(ajitToken)).toContain(cbse);
  });

  it("answers 404 invalid_digilocker_id for an unknown user", async () => {
    const error = await failure(
      t.client.meta.pushUri({ ...pushInput("in.gov.sandbox-SBCER-2024000105"), digilockerId: "00000000-0000-4000-8000-000000000000", action: "A" }),
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: "invalid_digilocker_id", description: "The digilockerid parameter is invalid" });
  });

  it("answers 403 insufficient_scope to a client that is not an issuer (SANDBOX2)", async () => {
    const error = await failure(second.meta.pushUri({ ...pushInput("in.gov.sandbox-SBCER-2024000106"), action: "A" }));
    expect(error).toBeInstanceOf(InsufficientScopeError);
    expect(error).toMatchObject({ status: 403, code: "insufficient_scope", description: "The request requires higher privileges" });
  });

  /** Push fields signed in the spec's order; `fields` overrides or removes (undefined) any of them. */
  function rawPush(fields: Record<string, string | undefined>) {
    const all: Record<string, string | undefined> = {
      digilockerid: AJIT,
      uri: "in.gov.sandbox-SBCER-2024000199",
      doctype: "SBCER",
      description: "Sandbox Certificate",
      docid: "2024000199",
      issuedate: "15032024",
      action: "A",
      ...fields,
    };
    const present = Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
    const v = (k: string) => present[k] ?? "";
    return signed(t.sandbox, present, (ts) => [
      v("digilockerid"), v("uri"), v("doctype"), v("description"), v("docid"), v("issuedate"),
      v("validfrom"), v("validto"), v("action"), ts, v("doccontent"), v("datacontent"),
    ]);
  }

  it("lists every missing field together, in the spec's order", async () => {
    const reply = await post(
      t.sandbox,
      PATH.push,
      rawPush({ uri: undefined, doctype: undefined, description: undefined, docid: undefined, issuedate: undefined }),
      true,
    );
    expect(reply).toEqual({
      status: 400,
      body: invalidParameter(
        "URI parameter is missing or invalid",
        "Doctype parameter is missing or invalid",
        "Description parameter is missing or invalid",
        "Docid parameter is missing or invalid",
        "Issuedate parameter is missing or invalid",
      ),
    });
  });

  it.each([
    ["an impossible date", "31022024"],
    ["an ISO date", "2024-03-15"],
    ["a short date", "1532024"],
  ])("refuses an issuedate that is %s", async (_, issuedate) => {
    expect(await post(t.sandbox, PATH.push, rawPush({ issuedate }))).toEqual({
      status: 400,
      body: invalidParameter("Issuedate parameter is missing or invalid"),
    });
  });

  it("refuses a doctype that is not 5 upper-case characters, and an unknown action", async () => {
    expect(await post(t.sandbox, PATH.push, rawPush({ doctype: "sbcer", action: "X" }))).toEqual({
      status: 400,
      body: invalidParameter(
        "Doctype parameter is missing or invalid (doctypes are upper case: send SBCER)",
        "Action parameter is missing or invalid",
      ),
    });
    expect(await post(t.sandbox, PATH.push, rawPush({ doctype: "SBCE" }))).toEqual({
      status: 400,
      body: invalidParameter("Doctype parameter is missing or invalid"),
    });
  });

  it("refuses doccontent that is not base64 of a PDF", async () => {
    const notPdf = Buffer.from("hello").toString("base64");
    expect(await post(t.sandbox, PATH.push, rawPush({ doccontent: notPdf }))).toEqual({
      status: 400,
      body: invalidParameter("Doccontent parameter is missing or invalid"),
    });
  });

  it("refuses a hash with ts after doccontent (the prose order, not the parenthesised one)", async () => {
    const doccontent = Buffer.from("%PDF-1.4\n%%EOF\n").toString("base64");
    const fields = rawPush({ doccontent });
    const ts = fields.ts;
    const v = (k: string) => (fields as Record<string, string | undefined>)[k] ?? "";
    const prose = metaHash(t.sandbox.clientSecret, t.sandbox.clientId, [
      v("digilockerid"), v("uri"), v("doctype"), v("description"), v("docid"), v("issuedate"), "", "", v("action"), doccontent, ts,
    ]);
    expect(await post(t.sandbox, PATH.push, { ...fields, hmac: prose })).toEqual({ status: 400, body: invalidParameter(TEXT.hmac) });
    expect(await post(t.sandbox, PATH.push, fields)).toEqual({ status: 200, body: {} });
  });
});
