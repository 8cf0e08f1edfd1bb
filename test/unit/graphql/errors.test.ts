// toClientError: every error class the client throws → what a GraphQL client sees, and what is logged.
import { PothosValidationError } from "@pothos/core";
import { GraphQLError, parse } from "graphql";
import { describe, expect, it } from "vitest";
import {
  BadRequestError,
  ClientCredentialsError,
  DigiLockerAbortError,
  DigiLockerConnectionError,
  DigiLockerInputError,
  DigiLockerResponseError,
  DigiLockerTimeoutError,
  FileIntegrityError,
  InsufficientScopeError,
  InvalidTokenError,
  NotFoundError,
  UpstreamServerError,
  type ApiErrorInit,
} from "../../../src/digilocker/index.js";
import { toClientError } from "../../../src/graphql/errors.js";
import { requireViewer } from "../../../src/graphql/loaders.js";
import { StoreFullError } from "../../../src/store/index.js";

function logger() {
  const lines: { level: "error" | "warn"; fields: Record<string, unknown>; message: string }[] = [];
  return {
    lines,
    error: (fields: Record<string, unknown>, message: string) => { lines.push({ level: "error", fields, message }); },
    warn: (fields: Record<string, unknown>, message: string) => { lines.push({ level: "warn", fields, message }); },
  };
}

const api = (over: Partial<ApiErrorInit> & Pick<ApiErrorInit, "status" | "code">): ApiErrorInit => ({
  endpoint: "files.issued",
  description: null,
  ...over,
});

/** What yoga hands to maskError: the error a resolver threw, wrapped with where it happened. */
function located(original: Error): GraphQLError {
  const document = parse("{ viewer { name } }");
  return new GraphQLError(original.message, { originalError: original, path: ["viewer", "name"], source: document.loc?.source, positions: [11] });
}

describe("toClientError", () => {
  it("turns invalid_token into UNAUTHENTICATED: the user must sign in again", () => {
    const log = logger();
    const error = toClientError(new InvalidTokenError(api({ status: 401, code: "invalid_token", description: "The access token is invalid" })), log);
    expect(error.message).toBe("The DigiLocker access token is invalid or expired: sign in again");
    expect(error.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "invalid_token", upstream: { endpoint: "files.issued", status: 401 } });
    expect(log.lines).toEqual([]);
  });

  it("turns our own refused credentials into INTERNAL_SERVER_ERROR, logged loudly, never blamed on the user", () => {
    const log = logger();
    const original = new ClientCredentialsError(
      api({ endpoint: "meta.issuers", status: 401, code: "invalid_client_id", description: "The client_id parameter is invalid" }),
    );
    const error = toClientError(original, log);
    expect(error.extensions).toMatchObject({ code: "INTERNAL_SERVER_ERROR", reason: "gateway_credentials_rejected" });
    expect(error.extensions).not.toHaveProperty("upstream");
    expect(error.message).not.toContain("client_id");
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatchObject({ level: "error", fields: { endpoint: "meta.issuers", upstreamCode: "invalid_client_id" } });
    expect(log.lines[0]!.message).toContain("DIGILOCKER_CLIENT_SECRET");
  });

  it.each([
    ["HMAC parameter is missing or invalid", "gateway_credentials_rejected", "DIGILOCKER_CLIENT_SECRET"],
    ["Timestamp parameter is missing or invalid", "gateway_clock_rejected", "DIGILOCKER_TS_CONVENTION"],
  ])("treats a meta call's invalid_parameter %j as our misconfiguration (%s)", (description, reason, hint) => {
    const log = logger();
    const original = new BadRequestError(api({ endpoint: "meta.statistics", status: 400, code: "invalid_parameter", description }));
    const error = toClientError(original, log);
    expect(error.message).toBe("The gateway is misconfigured; the operator has been alerted");
    expect(error.extensions).toEqual({ code: "INTERNAL_SERVER_ERROR", reason });
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]!.message).toContain(hint);
  });

  it("leaves a meta invalid_parameter about the caller's own value as a rejection, not a misconfiguration", () => {
    const original = new BadRequestError(
      api({ endpoint: "meta.docTypes", status: 400, code: "invalid_parameter", description: "The orgid parameter is missing or invalid" }),
    );
    expect(toClientError(original, logger()).extensions).toMatchObject({ code: "UPSTREAM_REJECTED", reason: "invalid_parameter" });
  });

  it("turns a malformed global id into BAD_USER_INPUT", () => {
    const error = toClientError(located(new PothosValidationError("Invalid global ID: nope")), logger());
    expect(error.extensions).toEqual({ code: "BAD_USER_INPUT" });
    expect(error.message).toBe("Invalid global ID: nope");
    expect(error.path).toEqual(["viewer", "name"]);
  });

  it("turns insufficient_scope into FORBIDDEN naming the scope the endpoint needs", () => {
    const cases = [
      ["account.user", "userdetails"],
      ["files.issued", "files.issueddocs"],
      ["files.uploaded", "files.uploadeddocs"],
    ] as const;
    for (const [endpoint, scope] of cases) {
      const error = toClientError(new InsufficientScopeError(api({ endpoint, status: 403, code: "insufficient_scope" })), logger());
      expect(error.message).toBe(`The user did not grant the "${scope}" scope this field needs`);
      expect(error.extensions).toMatchObject({ code: "FORBIDDEN", reason: "insufficient_scope", scope });
    }
    const push = toClientError(new InsufficientScopeError(api({ endpoint: "meta.pushUri", status: 403, code: "insufficient_scope" })), logger());
    expect(push.extensions).toMatchObject({ code: "FORBIDDEN", scope: undefined });
    expect(push.message).toBe("The access token lacks the scope this field needs");
  });

  it("turns a 404 into NOT_FOUND with DigiLocker's code, in the gateway's own words", () => {
    const folder = toClientError(
      new NotFoundError(api({ endpoint: "files.uploaded", status: 404, code: "invalid_id", description: "<script>echo of the request</script>" })),
      logger(),
    );
    expect(folder.message).toBe("No folder with this id in the user's DigiLocker");
    expect(folder.extensions).toMatchObject({ code: "NOT_FOUND", reason: "invalid_id" });
    const cases: [string, string][] = [
      ["invalid_uri", "No file in DigiLocker has this URI"],
      ["aadhaar_not_linked", "The user has not linked Aadhaar to their DigiLocker account"],
      ["record_not_found", "The issuer found no record matching these details: check them and try again"],
      ["invalid_digilocker_id", "No DigiLocker account has this DigiLocker id"],
      ["some_new_code", "Not found in DigiLocker"],
    ];
    for (const [code, message] of cases) {
      const error = toClientError(new NotFoundError(api({ status: 404, code, description: "upstream's own text" })), logger());
      expect(error.message).toBe(message);
    }
    const bare = toClientError(new NotFoundError(api({ status: 404, code: null })), logger());
    expect(bare.message).toBe("Not found in DigiLocker");
  });

  it("turns a full memory store into SERVICE_UNAVAILABLE, retryable, and warns the operator", () => {
    const log = logger();
    const error = toClientError(new StoreFullError("consent", 3), log);
    expect(error.message).toBe("Too many are in progress right now; try again in a minute");
    expect(error.extensions).toEqual({ code: "SERVICE_UNAVAILABLE", reason: "store_full", retryable: true });
    expect(log.lines).toEqual([{ level: "warn", fields: { store: "consent", max: 3 }, message: "the memory store is full: a record was refused" }]);
  });

  it("turns a refused input into BAD_USER_INPUT with its issues", () => {
    const issues = [{ path: "folderId", message: "folderId must be a non-empty identifier" }];
    const error = toClientError(new DigiLockerInputError("files.uploaded", issues), logger());
    expect(error.extensions).toEqual({ code: "BAD_USER_INPUT", issues });
  });

  it("turns outages (connection, timeout, 5xx, 530) into UPSTREAM_UNAVAILABLE, logged as a warning", () => {
    const outages = [
      new DigiLockerConnectionError("files.issued", "ECONNREFUSED"),
      new DigiLockerTimeoutError("files.issued", "headers", 5000),
      new UpstreamServerError(api({ status: 530, code: "unexpected_error", description: "Internal server error" })),
      new UpstreamServerError(api({ endpoint: "meta.issuers", status: 500, code: null })),
    ];
    for (const original of outages) {
      const log = logger();
      const error = toClientError(original, log);
      expect(error.message).toBe("DigiLocker is not answering right now; try again shortly");
      expect(error.extensions).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", retryable: true, upstream: { endpoint: original.endpoint } });
      expect(log.lines.map((l) => l.level)).toEqual(["warn"]);
    }
  });

  it("turns a response that fails validation into UPSTREAM_INVALID_RESPONSE, without the details", () => {
    for (const original of [
      new FileIntegrityError("files.file", "hmac_mismatch"),
      new DigiLockerResponseError("files.issued", 200, "items.0.uri: uri is empty"),
    ]) {
      const log = logger();
      const error = toClientError(original, log);
      expect(error.message).toBe("DigiLocker sent a response that failed validation");
      expect(error.extensions).toMatchObject({ code: "UPSTREAM_INVALID_RESPONSE" });
      expect(JSON.stringify(error.toJSON())).not.toContain(original.message);
      expect(log.lines[0]).toMatchObject({ level: "error", fields: { problem: original.message } });
    }
  });

  it("turns any other refusal into UPSTREAM_REJECTED with DigiLocker's code", () => {
    const error = toClientError(
      new BadRequestError(api({ endpoint: "pull.document", status: 400, code: "uri_exists", description: "This document already exists in your Issued Documents." })),
      logger(),
    );
    expect(error.message).toBe("This document already exists in your Issued Documents.");
    expect(error.extensions).toMatchObject({ code: "UPSTREAM_REJECTED", reason: "uri_exists", upstream: { status: 400 } });
  });

  it("masks what it cannot map, logging the original", () => {
    for (const original of [new Error("db password is hunter2"), new DigiLockerAbortError("files.issued"), "a string"]) {
      const log = logger();
      const error = toClientError(original, log);
      expect(error.message).toBe("Unexpected error");
      expect(error.extensions).toEqual({ code: "INTERNAL_SERVER_ERROR" });
      expect(log.lines).toHaveLength(1);
      expect(log.lines[0]!.fields).toEqual({ err: original });
    }
  });

  it("passes the gateway's own GraphQLErrors through", () => {
    let thrown: unknown;
    try {
      requireViewer(null);
    } catch (error) {
      thrown = error;
    }
    const error = toClientError(thrown, logger());
    expect(error).toBe(thrown);
    expect(error.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "missing_token" });
  });

  it("keeps the path and locations of the field that failed", () => {
    const scope = located(new InsufficientScopeError(api({ endpoint: "account.user", status: 403, code: "insufficient_scope" })));
    const error = toClientError(scope, logger());
    expect(error.path).toEqual(["viewer", "name"]);
    expect(error.locations).toEqual([{ line: 1, column: 12 }]);
    expect(error.extensions).toMatchObject({ code: "FORBIDDEN", scope: "userdetails" });
    // The DigiLocker error itself is not carried along.
    expect(error.originalError).toBeUndefined();

    const ours = located(new GraphQLError("Sign in first", { extensions: { code: "UNAUTHENTICATED" } }));
    const passed = toClientError(ours, logger());
    expect(passed.path).toEqual(["viewer", "name"]);
    expect(passed.extensions).toEqual({ code: "UNAUTHENTICATED" });

    const masked = toClientError(located(new Error("boom")), logger());
    expect(masked.path).toEqual(["viewer", "name"]);
    expect(masked.message).toBe("Unexpected error");
  });
});
