// The stated signing time of certificate XML (root issueDate, midnight IST) and e-Aadhaar XML (KycRes ts).
import { describe, expect, it } from "vitest";
import { certificateSigningTime, eAadhaarSigningTime } from "../../../src/xml/signing-time.js";

describe("certificateSigningTime", () => {
  it.each([
    ['<Certificate issueDate="12-05-2015" number="1"><CertificateData/></Certificate>', "2015-05-11T18:30:00.000Z"],
    ['<Certificate number="1" issueDate="12052015"/>', "2015-05-11T18:30:00.000Z"],
    ['<Certificate issueDate="2015-05-12"/>', "2015-05-11T18:30:00.000Z"],
    ["<?xml version=\"1.0\"?>\n<Certificate issueDate='01-01-2024'/>", "2023-12-31T18:30:00.000Z"],
  ])("reads %s", (xml, iso) => {
    expect(certificateSigningTime(xml)?.toISOString()).toBe(iso);
  });

  it.each([
    ['<Certificate number="1"/>', "no issueDate"],
    ['<Certificate issueDate=""/>', "empty"],
    ['<Certificate issueDate="31-02-2024"/>', "a day the calendar lacks"],
    ['<Certificate issueDate="12/05/2015"/>', "another format"],
    ['<Other issueDate="12-05-2015"/>', "another root"],
    ['<Certificates issueDate="12-05-2015"/>', "a longer root name"],
    ['<Root><Certificate issueDate="12-05-2015"/></Root>', "a Certificate that is not the root"],
  ])("is null for %s (%s)", (xml) => {
    expect(certificateSigningTime(xml)).toBeNull();
  });
});

describe("eAadhaarSigningTime", () => {
  it("reads KycRes ts, as the root or inside DigiLocker's Certificate", () => {
    expect(eAadhaarSigningTime('<KycRes code="x" ret="Y" ts="2024-03-05T10:11:12.000+05:30" txn="1"/>')?.toISOString()).toBe("2024-03-05T04:41:12.000Z");
    expect(eAadhaarSigningTime('<Certificate><CertificateData><KycRes ts="2024-03-05T10:11:12Z"><UidData/></KycRes></CertificateData></Certificate>')?.toISOString()).toBe(
      "2024-03-05T10:11:12.000Z",
    );
  });

  it.each([
    ['<KycRes ts="2024-03-05T10:11:12"/>', "no offset"],
    ['<KycRes ts="2024-02-30T10:11:12+05:30"/>', "a day the calendar lacks"],
    ['<KycRes ts="05-03-2024"/>', "a date only"],
    ['<KycRes txn="1"/>', "no ts"],
    ['<Certificate ts="2024-03-05T10:11:12Z"/>', "no KycRes"],
  ])("is null for %s (%s)", (xml) => {
    expect(eAadhaarSigningTime(xml)).toBeNull();
  });
});
