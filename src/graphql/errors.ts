// What a GraphQL client sees when DigiLocker fails: a code to switch on and a message to act on, mapped by
// endpoint and DigiLocker code, never by status alone. Never a secret, a token or a raw upstream body.
import { GraphQLError } from "graphql";
import {
  ClientCredentialsError,
  DigiLockerApiError,
  DigiLockerConnectionError,
  DigiLockerError,
  DigiLockerInputError,
  DigiLockerResponseError,
  DigiLockerTimeoutError,
  FileIntegrityError,
  InsufficientScopeError,
  InvalidTokenError,
  NotFoundError,
  type OperationId,
} from "../digilocker/index.js";

export interface ErrorLogger {
  error(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

/** The scope each user endpoint needs (docs/spec-assumptions.md, sandbox row 31). */
const scopeFor: Partial<Record<OperationId, string>> = {
  "account.user": "userdetails",
  "files.uploaded": "files.uploadeddocs",
  "files.upload": "files.uploadeddocs",
  "files.issued": "files.issueddocs",
  "files.file": "files.issueddocs",
  "files.xml": "files.issueddocs",
  "files.eaadhaar": "files.issueddocs",
  "pull.document": "partners.<DOCTYPE>",
};

/**
 * Turns an error thrown inside a resolver into what the client may see. GraphQLErrors we raised
 * ourselves pass through; DigiLocker failures are translated; anything else is masked.
 */
export function toClientError(error: unknown, log: ErrorLogger): GraphQLError {
  // Yoga hands over the GraphQLError that wraps what a resolver threw; parse and validation errors wrap nothing.
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (original instanceof GraphQLError) return original;
  if (!(original instanceof DigiLockerError)) {
    log.error({ err: original }, "unexpected resolver error");
    return unexpected();
  }
  const upstream = { endpoint: original.endpoint, ...(original instanceof DigiLockerApiError ? { status: original.status, upstreamCode: original.code } : {}) };
  if (original instanceof ClientCredentialsError) {
    // Our own client id or secret was refused: an operator must fix the configuration; the user cannot.
    log.error(upstream, "DigiLocker refused this gateway's client credentials: check DIGILOCKER_CLIENT_ID and DIGILOCKER_CLIENT_SECRET");
    return new GraphQLError("The gateway is misconfigured; the operator has been alerted", {
      extensions: { code: "INTERNAL_SERVER_ERROR", reason: "gateway_credentials_rejected" },
    });
  }
  if (original instanceof InvalidTokenError) {
    return new GraphQLError("The DigiLocker access token is invalid or expired: sign in again", {
      extensions: { code: "UNAUTHENTICATED", reason: "invalid_token", upstream },
    });
  }
  if (original instanceof InsufficientScopeError) {
    const scope = scopeFor[original.endpoint];
    return new GraphQLError(
      scope ? `The user did not grant the "${scope}" scope this field needs` : "The access token lacks the scope this field needs",
      { extensions: { code: "FORBIDDEN", reason: "insufficient_scope", scope, upstream } },
    );
  }
  if (original instanceof NotFoundError) {
    return new GraphQLError(original.description ?? "Not found in DigiLocker", {
      extensions: { code: "NOT_FOUND", reason: original.code, upstream },
    });
  }
  if (original instanceof DigiLockerInputError) {
    return new GraphQLError(original.message, { extensions: { code: "BAD_USER_INPUT", issues: original.issues } });
  }
  if (
    original instanceof DigiLockerConnectionError ||
    original instanceof DigiLockerTimeoutError ||
    (original instanceof DigiLockerApiError && original.status >= 500)
  ) {
    log.warn(upstream, "DigiLocker unavailable");
    return new GraphQLError("DigiLocker is not answering right now; try again shortly", {
      extensions: { code: "UPSTREAM_UNAVAILABLE", retryable: original.retryable, upstream },
    });
  }
  if (original instanceof FileIntegrityError || original instanceof DigiLockerResponseError) {
    log.error({ ...upstream, problem: original.message }, "DigiLocker sent a response the gateway cannot trust");
    return new GraphQLError("DigiLocker sent a response that failed validation", {
      extensions: { code: "UPSTREAM_INVALID_RESPONSE", upstream },
    });
  }
  if (original instanceof DigiLockerApiError) {
    return new GraphQLError(original.description ?? "DigiLocker refused the request", {
      extensions: { code: "UPSTREAM_REJECTED", reason: original.code, upstream },
    });
  }
  log.error({ err: original }, "unmapped DigiLocker error");
  return unexpected();
}

function unexpected(): GraphQLError {
  return new GraphQLError("Unexpected error", { extensions: { code: "INTERNAL_SERVER_ERROR" } });
}
