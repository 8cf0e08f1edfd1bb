// Partner scopes on real HTTP (docs/partners.md, "Who gets a scope"): a key's partner has exactly its scopes; a
// signed-in browser session the user scopes; a bearer token alone none; development mode (no partner registered,
// not production) every scope but uri:push and credentials:manage, saying so. A refused field is null (or the
// mutation refused) with one FORBIDDEN error naming the scope and the field, next to whatever else was answered.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { BACKENDS, gatewayDatabase } from "../../helpers/databases.js";
import { EVERY_PARTNER_SCOPE } from "../../helpers/scopes.js";
import { startTestGateway, type GraphQLResult, type TestGateway } from "../../helpers/gateway.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

const EVERY_SCOPE = EVERY_PARTNER_SCOPE;

const UNKNOWN_ID = "3f2b9c1e-5a7d-4e8f-9b0c-1d2e3f4a5b6c";
const BAD_PUSH = `{ digilockerId: "not-a-uuid", uri: "in.gov.sandbox-SKLCR-1", docType: "SKLCR", description: "Skill Certificate", docId: "1", issueDate: "2024-03-15", action: ADD }`;

interface Row {
  scope: string;
  /** The operation, sent with a bearer token (which grants no scope by itself). */
  document: string;
  /** How the refusal names the field. */
  field: string;
  path: (string | number)[];
  /** `data` when refused. */
  refusedData: unknown;
  /** `data` when granted; undefined where the answer depends on more than the scope (only: no FORBIDDEN). */
  grantedData?: unknown;
}

/** Each field-level scope, one operation that needs it, and what its refusal names. */
const TABLE: Row[] = [
  {
    scope: "catalogue:read",
    document: "{ statistics { __typename } }",
    field: "statistics",
    path: ["statistics"],
    refusedData: { statistics: null },
    grantedData: { statistics: { __typename: "Stats" } },
  },
  {
    scope: "consent-requests:create",
    document: `mutation { createConsentRequest(input: { redirectUrl: "https://acme.example.in/back" }) { status } }`,
    field: "createConsentRequest",
    path: ["createConsentRequest"],
    refusedData: null,
  },
  {
    scope: "consent-requests:read",
    document: `{ consentRequest(id: "${UNKNOWN_ID}") { status } }`,
    field: "consentRequest",
    path: ["consentRequest"],
    refusedData: { consentRequest: null },
  },
  {
    scope: "consent-requests:revoke",
    document: `mutation { revokeConsentRequest(id: "${UNKNOWN_ID}") { status } }`,
    field: "revokeConsentRequest",
    path: ["revokeConsentRequest"],
    refusedData: null,
  },
  {
    scope: "documents:contents",
    document: "{ viewer { eAadhaar { __typename } } }",
    field: "User.eAadhaar",
    path: ["viewer", "eAadhaar"],
    refusedData: { viewer: { eAadhaar: null } },
    grantedData: { viewer: { eAadhaar: { __typename: "EAadhaar" } } },
  },
  {
    scope: "tokens:revoke",
    document: `mutation { revokeToken(input: { token: "a-token-nobody-holds" }) { revoked } }`,
    field: "revokeToken",
    path: ["revokeToken"],
    refusedData: null,
    grantedData: { revokeToken: { revoked: true } },
  },
  {
    scope: "accounts:verify",
    document: `mutation { verifyAccount(input: { mobile: "12" }) { __typename } }`,
    field: "verifyAccount",
    path: ["verifyAccount"],
    refusedData: null,
    grantedData: { verifyAccount: { __typename: "InvalidMobileNumber" } },
  },
  {
    scope: "documents:pull",
    document: `mutation { pullDocument(input: { orgId: "000018", docType: "HSCER", consent: false, parameters: [] }) { __typename } }`,
    field: "pullDocument",
    path: ["pullDocument"],
    refusedData: null,
    grantedData: { pullDocument: { __typename: "PullConsentMissing" } },
  },
  {
    scope: "files:upload",
    // A file written into the query: refused by the resolver (BAD_USER_INPUT) once the scope lets it run.
    document: `mutation { uploadFile(input: { file: "not-a-file" }) { __typename } }`,
    field: "uploadFile",
    path: ["uploadFile"],
    refusedData: null,
  },
  {
    scope: "uri:push",
    document: `mutation { pushUri(input: ${BAD_PUSH}) { __typename } }`,
    field: "pushUri",
    path: ["pushUri"],
    refusedData: null,
    grantedData: { pushUri: { __typename: "InvalidPushInput" } },
  },
];

const keyRefusal = (scope: string, field: string) =>
  `This API key's partner lacks the scope ${scope}, which ${field} needs: an operator grants it with \`npm run partner -- set-scopes\``;
const noKeyRefusal = (scope: string, field: string) => `${field} needs an API key (X-API-Key header) whose partner has the scope ${scope}`;
const noKeyUserRefusal = (scope: string, field: string) => `${noKeyRefusal(scope, field)}, or a signed-in session`;

const DEVELOPMENT_MODE =
  "Development mode: no partner is registered, so partner operations answer without an API key. Register one (npm run partner -- create) or set NODE_ENV=production to require keys (docs/partners.md).";

/** The answer's errors as a client reads them (locations left out). */
function errorsOf(res: GraphQLResult<unknown>) {
  return (res.errors ?? []).map(({ message, path, extensions }) => ({ message, path, extensions }));
}

function forbidden(res: GraphQLResult<unknown>) {
  return errorsOf(res).filter((e) => e.extensions?.code === "FORBIDDEN");
}

/** Body and extensions, as the client got them. */
function extensionsOf(res: GraphQLResult<unknown>): Record<string, unknown> | undefined {
  return (res as { extensions?: Record<string, unknown> }).extensions;
}

/** Writes are charged per client (RATE_LIMIT_WRITES_PER_CLIENT): this file sends many refused mutations from one address. */
const LIMITS = { RATE_LIMIT_WRITES_PER_CLIENT: "1000", RATE_LIMIT_PER_CLIENT: "5000" };

describe.each(BACKENDS)("with partners registered (%s)", (backend) => {
  let t: TestGateway;
  let database: Awaited<ReturnType<typeof gatewayDatabase>>;
  let token: string;
  const keys = new Map<string, { lacking: string; only: string }>();

  beforeAll(async () => {
    database = await gatewayDatabase(backend);
    t = await startTestGateway({ ...LIMITS, ...database.env });
    token = t.token();
    for (const { scope } of TABLE) {
      const name = scope.replace(/[^a-z]+/g, " ");
      const lacking = await t.gateway.services.partners.create({
        name: `Lacks ${name}`,
        scopes: EVERY_SCOPE.filter((s) => s !== scope),
        redirectOrigins: ["https://acme.example.in"],
      });
      const only = await t.gateway.services.partners.create({ name: `Only ${name}`, scopes: [scope], redirectOrigins: ["https://acme.example.in"] });
      keys.set(scope, { lacking: lacking.key, only: only.key });
    }
  }, 30_000);
  afterAll(async () => {
    await t.close();
    await database.drop();
  });

  const keyOf = (scope: string, which: "lacking" | "only") => {
    const found = keys.get(scope);
    if (found === undefined) throw new Error(`no partner for ${scope}`);
    return found[which];
  };

  it.each(TABLE)("a key whose partner has every scope but $scope: $field refused, naming it", async (row) => {
    const key = keyOf(row.scope, "lacking");
    const res = await t.query(row.document, { token, headers: { "x-api-key": key } });
    expect(res.status).toBe(200);
    expect(res.data ?? null).toEqual(row.refusedData);
    expect(errorsOf(res)).toEqual([{ message: keyRefusal(row.scope, row.field), path: row.path, extensions: { code: "FORBIDDEN", scope: row.scope } }]);
    expect(JSON.stringify(res)).not.toContain(key);
    expect(JSON.stringify(res)).not.toContain(token);
  });

  it.each(TABLE)("a key whose partner has only $scope: $field answers", async (row) => {
    const res = await t.query(row.document, { token, headers: { "x-api-key": keyOf(row.scope, "only") } });
    expect(forbidden(res)).toEqual([]);
    if (row.grantedData !== undefined) {
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual(row.grantedData);
    }
    expect(extensionsOf(res)).toBeUndefined();
  });

  it("files:upload granted: the resolver runs and refuses the file written into the query", async () => {
    const res = await t.query(`mutation { uploadFile(input: { file: "not-a-file" }) { __typename } }`, { token, headers: { "x-api-key": keyOf("files:upload", "only") } });
    expect(errorsOf(res)).toEqual([
      {
        message: "File cannot be written in the query: send it as a part of a multipart request (the GraphQL multipart request spec)",
        path: ["uploadFile"],
        extensions: { code: "BAD_USER_INPUT" },
      },
    ]);
  });

  it("a partner with some scopes: partial data, and one FORBIDDEN error per refused field", async () => {
    const res = await t.query<{ statistics: unknown; issuer: unknown; viewer: { digilockerId: string; eAadhaar: unknown } }>(
      `{ statistics { __typename } issuer(orgId: "000018") { name } viewer { digilockerId eAadhaar { __typename } } }`,
      { token, headers: { "x-api-key": keyOf("documents:contents", "only") } },
    );
    expect(res.data).toEqual({
      statistics: null,
      issuer: null,
      viewer: { digilockerId: "123e4567-e89b-12d3-a456-426655440000", eAadhaar: { __typename: "EAadhaar" } },
    });
    expect(errorsOf(res)).toEqual([
      { message: keyRefusal("catalogue:read", "statistics"), path: ["statistics"], extensions: { code: "FORBIDDEN", scope: "catalogue:read" } },
      { message: keyRefusal("catalogue:read", "issuer"), path: ["issuer"], extensions: { code: "FORBIDDEN", scope: "catalogue:read" } },
    ]);
  });

  it("a field refused in every item of a list: one error per item, the list itself answered", async () => {
    const res = await t.query<{ viewer: { issuedDocuments: { uri: string; certificate: unknown }[] } }>(
      `{ viewer { issuedDocuments { uri certificate { __typename } } } }`,
      { token, headers: { "x-api-key": keyOf("documents:contents", "lacking") } },
    );
    const docs = res.data?.viewer.issuedDocuments ?? [];
    expect(docs.length).toBeGreaterThan(1);
    expect(docs.every((d) => d.certificate === null)).toBe(true);
    expect(errorsOf(res)).toEqual(
      docs.map((_, i) => ({
        message: keyRefusal("documents:contents", "IssuedDocument.certificate"),
        path: ["viewer", "issuedDocuments", i, "certificate"],
        extensions: { code: "FORBIDDEN", scope: "documents:contents" },
      })),
    );
  });

  describe("a signed-in browser session, no key", () => {
    let cookie: string;
    beforeAll(async () => {
      const signIn = await signInThroughGateway(t);
      if (signIn.cookie === null) throw new Error("no session cookie");
      cookie = signIn.cookie;
    });

    it("has the user scopes: the catalogue, contents and pulling answer, without development mode", async () => {
      const read = await t.query(`{ statistics { __typename } viewer { eAadhaar { __typename } } }`, { cookie });
      expect(read.errors).toBeUndefined();
      expect(read.data).toEqual({ statistics: { __typename: "Stats" }, viewer: { eAadhaar: { __typename: "EAadhaar" } } });
      expect(extensionsOf(read)).toBeUndefined();
      const pull = await t.query(TABLE.find((r) => r.scope === "documents:pull")?.document ?? "", { cookie });
      expect(pull.data).toEqual({ pullDocument: { __typename: "PullConsentMissing" } });
      const upload = await t.query(`mutation { uploadFile(input: { file: "not-a-file" }) { __typename } }`, { cookie });
      expect(upload.errors?.[0]?.extensions).toEqual({ code: "BAD_USER_INPUT" });
    });

    it.each([
      ["accounts:verify", `mutation { verifyAccount(input: { mobile: "12" }) { __typename } }`, "verifyAccount", null],
      ["uri:push", `mutation { pushUri(input: ${BAD_PUSH}) { __typename } }`, "pushUri", null],
      ["tokens:revoke", `mutation { revokeToken(input: { token: "a-token-nobody-holds" }) { revoked } }`, "revokeToken", null],
      ["consent-requests:create", `mutation { createConsentRequest(input: { redirectUrl: "https://acme.example.in/back" }) { status } }`, "createConsentRequest", null],
      ["consent-requests:read", `{ consentRequest(id: "${UNKNOWN_ID}") { status } }`, "consentRequest", { consentRequest: null }],
    ])("has not %s (a partner scope): %s refused", async (scope, document, field, data) => {
      const res = await t.query(document, { cookie });
      expect(res.data ?? null).toEqual(data);
      expect(errorsOf(res)).toEqual([{ message: noKeyRefusal(scope, field), path: [field], extensions: { code: "FORBIDDEN", scope } }]);
    });

    it("once signed out, the cookie grants nothing", async () => {
      const { cookie: ended } = await signInThroughGateway(t);
      if (ended === null) throw new Error("no session cookie");
      const out = await t.query(`mutation { signOut { __typename } }`, { cookie: ended });
      expect(out.errors).toBeUndefined();
      const res = await t.query(`{ statistics { __typename } }`, { cookie: ended });
      expect(res.data).toEqual({ statistics: null });
      expect(errorsOf(res)).toEqual([
        { message: noKeyUserRefusal("catalogue:read", "statistics"), path: ["statistics"], extensions: { code: "FORBIDDEN", scope: "catalogue:read" } },
      ]);
    });
  });

  it.each([
    ["statistics", "{ statistics { __typename } }", "catalogue:read", ["statistics"], { statistics: null }],
    ["User.eAadhaar", "{ viewer { eAadhaar { __typename } } }", "documents:contents", ["viewer", "eAadhaar"], { viewer: { eAadhaar: null } }],
    ["pullDocument", TABLE.find((r) => r.scope === "documents:pull")?.document ?? "", "documents:pull", ["pullDocument"], null],
  ])("a bearer token without a key: %s refused (a backend sends its key)", async (field, document, scope, path, data) => {
    const res = await t.query(document, { token });
    expect(res.data ?? null).toEqual(data);
    expect(errorsOf(res)).toEqual([{ message: noKeyUserRefusal(scope, field), path, extensions: { code: "FORBIDDEN", scope } }]);
    expect(JSON.stringify(res)).not.toContain(token);
  });

  it("nothing at all: the catalogue refused, unscoped fields answer as before", async () => {
    const res = await t.query(`{ __typename statistics { __typename } }`);
    expect(res.data).toEqual({ __typename: "Query", statistics: null });
    expect(forbidden(res)).toHaveLength(1);
  });

  describe("node(id)", () => {
    const id = (s: string) => Buffer.from(s).toString("base64");

    it("of an Issuer or DocType needs catalogue:read; without it, refused naming node", async () => {
      for (const nodeId of [id("Issuer:000018"), id("DocType:000018/HSCER")]) {
        const res = await t.query(`{ node(id: "${nodeId}") { id } }`, { token });
        expect(res.data).toEqual({ node: null });
        expect(errorsOf(res)).toEqual([
          { message: noKeyUserRefusal("catalogue:read", "node"), path: ["node"], extensions: { code: "FORBIDDEN", scope: "catalogue:read" } },
        ]);
      }
      const granted = await t.query(`{ node(id: "${id("Issuer:000018")}") { __typename } }`, { headers: { "x-api-key": keyOf("catalogue:read", "only") } });
      expect(granted.errors).toBeUndefined();
      expect(granted.data).toEqual({ node: { __typename: "Issuer" } });
    });

    it("of the viewer's own document needs no scope", async () => {
      const list = await t.query<{ viewer: { issuedDocuments: { id: string }[] } }>(`{ viewer { issuedDocuments { id } } }`, { token });
      const docId = list.data?.viewer.issuedDocuments[0]?.id ?? "";
      const res = await t.query(`{ node(id: "${docId}") { __typename } }`, { token });
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ node: { __typename: "IssuedDocument" } });
    });

    it.each([
      ["not base64 at all", "!!!"],
      ["a type that does not exist", id("Nothing:1")],
      ["no type", id(":")],
      ["a thousand colons", id(":".repeat(1000))],
    ])("hostile: %s is the caller's mistake, not a crash", async (_, nodeId) => {
      const res = await t.query(`{ node(id: "${nodeId}") { id } }`, { token });
      expect(res.status).toBe(200);
      expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect((await t.query(`{ __typename }`)).data).toEqual({ __typename: "Query" });
    });
  });

  it("the partner registry failing while deciding: an error for the field, never a grant, and the gateway answers on", async () => {
    const spy = vi.spyOn(t.gateway.services.partners, "anyRegistered").mockRejectedValueOnce(new Error("connection to the database lost"));
    try {
      const res = await t.query(`{ __typename statistics { __typename } }`);
      expect(res.data).toEqual({ __typename: "Query", statistics: null });
      // Masked, with the request's id to find its log line by (X-Request-Id).
      expect(errorsOf(res)).toEqual([
        { message: "Unexpected error", path: ["statistics"], extensions: { code: "INTERNAL_SERVER_ERROR", requestId: res.headers.get("x-request-id") } },
      ]);
      expect(extensionsOf(res)).toBeUndefined();
    } finally {
      spy.mockRestore();
    }
    expect(forbidden(await t.query(`{ statistics { __typename } }`))).toHaveLength(1);
  });

  it("1,000 aliases of a refused field: the operation limits refuse it before any check", async () => {
    const spy = vi.spyOn(t.gateway.services.partners, "anyRegistered");
    try {
      const fields = Array.from({ length: 1000 }, (_, i) => `a${i}: statistics { __typename }`).join(" ");
      const res = await t.query(`{ ${fields} }`);
      expect(res.data).toBeUndefined();
      expect(errorsOf(res)).toHaveLength(1);
      expect(res.errors?.[0]?.extensions?.code).toBe("OPERATION_LIMIT_EXCEEDED");
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it("20 aliases of a refused field (within the limits): 20 errors, one check", async () => {
    const spy = vi.spyOn(t.gateway.services.partners, "anyRegistered");
    try {
      const fields = Array.from({ length: 20 }, (_, i) => `a${i}: statistics { __typename }`).join(" ");
      const res = await t.query<Record<string, unknown>>(`{ ${fields} }`);
      expect(res.data).toEqual(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`a${i}`, null])));
      expect(errorsOf(res)).toEqual(
        Array.from({ length: 20 }, (_, i) => ({
          message: noKeyUserRefusal("catalogue:read", "statistics"),
          path: [`a${i}`],
          extensions: { code: "FORBIDDEN", scope: "catalogue:read" },
        })),
      );
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("development mode: no partner registered, not production", () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(LIMITS);
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    ["the direct JSON path", "application/json"],
    ["yoga's adapter", "application/graphql-response+json"],
  ])("a scoped field answers without a key, and the answer says development mode granted it (%s)", async (_, accept) => {
    const res = await t.query(`{ statistics { __typename } }`, { headers: { accept } });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ statistics: { __typename: "Stats" } });
    expect(extensionsOf(res)).toEqual({ developmentMode: DEVELOPMENT_MODE });
  });

  it("a query of unscoped fields only does not mention it (no scope was checked)", async () => {
    const res = await t.query(`{ viewer { issuedDocuments { uri } } }`, { token: t.token() });
    expect(res.errors).toBeUndefined();
    expect(extensionsOf(res)).toBeUndefined();
  });

  it("uri:push is never granted by development mode, and nothing reaches DigiLocker", async () => {
    t.gateway.upstreamCalls.reset();
    const res = await t.query(`mutation { pushUri(input: ${BAD_PUSH.replace("not-a-uuid", "123e4567-e89b-12d3-a456-426655440000")}) { __typename } }`);
    expect(res.data).toBeNull();
    expect(errorsOf(res)).toEqual([{ message: noKeyRefusal("uri:push", "pushUri"), path: ["pushUri"], extensions: { code: "FORBIDDEN", scope: "uri:push" } }]);
    expect(extensionsOf(res)).toBeUndefined();
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({});
  });

  it("ends as soon as the first partner is created", async () => {
    expect((await t.query(`{ statistics { __typename } }`)).data).toEqual({ statistics: { __typename: "Stats" } });
    await t.gateway.services.partners.create({ name: "First partner", scopes: ["catalogue:read"] });
    const res = await t.query(`{ statistics { __typename } }`);
    expect(res.data).toEqual({ statistics: null });
    expect(errorsOf(res)).toEqual([
      { message: noKeyUserRefusal("catalogue:read", "statistics"), path: ["statistics"], extensions: { code: "FORBIDDEN", scope: "catalogue:read" } },
    ]);
    expect(extensionsOf(res)).toBeUndefined();
  });
});

describe("NODE_ENV=production, no partner registered", () => {
  let t: TestGateway;
  beforeAll(async () => {
    // Texts allowed, to ask for every field: persisted-only is production's too (persisted-requests.test.ts).
    t = await startTestGateway({ ...LIMITS, NODE_ENV: "production", GRAPHQL_PERSISTED_ONLY: "false" });
  });
  afterAll(async () => {
    await t.close();
  });

  it("refuses every scoped field without a key from the first request", async () => {
    const res = await t.query(`{ statistics { __typename } }`);
    expect(res.data).toEqual({ statistics: null });
    expect(errorsOf(res)).toEqual([
      { message: noKeyUserRefusal("catalogue:read", "statistics"), path: ["statistics"], extensions: { code: "FORBIDDEN", scope: "catalogue:read" } },
    ]);
    expect(extensionsOf(res)).toBeUndefined();
    const verify = await t.query(`mutation { verifyAccount(input: { mobile: "12" }) { __typename } }`);
    expect(forbidden(verify)).toEqual([
      { message: noKeyRefusal("accounts:verify", "verifyAccount"), path: ["verifyAccount"], extensions: { code: "FORBIDDEN", scope: "accounts:verify" } },
    ]);
  });
});
