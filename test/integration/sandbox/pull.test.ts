// Pull Document against the sandbox over real HTTP: the README's example values pull a document that then
// lists and downloads like any issued one; every other code of the spec's pull table is reached too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSandbox, type TestSandbox } from "../../helpers/sandbox.js";

const AJIT = "123e4567-e89b-12d3-a456-426655440000";
const PRIYA = "6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f";
const RAHUL = "0b7e3d52-1c4a-4f6e-8d2b-7a9c5e1f3b20";
const ASHA = "c3d4e5f6-a7b8-4c9d-8e0f-112233445566";

const DL = { orgId: "000110", docType: "DRVLC", consent: true as const, parameters: { dlno: "DL0120230100001", dob: "31-12-1970" } };
const PAN = { orgId: "000100", docType: "PANCR", consent: true as const, parameters: { panno: "ABCDE1234F" } };
const CBSE = { orgId: "000018", docType: "HSCER", consent: true as const, parameters: { year: "2014", rollno: "12345678" } };
const PARTNERS = ["partners.DRVLC", "partners.PANCR", "partners.HSCER", "partners.SSCER", "partners.OFCER", "files.issueddocs"];

describe("sandbox: POST /oauth2/1/pull/pulldocument", () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(async () => {
    await t.close();
  });

  const token = (userId: string, scopes = PARTNERS) => t.sandbox.issueToken({ userId, scopes }).accessToken;
  /** A pull with exactly these form fields, as a caller that does not validate sends it. */
  async function rawPull(fields: Record<string, string>, bearer: string | null) {
    const res = await fetch(`${t.sandbox.baseUrl}/oauth2/1/pull/pulldocument`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }) },
      body: new URLSearchParams(fields).toString(),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  const err = (status: number, code: string) => ({ status, code });

  it("pulls the document for the seeded example values; it lists, downloads, and a second pull is uri_exists", async () => {
    const tok = token(ASHA);
    const before = await t.client.files.listIssued(tok);
    const { uri } = await t.client.pull.document(tok, DL);
    expect(uri).toMatch(/^in\.gov\.transport-DRVLC-.+/);
    expect(before.some((i) => i.uri === uri)).toBe(false);

    const after = await t.client.files.listIssued(tok);
    expect(after).toHaveLength(before.length + 1);
    expect(after.find((i) => i.uri === uri)).toMatchObject({ docType: "DRVLC", issuerId: "in.gov.transport" });
    const stored = t.sandbox.state.issued.find((d) => d.ownerId === ASHA && d.uri === uri);
    const file = await t.client.files.downloadBuffer(tok, uri);
    expect(file.contentType).toBe("application/pdf");
    expect(stored && file.data.equals(stored.pdf)).toBe(true);

    await expect(t.client.pull.document(tok, DL)).rejects.toMatchObject({
      name: "BadRequestError",
      status: 400,
      code: "uri_exists",
      description: "This document already exists in your Issued Documents.",
    });
    expect(await t.client.files.listIssued(tok)).toHaveLength(after.length);
  });

  it("answers {uri} with 200, the v2.3 sample's shape, and derives the URI from the values", async () => {
    const res = await rawPull({ orgid: "000100", doctype: "PANCR", consent: "Y", panno: "ABCDE1234F" }, token(PRIYA));
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(["uri"]);
    expect(res.body.uri).toMatch(/^in\.gov\.pan-PANCR-/);
    // Another user pulling the same record gets the same URI.
    expect(await t.client.pull.document(token(ASHA), PAN)).toEqual({ uri: res.body.uri });
  });

  it("answers uri_exists when the user was seeded with the document (the spec's sample URI)", async () => {
    const tok = token(AJIT);
    for (const input of [CBSE, PAN, DL]) {
      await expect(t.client.pull.document(tok, input)).rejects.toMatchObject(err(400, "uri_exists"));
    }
    expect(t.sandbox.state.issued.some((d) => d.ownerId === AJIT && d.uri === "in.gov.cbse-HSCER-201412345678")).toBe(true);
  });

  it("answers 400 invalid_orgid for an unknown or missing orgid", async () => {
    await expect(t.client.pull.document(token(AJIT), { ...CBSE, orgId: "424242" })).rejects.toMatchObject(err(400, "invalid_orgid"));
    const res = await rawPull({ doctype: "HSCER", consent: "Y", year: "2014", rollno: "12345678" }, token(AJIT));
    expect(res).toEqual({ status: 400, body: { error: "invalid_orgid", error_description: "The orgid parameter is missing or invalid" } });
  });

  it("answers 400 invalid_doctype for a doctype the issuer does not provide, or none", async () => {
    await expect(t.client.pull.document(token(AJIT), { ...CBSE, docType: "PANCR" })).rejects.toMatchObject(err(400, "invalid_doctype"));
    expect((await rawPull({ orgid: "000018", consent: "Y" }, token(AJIT))).body.error).toBe("invalid_doctype");
  });

  it("answers 400 invalid_doctype to a lower-case doctype, saying what to fix (docs/spec-assumptions.md #28)", async () => {
    const lower = await rawPull({ orgid: "000018", doctype: "hscer", consent: "Y", year: "2014", rollno: "12345678" }, token(AJIT));
    expect(lower).toEqual({
      status: 400,
      body: { error: "invalid_doctype", error_description: "The doctype parameter is missing or invalid (doctypes are upper case: send HSCER)" },
    });
    // Not a doctype of this issuer in any case: the spec's text alone (spec 1070).
    const other = await rawPull({ orgid: "000018", doctype: "pancr", consent: "Y" }, token(AJIT));
    expect(other).toEqual({ status: 400, body: { error: "invalid_doctype", error_description: "The doctype parameter is missing or invalid" } });
  });

  it("answers 403 insufficient_scope without partners.<DOCTYPE>", async () => {
    await expect(t.client.pull.document(token(AJIT, ["partners.PANCR", "files.issueddocs"]), CBSE)).rejects.toMatchObject({
      name: "InsufficientScopeError",
      ...err(403, "insufficient_scope"),
    });
  });

  it("answers 400 invalid_parameter unless consent is Y (the client never sends anything else)", async () => {
    for (const consent of ["N", "", "yes"]) {
      const res = await rawPull({ orgid: "000018", doctype: "HSCER", consent, year: "2014", rollno: "12345678" }, token(AJIT));
      expect([consent, res.status, res.body]).toEqual([
        consent,
        400,
        { error: "invalid_parameter", error_description: "Consent parameter is missing or not Y" },
      ]);
    }
    expect((await rawPull({ orgid: "000018", doctype: "HSCER", year: "2014", rollno: "12345678" }, token(AJIT))).status).toBe(400);
  });

  it("answers 500 repository_service_configerror for the offline issuer", async () => {
    await expect(
      t.client.pull.document(token(AJIT), { orgId: "000999", docType: "OFCER", consent: true, parameters: offlineExample() }),
    ).rejects.toMatchObject({ name: "UpstreamServerError", ...err(500, "repository_service_configerror") });
  });

  it("answers 400 aadhaar_not_linked for a user without Aadhaar", async () => {
    await expect(t.client.pull.document(token(RAHUL), DL)).rejects.toMatchObject({
      ...err(400, "aadhaar_not_linked"),
      description: "To access issued documents, please link your Aadhaar number to your DigiLocker account.",
    });
  });

  it("answers 400 pull_response_pending when a value starts with PENDING", async () => {
    await expect(
      t.client.pull.document(token(AJIT), { ...CBSE, parameters: { year: "2014", rollno: "PENDING-1" } }),
    ).rejects.toMatchObject(err(400, "pull_response_pending"));
  });

  it("answers 404 record_not_found for other values or a missing parameter", async () => {
    await expect(
      t.client.pull.document(token(AJIT), { ...CBSE, parameters: { year: "2015", rollno: "12345678" } }),
    ).rejects.toMatchObject({ name: "NotFoundError", ...err(404, "record_not_found") });
    await expect(t.client.pull.document(token(AJIT), { ...CBSE, parameters: { year: "2014" } })).rejects.toMatchObject(
      err(404, "record_not_found"),
    );
  });

  it("answers 401 invalid_token for a missing, unknown or revoked token", async () => {
    const fields = { orgid: "000018", doctype: "HSCER", consent: "Y", year: "2014", rollno: "12345678" };
    expect((await rawPull(fields, null)).status).toBe(401);
    expect((await rawPull(fields, "0123456789abcdef0123456789abcdef01234567")).body.error).toBe("invalid_token");
    const revoked = token(AJIT);
    const stored = t.sandbox.state.accessTokens.get(revoked);
    if (!stored) throw new Error("issued token not stored");
    stored.revoked = true;
    await expect(t.client.pull.document(revoked, CBSE)).rejects.toMatchObject({ name: "InvalidTokenError", ...err(401, "invalid_token") });
  });

  it("answers 500 unexpected_error when the service fails (fault injection)", async () => {
    t.sandbox.setFaults({ errorRate: 1, errorCode: "unexpected_error", endpoints: ["pull.document"] });
    try {
      await expect(t.client.pull.document(token(AJIT), CBSE)).rejects.toMatchObject({ name: "UpstreamServerError", ...err(500, "unexpected_error") });
    } finally {
      t.sandbox.setFaults({});
    }
  });

  it("accepts multipart/form-data too", async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ orgid: "000018", doctype: "HSCER", consent: "Y", year: "2014", rollno: "PENDING" })) form.set(k, v);
    const res = await fetch(`${t.sandbox.baseUrl}/oauth2/1/pull/pulldocument`, {
      method: "POST",
      headers: { authorization: `Bearer ${token(AJIT)}` },
      body: form,
    });
    expect([res.status, ((await res.json()) as { error: string }).error]).toEqual([400, "pull_response_pending"]);
  });

  function offlineExample(): Record<string, string> {
    const docType = t.sandbox.state.issuers.find((i) => i.orgid === "000999")?.docTypes.find((d) => d.doctype === "OFCER");
    return Object.fromEntries((docType?.parameters ?? []).map((p) => [p.paramname, p.example]));
  }
});
