import { describe, expect, it } from "vitest";
import { epochSeconds, metaTimestamp, unixSeconds } from "../../../src/digilocker/timestamp.js";

// 2023-11-14T22:13:20Z is UNIX second 1700000000; IST (+05:30) adds 19800 s.
const NOW_MS = 1_700_000_000_000;

describe("metaTimestamp", () => {
  it('"unix" is the epoch seconds as a decimal string', () => {
    expect(metaTimestamp(NOW_MS, "unix")).toBe("1700000000");
  });

  it('"unix-ist" adds 5 h 30 min (19800 s)', () => {
    expect(metaTimestamp(NOW_MS, "unix-ist")).toBe("1700019800");
  });

  it("drops milliseconds rather than rounding up", () => {
    expect(metaTimestamp(NOW_MS + 999, "unix")).toBe("1700000000");
    expect(metaTimestamp(NOW_MS + 1000, "unix")).toBe("1700000001");
    expect(metaTimestamp(NOW_MS + 999, "unix-ist")).toBe("1700019800");
  });

  it("never uses exponent or fractional notation", () => {
    expect(metaTimestamp(Date.UTC(2100, 0, 1), "unix")).toBe("4102444800");
    expect(metaTimestamp(NOW_MS + 500, "unix-ist")).toMatch(/^\d+$/);
  });
});

describe("unixSeconds", () => {
  it("converts a Date under each convention", () => {
    const instant = new Date("2023-05-22T12:00:00Z");
    expect(unixSeconds(instant, "unix")).toBe(1684756800);
    expect(unixSeconds(instant, "unix-ist")).toBe(1684756800 + 19800);
  });

  it("truncates sub-second parts", () => {
    expect(unixSeconds(new Date(NOW_MS + 750), "unix")).toBe(1700000000);
  });
});

describe("epochSeconds (reading consent_valid_till back)", () => {
  it('"unix" leaves the value alone', () => {
    expect(epochSeconds(1767205800, "unix")).toBe(1767205800);
  });

  it('"unix-ist" takes 19800 s off: 1767205800 - 19800 = 1767186000', () => {
    expect(epochSeconds(1767205800, "unix-ist")).toBe(1767186000);
  });

  it.each(["unix", "unix-ist"] as const)("undoes unixSeconds under %s", (convention) => {
    // 2025-12-31T13:00:00Z is UNIX 1767186000 (2026-01-01T00:00:00Z = 1767225600, less 11 h = 39600 s).
    const instant = new Date("2025-12-31T13:00:00Z");
    expect(epochSeconds(unixSeconds(instant, convention), convention)).toBe(1767186000);
  });
});
