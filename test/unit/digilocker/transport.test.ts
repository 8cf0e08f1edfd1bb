// The one HTTP path of the client, exercised through real client methods: retries, timeouts, aborts,
// error bodies, call events and what errors reveal.
import { afterEach, describe, expect, it } from "vitest";
import { errors as undiciErrors, MockAgent } from "undici";
import {
  BadRequestError,
  ClientCredentialsError,
  DigiLockerAbortError,
  DigiLockerApiError,
  DigiLockerClient,
  DigiLockerConnectionError,
  DigiLockerInputError,
  DigiLockerResponseError,
  DigiLockerTimeoutError,
  endpoints,
  InsufficientScopeError,
  InvalidTokenError,
  NotFoundError,
  UpstreamServerError,
  type CallEvent,
  type ClientSettingsInput,
  type EndpointId,
} from "../../../src/digilocker/index.js";
import {
  BASE_URL,
  CLIENT_ID,
  CLIENT_SECRET,
  form,
  JSON_HEADERS,
  mockClient,
  NOW_MS,
  ORIGIN,
  specSample,
} from "../../helpers/digilocker.js";
import {
  ACCESS_TOKEN,
  AUTH_CODE,
  CODE_VERIFIER,
  DOC_URI,
  endpointCalls,
  failure,
  REFRESH_TOKEN,
} from "../../helpers/endpoint-calls.js";
import { closedPort, startServer, type TestServer } from "../../helpers/http-server.js";
import { expectNoSecrets } from "../../helpers/secrets.js";

type Pool = ReturnType<typeof mockClient>["pool"];

/** Every call's HTTP method as the spec prints it, so an interceptor never follows a method changed in src/. */
const METHOD: Record<EndpointId, "GET" | "POST"> = {
  "oauth.tokenV1": "POST",
  "oauth.tokenV2": "POST",
  "oauth.refresh": "POST",
  "oauth.revoke": "POST",
  "account.user": "GET",
  "files.uploaded": "GET",
  "files.issued": "GET",
  "files.file": "GET",
  "files.xml": "GET",
  "files.eaadhaar": "GET",
  "files.upload": "POST",
  "pull.document": "POST",
  "meta.issuers": "POST",
  "meta.docTypes": "POST",
  "meta.parameters": "POST",
  "meta.verifyAccount": "POST",
  "meta.pushUri": "POST",
  "meta.statistics": "POST",
};
const ALL_SECRETS = [CLIENT_SECRET, ACCESS_TOKEN, REFRESH_TOKEN, AUTH_CODE, CODE_VERIFIER];
const BASIC = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64");

/** Answers every request to `path` the same way and counts them (the count is what the upstream saw). */
function always(
  pool: Pool,
  id: EndpointId,
  statusCode: number,
  data = "",
  headers: Record<string, string> = JSON_HEADERS,
  path = endpointCalls[id].path,
) {
  const seen = { hits: 0 };
  pool
    .intercept({ path, method: METHOD[id] })
    .reply(() => {
      seen.hits++;
      return { statusCode, data, responseOptions: { headers } };
    })
    .persist();
  return seen;
}

/** Fails every request to the endpoint's path with a transport error and counts the attempts. */
function alwaysError(pool: Pool, id: EndpointId, error: Error) {
  const seen = { hits: 0 };
  pool
    .intercept({
      path: (p) => {
        if (p === endpointCalls[id].path) seen.hits++;
        return p === endpointCalls[id].path;
      },
      method: METHOD[id],
    })
    .replyWithError(error)
    .persist();
  return seen;
}

const apiBody = (code: string, description: string) => JSON.stringify({ error: code, error_description: description });
const socketError = () => new undiciErrors.SocketError("other side closed");

// Which calls a failed attempt is repeated for, written out rather than read from endpoints.ts, so a change there
// cannot move a case to the other group. The GET reads are safe to repeat (RFC 9110 9.2.2); so are the meta reads,
// POSTs signed again with a fresh ts (docs/spec-assumptions.md row 23). The rest change state or spend a single-use
// code or token and are never repeated (row 23).
const retried: readonly EndpointId[] = [
  "account.user",
  "files.uploaded",
  "files.issued",
  "files.file",
  "files.xml",
  "files.eaadhaar",
  "meta.issuers",
  "meta.docTypes",
  "meta.parameters",
  "meta.verifyAccount",
  "meta.statistics",
];
const neverRetried: readonly EndpointId[] = [
  "oauth.tokenV1",
  "oauth.tokenV2",
  "oauth.refresh",
  "oauth.revoke",
  "files.upload",
  "pull.document",
  "meta.pushUri",
];

describe("which calls are retried", () => {
  it("the two lists above name every endpoint once, and endpoints.ts marks the first as idempotent", () => {
    expect([...retried, ...neverRetried].sort()).toEqual(Object.keys(endpoints).sort());
    const marked = (Object.keys(endpoints) as EndpointId[]).filter((id) => endpoints[id].idempotent);
    expect(marked.sort()).toEqual([...retried].sort());
  });

  it.each([500, 502, 503, 504, 530, 429])(
    "account.user and files.listIssued retry HTTP %i twice (3 calls), sleeping 100 then 200 ms",
    async (status) => {
      for (const id of ["account.user", "files.issued"] as const) {
        const { client, pool, sleeps, calls } = mockClient();
        const seen = always(pool, id, status, apiBody("unexpected_error", "Internal server error"));
        const error = await failure(endpointCalls[id].call(client));
        expect(error).toBeInstanceOf(DigiLockerApiError);
        expect(error).toMatchObject({ status, endpoint: id, code: "unexpected_error" });
        expect(seen.hits).toBe(3);
        expect(sleeps).toEqual([100, 200]);
        expect(calls.map((c) => [c.attempt, c.status])).toEqual([
          [1, status],
          [2, status],
          [3, status],
        ]);
      }
    },
  );

  it.each(retried)("%s retries a 503 up to maxRetries (3 calls in all)", async (id) => {
    const { client, pool, sleeps } = mockClient();
    const seen = always(pool, id, 503, apiBody("unexpected_error", "Internal server error"));
    const error = await failure(endpointCalls[id].call(client));
    expect(error).toBeInstanceOf(UpstreamServerError);
    expect(error).toMatchObject({ status: 503, endpoint: id });
    expect(seen.hits).toBe(3);
    expect(sleeps).toEqual([100, 200]);
  });

  it.each(retried)("%s retries a connection error up to maxRetries", async (id) => {
    const { client, pool, sleeps, calls } = mockClient();
    const seen = alwaysError(pool, id, socketError());
    const error = await failure(endpointCalls[id].call(client));
    expect(error).toBeInstanceOf(DigiLockerConnectionError);
    expect(error).toMatchObject({ endpoint: id, retryable: true, message: `DigiLocker ${id}: connection failed (UND_ERR_SOCKET)` });
    expect((error as Error).cause).toBeInstanceOf(undiciErrors.SocketError);
    expect(seen.hits).toBe(3);
    expect(sleeps).toEqual([100, 200]);
    expect(calls.map((c) => [c.attempt, c.status, c.error?.name])).toEqual([
      [1, undefined, "DigiLockerConnectionError"],
      [2, undefined, "DigiLockerConnectionError"],
      [3, undefined, "DigiLockerConnectionError"],
    ]);
  });

  it("returns the first success after failed attempts", async () => {
    const { client, pool, sleeps, agent } = mockClient();
    pool.intercept({ path: "/public/oauth2/1/user", method: "GET" }).reply(503, apiBody("unexpected_error", "x")).times(2);
    pool.intercept({ path: "/public/oauth2/1/user", method: "GET" }).reply(200, specSample("user.json"), { headers: JSON_HEADERS });
    await expect(client.account.user(ACCESS_TOKEN)).resolves.toMatchObject({ name: "Ajit Kumar" });
    expect(sleeps).toEqual([100, 200]);
    agent.assertNoPendingInterceptors();
  });

  it("recovers from a connection error on the next attempt", async () => {
    const { client, pool, sleeps, agent } = mockClient();
    pool.intercept({ path: "/public/oauth2/2/files/issued", method: "GET" }).replyWithError(socketError());
    pool
      .intercept({ path: "/public/oauth2/2/files/issued", method: "GET" })
      .reply(200, specSample("files-issued.json"), { headers: JSON_HEADERS });
    const items = await client.files.listIssued(ACCESS_TOKEN);
    expect(items).toHaveLength(2);
    expect(sleeps).toEqual([100]);
    agent.assertNoPendingInterceptors();
  });

  it("options.maxRetries overrides the setting for one call", async () => {
    const none = mockClient();
    const seenNone = always(none.pool, "account.user", 503);
    await failure(none.client.account.user(ACCESS_TOKEN, { maxRetries: 0 }));
    expect(seenNone.hits).toBe(1);
    expect(none.sleeps).toEqual([]);

    const more = mockClient();
    const seenMore = always(more.pool, "meta.statistics", 530);
    await failure(more.client.meta.statistics({ maxRetries: 4 }));
    expect(seenMore.hits).toBe(5);
    expect(more.sleeps).toEqual([100, 200, 400, 800]);
  });

  it("settings.retry shapes the backoff", async () => {
    const { client, pool, sleeps } = mockClient({ retry: { maxRetries: 3, baseDelayMs: 1_000, maxDelayMs: 2_500 } });
    const seen = always(pool, "files.issued", 502);
    await failure(client.files.listIssued(ACCESS_TOKEN));
    expect(seen.hits).toBe(4);
    expect(sleeps).toEqual([500, 1_000, 1_250]);
  });

  it.each(neverRetried)("%s is sent exactly once on a 500, even when options.maxRetries asks for more", async (id) => {
    const { client, pool, sleeps, calls } = mockClient();
    const seen = always(pool, id, 500, apiBody("unexpected_error", "Internal server error"));
    const call = endpointCalls[id];
    const error = await failure(call.call(client));
    expect(error).toBeInstanceOf(UpstreamServerError);
    expect(error).toMatchObject({ status: 500, endpoint: id, retryable: true });
    expect(seen.hits).toBe(1);
    expect(sleeps).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it.each(neverRetried)("%s is sent exactly once on a connection error", async (id) => {
    const { client, pool, sleeps } = mockClient();
    const seen = alwaysError(pool, id, socketError());
    const error = await failure(endpointCalls[id].call(client));
    expect(error).toBeInstanceOf(DigiLockerConnectionError);
    expect(seen.hits).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it("a non-idempotent call ignores options.maxRetries", async () => {
    const { client, pool } = mockClient();
    const seen = always(pool, "pull.document", 503);
    await failure(
      client.pull.document(ACCESS_TOKEN, { orgId: "000018", docType: "HSCER", consent: true }, { maxRetries: 5 }),
    );
    expect(seen.hits).toBe(1);
  });

  it.each([
    [400, "invalid_parameter", BadRequestError],
    [401, "invalid_token", InvalidTokenError],
    [403, "insufficient_scope", InsufficientScopeError],
    [404, "invalid_uri", NotFoundError],
    [408, "timeout", BadRequestError],
  ] as const)("HTTP %i (%s) is not retried, unless it is a 408", async (status, code, cls) => {
    const { client, pool } = mockClient();
    const seen = always(pool, "account.user", status, apiBody(code, "x"));
    const error = await failure(client.account.user(ACCESS_TOKEN));
    expect(error).toBeInstanceOf(cls);
    expect(seen.hits).toBe(status === 408 ? 3 : 1);
  });

  it("repository_service_configerror (500) is not retried, even on an idempotent route", async () => {
    const { client, pool, sleeps } = mockClient();
    const seen = always(
      pool,
      "files.issued",
      500,
      apiBody("repository_service_configerror", "The issuer service is not available. Please contact DigiLocker support."),
    );
    const error = await failure(client.files.listIssued(ACCESS_TOKEN));
    expect(error).toMatchObject({ status: 500, code: "repository_service_configerror", retryable: false });
    expect(seen.hits).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it("honours Retry-After, and a meta retry is signed again with a fresh ts", async () => {
    const { client, pool, sleeps, agent } = mockClient();
    const bodies: Record<string, string>[] = [];
    pool.intercept({ path: "/public/oauth2/1/pull/issuers", method: "POST" }).reply((opts) => {
      bodies.push(form(opts.body));
      return { statusCode: 503, data: apiBody("unexpected_error", "Internal server error"), responseOptions: { headers: { "retry-after": "2" } } };
    });
    pool.intercept({ path: "/public/oauth2/1/pull/issuers", method: "POST" }).reply((opts) => {
      bodies.push(form(opts.body));
      return { statusCode: 200, data: specSample("issuers.json"), responseOptions: { headers: JSON_HEADERS } };
    });
    const issuers = await client.meta.issuers();
    expect(issuers.length).toBeGreaterThan(0);
    expect(sleeps).toEqual([2_000]);
    expect(bodies.map((b) => b.ts)).toEqual([String(NOW_MS / 1000), String(NOW_MS / 1000 + 2)]);
    expect(bodies[0]!.hmac).toMatch(/^[0-9a-f]{64}$/);
    expect(bodies[1]!.hmac).not.toBe(bodies[0]!.hmac);
    agent.assertNoPendingInterceptors();
  });

  it("honours Retry-After given as an HTTP date", async () => {
    const { client, pool, sleeps } = mockClient();
    const at = new Date(NOW_MS + 3_000).toUTCString();
    pool.intercept({ path: "/public/oauth2/1/user", method: "GET" }).reply(429, "", { headers: { "retry-after": at } });
    pool.intercept({ path: "/public/oauth2/1/user", method: "GET" }).reply(200, specSample("user.json"), { headers: JSON_HEADERS });
    await client.account.user(ACCESS_TOKEN);
    expect(sleeps).toEqual([3_000]);
  });

  it("gives up at once when Retry-After is beyond maxDelayMs", async () => {
    const { client, pool, sleeps } = mockClient();
    const seen = always(pool, "account.user", 503, apiBody("unexpected_error", "down for maintenance"), {
      ...JSON_HEADERS,
      "retry-after": "120",
    });
    const error = await failure(client.account.user(ACCESS_TOKEN));
    expect(error).toMatchObject({ status: 503, retryAfterMs: 120_000 });
    expect(seen.hits).toBe(1);
    expect(sleeps).toEqual([]);
  });
});

describe("onCall: one event per attempt", () => {
  it("reports endpoint, method, attempt, status and error", async () => {
    const { client, pool, calls } = mockClient();
    pool.intercept({ path: "/public/oauth2/1/user", method: "GET" }).reply(503, apiBody("unexpected_error", "x"));
    pool.intercept({ path: "/public/oauth2/1/user", method: "GET" }).replyWithError(socketError());
    pool.intercept({ path: "/public/oauth2/1/user", method: "GET" }).reply(200, specSample("user.json"), { headers: JSON_HEADERS });
    await client.account.user(ACCESS_TOKEN);

    expect(calls).toHaveLength(3);
    expect(calls.map((c) => ({ ...c, durationMs: 0 }))).toEqual([
      { endpoint: "account.user", method: "GET", attempt: 1, status: 503, error: expect.any(UpstreamServerError) as unknown, durationMs: 0 },
      {
        endpoint: "account.user",
        method: "GET",
        attempt: 2,
        status: undefined,
        error: expect.any(DigiLockerConnectionError) as unknown,
        durationMs: 0,
      },
      { endpoint: "account.user", method: "GET", attempt: 3, status: 200, durationMs: 0 },
    ]);
    for (const c of calls) expect(c.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("reports POSTs, failures of the body and input errors (no event: nothing was sent)", async () => {
    const { client, pool, calls } = mockClient();
    pool.intercept({ path: "/public/statistics/1/counts", method: "POST" }).reply(200, "not json", { headers: JSON_HEADERS });
    const error = await failure(client.meta.statistics());
    expect(error).toBeInstanceOf(DigiLockerResponseError);
    expect(calls).toEqual([
      { endpoint: "meta.statistics", method: "POST", attempt: 1, status: 200, error, durationMs: expect.any(Number) as unknown },
    ]);

    await failure(client.account.user(""));
    await failure(client.pull.document(ACCESS_TOKEN, { orgId: "000018", docType: "HSCER", consent: false as true }));
    expect(calls).toHaveLength(1);
  });
});

describe("error bodies", () => {
  it("an HTML 502 from a proxy is an UpstreamServerError with no code", async () => {
    const { client, pool } = mockClient({ retry: { maxRetries: 0 } });
    always(pool, "account.user", 502, "<html><body><h1>502 Bad Gateway</h1></body></html>", { "content-type": "text/html" });
    const error = await failure(client.account.user(ACCESS_TOKEN));
    expect(error).toBeInstanceOf(UpstreamServerError);
    expect(error).toMatchObject({ status: 502, code: null, description: null, endpoint: "account.user", retryAfterMs: null });
    expect((error as Error).message).toBe("DigiLocker account.user failed with HTTP 502 (no error code)");
  });

  it.each([
    ["an empty body", ""],
    ["a JSON array", "[1,2]"],
    ["a JSON string", '"unexpected_error"'],
    ["non-string fields", '{"error": 42, "error_description": {"a": 1}}'],
    ["blank fields", '{"error": "  ", "error_description": ""}'],
  ])("%s gives code and description null", async (_name, body) => {
    const { client, pool } = mockClient({ retry: { maxRetries: 0 } });
    always(pool, "files.issued", 400, body);
    const error = await failure(client.files.listIssued(ACCESS_TOKEN));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, code: null, description: null });
  });

  it("trims the spec's padded codes (verify-error.json: \"invalid_parameter \")", async () => {
    const { client, pool } = mockClient();
    always(pool, "meta.verifyAccount", 400, specSample("verify-error.json"));
    const error = await failure(client.meta.verifyAccount({ uid: "123456789012" }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({
      status: 400,
      code: "invalid_parameter",
      description: "Timestamp parameter is missing or invalid",
      endpoint: "meta.verifyAccount",
    });
  });

  it("trims \" partner_service_unresponsive \" (files-issued-error.json) and classifies it by status", async () => {
    const { client, pool } = mockClient({ retry: { maxRetries: 0 } });
    always(pool, "files.issued", 530, specSample("files-issued-error.json"));
    const error = await failure(client.files.listIssued(ACCESS_TOKEN));
    expect(error).toBeInstanceOf(UpstreamServerError);
    expect(error).toMatchObject({ status: 530, code: "partner_service_unresponsive", description: "Internal server error" });
  });

  it("reads Retry-After into retryAfterMs", async () => {
    const { client, pool } = mockClient({ retry: { maxRetries: 0 } });
    always(pool, "meta.issuers", 503, specSample("issuers-error.json"), { ...JSON_HEADERS, "retry-after": "7" });
    const error = await failure(client.meta.issuers());
    expect(error).toMatchObject({ status: 503, code: "unexpected_error", retryAfterMs: 7_000 });
  });

  it("does not read more than 64 KiB of an error body", async () => {
    const { client, pool } = mockClient({ retry: { maxRetries: 0 } });
    const huge = JSON.stringify({ error: "invalid_parameter", error_description: "x".repeat(70 * 1024) });
    always(pool, "files.issued", 400, huge);
    const error = await failure(client.files.listIssued(ACCESS_TOKEN));
    expect(error).toMatchObject({ status: 400, code: null, description: null });
  });
});

describe("2xx bodies", () => {
  it("a body over maxDownloadBytes is a DigiLockerResponseError, not retried", async () => {
    const body = specSample("user.json");
    const { client, pool } = mockClient({ maxDownloadBytes: Buffer.byteLength(body) - 1 });
    const seen = always(pool, "account.user", 200, body);
    const error = await failure(client.account.user(ACCESS_TOKEN));
    expect(error).toBeInstanceOf(DigiLockerResponseError);
    expect(error).toMatchObject({ status: 200, problem: "the body exceeds maxDownloadBytes", retryable: false });
    expect(seen.hits).toBe(1);
  });

  it("a body of exactly maxDownloadBytes is read", async () => {
    const body = specSample("user.json");
    const { client, pool } = mockClient({ maxDownloadBytes: Buffer.byteLength(body) });
    always(pool, "account.user", 200, body);
    await expect(client.account.user(ACCESS_TOKEN)).resolves.toMatchObject({ name: "Ajit Kumar" });
  });

  it("invalid JSON is a DigiLockerResponseError, not retried", async () => {
    const { client, pool } = mockClient();
    const seen = always(pool, "account.user", 200, "<html>maintenance</html>", { "content-type": "text/html" });
    const error = await failure(client.account.user(ACCESS_TOKEN));
    expect(error).toMatchObject({ name: "DigiLockerResponseError", status: 200, problem: "the body is not valid JSON" });
    expect(seen.hits).toBe(1);
  });

  it("a body of the wrong shape names the failing fields, not their values", async () => {
    const { client, pool } = mockClient();
    always(pool, "account.user", 200, JSON.stringify({ digilockerid: 7, name: "Ajit Kumar", dob: "31121970" }));
    const error = await failure(client.account.user(ACCESS_TOKEN));
    expect(error).toBeInstanceOf(DigiLockerResponseError);
    expect((error as DigiLockerResponseError).problem).toMatch(/^digilockerid: /);
    expect((error as Error).message).not.toContain("Ajit");
  });
});

describe("secrets never appear in an error", () => {
  const echo = `client_secret=${CLIENT_SECRET} code=${AUTH_CODE} code_verifier=${CODE_VERIFIER} token=${ACCESS_TOKEN} refresh=${REFRESH_TOKEN} basic=${BASIC}`;
  const redacted = (echoed: readonly string[]) =>
    echo
      .split(" ")
      .map((pair) => {
        const [k, v] = pair.split("=") as [string, string];
        return `${k}=${echoed.includes(v) ? "[redacted]" : v}`;
      })
      .join(" ");

  it.each([
    ["oauth.tokenV1", 400, "invalid_client", [CLIENT_SECRET, AUTH_CODE, CODE_VERIFIER, BASIC]],
    ["oauth.tokenV2", 400, "invalid_client", [CLIENT_SECRET, AUTH_CODE, CODE_VERIFIER, BASIC]],
    ["oauth.refresh", 400, "invalid_grant", [CLIENT_SECRET, REFRESH_TOKEN, BASIC]],
    ["oauth.revoke", 400, "invalid_request", [CLIENT_SECRET, ACCESS_TOKEN, BASIC]],
    ["account.user", 401, "invalid_token", [CLIENT_SECRET, ACCESS_TOKEN, BASIC]],
    ["files.file", 404, "invalid_uri", [CLIENT_SECRET, ACCESS_TOKEN, BASIC]],
    ["files.upload", 400, "hmac_mismatch", [CLIENT_SECRET, ACCESS_TOKEN, BASIC]],
    ["pull.document", 400, "record_not_found", [CLIENT_SECRET, ACCESS_TOKEN, BASIC]],
    ["meta.issuers", 401, "invalid_client_id", [CLIENT_SECRET, BASIC]],
    ["meta.pushUri", 400, "invalid_parameter", [CLIENT_SECRET, BASIC]],
  ] as const)("%s: an echoed credential in error_description is [redacted]", async (id, status, code, echoed) => {
    const { client, pool } = mockClient({ retry: { maxRetries: 0 } });
    always(pool, id, status, apiBody(code, echo));
    const error = await failure(endpointCalls[id].call(client));
    expect(error).toBeInstanceOf(DigiLockerApiError);
    expect((error as DigiLockerApiError).description).toBe(redacted(echoed));
    expect((error as Error).message).toContain("[redacted]");
    // What this call sent is gone; the other values were not credentials of this call.
    expectNoSecrets(error, echoed);
  });

  it("the client's Basic credentials are redacted on every call (client_secret_basic exchange)", async () => {
    const { client, pool } = mockClient({ tokenAuth: "client_secret_basic", retry: { maxRetries: 0 } });
    always(pool, "oauth.tokenV2", 401, apiBody("invalid_client", `bad Authorization: Basic ${BASIC}`));
    const error = await failure(endpointCalls["oauth.tokenV2"].call(client));
    expect(error).toBeInstanceOf(ClientCredentialsError);
    expect((error as DigiLockerApiError).description).toBe("bad Authorization: Basic [redacted]");
    expectNoSecrets(error, [CLIENT_SECRET, BASIC]);
  });

  it("a credential echoed in the error code is [redacted] too", async () => {
    const { client, pool } = mockClient();
    always(pool, "oauth.refresh", 400, apiBody(` invalid_grant:${REFRESH_TOKEN} `, "Refresh token is invalid"));
    const error = await failure(client.oauth.refresh(REFRESH_TOKEN));
    expect(error).toMatchObject({ code: "invalid_grant:[redacted]" });
    expectNoSecrets(error, ALL_SECRETS);
  });

  it("a 2xx token response that is not JSON does not quote its body (V8's SyntaxError would)", async () => {
    const { client, pool } = mockClient();
    always(pool, "oauth.tokenV1", 200, `{"access_token": ${ACCESS_TOKEN}, "refresh_token": ${REFRESH_TOKEN}}`);
    const error = await failure(endpointCalls["oauth.tokenV1"].call(client));
    expect(error).toBeInstanceOf(DigiLockerResponseError);
    expectNoSecrets(error, ALL_SECRETS);
  });

  it("a form-encoded token response (some OAuth servers send one) does not leak either", async () => {
    const { client, pool } = mockClient();
    always(pool, "oauth.refresh", 200, `access_token=${ACCESS_TOKEN}&refresh_token=${REFRESH_TOKEN}`, {
      "content-type": "application/x-www-form-urlencoded",
    });
    const error = await failure(client.oauth.refresh(REFRESH_TOKEN));
    expect(error).toBeInstanceOf(DigiLockerResponseError);
    expectNoSecrets(error, ALL_SECRETS);
  });

  it("a token response of the wrong shape names fields, not values", async () => {
    const { client, pool } = mockClient();
    always(
      pool,
      "oauth.tokenV1",
      200,
      JSON.stringify({ access_token: ACCESS_TOKEN, refresh_token: REFRESH_TOKEN, expires_in: "soon", token_type: "Bearer" }),
    );
    const error = await failure(endpointCalls["oauth.tokenV1"].call(client));
    expect(error).toBeInstanceOf(DigiLockerResponseError);
    expect((error as DigiLockerResponseError).problem).toContain("expires_in");
    expectNoSecrets(error, ALL_SECRETS);
  });

  it("connection errors and connect timeouts", async () => {
    const { client, pool } = mockClient({ retry: { maxRetries: 0 } });
    alwaysError(pool, "oauth.tokenV2", socketError());
    alwaysError(pool, "account.user", new undiciErrors.ConnectTimeoutError());
    const a = await failure(endpointCalls["oauth.tokenV2"].call(client));
    const b = await failure(endpointCalls["account.user"].call(client));
    expect(a).toBeInstanceOf(DigiLockerConnectionError);
    expect(b).toBeInstanceOf(DigiLockerTimeoutError);
    expectNoSecrets(a, ALL_SECRETS);
    expectNoSecrets(b, ALL_SECRETS);
  });

  it("input errors", async () => {
    const { client } = mockClient();
    const errors = [
      await failure(
        client.oauth.exchangeCode({ code: AUTH_CODE, redirectUri: `not a url ${CLIENT_SECRET}`, codeVerifier: `${CODE_VERIFIER}!` }),
      ),
      await failure(client.account.user(`${ACCESS_TOKEN} ${REFRESH_TOKEN}`)),
      await failure(client.oauth.revoke(ACCESS_TOKEN, "id_token" as "access_token")),
      await failure(client.files.downloadBuffer(`Bearer ${ACCESS_TOKEN}`, DOC_URI)),
      await failure(client.pull.document(ACCESS_TOKEN, { orgId: "", docType: ACCESS_TOKEN, consent: true })),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(DigiLockerInputError);
      expectNoSecrets(error, ALL_SECRETS);
    }
  });
});

describe("timeouts, refused connections and aborts on a real socket", () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  /** A client with its own undici Agent (no injected dispatcher) pointed at a real server. */
  function realClient(baseUrl: string, settings: Partial<ClientSettingsInput> = {}) {
    const calls: CallEvent[] = [];
    const sleeps: number[] = [];
    const client = new DigiLockerClient(
      {
        baseUrl,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        retry: { maxRetries: 0 },
        ...settings,
        timeouts: { connectMs: 2_000, headersMs: 5_000, bodyMs: 5_000, requestMs: 10_000, ...settings.timeouts },
      },
      {
        sleep: (ms) => {
          sleeps.push(ms);
          return Promise.resolve();
        },
        random: () => 0.5,
        onCall: (e) => calls.push(e),
      },
    );
    cleanup.push(() => client.close());
    return { client, calls, sleeps };
  }

  async function server(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
    const s = await startServer(handler);
    cleanup.push(() => s.close());
    return s;
  }

  const silent = () => {
    /* never answers */
  };
  const stallBody = (_req: unknown, res: import("node:http").ServerResponse) => {
    res.writeHead(200, JSON_HEADERS);
    res.write('{"digilockerid": "123e4567-e89b-12d3-a456-426655440000",');
  };

  it("headers never sent → DigiLockerTimeoutError phase headers", async () => {
    const s = await server(silent);
    const { client } = realClient(s.baseUrl, { timeouts: { headersMs: 50 } });
    const error = await failure(client.account.user(ACCESS_TOKEN));
    expect(error).toBeInstanceOf(DigiLockerTimeoutError);
    expect(error).toMatchObject({ phase: "headers", timeoutMs: 50, endpoint: "account.user", retryable: true });
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]!.url).toBe("/public/oauth2/1/user");
    expect(s.requests[0]!.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expectNoSecrets(error, ALL_SECRETS);
  });

  it("headers sent, then the body stalls → phase body", async () => {
    const s = await server(stallBody);
    const { client } = realClient(s.baseUrl, { timeouts: { bodyMs: 50 } });
    const error = await failure(client.account.user(ACCESS_TOKEN));
    expect(error).toBeInstanceOf(DigiLockerTimeoutError);
    expect(error).toMatchObject({ phase: "body", timeoutMs: 50, endpoint: "account.user" });
    expectNoSecrets(error, ALL_SECRETS);
  });

  it("options.timeoutMs below both → phase request, whether waiting for headers or for the body", async () => {
    const s1 = await server(silent);
    const { client: c1 } = realClient(s1.baseUrl);
    const e1 = await failure(c1.account.user(ACCESS_TOKEN, { timeoutMs: 50 }));
    expect(e1).toBeInstanceOf(DigiLockerTimeoutError);
    expect(e1).toMatchObject({ phase: "request", timeoutMs: 50, message: "DigiLocker account.user: timed out after 50 ms (request)" });

    const s2 = await server(stallBody);
    const { client: c2 } = realClient(s2.baseUrl);
    const e2 = await failure(c2.meta.statistics({ timeoutMs: 50 }));
    expect(e2).toBeInstanceOf(DigiLockerTimeoutError);
    expect(e2).toMatchObject({ phase: "request", timeoutMs: 50, endpoint: "meta.statistics" });
  });

  it("settings.timeouts.requestMs bounds each attempt, and a timed-out read is retried", async () => {
    const s = await server(silent);
    const { client, sleeps, calls } = realClient(s.baseUrl, { retry: { maxRetries: 1 }, timeouts: { requestMs: 40 } });
    const error = await failure(client.files.listIssued(ACCESS_TOKEN));
    expect(error).toMatchObject({ name: "DigiLockerTimeoutError", phase: "request", timeoutMs: 40 });
    expect(s.requests).toHaveLength(2);
    expect(sleeps).toEqual([100]);
    expect(calls.map((c) => [c.attempt, c.error?.name])).toEqual([
      [1, "DigiLockerTimeoutError"],
      [2, "DigiLockerTimeoutError"],
    ]);
  });

  it("a refused connection → DigiLockerConnectionError, retryable, retried on a read", async () => {
    const port = await closedPort();
    const { client, calls, sleeps } = realClient(`http://127.0.0.1:${port}/public`, { retry: { maxRetries: 2 } });
    const error = await failure(client.account.user(ACCESS_TOKEN));
    expect(error).toBeInstanceOf(DigiLockerConnectionError);
    expect(error).toMatchObject({
      retryable: true,
      endpoint: "account.user",
      message: "DigiLocker account.user: connection failed (ECONNREFUSED)",
    });
    expect(calls).toHaveLength(3);
    expect(sleeps).toEqual([100, 200]);
    expectNoSecrets(error, ALL_SECRETS);
  });

  it("a refused connection on a token exchange is not retried", async () => {
    const port = await closedPort();
    const { client, calls } = realClient(`http://127.0.0.1:${port}/public`, { retry: { maxRetries: 2 } });
    const error = await failure(endpointCalls["oauth.tokenV2"].call(client));
    expect(error).toBeInstanceOf(DigiLockerConnectionError);
    expect(calls).toHaveLength(1);
    expectNoSecrets(error, ALL_SECRETS);
  });

  // File downloads hand the open body over (transport.open); errors raised while it streams must still be
  // the client's own. These need verified-body.ts to pass them through OpenResponse.mapError.
  const stallFile = (_req: unknown, res: import("node:http").ServerResponse) => {
    res.writeHead(200, { "content-type": "application/pdf", hmac: "c2lnbmF0dXJl" });
    res.write("%PDF-1.4\n");
  };

  it("a download whose body stalls → DigiLockerTimeoutError phase body", async () => {
    const s = await server(stallFile);
    const { client } = realClient(s.baseUrl, { timeouts: { bodyMs: 50 } });
    const error = await failure(client.files.downloadBuffer(ACCESS_TOKEN, DOC_URI));
    expect(error).toBeInstanceOf(DigiLockerTimeoutError);
    expect(error).toMatchObject({ phase: "body", timeoutMs: 50, endpoint: "files.file" });
  });

  it("the caller's abort in the middle of a download → DigiLockerAbortError", async () => {
    const s = await server(stallFile);
    const { client } = realClient(s.baseUrl);
    const controller = new AbortController();
    const arrived = s.nextRequest();
    const pending = failure(client.files.downloadBuffer(ACCESS_TOKEN, DOC_URI, { signal: controller.signal }));
    await arrived;
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    const error = await pending;
    expect(error).toBeInstanceOf(DigiLockerAbortError);
    expect(error).toMatchObject({ endpoint: "files.file" });
  });

  it("undici's connect timeout → phase connect with settings.timeouts.connectMs", async () => {
    const { client, pool, sleeps } = mockClient({ timeouts: { connectMs: 1_234 } });
    const seen = alwaysError(pool, "meta.docTypes", new undiciErrors.ConnectTimeoutError());
    const error = await failure(client.meta.docTypes("000018"));
    expect(error).toBeInstanceOf(DigiLockerTimeoutError);
    expect(error).toMatchObject({ phase: "connect", timeoutMs: 1_234, endpoint: "meta.docTypes", retryable: true });
    expect(seen.hits).toBe(3);
    expect(sleeps).toEqual([100, 200]);
  });

  it("undici's headers and body timeouts map to their phases with the configured limits", async () => {
    const { client, pool } = mockClient({ retry: { maxRetries: 0 }, timeouts: { headersMs: 111, bodyMs: 222 } });
    alwaysError(pool, "account.user", new undiciErrors.HeadersTimeoutError());
    alwaysError(pool, "files.issued", new undiciErrors.BodyTimeoutError());
    await expect(client.account.user(ACCESS_TOKEN)).rejects.toMatchObject({ phase: "headers", timeoutMs: 111 });
    await expect(client.files.listIssued(ACCESS_TOKEN)).rejects.toMatchObject({ phase: "body", timeoutMs: 222 });
  });

  it("the caller's abort while waiting for headers → DigiLockerAbortError, not retried", async () => {
    const s = await server(silent);
    const { client, calls, sleeps } = realClient(s.baseUrl, { retry: { maxRetries: 2 } });
    const controller = new AbortController();
    const arrived = s.nextRequest();
    const pending = failure(client.files.listIssued(ACCESS_TOKEN, { signal: controller.signal }));
    await arrived;
    controller.abort();
    const error = await pending;
    expect(error).toBeInstanceOf(DigiLockerAbortError);
    expect(error).toMatchObject({ endpoint: "files.issued", retryable: false, message: "DigiLocker files.issued: aborted by the caller" });
    expect(s.requests).toHaveLength(1);
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expectNoSecrets(error, ALL_SECRETS);
  });

  it("the caller's abort while the body streams in → DigiLockerAbortError", async () => {
    const s = await server(stallBody);
    const { client } = realClient(s.baseUrl, { retry: { maxRetries: 2 } });
    const controller = new AbortController();
    const arrived = s.nextRequest();
    const pending = failure(client.account.user(ACCESS_TOKEN, { signal: controller.signal }));
    await arrived;
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    const error = await pending;
    expect(error).toBeInstanceOf(DigiLockerAbortError);
    expect(s.requests).toHaveLength(1);
  });

  it("an already-aborted signal sends nothing", async () => {
    const { client, pool, agent, calls } = mockClient();
    pool.intercept({ path: "/public/oauth2/1/user", method: "GET" }).reply(200, specSample("user.json"));
    const error = await failure(client.account.user(ACCESS_TOKEN, { signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(DigiLockerAbortError);
    expect(agent.pendingInterceptors()).toHaveLength(1);
    expect(calls).toMatchObject([{ attempt: 1, error: { name: "DigiLockerAbortError" } }]);
  });

  it("an abort during the backoff sleep (the client's own sleep) ends the call with DigiLockerAbortError", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    cleanup.push(() => agent.close());
    const seen = always(agent.get(ORIGIN), "account.user", 503, apiBody("unexpected_error", "x"));
    const controller = new AbortController();
    const calls: CallEvent[] = [];
    // No injected sleep: the real one, with a 30 s backoff that only the abort can cut short (the test
    // times out otherwise).
    const client = new DigiLockerClient(
      { baseUrl: BASE_URL, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 } },
      {
        dispatcher: agent,
        random: () => 0.5,
        onCall: (e) => {
          calls.push(e);
          setTimeout(() => {
            controller.abort();
          }, 5);
        },
      },
    );
    const error = await failure(client.account.user(ACCESS_TOKEN, { signal: controller.signal }));
    expect(error).toBeInstanceOf(DigiLockerAbortError);
    expect((error as Error).cause).toMatchObject({ name: "AbortError" });
    expect(seen.hits).toBe(1);
    expect(calls).toHaveLength(1);
  });

  it("an abort during an injected sleep that ignores the signal still stops before the next attempt", async () => {
    const controller = new AbortController();
    const agent = new MockAgent();
    agent.disableNetConnect();
    cleanup.push(() => agent.close());
    const seen = always(agent.get(ORIGIN), "meta.statistics", 530);
    const client = new DigiLockerClient(
      { baseUrl: BASE_URL, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      {
        dispatcher: agent,
        sleep: () => {
          controller.abort();
          return Promise.resolve();
        },
      },
    );
    const error = await failure(client.meta.statistics({ signal: controller.signal }));
    expect(error).toBeInstanceOf(DigiLockerAbortError);
    expect(seen.hits).toBe(1);
  });
});
