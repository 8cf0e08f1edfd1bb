// Edge cases of the meta response schemas beyond the spec's samples (those are in meta.test.ts).
import { describe, expect, it } from "vitest";
import {
  docTypesResponse,
  issuersResponse,
  parametersResponse,
  statisticsResponse,
  verifyResponse,
} from "../../../src/digilocker/meta-schemas.js";

describe("issuersResponse", () => {
  it.each([[{ issuers: null }], [{ issuers: [] }], [{}]])("an absent or empty list is [] (%j)", (input) => {
    expect(issuersResponse.parse(input)).toEqual([]);
  });

  it("orgid as a padded string or as a number becomes a trimmed string", () => {
    const parsed = issuersResponse.parse({
      issuers: [
        { orgid: " 000018 ", issuerid: "in.gov.cbse", name: "CBSE", category: "Education", description: "x" },
        { orgid: 201, name: "AKTU" },
      ],
    });
    expect(parsed).toEqual([
      { orgId: "000018", issuerId: "in.gov.cbse", name: "CBSE", categories: ["Education"], description: "x" },
      { orgId: "201", issuerId: null, name: "AKTU", categories: [], description: null },
    ]);
  });

  it("an issuer without a name or orgid is rejected", () => {
    expect(issuersResponse.safeParse({ issuers: [{ orgid: "000018" }] }).success).toBe(false);
    expect(issuersResponse.safeParse({ issuers: [{ name: "CBSE" }] }).success).toBe(false);
    expect(issuersResponse.safeParse(null).success).toBe(false);
  });
});

describe("docTypesResponse", () => {
  it("trims, and an absent list is []", () => {
    expect(docTypesResponse.parse({ documents: [{ doctype: " INCER ", description: " Income Certificate " }] })).toEqual([
      { docType: "INCER", description: "Income Certificate" },
    ]);
    expect(docTypesResponse.parse({ documents: null })).toEqual([]);
    expect(docTypesResponse.parse({})).toEqual([]);
  });
});

describe("parametersResponse", () => {
  it("example: a number becomes a string, blank or missing becomes null; a blank valuelist is null", () => {
    const parsed = parametersResponse.parse({
      parameters: [
        { label: "Year", paramname: "year", valuelist: " 2001 , 2002 ", example: 2002 },
        { label: "Roll", paramname: "rollno", valuelist: "", example: "  " },
        { label: "Name", paramname: "name" },
      ],
    });
    expect(parsed).toEqual([
      { label: "Year", paramName: "year", options: ["2001", "2002"], example: "2002" },
      { label: "Roll", paramName: "rollno", options: null, example: null },
      { label: "Name", paramName: "name", options: null, example: null },
    ]);
  });
});

describe("verifyResponse", () => {
  it("registered is required", () => {
    expect(verifyResponse.safeParse({ digilockerid: "x" }).success).toBe(false);
  });

  it("trims the id", () => {
    expect(verifyResponse.parse({ registered: "TRUE", digilockerid: " abc " })).toEqual({ registered: true, digilockerId: "abc" });
  });
});

describe("statisticsResponse", () => {
  const base = { users: 1, authentic_documents: "2", issuers: "3", requesters: "4" };

  it("optional parts default: no date → null, no lists → []", () => {
    expect(statisticsResponse.parse(base)).toEqual({
      users: 1,
      authenticDocuments: 2,
      issuers: 3,
      requesters: 4,
      countAsOn: null,
      monthwiseRegistrations: [],
      yearwiseAuthenticDocuments: [],
    });
  });

  it("prefers requesters when both spellings are present", () => {
    expect(statisticsResponse.parse({ ...base, requestors: "9" }).requesters).toBe(4);
  });

  it.each([
    ["month 13", { monthwise_registrations: [{ id: "1", month: "13", year: "2018", count: "1" }] }],
    ["month 0", { monthwise_registrations: [{ id: "1", month: "0", year: "2018", count: "1" }] }],
    ["an impossible count_as_on", { count_as_on: "31022019" }],
    ["a count beyond 2^53", { users: "9007199254740993" }],
    ["a negative count", { issuers: "-3" }],
  ])("rejects %s", (_, extra) => {
    expect(statisticsResponse.safeParse({ ...base, ...extra }).success).toBe(false);
  });
});
