// A document's contents through GraphQL over real HTTP against the embedded sandbox: download links that fetch the
// sandbox's bytes, certificate data and e-Aadhaar with their XML signatures checked, the typed outcomes, what a
// hostile caller or a tampered document gets, and what the operation limits refuse.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DigiLockerClient } from "../../../src/digilocker/index.js";
import { loadConfig } from "../../../src/config.js";
import { startGateway } from "../../../src/server/gateway.js";
import { AJIT, ASHA, PRIYA, RAHUL, startTestGateway, type TestGateway } from "../../helpers/gateway.js";
import { startTestSandbox, type TestSandbox } from "../../helpers/sandbox.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

/** What a scoped field's answer carries while no partner is registered (docs/partners.md, "Development mode"). */
const DEVELOPMENT_NOTICE: unknown = expect.stringMatching(/^Development mode: /);
const DEVELOPMENT_MODE = { developmentMode: DEVELOPMENT_NOTICE };

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

// SHA-256 of the DER of src/sandbox/keys/sandbox-cert.pem and sandbox-rotated-cert.pem (`openssl x509 -fingerprint -sha256`).
const PRIMARY = "a61890856429 8b0e595d8b7f35693aa2b9db0152a0f9e02bbda8f43bd38e471c".replace(/\s/g, "");
const ROTATED = "9ef6d5104ac501132fdddb5ce64c4588322f6f1b8be9775e961ddf0af3cca390";
const PRIMARY_SIGNER = { status: "VALID", algorithm: "RSA-SHA256", signerName: "DigiLocker Sandbox Signing Key", certificateFingerprint: PRIMARY };

interface Doc {
  uri: string;
  name: string;
  hasXml: boolean;
  download: { url: string; expiresAt: string; fileName: string; mimeType: string } | null;
  certificate: { data: Record<string, Record<string, unknown>> | null; signature: Record<string, unknown> } | null;
}

const DONE_WHEN = `{ viewer { issuedDocuments { name download(format: PDF) { url } certificate { signature { status } data } } } }`;
const DOCS = `{ viewer { issuedDocuments { uri name hasXml download(format: PDF) { url expiresAt fileName mimeType }
  certificate { data signature { status reason algorithm signerName certificateFingerprint } } } } }`;
const E_AADHAAR = `{ viewer { eAadhaar { __typename name dateOfBirth gender maskedAadhaar careOf
  address { house street landmark locality villageTownCity subDistrict district state postOffice pinCode country }
  photo issuedAt signature { status algorithm signerName certificateFingerprint } ... on Problem { code message } } } }`;

async function issuedDocs(t: TestGateway, auth: { token?: string; cookie?: string | null }): Promise<Doc[]> {
  const res = await t.query<{ viewer: { issuedDocuments: Doc[] } }>(DOCS, auth);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data?.viewer.issuedDocuments ?? [];
}

/** The sandbox's own copy of a user's document. */
function seeded(t: TestGateway, userId: string, uri: string) {
  const doc = t.sandbox.state.issued.find((d) => d.ownerId === userId && d.uri === uri);
  if (!doc) throw new Error(`no seeded ${uri}`);
  return doc;
}

describe("document contents, signed in to the sandbox", () => {
  let t: TestGateway;
  let priya: string | null;

  beforeAll(async () => {
    t = await startTestGateway();
    priya = (await signInThroughGateway(t, { userId: PRIYA })).cookie;
  });
  afterAll(() => t.close());

  it("answers the issue's query: links that download each document, certificates VALID", async () => {
    const res = await t.query<{ viewer: { issuedDocuments: { name: string; download: { url: string }; certificate: Doc["certificate"] }[] } }>(DONE_WHEN, {
      cookie: priya,
    });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const docs = res.data?.viewer.issuedDocuments ?? [];
    // Priya's seeded locker: 12 documents, 9 with certificate data (src/sandbox/seed/users.ts).
    expect(docs).toHaveLength(12);
    expect(docs.filter((d) => d.certificate !== null)).toHaveLength(9);
    for (const doc of docs) {
      if (doc.certificate !== null) expect(doc.certificate.signature).toEqual({ status: "VALID" });
      const file = await fetch(doc.download.url);
      expect(file.status).toBe(200);
      expect(file.headers.get("content-type")).toBe("application/pdf");
      const bytes = Buffer.from(await file.arrayBuffer());
      expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    }
  });

  it("downloads the sandbox's exact bytes, under the document's name", async () => {
    const docs = await issuedDocs(t, { cookie: priya });
    const hscer = docs.find((d) => d.uri === "in.gov.cbse-HSCER-20109912345");
    expect(hscer?.download).toMatchObject({ fileName: "Class XII Marksheet.pdf", mimeType: "application/pdf" });
    const res = await fetch(hscer?.download?.url ?? "");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="Class XII Marksheet.pdf"');
    expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(seeded(t, PRIYA, "in.gov.cbse-HSCER-20109912345").pdf));
  });

  it("reads certificate data from the signed XML, attributes kept, values as strings", async () => {
    const docs = await issuedDocs(t, { cookie: priya });
    const pan = docs.find((d) => d.uri === "in.gov.pan-PANCR-BQWPS4821K");
    expect(pan?.certificate?.signature).toEqual({ ...PRIMARY_SIGNER, reason: expect.any(String) as unknown });
    const certificate = pan?.certificate?.data?.Certificate;
    expect(certificate).toMatchObject({ "@type": "PANCR", "@number": "BQWPS4821K", "@status": "A" });
    expect(certificate?.IssuedTo).toEqual({
      Person: expect.objectContaining({ "@name": "Priya Sharma", "@uid": "xxxxxxxx0026", "@gender": "F" }) as unknown,
    });
    // Never the signature itself, and never the full Aadhaar number.
    const text = JSON.stringify(pan?.certificate?.data);
    expect(text).not.toContain("SignatureValue");
    expect(text).not.toContain("999999990026");
  });

  it("answers null certificate and null XML link for a document without certificate data", async () => {
    const res = await t.query<{ viewer: { issuedDocuments: { uri: string; certificate: null; xml: null; pdf: { mimeType: string } }[] } }>(
      `{ viewer { issuedDocuments { uri certificate { data } xml: download(format: XML) { url } pdf: download(format: PDF, disposition: INLINE) { mimeType } } } }`,
      { cookie: priya },
    );
    expect(res.errors).toBeUndefined();
    const licence = res.data?.viewer.issuedDocuments.find((d) => d.uri === "in.gov.transport-DRVLC-MH0220150012345");
    expect(licence).toEqual({ uri: "in.gov.transport-DRVLC-MH0220150012345", certificate: null, xml: null, pdf: { mimeType: "application/pdf" } });
  });

  it("serves the certificate XML through an XML link, byte for byte, and a PDF INLINE", async () => {
    const res = await t.query<{ viewer: { issuedDocuments: { uri: string; xml: { url: string; mimeType: string } | null; inline: { url: string } }[] } }>(
      `{ viewer { issuedDocuments { uri xml: download(format: XML) { url mimeType } inline: download(disposition: INLINE) { url } } } }`,
      { cookie: priya },
    );
    const doc = res.data?.viewer.issuedDocuments.find((d) => d.uri === "in.gov.cbse-SSCER-20088812345");
    expect(doc?.xml?.mimeType).toBe("application/xml");
    const xml = await fetch(doc?.xml?.url ?? "");
    expect(xml.headers.get("content-security-policy")).toBe("sandbox; frame-ancestors 'none'");
    expect(await xml.text()).toBe(seeded(t, PRIYA, "in.gov.cbse-SSCER-20088812345").xml);
    const inline = await fetch(doc?.inline.url ?? "");
    await inline.arrayBuffer();
    expect(inline.headers.get("content-disposition")).toBe('inline; filename="Class X Marksheet.pdf"');
  });

  it("reads e-Aadhaar as typed fields from the signed XML (the issue's query)", async () => {
    const plain = await t.query(`{ viewer { eAadhaar { name address { district } signature { status } } } }`, { cookie: priya });
    expect(plain.errors).toBeUndefined();
    expect(plain.data).toEqual({ viewer: { eAadhaar: { name: "Priya Sharma", address: { district: "Mumbai Suburban" }, signature: { status: "VALID" } } } });

    const res = await t.query<{ viewer: { eAadhaar: Record<string, unknown> } }>(E_AADHAAR, { cookie: priya });
    expect(res.errors).toBeUndefined();
    const e = res.data?.viewer.eAadhaar;
    // src/sandbox/seed/users.ts and addresses.ts: Priya Sharma, Aadhaar 999999990026.
    expect(e).toMatchObject({
      __typename: "EAadhaar",
      name: "Priya Sharma",
      gender: "FEMALE",
      maskedAadhaar: "xxxxxxxx0026",
      careOf: "D/O Suresh Sharma",
      address: {
        house: "Flat 1204, Sai Heights",
        street: "Link Road",
        landmark: "Opposite Infiniti Mall",
        locality: "Andheri West",
        villageTownCity: "Mumbai",
        subDistrict: "Andheri",
        district: "Mumbai Suburban",
        state: "Maharashtra",
        postOffice: "Andheri West",
        pinCode: "400053",
        country: "India",
      },
      signature: PRIMARY_SIGNER,
    });
    expect(e?.photo).toMatch(/^data:image\/jpeg;base64,\/9j\//);
    expect(e?.dateOfBirth).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(JSON.stringify(e)).not.toContain("999999990026");
  });

  it("answers Rahul's aadhaar_not_linked and Asha's aadhaar_not_available as typed outcomes", async () => {
    const rahul = await t.query<{ viewer: { eAadhaar: Record<string, unknown> } }>(E_AADHAAR, { token: t.token(RAHUL) });
    expect(rahul.errors).toBeUndefined();
    expect(rahul.data?.viewer.eAadhaar).toMatchObject({
      __typename: "EAadhaarNotLinked",
      code: "AADHAAR_NOT_LINKED",
      name: null,
      address: null,
      signature: null,
    });
    const asha = await t.query<{ viewer: { eAadhaar: Record<string, unknown> } }>(E_AADHAAR, { token: t.token(ASHA) });
    expect(asha.errors).toBeUndefined();
    expect(asha.data?.viewer.eAadhaar).toMatchObject({ __typename: "EAadhaarNotAvailable", code: "EAADHAAR_NOT_AVAILABLE", name: null });
  });

  it("verifies every seeded user's certificates and e-Aadhaar as VALID", async () => {
    for (const user of [AJIT, PRIYA, ASHA]) {
      const res = await t.query<{ viewer: { issuedDocuments: { uri: string; certificate: { signature: { status: string } } | null }[] } }>(
        `{ viewer { issuedDocuments { uri certificate { signature { status } } } } }`,
        { token: t.token(user) },
      );
      // Ajit's offline issuer answers 530 for its XML: that one document's certificate is an error, the rest stand.
      const statuses = (res.data?.viewer.issuedDocuments ?? []).filter((d) => d.certificate !== null).map((d) => d.certificate?.signature.status);
      expect(statuses.length).toBeGreaterThan(0);
      expect(new Set(statuses)).toEqual(new Set(["VALID"]));
    }
    const ajit = await t.query<{ viewer: { eAadhaar: { signature: { status: string } } } }>(`{ viewer { eAadhaar { signature { status } } } }`, {
      token: t.token(AJIT),
    });
    expect(ajit.data?.viewer.eAadhaar.signature.status).toBe("VALID");
  });

  it("reads each document's XML once per request, however many aliases ask", async () => {
    t.gateway.upstreamCalls.reset();
    const res = await t.query(
      `{ node(id: "${Buffer.from("IssuedDocument:in.gov.cbse-SSCER-20088812345").toString("base64")}") {
        ... on IssuedDocument { a: certificate { signature { status } } b: certificate { data } c: certificate { signature { reason } } } } }`,
      { cookie: priya },
    );
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    expect(t.gateway.upstreamCalls.count("files.xml")).toBe(1);
    // Not kept beyond the request: the next one reads it again, with her 8 other certificates.
    await t.query(`{ viewer { issuedDocuments { certificate { signature { status } } } } }`, { cookie: priya });
    expect(t.gateway.upstreamCalls.count("files.xml")).toBe(1 + 9);
  });

  it("refuses 300 aliased certificates before any DigiLocker call", async () => {
    t.gateway.upstreamCalls.reset();
    const aliases = Array.from({ length: 300 }, (_, i) => `c${i}: certificate { signature { status } }`).join(" ");
    const res = await t.query(`{ viewer { issuedDocuments { ${aliases} } } }`, { cookie: priya });
    // The document's token count is the first limit they meet (GRAPHQL_MAX_TOKENS 2,000).
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "OPERATION_LIMIT_EXCEEDED", limit: "tokens" });
    expect(res.data ?? null).toBeNull();
    expect(t.gateway.upstreamCalls.total()).toBe(0);
  });

  it("prices 300 aliased certificates at their DigiLocker calls when the size limits let them through", async () => {
    const wide = await startTestGateway({ GRAPHQL_MAX_TOKENS: "100000", GRAPHQL_MAX_ALIASES: "1000", GRAPHQL_MAX_DOCUMENT_BYTES: "100000", GRAPHQL_MAX_COST: "1000000" });
    try {
      const aliases = Array.from({ length: 300 }, (_, i) => `c${i}: certificate { signature { status } }`).join(" ");
      wide.gateway.upstreamCalls.reset();
      const res = await wide.query(`{ viewer { issuedDocuments { ${aliases} } } }`, { token: wide.token(PRIYA) });
      // viewer 1 + issuedDocuments 1 + 50 priced documents × 300 certificates
      expect(res.errors?.[0]?.extensions).toEqual({ code: "OPERATION_LIMIT_EXCEEDED", limit: "upstreamCalls", max: 100, found: 15002 });
      expect(wide.gateway.upstreamCalls.total()).toBe(0);
    } finally {
      await wide.close();
    }
  });

  it("does not hand out another user's document: node(id) of Ajit's URI is null for Priya", async () => {
    const ajitsUri = "in.gov.cbse-HSCER-201412345678";
    const res = await t.query(
      `{ node(id: "${Buffer.from(`IssuedDocument:${ajitsUri}`).toString("base64")}") { ... on IssuedDocument { download { url } certificate { data } } } }`,
      { cookie: priya },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ node: null });
  });

  it("reads a tampered certificate as INVALID with no data, and a tampered e-Aadhaar with no fields", async () => {
    const token = t.token(AJIT);
    const doc = seeded(t, AJIT, "in.gov.pan-PANCR-ABCDE1234F");
    const genuine = doc.xml ?? "";
    doc.xml = genuine.replace('number="ABCDE1234F"', 'number="ZZZZZ9999Z"');
    const user = t.sandbox.state.users.get(AJIT);
    if (!user) throw new Error("no Ajit");
    const genuineKyc = user.eAadhaarXml ?? "";
    user.eAadhaarXml = genuineKyc.replace("Ajit Kumar", "Mallory");
    try {
      const res = await t.query<{ viewer: { issuedDocuments: Doc[]; eAadhaar: Record<string, unknown> } }>(
        `{ viewer { issuedDocuments { uri certificate { data signature { status reason } } } eAadhaar { name signature { status } } } }`,
        { token },
      );
      const pan = res.data?.viewer.issuedDocuments.find((d) => d.uri === "in.gov.pan-PANCR-ABCDE1234F");
      expect(pan?.certificate).toEqual({ data: null, signature: { status: "INVALID", reason: "digest mismatch" } });
      expect(res.data?.viewer.eAadhaar).toEqual({ name: null, signature: { status: "INVALID" } });
    } finally {
      doc.xml = genuine;
      user.eAadhaarXml = genuineKyc;
    }
  });

  it("fails a certificate whose file HMAC is wrong, as an error and not as data", async () => {
    t.sandbox.setFaults({ wrongHmac: true, endpoints: ["files.xml"] });
    try {
      const res = await t.query<{ viewer: { issuedDocuments: { uri: string; certificate: unknown }[] } }>(
        `{ viewer { issuedDocuments { uri certificate { data } } } }`,
        { token: t.token(PRIYA) },
      );
      expect(res.errors?.map((e) => e.extensions?.code)).toContain("UPSTREAM_INVALID_RESPONSE");
      expect(res.data?.viewer.issuedDocuments.every((d) => d.certificate === null)).toBe(true);
    } finally {
      t.sandbox.setFaults({});
    }
  });
});

describe("download links from GraphQL end with what they were made for", () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ ALLOWED_REDIRECT_ORIGINS: "https://partner.example.in" });
  });
  afterAll(() => t.close());

  const firstLink = async (auth: { cookie?: string | null; token?: string }) => {
    const res = await t.query<{ viewer: { issuedDocuments: { download: { url: string } }[] } }>(`{ viewer { issuedDocuments { download { url } } } }`, auth);
    const url = res.data?.viewer.issuedDocuments[0]?.download.url;
    if (url === undefined) throw new Error("no link");
    return url;
  };

  it("a browser session's link stops at sign-out (410 session_ended)", async () => {
    const { cookie } = await signInThroughGateway(t, { userId: PRIYA });
    const url = await firstLink({ cookie });
    expect((await fetch(url)).status).toBe(200);
    const out = await t.query(`mutation { signOut { signedOut } }`, { cookie });
    expect(out.errors).toBeUndefined();
    const res = await fetch(url);
    expect(res.status).toBe(410);
    expect(await res.json()).toMatchObject({ error: "session_ended" });
  });

  it("a consent request's link stops when the partner revokes it (410 consent_revoked)", async () => {
    const created = await t.query<{ createConsentRequest: { id: string; url: string } }>(
      `mutation { createConsentRequest(input: { redirectUrl: "https://partner.example.in/done" }) { id url } }`,
    );
    const request = created.data?.createConsentRequest;
    if (!request) throw new Error(JSON.stringify(created.errors));
    await signInThroughGateway(t, { start: request.url, userId: ASHA });
    // In one request with a viewer (Priya, bearer): each link acts for the locker it was listed from.
    type Listed = { issuedDocuments: { uri: string; download: { url: string } }[] };
    const read = await t.query<{ consentRequest: { user: Listed }; viewer: Listed }>(
      `query ($id: ID!) { consentRequest(id: $id) { user { issuedDocuments { uri download { url } } } } viewer { issuedDocuments { uri download { url } } } }`,
      { variables: { id: request.id }, token: t.token(PRIYA) },
    );
    expect(read.errors).toBeUndefined();
    const ashas = read.data?.consentRequest.user.issuedDocuments[0];
    const priyas = read.data?.viewer.issuedDocuments[0];
    expect(ashas?.uri).toBe("in.gov.delhi-DOMCR-7700112233");
    expect(priyas?.uri).toBe("in.gov.cbse-SSCER-20088812345");
    const url = ashas?.download.url ?? "";
    const ashaFile = await fetch(url);
    expect(sha256(Buffer.from(await ashaFile.arrayBuffer()))).toBe(sha256(seeded(t, ASHA, "in.gov.delhi-DOMCR-7700112233").pdf));
    const priyaFile = await fetch(priyas?.download.url ?? "");
    expect(sha256(Buffer.from(await priyaFile.arrayBuffer()))).toBe(sha256(seeded(t, PRIYA, "in.gov.cbse-SSCER-20088812345").pdf));
    await t.query(`mutation ($id: ID!) { revokeConsentRequest(id: $id) { status } }`, { variables: { id: request.id } });
    const res = await fetch(url);
    expect(res.status).toBe(410);
    expect(await res.json()).toMatchObject({ error: "consent_revoked" });
  });

  it("a bearer token's link stops when the token is revoked (410 token_revoked)", async () => {
    const token = t.token(AJIT);
    const url = await firstLink({ token });
    const revoked = await t.query(`mutation { revokeToken(input: { token: "${token}" }) { revoked } }`);
    expect(revoked.errors).toBeUndefined();
    const res = await fetch(url);
    expect(res.status).toBe(410);
    expect(await res.json()).toMatchObject({ error: "token_revoked" });
  });

  it("an uploaded file's link downloads its bytes", async () => {
    const res = await t.query<{ viewer: { rootFolder: { files: { name: string; uri: string; download: { url: string; fileName: string; mimeType: string } }[] } } }>(
      `{ viewer { rootFolder { files { name uri download { url fileName mimeType } } } } }`,
      { token: t.token(AJIT) },
    );
    const file = res.data?.viewer.rootFolder.files.find((f) => f.name === "myfile.pdf");
    expect(file?.download).toMatchObject({ fileName: "myfile.pdf", mimeType: "application/pdf" });
    const bytes = Buffer.from(await (await fetch(file?.download.url ?? "")).arrayBuffer());
    const upload = t.sandbox.state.uploads.find((u) => u.uri === "in.gov.digilocker-OTHER-39491058586222");
    expect(sha256(bytes)).toBe(sha256(upload?.data ?? Buffer.alloc(0)));
  });
});

describe("signing profiles and trust", () => {
  it("reads VALID with RSA-SHA1 over SignedInfo and the rotated certificate, naming it", async () => {
    const t = await startTestGateway({ SANDBOX_XML_SIGNATURE_PROFILE: "rsa-sha1", SANDBOX_XML_SIGNING_CERTIFICATE: "rotated" });
    try {
      const res = await t.query<{ viewer: { eAadhaar: { signature: Record<string, unknown> }; issuedDocuments: Doc[] } }>(
        `{ viewer { eAadhaar { signature { status algorithm signerName certificateFingerprint } }
           issuedDocuments { uri certificate { signature { status algorithm signerName certificateFingerprint } } } } }`,
        { token: t.token(PRIYA) },
      );
      const rotated = { status: "VALID", algorithm: "RSA-SHA1", signerName: "DigiLocker Sandbox Signing Key (rotated)", certificateFingerprint: ROTATED };
      expect(res.data?.viewer.eAadhaar.signature).toEqual(rotated);
      expect(res.data?.viewer.issuedDocuments.find((d) => d.uri === "in.gov.pan-PANCR-BQWPS4821K")?.certificate?.signature).toEqual(rotated);
    } finally {
      await t.close();
    }
  });

  describe("against a sandbox the gateway does not run", () => {
    let sandbox: TestSandbox;
    beforeAll(async () => {
      sandbox = await startTestSandbox();
    });
    afterAll(() => sandbox.close());

    const external = (env: Record<string, string> = {}) =>
      loadConfig({ DATA_DIR: "memory",
        PORT: "0",
        LOG_LEVEL: "silent",
        DIGILOCKER_BASE_URL: sandbox.sandbox.baseUrl,
        DIGILOCKER_CLIENT_ID: sandbox.sandbox.clientId,
        DIGILOCKER_CLIENT_SECRET: sandbox.sandbox.clientSecret,
        DIGILOCKER_MAX_RETRIES: "0",
        ...env,
      });

    it("does not trust the sandbox's certificate: its documents read UNKNOWN_SIGNER", async () => {
      const gateway = await startGateway(external(), {});
      try {
        const token = sandbox.sandbox.issueToken({ userId: PRIYA, scopes: ["files.issueddocs"] }).accessToken;
        const res = await fetch(`${gateway.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: "{ viewer { eAadhaar { name signature { status signerName certificateFingerprint } } } }" }),
        });
        expect(await res.json()).toEqual({
          data: {
            viewer: {
              eAadhaar: {
                name: "Priya Sharma",
                signature: { status: "UNKNOWN_SIGNER", signerName: "DigiLocker Sandbox Signing Key", certificateFingerprint: PRIMARY },
              },
            },
          },
          // No partner registered: development mode granted documents:contents.
          extensions: DEVELOPMENT_MODE,
        });
      } finally {
        await gateway.close();
      }
    });

    it("refuses to start with the sandbox's certificate in XML_TRUSTED_CERTIFICATES", async () => {
      const pem = new URL("../../../src/sandbox/keys/sandbox-cert.pem", import.meta.url).pathname;
      expect(readFileSync(pem, "utf8")).toContain("BEGIN CERTIFICATE");
      await expect(startGateway(external({ XML_TRUSTED_CERTIFICATES: pem }), {})).rejects.toThrow(
        /XML_TRUSTED_CERTIFICATES includes the bundled sandbox's signing certificate "DigiLocker Sandbox Signing Key".*private key is public/,
      );
    });
  });
});

describe("the client and the gateway agree on the sandbox's bytes", () => {
  it("a link's body equals Get File's, read straight with the client", async () => {
    const t = await startTestGateway();
    const client = new DigiLockerClient({ baseUrl: t.sandbox.baseUrl, clientId: t.sandbox.clientId, clientSecret: t.sandbox.clientSecret });
    try {
      const token = t.token(ASHA);
      const docs = await issuedDocs(t, { token });
      const doc = docs[0];
      if (!doc?.download) throw new Error("no document");
      const direct = await client.files.downloadBuffer(token, doc.uri);
      const viaLink = Buffer.from(await (await fetch(doc.download.url)).arrayBuffer());
      expect(sha256(viaLink)).toBe(sha256(direct.data));
    } finally {
      await client.close();
      await t.close();
    }
  });
});
