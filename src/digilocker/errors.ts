// One hierarchy for everything the client can throw. Messages are built only from the endpoint, the
// status and DigiLocker's code and description, with every credential scrubbed (see redact.ts).
import type { EndpointId, OperationId } from "./endpoints.js";
import { permanentServerCodes } from "./error-codes.js";

/** Statuses worth another attempt on an idempotent call; 530 is DigiLocker's own "internal error". */
const retryableStatuses: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504, 530]);

export class DigiLockerError extends Error {
  override name = "DigiLockerError";
  constructor(
    message: string,
    readonly endpoint: OperationId,
    /** Whether the same call may succeed if made again later. */
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ApiErrorInit {
  endpoint: EndpointId;
  status: number;
  /** DigiLocker's `error`, trimmed ("invalid_parameter " arrives padded); null when the body had none. */
  code: string | null;
  description: string | null;
  /** Milliseconds from a Retry-After header, when one was sent. */
  retryAfterMs?: number | null;
}

/** DigiLocker answered with an HTTP error. */
export class DigiLockerApiError extends DigiLockerError {
  override name = "DigiLockerApiError";
  readonly status: number;
  readonly code: string | null;
  readonly description: string | null;
  readonly retryAfterMs: number | null;

  constructor(init: ApiErrorInit) {
    const what = init.code ?? "no error code";
    const detail = init.description ? `: ${init.description}` : "";
    super(
      `DigiLocker ${init.endpoint} failed with HTTP ${init.status} (${what})${detail}`,
      init.endpoint,
      retryableStatuses.has(init.status) && !(init.code !== null && permanentServerCodes.has(init.code)),
    );
    this.status = init.status;
    this.code = init.code;
    this.description = init.description;
    this.retryAfterMs = init.retryAfterMs ?? null;
  }
}

/** 400: the request was refused as invalid (a bad parameter, an existing URI, a pending pull, …). */
export class BadRequestError extends DigiLockerApiError {
  override name = "BadRequestError";
}
/** The user's access token is invalid, expired or revoked (`invalid_token`): the user must sign in again. */
export class InvalidTokenError extends DigiLockerApiError {
  override name = "InvalidTokenError";
}
/** Our own client credentials were refused (`invalid_client`, `invalid_client_id`): a misconfiguration, never the user's fault. */
export class ClientCredentialsError extends DigiLockerApiError {
  override name = "ClientCredentialsError";
}
/** 403: the token lacks the scope this call needs (`insufficient_scope`). */
export class InsufficientScopeError extends DigiLockerApiError {
  override name = "InsufficientScopeError";
}
/** 404: no such folder, URI, record, Aadhaar link or DigiLocker id. */
export class NotFoundError extends DigiLockerApiError {
  override name = "NotFoundError";
}
/** 5xx, including DigiLocker's 530. */
export class UpstreamServerError extends DigiLockerApiError {
  override name = "UpstreamServerError";
}

/**
 * Picks the class for an HTTP error: by DigiLocker's code where it has a meaning of its own, else by status.
 * A meta call carries no user token, only our client id and a hash over our secret, so its 401 (the spec's
 * `invalid_client_id`, spec 1168, 1247, 1334, 1399, 1464, 1588, or one with no code) refuses our credentials.
 */
export function apiErrorFrom(init: ApiErrorInit): DigiLockerApiError {
  switch (init.code) {
    case "invalid_token":
      return new InvalidTokenError(init);
    case "invalid_client":
    case "invalid_client_id":
      return new ClientCredentialsError(init);
    case "insufficient_scope":
      return new InsufficientScopeError(init);
  }
  if (init.status === 401) return init.endpoint.startsWith("meta.") ? new ClientCredentialsError(init) : new InvalidTokenError(init);
  if (init.status === 403) return new InsufficientScopeError(init);
  if (init.status === 404) return new NotFoundError(init);
  if (init.status >= 500) return new UpstreamServerError(init);
  if (init.status >= 400 && init.status < 500) return new BadRequestError(init);
  return new DigiLockerApiError(init);
}

/** The connection failed before a complete response arrived (refused, reset, DNS, TLS). */
export class DigiLockerConnectionError extends DigiLockerError {
  override name = "DigiLockerConnectionError";
  constructor(endpoint: EndpointId, reason: string, options?: { cause?: unknown }) {
    super(`DigiLocker ${endpoint}: connection failed (${reason})`, endpoint, true, options);
  }
}

export type TimeoutPhase = "connect" | "headers" | "body" | "request";

/** A deadline passed: connecting, waiting for headers, between body chunks, or for the whole attempt. */
export class DigiLockerTimeoutError extends DigiLockerError {
  override name = "DigiLockerTimeoutError";
  constructor(
    endpoint: EndpointId,
    readonly phase: TimeoutPhase,
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(`DigiLocker ${endpoint}: timed out after ${timeoutMs} ms (${phase})`, endpoint, true, options);
  }
}

/** The caller aborted through its own signal; never retried. */
export class DigiLockerAbortError extends DigiLockerError {
  override name = "DigiLockerAbortError";
  constructor(endpoint: EndpointId, options?: { cause?: unknown }) {
    super(`DigiLocker ${endpoint}: aborted by the caller`, endpoint, false, options);
  }
}

/** A 2xx response that is not what the spec describes (not JSON, missing fields, too large). */
export class DigiLockerResponseError extends DigiLockerError {
  override name = "DigiLockerResponseError";
  constructor(
    endpoint: EndpointId,
    readonly status: number,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`DigiLocker ${endpoint} returned an unexpected response (HTTP ${status}): ${problem}`, endpoint, false, options);
  }
}

/** A file's `hmac` header is missing or does not match its bytes: the content must not be trusted. */
export class FileIntegrityError extends DigiLockerError {
  override name = "FileIntegrityError";
  constructor(
    endpoint: EndpointId,
    readonly reason: "hmac_missing" | "hmac_mismatch",
  ) {
    super(
      reason === "hmac_missing"
        ? `DigiLocker ${endpoint}: the response carries no hmac header, so its integrity cannot be checked`
        : `DigiLocker ${endpoint}: the file's HMAC-SHA256 does not match its hmac header; the content was discarded`,
      endpoint,
      false,
    );
  }
}

export interface InputIssue {
  /** Dotted path of the offending field in the method's input. */
  path: string;
  message: string;
}

/** The caller's input breaks a rule of the spec; nothing was sent. */
export class DigiLockerInputError extends DigiLockerError {
  override name = "DigiLockerInputError";
  constructor(
    endpoint: OperationId,
    readonly issues: readonly InputIssue[],
  ) {
    const list = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
    super(`Invalid input for DigiLocker ${endpoint}: ${list}`, endpoint, false);
  }
}

/** The client's own settings are invalid; thrown by the constructor, listing every problem. */
export class DigiLockerConfigError extends Error {
  override name = "DigiLockerConfigError";
  constructor(readonly issues: readonly InputIssue[]) {
    super(`Invalid DigiLocker client settings: ${issues.map((i) => `${i.path || "(settings)"}: ${i.message}`).join("; ")}`);
  }
}
