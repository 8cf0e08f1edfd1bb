import { describe, expect, it } from "vitest";
import { rateLimitFields } from "../../../src/server/ratelimit-fields.js";

describe("rateLimitFields (draft-ietf-httpapi-ratelimit-headers-11)", () => {
  it("writes one Structured Fields list item per budget, in order", () => {
    expect(
      rateLimitFields([
        { name: "partner-requests", quota: 600, windowSeconds: 60, remaining: 599, resetSeconds: 42 },
        { name: "partner-digilocker-calls", quota: 300, windowSeconds: 60, remaining: 0, resetSeconds: 1 },
      ]),
    ).toEqual([
      ["ratelimit-policy", '"partner-requests";q=600;w=60, "partner-digilocker-calls";q=300;w=60'],
      ["ratelimit", '"partner-requests";r=599;t=42, "partner-digilocker-calls";r=0;t=1'],
    ]);
  });

  it("writes nothing for no budget", () => {
    expect(rateLimitFields([])).toEqual([]);
  });

  it("escapes quotes and backslashes in names, and refuses what no field can carry", () => {
    expect(rateLimitFields([{ name: 'a"b\\c', quota: 1, windowSeconds: 1, remaining: 0, resetSeconds: 1 }])[0]).toEqual([
      "ratelimit-policy",
      '"a\\"b\\\\c";q=1;w=1',
    ]);
    expect(() => rateLimitFields([{ name: "caf\u00e9", quota: 1, windowSeconds: 1, remaining: 0, resetSeconds: 1 }])).toThrow(RangeError);
    expect(() => rateLimitFields([{ name: "x", quota: -1, windowSeconds: 1, remaining: 0, resetSeconds: 1 }])).toThrow(RangeError);
    expect(() => rateLimitFields([{ name: "x", quota: 1, windowSeconds: 1.5, remaining: 0, resetSeconds: 1 }])).toThrow(RangeError);
    expect(() => rateLimitFields([{ name: "x", quota: 1e16, windowSeconds: 1, remaining: 0, resetSeconds: 1 }])).toThrow(RangeError);
  });
});
