// Every Requester API v2.3 endpoint the client calls (spec, table of contents). The two browser pages
// (Get Authorization Code, Revoke Session) are URLs the client builds, not calls, so they are not here.

export interface Endpoint {
  method: "GET" | "POST";
  /** Path under the base URL (which ends in /public); `{x}` marks a path parameter. */
  path: string;
  /** Safe to repeat: GET routes and the meta reads (POSTs re-signed with a fresh ts each attempt). */
  idempotent: boolean;
  /** The spec section this endpoint implements. */
  section: string;
}

export const endpoints = {
  "oauth.tokenV1": { method: "POST", path: "/oauth2/1/token", idempotent: false, section: "Get Access Token" },
  "oauth.tokenV2": {
    method: "POST",
    path: "/oauth2/2/token",
    idempotent: false,
    section: "Get Access Token (openid connect protocol)",
  },
  "oauth.refresh": { method: "POST", path: "/oauth2/1/token", idempotent: false, section: "Refresh Access Token" },
  "oauth.revoke": { method: "POST", path: "/oauth2/1/revoke", idempotent: false, section: "Revoke Token" },
  "account.user": { method: "GET", path: "/oauth2/1/user", idempotent: true, section: "Get User Details" },
  "files.uploaded": {
    method: "GET",
    path: "/oauth2/1/files/{id}",
    idempotent: true,
    section: "Get List of Self Uploaded Documents",
  },
  "files.issued": {
    method: "GET",
    path: "/oauth2/2/files/issued",
    idempotent: true,
    section: "Get List of Issued Documents",
  },
  "files.file": { method: "GET", path: "/oauth2/1/file/{uri}", idempotent: true, section: "Get File from URI" },
  "files.xml": {
    method: "GET",
    path: "/oauth2/1/xml/{uri}",
    idempotent: true,
    section: "Get Certificate Data in XML Format from URI",
  },
  "files.eaadhaar": {
    method: "GET",
    path: "/oauth2/3/xml/eaadhaar",
    idempotent: true,
    section: "Get e-Aadhaar Data in XML Format",
  },
  "files.upload": { method: "POST", path: "/oauth2/1/file/upload", idempotent: false, section: "Upload File to DigiLocker" },
  "pull.document": { method: "POST", path: "/oauth2/1/pull/pulldocument", idempotent: false, section: "Pull Document" },
  "meta.issuers": { method: "POST", path: "/oauth2/1/pull/issuers", idempotent: true, section: "Get List of Issuers" },
  "meta.docTypes": {
    method: "POST",
    path: "/oauth2/1/pull/doctype",
    idempotent: true,
    section: "Get List of Documents Provided by an Issuer",
  },
  "meta.parameters": {
    method: "POST",
    path: "/oauth2/1/pull/parameters",
    idempotent: true,
    section: "Get Search Parameters for a Document",
  },
  "meta.verifyAccount": { method: "POST", path: "/account/2/verify", idempotent: true, section: "Verify Account" },
  "meta.pushUri": { method: "POST", path: "/account/1/pushuri", idempotent: false, section: "Push URI to Account" },
  "meta.statistics": { method: "POST", path: "/statistics/1/counts", idempotent: true, section: "Get Statistics" },
} as const satisfies Record<string, Endpoint>;

export type EndpointId = keyof typeof endpoints;
/** Endpoints plus the browser pages the client builds URLs for; errors name one of these. */
export type OperationId = EndpointId | "oauth.authorize" | "oauth.logout";
