import { describe, expect, it } from "vitest";
import {
  apiErrorFrom,
  BadRequestError,
  ClientCredentialsError,
  DigiLockerAbortError,
  DigiLockerApiError,
  DigiLockerConfigError,
  DigiLockerConnectionError,
  DigiLockerError,
  DigiLockerInputError,
  DigiLockerResponseError,
  DigiLockerTimeoutError,
  FileIntegrityError,
  InsufficientScopeError,
  InvalidTokenError,
  NotFoundError,
  UpstreamServerError,
  type ApiErrorInit,
} from "../../../src/digilocker/errors.js";

const init = (status: number, code: string | null, over: Partial<ApiErrorInit> = {}): ApiErrorInit => ({
  endpoint: "files.issued",
  status,
  code,
  description: null,
  ...over,
});

describe("apiErrorFrom: the class is chosen by DigiLocker's code first, then by status", () => {
  it.each([
    // code decides, whatever the status
    [401, "invalid_token", InvalidTokenError],
    [400, "invalid_token", InvalidTokenError],
    [400, "invalid_client", ClientCredentialsError],
    [401, "invalid_client", ClientCredentialsError],
    [401, "invalid_client_id", ClientCredentialsError], // meta APIs: our credentials, not the user's token
    [403, "insufficient_scope", InsufficientScopeError],
    [400, "insufficient_scope", InsufficientScopeError],
    // otherwise the status
    [401, null, InvalidTokenError],
    [401, "something_new", InvalidTokenError],
    [403, null, InsufficientScopeError],
    [404, "invalid_uri", NotFoundError],
    [404, "aadhaar_not_linked", NotFoundError],
    [404, null, NotFoundError],
    [400, "aadhaar_not_linked", BadRequestError],
    [400, "pull_response_pending", BadRequestError],
    [400, null, BadRequestError],
    [409, null, BadRequestError],
    [429, null, BadRequestError],
    [500, "unexpected_error", UpstreamServerError],
    [500, "repository_service_configerror", UpstreamServerError],
    [502, null, UpstreamServerError],
    [530, "partner_service_unresponsive", UpstreamServerError],
    [599, null, UpstreamServerError],
    // outside 4xx/5xx (a redirect the dispatcher did not follow)
    [302, null, DigiLockerApiError],
  ] as const)("HTTP %i with code %j → %o", (status, code, cls) => {
    const error = apiErrorFrom(init(status, code));
    expect(error.constructor).toBe(cls);
    expect(error).toBeInstanceOf(DigiLockerApiError);
    expect(error.name).toBe(cls.name);
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(error.endpoint).toBe("files.issued");
  });

  // Meta calls carry our client id and a hash over our secret, never a user token (spec 1096-1100): their 401 is
  // "invalid_client_id | The client_id parameter is invalid | 401" (spec 1168, 1247, 1334, 1399, 1464, 1588).
  const metaEndpoints = [
    "meta.issuers",
    "meta.docTypes",
    "meta.parameters",
    "meta.verifyAccount",
    "meta.pushUri",
    "meta.statistics",
  ] as const;
  it.each(metaEndpoints.flatMap((endpoint) => [null, "invalid_client_id", "something_new"].map((code) => [endpoint, code] as const)))(
    "%s: HTTP 401 with code %j → ClientCredentialsError (our credentials, not the user's token)",
    (endpoint, code) => {
      const error = apiErrorFrom(init(401, code, { endpoint }));
      expect(error.constructor).toBe(ClientCredentialsError);
      expect(error).toMatchObject({ name: "ClientCredentialsError", endpoint, status: 401, code, retryable: false });
    },
  );

  it.each([
    "account.user",
    "files.uploaded",
    "files.issued",
    "files.file",
    "files.xml",
    "files.eaadhaar",
    "files.upload",
    "pull.document",
    "oauth.tokenV1",
    "oauth.tokenV2",
    "oauth.refresh",
  ] as const)("%s: HTTP 401 without a code is still an InvalidTokenError", (endpoint) => {
    const error = apiErrorFrom(init(401, null, { endpoint }));
    expect(error.constructor).toBe(InvalidTokenError);
    expect(error).toMatchObject({ endpoint, status: 401, code: null });
  });

  it("matches codes exactly (the transport trims them first)", () => {
    expect(apiErrorFrom(init(400, "INVALID_TOKEN"))).toBeInstanceOf(BadRequestError);
    expect(apiErrorFrom(init(400, "invalid_token "))).toBeInstanceOf(BadRequestError);
  });

  it("keeps status, code, description and Retry-After", () => {
    const error = apiErrorFrom(init(503, "unexpected_error", { description: "Internal server error", retryAfterMs: 4_000 }));
    expect(error).toMatchObject({
      status: 503,
      code: "unexpected_error",
      description: "Internal server error",
      retryAfterMs: 4_000,
      endpoint: "files.issued",
    });
    expect(apiErrorFrom(init(500, null)).retryAfterMs).toBeNull();
  });
});

describe("messages", () => {
  it("names the endpoint, status, code and description", () => {
    const error = apiErrorFrom({
      endpoint: "files.issued",
      status: 530,
      code: "partner_service_unresponsive",
      description: "Internal server error",
    });
    expect(error.message).toBe(
      "DigiLocker files.issued failed with HTTP 530 (partner_service_unresponsive): Internal server error",
    );
    expect(String(error)).toBe(`UpstreamServerError: ${error.message}`);
  });

  it("says when there was no code or description", () => {
    expect(apiErrorFrom(init(502, null)).message).toBe("DigiLocker files.issued failed with HTTP 502 (no error code)");
  });

  it("describes transport failures", () => {
    expect(new DigiLockerConnectionError("account.user", "ECONNREFUSED").message).toBe(
      "DigiLocker account.user: connection failed (ECONNREFUSED)",
    );
    const timeout = new DigiLockerTimeoutError("meta.issuers", "headers", 15_000);
    expect(timeout.message).toBe("DigiLocker meta.issuers: timed out after 15000 ms (headers)");
    expect(timeout).toMatchObject({ phase: "headers", timeoutMs: 15_000, endpoint: "meta.issuers" });
    expect(new DigiLockerAbortError("pull.document").message).toBe("DigiLocker pull.document: aborted by the caller");
    const response = new DigiLockerResponseError("account.user", 200, "the body is not valid JSON");
    expect(response.message).toBe(
      "DigiLocker account.user returned an unexpected response (HTTP 200): the body is not valid JSON",
    );
    expect(response).toMatchObject({ status: 200, problem: "the body is not valid JSON" });
    expect(new FileIntegrityError("files.file", "hmac_mismatch")).toMatchObject({
      reason: "hmac_mismatch",
      message: "DigiLocker files.file: the file's HMAC-SHA256 does not match its hmac header; the content was discarded",
    });
    expect(new FileIntegrityError("files.xml", "hmac_missing").message).toBe(
      "DigiLocker files.xml: the response carries no hmac header, so its integrity cannot be checked",
    );
  });

  it("lists every input issue", () => {
    const error = new DigiLockerInputError("pull.document", [
      { path: "docType", message: "docType is DigiLocker's 5-character document type" },
      { path: "", message: "consent must be true" },
    ]);
    expect(error.message).toBe(
      "Invalid input for DigiLocker pull.document: docType: docType is DigiLocker's 5-character document type; consent must be true",
    );
    expect(error.issues).toHaveLength(2);
  });

  it("lists every settings issue", () => {
    const error = new DigiLockerConfigError([
      { path: "baseUrl", message: "bad" },
      { path: "", message: "not an object" },
    ]);
    expect(error.message).toBe("Invalid DigiLocker client settings: baseUrl: bad; (settings): not an object");
  });

  it("keeps the cause", () => {
    const cause = new Error("socket hang up");
    expect(new DigiLockerConnectionError("account.user", "UND_ERR_SOCKET", { cause }).cause).toBe(cause);
    expect(new DigiLockerTimeoutError("account.user", "body", 1, { cause }).cause).toBe(cause);
    expect(new DigiLockerAbortError("account.user", { cause }).cause).toBe(cause);
  });
});

describe("retryable", () => {
  it.each([408, 429, 500, 502, 503, 504, 530])("HTTP %i is retryable", (status) => {
    expect(apiErrorFrom(init(status, null)).retryable).toBe(true);
    expect(apiErrorFrom(init(status, "unexpected_error")).retryable).toBe(true);
  });

  it.each([400, 401, 403, 404, 405, 409, 413, 422, 501, 505])("HTTP %i is not retryable", (status) => {
    expect(apiErrorFrom(init(status, null)).retryable).toBe(false);
  });

  it("repository_service_configerror is permanent even as a 500", () => {
    expect(apiErrorFrom(init(500, "repository_service_configerror")).retryable).toBe(false);
  });

  it("a 401 invalid_token is never retryable", () => {
    expect(apiErrorFrom(init(401, "invalid_token")).retryable).toBe(false);
  });

  it("connection failures and timeouts are retryable; aborts, bad bodies, integrity and input errors are not", () => {
    expect(new DigiLockerConnectionError("account.user", "ECONNRESET").retryable).toBe(true);
    for (const phase of ["connect", "headers", "body", "request"] as const) {
      expect(new DigiLockerTimeoutError("account.user", phase, 1).retryable).toBe(true);
    }
    expect(new DigiLockerAbortError("account.user").retryable).toBe(false);
    expect(new DigiLockerResponseError("account.user", 200, "x").retryable).toBe(false);
    expect(new FileIntegrityError("files.file", "hmac_mismatch").retryable).toBe(false);
    expect(new DigiLockerInputError("account.user", []).retryable).toBe(false);
  });
});

describe("hierarchy", () => {
  it("InvalidTokenError instanceof DigiLockerApiError instanceof DigiLockerError instanceof Error", () => {
    const error = apiErrorFrom(init(401, "invalid_token"));
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect(error).toBeInstanceOf(DigiLockerApiError);
    expect(error).toBeInstanceOf(DigiLockerError);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(BadRequestError);
  });

  it.each([
    ["BadRequestError", apiErrorFrom(init(400, null)), DigiLockerApiError],
    ["InvalidTokenError", apiErrorFrom(init(401, null)), DigiLockerApiError],
    ["ClientCredentialsError", apiErrorFrom(init(401, "invalid_client_id")), DigiLockerApiError],
    ["InsufficientScopeError", apiErrorFrom(init(403, null)), DigiLockerApiError],
    ["NotFoundError", apiErrorFrom(init(404, null)), DigiLockerApiError],
    ["UpstreamServerError", apiErrorFrom(init(530, null)), DigiLockerApiError],
    ["DigiLockerApiError", apiErrorFrom(init(302, null)), DigiLockerError],
    ["DigiLockerConnectionError", new DigiLockerConnectionError("account.user", "x"), DigiLockerError],
    ["DigiLockerTimeoutError", new DigiLockerTimeoutError("account.user", "connect", 1), DigiLockerError],
    ["DigiLockerAbortError", new DigiLockerAbortError("account.user"), DigiLockerError],
    ["DigiLockerResponseError", new DigiLockerResponseError("account.user", 200, "x"), DigiLockerError],
    ["FileIntegrityError", new FileIntegrityError("files.file", "hmac_missing"), DigiLockerError],
    ["DigiLockerInputError", new DigiLockerInputError("oauth.authorize", []), DigiLockerError],
  ] as const)("%s has its name and extends %o", (name, error, parent) => {
    expect(error.name).toBe(name);
    expect(error.constructor.name).toBe(name);
    expect(error).toBeInstanceOf(parent);
    expect(error).toBeInstanceOf(DigiLockerError);
    expect(error).toBeInstanceOf(Error);
    expect(String(error).startsWith(`${name}: DigiLocker`) || String(error).startsWith(`${name}: Invalid input`)).toBe(true);
  });

  it("DigiLockerConfigError is a plain Error (thrown before any endpoint is involved)", () => {
    const error = new DigiLockerConfigError([{ path: "clientId", message: "clientId is required" }]);
    expect(error.name).toBe("DigiLockerConfigError");
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(DigiLockerError);
  });
});
