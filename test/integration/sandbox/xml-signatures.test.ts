// Every seeded certificate XML and e-Aadhaar XML a sandbox serves verifies VALID against the sandbox's two
// certificates, in both signing profiles and with both certificates (settings.xmlSignature), read now.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { sandboxSigningCertificates } from "../../../src/sandbox/keys.js";
import { certificateSigningTime, eAadhaarSigningTime } from "../../../src/xml/signing-time.js";
import { TrustStore } from "../../../src/xml/trust-store.js";
import { verifyXmlSignature } from "../../../src/xml/xml-signature.js";
import { startTestSandbox, type TestSandbox } from "../../helpers/sandbox.js";

const trust = TrustStore.fromPems(sandboxSigningCertificates());
const PRIMARY = "a618908564298b0e595d8b7f35693aa2b9db0152a0f9e02bbda8f43bd38e471c";
const ROTATED = "9ef6d5104ac501132fdddb5ce64c4588322f6f1b8be9775e961ddf0af3cca390";

const cases = [
  { label: "default settings", settings: undefined, algorithm: "RSA-SHA256", fingerprint: PRIMARY },
  { label: "rsa-sha256, primary", settings: { profile: "rsa-sha256", certificate: "primary" }, algorithm: "RSA-SHA256", fingerprint: PRIMARY },
  { label: "rsa-sha1, primary", settings: { profile: "rsa-sha1", certificate: "primary" }, algorithm: "RSA-SHA1", fingerprint: PRIMARY },
  { label: "rsa-sha256, rotated", settings: { profile: "rsa-sha256", certificate: "rotated" }, algorithm: "RSA-SHA256", fingerprint: ROTATED },
  { label: "rsa-sha1, rotated", settings: { profile: "rsa-sha1", certificate: "rotated" }, algorithm: "RSA-SHA1", fingerprint: ROTATED },
] as const;

describe.each(cases)("sandbox XML signatures: $label", ({ settings, algorithm, fingerprint }) => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox(settings === undefined ? {} : { sandbox: { xmlSignature: settings } });
  });
  afterAll(async () => {
    await t.close();
  });

  async function fetchXml(path: string, userId: string): Promise<string> {
    const token = t.sandbox.issueToken({ userId, scopes: ["files.issueddocs"] }).accessToken;
    const res = await fetch(`${t.sandbox.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status, path).toBe(200);
    return res.text();
  }

  it("every seeded certificate XML verifies VALID with the configured certificate and algorithm", async () => {
    const { state } = t.sandbox;
    const withXml = state.issued.filter((d) => d.xml !== null);
    expect(withXml.length).toBeGreaterThanOrEqual(10);
    for (const doc of withXml) {
      // The offline issuer's documents are refused by the route (530); their XML is checked as held.
      const offline = state.issuers.some((i) => i.issuerid === doc.issuerid && i.offline);
      const xml = offline ? doc.xml! : await fetchXml(`/oauth2/1/xml/${encodeURIComponent(doc.uri)}`, doc.ownerId);
      const result = verifyXmlSignature(xml, { trust, now: new Date(), signingTime: certificateSigningTime });
      expect({ uri: doc.uri, status: result.status, algorithm: result.algorithm, fingerprint: result.certificateFingerprint }).toEqual({
        uri: doc.uri,
        status: "VALID",
        algorithm,
        fingerprint,
      });
      expect(result.signedXml).toMatch(new RegExp(`^<Certificate [^>]*number="${doc.uri.split("-").slice(2).join("-")}"`));
    }
  });

  it("every seeded e-Aadhaar XML verifies VALID", async () => {
    const users = [...t.sandbox.state.users.values()].filter((u) => u.eAadhaarXml !== null);
    expect(users.length).toBeGreaterThanOrEqual(2);
    for (const user of users) {
      const xml = await fetchXml("/oauth2/3/xml/eaadhaar", user.digilockerId);
      expect(xml).toBe(user.eAadhaarXml);
      const result = verifyXmlSignature(xml, { trust, now: new Date(), signingTime: eAadhaarSigningTime });
      expect({ user: user.username, status: result.status, algorithm: result.algorithm, fingerprint: result.certificateFingerprint }).toEqual({
        user: user.username,
        status: "VALID",
        algorithm,
        fingerprint,
      });
      expect(eAadhaarSigningTime(result.signedXml!)?.getUTCFullYear()).toBe(2024);
    }
  });
});

describe("sandbox XML signatures: configuration", () => {
  it("reads SANDBOX_XML_SIGNATURE_PROFILE and SANDBOX_XML_SIGNING_CERTIFICATE, and leaves them unset by default", () => {
    expect(loadConfig({ SANDBOX_XML_SIGNATURE_PROFILE: "rsa-sha1", SANDBOX_XML_SIGNING_CERTIFICATE: "rotated" }).sandbox.xmlSignature).toEqual({
      profile: "rsa-sha1",
      certificate: "rotated",
    });
    expect(loadConfig({ SANDBOX_XML_SIGNATURE_PROFILE: "rsa-sha1" }).sandbox.xmlSignature).toEqual({ profile: "rsa-sha1", certificate: undefined });
    expect(loadConfig({}).sandbox.xmlSignature).toBeUndefined();
    expect(() => loadConfig({ SANDBOX_XML_SIGNATURE_PROFILE: "rsa-md5" })).toThrow(/SANDBOX_XML_SIGNATURE_PROFILE/);
  });
});
