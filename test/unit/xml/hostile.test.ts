// The hostile corpus (test/fixtures/xml/hostile/, written by make-hostile.ts): each file against the sandbox's
// certificates plus the expired test signer, with the status and reason it must get. INVALID never hands
// back XML to read from.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sandboxSigningCertificates } from "../../../src/sandbox/keys.js";
import { certificateSigningTime } from "../../../src/xml/signing-time.js";
import { TrustStore } from "../../../src/xml/trust-store.js";
import { verifyXmlSignature, type SignatureStatus } from "../../../src/xml/xml-signature.js";

const dir = new URL("../../fixtures/xml/hostile/", import.meta.url);
const trust = TrustStore.fromPems([...sandboxSigningCertificates(), readFileSync(new URL("../expired-signer-cert.pem", dir), "utf8")]);
const now = new Date("2026-12-01T00:00:00Z");
const PRIMARY = "a618908564298b0e595d8b7f35693aa2b9db0152a0f9e02bbda8f43bd38e471c";

const expected: Record<string, [SignatureStatus, string]> = {
  "genuine.xml": ["VALID", "trusted certificate, valid now"],
  "wrapping-duplicate-id.xml": ["INVALID", "Reference URI is not empty"],
  "wrapping-moved-root.xml": ["INVALID", "Signature is not a child of the document element"],
  "wrapping-signature-lifted.xml": ["INVALID", "digest mismatch"],
  "second-reference.xml": ["INVALID", "two Reference elements"],
  "comment-in-digest-value.xml": ["INVALID", "comment inside Signature"],
  "pi-in-signed-text.xml": ["INVALID", "processing instruction refused"],
  "altered-attribute.xml": ["INVALID", "digest mismatch"],
  "comment-in-signed-text.xml": ["VALID", "trusted certificate, valid now"],
  "keyinfo-attacker-resigned.xml": ["UNKNOWN_SIGNER", "verifies with a KeyInfo certificate that is not trusted"],
  "keyinfo-swapped.xml": ["INVALID", "signature does not verify with the KeyInfo certificate"],
  "algorithm-hmac-sha1.xml": ["INVALID", "SignatureMethod hmac-sha1 not allowed"],
  "digest-sha1.xml": ["INVALID", "DigestMethod sha1 not allowed"],
  "c14n-with-comments.xml": ["INVALID", "transform exclusive c14n with comments not allowed"],
  "expired-signer.xml": ["SIGNER_EXPIRED", "trusted certificate, not valid at the stated signing time or now"],
  "expired-signer-signed-while-valid.xml": ["VALID", "trusted certificate, valid at the stated signing time"],
  "unsigned.xml": ["UNSIGNED", "no Signature element"],
  "billion-laughs.xml": ["INVALID", "DOCTYPE refused"],
  "external-entity.xml": ["INVALID", "DOCTYPE refused"],
  "two-signatures.xml": ["INVALID", "two Signature elements"],
  "malformed.xml": ["INVALID", "malformed XML: mismatched end tag"],
  "deep-nesting.xml": ["INVALID", "nested deeper than 200 elements"],
};

const read = (name: string) => readFileSync(new URL(name, dir), "utf8");
const check = (name: string) => verifyXmlSignature(read(name), { trust, now, signingTime: certificateSigningTime });

describe("the hostile corpus", () => {
  it("has a file for every row and a row for every file", () => {
    expect(readdirSync(dir).sort()).toEqual(Object.keys(expected).sort());
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(12);
  });

  it.each(Object.entries(expected))("%s is %j", (name, [status, reason]) => {
    const result = check(name);
    expect(result.status).toBe(status);
    expect(result.reason).toBe(reason);
    if (status === "INVALID") {
      expect(result.signedXml).toBeNull();
      expect(result.signerName).toBeNull();
      expect(result.certificateFingerprint).toBeNull();
    } else {
      expect(result.signedXml).not.toBeNull();
    }
    // Reasons never quote the document.
    expect(result.reason).not.toMatch(/Mallory|Ajit|lol|passwd/);
  });

  it("hands back the signed content, not the attacker's, for the cases that verify", () => {
    const genuine = check("genuine.xml");
    expect(genuine).toMatchObject({ algorithm: "RSA-SHA256", signerName: "DigiLocker Sandbox Signing Key", certificateFingerprint: PRIMARY });
    expect(genuine.signedXml).toContain('<Person dob="31-12-1970" gender="M" name="Ajit Kumar" uid="xxxxxxxx0019"></Person>');
    expect(genuine.signedXml).not.toContain("Signature");
    // A comment slipped into a signed value is gone from what is read: the value is whole.
    const comment = check("comment-in-signed-text.xml");
    expect(comment.signedXml).toBe(genuine.signedXml);
    expect(comment.signedXml).toContain("<Percentage>88.6</Percentage>");
    // The attacker's own signature verifies, with the attacker named, never as VALID.
    expect(check("keyinfo-attacker-resigned.xml")).toMatchObject({
      signerName: "Attacker Test Signer",
      certificateFingerprint: "33ce8b4b755e2c06ead8ae2cbc957d3c7cd75db31ad5c752e78b5b4ea89e45c5",
    });
    expect(check("keyinfo-attacker-resigned.xml").signedXml).toContain('name="Mallory"');
    expect(check("expired-signer.xml")).toMatchObject({ signerName: "Expired Test Signer", algorithm: "RSA-SHA256" });
    expect(check("unsigned.xml")).toMatchObject({ algorithm: null, signerName: null, certificateFingerprint: null, signedXml: read("unsigned.xml") });
  });

  it("names the algorithm of a signature it could read, even when it refuses it", () => {
    expect(check("second-reference.xml").algorithm).toBe("RSA-SHA256");
    expect(check("altered-attribute.xml").algorithm).toBe("RSA-SHA256");
    expect(check("algorithm-hmac-sha1.xml").algorithm).toBeNull();
  });
});
