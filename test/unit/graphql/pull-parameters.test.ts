import { describe, expect, it } from "vitest";
import type { SearchParameter } from "../../../src/digilocker/index.js";
import { parameterIssues, parameterValues } from "../../../src/graphql/pull-parameters.js";

const years = Array.from({ length: 24 }, (_, i) => String(2001 + i));
// CBSE HSCER's parameters as docs/sandbox.md lists them: year (valuelist 2001…2024) and rollno (free text).
const hscer: SearchParameter[] = [
  { label: "Year", paramName: "year", options: years, example: "2014" },
  { label: "Roll Number", paramName: "rollno", options: null, example: "12345678" },
];

describe("parameterIssues", () => {
  it("accepts every listed name once, with a listed value", () => {
    expect(parameterIssues(hscer, [{ name: "rollno", value: " 12345678 " }, { name: "year", value: "2014" }])).toEqual([]);
  });

  it("names a missing parameter, a blank one, and an unknown one", () => {
    expect(parameterIssues(hscer, [{ name: "year", value: " " }, { name: "roll", value: "1" }])).toEqual([
      { name: "year", problem: "is required (Year)" },
      { name: "rollno", problem: "is required (Roll Number)" },
      { name: "roll", problem: "is not a search parameter of this document type" },
    ]);
  });

  it("names a value outside the value list, and a repeated name", () => {
    expect(
      parameterIssues(hscer, [
        { name: "year", value: "1999" },
        { name: "rollno", value: "1" },
        { name: "rollno", value: "2" },
      ]),
    ).toEqual([
      { name: "year", problem: "must be one of the listed values (2001, 2002, 2003, …, 2024)" },
      { name: "rollno", problem: "is given more than once" },
    ]);
  });

  it("treats an empty value list as free text", () => {
    expect(parameterIssues([{ label: "X", paramName: "x", options: [], example: null }], [{ name: "x", value: "a" }])).toEqual([]);
  });
});

describe("parameterValues", () => {
  it("trims the values", () => {
    expect(parameterValues([{ name: "year", value: " 2014 " }])).toEqual({ year: "2014" });
  });
});
