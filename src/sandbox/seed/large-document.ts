// One large issued document (settings.largeDocumentBytes) for the download memory test and the benchmark: a valid
// PDF of exactly that many bytes, a one-page certificate followed by an unreferenced stream of deterministic,
// incompressible filler (AES-256-CTR keystream under a fixed key). Made on first read, into one buffer: the sandbox
// then holds a single copy however many downloads are in flight (fileReply sends that buffer as it is).
import { createCipheriv, createHash } from "node:crypto";
import type { IssuedDocument, IssuerSeed, SandboxUser } from "../state.js";
import { documentUri } from "./documents.js";
import { defineLazy } from "./lazy.js";

/** The sandbox's own issuer and doctype; the number names what it is for. */
export const LARGE_DOCUMENT = { issuerid: "in.gov.sandbox", doctype: "SBCER", docId: "LARGE0001" } as const;
export const LARGE_DOCUMENT_URI = documentUri(LARGE_DOCUMENT.issuerid, LARGE_DOCUMENT.doctype, LARGE_DOCUMENT.docId);

export function largeDocument(bytes: number, issuers: readonly IssuerSeed[], owner: SandboxUser): IssuedDocument {
  const issuer = issuers.find((i) => i.issuerid === LARGE_DOCUMENT.issuerid);
  const docType = issuer?.docTypes.find((d) => d.doctype === LARGE_DOCUMENT.doctype);
  if (issuer === undefined || docType === undefined) throw new Error("seed: the sandbox issuer is not in the catalogue");
  const doc: IssuedDocument = {
    ownerId: owner.digilockerId,
    uri: LARGE_DOCUMENT_URI,
    name: `${docType.description} (large)`,
    doctype: docType.doctype,
    description: docType.description,
    issuerid: issuer.issuerid,
    issuer: issuer.name,
    date: "2024-01-15T10:00:00Z",
    pdf: Buffer.alloc(0),
    xml: null,
  };
  defineLazy(doc, "pdf", () => largePdf(bytes));
  return doc;
}

const PAGE = [
  "BT /F1 18 Tf 56 776 Td (Sandbox Test Certificate \\(large\\)) Tj ET",
  "BT /F1 11 Tf 56 740 Td (A large sandbox document for download tests. It has no legal value.) Tj ET",
].join("\n");

/** Everything before and after the filler, for a filler of `fill` bytes. */
function skeleton(fill: number): { head: string; tail: string } {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    `<< /Length ${PAGE.length} >>\nstream\n${PAGE}\nendstream`,
  ];
  let head = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(head.length);
    head += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  offsets.push(head.length);
  head += `${objects.length + 1} 0 obj\n<< /Length ${fill} >>\nstream\n`;
  const xrefAt = head.length + fill + "\nendstream\nendobj\n".length;
  let tail = `\nendstream\nendobj\nxref\n0 ${offsets.length + 1}\n0000000000 65535 f\r\n`;
  for (const offset of offsets) tail += `${String(offset).padStart(10, "0")} 00000 n\r\n`;
  tail += `trailer\n<< /Size ${offsets.length + 1} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return { head, tail };
}

/** Exactly `bytes` bytes: a PDF when that leaves room for its skeleton, else filler alone. */
export function largePdf(bytes: number): Buffer {
  let fill = bytes;
  let parts = skeleton(fill);
  // The filler's length is written in the head and moves the xref offset in the tail: settle both (two rounds at most).
  for (let round = 0; round < 4 && parts.head.length + fill + parts.tail.length !== bytes; round++) {
    fill = bytes - parts.head.length - parts.tail.length;
    if (fill < 0) break;
    parts = skeleton(fill);
  }
  const out = Buffer.allocUnsafe(bytes);
  if (fill < 0 || parts.head.length + fill + parts.tail.length !== bytes) {
    writeFiller(out, 0, bytes);
    return out;
  }
  out.write(parts.head, 0, "latin1");
  writeFiller(out, parts.head.length, fill);
  out.write(parts.tail, parts.head.length + fill, "latin1");
  return out;
}

function writeFiller(out: Buffer, start: number, length: number): void {
  const key = createHash("sha256").update("digilocker-graphql sandbox large document").digest();
  const cipher = createCipheriv("aes-256-ctr", key, Buffer.alloc(16));
  const zeros = Buffer.alloc(64 * 1024);
  for (let at = 0; at < length; at += zeros.length) {
    const n = Math.min(zeros.length, length - at);
    cipher.update(zeros.subarray(0, n)).copy(out, start + at);
  }
}
