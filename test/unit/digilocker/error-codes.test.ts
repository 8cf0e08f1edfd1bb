// Every row of the spec's error tables, sent through the real client method of its endpoint. The rows and the
// class each must become are written out below from the spec, not read from src/, so a wrong mapping fails here.
import { describe, expect, it } from "vitest";
import {
  BadRequestError,
  ClientCredentialsError,
  DigiLockerApiError,
  endpoints,
  errorTables,
  InsufficientScopeError,
  InvalidTokenError,
  isKnownCode,
  NotFoundError,
  UpstreamServerError,
  type EndpointId,
} from "../../../src/digilocker/index.js";
import { permanentServerCodes } from "../../../src/digilocker/error-codes.js";
import { JSON_HEADERS, mockClient } from "../../helpers/digilocker.js";
import { endpointCalls as routes, failure } from "../../helpers/endpoint-calls.js";

/** The spec's table of contents, API calls only (Get Authorization Code and Revoke Session are browser pages). */
const specEndpoints: Record<EndpointId, { method: "GET" | "POST"; path: string; section: string }> = {
  "oauth.tokenV2": { method: "POST", path: "/oauth2/2/token", section: "Get Access Token (openid connect protocol)" },
  "oauth.tokenV1": { method: "POST", path: "/oauth2/1/token", section: "Get Access Token" },
  "oauth.refresh": { method: "POST", path: "/oauth2/1/token", section: "Refresh Access Token" },
  "oauth.revoke": { method: "POST", path: "/oauth2/1/revoke", section: "Revoke Token" },
  "account.user": { method: "GET", path: "/oauth2/1/user", section: "Get User Details" },
  "files.uploaded": { method: "GET", path: "/oauth2/1/files/{id}", section: "Get List of Self Uploaded Documents" },
  "files.issued": { method: "GET", path: "/oauth2/2/files/issued", section: "Get List of Issued Documents" },
  "files.file": { method: "GET", path: "/oauth2/1/file/{uri}", section: "Get File from URI" },
  "files.xml": { method: "GET", path: "/oauth2/1/xml/{uri}", section: "Get Certificate Data in XML Format from URI" },
  "files.eaadhaar": { method: "GET", path: "/oauth2/3/xml/eaadhaar", section: "Get e-Aadhaar Data in XML Format" },
  "files.upload": { method: "POST", path: "/oauth2/1/file/upload", section: "Upload File to DigiLocker" },
  "pull.document": { method: "POST", path: "/oauth2/1/pull/pulldocument", section: "Pull Document" },
  "meta.issuers": { method: "POST", path: "/oauth2/1/pull/issuers", section: "Get List of Issuers" },
  "meta.docTypes": { method: "POST", path: "/oauth2/1/pull/doctype", section: "Get List of Documents Provided by an Issuer" },
  "meta.parameters": { method: "POST", path: "/oauth2/1/pull/parameters", section: "Get Search Parameters for a Document" },
  "meta.verifyAccount": { method: "POST", path: "/account/2/verify", section: "Verify Account" },
  "meta.pushUri": { method: "POST", path: "/account/1/pushuri", section: "Push URI to Account" },
  "meta.statistics": { method: "POST", path: "/statistics/1/counts", section: "Get Statistics" },
};

/** The classes an HTTP error may become, by the name each row expects. */
const classes = {
  BadRequestError,
  InvalidTokenError,
  ClientCredentialsError,
  InsufficientScopeError,
  NotFoundError,
  UpstreamServerError,
} as const;
type Expected = keyof typeof classes;

/** HTTP status, DigiLocker's `error` (null where the spec gives a status only), expected class, `error_description`. */
type SpecRow = readonly [status: number, code: string | null, expected: Expected, description: string];

const INVALID_TOKEN = [401, "invalid_token", "InvalidTokenError", "The access token is invalid"] as const;
const INSUFFICIENT_SCOPE = [
  403,
  "insufficient_scope",
  "InsufficientScopeError",
  "The request requires higher privileges than provided by the access token",
] as const;
const INTERNAL = "Internal server error";
// The meta tables print this sentence followed by the list of texts the description may carry instead.
const MANDATORY = "One or more of the mandatory parameters is missing or invalid";
const INVALID_CLIENT_ID = [401, "invalid_client_id", "ClientCredentialsError", "The client_id parameter is invalid"] as const;

/**
 * The spec's error tables (line numbers of /work/shared/reference/digilocker-requester-api-v2.3.txt), one entry per
 * endpoint, every printed row, plus the rows docs/spec-assumptions.md adds where the spec is silent (marked so).
 * The expected class follows the row's meaning: the user's token → InvalidTokenError, our own client credentials →
 * ClientCredentialsError, a missing scope → InsufficientScopeError, "does not exist"/404 → NotFoundError,
 * another 400 → BadRequestError, 500/530 → UpstreamServerError.
 */
const specErrorTables: Record<EndpointId, readonly SpecRow[]> = {
  // spec 217–225: statuses only, no codes.
  "oauth.tokenV2": [
    [400, null, "BadRequestError", "Bad request."],
    [401, null, "InvalidTokenError", "If the access token is expired or has been revoked by DigiLocker user."],
    // assumption 19: the code refresh prints for our credentials (spec 389), on the same token service.
    [400, "invalid_client", "ClientCredentialsError", "The client credentials are invalid"],
  ],
  // spec 295–301: statuses only, no codes.
  "oauth.tokenV1": [
    [400, null, "BadRequestError", "Bad request."],
    [401, null, "InvalidTokenError", "If the access token is expired or has been revoked by DigiLocker user."],
    // assumption 19, as above.
    [400, "invalid_client", "ClientCredentialsError", "The client credentials are invalid"],
  ],
  // spec 365–392
  "oauth.refresh": [
    [400, "invalid_client", "ClientCredentialsError", "The client credentials are invalid"],
    // A refused refresh token is a 400 (RFC 6749 5.2), not a refused access token: sessions.ts ends the session on either.
    [400, "invalid_grant", "BadRequestError", "The refresh token is invalid"],
    [400, "invalid_grant_type", "BadRequestError", "The grant_type parameter is invalid"],
    [500, "unexpected_error", "UpstreamServerError", INTERNAL],
  ],
  // spec 394–420: Revoke Token has no error table.
  "oauth.revoke": [],
  // spec 497–521
  "account.user": [INVALID_TOKEN, INSUFFICIENT_SCOPE, [530, "unexpected_error", "UpstreamServerError", INTERNAL]],
  // spec 603–631
  "files.uploaded": [
    INVALID_TOKEN,
    [404, "invalid_id", "NotFoundError", "The folder does not exist"],
    INSUFFICIENT_SCOPE,
    [530, "unexpected_error", "UpstreamServerError", INTERNAL],
  ],
  // spec 706–734 (the sample pads the code: " partner_service_unresponsive ", 723)
  "files.issued": [
    INVALID_TOKEN,
    INSUFFICIENT_SCOPE,
    [530, "partner_service_unresponsive", "UpstreamServerError", INTERNAL],
    [530, "unexpected_error", "UpstreamServerError", INTERNAL],
  ],
  // spec 768–802
  "files.file": [
    INVALID_TOKEN,
    [400, "uri_missing", "BadRequestError", "URI parameter missing"],
    INSUFFICIENT_SCOPE,
    [404, "invalid_uri", "NotFoundError", "No file found for given URI"],
    [530, "repository_service_respperror", "UpstreamServerError", INTERNAL],
    [530, "repository_service_exception", "UpstreamServerError", INTERNAL],
    // assumption 18: the XML table's spelling (spec 863), known here too.
    [530, "repository_service_resperror", "UpstreamServerError", INTERNAL],
  ],
  // spec 834–864
  "files.xml": [
    INVALID_TOKEN,
    [400, "uri_missing", "BadRequestError", "URI parameter missing"],
    INSUFFICIENT_SCOPE,
    [404, "invalid_uri", "NotFoundError", "No file found for given URI"],
    [530, "repository_service_resperror", "UpstreamServerError", INTERNAL],
    [530, "repository_service_exception", "UpstreamServerError", INTERNAL],
    // assumption 18: the file table's spelling (spec 801), known here too.
    [530, "repository_service_respperror", "UpstreamServerError", INTERNAL],
  ],
  // spec 892–921
  "files.eaadhaar": [
    INVALID_TOKEN,
    INSUFFICIENT_SCOPE,
    [404, "aadhaar_not_linked", "NotFoundError", "Aadhaar is not linked to the account"],
    [
      404,
      "aadhaar_not_available",
      "NotFoundError",
      "Aadhaar data is not available for this user. Please perform Aadhaar eKYC again.",
    ],
    [530, "repository_service_exception", "UpstreamServerError", INTERNAL],
    [530, "unexpected_error", "UpstreamServerError", INTERNAL],
    [530, "internal_server_error", "UpstreamServerError", INTERNAL],
  ],
  // spec 952–994
  "files.upload": [
    INVALID_TOKEN,
    INSUFFICIENT_SCOPE,
    [400, "path_missing", "BadRequestError", "Path parameter is missing"],
    [400, "contenttype_missing", "BadRequestError", "Content-Type parameter is missing"],
    [400, "hmac_missing", "BadRequestError", "HMAC parameter is missing"],
    [400, "filename_missing", "BadRequestError", "Filename is missing in path parameter"],
    [400, "hmac_mismatch", "BadRequestError", "HMAC does not match"],
    [
      400,
      "invalid_filename",
      "BadRequestError",
      "Restricted characters (\\ / : * ? < > ' ^ and ~) are not allowed in file name",
    ],
    [400, "invalid_filesize", "BadRequestError", "The file size exceeds maximum allowed file size of 10MB"],
    [400, "invalid_filetype", "BadRequestError", "The file type is not allowed"],
    // "The destination folder does not exist", yet printed as 400: the status decides, as the spec sends it.
    [400, "invalid_path", "BadRequestError", "The destination folder does not exist"],
    [400, "file_data_missing", "BadRequestError", "Missing file content in the request"],
    [
      400,
      "mimetype_mismatch",
      "BadRequestError",
      "The mimetype provided in Content-Type parameter does not match with the mimetype of the file",
    ],
    [530, "unexpected_error", "UpstreamServerError", INTERNAL],
  ],
  // spec 1045–1078 (record_not_found's description runs over 1074–1076)
  "pull.document": [
    INVALID_TOKEN,
    INSUFFICIENT_SCOPE,
    [400, "invalid_orgid", "BadRequestError", "The orgid parameter is missing or invalid"],
    [400, "invalid_doctype", "BadRequestError", "The doctype parameter is missing or invalid"],
    [
      500,
      "repository_service_configerror",
      "UpstreamServerError",
      "The issuer service is not available. Please contact DigiLocker support.",
    ],
    [
      400,
      "pull_response_pending",
      "BadRequestError",
      "The details provided above do not exactly match with the details on the certificate. Your request has been forwarded to the Issuer department. The Issuer department will verify the details provided above. If the verification is successful, your certificate will be made available in the Issued Documents section of your DigiLocker.",
    ],
    [400, "uri_exists", "BadRequestError", "This document already exists in your Issued Documents."],
    [
      404,
      "record_not_found",
      "NotFoundError",
      "No record found in issuer database for given criteria. Please check the details and try again. If problem persists, see the FAQ section for possible causes.",
    ],
    // 400 here, 404 on e-Aadhaar (spec 917): the status the spec prints decides.
    [
      400,
      "aadhaar_not_linked",
      "BadRequestError",
      "To access issued documents, please link your Aadhaar number to your DigiLocker account.",
    ],
    [500, "unexpected_error", "UpstreamServerError", INTERNAL],
  ],
  // spec 1145–1170. The meta APIs take no user token: their 401 is our own client id refused.
  "meta.issuers": [
    INVALID_CLIENT_ID,
    [400, "invalid_parameter", "BadRequestError", MANDATORY],
    [500, "unexpected_error", "UpstreamServerError", INTERNAL],
  ],
  // spec 1225–1249
  "meta.docTypes": [
    INVALID_CLIENT_ID,
    [400, "invalid_parameter", "BadRequestError", MANDATORY],
    [500, "unexpected_error", "UpstreamServerError", INTERNAL],
  ],
  // spec 1311–1336
  "meta.parameters": [
    INVALID_CLIENT_ID,
    [400, "invalid_parameter", "BadRequestError", MANDATORY],
    [500, "unexpected_error", "UpstreamServerError", INTERNAL],
  ],
  // spec 1376–1401
  "meta.verifyAccount": [
    INVALID_CLIENT_ID,
    [400, "invalid_parameter", "BadRequestError", MANDATORY],
    [500, "unexpected_error", "UpstreamServerError", INTERNAL],
  ],
  // spec 1437–1469
  "meta.pushUri": [
    INVALID_CLIENT_ID,
    [403, "insufficient_scope", "InsufficientScopeError", "The request requires higher privileges"],
    [404, "invalid_digilocker_id", "NotFoundError", "The digilockerid parameter is invalid"],
    [400, "invalid_parameter", "BadRequestError", MANDATORY],
    [500, "unexpected_error", "UpstreamServerError", INTERNAL],
  ],
  // spec 1564–1591
  "meta.statistics": [
    INVALID_CLIENT_ID,
    [400, "invalid_parameter", "BadRequestError", MANDATORY],
    [500, "unexpected_error", "UpstreamServerError", INTERNAL],
  ],
};

const rows = (Object.entries(specErrorTables) as [EndpointId, readonly SpecRow[]][]).flatMap(([endpoint, table]) =>
  table.map(([status, code, expected, description]) => ({ endpoint, status, code, expected, description })),
);
const byKey = (a: { endpoint: string; code: string }, b: { endpoint: string; code: string }) =>
  `${a.endpoint} ${a.code}`.localeCompare(`${b.endpoint} ${b.code}`);

describe("coverage of the spec", () => {
  it("has exactly the 18 API calls of the spec's table of contents, with the spec's methods and paths", () => {
    const ids = Object.keys(endpoints) as EndpointId[];
    expect(ids).toHaveLength(18);
    expect(new Set(ids)).toEqual(new Set(Object.keys(specEndpoints)));
    for (const id of ids) {
      const { method, path, section } = endpoints[id];
      expect({ id, method, path, section }).toEqual({ id, ...specEndpoints[id] });
    }
  });

  it("every endpoint has an error table and a client call in this test", () => {
    expect(new Set(Object.keys(errorTables))).toEqual(new Set(Object.keys(specEndpoints)));
    expect(new Set(Object.keys(routes))).toEqual(new Set(Object.keys(specEndpoints)));
  });

  it("the list above has 86 rows: 82 coded ones, and the token endpoints' 4 bare statuses", () => {
    expect(rows).toHaveLength(86);
    expect(rows.filter((r) => r.code === null).map((r) => `${r.endpoint} ${r.status}`)).toEqual([
      "oauth.tokenV2 400",
      "oauth.tokenV2 401",
      "oauth.tokenV1 400",
      "oauth.tokenV1 401",
    ]);
  });

  it("src's error tables hold exactly the coded rows of the list above, with their statuses and descriptions", () => {
    const fromSrc = Object.entries(errorTables)
      .flatMap(([endpoint, table]) =>
        Object.entries(table as Record<string, { status: number; description: string }>).map(([code, row]) => ({
          endpoint,
          code,
          status: row.status,
          description: row.description,
        })),
      )
      .sort(byKey);
    const fromSpec = rows
      .flatMap(({ endpoint, code, status, description }) => (code === null ? [] : [{ endpoint, code, status, description }]))
      .sort(byKey);
    expect(fromSrc).toEqual(fromSpec);
  });
});

describe("isKnownCode", () => {
  it("is true only for a code listed for that endpoint", () => {
    expect(isKnownCode("pull.document", "uri_exists")).toBe(true);
    expect(isKnownCode("files.file", "uri_exists")).toBe(false);
    expect(isKnownCode("meta.pushUri", "invalid_digilocker_id")).toBe(true);
    expect(isKnownCode("meta.issuers", "invalid_digilocker_id")).toBe(false);
    expect(isKnownCode("oauth.revoke", "unexpected_error")).toBe(false);
  });

  it("is not fooled by padding, case or Object.prototype names", () => {
    expect(isKnownCode("meta.verifyAccount", "invalid_parameter ")).toBe(false);
    expect(isKnownCode("meta.verifyAccount", "INVALID_PARAMETER")).toBe(false);
    for (const name of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
      expect(isKnownCode("account.user", name)).toBe(false);
    }
  });

  it("only repository_service_configerror is a permanent server code", () => {
    expect([...permanentServerCodes]).toEqual(["repository_service_configerror"]);
  });
});

describe("every row of every error table, through the client method of its endpoint", () => {
  it.each(rows)("$endpoint: HTTP $status $code → $expected", async ({ endpoint, code, status, description, expected }) => {
    const { client, pool, agent, calls } = mockClient({ retry: { maxRetries: 0 } });
    const route = routes[endpoint];
    let hits = 0;
    pool.intercept({ path: route.path, method: specEndpoints[endpoint].method }).reply(() => {
      hits++;
      const body = code === null ? { error_description: description } : { error: code, error_description: description };
      return { statusCode: status, data: JSON.stringify(body), responseOptions: { headers: JSON_HEADERS } };
    });

    const error = await failure(route.call(client));

    expect(error).toBeInstanceOf(DigiLockerApiError);
    expect((error as object).constructor).toBe(classes[expected]);
    expect(error).toMatchObject({ status, code, description, endpoint, name: expected });
    // Worth another attempt only for a 5xx that is not the issuer's missing configuration (spec 1071).
    expect((error as DigiLockerApiError).retryable).toBe(status >= 500 && code !== "repository_service_configerror");
    if (code !== null) expect(isKnownCode(endpoint, code)).toBe(true);
    expect(hits).toBe(1);
    expect(calls).toMatchObject([{ endpoint, attempt: 1, status }]);
    agent.assertNoPendingInterceptors();
  });
});
