// The seeded users' numbers are ones verifyAccount would look up: every Aadhaar number passes the Verhoeff check
// (Priya's was 999999990027, which does not) and every mobile is a 10-digit Indian number.
import { describe, expect, it } from "vitest";
import { isAadhaarNumber } from "../../../src/digilocker/verhoeff.js";
import { loadSandboxKeys } from "../../../src/sandbox/keys.js";
import { seedState } from "../../../src/sandbox/seed/index.js";
import { sandboxSettingsSchema } from "../../../src/sandbox/settings.js";

const state = seedState(sandboxSettingsSchema.parse({}), loadSandboxKeys());
const users = [...state.users.values()];

describe("seeded numbers", () => {
  it("every seeded Aadhaar number is 12 digits that pass the Verhoeff check", () => {
    const numbers = users.flatMap((u) => (u.aadhaar === null ? [] : [u.aadhaar]));
    // Ajit, Priya and Asha: Rahul has none linked.
    expect(numbers).toHaveLength(3);
    expect(numbers.filter((n) => !isAadhaarNumber(n))).toEqual([]);
  });

  it("Priya's is 999999990026, masked as xxxxxxxx0026 in her e-Aadhaar", () => {
    const priya = users.find((u) => u.username === "priya.sharma");
    expect(priya?.aadhaar).toBe("999999990026");
    expect(priya?.eAadhaarXml).toContain('uid="xxxxxxxx0026"');
  });

  it("every seeded mobile is a 10-digit Indian mobile number", () => {
    expect(users.map((u) => u.mobile).filter((m) => !/^[6-9]\d{9}$/.test(m))).toEqual([]);
  });
});
