// What a GraphQL client sees when DigiLocker fails: a code to switch on and a message to act on, mapped by
// endpoint and DigiLocker code, never by status alone. Never a secret, a token or a raw upstream body.
import { PothosValidationError } from "@pothos/core";
import { SessionEndedError } from "../auth/sessions.js";
import { StoreFullError, StoreUnavailableError } from "../store/index.js";
import { SealedSecretUnreadable } from "../tenants/credential-sealing.js";
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

/**
 * What an operator must hear about one error: our bug or misconfiguration (error), DigiLocker failing (warn); the
 * client's own mistakes are not reported. Fields hold endpoints, codes and our own words, never what the client
 * sent (an unexpected error goes as `err`, scrubbed where it is written). toClientError sees one error without its
 * request: src/server/error-log.ts collects these and writes one line per request.
 */
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
};

/**
 * NOT_FOUND in the gateway's own words, by DigiLocker's documented 404 code: a description upstream sent is never
 * shown (it is not ours to vouch for, and may echo what was asked).
 */
const notFoundMessages: Record<string, string> = {
  invalid_uri: "No file in DigiLocker has this URI",
  invalid_id: "No folder with this id in the user's DigiLocker",
  aadhaar_not_linked: "The user has not linked Aadhaar to their DigiLocker account",
  aadhaar_not_available: "DigiLocker has no Aadhaar data for this user: they need to complete Aadhaar eKYC in DigiLocker again",
  record_not_found: "The issuer found no record matching these details: check them and try again",
  invalid_digilocker_id: "No DigiLocker account has this DigiLocker id",
};

/**
 * Turns an error thrown inside a resolver into what the client may see. GraphQLErrors we raised
 * ourselves pass through; DigiLocker failures are translated; anything else is masked.
 */
export function toClientError(error: unknown, log: ErrorLogger): GraphQLError {
  const mapped = translate(error, log);
  // Keep where the error happened (path, locations): a client must know which field failed.
  if (error instanceof GraphQLError && mapped !== error && (error.path !== undefined || error.nodes !== undefined)) {
    return new GraphQLError(mapped.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      extensions: mapped.extensions,
    });
  }
  return mapped;
}

function translate(error: unknown, log: ErrorLogger): GraphQLError {
  // Yoga hands over the GraphQLError that wraps what a resolver threw; parse and validation errors wrap nothing.
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  // Pothos refuses a malformed global id (node(id), folder(id)): the caller's to fix. (It is a GraphQLError
  // without a code, so it is checked before ours pass through.)
  if (original instanceof PothosValidationError) {
    return new GraphQLError(original.message, { extensions: { code: "BAD_USER_INPUT" } });
  }
  if (original instanceof GraphQLError) {
    // graphql-js and graphql-jit report what the caller sent wrong before any field runs (a variable of the wrong
    // type or missing, an operation type the schema lacks) as GraphQLErrors without a code or a path; graphql-jit's
    // have no extensions at all, whatever GraphQLError's type says.
    const extensions = original.extensions as GraphQLError["extensions"] | undefined;
    if (extensions?.code === undefined && original.path === undefined) {
      return new GraphQLError(original.message, {
        nodes: original.nodes,
        source: original.source,
        positions: original.positions,
        extensions: { ...extensions, code: "BAD_USER_INPUT" },
      });
    }
    return original;
  }
  if (original instanceof SessionEndedError) {
    // The one code a client needs: sign in again (startSignIn, or /auth/sign-in).
    return new GraphQLError(original.message, { extensions: { code: "UNAUTHENTICATED", reason: "session_expired", cause: original.reason } });
  }
  if (original instanceof StoreFullError) {
    log.warn({ store: original.partition, max: original.maxEntries }, "the memory store is full: a record was refused");
    return new GraphQLError("Too many are in progress right now; try again in a minute", {
      extensions: { code: "SERVICE_UNAVAILABLE", reason: "store_full", retryable: true },
    });
  }
  if (original instanceof StoreUnavailableError) {
    log.error({ problem: original.message }, "the session store is unavailable: check REDIS_URL");
    return new GraphQLError("Sessions are unavailable right now; try again shortly", {
      extensions: { code: "SERVICE_UNAVAILABLE", reason: "session_store_unavailable", retryable: true },
    });
  }
  if (original instanceof SealedSecretUnreadable) {
    // The partner's own credentials (docs/tenants.md) do not open: nothing was sent, and never with the gateway's instead.
    log.error({ partner: original.partnerId, keyId: original.keyId, reason: original.reason }, "a partner's DigiLocker client secret cannot be read");
    return new GraphQLError(
      "This partner's DigiLocker client secret cannot be read by the gateway (the key it was encrypted with is no longer configured, or the stored value is damaged), so DigiLocker was not called; the gateway's own credentials are never used in its place. Set the credentials again with updateDigiLockerCredentials, or ask the gateway's operator to restore the key.",
      { extensions: { code: "SERVICE_UNAVAILABLE", reason: "partner_credentials_unreadable" } },
    );
  }
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
  const misconfiguration = ownRequestRejected(original);
  if (misconfiguration !== null) {
    log.error({ ...upstream, description: original instanceof DigiLockerApiError ? original.description : null }, misconfiguration.log);
    return new GraphQLError("The gateway is misconfigured; the operator has been alerted", {
      extensions: { code: "INTERNAL_SERVER_ERROR", reason: misconfiguration.reason },
    });
  }
  if (original instanceof InvalidTokenError) {
    return new GraphQLError("The DigiLocker access token is invalid or expired: sign in again", {
      extensions: { code: "UNAUTHENTICATED", reason: "invalid_token", upstream },
    });
  }
  if (original instanceof InsufficientScopeError) {
    // Pull's scope is `partners.<doctype>`, and this error does not say which doctype: pullDocument answers its own
    // refusal (ConsentScopeMissing, naming the scope); anything else gets a sentence without a made-up scope.
    const scope = scopeFor[original.endpoint];
    const pull = "The user did not allow this application to pull that document type: ask them to sign in again and allow it";
    return new GraphQLError(
      scope
        ? `The user did not grant the "${scope}" scope this field needs`
        : original.endpoint === "pull.document"
          ? pull
          : "The access token lacks the scope this field needs",
      { extensions: { code: "FORBIDDEN", reason: "insufficient_scope", scope, upstream } },
    );
  }
  if (original instanceof NotFoundError) {
    return new GraphQLError((original.code === null ? undefined : notFoundMessages[original.code]) ?? "Not found in DigiLocker", {
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

/**
 * A meta call's `invalid_parameter` about the hash or the timestamp: the gateway signed the request
 * itself, so the cause is our secret or our clock (or `ts` convention), never the user's input.
 */
function ownRequestRejected(error: DigiLockerError): { reason: string; log: string } | null {
  if (!(error instanceof DigiLockerApiError) || error.code !== "invalid_parameter" || !error.endpoint.startsWith("meta.")) {
    return null;
  }
  const text = error.description ?? "";
  if (/hmac/i.test(text)) {
    return {
      reason: "gateway_credentials_rejected",
      log: "DigiLocker rejected the meta hash: check DIGILOCKER_CLIENT_SECRET",
    };
  }
  if (/timestamp/i.test(text)) {
    return {
      reason: "gateway_clock_rejected",
      log: "DigiLocker rejected the meta ts: check this machine's clock and DIGILOCKER_TS_CONVENTION",
    };
  }
  return null;
}

/**
 * The error as the client gets it, with the request's id in its extensions: the id an operator looks up in the log.
 * A copy: an error may be shared between requests (yoga caches parse and validation errors).
 */
export function withRequestId(error: GraphQLError, requestId: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, requestId },
  });
}

function unexpected(): GraphQLError {
  return new GraphQLError("Unexpected error", { extensions: { code: "INTERNAL_SERVER_ERROR" } });
}
