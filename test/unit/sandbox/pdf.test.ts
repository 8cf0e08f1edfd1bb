// The PDF 1.4 writer (seed/pdf.ts): header, one page of text, a cross-reference table whose every offset
// lands on its object, a stream /Length that is its real length, and %%EOF. Checked on its own output and
// on every PDF the seed creates.
import { describe, expect, it } from "vitest";
import { loadSandboxKeys } from "../../../src/sandbox/keys.js";
import { buildCatalogue } from "../../../src/sandbox/seed/catalogue.js";
import { renderPdf } from "../../../src/sandbox/seed/pdf.js";
import { seedPeople } from "../../../src/sandbox/seed/users.js";

const created = new Date("2015-05-12T15:50:38Z");

/** Structural checks a PDF reader relies on; returns the text of the page's content stream. */
function checkStructure(pdf: Buffer): string {
  const text = pdf.toString("latin1");
  expect(text.startsWith("%PDF-1.4\n")).toBe(true);
  expect(text).toMatch(/\nstartxref\n\d+\n%%EOF\n$/);
  const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
  expect(text.slice(startxref, startxref + 5)).toBe("xref\n");
  const head = /^xref\n0 (\d+)\n/.exec(text.slice(startxref));
  expect(head).not.toBeNull();
  const count = Number(head![1]);
  const entriesAt = startxref + head![0].length;
  const entries = Array.from({ length: count }, (_, i) => text.slice(entriesAt + i * 20, entriesAt + (i + 1) * 20));
  expect(entries[0]).toBe("0000000000 65535 f\r\n");
  entries.slice(1).forEach((entry, i) => {
    expect(entry).toMatch(/^\d{10} 00000 n\r\n$/);
    const offset = Number(entry.slice(0, 10));
    expect(text.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`);
  });
  const trailer = text.slice(entriesAt + count * 20);
  expect(trailer).toMatch(new RegExp(`^trailer\\n<< /Size ${count} /Root 1 0 R /Info \\d+ 0 R >>\\n`));

  const stream = /<< \/Length (\d+) >>\nstream\n/.exec(text);
  expect(stream).not.toBeNull();
  const start = stream!.index + stream![0].length;
  const length = Number(stream![1]);
  expect(text.slice(start + length, start + length + "endstream".length)).toBe("endstream");
  return text.slice(start, start + length);
}

describe("renderPdf", () => {
  it("writes a valid one-page PDF 1.4 with its text lines", () => {
    const pdf = renderPdf({ title: "Income Certificate", lines: ["Name: Ajit Kumar", "Number: 98765432"], created });
    const content = checkStructure(pdf);
    expect(content).toContain("(Income Certificate) Tj");
    expect(content).toContain("(Name: Ajit Kumar) Tj");
    expect(content).toContain("(Number: 98765432) Tj");
    const text = pdf.toString("latin1");
    expect(text).toContain("/Type /Pages /Kids [3 0 R] /Count 1");
    expect(text).toContain("/BaseFont /Helvetica ");
    expect(text).toContain("/CreationDate (D:20150512155038Z)");
  });

  it("escapes PDF string delimiters and replaces characters outside ASCII", () => {
    const content = checkStructure(renderPdf({ title: "A (b) \\ c", lines: ["₹ 5,00,000 — Ajit"], created }));
    expect(content).toContain("(A \\(b\\) \\\\ c) Tj");
    expect(content).toContain("(? 5,00,000 ? Ajit) Tj");
  });

  it("wraps long lines", () => {
    const content = checkStructure(renderPdf({ title: "T", lines: ["word ".repeat(40).trim()], created }));
    expect(content.match(/\(word[^)]*\) Tj/g)?.length).toBeGreaterThan(1);
  });

  it("gives the same bytes for the same content", () => {
    const input = { title: "Class XII Marksheet", lines: ["Roll number: 12345678"], created };
    expect(renderPdf(input).equals(renderPdf(input))).toBe(true);
  });

  it("is what every seeded PDF is made of", () => {
    const people = seedPeople(buildCatalogue(), loadSandboxKeys());
    const pdfs = [...people.issued.map((d) => d.pdf), ...people.uploads.filter((u) => u.mime === "application/pdf").map((u) => u.data)];
    expect(pdfs.length).toBeGreaterThan(20);
    for (const pdf of pdfs) checkStructure(pdf);
    const cbse = people.issued.find((d) => d.uri === "in.gov.cbse-HSCER-201412345678")!;
    const content = checkStructure(cbse.pdf);
    for (const line of ["(Class XII Marksheet) Tj", "(Issued to: Ajit Kumar) Tj", "(Issued by: Central Board of Secondary Education, Delhi) Tj", "(Document number: 201412345678) Tj", "(Date of issue: 12-05-2015) Tj"]) {
      expect(content).toContain(line);
    }
  });
});
