// Issued documents as DigiLocker holds them: a PDF for people and, when the issuer provides data, a signed
// certificate XML for machines (spec: "Get File from URI", "Get Certificate Data in XML Format"). The pull
// route calls issueDocument for every document it fetches, the seed for the documents users start with.
// The XML is signed on first read (lazy.ts).
import { createHash } from "node:crypto";
import type { SandboxKeys } from "../keys.js";
import type { DocTypeSeed, IssuedDocument, IssuerSeed, SandboxUser } from "../state.js";
import { addressOf } from "./addresses.js";
import { certificateData } from "./certificate-data.js";
import { tinyJpeg } from "./images.js";
import { defineLazy } from "./lazy.js";
import { renderPdf } from "./pdf.js";
import { rngFor } from "./random.js";
import { certificateXml, dashedDate, eAadhaarDocument, maskedAadhaar, signXml } from "./xml.js";

export interface IssueInput {
  issuer: IssuerSeed;
  docType: DocTypeSeed;
  user: SandboxUser;
  /** The document's own number: the last part of its URI. */
  docId: string;
  /** When it was issued into the locker, ISO 8601 (the issued list's `date`). */
  date: string;
  /** Whether certificate XML exists (mime then lists application/xml). Default true. */
  withXml?: boolean;
}

function ddmmyyyy(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}`;
}

/** Spec: "uri … Unique DigiLocker issuer id as mentioned in the URI": `${issuerid}-${doctype}-${docId}`. */
export function documentUri(issuerid: string, doctype: string, docId: string): string {
  return `${issuerid}-${doctype}-${docId}`;
}

export function issueDocument(input: IssueInput, keys: SandboxKeys): IssuedDocument {
  const { issuer, docType, user, docId } = input;
  const issued = new Date(input.date);
  if (Number.isNaN(issued.getTime())) throw new Error(`issueDocument: not an ISO date: ${input.date}`);
  const uri = documentUri(issuer.issuerid, docType.doctype, docId);
  const issueDate = ddmmyyyy(issued);
  const pdf = renderPdf({
    title: docType.description,
    created: issued,
    lines: [
      `Issued by: ${issuer.name}`,
      `Issued to: ${user.name}`,
      `Date of birth: ${dashedDate(user.dob)}    Gender: ${user.gender}`,
      `Aadhaar: ${maskedAadhaar(user.aadhaar) || "not linked"}`,
      `Document number: ${docId}`,
      `Document type: ${docType.doctype} (${docType.description})`,
      `Date of issue: ${issueDate}`,
      `DigiLocker URI: ${uri}`,
    ],
  });
  const doc: IssuedDocument = {
    ownerId: user.digilockerId,
    uri,
    name: docType.description,
    doctype: docType.doctype,
    description: docType.description,
    issuerid: issuer.issuerid,
    issuer: issuer.name,
    date: input.date,
    pdf,
    xml: null,
  };
  if (input.withXml !== false) {
    const unsigned = certificateXml({
      issuer,
      docType,
      user,
      number: docId,
      issueDate,
      data: certificateData({ doctype: docType.doctype, description: docType.description, number: docId, user, issued, label: uri }),
    });
    defineLazy(doc, "xml", () => signXml(unsigned, keys));
  }
  return doc;
}

/**
 * The document number a pull creates: the parameter values in the doctype's order, letters and digits
 * only, upper-cased. A date of birth is left out: it checks who is asking, it does not name the document.
 * So CBSE HSCER year=2014 rollno=12345678 is in.gov.cbse-HSCER-201412345678 (the spec's sample URI) and
 * the driving licence DL0120230100001 keeps its own number.
 */
export function pulledDocId(docType: DocTypeSeed, values: Record<string, string>): string {
  const id = docType.parameters
    .filter((p) => p.paramname !== "dob")
    .map((p) => (values[p.paramname] ?? "").replace(/[^A-Za-z0-9]/g, ""))
    .join("")
    .toUpperCase();
  return id === "" ? createHash("sha256").update(JSON.stringify(values)).digest("hex").slice(0, 12).toUpperCase() : id;
}

/** Unsigned e-Aadhaar XML for a user with a linked Aadhaar: fixed per user, so the bytes never change. */
export function eAadhaarUnsigned(user: SandboxUser): string {
  const { aadhaar } = user;
  if (aadhaar === null) throw new Error(`eAadhaarXml: ${user.username} has no Aadhaar linked`);
  const rng = rngFor(`eaadhaar:${user.digilockerId}`);
  const pad = (n: number) => String(n).padStart(2, "0");
  const month = pad(rng.int(1, 12));
  const day = pad(rng.int(1, 28));
  return eAadhaarDocument({
    user: { ...user, aadhaar },
    address: addressOf(user),
    photo: tinyJpeg().toString("base64"),
    ts: `2024-${month}-${day}T${pad(rng.int(9, 17))}:${pad(rng.int(0, 59))}:${pad(rng.int(0, 59))}.000+05:30`,
    code: createHash("sha256").update(`kyc:${user.digilockerId}`).digest("hex").slice(0, 32),
    txn: `UKC:${rng.digits(8)}`,
  });
}

/** Signed e-Aadhaar XML (spec: "Get e-Aadhaar Data in XML Format"). */
export function eAadhaarXml(user: SandboxUser, keys: SandboxKeys): string {
  return signXml(eAadhaarUnsigned(user), keys);
}
