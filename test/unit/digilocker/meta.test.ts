// The six meta APIs over a MockAgent: exact request fields and hashes (literal vectors from
// test/fixtures/vectors.json, computed with sha256sum), the spec's own sample responses, error
// mapping, retries with a fresh ts, and input validation.
import { FormData, Headers, Response } from "undici";
import { describe, expect, it } from "vitest";
import {
  BadRequestError,
  ClientCredentialsError,
  DigiLockerInputError,
  DigiLockerResponseError,
  InsufficientScopeError,
  NotFoundError,
  UpstreamServerError,
  type ClientSettingsInput,
  type DigiLockerClient,
  type PushUriInput,
  type VerifyAccountInput,
} from "../../../src/digilocker/index.js";
import { pushRefusals, type PushRefusal } from "../../../src/digilocker/meta.js";
import { JSON_HEADERS, mockClient, specSample } from "../../helpers/digilocker.js";

// The inputs the vectors were computed for.
const CLIENT_ID = "ABCD1234";
const SECRET = "s3cr3t-Key";
const TS = "1700000000";

/** Literal SHA-256 hex values (vectors.json, plus the ts 1700000001 / 1700019800 ones made the same way). */
const HASH = {
  // printf '%s' 's3cr3t-KeyABCD12341700000000' | sha256sum
  clientTs: "919c7a31da8d994064e71cc1496ecdf84369958f25ece7085d27a0469be30f0e",
  docTypes: "6dcdfdc99f254008e97a80247416f6f5aced7fa7c21f8e3b8ee544d2b3c6b7c4",
  parameters: "111ba4ecbb5124634e4aea61b21b701fc88816e2920c0c5d9e771a67f7efb3b5",
  verifyUid: "899c6a55bfc632421237432bbe2f278784444c01d7094010b5e7ae9f641ec1bf",
  verifyMobile: "3c8fee2f5b83b2e4e8e891bddd604b2725b9b07bec702e04fd280c183cc4b54c",
  pushWithContent: "da0286b21e46f2c4f3156801894e82cf883bbca8938bfd9fa8e473d66b015d40",
  pushWithValidity: "e3305bcd5e4ce27d745ce74e2a4d9ed6ab2737498301189fc47457c04e6780fe",
  // Same recipe, ts one second later: printf '%s' 's3cr3t-KeyABCD12341700000001' | sha256sum
  clientTsPlus1: "886b0449e4cfebbdfb74e9276f4cca5193779e58216c0c6ce5b1c95356b5f070",
  docTypesPlus1: "c808d4b3714ab0b3671c07c3339074235f0fea4617174a15ca1e7528497dd0c6",
  parametersPlus1: "fb00156ee2766931580ef8ffdf584a7577dd01f8b86b85678f2929715ad89416",
  verifyUidPlus1: "7113d5cf6ecaf10ea113c62bdf012d5ec19fff309531dd998c0bbd6b328279e0",
  // ts 1700019800 (unix-ist): printf '%s' 's3cr3t-KeyABCD12341700019800' | sha256sum
  clientTsIst: "0c2aa50f7543224e8c2c35f5bb785012b7004d5da993f0eeaa9711e78e9ef13f",
  docTypesIst: "5660e7c38bb0ecdb66ffd4ca3cdb462c531cfef28710389d81ea80aa569e7bbb",
};

const PATH = {
  issuers: "/public/oauth2/1/pull/issuers",
  docTypes: "/public/oauth2/1/pull/doctype",
  parameters: "/public/oauth2/1/pull/parameters",
  verifyAccount: "/public/account/2/verify",
  pushUri: "/public/account/1/pushuri",
  statistics: "/public/statistics/1/counts",
} as const;

const DIGILOCKER_ID = "123e4567-e89b-12d3-a456-426655440000";

/** Push URI input of the first vector: content present, no validity dates. */
const pushWithContent: PushUriInput = {
  digilockerId: DIGILOCKER_ID,
  uri: "in.gov.cbse-HSCER-201412345678",
  docType: "HSCER",
  description: "Class XII Marksheet",
  docId: "201412345678",
  issueDate: "2014-12-31",
  action: "A",
  docContent: new Uint8Array(Buffer.from("%PDF-1", "latin1")),
  dataContent: "<a></a>",
};

/** Push URI input of the second vector: validity dates, no content. */
const pushWithValidity: PushUriInput = {
  digilockerId: DIGILOCKER_ID,
  uri: "in.gov.cbse-HSCER-201412345678",
  docType: "HSCER",
  description: "Class XII Marksheet",
  docId: "201412345678",
  issueDate: "2014-12-31",
  validFrom: "2015-01-01",
  validTo: "2030-12-31",
  action: "A",
};

interface Captured {
  body: unknown;
  headers: Record<string, string>;
}

type Pool = ReturnType<typeof mockClient>["pool"];

function setup(settings: Partial<ClientSettingsInput> = {}) {
  return mockClient({ clientId: CLIENT_ID, clientSecret: SECRET, ...settings });
}

/** One intercepted POST answered with `data`; the request is pushed onto `into`. */
function reply(pool: Pool, path: string, statusCode: number, data: string, into: Captured[] = []): Captured[] {
  pool.intercept({ path, method: "POST" }).reply((opts) => {
    const headers =
      opts.headers === undefined
        ? {}
        : opts.headers instanceof Headers
          ? Object.fromEntries(opts.headers)
          : { ...opts.headers };
    into.push({ body: opts.body, headers });
    return { statusCode, data, responseOptions: { headers: JSON_HEADERS } };
  });
  return into;
}

/** The fields of a body in the order sent: urlencoded (with its content type header) or multipart/form-data. */
async function fields(c: Captured | undefined): Promise<[string, string][]> {
  expect(c).toBeDefined();
  if (c!.body instanceof FormData) {
    // undici writes the multipart content type, with its boundary, from the body itself.
    expect(c!.headers["content-type"]).toBeUndefined();
    return (await multipartFields(c!.body)).fields;
  }
  expect(c!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
  expect(typeof c!.body).toBe("string");
  return [...new URLSearchParams(c!.body as string)];
}

/** The media type the request goes out with: the header, or (multipart) the one undici writes for the body. */
function wireMediaType(c: Captured | undefined): string | null {
  expect(c).toBeDefined();
  const type = c!.body instanceof FormData ? new Response(c!.body).headers.get("content-type") : (c!.headers["content-type"] ?? null);
  return type === null ? null : type.split(";")[0]!;
}

/** The (name, value) parts of a multipart/form-data body as it goes on the wire. */
async function multipartFields(body: unknown): Promise<{ contentType: string | null; fields: [string, string][] }> {
  expect(body).toBeInstanceOf(FormData);
  // Serialised exactly as undici does when it writes the request.
  const wire = new Response(body as FormData);
  const contentType = wire.headers.get("content-type");
  const boundary = /boundary=(.+)$/.exec(contentType ?? "")?.[1];
  expect(boundary).toBeDefined();
  const text = await wire.text();
  const parts = text.split(`--${boundary!}`);
  expect(parts.at(-1)).toBe("--\r\n");
  const fields = parts.slice(1, -1).map((part): [string, string] => {
    const m = /^\r\nContent-Disposition: form-data; name="([^"]+)"\r\n\r\n([\s\S]*)\r\n$/.exec(part);
    expect(m, part).not.toBeNull();
    return [m![1]!, m![2]!];
  });
  return { contentType, fields };
}

function errorBody(code: string, description: string): string {
  return JSON.stringify({ error: code, error_description: description });
}

/** Awaits a rejection and returns the error (fails the test when the promise resolves). */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to fail");
}

/** Each meta call, with the request fields it must send at ts 1700000000 and its response sample. */
const metaCalls = [
  {
    name: "issuers",
    endpoint: "meta.issuers",
    path: PATH.issuers,
    call: (c: DigiLockerClient, o?: { maxRetries?: number }) => c.meta.issuers(o),
    fields: [["clientid", CLIENT_ID], ["ts", TS], ["hmac", HASH.clientTs]],
    sample: "issuers.json",
    errorSample: "issuers-error.json",
  },
  {
    name: "docTypes",
    endpoint: "meta.docTypes",
    path: PATH.docTypes,
    call: (c: DigiLockerClient, o?: { maxRetries?: number }) => c.meta.docTypes("000018", o),
    fields: [["clientid", CLIENT_ID], ["orgid", "000018"], ["ts", TS], ["hmac", HASH.docTypes]],
    sample: "doctypes.json",
    errorSample: "doctypes-error.json",
  },
  {
    name: "parameters",
    endpoint: "meta.parameters",
    path: PATH.parameters,
    call: (c: DigiLockerClient, o?: { maxRetries?: number }) => c.meta.parameters("000018", "HSCER", o),
    fields: [["clientid", CLIENT_ID], ["orgid", "000018"], ["doctype", "HSCER"], ["ts", TS], ["hmac", HASH.parameters]],
    sample: "parameters.json",
    errorSample: "parameters-error.json",
  },
  {
    name: "verifyAccount (uid)",
    endpoint: "meta.verifyAccount",
    path: PATH.verifyAccount,
    call: (c: DigiLockerClient, o?: { maxRetries?: number }) => c.meta.verifyAccount({ uid: "999999990019" }, o),
    fields: [["clientid", CLIENT_ID], ["uid", "999999990019"], ["ts", TS], ["hmac", HASH.verifyUid]],
    sample: "verify.json",
    errorSample: "verify-error.json",
  },
  {
    name: "verifyAccount (mobile)",
    endpoint: "meta.verifyAccount",
    path: PATH.verifyAccount,
    call: (c: DigiLockerClient, o?: { maxRetries?: number }) => c.meta.verifyAccount({ mobile: "9876543210" }, o),
    fields: [["clientid", CLIENT_ID], ["mobile", "9876543210"], ["ts", TS], ["hmac", HASH.verifyMobile]],
    sample: "verify.json",
    errorSample: "verify-error.json",
  },
  {
    name: "statistics",
    endpoint: "meta.statistics",
    path: PATH.statistics,
    call: (c: DigiLockerClient, o?: { maxRetries?: number }) => c.meta.statistics(o),
    fields: [["clientid", CLIENT_ID], ["ts", TS], ["hmac", HASH.clientTs]],
    sample: "statistics.json",
    errorSample: "statistics-error.json",
  },
] as const;

describe("meta requests: fields and hash", () => {
  it.each(metaCalls.map((m) => [m.name, m] as const))("%s sends clientid, its fields, ts and the vector hmac", async (_, m) => {
    const { client, pool, agent, calls } = setup();
    const captured = reply(pool, m.path, 200, specSample(m.sample));
    await m.call(client);
    expect(captured).toHaveLength(1);
    expect(await fields(captured[0])).toEqual(m.fields);
    expect(calls.map((c) => [c.endpoint, c.method, c.attempt, c.status])).toEqual([[m.endpoint, "POST", 1, 200]]);
    agent.assertNoPendingInterceptors();
  });

  it("push URI with PDF and XML content: base64 fields after ts, validity dates absent but hashed as empty", async () => {
    const { client, pool, agent } = setup();
    const captured = reply(pool, PATH.pushUri, 200, "");
    await expect(client.meta.pushUri(pushWithContent)).resolves.toBeUndefined();
    expect(await fields(captured[0])).toEqual([
      ["clientid", CLIENT_ID],
      ["digilockerid", DIGILOCKER_ID],
      ["uri", "in.gov.cbse-HSCER-201412345678"],
      ["doctype", "HSCER"],
      ["description", "Class XII Marksheet"],
      ["docid", "201412345678"],
      ["issuedate", "31122014"],
      ["action", "A"],
      ["ts", TS],
      ["doccontent", "JVBERi0x"],
      ["datacontent", "PGE+PC9hPg=="],
      ["hmac", HASH.pushWithContent],
    ]);
    agent.assertNoPendingInterceptors();
  });

  it("push URI encodes XML given as bytes the same as XML given as text", async () => {
    const { client, pool } = setup();
    const captured = reply(pool, PATH.pushUri, 200, "");
    await client.meta.pushUri({ ...pushWithContent, dataContent: new Uint8Array(Buffer.from("<a></a>", "utf8")) });
    const sent = Object.fromEntries(await fields(captured[0]));
    expect(sent.datacontent).toBe("PGE+PC9hPg==");
    expect(sent.hmac).toBe(HASH.pushWithContent);
  });

  it("push URI with validity dates and no content: DDMMYYYY dates, content absent but hashed as empty", async () => {
    const { client, pool, agent } = setup();
    const captured = reply(pool, PATH.pushUri, 200, "");
    await expect(client.meta.pushUri(pushWithValidity)).resolves.toBeUndefined();
    expect(await fields(captured[0])).toEqual([
      ["clientid", CLIENT_ID],
      ["digilockerid", DIGILOCKER_ID],
      ["uri", "in.gov.cbse-HSCER-201412345678"],
      ["doctype", "HSCER"],
      ["description", "Class XII Marksheet"],
      ["docid", "201412345678"],
      ["issuedate", "31122014"],
      ["validfrom", "01012015"],
      ["validto", "31122030"],
      ["action", "A"],
      ["ts", TS],
      ["hmac", HASH.pushWithValidity],
    ]);
    agent.assertNoPendingInterceptors();
  });

  it("push URI upper-cases the doctype before sending and hashing it", async () => {
    const { client, pool } = setup();
    const captured = reply(pool, PATH.pushUri, 200, "");
    await client.meta.pushUri({ ...pushWithValidity, docType: "hscer" });
    const sent = Object.fromEntries(await fields(captured[0]));
    expect(sent.doctype).toBe("HSCER");
    expect(sent.hmac).toBe(HASH.pushWithValidity);
  });

  it('timestamp "unix-ist" sends ts 1700019800 and hashes over it', async () => {
    const { client, pool } = setup({ timestamp: "unix-ist" });
    const captured = reply(pool, PATH.issuers, 200, specSample("issuers.json"));
    reply(pool, PATH.docTypes, 200, specSample("doctypes.json"), captured);
    await client.meta.issuers();
    await client.meta.docTypes("000018");
    expect(await fields(captured[0])).toEqual([["clientid", CLIENT_ID], ["ts", "1700019800"], ["hmac", HASH.clientTsIst]]);
    expect(await fields(captured[1])).toEqual([
      ["clientid", CLIENT_ID],
      ["orgid", "000018"],
      ["ts", "1700019800"],
      ["hmac", HASH.docTypesIst],
    ]);
  });

  it("trims orgid before sending and hashing it", async () => {
    const { client, pool } = setup();
    const captured = reply(pool, PATH.docTypes, 200, specSample("doctypes.json"));
    await client.meta.docTypes(" 000018 ");
    expect(await fields(captured[0])).toEqual([["clientid", CLIENT_ID], ["orgid", "000018"], ["ts", TS], ["hmac", HASH.docTypes]]);
  });

  it("parameters sends and hashes a lower-case doctype upper-cased, as pull and push do", async () => {
    const { client, pool } = setup();
    const captured = reply(pool, PATH.parameters, 200, specSample("parameters.json"));
    await client.meta.parameters("000018", "hscer");
    expect(await fields(captured[0])).toEqual([
      ["clientid", CLIENT_ID],
      ["orgid", "000018"],
      ["doctype", "HSCER"],
      ["ts", TS],
      ["hmac", HASH.parameters],
    ]);
  });

  it('metaEncoding "multipart" sends multipart/form-data with the same fields', async () => {
    const { client, pool } = setup({ metaEncoding: "multipart" });
    const captured = reply(pool, PATH.parameters, 200, specSample("parameters.json"));
    await client.meta.parameters("000018", "HSCER");
    const { body, headers } = captured[0]!;
    // No urlencoded content type: undici writes multipart/form-data with its boundary.
    expect(headers["content-type"]).toBeUndefined();
    const { contentType, fields: sent } = await multipartFields(body);
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(sent).toEqual([
      ["clientid", CLIENT_ID],
      ["orgid", "000018"],
      ["doctype", "HSCER"],
      ["ts", TS],
      ["hmac", HASH.parameters],
    ]);
  });

  it('metaEncoding "multipart" push URI carries the same fields and hash', async () => {
    const { client, pool } = setup({ metaEncoding: "multipart" });
    const captured = reply(pool, PATH.pushUri, 200, "");
    await client.meta.pushUri(pushWithContent);
    const { fields: sent } = await multipartFields(captured[0]!.body);
    expect(Object.fromEntries(sent)).toEqual({
      clientid: CLIENT_ID,
      digilockerid: DIGILOCKER_ID,
      uri: "in.gov.cbse-HSCER-201412345678",
      doctype: "HSCER",
      description: "Class XII Marksheet",
      docid: "201412345678",
      issuedate: "31122014",
      action: "A",
      ts: TS,
      doccontent: "JVBERi0x",
      datacontent: "PGE+PC9hPg==",
      hmac: HASH.pushWithContent,
    });
  });
});

describe("meta body encoding", () => {
  const FORM = "application/x-www-form-urlencoded";
  const MULTIPART = "multipart/form-data";
  const calls = {
    issuers: { path: PATH.issuers, sample: specSample("issuers.json"), call: (c: DigiLockerClient) => c.meta.issuers() },
    docTypes: { path: PATH.docTypes, sample: specSample("doctypes.json"), call: (c: DigiLockerClient) => c.meta.docTypes("000018") },
    parameters: {
      path: PATH.parameters,
      sample: specSample("parameters.json"),
      call: (c: DigiLockerClient) => c.meta.parameters("000018", "HSCER"),
    },
    verifyAccount: {
      path: PATH.verifyAccount,
      sample: specSample("verify.json"),
      call: (c: DigiLockerClient) => c.meta.verifyAccount({ uid: "999999990019" }),
    },
    pushUri: { path: PATH.pushUri, sample: "", call: (c: DigiLockerClient) => c.meta.pushUri(pushWithValidity) },
    statistics: { path: PATH.statistics, sample: specSample("statistics.json"), call: (c: DigiLockerClient) => c.meta.statistics() },
  } as const;

  // The default (no setting) and "openapi" follow the older OpenAPI file's requestBody content for each path:
  // pull/issuers, pull/doctype, pull/parameters urlencoded; account/2/verify, account/1/pushuri, statistics/1/counts
  // multipart (digilocker-authpartner.openapi.yaml lines 910, 854, 968, 114, 41, 1577).
  it.each([
    [undefined, "issuers", FORM],
    [undefined, "docTypes", FORM],
    [undefined, "parameters", FORM],
    [undefined, "verifyAccount", MULTIPART],
    [undefined, "pushUri", MULTIPART],
    [undefined, "statistics", MULTIPART],
    ["openapi", "issuers", FORM],
    ["openapi", "docTypes", FORM],
    ["openapi", "parameters", FORM],
    ["openapi", "verifyAccount", MULTIPART],
    ["openapi", "pushUri", MULTIPART],
    ["openapi", "statistics", MULTIPART],
    ["form", "issuers", FORM],
    ["form", "docTypes", FORM],
    ["form", "parameters", FORM],
    ["form", "verifyAccount", FORM],
    ["form", "pushUri", FORM],
    ["form", "statistics", FORM],
    ["multipart", "issuers", MULTIPART],
    ["multipart", "docTypes", MULTIPART],
    ["multipart", "parameters", MULTIPART],
    ["multipart", "verifyAccount", MULTIPART],
    ["multipart", "pushUri", MULTIPART],
    ["multipart", "statistics", MULTIPART],
  ] as const)("metaEncoding %j: %s is sent as %s", async (metaEncoding, name, mediaType) => {
    const { client, pool, agent } = setup(metaEncoding === undefined ? {} : { metaEncoding });
    const m = calls[name];
    const captured = reply(pool, m.path, 200, m.sample);
    await m.call(client);
    expect(wireMediaType(captured[0])).toBe(mediaType);
    agent.assertNoPendingInterceptors();
  });

  it("the encoding changes neither the fields nor the hash", async () => {
    const sent: [string, string][][] = [];
    for (const metaEncoding of ["openapi", "form", "multipart"] as const) {
      const { client, pool } = setup({ metaEncoding });
      const captured = reply(pool, PATH.statistics, 200, specSample("statistics.json"));
      await client.meta.statistics();
      sent.push(await fields(captured[0]));
    }
    const expected = [["clientid", CLIENT_ID], ["ts", TS], ["hmac", HASH.clientTs]];
    expect(sent).toEqual([expected, expected, expected]);
  });
});

describe("meta responses (the spec's samples)", () => {
  it("issuers: orgid keeps its zeros, categories split, descriptions collapsed and trimmed", async () => {
    const { client, pool } = setup();
    reply(pool, PATH.issuers, 200, specSample("issuers.json"));
    await expect(client.meta.issuers()).resolves.toEqual([
      {
        orgId: "000018",
        issuerId: "in.gov.cbse",
        name: "Central Board of Secondary Education, Delhi",
        categories: ["Education", "Central Government"],
        description:
          "CBSE (http://www.cbse.nic.in/) is issuing marksheets, passing certificates, migration certificates etc. through DigiLocker. These are either pushed, or can be pulled by students into their DigiLocker accounts.",
      },
      {
        orgId: "000201",
        issuerId: "in.gov.aktu",
        name: "APJ Abdul Kalam Technical University, UP",
        categories: ["Education", "State Government"],
        description:
          "APJ Abdul Kalam Technical Univeristy, Uttar Pradesh provides the mark sheets of degree certificates of various technical programs.",
      },
    ]);
  });

  it("issuers: a description wrapped over lines becomes one line", async () => {
    const { client, pool } = setup();
    const body = JSON.stringify({
      issuers: [{ orgid: "000018", issuerid: "", name: " CBSE ", category: "", description: "  one\n     two\t three  " }],
    });
    reply(pool, PATH.issuers, 200, body);
    await expect(client.meta.issuers()).resolves.toEqual([
      { orgId: "000018", issuerId: null, name: "CBSE", categories: [], description: "one two three" },
    ]);
  });

  it.each([
    ["issuers.txt (printed with raw line breaks in strings)", "issuers.txt", "issuers", PATH.issuers, "meta.issuers"],
    ["parameters.txt (stray brace, trailing commas)", "parameters.txt", "parameters", PATH.parameters, "meta.parameters"],
  ] as const)("the verbatim %s is a DigiLockerResponseError, not retried", async (_, file, method, path, endpoint) => {
    const { client, pool, calls } = setup();
    reply(pool, path, 200, specSample(`verbatim/${file}`));
    const call = method === "issuers" ? client.meta.issuers() : client.meta.parameters("000018", "HSCER");
    const error = await failure(call);
    expect(error).toBeInstanceOf(DigiLockerResponseError);
    expect(error).toMatchObject({ endpoint, status: 200, problem: "the body is not valid JSON", retryable: false });
    expect(calls).toHaveLength(1);
  });

  it("docTypes", async () => {
    const { client, pool } = setup();
    reply(pool, PATH.docTypes, 200, specSample("doctypes.json"));
    await expect(client.meta.docTypes("000018")).resolves.toEqual([
      { docType: "INCER", description: "Income Certificate" },
      { docType: "BTCER", description: "Birth Certificate" },
    ]);
  });

  it("parameters: valuelist split into options, null stays null", async () => {
    const { client, pool } = setup();
    reply(pool, PATH.parameters, 200, specSample("parameters.json"));
    await expect(client.meta.parameters("000018", "HSCER")).resolves.toEqual([
      { label: "Year", paramName: "year", options: ["2001", "2002", "2003", "2004"], example: "2002" },
      { label: "Roll Number", paramName: "rollno", options: null, example: "C525690" },
    ]);
  });

  it.each([
    ["the sample's string \"true\"", specSample("verify.json"), { registered: true, digilockerId: DIGILOCKER_ID }],
    ['"false" without an id', '{"registered": "false"}', { registered: false, digilockerId: null }],
    ['"false" with an empty id', '{"registered": "false", "digilockerid": ""}', { registered: false, digilockerId: null }],
    ["a real boolean", `{"registered": true, "digilockerid": "${DIGILOCKER_ID}"}`, { registered: true, digilockerId: DIGILOCKER_ID }],
    ["a real false", '{"registered": false}', { registered: false, digilockerId: null }],
  ])("verifyAccount: %s", async (_, body, expected) => {
    const { client, pool } = setup();
    reply(pool, PATH.verifyAccount, 200, body);
    await expect(client.meta.verifyAccount({ uid: "999999990019" })).resolves.toEqual(expected);
  });

  it("verifyAccount: an unknown registered value is a DigiLockerResponseError", async () => {
    const { client, pool } = setup();
    reply(pool, PATH.verifyAccount, 200, '{"registered": "maybe"}');
    const error = await failure(client.meta.verifyAccount({ mobile: "9876543210" }));
    expect(error).toBeInstanceOf(DigiLockerResponseError);
    expect(error).toMatchObject({ endpoint: "meta.verifyAccount", status: 200 });
  });

  const statistics = {
    users: 25873490,
    authenticDocuments: 3520475277,
    issuers: 134,
    requesters: 45,
    countAsOn: "2019-07-31",
    monthwiseRegistrations: [
      { id: "18496", month: 5, year: 2018, count: 124794 },
      { id: "18497", month: 6, year: 2018, count: 135455 },
    ],
    yearwiseAuthenticDocuments: [
      { id: "18347", year: 2016, count: 10134567 },
      { id: "18350", year: 2017, count: 1000548093 },
      { id: "18354", year: 2018, count: 2410543684 },
      { id: "18567", year: 2019, count: 3520475277 },
    ],
  };

  it("statistics: string counts become exact numbers beyond 2^31, DDMMYYYY becomes ISO", async () => {
    const { client, pool } = setup();
    reply(pool, PATH.statistics, 200, specSample("statistics.json"));
    const stats = await client.meta.statistics();
    expect(stats).toEqual(statistics);
    expect(stats.authenticDocuments).toBeGreaterThan(2 ** 31);
  });

  it('statistics: the field list\'s spelling "requestors" is accepted too', async () => {
    const { client, pool } = setup();
    const sample = specSample("statistics.json").replace('"requesters"', '"requestors"');
    expect(sample).toContain('"requestors": "45"');
    reply(pool, PATH.statistics, 200, sample);
    await expect(client.meta.statistics()).resolves.toEqual(statistics);
  });

  it("statistics: neither requesters nor requestors is a DigiLockerResponseError", async () => {
    const { client, pool } = setup();
    const sample = specSample("statistics.json").replace('"requesters": "45",', "");
    reply(pool, PATH.statistics, 200, sample);
    const error = await failure(client.meta.statistics());
    expect(error).toBeInstanceOf(DigiLockerResponseError);
    expect(error).toMatchObject({ endpoint: "meta.statistics", status: 200 });
    expect((error as DigiLockerResponseError).problem).toContain("requesters");
  });
});

describe("meta errors", () => {
  it.each(metaCalls.filter((m) => m.errorSample !== "verify-error.json").map((m) => [m.name, m] as const))(
    "%s: the 500 unexpected_error sample is an UpstreamServerError",
    async (_, m) => {
      const { client, pool, calls } = setup();
      reply(pool, m.path, 500, specSample(m.errorSample));
      const error = await failure(m.call(client, { maxRetries: 0 }));
      expect(error).toBeInstanceOf(UpstreamServerError);
      expect(error).toMatchObject({
        endpoint: m.endpoint,
        status: 500,
        code: "unexpected_error",
        description: "Internal server error",
        retryable: true,
      });
      expect(calls).toHaveLength(1);
    },
  );

  it("verifyAccount: the 400 sample's padded code is trimmed; BadRequestError, not retried", async () => {
    const { client, pool, calls, sleeps } = setup();
    reply(pool, PATH.verifyAccount, 400, specSample("verify-error.json"));
    const error = await failure(client.meta.verifyAccount({ uid: "999999990019" }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({
      endpoint: "meta.verifyAccount",
      status: 400,
      code: "invalid_parameter",
      description: "Timestamp parameter is missing or invalid",
      retryable: false,
    });
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("pushUri: the 400 sample's padded code is trimmed; BadRequestError", async () => {
    const { client, pool, calls } = setup();
    reply(pool, PATH.pushUri, 400, specSample("pushuri-error.json"));
    const error = await failure(client.meta.pushUri(pushWithValidity));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({
      endpoint: "meta.pushUri",
      status: 400,
      code: "invalid_parameter",
      description: "Timestamp parameter is missing or invalid",
    });
    expect(calls).toHaveLength(1);
  });

  const allCalls = [
    ...metaCalls.map((m) => ({ name: m.name, endpoint: m.endpoint, path: m.path, call: (c: DigiLockerClient) => m.call(c) })),
    {
      name: "pushUri",
      endpoint: "meta.pushUri",
      path: PATH.pushUri,
      call: (c: DigiLockerClient) => c.meta.pushUri(pushWithValidity),
    },
  ];

  it.each(allCalls.map((m) => [m.name, m] as const))(
    "%s: 401 invalid_client_id is a ClientCredentialsError (our credentials), not retried",
    async (_, m) => {
      const { client, pool, calls, agent } = setup();
      reply(pool, m.path, 401, errorBody("invalid_client_id", "The client_id parameter is invalid"));
      const error = await failure(m.call(client));
      expect(error).toBeInstanceOf(ClientCredentialsError);
      expect(error).toMatchObject({
        endpoint: m.endpoint,
        status: 401,
        code: "invalid_client_id",
        description: "The client_id parameter is invalid",
        retryable: false,
      });
      expect(calls).toHaveLength(1);
      agent.assertNoPendingInterceptors();
    },
  );

  // A meta call carries no user token: a 401 without DigiLocker's code refuses our client, as invalid_client_id does.
  it.each(allCalls.map((m) => [m.name, m] as const))(
    "%s: 401 without a code is a ClientCredentialsError, not an InvalidTokenError; not retried",
    async (_, m) => {
      const { client, pool, calls, agent } = setup();
      reply(pool, m.path, 401, "");
      const error = await failure(m.call(client));
      expect(error).toBeInstanceOf(ClientCredentialsError);
      expect(error).toMatchObject({ name: "ClientCredentialsError", endpoint: m.endpoint, status: 401, code: null, retryable: false });
      expect(calls).toHaveLength(1);
      agent.assertNoPendingInterceptors();
    },
  );

  it("pushUri: 404 invalid_digilocker_id is a NotFoundError", async () => {
    const { client, pool } = setup();
    reply(pool, PATH.pushUri, 404, errorBody("invalid_digilocker_id", "The digilockerid parameter is invalid"));
    const error = await failure(client.meta.pushUri(pushWithValidity));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ endpoint: "meta.pushUri", status: 404, code: "invalid_digilocker_id" });
  });

  it("pushUri: 403 insufficient_scope is an InsufficientScopeError", async () => {
    const { client, pool } = setup();
    reply(pool, PATH.pushUri, 403, errorBody("insufficient_scope", "The request requires higher privileges"));
    const error = await failure(client.meta.pushUri(pushWithValidity));
    expect(error).toBeInstanceOf(InsufficientScopeError);
    expect(error).toMatchObject({
      endpoint: "meta.pushUri",
      status: 403,
      code: "insufficient_scope",
      description: "The request requires higher privileges",
    });
  });

  it("an error message never carries the client secret", async () => {
    const { client, pool } = setup();
    reply(pool, PATH.issuers, 400, errorBody("invalid_parameter", `HMAC parameter is missing or invalid for ${SECRET}`));
    const error = await failure(client.meta.issuers());
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as Error).message).not.toContain(SECRET);
    expect((error as BadRequestError).description).not.toContain(SECRET);
  });
});

describe("meta retries", () => {
  const retried = [
    { ...metaCalls[0], fresh: [["clientid", CLIENT_ID], ["ts", "1700000001"], ["hmac", HASH.clientTsPlus1]] },
    {
      ...metaCalls[1],
      fresh: [["clientid", CLIENT_ID], ["orgid", "000018"], ["ts", "1700000001"], ["hmac", HASH.docTypesPlus1]],
    },
    {
      ...metaCalls[2],
      fresh: [
        ["clientid", CLIENT_ID],
        ["orgid", "000018"],
        ["doctype", "HSCER"],
        ["ts", "1700000001"],
        ["hmac", HASH.parametersPlus1],
      ],
    },
    {
      ...metaCalls[3],
      fresh: [["clientid", CLIENT_ID], ["uid", "999999990019"], ["ts", "1700000001"], ["hmac", HASH.verifyUidPlus1]],
    },
    { ...metaCalls[5], fresh: [["clientid", CLIENT_ID], ["ts", "1700000001"], ["hmac", HASH.clientTsPlus1]] },
  ];

  it.each(retried.map((m) => [m.name, m] as const))(
    "%s retries a 500 with a fresh ts and hash on the second attempt",
    async (_, m) => {
      // Backoff 2000 ms ceiling × random 0.5 = 1000 ms: the recorded sleep moves the clock one second.
      const { client, pool, agent, calls, sleeps } = setup({ retry: { baseDelayMs: 2000 } });
      // verify's printed error sample is a 400; the others' are this 500.
      const captured = reply(pool, m.path, 500, errorBody("unexpected_error", "Internal server error"));
      reply(pool, m.path, 200, specSample(m.sample), captured);
      await expect(m.call(client)).resolves.toBeDefined();
      expect(sleeps).toEqual([1000]);
      expect(calls.map((c) => [c.attempt, c.status])).toEqual([
        [1, 500],
        [2, 200],
      ]);
      expect(await fields(captured[0])).toEqual(m.fields);
      expect(await fields(captured[1])).toEqual(m.fresh);
      agent.assertNoPendingInterceptors();
    },
  );

  it("gives up after maxRetries (2 by default): three attempts, then the UpstreamServerError", async () => {
    const { client, pool, agent, calls, sleeps } = setup();
    const captured = reply(pool, PATH.statistics, 500, specSample("statistics-error.json"));
    reply(pool, PATH.statistics, 500, specSample("statistics-error.json"), captured);
    reply(pool, PATH.statistics, 500, specSample("statistics-error.json"), captured);
    const error = await failure(client.meta.statistics());
    expect(error).toBeInstanceOf(UpstreamServerError);
    expect(error).toMatchObject({ endpoint: "meta.statistics", status: 500, code: "unexpected_error" });
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    // Full jitter with random 0.5: half of 200 ms, then half of 400 ms.
    expect(sleeps).toEqual([100, 200]);
    expect(captured).toHaveLength(3);
    agent.assertNoPendingInterceptors();
  });

  it("pushUri is never retried: a 500 is one call, even when the caller asks for retries", async () => {
    const { client, pool, agent, calls, sleeps } = setup({ retry: { maxRetries: 5 } });
    reply(pool, PATH.pushUri, 500, errorBody("unexpected_error", "Internal server error"));
    const error = await failure(client.meta.pushUri(pushWithContent, { maxRetries: 3 }));
    expect(error).toBeInstanceOf(UpstreamServerError);
    expect(error).toMatchObject({ endpoint: "meta.pushUri", status: 500, code: "unexpected_error" });
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
    agent.assertNoPendingInterceptors();
  });
});

describe("meta input errors (nothing is sent)", () => {
  const cases: [string, string, (c: DigiLockerClient) => Promise<unknown>, string][] = [
    ["docTypes: empty orgId", "meta.docTypes", (c) => c.meta.docTypes(""), ""],
    ["docTypes: blank orgId", "meta.docTypes", (c) => c.meta.docTypes("   "), ""],
    ["parameters: empty orgId", "meta.parameters", (c) => c.meta.parameters("", "HSCER"), "orgId"],
    ["parameters: 4-character doctype", "meta.parameters", (c) => c.meta.parameters("000018", "HSCE"), "docType"],
    ["parameters: 6-character doctype", "meta.parameters", (c) => c.meta.parameters("000018", "HSCERX"), "docType"],
    ["parameters: doctype with a symbol", "meta.parameters", (c) => c.meta.parameters("000018", "HS-ER"), "docType"],
    [
      "verifyAccount: both uid and mobile",
      "meta.verifyAccount",
      (c) => c.meta.verifyAccount({ uid: "999999990019", mobile: "9876543210" } as unknown as VerifyAccountInput),
      "",
    ],
    ["verifyAccount: neither", "meta.verifyAccount", (c) => c.meta.verifyAccount({} as VerifyAccountInput), ""],
    ["verifyAccount: 11-digit uid", "meta.verifyAccount", (c) => c.meta.verifyAccount({ uid: "99999999001" }), "uid"],
    ["verifyAccount: 9-digit mobile", "meta.verifyAccount", (c) => c.meta.verifyAccount({ mobile: "987654321" }), "mobile"],
    [
      "pushUri: impossible issue date 2019-02-31",
      "meta.pushUri",
      (c) => c.meta.pushUri({ ...pushWithValidity, issueDate: "2019-02-31" }),
      "issueDate",
    ],
    [
      "pushUri: issue date already in DDMMYYYY",
      "meta.pushUri",
      (c) => c.meta.pushUri({ ...pushWithValidity, issueDate: "31122014" }),
      "issueDate",
    ],
    [
      "pushUri: impossible validTo",
      "meta.pushUri",
      (c) => c.meta.pushUri({ ...pushWithValidity, validTo: "2030-02-30" }),
      "validTo",
    ],
    [
      "pushUri: bad action",
      "meta.pushUri",
      (c) => c.meta.pushUri({ ...pushWithValidity, action: "X" } as unknown as PushUriInput),
      "action",
    ],
    ["pushUri: 3-character doctype", "meta.pushUri", (c) => c.meta.pushUri({ ...pushWithValidity, docType: "HSC" }), "docType"],
    ["pushUri: empty digilockerId", "meta.pushUri", (c) => c.meta.pushUri({ ...pushWithValidity, digilockerId: " " }), "digilockerId"],
  ];

  it.each(cases)("%s", async (_, endpoint, call, path) => {
    const { client, calls } = setup();
    // Called outside the assertion: a synchronous throw would fail the test, as it would break a caller's .catch().
    const promise = call(client);
    const error = await failure(promise);
    expect(error).toBeInstanceOf(DigiLockerInputError);
    expect(error).toMatchObject({ endpoint, retryable: false });
    const issues = (error as DigiLockerInputError).issues;
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.map((i) => i.path)).toContain(path);
    expect(calls).toEqual([]);
  });
});

describe("pushUri: a 200 is the success, whatever its body (spec 1435: no specific values)", () => {
  it.each<[string, string, Record<string, string>]>([
    ["no body at all", "", {}],
    ["no body, with the JSON content type the spec's answers carry", "", { "content-type": "application/json;charset=UTF-8" }],
    ["the text OK", "OK", { "content-type": "text/plain" }],
    ["{}", "{}", JSON_HEADERS],
    ["some JSON we do not read", '{"status":"success","uri":"in.gov.cbse-HSCER-201412345678"}', JSON_HEADERS],
    ["an HTML page", "<html><body>Pushed</body></html>", { "content-type": "text/html" }],
    ["300 kB of text, past what is drained", "x".repeat(300 * 1024), { "content-type": "text/plain" }],
  ])("%s", async (_, data, headers) => {
    const { client, pool, agent, calls } = setup();
    pool.intercept({ path: PATH.pushUri, method: "POST" }).reply(200, data, { headers });
    await expect(client.meta.pushUri(pushWithValidity)).resolves.toBeUndefined();
    expect(calls.map((c) => [c.endpoint, c.status, c.error])).toEqual([["meta.pushUri", 200, undefined]]);
    agent.assertNoPendingInterceptors();
  });

  it("a 500 is not retried: a push goes once", async () => {
    const { client, pool, calls } = setup({ retry: { maxRetries: 3 } });
    reply(pool, PATH.pushUri, 500, errorBody("unexpected_error", "Internal server error"));
    expect(await failure(client.meta.pushUri(pushWithValidity))).toBeInstanceOf(UpstreamServerError);
    expect(calls).toHaveLength(1);
  });
});

describe("pushRefusals: what a Push URI invalid_parameter says, by the spec's own texts (spec 1468)", () => {
  const refused = (description: string | null, endpoint: "meta.pushUri" | "meta.verifyAccount" = "meta.pushUri", code = "invalid_parameter") =>
    pushRefusals(new BadRequestError({ endpoint, status: 400, code, description }));

  it.each<[string, PushRefusal]>([
    ["URI parameter is missing or invalid", "uri"],
    ["Doctype parameter is missing or invalid", "doctype"],
    ["Description parameter is missing or invalid", "description"],
    ["Docid parameter is missing or invalid", "docid"],
    ["Issuedate parameter is missing or invalid", "issuedate"],
    ["Timestamp parameter is missing or invalid", "ts"],
    ["HMAC parameter is missing or invalid", "hmac"],
    ["URI already exists in this account", "uri_exists_here"],
    ["URI already exists in another account", "uri_exists_elsewhere"],
  ])("%j is %s", (text, refusal) => {
    expect(refused(text)).toEqual([refusal]);
  });

  it("reads every text of a description that holds several, whatever their case and separators", () => {
    expect(refused("Doctype parameter is missing or invalid (doctypes are upper case: send HSCER), HMAC parameter is missing or invalid")).toEqual([
      "doctype",
      "hmac",
    ]);
    expect(refused("uri already exists in THIS account.")).toEqual(["uri_exists_here"]);
  });

  it("says nothing of another text, another code, another endpoint or no description", () => {
    expect(refused("URI exists")).toEqual([]);
    expect(refused(null)).toEqual([]);
    expect(refused("URI already exists in this account", "meta.verifyAccount")).toEqual([]);
    expect(refused("URI already exists in this account", "meta.pushUri", "uri_exists")).toEqual([]);
  });

  it("reads the error the client throws for DigiLocker's 400", async () => {
    const { client, pool } = setup();
    reply(pool, PATH.pushUri, 400, errorBody("invalid_parameter ", "URI already exists in another account"));
    const error = await failure(client.meta.pushUri(pushWithValidity));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(pushRefusals(error as BadRequestError)).toEqual(["uri_exists_elsewhere"]);
  });
});
