// The Verhoeff check against numbers published elsewhere, never computed by the code under test. Where each
// literal comes from is written beside it.
import { describe, expect, it } from "vitest";
import { isAadhaarNumber, isVerhoeffValid, verhoeffCheckDigit, verhoeffTables } from "../../../src/digilocker/verhoeff.js";

describe("Verhoeff check digit", () => {
  it("gives the check digits of the published examples", () => {
    // Wikipedia, "Verhoeff algorithm", worked example: the check digit of 236 is 3.
    expect(verhoeffCheckDigit("236")).toBe(3);
    // Rosetta Code, "Verhoeff algorithm" task: 236 → 3, 12345 → 1, 123456789012 → 0.
    expect(verhoeffCheckDigit("12345")).toBe(1);
    expect(verhoeffCheckDigit("123456789012")).toBe(0);
    // python-stdnum, stdnum/verhoeff.py doctest: calc_check_digit('1234') == '0'.
    expect(verhoeffCheckDigit("1234")).toBe(0);
  });

  it("accepts the published numbers with their check digit and refuses them with another", () => {
    // Wikipedia: 2363 validates. Rosetta Code: 2363, 123451 and 1234567890120 validate; each with 9 as its
    // last digit instead does not.
    for (const valid of ["2363", "123451", "1234567890120"]) expect(isVerhoeffValid(valid), valid).toBe(true);
    for (const invalid of ["2369", "123459", "1234567890129"]) expect(isVerhoeffValid(invalid), invalid).toBe(false);
    // python-stdnum, stdnum/verhoeff.py doctests: validate('12340') passes, validate('1234') raises InvalidChecksum.
    expect(isVerhoeffValid("12340")).toBe(true);
    expect(isVerhoeffValid("1234")).toBe(false);
  });

  it("refuses what is not digits", () => {
    for (const text of ["", "23 63", "236a", "２３６３", "-2363"]) expect(isVerhoeffValid(text), text).toBe(false);
    expect(() => verhoeffCheckDigit("")).toThrow(RangeError);
    expect(() => verhoeffCheckDigit("12a")).toThrow(RangeError);
  });

  it("catches every single-digit error and every swap of neighbouring digits, on a valid number", () => {
    const valid = "1234567890120";
    for (let i = 0; i < valid.length; i++) {
      for (let d = 0; d <= 9; d++) {
        const changed = valid.slice(0, i) + String(d) + valid.slice(i + 1);
        if (changed !== valid) expect(isVerhoeffValid(changed), changed).toBe(false);
      }
      const swapped = valid.slice(0, i) + (valid[i + 1] ?? "") + valid[i]! + valid.slice(i + 2);
      if (i + 1 < valid.length && swapped !== valid) expect(isVerhoeffValid(swapped), swapped).toBe(false);
    }
  });

  it("uses the tables their definitions give: D5's composition, the powers of (1 5 8 9 4 2 7 0)(3 6), D's inverses", () => {
    const { d, p, inverse } = verhoeffTables();
    const d5 = (j: number, k: number) =>
      j < 5 && k < 5 ? (j + k) % 5 : j < 5 ? ((j + k) % 5) + 5 : k < 5 ? ((j - k + 5) % 5) + 5 : (j - k + 5) % 5;
    expect(d).toEqual(Array.from({ length: 10 }, (_, j) => Array.from({ length: 10 }, (_, k) => d5(j, k))));
    // The permutation, written as where each digit goes: 0→1, 1→5, 2→7, 3→6, 4→2, 5→8, 6→3, 7→0, 8→9, 9→4.
    const sigma = [1, 5, 7, 6, 2, 8, 3, 0, 9, 4];
    const powers = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]];
    for (let i = 1; i < 8; i++) powers.push(sigma.map((_, j) => powers[i - 1]![sigma[j]!]!));
    expect(p).toEqual(powers);
    for (let j = 0; j < 10; j++) expect(d[j]![inverse[j]!]).toBe(0);
  });
});

describe("Aadhaar numbers", () => {
  it("accepts numbers that pass, refuses a wrong check digit", () => {
    // python-stdnum, stdnum/in_/aadhaar.py doctests: validate('234123412346') passes; validate('234123412347')
    // raises InvalidChecksum.
    expect(isAadhaarNumber("234123412346")).toBe(true);
    expect(isAadhaarNumber("234123412347")).toBe(false);
    // Residents of UIDAI's pre-production Aadhaar authentication environment (its sample auth clients, API 1.6):
    // 999999990019 "Shivshankar Choudhury", 999999990026 "Kumar Agarwal".
    expect(isAadhaarNumber("999999990019")).toBe(true);
    expect(isAadhaarNumber("999999990026")).toBe(true);
    // One past that last: the sandbox's old number for Priya. A single-digit change always fails (below).
    expect(isAadhaarNumber("999999990027")).toBe(false);
  });

  it("refuses a number of another length or starting with 0 or 1, whatever its check digit", () => {
    // python-stdnum, stdnum/in_/aadhaar.py doctests: validate('123412341234') raises InvalidFormat ("should not
    // start with 0 or 1"); validate('643343121') raises InvalidLength. Both pass the Verhoeff check by themselves.
    expect(isVerhoeffValid("123412341234")).toBe(true);
    expect(isVerhoeffValid("643343121")).toBe(true);
    expect(isAadhaarNumber("123412341234")).toBe(false);
    expect(isAadhaarNumber("643343121")).toBe(false);
    // Rosetta Code's 1234567890120 passes the Verhoeff check but has 13 digits.
    expect(isVerhoeffValid("1234567890120")).toBe(true);
    expect(isAadhaarNumber("1234567890120")).toBe(false);
    expect(isAadhaarNumber("2341 2341 2346")).toBe(false);
  });
});
