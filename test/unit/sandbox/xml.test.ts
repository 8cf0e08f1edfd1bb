// Certificate and e-Aadhaar XML (seed/xml.ts, seed/documents.ts): DigiLocker's certificate shape, UIDAI's
// eKYC shape, and an enveloped XMLDSig that verifies against the sandbox's published certificate with
// xml-crypto — and stops verifying when one attribute changes.
import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { SignedXml } from "xml-crypto";
import { describe, expect, it } from "vitest";
import { loadSandboxKeys } from "../../../src/sandbox/keys.js";
import { buildCatalogue, ORGIDS } from "../../../src/sandbox/seed/catalogue.js";
import { eAadhaarXml, issueDocument } from "../../../src/sandbox/seed/documents.js";
import { seedPeople, USER_IDS } from "../../../src/sandbox/seed/users.js";
import { createSignedXml, escapeXml, signXml, XmlSigner } from "../../../src/sandbox/seed/xml.js";

const keys = loadSandboxKeys();
const issuers = buildCatalogue();
const people = seedPeople(issuers, keys);
const ajit = people.users.get(USER_IDS.ajit)!;
const rahul = people.users.get(USER_IDS.rahul)!;

function signatureOf(xml: string): string {
  const match = /<Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#">[\s\S]*<\/Signature>/.exec(xml);
  if (match === null) throw new Error("no Signature element");
  return match[0];
}

/** What a relying party does: verify with the certificate it trusts, ignoring the one the document carries. */
function verifies(xml: string): boolean {
  const verifier = new SignedXml({ publicCert: keys.certificatePem, getCertFromKeyInfo: () => null });
  verifier.loadSignature(signatureOf(xml));
  try {
    return verifier.checkSignature(xml);
  } catch {
    return false;
  }
}

function issuedXml(uri: string): string {
  const doc = people.issued.find((d) => d.uri === uri);
  if (doc?.xml == null) throw new Error(`no XML for ${uri}`);
  return doc.xml;
}

describe("certificate XML", () => {
  const xml = issuedXml("in.gov.cbse-HSCER-201412345678");

  it("has DigiLocker's certificate shape: issuer, holder (Aadhaar masked) and data", () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')).toBe(true);
    expect(xml).toMatch(
      /^<\?xml[^>]*\?>\n<Certificate language="99" name="Class XII Marksheet" type="HSCER" number="201412345678" [^>]*issueDate="12-05-2015" status="A">/,
    );
    expect(xml).toContain(
      '<IssuedBy><Organization name="Central Board of Secondary Education, Delhi" code="000018" uid="in.gov.cbse" type="CG"/></IssuedBy>',
    );
    expect(xml).toMatch(/<IssuedTo><Person uid="xxxxxxxx0019" title="" name="Ajit Kumar" dob="31-12-1970" gender="M" [^>]*\/><\/IssuedTo>/);
    expect(xml).toMatch(/<CertificateData><Performance result="PASS"[^>]*><Subjects>(<Subject [^>]*\/>){5}<\/Subjects><\/Performance><\/CertificateData>/);
    expect(xml).not.toContain("999999990019");
  });

  it("carries an enveloped RSA-SHA256 signature, exclusive C14N, with the sandbox certificate in KeyInfo", () => {
    const signature = signatureOf(xml);
    expect(xml.endsWith(`${signature}</Certificate>`)).toBe(true);
    expect(signature).toContain('<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>');
    expect(signature).toContain('<CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>');
    expect(signature).toContain(
      '<Reference URI=""><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></Transforms>',
    );
    const embedded = /<X509Certificate>([^<]+)<\/X509Certificate>/.exec(signature)?.[1];
    expect(embedded).toBe(new X509Certificate(keys.certificatePem).raw.toString("base64"));
  });

  it("verifies against the certificate, for every seeded document that has XML", () => {
    const withXml = people.issued.filter((d) => d.xml !== null);
    expect(withXml.length).toBeGreaterThanOrEqual(10);
    for (const doc of withXml) expect(verifies(doc.xml!), doc.uri).toBe(true);
  });

  it("fails verification after one attribute is changed", () => {
    expect(verifies(xml.replace('name="Ajit Kumar"', 'name="Ajit Kumaar"'))).toBe(false);
    expect(verifies(xml.replace('status="A"', 'status="R"'))).toBe(false);
  });

  it("fails verification against another key", () => {
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const other = new SignedXml({ publicCert: publicKey.export({ type: "spki", format: "pem" }), getCertFromKeyInfo: () => null });
    other.loadSignature(signatureOf(xml));
    // xml-crypto throws when the digest matches but the signature value does not.
    expect(() => other.checkSignature(xml)).toThrow(/invalid signature/);
  });

  it("is signed deterministically: the same input and key give the same bytes", () => {
    const unsigned = '<?xml version="1.0" encoding="UTF-8"?>\n<Certificate number="1"><CertificateData/></Certificate>';
    const once = createSignedXml(unsigned, keys);
    expect(createSignedXml(unsigned, keys)).toBe(once);
    expect(signXml(unsigned, keys)).toBe(once);
    expect(verifies(once)).toBe(true);
  });

  it("remembers what it signed per set of keys: another loadSandboxKeys signs afresh, to the same bytes", () => {
    const unsigned = '<?xml version="1.0" encoding="UTF-8"?>\n<Certificate number="2"><CertificateData/></Certificate>';
    const mine = loadSandboxKeys();
    const other = loadSandboxKeys();
    const once = signXml(unsigned, mine);
    expect(signXml(unsigned, mine)).toBe(once);
    expect(mine.xmlSigner.size).toBe(1);
    expect(other.xmlSigner.size).toBe(0);
    expect(signXml(unsigned, other)).toBe(once);
    expect(other.xmlSigner.size).toBe(1);
  });

  it("keeps a bounded number of signed documents", () => {
    const signer = new XmlSigner(loadSandboxKeys().xml, 2);
    const docs = [1, 2, 3].map((n) => `<Certificate number="${n}"/>`);
    const signed = docs.map((doc) => signer.sign(doc));
    expect(signer.size).toBe(2);
    expect(signed.map((xml) => verifies(xml))).toEqual([true, true, true]);
    expect(signer.sign(docs[0]!)).toBe(signed[0]);
    expect(signer.size).toBe(2);
  });

  it("escapes markup in attribute values", () => {
    expect(escapeXml(`a<b>&"c"'`)).toBe("a&lt;b&gt;&amp;&quot;c&quot;&apos;");
    const issuer = issuers.find((i) => i.orgid === ORGIDS.sandbox)!;
    const user = { ...ajit, name: 'O"Brien & <Sons>' };
    const doc = issueDocument({ issuer, docType: issuer.docTypes[0]!, user, docId: "SB0001", date: "2024-01-01T00:00:00Z" }, keys);
    expect(doc.xml).toContain('name="O&quot;Brien &amp; &lt;Sons&gt;"');
    expect(verifies(doc.xml!)).toBe(true);
  });
});

describe("e-Aadhaar XML", () => {
  const xml = ajit.eAadhaarXml!;

  it("has the eKYC shape: KycRes > UidData (masked uid) > Poi, Poa and a photo", () => {
    expect(xml).toMatch(/^<\?xml[^>]*\?>\n<Certificate><CertificateData><KycRes code="[0-9a-f]{32}" ret="Y" ts="[^"]+" ttl="[^"]+" txn="UKC:\d{8}">/);
    expect(xml).toContain('<UidData tkn="" uid="xxxxxxxx0019"><Poi dob="31-12-1970" gender="M" name="Ajit Kumar"/>');
    expect(xml).toMatch(/<Poa co="S\/O Ramesh Kumar" country="India" [^>]*pc="110024"[^>]*state="Delhi"[^>]*\/>/);
    const photo = /<Pht>([^<]+)<\/Pht>/.exec(xml)?.[1];
    expect(Buffer.from(photo!, "base64").subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(xml).not.toContain("999999990019");
  });

  it("verifies against the certificate and fails when tampered", () => {
    expect(verifies(xml)).toBe(true);
    expect(verifies(xml.replace('gender="M"', 'gender="F"'))).toBe(false);
  });

  it("is refused for a user without Aadhaar", () => {
    expect(() => eAadhaarXml(rahul, keys)).toThrow(/no Aadhaar/);
  });
});
