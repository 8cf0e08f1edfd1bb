// Fault injection (issue #3: added latency, an error rate, a chosen error code, dropped connections, a
// wrong file `hmac`), each switch seen through the real client over HTTP, as the gateway's reliability
// tests will see it. Nothing here measures time: latency shows as a client timeout shorter than it.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../../src/config.js";
import {
  DigiLockerClient,
  DigiLockerConnectionError,
  DigiLockerTimeoutError,
  FileIntegrityError,
  UpstreamServerError,
  type CallEvent,
} from "../../../src/digilocker/index.js";
import { startSandbox } from "../../../src/sandbox/server.js";
import { startTestSandbox, type TestSandbox } from "../../helpers/sandbox.js";

const AJIT = "123e4567-e89b-12d3-a456-426655440000";
const CBSE_MARKSHEET = "in.gov.cbse-HSCER-201412345678";

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to fail");
}

describe("fault switches", () => {
  let t: TestSandbox;
  let token: string;
  beforeAll(async () => {
    t = await startTestSandbox();
    token = t.sandbox.issueToken({ userId: AJIT, scopes: ["files.issueddocs", "files.uploadeddocs", "userdetails"] }).accessToken;
  });
  afterEach(() => {
    t.sandbox.setFaults({});
  });
  afterAll(() => t.close());

  it("latencyMs: the call still succeeds, but not within a client timeout shorter than the latency", async () => {
    t.sandbox.setFaults({ latencyMs: 400 });
    await expect(t.client.meta.statistics()).resolves.toMatchObject({ issuers: t.sandbox.state.issuers.length });
    const error = await failure(t.client.meta.statistics({ timeoutMs: 50 }));
    expect(error).toBeInstanceOf(DigiLockerTimeoutError);
    expect(error).toMatchObject({ phase: "request", timeoutMs: 50 });
  });

  it("latencySpikeRate 1: every call is held the spike longer; rate 0 holds none", async () => {
    t.sandbox.setFaults({ latencySpikeRate: 1, latencySpikeMs: 400 });
    expect(await failure(t.client.meta.statistics({ timeoutMs: 50 }))).toBeInstanceOf(DigiLockerTimeoutError);
    t.sandbox.setFaults({ latencySpikeRate: 0, latencySpikeMs: 400 });
    await expect(t.client.meta.statistics()).resolves.toMatchObject({ issuers: t.sandbox.state.issuers.length });
  });

  it("errorRate 1 with errorCode partner_service_unresponsive: files.issued answers 530 with that code", async () => {
    t.sandbox.setFaults({ errorRate: 1, errorCode: "partner_service_unresponsive" });
    const error = await failure(t.client.files.listIssued(token));
    expect(error).toBeInstanceOf(UpstreamServerError);
    expect(error).toMatchObject({ status: 530, code: "partner_service_unresponsive" });
  });

  it("errorCode unexpected_error: 530 on file and account routes, 500 on meta routes (the spec's tables)", async () => {
    t.sandbox.setFaults({ errorRate: 1, errorCode: "unexpected_error" });
    for (const call of [t.client.files.listIssued(token), t.client.files.listUploaded(token), t.client.account.user(token)]) {
      const error = await failure(call);
      expect(error).toBeInstanceOf(UpstreamServerError);
      expect(error).toMatchObject({ status: 530, code: "unexpected_error", description: "Internal server error" });
    }
    for (const call of [t.client.meta.issuers(), t.client.meta.docTypes("000018"), t.client.meta.statistics()]) {
      const error = await failure(call);
      expect(error).toBeInstanceOf(UpstreamServerError);
      expect(error).toMatchObject({ status: 500, code: "unexpected_error", description: "Internal server error" });
    }
  });

  it("dropRate 1: the connection is closed without an answer", async () => {
    t.sandbox.setFaults({ dropRate: 1 });
    expect(await failure(t.client.meta.issuers())).toBeInstanceOf(DigiLockerConnectionError);
    expect(await failure(t.client.files.listIssued(token))).toBeInstanceOf(DigiLockerConnectionError);
  });

  it("wrongHmac: downloads fail the client's integrity check; JSON answers are untouched", async () => {
    await expect(t.client.files.downloadBuffer(token, CBSE_MARKSHEET)).resolves.toMatchObject({ contentType: "application/pdf" });
    t.sandbox.setFaults({ wrongHmac: true });
    for (const call of [
      t.client.files.downloadBuffer(token, CBSE_MARKSHEET),
      t.client.files.certificateXml(token, CBSE_MARKSHEET),
      t.client.files.eAadhaarXml(token),
    ]) {
      const error = await failure(call);
      expect(error).toBeInstanceOf(FileIntegrityError);
      expect(error).toMatchObject({ reason: "hmac_mismatch" });
    }
    await expect(t.client.files.listIssued(token)).resolves.not.toHaveLength(0);
  });

  it("endpoints: faults apply to the listed endpoints only", async () => {
    t.sandbox.setFaults({ errorRate: 1, wrongHmac: true, endpoints: ["meta.issuers", "files.xml"] });
    expect(await failure(t.client.meta.issuers())).toMatchObject({ status: 500, code: "unexpected_error" });
    expect(await failure(t.client.files.certificateXml(token, CBSE_MARKSHEET))).toBeInstanceOf(UpstreamServerError);
    await expect(t.client.meta.statistics()).resolves.toBeDefined();
    await expect(t.client.files.listIssued(token)).resolves.not.toHaveLength(0);
    // files.file is not listed, so its hmac is right too.
    await expect(t.client.files.downloadBuffer(token, CBSE_MARKSHEET)).resolves.toBeDefined();
  });

  it("setFaults at runtime replaces the whole set: omitted switches go back to off", async () => {
    expect(t.sandbox.setFaults({ errorRate: 1, latencyMs: 5 })).toMatchObject({ errorRate: 1, latencyMs: 5, dropRate: 0 });
    expect(await failure(t.client.meta.issuers())).toBeInstanceOf(UpstreamServerError);
    expect(t.sandbox.setFaults({ latencyMs: 5 })).toMatchObject({ errorRate: 0, latencyMs: 5 });
    await expect(t.client.meta.issuers()).resolves.not.toHaveLength(0);
    expect(t.sandbox.faults()).toMatchObject({ errorRate: 0, latencyMs: 5 });
  });

  it("setFaults refuses an endpoint id that does not exist, and keeps the faults it had", () => {
    t.sandbox.setFaults({ errorRate: 0.5 });
    expect(() => t.sandbox.setFaults({ errorRate: 1, endpoints: ["meta.issuer"] })).toThrow(/meta\.issuers/);
    expect(t.sandbox.faults()).toMatchObject({ errorRate: 0.5, endpoints: [] });
  });

  it("PUT /sandbox/faults switches faults on and off over HTTP", async () => {
    const put = (body: unknown) =>
      fetch(`${t.sandbox.origin}/sandbox/faults`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const on = await put({ errorRate: 1, errorCode: "partner_service_unresponsive", endpoints: ["files.issued"] });
    expect(on.status).toBe(200);
    expect(await on.json()).toMatchObject({ errorRate: 1, errorCode: "partner_service_unresponsive", endpoints: ["files.issued"] });
    expect(await failure(t.client.files.listIssued(token))).toMatchObject({ status: 530, code: "partner_service_unresponsive" });
    await expect(t.client.meta.issuers()).resolves.not.toHaveLength(0);

    const bad = await put({ endpoints: ["files.isued"] });
    expect(bad.status).toBe(400);
    expect(t.sandbox.faults().endpoints).toEqual(["files.issued"]);

    expect((await put({})).status).toBe(200);
    await expect(t.client.files.listIssued(token)).resolves.not.toHaveLength(0);
  });
});

describe("errorRate as a proportion", () => {
  // The sandbox draws one number per call (dropRate is 0, so only the error draw happens); a call fails
  // when its draw is below errorRate.
  const draws = [0.1, 0.7, 0.49, 0.5, 0.0, 0.99, 0.25, 0.75];
  let t: TestSandbox;
  beforeAll(async () => {
    let i = 0;
    t = await startTestSandbox({
      sandbox: { faults: { errorRate: 0.5 } },
      deps: { random: () => draws[i++ % draws.length] ?? 0 },
    });
  });
  afterAll(() => t.close());

  it("fails exactly the calls whose draw is below 0.5: half of them here", async () => {
    const outcomes: string[] = [];
    for (let n = 0; n < draws.length; n++) {
      outcomes.push(await t.client.meta.statistics().then(() => "ok", (e: unknown) => (e instanceof UpstreamServerError ? "fail" : String(e))));
    }
    expect(outcomes).toEqual(["fail", "ok", "fail", "ok", "fail", "ok", "fail", "ok"]);
  });
});

describe("faults and the client's retries", () => {
  let t: TestSandbox;
  let client: DigiLockerClient;
  const calls: CallEvent[] = [];
  beforeAll(async () => {
    t = await startTestSandbox({ sandbox: { faults: { errorRate: 1, endpoints: ["meta.issuers", "meta.pushUri"] } } });
    client = new DigiLockerClient(
      { baseUrl: t.sandbox.baseUrl, clientId: t.sandbox.clientId, clientSecret: t.sandbox.clientSecret, retry: { maxRetries: 3 } },
      { onCall: (e) => calls.push(e), sleep: () => Promise.resolve() },
    );
  });
  afterEach(() => {
    calls.length = 0;
  });
  afterAll(async () => {
    await client.close();
    await t.close();
  });

  it("retries an idempotent meta read: exactly 1 + maxRetries calls, each answered 500", async () => {
    const error = await failure(client.meta.issuers());
    expect(error).toMatchObject({ status: 500, code: "unexpected_error" });
    expect(calls.map((c) => [c.endpoint, c.attempt, c.status])).toEqual([
      ["meta.issuers", 1, 500],
      ["meta.issuers", 2, 500],
      ["meta.issuers", 3, 500],
      ["meta.issuers", 4, 500],
    ]);
  });

  it("never retries Push URI (docs/spec-assumptions.md #23)", async () => {
    const push = client.meta.pushUri({
      digilockerId: AJIT,
      uri: "in.gov.sandbox-SBCER-1",
      docType: "SBCER",
      description: "Sandbox Certificate",
      docId: "1",
      issueDate: "2024-03-15",
      action: "A",
    });
    expect(await failure(push)).toMatchObject({ status: 500 });
    expect(calls).toHaveLength(1);
  });
});

describe("faults from the environment", () => {
  it("SANDBOX_ERROR_RATE, SANDBOX_ERROR_CODE and SANDBOX_FAULT_ENDPOINTS reach the running sandbox", async () => {
    const config = loadConfig({ DATA_DIR: "memory",
      SANDBOX_PORT: "0",
      SANDBOX_ERROR_RATE: "1",
      SANDBOX_ERROR_CODE: "partner_service_unresponsive",
      SANDBOX_FAULT_ENDPOINTS: "meta.statistics",
    });
    const sandbox = await startSandbox(config.sandbox);
    const client = new DigiLockerClient({
      baseUrl: sandbox.baseUrl,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      retry: { maxRetries: 0 },
    });
    try {
      expect(await failure(client.meta.statistics())).toMatchObject({ status: 530, code: "partner_service_unresponsive" });
      await expect(client.meta.issuers()).resolves.not.toHaveLength(0);
    } finally {
      await client.close();
      await sandbox.close();
    }
  });
});

describe("injected errors say what production says (the spec's table for that endpoint)", () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterEach(() => {
    t.sandbox.setFaults({});
  });
  afterAll(() => t.close());

  /** One call to the endpoint, answered by the fault before any check of its own. */
  async function injected(endpoint: string, code: string, method: "GET" | "POST", path: string) {
    t.sandbox.setFaults({ errorRate: 1, errorCode: code, endpoints: [endpoint] });
    const res = await fetch(t.sandbox.baseUrl + path, { method });
    return { status: res.status, body: (await res.json()) as unknown };
  }

  it.each([
    ["files.eaadhaar", "aadhaar_not_linked", "GET", "/oauth2/3/xml/eaadhaar", 404, "Aadhaar is not linked to the account"],
    ["files.eaadhaar", "aadhaar_not_available", "GET", "/oauth2/3/xml/eaadhaar", 404, "Aadhaar data is not available for this user. Please perform Aadhaar eKYC again."],
    ["pull.document", "aadhaar_not_linked", "POST", "/oauth2/1/pull/pulldocument", 400, "To access issued documents, please link your Aadhaar number to your DigiLocker account."],
    [
      "pull.document", "record_not_found", "POST", "/oauth2/1/pull/pulldocument", 404,
      "No record found in issuer database for given criteria. Please check the details and try again. If problem persists, see the FAQ section for possible causes.",
    ],
    ["files.file", "invalid_uri", "GET", `/oauth2/1/file/${CBSE_MARKSHEET}`, 404, "No file found for given URI"],
    ["files.upload", "invalid_filesize", "POST", "/oauth2/1/file/upload", 400, "The file size exceeds maximum allowed file size of 10MB"],
    ["account.user", "insufficient_scope", "GET", "/oauth2/1/user", 403, "The request requires higher privileges than provided by the access token"],
    ["meta.pushUri", "insufficient_scope", "POST", "/account/1/pushuri", 403, "The request requires higher privileges"],
    ["meta.issuers", "invalid_client_id", "POST", "/oauth2/1/pull/issuers", 401, "The client_id parameter is invalid"],
    // "will contain one or more of the following error texts": the one of the spec's sample (spec 1392).
    ["meta.verifyAccount", "invalid_parameter", "POST", "/account/2/verify", 400, "Timestamp parameter is missing or invalid"],
    ["oauth.tokenV1", "invalid_client", "POST", "/oauth2/1/token", 400, "The client credentials are invalid"],
    ["oauth.tokenV1", "invalid_grant_type", "POST", "/oauth2/1/token", 400, "The grant_type parameter is invalid"],
  ] as const)("%s %s (%s %s): the spec's status and text", async (endpoint, code, method, path, status, description) => {
    expect(await injected(endpoint, code, method, path)).toEqual({ status, body: { error: code, error_description: description } });
  });

  it("a code only another endpoint's table names gets that row; a code no table names gets 500", async () => {
    expect(await injected("meta.issuers", "invalid_uri", "POST", "/oauth2/1/pull/issuers")).toEqual({
      status: 404,
      body: { error: "invalid_uri", error_description: "No file found for given URI" },
    });
    expect(await injected("meta.issuers", "made_up_code", "POST", "/oauth2/1/pull/issuers")).toEqual({
      status: 500,
      body: { error: "made_up_code", error_description: "Internal server error" },
    });
  });

  it("a handler that fails answers its route's unexpected_error: 530 on file routes, 500 on meta routes", async () => {
    const quiet = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const state = t.sandbox.state as unknown as { issued: unknown; issuers: unknown };
    const { issued, issuers } = state;
    const token = t.sandbox.issueToken({ userId: AJIT, scopes: ["files.issueddocs"] }).accessToken;
    try {
      state.issued = null;
      state.issuers = null;
      const files = await fetch(`${t.sandbox.baseUrl}/oauth2/2/files/issued`, { headers: { authorization: `Bearer ${token}` } });
      expect([files.status, await files.json()]).toEqual([530, { error: "unexpected_error", error_description: "Internal server error" }]);
      const meta = await t.client.meta.issuers().then(() => null, (e: unknown) => e);
      expect(meta).toMatchObject({ status: 500, code: "unexpected_error", description: "Internal server error" });
    } finally {
      Object.assign(state, { issued, issuers });
      quiet.mockRestore();
    }
  });
});
