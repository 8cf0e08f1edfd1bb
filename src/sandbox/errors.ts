// The spec's error answers as the sandbox sends them. Written from the spec's tables, apart from the
// client's copy on purpose: a wrong status in one must not hide behind the same mistake in the other.
// Every answer a spec table prints, real or injected as a fault, comes from the rows below: both carry its texts.
import { dlError, type Reply } from "./http.js";
import type { EndpointId } from "./settings.js";

/** One row of a spec error table: the code, its HTTP status and its error_description as printed. */
export interface SpecError {
  code: string;
  status: number;
  description: string;
}

const INTERNAL = "Internal server error";
const row = (code: string, status: number, description: string): SpecError => ({ code, status, description });

const uploadDescriptions = {
  path_missing: "Path parameter is missing",
  contenttype_missing: "Content-Type parameter is missing",
  hmac_missing: "HMAC parameter is missing",
  filename_missing: "Filename is missing in path parameter",
  hmac_mismatch: "HMAC does not match",
  invalid_filename: "Restricted characters (\\ / : * ? < > ' ^ and ~) are not allowed in file name",
  invalid_filesize: "The file size exceeds maximum allowed file size of 10MB",
  invalid_filetype: "The file type is not allowed",
  invalid_path: "The destination folder does not exist",
  file_data_missing: "Missing file content in the request",
  mimetype_mismatch: "The mimetype provided in Content-Type parameter does not match with the mimetype of the file",
} as const;
export type UploadErrorCode = keyof typeof uploadDescriptions;

const rows = {
  invalidToken: row("invalid_token", 401, "The access token is invalid"),
  insufficientScope: row("insufficient_scope", 403, "The request requires higher privileges than provided by the access token"),
  /** `unexpected_error` is 530 on account and file routes (spec 521, 631, 734, 920, 994), 500 elsewhere. */
  unexpected530: row("unexpected_error", 530, INTERNAL),
  unexpected500: row("unexpected_error", 500, INTERNAL),
  // Token routes (spec 388-392: the Refresh Access Token table, the only one printed for /oauth2/1/token).
  invalidClient: row("invalid_client", 400, "The client credentials are invalid"),
  invalidGrant: row("invalid_grant", 400, "The refresh token is invalid"),
  invalidGrantType: row("invalid_grant_type", 400, "The grant_type parameter is invalid"),
  // File routes (spec 627-631, 796-802, 858-864, 914-921).
  invalidId: row("invalid_id", 404, "The folder does not exist"),
  uriMissing: row("uri_missing", 400, "URI parameter missing"),
  invalidUri: row("invalid_uri", 404, "No file found for given URI"),
  partnerUnresponsive: row("partner_service_unresponsive", 530, INTERNAL),
  respperror: row("repository_service_respperror", 530, INTERNAL),
  resperror: row("repository_service_resperror", 530, INTERNAL),
  repositoryException: row("repository_service_exception", 530, INTERNAL),
  internalServerError: row("internal_server_error", 530, INTERNAL),
  aadhaarNotLinkedEaadhaar: row("aadhaar_not_linked", 404, "Aadhaar is not linked to the account"),
  aadhaarNotAvailable: row(
    "aadhaar_not_available",
    404,
    "Aadhaar data is not available for this user. Please perform Aadhaar eKYC again.",
  ),
  // Pull Document (spec 1066-1078).
  invalidOrgId: row("invalid_orgid", 400, "The orgid parameter is missing or invalid"),
  invalidDocType: row("invalid_doctype", 400, "The doctype parameter is missing or invalid"),
  configError: row("repository_service_configerror", 500, "The issuer service is not available. Please contact DigiLocker support."),
  pullPending: row(
    "pull_response_pending",
    400,
    "The details provided above do not exactly match with the details on the certificate. Your request has been forwarded to the Issuer department. The Issuer department will verify the details provided above. If the verification is successful, your certificate will be made available in the Issued Documents section of your DigiLocker.",
  ),
  uriExists: row("uri_exists", 400, "This document already exists in your Issued Documents."),
  recordNotFound: row(
    "record_not_found",
    404,
    "No record found in issuer database for given criteria. Please check the details and try again. If problem persists, see the FAQ section for possible causes.",
  ),
  aadhaarNotLinkedPull: row(
    "aadhaar_not_linked",
    400,
    "To access issued documents, please link your Aadhaar number to your DigiLocker account.",
  ),
  // Meta routes (spec 1167-1170, 1246-1249, 1333-1336, 1398-1401, 1463-1469, 1587-1591).
  invalidClientId: row("invalid_client_id", 401, "The client_id parameter is invalid"),
  /**
   * "The error description text will contain one or more of the following error texts": the row's own
   * description is the text the spec's sample answers with (spec 1392, 1457). Real refusals list theirs.
   */
  invalidParameter: row("invalid_parameter", 400, "Timestamp parameter is missing or invalid"),
  pushScope: row("insufficient_scope", 403, "The request requires higher privileges"),
  invalidDigilockerId: row("invalid_digilocker_id", 404, "The digilockerid parameter is invalid"),
} satisfies Record<string, SpecError>;

const uploadRows = Object.entries(uploadDescriptions).map(([code, description]) => row(code, 400, description));
const fileRead = [rows.invalidToken, rows.uriMissing, rows.insufficientScope, rows.invalidUri];
const token = [rows.invalidClient, rows.invalidGrant, rows.invalidGrantType, rows.unexpected500];
const meta = [rows.invalidClientId, rows.invalidParameter, rows.unexpected500];

/** Each endpoint's table, as the spec prints it. */
export const endpointErrors: Record<EndpointId, readonly SpecError[]> = {
  // Get Access Token prints statuses only (spec 221-225, 299-301); the same server's table is used.
  "oauth.tokenV1": token,
  "oauth.tokenV2": token,
  // Revoke Token prints no errors.
  "oauth.revoke": [],
  "account.user": [rows.invalidToken, rows.insufficientScope, rows.unexpected530],
  "files.uploaded": [rows.invalidToken, rows.invalidId, rows.insufficientScope, rows.unexpected530],
  "files.issued": [rows.invalidToken, rows.insufficientScope, rows.partnerUnresponsive, rows.unexpected530],
  "files.file": [...fileRead, rows.respperror, rows.repositoryException],
  "files.xml": [...fileRead, rows.resperror, rows.repositoryException],
  "files.eaadhaar": [
    rows.invalidToken,
    rows.insufficientScope,
    rows.aadhaarNotLinkedEaadhaar,
    rows.aadhaarNotAvailable,
    rows.repositoryException,
    rows.unexpected530,
    rows.internalServerError,
  ],
  "files.upload": [rows.invalidToken, rows.insufficientScope, ...uploadRows, rows.unexpected530],
  "pull.document": [
    rows.invalidToken,
    rows.insufficientScope,
    rows.invalidOrgId,
    rows.invalidDocType,
    rows.configError,
    rows.pullPending,
    rows.uriExists,
    rows.recordNotFound,
    rows.aadhaarNotLinkedPull,
    rows.unexpected500,
  ],
  "meta.issuers": meta,
  "meta.docTypes": meta,
  "meta.parameters": meta,
  "meta.verifyAccount": meta,
  "meta.pushUri": [rows.invalidClientId, rows.pushScope, rows.invalidDigilockerId, rows.invalidParameter, rows.unexpected500],
  "meta.statistics": meta,
};

function reply(r: SpecError, description = r.description): Reply {
  return dlError(r.status, r.code, description);
}

export const errors = {
  invalidToken: () => reply(rows.invalidToken),
  insufficientScope: () => reply(rows.insufficientScope),
  unexpected: (status: 500 | 530) => reply(status === 530 ? rows.unexpected530 : rows.unexpected500),
  invalidClientId: () => reply(rows.invalidClientId),
  invalidParameter: (texts: string[]) =>
    // Spec: "The error description text will contain one or more of the following error texts".
    reply(rows.invalidParameter, texts.join(", ")),
  invalidClient: () => reply(rows.invalidClient),
  invalidGrant: (what?: string) => reply(rows.invalidGrant, what),
  invalidGrantType: () => reply(rows.invalidGrantType),
  /**
   * Get Access Token's 401, "If the access token is expired or has been revoked by DigiLocker user" (spec 225,
   * 301): the authorization behind the code is over. The spec names no code; RFC 6749 §5.2's for an expired or
   * revoked grant is used.
   */
  grantEnded: (what: string) => dlError(401, "invalid_grant", what),
  invalidId: () => reply(rows.invalidId),
  uriMissing: () => reply(rows.uriMissing),
  invalidUri: () => reply(rows.invalidUri),
  repository: (code: "repository_service_respperror" | "repository_service_resperror") =>
    reply(code === "repository_service_respperror" ? rows.respperror : rows.resperror),
  aadhaarNotLinkedEaadhaar: () => reply(rows.aadhaarNotLinkedEaadhaar),
  aadhaarNotAvailable: () => reply(rows.aadhaarNotAvailable),
  upload: (code: UploadErrorCode) => dlError(400, code, uploadDescriptions[code]),
  invalidOrgId: () => reply(rows.invalidOrgId),
  /** `invalid_doctype`, with what to fix when the doctype is a valid one in the wrong case (see doctypeText). */
  invalidDocType: (sent: string, valid: (doctype: string) => boolean) =>
    reply(rows.invalidDocType, doctypeText(rows.invalidDocType.description, sent, valid)),
  configError: () => reply(rows.configError),
  pullPending: () => reply(rows.pullPending),
  uriExists: () => reply(rows.uriExists),
  recordNotFound: () => reply(rows.recordNotFound),
  aadhaarNotLinkedPull: () => reply(rows.aadhaarNotLinkedPull),
  invalidDigilockerId: () => reply(rows.invalidDigilockerId),
  pushScope: () => reply(rows.pushScope),
} satisfies Record<string, (...args: never[]) => Reply>;

/**
 * The spec's doctype text, plus what to fix when `sent` differs from a valid doctype only in case. Doctypes are
 * matched exactly (docs/spec-assumptions.md #28): a stricter sandbox cannot hide a production surprise.
 */
export function doctypeText(text: string, sent: string, valid: (doctype: string) => boolean): string {
  const trimmed = sent.trim();
  const upper = trimmed.toUpperCase();
  return upper !== trimmed && valid(upper) ? `${text} (doctypes are upper case: send ${upper})` : text;
}

/**
 * What the spec answers with `code` on `endpoint` (fault injection, and a handler that failed): the endpoint's
 * own row; else the first other endpoint's row for that code; else, for a code the spec never names, 500.
 */
export function specReply(code: string, endpoint: EndpointId): Reply {
  const found =
    endpointErrors[endpoint].find((r) => r.code === code) ??
    Object.values(endpointErrors)
      .flat()
      .find((r) => r.code === code);
  return found ? reply(found) : dlError(500, code, INTERNAL);
}
