// Pull Document: the urlencoded request, the consent rule and text, both response shapes, errors, no retries.
import { describe, expect, it } from "vitest";
import {
  BadRequestError,
  DigiLockerInputError,
  DigiLockerResponseError,
  errorTables,
  InvalidTokenError,
  NotFoundError,
  pullConsentText,
  UpstreamServerError,
  type PullInput,
} from "../../../src/digilocker/index.js";
import { form, JSON_HEADERS, mockClient, specSample } from "../../helpers/digilocker.js";

type Pool = ReturnType<typeof mockClient>["pool"];
interface Seen {
  headers: Record<string, string>;
  body: string;
}

const TOKEN = "access-token-1";
const PULL = { path: "/public/oauth2/1/pull/pulldocument", method: "POST" } as const;
/** CBSE's Class XII marksheet with the search parameters of the spec's parameters.json sample. */
const CBSE_XII: PullInput = { orgId: "000018", docType: "HSCER", consent: true, parameters: { year: "2002", rollno: "C525690" } };

function answer(pool: Pool, statusCode: number, data: string): Seen[] {
  const seen: Seen[] = [];
  pool.intercept(PULL).reply((opts) => {
    const h: unknown = opts.headers;
    // The transport sends headers as a plain object and the form as a string.
    const headers = h instanceof Headers ? Object.fromEntries(h.entries()) : { ...(h as Record<string, string>) };
    if (typeof opts.body !== "string") throw new Error("pull must send a urlencoded string body");
    seen.push({ headers, body: opts.body });
    return { statusCode, data, responseOptions: { headers: JSON_HEADERS } };
  });
  return seen;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

const error = (code: string, description: string) => JSON.stringify({ error: code, error_description: description });

describe("pull.document", () => {
  it("POSTs orgid, doctype, consent=Y and the search parameters, urlencoded, with the bearer token", async () => {
    const { client, pool, agent } = mockClient();
    const seen = answer(pool, 200, specSample("pull.json"));
    expect(await client.pull.document(TOKEN, CBSE_XII)).toEqual({ uri: "in.gov.cbse-HSCER-201412345678" });
    expect(seen).toEqual([
      {
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${TOKEN}` },
        body: "orgid=000018&doctype=HSCER&consent=Y&year=2002&rollno=C525690",
      },
    ]);
    expect(form(seen[0]?.body)).toEqual({ orgid: "000018", doctype: "HSCER", consent: "Y", year: "2002", rollno: "C525690" });
    agent.assertNoPendingInterceptors();
  });

  it("upper-cases the doctype, trims ids and encodes parameter values", async () => {
    const { client, pool } = mockClient();
    const seen = answer(pool, 200, specSample("pull.json"));
    await client.pull.document(TOKEN, { orgId: " 000018 ", docType: "hscer", consent: true, parameters: { name: "A & B=C" } });
    expect(seen[0]?.body).toBe("orgid=000018&doctype=HSCER&consent=Y&name=A+%26+B%3DC");
  });

  it("sends no extra fields when there are no parameters", async () => {
    const { client, pool } = mockClient();
    const seen = answer(pool, 200, specSample("pull.json"));
    await client.pull.document(TOKEN, { orgId: "000018", docType: "HSCER", consent: true });
    expect(form(seen[0]?.body)).toEqual({ orgid: "000018", doctype: "HSCER", consent: "Y" });
  });

  it("also reads the older {details: {uri}} response", async () => {
    const { client, pool } = mockClient();
    answer(pool, 200, JSON.stringify({ details: { uri: " in.gov.cbse-HSCER-201412345678" } }));
    expect(await client.pull.document(TOKEN, CBSE_XII)).toEqual({ uri: "in.gov.cbse-HSCER-201412345678" });
  });

  it("rejects a success body without a uri as an unexpected response", async () => {
    const { client, pool } = mockClient();
    answer(pool, 200, JSON.stringify({ status: "ok" }));
    const err = await rejectionOf(client.pull.document(TOKEN, CBSE_XII));
    expect(err).toBeInstanceOf(DigiLockerResponseError);
    expect(err).toMatchObject({ endpoint: "pull.document", status: 200 });
  });

  describe("refuses before sending anything", () => {
    it.each([
      ["consent false", { consent: false as unknown as true }],
      ["consent missing", { consent: undefined as unknown as true }],
      ["consent as the string Y", { consent: "Y" as unknown as true }],
    ])("%s, with a message about consent", async (_what, change) => {
      const { client, calls } = mockClient();
      const err = await rejectionOf(client.pull.document(TOKEN, { ...CBSE_XII, ...change }));
      expect(err).toBeInstanceOf(DigiLockerInputError);
      expect(err).toMatchObject({ endpoint: "pull.document", issues: [{ path: "consent" }] });
      expect((err as Error).message).toContain("consent must be true");
      expect(calls).toHaveLength(0);
    });

    it.each(["orgid", "doctype", "consent", "OrgId", "DocType", "CONSENT"])(
      "the reserved name %s among the parameters",
      async (name) => {
        const { client, calls } = mockClient();
        const err = await rejectionOf(client.pull.document(TOKEN, { ...CBSE_XII, parameters: { year: "2002", [name]: "x" } }));
        expect(err).toBeInstanceOf(DigiLockerInputError);
        expect(err).toMatchObject({ endpoint: "pull.document", issues: [{ path: "parameters" }] });
        expect(calls).toHaveLength(0);
      },
    );

    it.each([
      ["an empty orgId", { orgId: " " }, "orgId"],
      ["a doctype of 4 characters", { docType: "HSCE" }, "docType"],
      ["a doctype with punctuation", { docType: "HS-ER" }, "docType"],
      ["a parameter name with a space", { parameters: { "roll no": "1" } }, "parameters"],
    ] as const)("%s", async (_what, change, field) => {
      const { client, calls } = mockClient();
      const err = await rejectionOf(client.pull.document(TOKEN, { ...CBSE_XII, ...change }));
      expect(err).toBeInstanceOf(DigiLockerInputError);
      expect((err as DigiLockerInputError).issues.map((i) => i.path.split(".")[0])).toContain(field);
      expect(calls).toHaveLength(0);
    });

    it("an empty access token", async () => {
      const { client, calls } = mockClient();
      const err = await rejectionOf(client.pull.document("", CBSE_XII));
      expect(err).toMatchObject({ name: "DigiLockerInputError", issues: [{ path: "accessToken" }] });
      expect(calls).toHaveLength(0);
    });
  });

  it("maps the spec's 500 unexpected_error sample to UpstreamServerError and never retries it", async () => {
    const { client, pool, calls, sleeps } = mockClient();
    answer(pool, 500, specSample("pull-error.json"));
    const err = await rejectionOf(client.pull.document(TOKEN, CBSE_XII, { maxRetries: 5 }));
    expect(err).toBeInstanceOf(UpstreamServerError);
    expect(err).toMatchObject({
      status: 500,
      code: "unexpected_error",
      description: "Internal server error",
      endpoint: "pull.document",
    });
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("marks 500 repository_service_configerror as not retryable", async () => {
    const { client, pool, calls } = mockClient();
    const { description } = errorTables["pull.document"].repository_service_configerror;
    answer(pool, 500, error("repository_service_configerror", description));
    const err = await rejectionOf(client.pull.document(TOKEN, CBSE_XII));
    expect(err).toBeInstanceOf(UpstreamServerError);
    expect(err).toMatchObject({
      status: 500,
      code: "repository_service_configerror",
      description: "The issuer service is not available. Please contact DigiLocker support.",
      retryable: false,
    });
    expect(calls).toHaveLength(1);
  });

  it.each([
    [
      400,
      "pull_response_pending",
      "The details provided above do not exactly match with the details on the certificate. Your request has been forwarded to the Issuer department. The Issuer department will verify the details provided above. If the verification is successful, your certificate will be made available in the Issued Documents section of your DigiLocker.",
      BadRequestError,
    ],
    [400, "uri_exists", "This document already exists in your Issued Documents.", BadRequestError],
    [
      404,
      "record_not_found",
      "No record found in issuer database for given criteria. Please check the details and try again. If problem persists, see the FAQ section for possible causes.",
      NotFoundError,
    ],
    [
      400,
      "aadhaar_not_linked",
      "To access issued documents, please link your Aadhaar number to your DigiLocker account.",
      BadRequestError,
    ],
    [400, "invalid_orgid", "The orgid parameter is missing or invalid", BadRequestError],
    [400, "invalid_doctype", "The doctype parameter is missing or invalid", BadRequestError],
    [401, "invalid_token", "The access token is invalid", InvalidTokenError],
  ] as const)("maps %i %s to its class with the spec's description", async (status, code, description, cls) => {
    const { client, pool, calls } = mockClient();
    answer(pool, status, error(code, description));
    const err = await rejectionOf(client.pull.document(TOKEN, CBSE_XII));
    expect(err).toBeInstanceOf(cls);
    expect(err).toMatchObject({ status, code, description, endpoint: "pull.document", retryable: false });
    expect(errorTables["pull.document"][code]).toEqual({ status, description });
    expect(calls).toHaveLength(1);
  });
});

describe("pullConsentText", () => {
  it("is the spec's consent sentence with the issuer and certificate names filled in", () => {
    expect(pullConsentText("CBSE", "Class XII Marksheet")).toBe(
      "I provide my consent to share my Aadhaar Number, Date of Birth and Name from my Aadhaar eKYC information " +
        "with the CBSE for the purpose of fetching my Class XII Marksheet into DigiLocker.",
    );
  });
});
