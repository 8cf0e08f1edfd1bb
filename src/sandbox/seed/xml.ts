// Certificate XML in DigiLocker's certificate style, e-Aadhaar XML in the style of UIDAI's eKYC response,
// and the enveloped XMLDSig both carry (SHA-256 digest, exclusive C14N, the X.509 certificate in KeyInfo;
// SignedInfo signed with RSA-SHA256, or RSA-SHA1 in the "rsa-sha1" profile that production DigiLocker is
// reported to use), made with the sandbox's XML key (keys.ts: primary or rotated) so a client can verify
// them against the certificates the sandbox publishes (sandboxSigningCertificates).
import { X509Certificate } from "node:crypto";
import { SignedXml } from "xml-crypto";
import type { SandboxKeys, XmlSigningKey } from "../keys.js";
import type { DocTypeSeed, IssuerSeed, SandboxUser } from "../state.js";

const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] ?? c);
}

/** `<name a="1" b="2"/>`, or with children when there are any. Attributes keep the order given. */
export function element(name: string, attributes: Record<string, string>, children: string[] = []): string {
  const attrs = Object.entries(attributes)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join("");
  return children.length === 0 ? `<${name}${attrs}/>` : `<${name}${attrs}>${children.join("")}</${name}>`;
}

/** DigiLocker sends dob as DDMMYYYY; certificates print it DD-MM-YYYY. */
export function dashedDate(ddmmyyyy: string): string {
  return /^\d{8}$/.test(ddmmyyyy) ? `${ddmmyyyy.slice(0, 2)}-${ddmmyyyy.slice(2, 4)}-${ddmmyyyy.slice(4)}` : ddmmyyyy;
}

/** Aadhaar numbers appear masked in both formats: all but the last four digits are x. */
export function maskedAadhaar(aadhaar: string | null): string {
  return aadhaar === null ? "" : `xxxxxxxx${aadhaar.slice(-4)}`;
}

const SIGNATURE_METHODS: Record<XmlSigningKey["profile"], string> = {
  "rsa-sha256": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
  "rsa-sha1": "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
};
const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
const ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";

// Signing costs a few milliseconds in xml-crypto (parsing, canonicalisation); RSA PKCS#1 v1.5 signatures
// are deterministic, so a signed document can be reused for the same input, certificate and profile. This
// keeps the many sandboxes that tests start cheap. Bounded, because pulls add documents while a sandbox runs.
const signed = new Map<string, string>();
const MAX_CACHED = 2000;

// <KeyInfo>'s content, as xml-crypto writes it for `publicCert`, built once per certificate: xml-crypto
// would parse the certificate again for every document it signs.
const keyInfos = new Map<string, string>();

function keyInfoContent(key: XmlSigningKey): string {
  let content = keyInfos.get(key.fingerprint);
  if (content === undefined) {
    content = `<X509Data><X509Certificate>${new X509Certificate(key.certificatePem).raw.toString("base64")}</X509Certificate></X509Data>`;
    keyInfos.set(key.fingerprint, content);
  }
  return content;
}

/** Appends an enveloped XMLDSig over the whole document (Reference URI="") as the root's last child. */
export function createSignedXml(xml: string, keys: Pick<SandboxKeys, "xml">): string {
  const content = keyInfoContent(keys.xml);
  const sig = new SignedXml({
    privateKey: keys.xml.privateKey,
    signatureAlgorithm: SIGNATURE_METHODS[keys.xml.profile],
    canonicalizationAlgorithm: EXC_C14N,
    getKeyInfoContent: () => content,
  });
  sig.addReference({ xpath: "/*", isEmptyUri: true, digestAlgorithm: SHA256, transforms: [ENVELOPED, EXC_C14N] });
  sig.computeSignature(xml, { location: { reference: "/*", action: "append" } });
  return sig.getSignedXml();
}

/** createSignedXml, remembered for the same input, certificate and profile. */
export function signXml(xml: string, keys: Pick<SandboxKeys, "xml">): string {
  const key = `${keys.xml.fingerprint}\u0000${keys.xml.profile}\u0000${xml}`;
  const hit = signed.get(key);
  if (hit !== undefined) return hit;
  const out = createSignedXml(xml, keys);
  if (signed.size >= MAX_CACHED) {
    const oldest = signed.keys().next();
    if (oldest.done !== true) signed.delete(oldest.value);
  }
  signed.set(key, out);
  return out;
}

function organisationType(category: string): string {
  if (category.includes("Central Government")) return "CG";
  if (category.includes("State Government")) return "SG";
  return "PV";
}

export interface CertificateInput {
  issuer: IssuerSeed;
  docType: DocTypeSeed;
  user: SandboxUser;
  number: string;
  /** DD-MM-YYYY, as DigiLocker certificates print dates. */
  issueDate: string;
  /** The inner XML of <CertificateData>, specific to the document type. */
  data: string;
}

/** An unsigned certificate in DigiLocker's certificate format (root <Certificate>, status "A" for active). */
export function certificateXml(input: CertificateInput): string {
  const { issuer, docType, user } = input;
  const root = element(
    "Certificate",
    {
      language: "99",
      name: docType.description,
      type: docType.doctype,
      number: input.number,
      prevNumber: "",
      expiryDate: "",
      validFromDate: input.issueDate,
      issuedAt: "",
      issueDate: input.issueDate,
      status: "A",
    },
    [
      element("IssuedBy", {}, [element("Organization", { name: issuer.name, code: issuer.orgid, uid: issuer.issuerid, type: organisationType(issuer.category) })]),
      element("IssuedTo", {}, [
        element("Person", {
          uid: maskedAadhaar(user.aadhaar),
          title: "",
          name: user.name,
          dob: dashedDate(user.dob),
          gender: user.gender,
          phone: user.mobile,
          email: user.email,
        }),
      ]),
      `<CertificateData>${input.data}</CertificateData>`,
    ],
  );
  return `${DECLARATION}\n${root}`;
}

export interface AadhaarAddress {
  /** Care of ("S/O Ram Kumar"). */
  co: string;
  house: string;
  street: string;
  lm: string;
  loc: string;
  vtc: string;
  subdist: string;
  dist: string;
  state: string;
  pc: string;
  po: string;
}

export interface EAadhaarInput {
  user: SandboxUser & { aadhaar: string };
  address: AadhaarAddress;
  /** Base64 JPEG. */
  photo: string;
  /** When the eKYC was done (ISO 8601 with offset), fixed per user so the bytes never change. */
  ts: string;
  /** The response code and transaction id, fixed per user. */
  code: string;
  txn: string;
}

/** An unsigned e-Aadhaar document: <Certificate><CertificateData><KycRes>…<UidData>. */
export function eAadhaarDocument(input: EAadhaarInput): string {
  const { user, address } = input;
  const kyc = element("KycRes", { code: input.code, ret: "Y", ts: input.ts, ttl: input.ts.replace(/^(\d{4})/, (y) => String(Number(y) + 1)), txn: input.txn }, [
    element("UidData", { tkn: "", uid: maskedAadhaar(user.aadhaar) }, [
      element("Poi", { dob: dashedDate(user.dob), gender: user.gender, name: user.name }),
      element("Poa", { co: address.co, country: "India", dist: address.dist, house: address.house, lm: address.lm, loc: address.loc, pc: address.pc, po: address.po, state: address.state, street: address.street, subdist: address.subdist, vtc: address.vtc }),
      `<Pht>${input.photo}</Pht>`,
    ]),
  ]);
  return `${DECLARATION}\n<Certificate><CertificateData>${kyc}</CertificateData></Certificate>`;
}
