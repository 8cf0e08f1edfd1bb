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

/** <KeyInfo>'s content for a key, as xml-crypto writes it for `publicCert`. */
function keyInfoContent(key: XmlSigningKey): string {
  return `<X509Data><X509Certificate>${new X509Certificate(key.certificatePem).raw.toString("base64")}</X509Certificate></X509Data>`;
}

/**
 * Appends an enveloped XMLDSig over the whole document (Reference URI="") as the root's last child.
 * `keyInfo`: the key's <KeyInfo> content, when the caller keeps it (XmlSigner).
 */
export function createSignedXml(xml: string, keys: Pick<SandboxKeys, "xml">, keyInfo = keyInfoContent(keys.xml)): string {
  const sig = new SignedXml({
    privateKey: keys.xml.privateKey,
    signatureAlgorithm: SIGNATURE_METHODS[keys.xml.profile],
    canonicalizationAlgorithm: EXC_C14N,
    getKeyInfoContent: () => keyInfo,
  });
  sig.addReference({ xpath: "/*", isEmptyUri: true, digestAlgorithm: SHA256, transforms: [ENVELOPED, EXC_C14N] });
  sig.computeSignature(xml, { location: { reference: "/*", action: "append" } });
  return sig.getSignedXml();
}

/** How many signed documents an XmlSigner keeps. */
export const MAX_SIGNED = 2000;

/**
 * Signs with one XML key (keys.ts: one per loadSandboxKeys), remembering what it signed. Signing costs a few
 * milliseconds in xml-crypto (parsing, canonicalisation); RSA PKCS#1 v1.5 signatures are deterministic, so a signed
 * document can be reused for the same input. Bounded, because pulls add documents while a sandbox runs. Its
 * <KeyInfo> is built once: xml-crypto would parse the certificate again for every document it signs.
 */
export class XmlSigner {
  readonly #keys: Pick<SandboxKeys, "xml">;
  readonly #max: number;
  #keyInfo: string | undefined;
  readonly #signed = new Map<string, string>();

  constructor(key: XmlSigningKey, maxSigned = MAX_SIGNED) {
    this.#keys = { xml: key };
    this.#max = maxSigned;
  }

  /** createSignedXml(xml), remembered. */
  sign(xml: string): string {
    const hit = this.#signed.get(xml);
    if (hit !== undefined) return hit;
    this.#keyInfo ??= keyInfoContent(this.#keys.xml);
    const out = createSignedXml(xml, this.#keys, this.#keyInfo);
    if (this.#signed.size >= this.#max) {
      const oldest = this.#signed.keys().next();
      if (oldest.done !== true) this.#signed.delete(oldest.value);
    }
    this.#signed.set(xml, out);
    return out;
  }

  /** How many signed documents are kept. */
  get size(): number {
    return this.#signed.size;
  }
}

/** `xml` signed with the keys' XML key, through their signer: remembered for the same input. */
export function signXml(xml: string, keys: Pick<SandboxKeys, "xmlSigner">): string {
  return keys.xmlSigner.sign(xml);
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
