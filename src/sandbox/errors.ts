// The spec's error answers as the sandbox sends them. Written from the spec's tables, apart from the
// client's copy on purpose: a wrong status in one must not hide behind the same mistake in the other.
import { dlError, type Reply } from "./http.js";

const INTERNAL = "Internal server error";

export const errors = {
  invalidToken: () => dlError(401, "invalid_token", "The access token is invalid"),
  insufficientScope: () =>
    dlError(403, "insufficient_scope", "The request requires higher privileges than provided by the access token"),
  /** `unexpected_error` is 530 on account and file routes, 500 on pull, meta and token routes. */
  unexpected: (status: 500 | 530) => dlError(status, "unexpected_error", INTERNAL),
  invalidClientId: () => dlError(401, "invalid_client_id", "The client_id parameter is invalid"),
  invalidParameter: (texts: string[]) =>
    // Spec: "The error description text will contain one or more of the following error texts".
    dlError(400, "invalid_parameter", texts.join(", ")),
  invalidClient: () => dlError(400, "invalid_client", "The client credentials are invalid"),
  invalidGrant: (what = "The refresh token is invalid") => dlError(400, "invalid_grant", what),
  invalidGrantType: () => dlError(400, "invalid_grant_type", "The grant_type parameter is invalid"),
  invalidId: () => dlError(404, "invalid_id", "The folder does not exist"),
  uriMissing: () => dlError(400, "uri_missing", "URI parameter missing"),
  invalidUri: () => dlError(404, "invalid_uri", "No file found for given URI"),
  repository: (code: "repository_service_respperror" | "repository_service_resperror" | "repository_service_exception") =>
    dlError(530, code, INTERNAL),
  partnerUnresponsive: () => dlError(530, "partner_service_unresponsive", INTERNAL),
  aadhaarNotLinkedEaadhaar: () => dlError(404, "aadhaar_not_linked", "Aadhaar is not linked to the account"),
  aadhaarNotAvailable: () =>
    dlError(404, "aadhaar_not_available", "Aadhaar data is not available for this user. Please perform Aadhaar eKYC again."),
  upload: (code: UploadErrorCode) => dlError(400, code, uploadDescriptions[code]),
  invalidOrgId: () => dlError(400, "invalid_orgid", "The orgid parameter is missing or invalid"),
  invalidDocType: () => dlError(400, "invalid_doctype", "The doctype parameter is missing or invalid"),
  configError: () =>
    dlError(500, "repository_service_configerror", "The issuer service is not available. Please contact DigiLocker support."),
  pullPending: () =>
    dlError(
      400,
      "pull_response_pending",
      "The details provided above do not exactly match with the details on the certificate. Your request has been forwarded to the Issuer department. The Issuer department will verify the details provided above. If the verification is successful, your certificate will be made available in the Issued Documents section of your DigiLocker.",
    ),
  uriExists: () => dlError(400, "uri_exists", "This document already exists in your Issued Documents."),
  recordNotFound: () =>
    dlError(
      404,
      "record_not_found",
      "No record found in issuer database for given criteria. Please check the details and try again. If problem persists, see the FAQ section for possible causes.",
    ),
  aadhaarNotLinkedPull: () =>
    dlError(400, "aadhaar_not_linked", "To access issued documents, please link your Aadhaar number to your DigiLocker account."),
  invalidDigilockerId: () => dlError(404, "invalid_digilocker_id", "The digilockerid parameter is invalid"),
  pushScope: () => dlError(403, "insufficient_scope", "The request requires higher privileges"),
} satisfies Record<string, (...args: never[]) => Reply>;

export type UploadErrorCode = keyof typeof uploadDescriptions;
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

/** Status of a code chosen by fault injection: the route's own table where it differs, else the usual one. */
export function faultReply(code: string, endpoint: string): Reply {
  const on530 = endpoint.startsWith("files.") || endpoint === "account.user";
  const status: Record<string, number> = {
    invalid_token: 401,
    insufficient_scope: 403,
    invalid_client_id: 401,
    invalid_id: 404,
    invalid_uri: 404,
    record_not_found: 404,
    invalid_digilocker_id: 404,
    aadhaar_not_available: 404,
    aadhaar_not_linked: endpoint === "files.eaadhaar" ? 404 : 400,
    unexpected_error: on530 ? 530 : 500,
    partner_service_unresponsive: 530,
    repository_service_respperror: 530,
    repository_service_resperror: 530,
    repository_service_exception: 530,
    internal_server_error: 530,
    repository_service_configerror: 500,
  };
  return dlError(status[code] ?? 400, code, code === "unexpected_error" ? INTERNAL : `Injected fault: ${code}`);
}
