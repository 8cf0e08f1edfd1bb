// Mutation.pushUri over real HTTP: against the embedded sandbox, with a partner key that has the scope uri:push, for
// every outcome; without that scope (development mode never grants it); and against a node:http stand-in DigiLocker
// for answers the sandbox never gives (a 200 with an empty or non-JSON body, a 403, our own hash refused).
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { startGateway, type Gateway } from "../../../src/server/gateway.js";
import { AJIT, PRIYA, startTestGateway, type GraphQLResult, type TestGateway } from "../../helpers/gateway.js";
import { startServer, type TestServer } from "../../helpers/http-server.js";

const SELECTION = `{
  __typename
  ... on PushedUri { uri action }
  ... on UriAlreadyExists { uri inThisAccount }
  ... on InvalidPushInput { field fields }
  ... on Problem { code message }
}`;

type Outcome = {
  __typename: string;
  uri?: string;
  action?: string;
  inThisAccount?: boolean;
  field?: string | null;
  fields?: string[];
  code?: string;
  message?: string;
};

interface Push {
  digilockerId: string;
  uri: string;
  docType: string;
  description: string;
  docId: string;
  issueDate: string;
  validFrom?: string;
  validTo?: string;
  action: "ADD" | "UPDATE" | "DELETE";
}

/** A push the sandbox accepts: a new URI of the sandbox's own issuer in Ajit's account. */
function push(overrides: Partial<Push> = {}): Push {
  const docId = overrides.docId ?? "2024000123";
  return {
    digilockerId: AJIT,
    uri: `in.gov.sandbox-SKLCR-${docId}`,
    docType: "SKLCR",
    description: "Skill Certificate",
    docId,
    issueDate: "2024-03-15",
    action: "ADD",
    ...overrides,
  };
}

/** The input written into the document as a literal (JSON strings are GraphQL strings; the action is an enum). */
function literal(input: Push): string {
  const fields = Object.entries(input).map(([k, v]) => `${k}: ${k === "action" ? String(v) : JSON.stringify(v)}`);
  return `{ ${fields.join(", ")} }`;
}

async function send(query: (q: string) => Promise<GraphQLResult<{ pushUri: Outcome }>>, input: Push): Promise<GraphQLResult<{ pushUri: Outcome }>> {
  return query(`mutation { pushUri(input: ${literal(input)}) ${SELECTION} }`);
}

describe("pushUri against the sandbox, with a key whose partner has uri:push", () => {
  let t: TestGateway;
  let headers: Record<string, string>;
  const pushUri = async (input: Push): Promise<Outcome> => {
    const res = await send((q) => t.query(q, { headers }), input);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    if (!res.data) throw new Error("no data");
    return res.data.pushUri;
  };
  const issued = async (userId = AJIT) => {
    const res = await t.query<{ viewer: { issuedDocuments: { uri: string; name: string; docTypeCode: string; description: string; issuerId: string }[] } }>(
      `{ viewer { issuedDocuments { uri name docTypeCode description issuerId } } }`,
      { token: t.token(userId) },
    );
    return res.data?.viewer.issuedDocuments ?? [];
  };

  beforeAll(async () => {
    t = await startTestGateway();
    const { key } = await t.gateway.services.partners.create({ name: "Sandbox issuer", scopes: ["uri:push"] });
    headers = { "x-api-key": key };
  });
  afterAll(async () => {
    await t.close();
  });

  it("ADD: pushed, in one call, and the document is in the user's issued documents", async () => {
    t.gateway.upstreamCalls.reset();
    // docType in lower case is sent upper-cased (docs/spec-assumptions.md #28).
    const input = push({ docId: "ADD-1", docType: "sklcr" });
    expect(await pushUri(input)).toEqual({ __typename: "PushedUri", uri: "in.gov.sandbox-SKLCR-ADD-1", action: "ADD" });
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "meta.pushUri": 1 });
    expect(await issued()).toContainEqual({
      uri: "in.gov.sandbox-SKLCR-ADD-1",
      name: "Skill Certificate",
      docTypeCode: "SKLCR",
      description: "Skill Certificate",
      issuerId: "in.gov.sandbox",
    });
  });

  it("UPDATE then DELETE of one's own URI", async () => {
    const input = push({ docId: "UPD-1" });
    expect(await pushUri(input)).toMatchObject({ __typename: "PushedUri" });
    expect(await pushUri({ ...input, description: "Skill Certificate (revised)", action: "UPDATE" })).toEqual({
      __typename: "PushedUri",
      uri: input.uri,
      action: "UPDATE",
    });
    expect((await issued()).find((d) => d.uri === input.uri)).toMatchObject({ name: "Skill Certificate (revised)" });
    expect(await pushUri({ ...input, action: "DELETE" })).toEqual({ __typename: "PushedUri", uri: input.uri, action: "DELETE" });
    expect((await issued()).map((d) => d.uri)).not.toContain(input.uri);
  });

  it("ADD of a URI DigiLocker holds: UriAlreadyExists, in this account or another's", async () => {
    const input = push({ docId: "DUP-1" });
    await pushUri(input);
    const again = await pushUri(input);
    expect(again).toMatchObject({ __typename: "UriAlreadyExists", code: "URI_ALREADY_EXISTS", uri: input.uri, inThisAccount: true });
    expect(again.message).toMatch(/UPDATE/);
    expect(await pushUri({ ...input, digilockerId: PRIYA })).toMatchObject({ __typename: "UriAlreadyExists", inThisAccount: false });
    expect((await issued(PRIYA)).map((d) => d.uri)).not.toContain(input.uri);
  });

  it("an unknown DigiLocker id: DigiLockerUserNotFound", async () => {
    const res = await pushUri(push({ docId: "NOUSER-1", digilockerId: "00000000-0000-4000-8000-000000000000" }));
    expect(res).toMatchObject({ __typename: "DigiLockerUserNotFound", code: "DIGILOCKER_USER_NOT_FOUND" });
  });

  it("UPDATE of a URI another issuer pushed: InvalidPushInput without a field (only DigiLocker knows it)", async () => {
    const res = await pushUri(push({ uri: "in.gov.cbse-HSCER-201412345678", docType: "HSCER", docId: "201412345678", action: "UPDATE" }));
    expect(res).toMatchObject({ __typename: "InvalidPushInput", code: "INVALID_PUSH_INPUT", field: null, fields: [] });
    expect(res.message).toMatch(/UPDATE and DELETE need a URI this issuer pushed/);
  });

  const UUID_MESSAGE = "digilockerId must be a DigiLocker id: 36 characters, a UUID such as 123e4567-e89b-12d3-a456-426655440000";
  it.each<[string, Partial<Push>, string, string]>([
    ["a digilockerId that is no UUID", { digilockerId: "ajit.kumar" }, "digilockerId", UUID_MESSAGE],
    ["a digilockerId of 35 characters", { digilockerId: AJIT.slice(1) }, "digilockerId", UUID_MESSAGE],
    ["an empty uri", { uri: "   " }, "uri", "uri is required"],
    ["a uri with a space", { uri: "in.gov.sandbox-SKLCR 1" }, "uri", "uri must be printable ASCII without spaces"],
    ["a uri of ..", { uri: ".." }, "uri", "uri must not be . or .."],
    ["a uri outside ASCII", { uri: "in.gov.sandbox-SKLCR-१२३" }, "uri", "uri must be printable ASCII without spaces"],
    ["a docType of 4 characters", { docType: "SKLC" }, "docType", "docType must be DigiLocker's 5-character document type, e.g. HSCER"],
    ["a docType with a hyphen", { docType: "SK-CR" }, "docType", "docType must be DigiLocker's 5-character document type, e.g. HSCER"],
    ["an empty description", { description: "" }, "description", "description is required"],
    ["an empty docId", { docId: " ", uri: "in.gov.sandbox-SKLCR-X" }, "docId", "docId is required"],
    ["a docId with a tab", { docId: "12\t34", uri: "in.gov.sandbox-SKLCR-X" }, "docId", "docId must be printable ASCII"],
    ["31 February as issueDate", { issueDate: "2023-02-31" }, "issueDate", "issueDate must be a calendar date"],
    ["an issueDate before 1900", { issueDate: "1899-12-31" }, "issueDate", "issueDate must be 1900-01-01 or later"],
    ["30 February as validFrom", { validFrom: "2024-02-30" }, "validFrom", "validFrom must be a calendar date"],
    ["a validTo before issueDate", { validTo: "2024-03-14" }, "validTo", "validTo must not be before issueDate or validFrom"],
    ["a validTo before validFrom", { validFrom: "2025-01-01", validTo: "2024-12-31" }, "validTo", "validTo must not be before issueDate or validFrom"],
  ])("%s: InvalidPushInput naming the field, and no DigiLocker call", async (_, overrides, field, message) => {
    t.gateway.upstreamCalls.reset();
    const res = await pushUri(push(overrides));
    expect(res).toEqual({ __typename: "InvalidPushInput", code: "INVALID_PUSH_INPUT", field, fields: [field], message });
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({});
  });

  it("several fields at fault: every one, in the input's order, in one answer", async () => {
    const res = await pushUri(push({ issueDate: "2023-02-29", digilockerId: "x", docType: "toolong", description: "a\u0000b" }));
    expect(res).toMatchObject({ __typename: "InvalidPushInput", field: "digilockerId", fields: ["digilockerId", "docType", "description", "issueDate"] });
    expect(res.message?.split("; ")).toHaveLength(4);
  });

  it.each<[string, Partial<Push>, string]>([
    ["a 10,000-character description", { description: "D".repeat(10_000) }, "description"],
    ["a 10,000-character uri", { uri: "u".repeat(10_000) }, "uri"],
    ["a 10,000-character docId", { docId: "9".repeat(10_000), uri: "in.gov.sandbox-SKLCR-9" }, "docId"],
    ["a NUL in the description", { description: "Skill\u0000Certificate" }, "description"],
    ["a line break in the description", { description: "Skill\nCertificate" }, "description"],
    ["an escape sequence in the description", { description: "Skill \u001b[31mCertificate" }, "description"],
    ["a right-to-left override in the description", { description: "Skill \u202eetacifitreC" }, "description"],
    ["a line separator in the description", { description: "Skill\u2028Certificate" }, "description"],
    ["a control character in the uri", { uri: "in.gov.sandbox-SKLCR-\u0007" }, "uri"],
  ])("hostile input, %s: refused naming the field, no DigiLocker call", async (_, overrides, field) => {
    t.gateway.upstreamCalls.reset();
    const res = await pushUri(push(overrides));
    expect(res).toMatchObject({ __typename: "InvalidPushInput", field, fields: [field] });
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({});
  });

  it("hostile input in variables, a lone surrogate (no UTF-8 for the hash): refused naming the field", async () => {
    t.gateway.upstreamCalls.reset();
    const res = await t.query<{ pushUri: Outcome }>(`mutation Push($input: PushUriInput!) { pushUri(input: $input) ${SELECTION} }`, {
      variables: { input: push({ description: "Skill \ud800 Certificate" }) },
      headers,
    });
    expect(res.data?.pushUri).toMatchObject({ __typename: "InvalidPushInput", field: "description" });
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({});
  });

  it("a description in Hindi (with the joiners Indic scripts need) is accepted", async () => {
    const res = await pushUri(push({ docId: "HINDI-1", description: "कौशल प्रमाण\u200dपत्र" }));
    expect(res).toMatchObject({ __typename: "PushedUri" });
    expect((await issued()).find((d) => d.uri === "in.gov.sandbox-SKLCR-HINDI-1")?.name).toBe("कौशल प्रमाण\u200dपत्र");
  });

  it("a date that is not YYYY-MM-DD, or an unknown action, is refused by GraphQL itself before anything runs", async () => {
    t.gateway.upstreamCalls.reset();
    const badDate = await t.query(`mutation { pushUri(input: ${literal(push({ issueDate: "15-03-2024" }))}) { __typename } }`, { headers });
    expect(badDate.data).toBeUndefined();
    expect(badDate.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(badDate.errors?.[0]?.message).toMatch(/Date must be an ISO 8601 calendar date/);
    const badAction = await t.query(`mutation { pushUri(input: ${literal(push()).replace("action: ADD", "action: A")}) { __typename } }`, { headers });
    expect(badAction.data).toBeUndefined();
    expect(badAction.errors?.[0]?.message).toMatch(/PushUriAction/);
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({});
  });

  it("two pushes in one request pass GRAPHQL_MAX_UPSTREAM_MUTATIONS (1): refused, nothing sent", async () => {
    t.gateway.upstreamCalls.reset();
    const a = literal(push({ docId: "TWO-1" }));
    const b = literal(push({ docId: "TWO-2" }));
    const res = await t.query(`mutation { a: pushUri(input: ${a}) { __typename } b: pushUri(input: ${b}) { __typename } }`, { headers });
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "OPERATION_LIMIT_EXCEEDED", limit: "upstreamMutations", max: 1, found: 2 });
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({});
  });
});

describe("pushUri without the scope uri:push", () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(async () => {
    await t.close();
  });

  const refusal = (message: string) => ({
    data: null,
    errors: [{ message, path: ["pushUri"], extensions: { code: "FORBIDDEN", scope: "uri:push" } }],
  });
  const answer = (res: GraphQLResult<{ pushUri: Outcome }>) => ({
    data: res.data,
    errors: res.errors?.map(({ message, path, extensions }) => ({ message, path, extensions })),
  });

  it("in development mode (no partner registered), without a key: refused, and nothing reaches DigiLocker", async () => {
    const before = t.sandbox.state.issued.length;
    t.gateway.upstreamCalls.reset();
    const res = await send((q) => t.query(q), push({ docId: "OFF-1" }));
    expect(answer(res)).toEqual(refusal("pushUri needs an API key (X-API-Key header) whose partner has the scope uri:push"));
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({});
    expect(t.sandbox.state.issued).toHaveLength(before);
  });

  it("refused before any check of the input: an invalid input gets the same refusal", async () => {
    const res = await send((q) => t.query(q), push({ digilockerId: "x" }));
    expect(answer(res)).toEqual(refusal("pushUri needs an API key (X-API-Key header) whose partner has the scope uri:push"));
  });

  it("with a key whose partner lacks it: refused, saying how an operator grants it", async () => {
    const { key } = await t.gateway.services.partners.create({ name: "Acme KYC", scopes: ["catalogue:read", "documents:pull"] });
    t.gateway.upstreamCalls.reset();
    const res = await send((q) => t.query(q, { headers: { "x-api-key": key } }), push({ docId: "OFF-2" }));
    expect(answer(res)).toEqual(
      refusal("This API key's partner lacks the scope uri:push, which pushUri needs: an operator grants it with `npm run partner -- set-scopes`"),
    );
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({});
  });
});

describe("pushUri against a stand-in DigiLocker", () => {
  let upstream: TestServer;
  let g: Gateway;
  let key: string;
  let answer: (res: ServerResponse) => void = (res) => res.end();
  const paths: string[] = [];

  beforeAll(async () => {
    upstream = await startServer((req, res) => {
      paths.push(req.url ?? "");
      req.resume();
      req.on("end", () => {
        answer(res);
      });
    });
    const config = loadConfig({ DATA_DIR: "memory",
      PORT: "0",
      LOG_LEVEL: "silent",
      // Retries left on: a push must still go once.
      DIGILOCKER_BASE_URL: upstream.baseUrl,
      DIGILOCKER_CLIENT_ID: "STANDIN1",
      DIGILOCKER_CLIENT_SECRET: "stand-in-secret-5d2f",
    });
    g = await startGateway(config);
    ({ key } = await g.services.partners.create({ name: "Stand-in issuer", scopes: ["uri:push"] }));
  });
  afterAll(async () => {
    await g.close();
    await upstream.close();
  });

  async function pushThrough(): Promise<GraphQLResult<{ pushUri: Outcome }>> {
    paths.length = 0;
    const res = await fetch(`${g.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", "x-api-key": key },
      body: JSON.stringify({ query: `mutation { pushUri(input: ${literal(push({ docId: "STANDIN-1" }))}) ${SELECTION} }` }),
    });
    const body = (await res.json()) as GraphQLResult<{ pushUri: Outcome }>;
    expect(paths).toEqual(["/public/account/1/pushuri"]);
    return body;
  }
  const error = (status: number, code: string, description: string) => (res: ServerResponse) =>
    res.writeHead(status, { "content-type": "application/json;charset=UTF-8" }).end(JSON.stringify({ error: `${code} `, error_description: description }));

  it.each<[string, (res: ServerResponse) => void]>([
    ["an empty body", (res) => res.writeHead(200).end()],
    ["an empty JSON body, as the spec's headers would have it", (res) => res.writeHead(200, { "content-type": "application/json;charset=UTF-8" }).end()],
    ["a text body, OK", (res) => res.writeHead(200, { "content-type": "text/plain" }).end("OK")],
    ["an HTML page", (res) => res.writeHead(200, { "content-type": "text/html" }).end("<html><body>Success</body></html>")],
    ["{}", (res) => res.writeHead(200, { "content-type": "application/json" }).end("{}")],
  ])("a 200 with %s is pushed", async (_, reply) => {
    answer = reply;
    const res = await pushThrough();
    expect(res.errors).toBeUndefined();
    expect(res.data?.pushUri).toEqual({ __typename: "PushedUri", uri: "in.gov.sandbox-SKLCR-STANDIN-1", action: "ADD" });
  });

  it("the spec's text for a URI in another account: UriAlreadyExists, not in this account", async () => {
    answer = error(400, "invalid_parameter", "URI already exists in another account");
    const res = await pushThrough();
    expect(res.data?.pushUri).toMatchObject({ __typename: "UriAlreadyExists", inThisAccount: false });
  });

  it("our hash refused (HMAC): an error for the operator, not an outcome the caller could fix", async () => {
    answer = error(400, "invalid_parameter", "HMAC parameter is missing or invalid");
    const res = await pushThrough();
    expect(res.data).toBeNull();
    expect(res.errors?.[0]).toMatchObject({
      message: "The gateway is misconfigured; the operator has been alerted",
      extensions: { code: "INTERNAL_SERVER_ERROR", reason: "gateway_credentials_rejected" },
    });
  });

  it("our ts refused: the same, as gateway_clock_rejected", async () => {
    answer = error(400, "invalid_parameter", "Timestamp parameter is missing or invalid");
    const res = await pushThrough();
    // The operator is alerted: the masked error carries the request's id (a fresh UUID: none was sent).
    const { requestId, ...extensions } = res.errors?.[0]?.extensions ?? {};
    expect(extensions).toEqual({ code: "INTERNAL_SERVER_ERROR", reason: "gateway_clock_rejected" });
    expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("an invalid_parameter text the spec does not list stays an error (UPSTREAM_REJECTED)", async () => {
    answer = error(400, "invalid_parameter", "Something else entirely");
    const res = await pushThrough();
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "UPSTREAM_REJECTED", reason: "invalid_parameter" });
  });

  it("403 insufficient_scope: FORBIDDEN, saying this gateway's client is not an issuer (no token involved)", async () => {
    answer = error(403, "insufficient_scope", "The request requires higher privileges");
    const res = await pushThrough();
    expect(res.data).toBeNull();
    expect(res.errors?.[0]).toMatchObject({
      message: "This gateway's DigiLocker client is not registered as an issuer, so DigiLocker refuses its pushes",
      extensions: { code: "FORBIDDEN", reason: "not_an_issuer" },
    });
  });

  it("404 invalid_digilocker_id: DigiLockerUserNotFound", async () => {
    answer = error(404, "invalid_digilocker_id", "The digilockerid parameter is invalid");
    const res = await pushThrough();
    expect(res.data?.pushUri.__typename).toBe("DigiLockerUserNotFound");
  });

  it("500 unexpected_error: UPSTREAM_UNAVAILABLE, and not retried (a push is never sent twice)", async () => {
    answer = error(500, "unexpected_error", "Internal server error");
    const res = await pushThrough();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "UPSTREAM_UNAVAILABLE" });
  });
});
