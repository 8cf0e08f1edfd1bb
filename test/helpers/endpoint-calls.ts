// One real client call per endpoint, with the request path it reaches on the MockAgent (BASE_URL's /public included).
import type { DigiLockerClient, EndpointId } from "../../src/digilocker/index.js";

/** Distinct, random-looking credentials, so a leak of any part of them is detectable. */
export const ACCESS_TOKEN = "AT.q8Zr4Lm2Vx7Nc5Bw";
export const REFRESH_TOKEN = "RT.h3Jk9Pq1Ws6Ed4Tf";
export const AUTH_CODE = "AC.u7Yi2Op5As8Df1Gh";
/** A PKCE verifier (43-128 unreserved characters). */
export const CODE_VERIFIER = "Vq3Xn8Rt1Lw6Zk0Pm5Hc9Jy2Fb7Ds4Ga_Te-Uo.Wi~Ke";
export const DOC_URI = "in.gov.cbse-HSCER-1";
/** Starts with %PDF, so the upload's content sniffing accepts it as application/pdf. */
export const SMALL_PDF = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "latin1");

export interface EndpointCall {
  path: string;
  call: (client: DigiLockerClient) => Promise<unknown>;
}

/** Typed as a full record: an endpoint added without an entry here does not compile. */
export const endpointCalls: Record<EndpointId, EndpointCall> = {
  "oauth.tokenV1": {
    path: "/public/oauth2/1/token",
    call: (c) =>
      c.oauth.exchangeCode({ code: AUTH_CODE, redirectUri: "https://app.test/cb", codeVerifier: CODE_VERIFIER, version: 1 }),
  },
  "oauth.tokenV2": {
    path: "/public/oauth2/2/token",
    call: (c) =>
      c.oauth.exchangeCode({ code: AUTH_CODE, redirectUri: "https://app.test/cb", codeVerifier: CODE_VERIFIER, version: 2 }),
  },
  "oauth.refresh": { path: "/public/oauth2/1/token", call: (c) => c.oauth.refresh(REFRESH_TOKEN) },
  "oauth.revoke": { path: "/public/oauth2/1/revoke", call: (c) => c.oauth.revoke(ACCESS_TOKEN, "access_token") },
  "account.user": { path: "/public/oauth2/1/user", call: (c) => c.account.user(ACCESS_TOKEN) },
  "files.uploaded": {
    path: "/public/oauth2/1/files/folder-42",
    call: (c) => c.files.listUploaded(ACCESS_TOKEN, "folder-42"),
  },
  "files.issued": { path: "/public/oauth2/2/files/issued", call: (c) => c.files.listIssued(ACCESS_TOKEN) },
  "files.file": { path: `/public/oauth2/1/file/${DOC_URI}`, call: (c) => c.files.downloadBuffer(ACCESS_TOKEN, DOC_URI) },
  "files.xml": { path: `/public/oauth2/1/xml/${DOC_URI}`, call: (c) => c.files.certificateXml(ACCESS_TOKEN, DOC_URI) },
  "files.eaadhaar": { path: "/public/oauth2/3/xml/eaadhaar", call: (c) => c.files.eAadhaarXml(ACCESS_TOKEN) },
  "files.upload": {
    path: "/public/oauth2/1/file/upload",
    call: (c) =>
      c.files.upload(ACCESS_TOKEN, { path: "/Education/marksheet.pdf", contentType: "application/pdf", data: SMALL_PDF }),
  },
  "pull.document": {
    path: "/public/oauth2/1/pull/pulldocument",
    call: (c) =>
      c.pull.document(ACCESS_TOKEN, { orgId: "000018", docType: "HSCER", consent: true, parameters: { rroll: "9123456" } }),
  },
  "meta.issuers": { path: "/public/oauth2/1/pull/issuers", call: (c) => c.meta.issuers() },
  "meta.docTypes": { path: "/public/oauth2/1/pull/doctype", call: (c) => c.meta.docTypes("000018") },
  "meta.parameters": { path: "/public/oauth2/1/pull/parameters", call: (c) => c.meta.parameters("000018", "HSCER") },
  "meta.verifyAccount": { path: "/public/account/2/verify", call: (c) => c.meta.verifyAccount({ mobile: "9876543210" }) },
  "meta.pushUri": {
    path: "/public/account/1/pushuri",
    call: (c) =>
      c.meta.pushUri({
        digilockerId: "123e4567-e89b-12d3-a456-426655440000",
        uri: "in.gov.example-HSCER-1001",
        docType: "HSCER",
        description: "Class XII marksheet",
        docId: "1001",
        issueDate: "2023-05-01",
        action: "A",
      }),
  },
  "meta.statistics": { path: "/public/statistics/1/counts", call: (c) => c.meta.statistics() },
};

/** Runs a call that must fail and returns what it rejected with. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}
