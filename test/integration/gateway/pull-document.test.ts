// Mutation.pullDocument over real HTTP against the embedded sandbox: every outcome docs/sandbox.md says how to
// reach, the parameter checks that spare Pull Document, and the re-consent link followed to a successful pull.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AJIT, ALL_USER_SCOPES, ASHA, PRIYA, RAHUL, startTestGateway, type TestGateway } from "../../helpers/gateway.js";
import { DigiLockerClient } from "../../../src/digilocker/index.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

const SELECTION = `{
  __typename
  ... on IssuedDocument { uri name docTypeCode description issuerId issuerName }
  ... on UnknownPullTarget { field }
  ... on InvalidPullParameters { issues { name problem } }
  ... on PullScopeMissing { docType scope signInUrl }
  ... on Problem { code message }
}`;

interface Pull {
  orgId?: string;
  docType?: string;
  parameters?: { name: string; value: string }[];
  consent?: boolean;
}

/** CBSE HSCER with the values that succeed (docs/sandbox.md). */
const HSCER = [
  { name: "year", value: "2014" },
  { name: "rollno", value: "12345678" },
];
const CBSE_URI = "in.gov.cbse-HSCER-201412345678";
const CBSE_DOCUMENT = {
  __typename: "IssuedDocument",
  uri: CBSE_URI,
  name: "Class XII Marksheet",
  docTypeCode: "HSCER",
  description: "Class XII Marksheet",
  issuerId: "in.gov.cbse",
  issuerName: "Central Board of Secondary Education, Delhi",
};

const MUTATION = `mutation($input: PullDocumentInput!) { pullDocument(input: $input) ${SELECTION} }`;

describe("pullDocument against the sandbox", () => {
  let t: TestGateway;
  const send = async (pull: Pull, options: { token?: string; cookie?: string | null } = {}) => {
    const input = { orgId: "000018", docType: "HSCER", parameters: HSCER, consent: true, ...pull };
    const res = await t.query<{ pullDocument: Record<string, unknown> }>(MUTATION, {
      variables: { input },
      ...(options.cookie !== undefined ? { cookie: options.cookie } : { token: options.token }),
    });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    if (!res.data) throw new Error("no data");
    return res.data;
  };
  const token = (userId: string, ...docTypes: string[]) => t.token(userId, [...ALL_USER_SCOPES, ...docTypes.map((d) => `partners.${d}`)]);
  const issuedUris = async (auth: { token?: string; cookie?: string | null }) => {
    const res = await t.query<{ viewer: { issuedDocuments: { uri: string }[] } }>("{ viewer { issuedDocuments { uri } } }", auth);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data?.viewer.issuedDocuments.map((d) => d.uri) ?? [];
  };

  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => {
    t.gateway.upstreamCalls.reset();
  });

  it("ends the session when DigiLocker answers invalid_token to the pull (a token revoked at DigiLocker)", async () => {
    const before = new Set(t.sandbox.state.accessTokens.keys());
    const signIn = await signInThroughGateway(t, { userId: PRIYA });
    const [revoked] = [...t.sandbox.state.accessTokens.keys()].filter((k) => !before.has(k));
    const client = new DigiLockerClient({ baseUrl: t.sandbox.baseUrl, clientId: t.sandbox.clientId, clientSecret: t.sandbox.clientSecret });
    try {
      await client.oauth.revoke(revoked ?? "", "access_token");
    } finally {
      await client.close();
    }
    const input = { orgId: "000018", docType: "HSCER", parameters: HSCER, consent: true };
    const res = await t.query(MUTATION, { variables: { input }, cookie: signIn.cookie });
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    const session = await t.query<{ session: unknown }>("{ session { expiresAt } }", { cookie: signIn.cookie });
    expect(session.data?.session).toBeNull();
  });

  it("pulls Priya's marksheet in one call, and the next issuedDocuments lists it", async () => {
    const priya = token(PRIYA, "HSCER");
    expect(await issuedUris({ token: priya })).not.toContain(CBSE_URI);
    const data = await send({ docType: "hscer" }, { token: priya });
    expect(data.pullDocument).toEqual(CBSE_DOCUMENT);
    expect(t.gateway.upstreamCalls.count("pull.document")).toBe(1);
    expect(await issuedUris({ token: priya })).toContain(CBSE_URI);
  });

  it("answers DocumentAlreadyIssued for what Ajit already holds (uri_exists)", async () => {
    expect((await send({}, { token: token(AJIT, "HSCER") })).pullDocument).toMatchObject({ __typename: "DocumentAlreadyIssued", code: "DOCUMENT_ALREADY_ISSUED" });
  });

  it("answers PullPending when a value starts with PENDING", async () => {
    const parameters = [{ name: "year", value: "2014" }, { name: "rollno", value: "PENDING1" }];
    expect((await send({ docType: "SSCER", parameters }, { token: token(PRIYA, "SSCER") })).pullDocument).toMatchObject({
      __typename: "PullPending",
      code: "PULL_PENDING",
    });
  });

  it("answers RecordNotFound for details the issuer has no record of", async () => {
    const parameters = [{ name: "year", value: "2015" }, { name: "rollno", value: "87654321" }];
    expect((await send({ docType: "MGCER", parameters }, { token: token(PRIYA, "MGCER") })).pullDocument).toMatchObject({
      __typename: "RecordNotFound",
      code: "RECORD_NOT_FOUND",
    });
  });

  it("answers AadhaarNotLinked for Rahul", async () => {
    expect((await send({}, { token: token(RAHUL, "HSCER") })).pullDocument).toMatchObject({ __typename: "AadhaarNotLinked", code: "AADHAAR_NOT_LINKED" });
  });

  it("answers IssuerUnavailable for the offline issuer 000999", async () => {
    const res = await t.query<{ issuer: { docTypes: { code: string; searchParameters: { name: string; example: string | null }[] }[] } }>(
      `{ issuer(orgId: "000999") { docTypes { code searchParameters { name example } } } }`,
    );
    const ofcer = res.data?.issuer.docTypes.find((d) => d.code === "OFCER");
    const parameters = (ofcer?.searchParameters ?? []).map((p) => ({ name: p.name, value: p.example ?? "1" }));
    const data = await send({ orgId: "000999", docType: "OFCER", parameters }, { token: token(AJIT, "OFCER") });
    expect(data.pullDocument).toMatchObject({ __typename: "IssuerUnavailable", code: "ISSUER_UNAVAILABLE" });
  });

  it("answers PullScopeMissing with a sign-in link for exactly that doctype; following it lets the pull succeed", async () => {
    const data = await send({}, { token: t.token(ASHA) });
    const signInUrl = `${new URL(t.gateway.publicUrl).origin}/auth/sign-in?returnTo=%2Fgraphql&docTypes=HSCER`;
    expect(data.pullDocument).toMatchObject({ __typename: "PullScopeMissing", code: "PULL_SCOPE_MISSING", docType: "HSCER", scope: "partners.HSCER", signInUrl });
    const signIn = await signInThroughGateway(t, { start: signInUrl, userId: ASHA });
    expect(signIn.cookie).not.toBeNull();
    expect((await send({}, { cookie: signIn.cookie })).pullDocument).toEqual(CBSE_DOCUMENT);
    expect(await issuedUris({ cookie: signIn.cookie })).toContain(CBSE_URI);
  });

  describe("refused before any Pull Document call", () => {
    const refused = async (pull: Pull) => {
      const data = await send(pull, { token: token(PRIYA, "HSCER", "SSCER") });
      expect(t.gateway.upstreamCalls.count("pull.document")).toBe(0);
      return data.pullDocument;
    };

    it("a missing parameter", async () => {
      expect(await refused({ parameters: [{ name: "year", value: "2014" }] })).toMatchObject({
        __typename: "InvalidPullParameters",
        code: "INVALID_PULL_PARAMETERS",
        issues: [{ name: "rollno", problem: "is required (Roll Number)" }],
      });
    });

    it("an unknown parameter", async () => {
      expect(await refused({ parameters: [...HSCER, { name: "school", value: "X" }] })).toMatchObject({
        __typename: "InvalidPullParameters",
        issues: [{ name: "school", problem: "is not a search parameter of this document type" }],
      });
    });

    it("a value outside the value list", async () => {
      const out = await refused({ parameters: [{ name: "year", value: "1999" }, { name: "rollno", value: "12345678" }] });
      expect(out).toMatchObject({ __typename: "InvalidPullParameters", issues: [{ name: "year" }] });
      expect((out as { issues: { problem: string }[] }).issues[0]?.problem).toMatch(/^must be one of the listed values \(2001, /);
    });

    it("consent: false", async () => {
      expect(await refused({ consent: false })).toMatchObject({ __typename: "PullConsentMissing", code: "PULL_CONSENT_MISSING" });
    });

    it("an orgId or docType not in the catalogue, naming the field", async () => {
      expect(await refused({ orgId: "999999" })).toMatchObject({ __typename: "UnknownPullTarget", field: "orgId" });
      expect(await refused({ docType: "DRVLC" })).toMatchObject({ __typename: "UnknownPullTarget", field: "docType" });
    });
  });
});
