// What the gateway reads out of a document's XML: certificate data and e-Aadhaar fields, each with the verdict on
// its XML signature (src/xml/xml-signature.ts). Fields come only from what was signed: the canonical XML of the
// signature's one reference, or the raw XML of an unsigned document; an INVALID document yields no fields at all.
import { eAadhaarFields, NO_FIELDS, type EAadhaarFields } from "./e-aadhaar.js";
import { certificateSigningTime, eAadhaarSigningTime } from "../xml/signing-time.js";
import type { TrustStore } from "../xml/trust-store.js";
import { xmlToJson } from "../xml/xml-json.js";
import { verifyXmlSignature, type XmlVerification } from "../xml/xml-signature.js";

/** The verdict on a document's signature, without the signed text. */
export type SignatureModel = Omit<XmlVerification, "signedXml">;

export interface CertificateModel {
  /** The certificate as JSON (attributes as `@name`); null when its signature is INVALID. */
  data: Record<string, unknown> | null;
  signature: SignatureModel;
}

export interface EAadhaarModel extends EAadhaarFields {
  readonly kind: "EAadhaar";
  signature: SignatureModel;
}

export interface DocumentContentsDeps {
  /** The pinned signing certificates (XML_TRUSTED_CERTIFICATES, plus the embedded sandbox's own). */
  trust: TrustStore;
  /** Epoch milliseconds: a signer's validity is judged against it when a document states no signing time. */
  now: () => number;
}

export class DocumentContents {
  readonly #deps: DocumentContentsDeps;

  constructor(deps: DocumentContentsDeps) {
    this.#deps = deps;
  }

  /** How many signing certificates are trusted (start-up reports it). */
  get trustedSigners(): number {
    return this.#deps.trust.signers.length;
  }

  /** Certificate data (spec: Get Certificate Data in XML Format) with its signature's verdict. */
  certificate(xml: string): CertificateModel {
    const { signedXml, ...signature } = this.#verify(xml, certificateSigningTime);
    return { data: signedXml === null ? null : xmlToJson(signedXml), signature };
  }

  /** e-Aadhaar's fields (spec: Get e-Aadhaar Data in XML Format) with its signature's verdict. */
  eAadhaar(xml: string): EAadhaarModel {
    const { signedXml, ...signature } = this.#verify(xml, eAadhaarSigningTime);
    const fields = signedXml === null ? NO_FIELDS : eAadhaarFields(xmlToJson(signedXml));
    return { kind: "EAadhaar", ...fields, signature };
  }

  #verify(xml: string, signingTime: (signedXml: string) => Date | null): XmlVerification {
    return verifyXmlSignature(xml, { trust: this.#deps.trust, now: new Date(this.#deps.now()), signingTime });
  }
}
