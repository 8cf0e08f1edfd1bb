// Every row of the spec's error tables, sent through the real client method of its endpoint.
import { describe, expect, it } from "vitest";
import {
  apiErrorFrom,
  DigiLockerApiError,
  endpoints,
  errorTables,
  isKnownCode,
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

const ids = Object.keys(endpoints) as EndpointId[];

describe("coverage of the spec", () => {
  it("has exactly the 18 API calls of the spec's table of contents, with the spec's methods and paths", () => {
    expect(ids).toHaveLength(18);
    expect(new Set(ids)).toEqual(new Set(Object.keys(specEndpoints)));
    for (const id of ids) {
      const { method, path, section } = endpoints[id];
      expect({ id, method, path, section }).toEqual({ id, ...specEndpoints[id] });
    }
  });

  it("every endpoint has an error table and a client call in this test", () => {
    expect(new Set(Object.keys(errorTables))).toEqual(new Set(ids));
    expect(new Set(Object.keys(routes))).toEqual(new Set(ids));
  });

  it("every row uses a status the spec prints (400/401/403/404/500/530) and a non-empty description", () => {
    for (const id of ids) {
      for (const [code, row] of Object.entries(errorTables[id]) as [string, { status: number; description: string }][]) {
        expect([400, 401, 403, 404, 500, 530], `${id} ${code}`).toContain(row.status);
        expect(row.description.trim(), `${id} ${code}`).not.toBe("");
        expect(code, `${id} ${code}`).toMatch(/^[a-z_]+$/);
      }
    }
  });

  it("keeps the rows the spec prints per endpoint (spot checks of its traps)", () => {
    // aadhaar_not_linked is 400 on pull and 404 on e-Aadhaar
    expect(errorTables["pull.document"].aadhaar_not_linked.status).toBe(400);
    expect(errorTables["files.eaadhaar"].aadhaar_not_linked.status).toBe(404);
    // the file route's misspelt code, and the XML route's spelling, are both known
    expect(errorTables["files.file"].repository_service_respperror.status).toBe(530);
    expect(errorTables["files.xml"].repository_service_resperror.status).toBe(530);
    // 530 on the user-token routes, 500 on pull, refresh and the meta APIs
    expect(errorTables["account.user"].unexpected_error.status).toBe(530);
    expect(errorTables["files.upload"].unexpected_error.status).toBe(530);
    expect(errorTables["pull.document"].unexpected_error.status).toBe(500);
    expect(errorTables["oauth.refresh"].unexpected_error.status).toBe(500);
    expect(errorTables["meta.statistics"].unexpected_error.status).toBe(500);
    expect(errorTables["meta.pushUri"].invalid_digilocker_id).toEqual({
      status: 404,
      description: "The digilockerid parameter is invalid",
    });
    expect(Object.keys(errorTables["files.upload"])).toHaveLength(14);
    expect(Object.keys(errorTables["pull.document"])).toHaveLength(10);
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

const rows = ids.flatMap((endpoint) =>
  (Object.entries(errorTables[endpoint]) as [string, { status: number; description: string }][]).map(
    ([code, row]) => ({ endpoint, code, ...row }),
  ),
);

describe("every code of every error table, through the client method of its endpoint", () => {
  it("has rows to run", () => {
    expect(rows.length).toBeGreaterThanOrEqual(70);
  });

  it.each(rows)("$endpoint: HTTP $status $code", async ({ endpoint, code, status, description }) => {
    const { client, pool, agent, calls } = mockClient({ retry: { maxRetries: 0 } });
    const route = routes[endpoint];
    let hits = 0;
    pool.intercept({ path: route.path, method: endpoints[endpoint].method }).reply(() => {
      hits++;
      return {
        statusCode: status,
        data: JSON.stringify({ error: code, error_description: description }),
        responseOptions: { headers: JSON_HEADERS },
      };
    });

    const error = await failure(route.call(client));

    const expected = apiErrorFrom({ endpoint, status, code, description });
    expect(error).toBeInstanceOf(DigiLockerApiError);
    expect((error as object).constructor).toBe(expected.constructor);
    expect(error).toMatchObject({ status, code, description, endpoint, name: expected.name });
    expect((error as DigiLockerApiError).retryable).toBe(status >= 500 && code !== "repository_service_configerror");
    expect(isKnownCode(endpoint, code)).toBe(true);
    expect(hits).toBe(1);
    expect(calls).toMatchObject([{ endpoint, attempt: 1, status }]);
    agent.assertNoPendingInterceptors();
  });
});
