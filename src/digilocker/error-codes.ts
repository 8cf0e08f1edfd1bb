// The spec's error tables, endpoint by endpoint, with their HTTP statuses and descriptions as printed.
import type { EndpointId } from "./endpoints.js";

interface ErrorRow {
  status: number;
  description: string;
}

const invalidToken = { invalid_token: { status: 401, description: "The access token is invalid" } };
const insufficientScope = {
  insufficient_scope: {
    status: 403,
    description: "The request requires higher privileges than provided by the access token",
  },
};
const internal = (status: number) => ({ status, description: "Internal server error" });
const metaCommon = {
  invalid_client_id: { status: 401, description: "The client_id parameter is invalid" },
  invalid_parameter: { status: 400, description: "One or more of the mandatory parameters is missing or invalid" },
  unexpected_error: internal(500),
};
const fileReads = {
  ...invalidToken,
  uri_missing: { status: 400, description: "URI parameter missing" },
  ...insufficientScope,
  invalid_uri: { status: 404, description: "No file found for given URI" },
  repository_service_exception: internal(530),
};

export const errorTables = {
  // Get Access Token (both versions): the spec gives statuses only (400 bad request, 401).
  "oauth.tokenV1": { invalid_client: { status: 400, description: "The client credentials are invalid" } },
  "oauth.tokenV2": { invalid_client: { status: 400, description: "The client credentials are invalid" } },
  "oauth.refresh": {
    invalid_client: { status: 400, description: "The client credentials are invalid" },
    invalid_grant: { status: 400, description: "The refresh token is invalid" },
    invalid_grant_type: { status: 400, description: "The grant_type parameter is invalid" },
    unexpected_error: internal(500),
  },
  "oauth.revoke": {},
  "account.user": { ...invalidToken, ...insufficientScope, unexpected_error: internal(530) },
  "files.uploaded": {
    ...invalidToken,
    invalid_id: { status: 404, description: "The folder does not exist" },
    ...insufficientScope,
    unexpected_error: internal(530),
  },
  "files.issued": {
    ...invalidToken,
    ...insufficientScope,
    partner_service_unresponsive: internal(530),
    unexpected_error: internal(530),
  },
  // The spec spells this code "respperror" for files and "resperror" for XML; both are known everywhere.
  "files.file": { ...fileReads, repository_service_respperror: internal(530), repository_service_resperror: internal(530) },
  "files.xml": { ...fileReads, repository_service_resperror: internal(530), repository_service_respperror: internal(530) },
  "files.eaadhaar": {
    ...invalidToken,
    ...insufficientScope,
    aadhaar_not_linked: { status: 404, description: "Aadhaar is not linked to the account" },
    aadhaar_not_available: {
      status: 404,
      description: "Aadhaar data is not available for this user. Please perform Aadhaar eKYC again.",
    },
    repository_service_exception: internal(530),
    unexpected_error: internal(530),
    internal_server_error: internal(530),
  },
  "files.upload": {
    ...invalidToken,
    ...insufficientScope,
    path_missing: { status: 400, description: "Path parameter is missing" },
    contenttype_missing: { status: 400, description: "Content-Type parameter is missing" },
    hmac_missing: { status: 400, description: "HMAC parameter is missing" },
    filename_missing: { status: 400, description: "Filename is missing in path parameter" },
    hmac_mismatch: { status: 400, description: "HMAC does not match" },
    invalid_filename: {
      status: 400,
      description: "Restricted characters (\\ / : * ? < > ' ^ and ~) are not allowed in file name",
    },
    invalid_filesize: { status: 400, description: "The file size exceeds maximum allowed file size of 10MB" },
    invalid_filetype: { status: 400, description: "The file type is not allowed" },
    invalid_path: { status: 400, description: "The destination folder does not exist" },
    file_data_missing: { status: 400, description: "Missing file content in the request" },
    mimetype_mismatch: {
      status: 400,
      description: "The mimetype provided in Content-Type parameter does not match with the mimetype of the file",
    },
    unexpected_error: internal(530),
  },
  "pull.document": {
    ...invalidToken,
    ...insufficientScope,
    invalid_orgid: { status: 400, description: "The orgid parameter is missing or invalid" },
    invalid_doctype: { status: 400, description: "The doctype parameter is missing or invalid" },
    repository_service_configerror: {
      status: 500,
      description: "The issuer service is not available. Please contact DigiLocker support.",
    },
    pull_response_pending: {
      status: 400,
      description:
        "The details provided above do not exactly match with the details on the certificate. Your request has been forwarded to the Issuer department. The Issuer department will verify the details provided above. If the verification is successful, your certificate will be made available in the Issued Documents section of your DigiLocker.",
    },
    uri_exists: { status: 400, description: "This document already exists in your Issued Documents." },
    record_not_found: {
      status: 404,
      description:
        "No record found in issuer database for given criteria. Please check the details and try again. If problem persists, see the FAQ section for possible causes.",
    },
    aadhaar_not_linked: {
      status: 400,
      description: "To access issued documents, please link your Aadhaar number to your DigiLocker account.",
    },
    unexpected_error: internal(500),
  },
  "meta.issuers": metaCommon,
  "meta.docTypes": metaCommon,
  "meta.parameters": metaCommon,
  "meta.verifyAccount": metaCommon,
  "meta.pushUri": {
    ...metaCommon,
    insufficient_scope: { status: 403, description: "The request requires higher privileges" },
    invalid_digilocker_id: { status: 404, description: "The digilockerid parameter is invalid" },
  },
  "meta.statistics": metaCommon,
} as const satisfies Record<EndpointId, Record<string, ErrorRow>>;

type Tables = typeof errorTables;
/** Every error code the spec names, on any endpoint. */
export type ErrorCode = Extract<{ [E in EndpointId]: keyof Tables[E] }[EndpointId], string>;
/** The error codes the spec lists for one endpoint. */
export type EndpointErrorCode<E extends EndpointId> = Extract<keyof Tables[E], string>;

export function isKnownCode<E extends EndpointId>(endpoint: E, code: string): code is EndpointErrorCode<E> {
  return Object.hasOwn(errorTables[endpoint], code);
}

/** Codes whose cause will not pass by itself, even on a 5xx: retrying only adds load. */
export const permanentServerCodes: ReadonlySet<string> = new Set(["repository_service_configerror"]);
