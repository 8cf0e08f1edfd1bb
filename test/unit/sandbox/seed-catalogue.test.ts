// The issuer catalogue (seed/catalogue.ts) at the real service's scale: >= 200 issuers in all four
// categories, the fixed issuers docs/sandbox.md names, and search parameters whose examples are valid.
import { describe, expect, it } from "vitest";
import { buildCatalogue, CATEGORIES, ORGIDS } from "../../../src/sandbox/seed/catalogue.js";
import { pulledDocId } from "../../../src/sandbox/seed/documents.js";
import type { IssuerSeed } from "../../../src/sandbox/state.js";

const issuers = buildCatalogue();
const byOrgid = (orgid: string): IssuerSeed => {
  const issuer = issuers.find((i) => i.orgid === orgid);
  if (issuer === undefined) throw new Error(`no issuer ${orgid}`);
  return issuer;
};
const params = issuers.flatMap((i) => i.docTypes.flatMap((d) => d.parameters.map((p) => ({ issuer: i, docType: d, p }))));

describe("catalogue scale and shape", () => {
  it("has at least 200 issuers, unique orgids and issuer ids, ordered by orgid", () => {
    expect(issuers.length).toBeGreaterThanOrEqual(200);
    expect(new Set(issuers.map((i) => i.orgid)).size).toBe(issuers.length);
    expect(new Set(issuers.map((i) => i.issuerid)).size).toBe(issuers.length);
    expect(issuers.map((i) => i.orgid)).toEqual([...issuers.map((i) => i.orgid)].sort());
  });

  it("represents all four categories, each with many issuers, some issuers having two", () => {
    for (const category of CATEGORIES) {
      expect(issuers.filter((i) => i.category.split(",").includes(category)).length, category).toBeGreaterThanOrEqual(20);
    }
    for (const issuer of issuers) {
      for (const c of issuer.category.split(",")) expect(CATEGORIES, issuer.issuerid).toContain(c);
    }
    expect(issuers.filter((i) => i.category.includes(",")).length).toBeGreaterThan(20);
  });

  it("uses 6-digit orgids and in.gov / in.ac / in.co issuer ids without hyphens (they would split URIs)", () => {
    for (const issuer of issuers) {
      expect(issuer.orgid).toMatch(/^\d{6}$/);
      expect(issuer.issuerid).toMatch(/^in\.(gov|ac|co)\.[a-z0-9]+(\.[a-z0-9]+)*$/);
      expect(issuer.name.trim()).not.toBe("");
      expect(issuer.description.length).toBeGreaterThan(20);
    }
  });

  it("gives every issuer doctypes of 5 upper-case alphanumerics, each with parameters", () => {
    for (const issuer of issuers) {
      expect(issuer.docTypes.length, issuer.issuerid).toBeGreaterThanOrEqual(1);
      expect(new Set(issuer.docTypes.map((d) => d.doctype)).size).toBe(issuer.docTypes.length);
      for (const d of issuer.docTypes) {
        expect(d.doctype).toMatch(/^[A-Z0-9]{5}$/);
        expect(d.description.trim()).not.toBe("");
        expect(d.parameters.length).toBeGreaterThanOrEqual(1);
      }
    }
    expect(issuers.reduce((n, i) => n + i.docTypes.length, 0)).toBeGreaterThan(2 * issuers.length);
  });

  it("repeats doctype codes across issuers, as DigiLocker does", () => {
    const incer = issuers.filter((i) => i.docTypes.some((d) => d.doctype === "INCER"));
    expect(incer.length).toBeGreaterThan(30);
    for (const i of incer) expect(i.docTypes.find((d) => d.doctype === "INCER")?.description).toBe("Income Certificate");
  });

  it("has parameters with a valuelist and without, every example valid", () => {
    expect(params.filter(({ p }) => p.valuelist !== null).length).toBeGreaterThan(100);
    expect(params.filter(({ p }) => p.valuelist === null).length).toBeGreaterThan(100);
    for (const { issuer, docType, p } of params) {
      const where = `${issuer.orgid} ${docType.doctype} ${p.paramname}`;
      expect(p.label.trim(), where).not.toBe("");
      expect(p.paramname, where).toMatch(/^[a-z]+$/);
      expect(p.example.trim(), where).not.toBe("");
      // The pull rule reads a value starting with PENDING as "forwarded to the issuer".
      expect(p.example.startsWith("PENDING"), where).toBe(false);
      if (p.valuelist !== null) {
        const values = p.valuelist.split(",");
        expect(values.every((v) => v !== "" && v === v.trim()), where).toBe(true);
        expect(values, where).toContain(p.example);
      }
    }
    for (const issuer of issuers) {
      for (const d of issuer.docTypes) {
        const names = d.parameters.map((p) => p.paramname);
        expect(new Set(names).size, `${issuer.orgid} ${d.doctype}`).toBe(names.length);
      }
    }
  });

  it("is the same on every build", () => {
    expect(buildCatalogue()).toEqual(issuers);
  });
});

describe("fixed issuers", () => {
  it("CBSE 000018: HSCER, SSCER, MGCER with year (2001…2024, example 2014) and rollno (free, example 12345678)", () => {
    const cbse = byOrgid(ORGIDS.cbse);
    expect(cbse).toMatchObject({ issuerid: "in.gov.cbse", category: "Education,Central Government", offline: false });
    expect(cbse.docTypes.map((d) => [d.doctype, d.description])).toEqual([
      ["HSCER", "Class XII Marksheet"],
      ["SSCER", "Class X Marksheet"],
      ["MGCER", "Migration Certificate"],
    ]);
    for (const d of cbse.docTypes) {
      expect(d.parameters).toEqual([
        { label: "Year", paramname: "year", valuelist: Array.from({ length: 24 }, (_, i) => 2001 + i).join(","), example: "2014" },
        { label: "Roll Number", paramname: "rollno", valuelist: null, example: "12345678" },
      ]);
    }
  });

  it("AKTU 000201, Income Tax 000100, Road Transport 000110, Delhi eDistrict 000120", () => {
    expect(byOrgid(ORGIDS.aktu)).toMatchObject({ issuerid: "in.gov.aktu", name: "APJ Abdul Kalam Technical University, UP", category: "Education,State Government" });
    const pan = byOrgid(ORGIDS.incomeTax);
    expect(pan).toMatchObject({ issuerid: "in.gov.pan", name: "Income Tax Department", category: "Central Government" });
    expect(pan.docTypes[0]).toMatchObject({ doctype: "PANCR", parameters: [{ paramname: "panno", valuelist: null, example: "ABCDE1234F" }] });
    const transport = byOrgid(ORGIDS.transport);
    expect(transport.issuerid).toBe("in.gov.transport");
    expect(transport.docTypes.find((d) => d.doctype === "DRVLC")?.parameters.map((p) => [p.paramname, p.example])).toEqual([
      ["dlno", "DL0120230100001"],
      ["dob", "31-12-1970"],
    ]);
    const delhi = byOrgid(ORGIDS.delhi);
    expect(delhi).toMatchObject({ issuerid: "in.gov.delhi", name: "Delhi eDistrict", category: "State Government" });
    expect(delhi.docTypes.map((d) => d.doctype)).toEqual(["INCER", "BTCER", "DOMCR"]);
    expect(delhi.docTypes[0]?.parameters).toEqual([{ label: "Certificate Number", paramname: "certno", valuelist: null, example: "98765432" }]);
  });

  it("the sandbox issuer 000900 and the offline issuer 000999", () => {
    expect(byOrgid(ORGIDS.sandbox)).toMatchObject({ issuerid: "in.gov.sandbox", category: "Central Government", offline: false });
    expect(byOrgid(ORGIDS.sandbox).docTypes.map((d) => d.doctype)).toEqual(["SBCER"]);
    expect(byOrgid(ORGIDS.offline)).toMatchObject({ issuerid: "in.gov.sandbox.offline", offline: true });
    expect(byOrgid(ORGIDS.offline).docTypes.map((d) => d.doctype)).toEqual(["OFCER"]);
    expect(issuers.filter((i) => i.offline).map((i) => i.orgid)).toEqual([ORGIDS.offline]);
  });
});

describe("pulledDocId", () => {
  const docType = (orgid: string, doctype: string) => byOrgid(orgid).docTypes.find((d) => d.doctype === doctype)!;
  const examples = (orgid: string, doctype: string) =>
    Object.fromEntries(docType(orgid, doctype).parameters.map((p) => [p.paramname, p.example]));

  it("gives the seeded documents' numbers for the fixed issuers' examples (so pulling them again is uri_exists)", () => {
    expect(pulledDocId(docType(ORGIDS.cbse, "HSCER"), examples(ORGIDS.cbse, "HSCER"))).toBe("201412345678");
    expect(pulledDocId(docType(ORGIDS.delhi, "INCER"), examples(ORGIDS.delhi, "INCER"))).toBe("98765432");
    expect(pulledDocId(docType(ORGIDS.incomeTax, "PANCR"), examples(ORGIDS.incomeTax, "PANCR"))).toBe("ABCDE1234F");
    expect(pulledDocId(docType(ORGIDS.transport, "DRVLC"), examples(ORGIDS.transport, "DRVLC"))).toBe("DL0120230100001");
  });

  it("keeps letters and digits only, upper-cased, in parameter order", () => {
    expect(pulledDocId(docType(ORGIDS.sandbox, "SBCER"), { certno: "ab-12/3", year: "2024" })).toBe("2024AB123");
  });
});
