// Verifies the enveloped XML signature on DigiLocker certificate XML and UIDAI e-Aadhaar XML against a
// pinned TrustStore, and hands back the only XML a caller may read fields from: the canonical form of
// what the signature covers. The checks close the holes reported in XML signature libraries (signature
// wrapping, several references, comments and processing instructions that canonicalisation drops while
// the DOM keeps them, trusting the certificate in KeyInfo) by refusing what DigiLocker and UIDAI never send.
//
// The rules, in order (the first that applies decides):
//  1. Before parsing, INVALID: over `maxBytes` (default 5 MB, counted in UTF-8); a DOCTYPE or any other DTD
//     markup (`<!ENTITY`, `<!ELEMENT`, …) anywhere, even inside comments or CDATA; a processing instruction
//     other than the leading `<?xml …?>` declaration.
//  2. Not well-formed XML with namespaces (well-formed.ts: xmldom 0.8 recovers silently from much that is
//     not), nested deeper than MAX_DEPTH elements (canonicalisation recurses), or more than `maxElements`
//     elements (default 2000; xml-crypto's work grows with their square): INVALID. Then parsed with
//     @xmldom/xmldom, whose every error or warning is INVALID ("malformed XML").
//  3. No Signature element in the XML-DSig namespace anywhere: UNSIGNED; `signedXml` is the raw XML.
//  4. INVALID unless: exactly one ds:Signature, a direct child of the document element; no comment,
//     processing instruction or CDATA inside it; its children SignedInfo, SignatureValue and an optional
//     KeyInfo (no Object); SignedInfo holds one CanonicalizationMethod, one SignatureMethod and exactly one
//     Reference, with URI="" (the whole document); the Reference's transforms are enveloped-signature
//     followed by at most one canonicalisation (without one, XML-DSig applies C14N 1.0), without parameters;
//     canonicalisation is exclusive C14N or C14N 1.0, never #WithComments; DigestMethod SHA-256;
//     SignatureMethod RSA-SHA256 or RSA-SHA1 (production DigiLocker signs SignedInfo with SHA-1 over a
//     SHA-256 digest); at most one X509Certificate in KeyInfo. xml-crypto is also given only these
//     algorithms, so it would refuse any other on its own.
//  5. Trust never comes from KeyInfo. With a certificate in KeyInfo whose fingerprint is in the trust store,
//     the trusted copy verifies; with an untrusted one, it verifies and a success is UNKNOWN_SIGNER. Without
//     one, each trusted certificate is tried and the first that verifies is the signer. A digest or
//     signature that does not verify is INVALID. Pinning is by certificate, not key: a KeyInfo certificate
//     with a trusted key but other bytes (renewed with the same key, or altered) is UNKNOWN_SIGNER.
//  6. A trusted signer is VALID when its [notBefore, notAfter] contains the document's stated signing time
//     (options.signingTime, read from the signed canonical XML) or `now`; otherwise SIGNER_EXPIRED. A stated
//     time is the signer's word: a leaked key of an expired certificate could still sign a backdated document.
//  7. `signedXml` for VALID, UNKNOWN_SIGNER and SIGNER_EXPIRED is xml-crypto's canonical XML of the single
//     signed reference (the document without its Signature), never a node of the parsed DOM.
//  8. Never throws: an unforeseen failure is INVALID "unexpected: <error class>". Reasons never quote the
//     document: algorithms are named only when they are well-known URIs.
import { X509Certificate } from "node:crypto";
import { DOMParser } from "@xmldom/xmldom";
import { SignedXml } from "xml-crypto";
import { describeCertificate, type TrustedSigner, type TrustStore } from "./trust-store.js";
import { wellFormedProblem } from "./well-formed.js";

export type SignatureStatus = "VALID" | "INVALID" | "UNSIGNED" | "UNKNOWN_SIGNER" | "SIGNER_EXPIRED";

export interface XmlVerification {
  status: SignatureStatus;
  /** Why, in a few words, for logs and docs ("two Reference elements", "digest mismatch", "DOCTYPE refused", …); never contains document content. */
  reason: string;
  /** "RSA-SHA256" or "RSA-SHA1" (SignedInfo's method, with the SHA-256 digest), null when unsigned or unreadable. */
  algorithm: string | null;
  signerName: string | null;
  /** SHA-256 fingerprint (lowercase hex) of the certificate that verified, null when none did. */
  certificateFingerprint: string | null;
  /**
   * What fields may be read from: the canonical XML of the single signed reference (xml-crypto's
   * getSignedReferences()) for VALID, UNKNOWN_SIGNER and SIGNER_EXPIRED; the raw XML for UNSIGNED (only if
   * it passed the structural checks); null for INVALID.
   */
  signedXml: string | null;
}

export interface VerifyOptions {
  trust: TrustStore;
  now: Date;
  /** The document's stated signing/issue time, read from the SIGNED content; null when it states none. */
  signingTime?: (signedXml: string) => Date | null;
  /** Default 5 MB (5 * 1024 * 1024 bytes of UTF-8). */
  maxBytes?: number;
  /**
   * The most elements a document may have, default 2000 (DigiLocker certificates have tens to hundreds).
   * xml-crypto's XPath node sets make verification quadratic in the element count: about 0.1 s at 2000
   * elements, 0.5 s at 5000, 6 s at 20000, so the byte limit alone does not bound the work.
   */
  maxElements?: number;
}

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_ELEMENTS = 2000;
/** Deeper documents are refused: xml-crypto canonicalises recursively. */
export const MAX_DEPTH = 200;

const DSIG = "http://www.w3.org/2000/09/xmldsig#";
const ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
const C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
const SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";
const RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";

const SIGNATURE_METHODS: ReadonlyMap<string, string> = new Map([
  [RSA_SHA256, "RSA-SHA256"],
  [RSA_SHA1, "RSA-SHA1"],
]);
const CANONICALIZATIONS: ReadonlySet<string> = new Set([EXC_C14N, C14N]);

/** Short names for algorithm URIs a reason may name; anything else is "another algorithm". */
const KNOWN_ALGORITHMS: ReadonlyMap<string, string> = new Map([
  [RSA_SHA256, "rsa-sha256"],
  [RSA_SHA1, "rsa-sha1"],
  ["http://www.w3.org/2001/04/xmldsig-more#rsa-md5", "rsa-md5"],
  ["http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", "rsa-sha384"],
  ["http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", "rsa-sha512"],
  ["http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1", "rsa-pss-sha256"],
  ["http://www.w3.org/2000/09/xmldsig#hmac-sha1", "hmac-sha1"],
  ["http://www.w3.org/2000/09/xmldsig#dsa-sha1", "dsa-sha1"],
  ["http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", "ecdsa-sha256"],
  ["http://www.w3.org/2000/09/xmldsig#sha1", "sha1"],
  [SHA256, "sha256"],
  ["http://www.w3.org/2001/04/xmlenc#sha512", "sha512"],
  ["http://www.w3.org/2001/04/xmldsig-more#md5", "md5"],
  [ENVELOPED, "enveloped-signature"],
  [EXC_C14N, "exclusive c14n"],
  [`${EXC_C14N}WithComments`, "exclusive c14n with comments"],
  [C14N, "c14n 1.0"],
  [`${C14N}#WithComments`, "c14n 1.0 with comments"],
  ["http://www.w3.org/2006/12/xml-c14n11", "c14n 1.1"],
  ["http://www.w3.org/TR/1999/REC-xpath-19991116", "xpath"],
  ["http://www.w3.org/TR/1999/REC-xslt-19991116", "xslt"],
  ["http://www.w3.org/2000/09/xmldsig#base64", "base64"],
]);

function algorithmName(uri: string | null): string {
  return (uri === null ? undefined : KNOWN_ALGORITHMS.get(uri)) ?? "another algorithm";
}

// DOM node types (xmldom follows the DOM's numbering).
const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const ENTITY_REFERENCE_NODE = 5;
const PROCESSING_INSTRUCTION_NODE = 7;
const COMMENT_NODE = 8;
const DOCUMENT_TYPE_NODE = 10;

/** A verification that failed; carries a reason fit for logs. */
class Refused extends Error {
  override name = "Refused";
}

function result(status: SignatureStatus, reason: string, fields: Partial<Omit<XmlVerification, "status" | "reason">> = {}): XmlVerification {
  return { status, reason, algorithm: null, signerName: null, certificateFingerprint: null, signedXml: null, ...fields };
}

/**
 * Verifies `xml`'s enveloped signature against `options.trust` (the rules are at the top of this file).
 * Never throws.
 */
export function verifyXmlSignature(xml: string, options: VerifyOptions): XmlVerification {
  let algorithm: string | null = null;
  try {
    return verify(xml, options, (a) => (algorithm = a));
  } catch (error) {
    if (error instanceof Refused) return result("INVALID", error.message, { algorithm });
    return result("INVALID", `unexpected: ${error instanceof Error ? error.name : typeof error}`, { algorithm });
  }
}

function verify(input: string, options: VerifyOptions, noteAlgorithm: (algorithm: string) => void): XmlVerification {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  // UTF-8 takes at least one byte per UTF-16 unit, so the cheap length check comes first.
  if (input.length > maxBytes || Buffer.byteLength(input, "utf8") > maxBytes) throw new Refused(`larger than ${maxBytes} bytes`);
  const xml = input.startsWith("\uFEFF") ? input.slice(1) : input;
  screen(xml);
  const problem = wellFormedProblem(xml, { maxDepth: MAX_DEPTH, maxElements: options.maxElements ?? DEFAULT_MAX_ELEMENTS });
  if (problem !== null) throw new Refused(problem);

  const doc = parse(xml);
  // lib.dom types documentElement as never null; xmldom's is null for a document without one.
  const root = doc.documentElement as Element | null;
  if (root === null) throw new Refused("malformed XML: no document element");
  walk(doc);

  const signatures = doc.getElementsByTagNameNS(DSIG, "Signature");
  if (signatures.length === 0) return result("UNSIGNED", "no Signature element", { signedXml: xml });
  if (signatures.length > 1) throw new Refused(signatures.length === 2 ? "two Signature elements" : `${signatures.length} Signature elements`);
  const signature = signatures.item(0);
  if (signature === null) throw new Refused("no Signature element");
  if (signature.parentNode !== root) throw new Refused("Signature is not a child of the document element");

  const shape = readSignature(signature, noteAlgorithm);
  return checkWithTrust(xml, signature, shape, options);
}

/** Rule 1: refused before any parser sees the text. */
function screen(xml: string): void {
  if (/<!DOCTYPE/i.test(xml)) throw new Refused("DOCTYPE refused");
  if (/<!ENTITY/i.test(xml)) throw new Refused("entity declaration refused");
  // Anything else opened by `<!` but a comment or CDATA is DTD markup (ELEMENT, ATTLIST, NOTATION).
  if (/<!(?!--|\[CDATA\[)/.test(xml)) throw new Refused("DTD markup refused");
  const declaration = /^<\?xml(?:\s[^?]*)?\?>/.exec(xml);
  const rest = declaration === null ? xml : xml.slice(declaration[0].length);
  if (rest.includes("<?")) throw new Refused("processing instruction refused");
}

function parse(xml: string): Document {
  const malformed = (): never => {
    throw new Refused("malformed XML");
  };
  try {
    return new DOMParser({ errorHandler: { warning: malformed, error: malformed, fatalError: malformed } }).parseFromString(xml, "text/xml");
  } catch (error) {
    if (error instanceof Refused) throw error;
    throw new Refused("malformed XML");
  }
}

/** Rule 1 again, on the parsed tree: no DTD, entity reference or processing instruction but the declaration. */
function walk(doc: Document): void {
  const stack: Node[] = [];
  for (let child = doc.firstChild; child !== null; child = child.nextSibling) {
    if (child.nodeType === PROCESSING_INSTRUCTION_NODE && child === doc.firstChild && (child as ProcessingInstruction).target === "xml") continue;
    stack.push(child);
  }
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.nodeType === DOCUMENT_TYPE_NODE) throw new Refused("DOCTYPE refused");
    if (node.nodeType === ENTITY_REFERENCE_NODE) throw new Refused("entity reference refused");
    if (node.nodeType === PROCESSING_INSTRUCTION_NODE) throw new Refused("processing instruction refused");
    for (let child = node.firstChild; child !== null; child = child.nextSibling) stack.push(child);
  }
}

interface SignatureShape {
  /** "RSA-SHA256" | "RSA-SHA1". */
  algorithm: string;
  /** Base64 DER of KeyInfo's X509Certificate, whitespace removed; null without one. */
  keyInfoCertificate: string | null;
}

function dsigChildren(element: Element, where: string): Element[] {
  const children: Element[] = [];
  for (let child = element.firstChild; child !== null; child = child.nextSibling) {
    if (child.nodeType === ELEMENT_NODE) {
      const el = child as Element;
      if (el.namespaceURI !== DSIG) throw new Refused(`foreign element in ${where}`);
      children.push(el);
    } else if (child.nodeType === TEXT_NODE) {
      if ((child.nodeValue ?? "").trim() !== "") throw new Refused(`text in ${where}`);
    } else {
      throw new Refused(`unexpected node in ${where}`);
    }
  }
  return children;
}

/** The children's local names must be exactly `names` (a trailing "?" marks an optional last one). */
function expectChildren(element: Element, where: string, names: readonly string[]): Element[] {
  const children = dsigChildren(element, where);
  const required = names.filter((n) => !n.endsWith("?")).length;
  if (children.length < required || children.length > names.length) throw new Refused(`unexpected content in ${where}`);
  children.forEach((child, i) => {
    if (child.localName !== names[i]?.replace("?", "")) throw new Refused(`unexpected ${child.localName} in ${where}`);
  });
  return children;
}

/** Text of an element that may hold only text. */
function textOnly(element: Element, where: string): string {
  let text = "";
  for (let child = element.firstChild; child !== null; child = child.nextSibling) {
    if (child.nodeType !== TEXT_NODE) throw new Refused(`markup inside ${where}`);
    text += child.nodeValue ?? "";
  }
  return text;
}

function algorithmOf(element: Element, where: string): string | null {
  if (dsigChildren(element, where).length > 0) throw new Refused(`parameters in ${where}`);
  return element.getAttribute("Algorithm");
}

/** Rule 4: the one signature shape DigiLocker and UIDAI use. `noteAlgorithm` learns SignatureMethod once read. */
function readSignature(signature: Element, noteAlgorithm: (algorithm: string) => void): SignatureShape {
  // Comments first: a comment in DigestValue or SignatureValue is the CVE-2025-29775 shape.
  const stack: Node[] = [signature];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.nodeType === COMMENT_NODE) throw new Refused("comment inside Signature");
    if (node.nodeType === CDATA_SECTION_NODE) throw new Refused("CDATA inside Signature");
    for (let child = node.firstChild; child !== null; child = child.nextSibling) stack.push(child);
  }

  const children = dsigChildren(signature, "Signature");
  if (children.some((c) => c.localName === "Object")) throw new Refused("Object element in Signature");
  const [signedInfo, signatureValue, keyInfo] = expectChildren(signature, "Signature", ["SignedInfo", "SignatureValue", "KeyInfo?"]);
  if (signedInfo === undefined || signatureValue === undefined) throw new Refused("unexpected content in Signature");
  textOnly(signatureValue, "SignatureValue");

  const infoChildren = dsigChildren(signedInfo, "SignedInfo");
  const stated = SIGNATURE_METHODS.get(infoChildren.find((c) => c.localName === "SignatureMethod")?.getAttribute("Algorithm") ?? "");
  if (stated !== undefined) noteAlgorithm(stated);
  const references = infoChildren.filter((c) => c.localName === "Reference");
  if (references.length === 0) throw new Refused("no Reference element");
  if (references.length > 1) throw new Refused(references.length === 2 ? "two Reference elements" : `${references.length} Reference elements`);
  const [c14nMethod, signatureMethod, reference] = expectChildren(signedInfo, "SignedInfo", ["CanonicalizationMethod", "SignatureMethod", "Reference"]);
  if (c14nMethod === undefined || signatureMethod === undefined || reference === undefined) throw new Refused("unexpected content in SignedInfo");

  const c14n = algorithmOf(c14nMethod, "CanonicalizationMethod");
  if (c14n === null || !CANONICALIZATIONS.has(c14n)) throw new Refused(`CanonicalizationMethod ${algorithmName(c14n)} not allowed`);
  const method = algorithmOf(signatureMethod, "SignatureMethod");
  const algorithm = method === null ? undefined : SIGNATURE_METHODS.get(method);
  if (algorithm === undefined) throw new Refused(`SignatureMethod ${algorithmName(method)} not allowed`);

  if (!reference.hasAttribute("URI")) throw new Refused("Reference without URI");
  if (reference.getAttribute("URI") !== "") throw new Refused("Reference URI is not empty");
  const [transforms, digestMethod, digestValue] = expectChildren(reference, "Reference", ["Transforms", "DigestMethod", "DigestValue"]);
  if (transforms === undefined || digestMethod === undefined || digestValue === undefined) throw new Refused("unexpected content in Reference");
  const steps = dsigChildren(transforms, "Transforms").map((t) => {
    if (t.localName !== "Transform") throw new Refused(`unexpected ${t.localName} in Transforms`);
    return algorithmOf(t, "Transform");
  });
  if (steps[0] !== ENVELOPED) throw new Refused("first transform is not enveloped-signature");
  if (steps.length > 2) throw new Refused("more than two transforms");
  const second = steps[1];
  if (second !== undefined && (second === null || !CANONICALIZATIONS.has(second))) throw new Refused(`transform ${algorithmName(second)} not allowed`);
  const digest = algorithmOf(digestMethod, "DigestMethod");
  if (digest !== SHA256) throw new Refused(`DigestMethod ${algorithmName(digest)} not allowed`);
  if (textOnly(digestValue, "DigestValue").trim() === "") throw new Refused("empty DigestValue");

  let keyInfoCertificate: string | null = null;
  if (keyInfo !== undefined) {
    const certificates: string[] = [];
    for (const data of dsigChildren(keyInfo, "KeyInfo").filter((c) => c.localName === "X509Data")) {
      for (const cert of dsigChildren(data, "X509Data").filter((c) => c.localName === "X509Certificate")) {
        certificates.push(textOnly(cert, "X509Certificate").replace(/\s+/g, ""));
      }
    }
    if (certificates.length > 1) throw new Refused("several certificates in KeyInfo");
    keyInfoCertificate = certificates[0] ?? null;
  }
  return { algorithm, keyInfoCertificate };
}

/** A KeyInfo certificate, parsed; INVALID when it is not an RSA X.509 certificate. */
function keyInfoSigner(base64: string): TrustedSigner {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new Refused("unreadable KeyInfo certificate");
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(Buffer.from(base64, "base64"));
  } catch {
    throw new Refused("unreadable KeyInfo certificate");
  }
  if (certificate.publicKey.asymmetricKeyType !== "rsa") throw new Refused("KeyInfo certificate is not RSA");
  try {
    return describeCertificate(certificate);
  } catch {
    throw new Refused("unreadable KeyInfo certificate");
  }
}

/**
 * An xml-crypto verifier that knows only the allowed algorithms and never reads a key from KeyInfo: the
 * second line of defence behind readSignature. Exported for its test.
 */
export function restrictedVerifier(publicCert: string): SignedXml {
  const verifier = new SignedXml({ publicCert, getCertFromKeyInfo: () => null });
  verifier.SignatureAlgorithms = pick(verifier.SignatureAlgorithms, [RSA_SHA256, RSA_SHA1]);
  verifier.HashAlgorithms = pick(verifier.HashAlgorithms, [SHA256]);
  verifier.CanonicalizationAlgorithms = pick(verifier.CanonicalizationAlgorithms, [ENVELOPED, EXC_C14N, C14N]);
  verifier.implicitTransforms = [];
  return verifier;
}

function pick<V>(map: Record<string, V>, keys: readonly string[]): Record<string, V> {
  const out: Record<string, V> = {};
  for (const key of keys) {
    const value = map[key];
    if (value === undefined) throw new Error(`xml-crypto no longer knows ${key}`);
    out[key] = value;
  }
  return out;
}

type Attempt = { outcome: "verified"; signedXml: string } | { outcome: "digest mismatch" } | { outcome: "signature mismatch" };

/** One xml-crypto check of the whole document with one certificate. */
function attempt(xml: string, signature: Element, certificate: X509Certificate): Attempt {
  const verifier = restrictedVerifier(certificate.toString());
  verifier.loadSignature(signature);
  let verified: boolean;
  try {
    verified = verifier.checkSignature(xml);
  } catch (error) {
    // xml-crypto throws for a signature value that does not match; its messages quote the document.
    if (error instanceof Error && error.message.startsWith("invalid signature: the signature value")) return { outcome: "signature mismatch" };
    if (error instanceof Error && /not supported|not implemented/i.test(error.message)) throw new Refused("algorithm refused by xml-crypto");
    throw new Refused("xml-crypto refused the signature");
  }
  // false: a reference's digest did not match (xml-crypto checks digests before the signature value).
  if (!verified) return { outcome: "digest mismatch" };
  const references = verifier.getSignedReferences();
  if (references.length !== 1 || references[0] === undefined) throw new Refused(`${references.length} signed references`);
  return { outcome: "verified", signedXml: references[0] };
}

function within(signer: TrustedSigner, time: Date | null): boolean {
  return time !== null && signer.notBefore.getTime() <= time.getTime() && time.getTime() <= signer.notAfter.getTime();
}

/** Rules 5 to 7. */
function checkWithTrust(xml: string, signature: Element, shape: SignatureShape, options: VerifyOptions): XmlVerification {
  const { algorithm } = shape;
  const fromKeyInfo = shape.keyInfoCertificate === null ? null : keyInfoSigner(shape.keyInfoCertificate);
  const pinned = fromKeyInfo === null ? undefined : options.trust.byFingerprint(fromKeyInfo.fingerprint);

  if (fromKeyInfo !== null && pinned === undefined) {
    const outcome = attempt(xml, signature, fromKeyInfo.certificate);
    if (outcome.outcome === "digest mismatch") return result("INVALID", "digest mismatch", { algorithm });
    if (outcome.outcome === "signature mismatch") return result("INVALID", "signature does not verify with the KeyInfo certificate", { algorithm });
    return result("UNKNOWN_SIGNER", "verifies with a KeyInfo certificate that is not trusted", {
      algorithm,
      signerName: fromKeyInfo.name,
      certificateFingerprint: fromKeyInfo.fingerprint,
      signedXml: outcome.signedXml,
    });
  }

  const candidates = pinned === undefined ? options.trust.signers : [pinned];
  if (candidates.length === 0) return result("INVALID", "no certificate to verify with: the trust store is empty", { algorithm });
  for (const signer of candidates) {
    const outcome = attempt(xml, signature, signer.certificate);
    if (outcome.outcome === "digest mismatch") return result("INVALID", "digest mismatch", { algorithm });
    if (outcome.outcome === "signature mismatch") continue;
    const stated = options.signingTime === undefined ? null : options.signingTime(outcome.signedXml);
    const fields = { algorithm, signerName: signer.name, certificateFingerprint: signer.fingerprint, signedXml: outcome.signedXml };
    if (within(signer, stated)) return result("VALID", "trusted certificate, valid at the stated signing time", fields);
    if (within(signer, options.now)) return result("VALID", "trusted certificate, valid now", fields);
    return result("SIGNER_EXPIRED", "trusted certificate, not valid at the stated signing time or now", fields);
  }
  return result("INVALID", pinned === undefined ? "no trusted certificate verifies the signature" : "signature does not verify with the trusted certificate", {
    algorithm,
  });
}
