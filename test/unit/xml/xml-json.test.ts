// xmlToJson (src/xml/xml-json.ts): certificate XML as JSON, from what the signature covers.
import { describe, expect, it } from "vitest";
import { loadSandboxKeys, sandboxSigningCertificates } from "../../../src/sandbox/keys.js";
import { createSignedXml } from "../../../src/sandbox/seed/xml.js";
import { TrustStore } from "../../../src/xml/trust-store.js";
import { xmlToJson } from "../../../src/xml/xml-json.js";
import { verifyXmlSignature } from "../../../src/xml/xml-signature.js";

const CERTIFICATE =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Certificate language="99" name="Class X Marksheet" number="0042" issueDate="12-05-2015" status="A">' +
  '<IssuedBy><Organization name="Board of Secondary Education, Rajasthan &amp; Ajmer" code="000123" type="SG"/></IssuedBy>' +
  '<IssuedTo><Person name="Priya O&apos;Neil" dob="01-02-2000"><Address pin="000123">12 &lt;Main&gt; Road</Address></Person></IssuedTo>' +
  "<CertificateData><Subjects>" +
  '<Subject code="041" marks="088">Mathematics</Subject><Subject code="086" marks="090">Science</Subject>' +
  "</Subjects><Result>PASS</Result><Remarks/><Division>1</Division></CertificateData></Certificate>";

describe("xmlToJson", () => {
  it("turns the signed XML of a small certificate into JSON: attributes with @, strings only, arrays only for repeats", () => {
    const verified = verifyXmlSignature(createSignedXml(CERTIFICATE, loadSandboxKeys()), {
      trust: TrustStore.fromPems(sandboxSigningCertificates()),
      now: new Date("2026-12-01T00:00:00Z"),
    });
    expect(verified.status).toBe("VALID");
    expect(xmlToJson(verified.signedXml!)).toEqual({
      Certificate: {
        "@issueDate": "12-05-2015",
        "@language": "99",
        "@name": "Class X Marksheet",
        "@number": "0042",
        "@status": "A",
        IssuedBy: { Organization: { "@code": "000123", "@name": "Board of Secondary Education, Rajasthan & Ajmer", "@type": "SG" } },
        IssuedTo: { Person: { "@dob": "01-02-2000", "@name": "Priya O'Neil", Address: { "@pin": "000123", "#text": "12 <Main> Road" } } },
        CertificateData: {
          Subjects: {
            Subject: [
              { "@code": "041", "@marks": "088", "#text": "Mathematics" },
              { "@code": "086", "@marks": "090", "#text": "Science" },
            ],
          },
          Result: "PASS",
          Remarks: "",
          Division: "1",
        },
      },
    });
  });

  it("leaves out the declaration and the XML-DSig Signature of raw signed XML", () => {
    const signed = createSignedXml('<?xml version="1.0"?>\n<Certificate number="1"><Data>x</Data></Certificate>', loadSandboxKeys());
    expect(xmlToJson(signed)).toEqual({ Certificate: { "@number": "1", Data: "x" } });
    const prefixed = '<C xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:Signature><ds:SignedInfo/></ds:Signature><Signature>kept</Signature></C>';
    expect(xmlToJson(prefixed)).toEqual({ C: { "@xmlns:ds": "http://www.w3.org/2000/09/xmldsig#", Signature: "kept" } });
  });

  it("reads CDATA literally and character references once", () => {
    expect(xmlToJson("<a><b><![CDATA[x &amp; <y>]]></b><c>&#65;&#x1F600;&amp;lt;</c></a>")).toEqual({ a: { b: "x &amp; <y>", c: "A😀&lt;" } });
  });

  it("refuses DTD markup and never expands an entity", () => {
    expect(() => xmlToJson('<!DOCTYPE a [<!ENTITY x "boom">]><a>&x;</a>')).toThrow("xmlToJson: DTD markup (DOCTYPE, ENTITY, …) refused");
    expect(xmlToJson("<a>&x;</a>")).toEqual({ a: "&x;" });
  });

  it("bounds nesting", () => {
    expect(() => xmlToJson(`${"<a>".repeat(100)}${"</a>".repeat(100)}`)).not.toThrow();
    expect(() => xmlToJson(`${"<a>".repeat(150)}${"</a>".repeat(150)}`)).toThrow("Maximum nested tags exceeded");
  });
});
