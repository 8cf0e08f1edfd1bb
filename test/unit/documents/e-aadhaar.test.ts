import { describe, expect, it } from "vitest";
import { eAadhaarFields, isoDateOf, maskAadhaar } from "../../../src/documents/e-aadhaar.js";

// JSON as src/xml/xml-json.ts gives it for UIDAI-style e-KYC XML: attributes as "@name", values as strings.
const kyc = {
  Certificate: {
    CertificateData: {
      KycRes: {
        "@code": "abc",
        "@ret": "Y",
        "@ts": "2024-03-05T10:15:00+05:30",
        UidData: {
          "@uid": "xxxxxxxx0026",
          Poi: { "@dob": "14-08-1990", "@gender": "F", "@name": "Priya Sharma" },
          Poa: {
            "@co": "D/O Ramesh Sharma",
            "@country": "India",
            "@dist": "Pune",
            "@house": "12",
            "@lm": "Near Temple",
            "@loc": "Kothrud",
            "@pc": "411038",
            "@po": "Kothrud",
            "@state": "Maharashtra",
            "@street": "MG Road",
            "@subdist": "Haveli",
            "@vtc": "Pune",
          },
          Pht: "/9j/4AAQSkZJRg==",
        },
      },
    },
  },
};

describe("eAadhaarFields", () => {
  it("reads every field UIDAI's e-KYC XML gives", () => {
    expect(eAadhaarFields(kyc)).toEqual({
      name: "Priya Sharma",
      dateOfBirth: "1990-08-14",
      gender: "FEMALE",
      maskedAadhaar: "xxxxxxxx0026",
      careOf: "D/O Ramesh Sharma",
      address: {
        house: "12",
        street: "MG Road",
        landmark: "Near Temple",
        locality: "Kothrud",
        villageTownCity: "Pune",
        subDistrict: "Haveli",
        district: "Pune",
        state: "Maharashtra",
        postOffice: "Kothrud",
        pinCode: "411038",
        country: "India",
      },
      photo: "data:image/jpeg;base64,/9j/4AAQSkZJRg==",
      issuedAt: "2024-03-05T04:45:00.000Z",
    });
  });

  it("masks a full Aadhaar number the XML might carry", () => {
    const full = structuredClone(kyc);
    full.Certificate.CertificateData.KycRes.UidData["@uid"] = "999999990026";
    expect(eAadhaarFields(full).maskedAadhaar).toBe("xxxxxxxx0026");
    expect(JSON.stringify(eAadhaarFields(full))).not.toContain("999999990026");
  });

  it("answers null for what is absent or malformed, never throws", () => {
    expect(eAadhaarFields({})).toMatchObject({ name: null, dateOfBirth: null, gender: null, maskedAadhaar: null, photo: null, issuedAt: null });
    const odd = structuredClone(kyc);
    odd.Certificate.CertificateData.KycRes.UidData.Poi["@dob"] = "31-02-1990";
    odd.Certificate.CertificateData.KycRes.UidData.Poi["@gender"] = "X";
    odd.Certificate.CertificateData.KycRes.UidData.Pht = "<script>alert(1)</script>";
    odd.Certificate.CertificateData.KycRes["@ts"] = "yesterday";
    expect(eAadhaarFields(odd)).toMatchObject({ dateOfBirth: null, gender: null, photo: null, issuedAt: null });
  });
});

describe("isoDateOf", () => {
  it.each([
    ["14-08-1990", "1990-08-14"],
    ["14/08/1990", "1990-08-14"],
    ["14081990", "1990-08-14"],
    ["1990-08-14", "1990-08-14"],
    ["29-02-2023", null],
    ["1990-13-01", null],
    ["", null],
  ])("%s → %s", (input, expected) => {
    expect(isoDateOf(input)).toBe(expected);
  });
});

describe("maskAadhaar", () => {
  it.each([
    ["xxxxxxxx1234", "xxxxxxxx1234"],
    ["1234 5678 9012", "xxxxxxxx9012"],
    ["XXXX-XXXX-", null],
    ["", null],
  ])("%s → %s", (input, expected) => {
    expect(maskAadhaar(input)).toBe(expected);
  });
});
