// A minimal, valid PDF 1.4 writer (ISO 32000-1 §7.5): one A4 page of Helvetica text, an Info dictionary,
// a cross-reference table with exact byte offsets, and the trailer. Enough for issued documents and
// uploads to be real PDFs that any viewer opens, with no dependency.

export interface PdfContent {
  /** Printed large at the top, and the Info /Title. */
  title: string;
  /** Printed one per line under the title ("Name: Ajit Kumar"); long lines wrap. */
  lines: string[];
  /** Info /CreationDate; a fixed date keeps the bytes identical across runs. */
  created: Date;
}

const PAGE_WIDTH = 595;
const PAGE_HEIGHT = 842;
const MARGIN = 56;
const WRAP_AT = 88;
const FOOTER = "Sandbox test document. Not issued by any real authority; it has no legal value.";

/** PDF literal strings: escape the delimiters; anything outside printable ASCII becomes "?". */
function pdfString(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, "?");
  return `(${ascii.replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

function pdfDate(date: Date): string {
  const iso = date.toISOString(); // 2015-05-12T15:50:38.000Z
  return `D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

function wrap(line: string): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > WRAP_AT) {
    const cut = rest.lastIndexOf(" ", WRAP_AT);
    const at = cut > 0 ? cut : WRAP_AT;
    out.push(rest.slice(0, at));
    rest = rest.slice(at).trimStart();
  }
  out.push(rest);
  return out;
}

function contentStream(content: PdfContent): string {
  const ops: string[] = [];
  let y = PAGE_HEIGHT - MARGIN - 10;
  ops.push(`BT /F2 18 Tf ${MARGIN} ${y} Td ${pdfString(content.title)} Tj ET`);
  y -= 12;
  ops.push(`0.5 w ${MARGIN} ${y} m ${PAGE_WIDTH - MARGIN} ${y} l S`);
  y -= 24;
  for (const line of content.lines.flatMap(wrap)) {
    ops.push(`BT /F1 11 Tf ${MARGIN} ${y} Td ${pdfString(line)} Tj ET`);
    y -= 16;
  }
  ops.push(`BT /F1 8 Tf ${MARGIN} ${MARGIN} Td ${pdfString(FOOTER)} Tj ET`);
  return ops.join("\n") + "\n";
}

/** The whole file. Everything is ASCII, so string length equals byte length for the offsets. */
export function renderPdf(content: PdfContent): Buffer {
  const stream = contentStream(content);
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
      "/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}endstream`,
    `<< /Title ${pdfString(content.title)} /Producer (digilocker-graphql sandbox) ` +
      `/CreationDate (${pdfDate(content.created)}) >>`,
  ];
  // The second line is a comment of high bytes that marks the file as binary (§7.5.2); written as
  // latin1 below, so it stays 4 bytes.
  let out = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xrefAt = out.length;
  // Each entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, two-byte EOL (§7.5.4).
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f\r\n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, "0")} 00000 n\r\n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\n`;
  out += `startxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}
