import { describe, expect, it } from "vitest";
import { metaTimestamp, unixSeconds } from "../../../src/digilocker/timestamp.js";

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
