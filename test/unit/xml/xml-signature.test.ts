// verifyXmlSignature (src/xml/xml-signature.ts) on documents signed by the sandbox in both profiles and with
// both certificates, on signatures made here (no KeyInfo, C14N 1.0, expired signers), and on input that must
// never make it throw. The hostile corpus is in hostile.test.ts.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { SignedXml } from "xml-crypto";
import { describe, expect, it } from "vitest";
import { loadSandboxKeys, sandboxSigningCertificates } from "../../../src/sandbox/keys.js";
import { buildCatalogue } from "../../../src/sandbox/seed/catalogue.js";
import { seedPeople, USER_IDS } from "../../../src/sandbox/seed/users.js";
import { createSignedXml, signXml } from "../../../src/sandbox/seed/xml.js";
import { certificateSigningTime, eAadhaarSigningTime } from "../../../src/xml/signing-time.js";
import { TrustStore } from "../../../src/xml/trust-store.js";
import { restrictedVerifier, verifyXmlSignature } from "../../../src/xml/xml-signature.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/xml/${name}`, import.meta.url), "utf8");
const [primaryPem, rotatedPem] = sandboxSigningCertificates() as [string, string];
const sandboxTrust = TrustStore.fromPems([primaryPem, rotatedPem]);
const PRIMARY = "a618908564298b0e595d8b7f35693aa2b9db0152a0f9e02bbda8f43bd38e471c";
const ROTATED = "9ef6d5104ac501132fdddb5ce64c4588322f6f1b8be9775e961ddf0af3cca390";
const EXPIRED = "a3320b3c3e96a330f01226de73e3704edc2ad70ea713d0bc1f5f513d19f2ecaf";
const NOW = new Date("2026-12-01T00:00:00Z");

const RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
const C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
const ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";

const UNSIGNED = '<?xml version="1.0" encoding="UTF-8"?>\n<Certificate number="1" issueDate="12-05-2015"><CertificateData><Marks>88</Marks></CertificateData></Certificate>';
/** UNSIGNED, canonical (exclusive C14N): attributes sorted, no declaration, empty elements written out. */
const CANONICAL = '<Certificate issueDate="12-05-2015" number="1"><CertificateData><Marks>88</Marks></CertificateData></Certificate>';

/** Signs like a third party would: the options the sandbox never uses. */
function sign(xml: string, options: { key: string; cert: string; keyInfo?: boolean; c14n?: string; transforms?: string[] }): string {
  const sig = new SignedXml({
    privateKey: options.key,
    publicCert: options.cert,
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: options.c14n ?? EXC_C14N,
    ...(options.keyInfo === false ? { getKeyInfoContent: () => null } : {}),
  });
  sig.addReference({ xpath: "/*", isEmptyUri: true, digestAlgorithm: SHA256, transforms: options.transforms ?? [ENVELOPED, EXC_C14N] });
  sig.computeSignature(xml, { location: { reference: "/*", action: "append" } });
  return sig.getSignedXml();
}

const expiredSigner = { key: fixture("expired-signer-key.pem"), cert: fixture("expired-signer-cert.pem") };
const expiredTrust = sandboxTrust.merge(TrustStore.fromPems([expiredSigner.cert]));
const certificateOn = (issueDate: string) => UNSIGNED.replace("12-05-2015", issueDate);

describe("verifyXmlSignature: documents the sandbox signs", () => {
  const combos = [
    { profile: "rsa-sha256", certificate: "primary", algorithm: "RSA-SHA256", fingerprint: PRIMARY, name: "DigiLocker Sandbox Signing Key" },
    { profile: "rsa-sha1", certificate: "primary", algorithm: "RSA-SHA1", fingerprint: PRIMARY, name: "DigiLocker Sandbox Signing Key" },
    { profile: "rsa-sha256", certificate: "rotated", algorithm: "RSA-SHA256", fingerprint: ROTATED, name: "DigiLocker Sandbox Signing Key (rotated)" },
    { profile: "rsa-sha1", certificate: "rotated", algorithm: "RSA-SHA1", fingerprint: ROTATED, name: "DigiLocker Sandbox Signing Key (rotated)" },
  ] as const;

  it.each(combos)("$profile with the $certificate certificate is VALID, with the canonical signed XML", ({ profile, certificate, algorithm, fingerprint, name }) => {
    const keys = loadSandboxKeys({ profile, certificate });
    const xml = createSignedXml(UNSIGNED, keys);
    expect(xml).toContain(`<SignatureMethod Algorithm="${profile === "rsa-sha1" ? "http://www.w3.org/2000/09/xmldsig#rsa-sha1" : RSA_SHA256}"/>`);
    expect(verifyXmlSignature(xml, { trust: sandboxTrust, now: NOW, signingTime: certificateSigningTime })).toEqual({
      status: "VALID",
      reason: "trusted certificate, valid now",
      algorithm,
      signerName: name,
      certificateFingerprint: fingerprint,
      signedXml: CANONICAL,
    });
  });

  it.each(combos)("$profile/$certificate: seeded certificate and e-Aadhaar XML verify", ({ profile, certificate, fingerprint }) => {
    const people = seedPeople(buildCatalogue(), loadSandboxKeys({ profile, certificate }));
    const hscer = people.issued.find((d) => d.uri === "in.gov.cbse-HSCER-201412345678")!.xml!;
    const cert = verifyXmlSignature(hscer, { trust: sandboxTrust, now: NOW, signingTime: certificateSigningTime });
    expect(cert).toMatchObject({ status: "VALID", certificateFingerprint: fingerprint });
    expect(cert.signedXml).toMatch(/^<Certificate expiryDate="" issueDate="12-05-2015" issuedAt="" language="99" name="Class XII Marksheet" number="201412345678" /);
    const eAadhaar = people.users.get(USER_IDS.ajit)!.eAadhaarXml!;
    const kyc = verifyXmlSignature(eAadhaar, { trust: sandboxTrust, now: NOW, signingTime: eAadhaarSigningTime });
    expect(kyc).toMatchObject({ status: "VALID", certificateFingerprint: fingerprint });
    expect(kyc.signedXml).toMatch(/^<Certificate><CertificateData><KycRes code="[0-9a-f]{32}" ret="Y" ts="2024-/);
  });

  it("signs again for another profile or certificate: each loadSandboxKeys has its own signer and cache", () => {
    const a = signXml(UNSIGNED, loadSandboxKeys({ profile: "rsa-sha256", certificate: "primary" }));
    const b = signXml(UNSIGNED, loadSandboxKeys({ profile: "rsa-sha1", certificate: "primary" }));
    const c = signXml(UNSIGNED, loadSandboxKeys({ profile: "rsa-sha1", certificate: "rotated" }));
    expect(new Set([a, b, c]).size).toBe(3);
    expect([a, b, c].map((x) => verifyXmlSignature(x, { trust: sandboxTrust, now: NOW }).algorithm)).toEqual(["RSA-SHA256", "RSA-SHA1", "RSA-SHA1"]);
    expect(verifyXmlSignature(c, { trust: sandboxTrust, now: NOW }).certificateFingerprint).toBe(ROTATED);
  });

  it("is UNKNOWN_SIGNER when the trust store lacks the certificate in KeyInfo", () => {
    const xml = createSignedXml(UNSIGNED, loadSandboxKeys({ profile: "rsa-sha1", certificate: "rotated" }));
    expect(verifyXmlSignature(xml, { trust: TrustStore.fromPems([primaryPem]), now: NOW })).toEqual({
      status: "UNKNOWN_SIGNER",
      reason: "verifies with a KeyInfo certificate that is not trusted",
      algorithm: "RSA-SHA1",
      signerName: "DigiLocker Sandbox Signing Key (rotated)",
      certificateFingerprint: ROTATED,
      signedXml: CANONICAL,
    });
  });

  it("is INVALID after one attribute is changed, and with an empty trust store", () => {
    const xml = createSignedXml(UNSIGNED, loadSandboxKeys());
    expect(verifyXmlSignature(xml.replace('number="1"', 'number="2"'), { trust: sandboxTrust, now: NOW })).toMatchObject({
      status: "INVALID",
      reason: "digest mismatch",
      signedXml: null,
    });
    expect(verifyXmlSignature(sign(UNSIGNED, { key: loadSandboxKeys().privateKeyPem, cert: primaryPem, keyInfo: false }), { trust: TrustStore.fromPems([]), now: NOW })).toMatchObject({
      status: "INVALID",
      reason: "no certificate to verify with: the trust store is empty",
    });
  });
});

describe("verifyXmlSignature: signatures without KeyInfo, and other canonicalisations", () => {
  const primaryKey = loadSandboxKeys().privateKeyPem;

  it("tries each trusted certificate when KeyInfo has none", () => {
    const xml = sign(UNSIGNED, { key: primaryKey, cert: primaryPem, keyInfo: false });
    expect(xml).not.toContain("KeyInfo");
    expect(verifyXmlSignature(xml, { trust: TrustStore.fromPems([rotatedPem, primaryPem]), now: NOW })).toMatchObject({
      status: "VALID",
      certificateFingerprint: PRIMARY,
      signedXml: CANONICAL,
    });
    expect(verifyXmlSignature(xml, { trust: TrustStore.fromPems([rotatedPem]), now: NOW })).toMatchObject({
      status: "INVALID",
      reason: "no trusted certificate verifies the signature",
      certificateFingerprint: null,
      signedXml: null,
    });
  });

  it("accepts C14N 1.0, and enveloped-signature alone (C14N 1.0 is then implied)", () => {
    for (const xml of [
      sign(UNSIGNED, { key: primaryKey, cert: primaryPem, c14n: C14N, transforms: [ENVELOPED, C14N] }),
      sign(UNSIGNED, { key: primaryKey, cert: primaryPem, transforms: [ENVELOPED] }),
    ]) {
      expect(verifyXmlSignature(xml, { trust: sandboxTrust, now: NOW })).toMatchObject({ status: "VALID", signedXml: CANONICAL });
    }
  });
});

describe("verifyXmlSignature: the signer's validity window", () => {
  // The expired test signer is valid 2020-01-01 to 2022-01-01 (test/fixtures/xml/README.md).
  it("is VALID for a document stating a time inside the window, though the certificate has expired", () => {
    const xml = sign(certificateOn("15-03-2021"), expiredSigner);
    expect(verifyXmlSignature(xml, { trust: expiredTrust, now: NOW, signingTime: certificateSigningTime })).toMatchObject({
      status: "VALID",
      reason: "trusted certificate, valid at the stated signing time",
      signerName: "Expired Test Signer",
      certificateFingerprint: EXPIRED,
    });
  });

  it("is SIGNER_EXPIRED for a document stating a time after the window, read now", () => {
    const xml = sign(certificateOn("01-06-2024"), expiredSigner);
    const result = verifyXmlSignature(xml, { trust: expiredTrust, now: NOW, signingTime: certificateSigningTime });
    expect(result).toMatchObject({
      status: "SIGNER_EXPIRED",
      reason: "trusted certificate, not valid at the stated signing time or now",
      certificateFingerprint: EXPIRED,
    });
    // The signed content is still handed back: the caller may show it, marked.
    expect(result.signedXml).toContain('issueDate="01-06-2024"');
  });

  it("is SIGNER_EXPIRED when the document states no time and the window is past", () => {
    const xml = sign(certificateOn("15-03-2021"), expiredSigner);
    expect(verifyXmlSignature(xml, { trust: expiredTrust, now: NOW }).status).toBe("SIGNER_EXPIRED");
  });

  it("is VALID when now is inside the window, whatever the stated time", () => {
    const xml = sign(certificateOn("01-06-2024"), expiredSigner);
    expect(verifyXmlSignature(xml, { trust: expiredTrust, now: new Date("2021-06-01T00:00:00Z"), signingTime: certificateSigningTime })).toMatchObject({
      status: "VALID",
      reason: "trusted certificate, valid now",
    });
  });

  it("reads the stated time from the signed canonical XML", () => {
    const seen: string[] = [];
    const xml = sign(certificateOn("15-03-2021"), expiredSigner);
    verifyXmlSignature(xml, { trust: expiredTrust, now: NOW, signingTime: (signed) => (seen.push(signed), null) });
    expect(seen).toEqual([CANONICAL.replace("12-05-2015", "15-03-2021")]);
  });
});

describe("verifyXmlSignature: limits and robustness", () => {
  const genuine = createSignedXml(UNSIGNED, loadSandboxKeys());

  it("refuses documents over maxBytes, counted in UTF-8", () => {
    expect(verifyXmlSignature(genuine, { trust: sandboxTrust, now: NOW, maxBytes: 1000 })).toMatchObject({ status: "INVALID", reason: "larger than 1000 bytes" });
    const unsigned = `<a>${"é".repeat(60)}</a>`; // 67 characters, 127 bytes
    expect(verifyXmlSignature(unsigned, { trust: sandboxTrust, now: NOW, maxBytes: 100 }).reason).toBe("larger than 100 bytes");
    expect(verifyXmlSignature(unsigned, { trust: sandboxTrust, now: NOW, maxBytes: 127 }).status).toBe("UNSIGNED");
  });

  it("refuses documents with more than maxElements elements (default 2000)", () => {
    const rows = (n: number) => `<Certificate>${"<Row/>".repeat(n - 1)}</Certificate>`;
    expect(verifyXmlSignature(rows(2000), { trust: sandboxTrust, now: NOW }).status).toBe("UNSIGNED");
    expect(verifyXmlSignature(rows(2001), { trust: sandboxTrust, now: NOW }).reason).toBe("more than 2000 elements");
    expect(verifyXmlSignature(genuine, { trust: sandboxTrust, now: NOW, maxElements: 3 }).reason).toBe("more than 3 elements");
  });

  it.each([
    ["", "malformed XML: no root element"],
    ["<a>", "malformed XML: unclosed element"],
    ["<a/><b/>", "malformed XML: more than one root element"],
    ["<a/>text", "malformed XML: text outside the root element"],
    ['<a x="1" x="2"/>', "malformed XML: repeated attribute"],
    ["<a>&nbsp;</a>", "malformed XML: bad reference"],
    ["<p:a/>", "malformed XML: unbound namespace prefix"],
    ["<a>\u0001</a>", "malformed XML: a character XML does not allow"],
    ['<?xml-stylesheet href="x"?><a/>', "processing instruction refused"],
    ['<!DOCTYPE a SYSTEM "http://example.com/a.dtd"><a/>', "DOCTYPE refused"],
    ["<a><!ELEMENT a ANY></a>", "DTD markup refused"],
  ])("refuses %j: %s", (xml, reason) => {
    expect(verifyXmlSignature(xml, { trust: sandboxTrust, now: NOW })).toEqual({
      status: "INVALID",
      reason,
      algorithm: null,
      signerName: null,
      certificateFingerprint: null,
      signedXml: null,
    });
  });

  it("accepts a byte order mark before the declaration", () => {
    expect(verifyXmlSignature(`\uFEFF${genuine}`, { trust: sandboxTrust, now: NOW }).status).toBe("VALID");
  });

  it("refuses a Signature element with an Object, or a foreign element in SignedInfo", () => {
    const withObject = genuine.replace("</Signature>", "<Object>x</Object></Signature>");
    expect(verifyXmlSignature(withObject, { trust: sandboxTrust, now: NOW }).reason).toBe("Object element in Signature");
    const foreign = genuine.replace("<SignedInfo>", '<SignedInfo><x:Note xmlns:x="urn:x"/>');
    expect(verifyXmlSignature(foreign, { trust: sandboxTrust, now: NOW }).reason).toBe("foreign element in SignedInfo");
  });

  it("never throws, and what verifies is always the genuine signed content", () => {
    const keyInfo = [genuine.indexOf("<KeyInfo>"), genuine.indexOf("</KeyInfo>")] as const;
    const positions = fc.integer({ min: 0, max: genuine.length - 1 });
    const mutation = fc.oneof(
      fc.tuple(positions, fc.constant("")), // delete a character
      fc.tuple(positions, fc.constantFrom(" ", "<", ">", "&", '"', "a", "=", "/", "<!---->", "<?x?>", "\u0000")),
    );
    fc.assert(
      fc.property(mutation, ([at, insert]) => {
        const xml = insert === "" ? genuine.slice(0, at) + genuine.slice(at + 1) : genuine.slice(0, at) + insert + genuine.slice(at);
        const result = verifyXmlSignature(xml, { trust: sandboxTrust, now: NOW });
        if (result.status === "VALID" || result.status === "UNKNOWN_SIGNER") expect(result.signedXml).toBe(CANONICAL);
        if (result.status === "INVALID") expect(result.signedXml).toBeNull();
        // A changed byte in KeyInfo's certificate, outside its key, makes another certificate (another
        // fingerprint) with the same key: it verifies, but pinning is by certificate, so it is not trusted.
        if (result.status === "UNKNOWN_SIGNER") expect(at > keyInfo[0] && at < keyInfo[1]).toBe(true);
      }),
      { numRuns: 300, seed: 20261207 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(["INVALID", "UNSIGNED"]).toContain(verifyXmlSignature(text, { trust: sandboxTrust, now: NOW }).status);
      }),
      { numRuns: 300, seed: 20261207 },
    );
  });
});

describe("restrictedVerifier", () => {
  it("gives xml-crypto only the allowed algorithms and no key from KeyInfo", () => {
    const verifier = restrictedVerifier(primaryPem);
    expect(Object.keys(verifier.SignatureAlgorithms)).toEqual([RSA_SHA256, "http://www.w3.org/2000/09/xmldsig#rsa-sha1"]);
    expect(Object.keys(verifier.HashAlgorithms)).toEqual([SHA256]);
    expect(Object.keys(verifier.CanonicalizationAlgorithms)).toEqual([ENVELOPED, EXC_C14N, C14N]);
    expect(verifier.getCertFromKeyInfo(null)).toBeNull();
  });

  it("refuses, on its own, a SHA-1 digest the structural checks would have stopped", () => {
    const sig = new SignedXml({ privateKey: loadSandboxKeys().privateKeyPem, publicCert: primaryPem, signatureAlgorithm: RSA_SHA256, canonicalizationAlgorithm: EXC_C14N });
    sig.addReference({ xpath: "/*", isEmptyUri: true, digestAlgorithm: "http://www.w3.org/2000/09/xmldsig#sha1", transforms: [ENVELOPED, EXC_C14N] });
    sig.computeSignature(UNSIGNED, { location: { reference: "/*", action: "append" } });
    const xml = sig.getSignedXml();
    const verifier = restrictedVerifier(primaryPem);
    verifier.loadSignature(/<Signature [\s\S]*<\/Signature>/.exec(xml)![0]);
    expect(() => verifier.checkSignature(xml)).toThrow(/hash algorithm .* is not supported/);
  });
});
