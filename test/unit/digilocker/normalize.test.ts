import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  commaList,
  count,
  ddmmyyyy,
  gender,
  isoDateFromDdmmyyyy,
  isoDateTime,
  mimeList,
  optionalCount,
  optionalDateTime,
  optionalDdmmyyyy,
  optionalText,
  optionalUnixSeconds,
  optionalUnixSecondsUnder,
  stringBoolean,
  TimestampMemo,
  TIMESTAMP_MEMO_MAX,
  trimmed,
  yesNo,
} from "../../../src/digilocker/normalize.js";

/** The parsed value; fails the test when the codec rejects the input. */
function ok<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new Error(`rejected ${JSON.stringify(input)}: ${r.error.message}`);
  return r.data;
}

function rejects(schema: z.ZodType, input: unknown): boolean {
  return !schema.safeParse(input).success;
}

describe("trimmed and optionalText", () => {
  it("trims the samples' padding", () => {
    expect(ok(trimmed, " in.gov.delhi-INCER-98765432")).toBe("in.gov.delhi-INCER-98765432");
    expect(ok(trimmed, "")).toBe("");
    expect(rejects(trimmed, null)).toBe(true);
  });

  it.each([
    [" x ", "x"],
    ["", null],
    ["   ", null],
    [null, null],
    [undefined, null],
  ])("optionalText %j → %j", (input, expected) => {
    expect(ok(optionalText, input)).toBe(expected);
  });

  it("optionalText rejects non-strings", () => {
    expect(rejects(optionalText, 5)).toBe(true);
  });
});

describe("yesNo", () => {
  it.each([
    ["Y", true],
    ["N", false],
    [" y ", true],
    ["n", false],
  ])("%j → %j", (input, expected) => {
    expect(ok(yesNo, input)).toBe(expected);
  });

  it.each([[""], ["YES"], ["true"], ["1"], [true], [null], [undefined]])("rejects %j", (input) => {
    expect(rejects(yesNo, input)).toBe(true);
  });
});

describe("stringBoolean", () => {
  it.each([
    ["true", true],
    ["false", false],
    [" TRUE ", true],
    ["False", false],
    [true, true],
    [false, false],
  ])("%j → %j", (input, expected) => {
    expect(ok(stringBoolean, input)).toBe(expected);
  });

  it.each([["yes"], ["1"], [""], [1], [0], [null], [undefined]])("rejects %j", (input) => {
    expect(rejects(stringBoolean, input)).toBe(true);
  });
});

describe("count", () => {
  it.each([
    ["25873490", 25873490],
    [" 134 ", 134],
    ["0", 0],
    [45, 45],
    // Beyond 2^31 (the statistics sample), still exact.
    ["3520475277", 3520475277],
    [3520475277, 3520475277],
    ["9007199254740991", 9007199254740991],
  ])("%j → %j", (input, expected) => {
    expect(ok(count, input)).toBe(expected);
  });

  it("keeps 3520475277 exact, not wrapped to 32 bits", () => {
    const n = ok(count, "3520475277");
    expect(n).toBe(3_520_475_277);
    expect(n).toBeGreaterThan(2 ** 31 - 1); // as an int32 it would wrap to -774492019
  });

  it.each([
    ["9007199254740992"], // 2^53: no longer exact
    ["9007199254740993"],
    ["123456789012345678901234567890"],
    [2 ** 53],
    [-1],
    ["-1"],
    [1.5],
    ["1.5"],
    ["1e3"],
    ["0x10"],
    [""],
    ["   "],
    ["abc"],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [null],
    [undefined],
    [true],
  ])("rejects %j", (input) => {
    expect(rejects(count, input)).toBe(true);
  });
});

describe("optionalCount", () => {
  it.each([
    ["", null],
    ["  ", null],
    [null, null],
    [undefined, null],
    ["366481", 366481],
    [" 366481", 366481],
    [0, 0],
    ["3520475277", 3520475277],
  ])("%j → %j", (input, expected) => {
    expect(ok(optionalCount, input)).toBe(expected);
  });

  it.each([["abc"], ["-1"], [-1], ["1.5"], ["9007199254740993"]])("rejects %j", (input) => {
    expect(rejects(optionalCount, input)).toBe(true);
  });
});

describe("isoDateFromDdmmyyyy", () => {
  it.each([
    ["31072019", "2019-07-31"],
    ["31122014", "2014-12-31"],
    ["01012015", "2015-01-01"],
    ["29022020", "2020-02-29"], // leap year
    ["29022000", "2000-02-29"], // divisible by 400
    [" 31072019 ", "2019-07-31"],
  ])("%j → %j", (input, expected) => {
    expect(isoDateFromDdmmyyyy(input)).toBe(expected);
  });

  it.each([
    ["29022019"], // not a leap year
    ["29021900"], // divisible by 100, not 400
    ["31022019"],
    ["31042019"],
    ["00012020"],
    ["01002020"],
    ["01132020"],
    ["32012020"],
    ["1012020"],
    ["010120201"],
    ["31/07/2019"],
    ["2019-07-31"],
    [""],
    ["abcdefgh"],
  ])("%j → null", (input) => {
    expect(isoDateFromDdmmyyyy(input)).toBeNull();
  });
});

describe("ddmmyyyy and optionalDdmmyyyy", () => {
  it("ddmmyyyy converts or rejects", () => {
    expect(ok(ddmmyyyy, "31072019")).toBe("2019-07-31");
    expect(rejects(ddmmyyyy, "29022019")).toBe(true);
    expect(rejects(ddmmyyyy, "")).toBe(true);
    expect(rejects(ddmmyyyy, 31072019)).toBe(true);
  });

  it.each([
    ["31072019", "2019-07-31"],
    [" 29022020", "2020-02-29"],
    ["", null],
    [null, null],
    [undefined, null],
  ])("optionalDdmmyyyy %j → %j", (input, expected) => {
    expect(ok(optionalDdmmyyyy, input)).toBe(expected);
  });

  it("optionalDdmmyyyy rejects a non-blank non-date", () => {
    expect(rejects(optionalDdmmyyyy, "31022019")).toBe(true);
    expect(rejects(optionalDdmmyyyy, "19-07-31")).toBe(true);
  });
});

describe("optionalDateTime", () => {
  it.each([
    [" 2015-05-12T15:50:38Z", "2015-05-12T15:50:38.000Z"], // the samples' leading space
    ["2015-05-12T15:50:38Z", "2015-05-12T15:50:38.000Z"],
    ["2015-05-12T21:20:38+05:30", "2015-05-12T15:50:38.000Z"],
    // Without an offset, DigiLocker's IST (+05:30): 15:50:38 in India is 10:20:38 UTC.
    [" 2015-05-12T15:50:38", "2015-05-12T10:20:38.000Z"], // the sample (spec 577) without its Z
    ["2015-05-12 15:50:38", "2015-05-12T10:20:38.000Z"],
    ["2015-05-12T15:50", "2015-05-12T10:20:00.000Z"],
    ["2015-05-12T03:10:00.5", "2015-05-11T21:40:00.500Z"], // early morning in India is the day before in UTC
    ["2015-05-12", "2015-05-12T00:00:00.000Z"], // a bare date stays midnight UTC
    ["", null],
    ["  ", null],
    [null, null],
    [undefined, null],
  ])("%j → %j", (input, expected) => {
    expect(ok(optionalDateTime, input)).toBe(expected);
  });

  // Node applies a change of process.env.TZ at once. Each zone gets its own input, so that a memo (TimestampMemo)
  // could not answer one zone's case from another's.
  it.each([
    ["UTC", "2015-05-12T15:50:31", "2015-05-12T10:20:31.000Z"],
    ["America/New_York", "2015-05-12T15:50:32", "2015-05-12T10:20:32.000Z"],
    ["Asia/Kolkata", "2015-05-12T15:50:33", "2015-05-12T10:20:33.000Z"],
    ["Pacific/Kiritimati", "2015-05-12T15:50:34", "2015-05-12T10:20:34.000Z"],
  ])("reads a date-time without an offset as IST when the gateway runs in %s", (zone, input, expected) => {
    const before = process.env.TZ;
    process.env.TZ = zone;
    try {
      expect(ok(optionalDateTime, input)).toBe(expected);
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });

  // The last three are read by V8's lenient Date.parse (as 2001-05-12, December 5th local time, and so on).
  it.each([["not a date"], ["2015-13-45T99:00:00Z"], [1431445838], ["on 12 May"], ["12/05/2015"], ["May 12, 2015"]])("rejects %j", (input) => {
    expect(rejects(optionalDateTime, input)).toBe(true);
  });
});

describe("TimestampMemo", () => {
  const inputs = [
    " 2015-05-12T15:50:38Z",
    "2015-05-12T15:50:38",
    "2015-05-12 15:50:38",
    "2015-05-12",
    "",
    "  ",
    null,
    undefined,
    "not a date",
    "on 12 May",
    "2015-13-45T99:00:00Z",
  ];

  it("answers as isoDateTime does, the first time and from the memo", () => {
    const memo = new TimestampMemo();
    for (const input of inputs) expect([input, memo.isoDateTime(input)]).toEqual([input, isoDateTime(input)]);
    for (const input of inputs) expect([input, memo.isoDateTime(input)]).toEqual([input, isoDateTime(input)]);
  });

  it("keeps each parsed timestamp once, under its trimmed text, and nothing blank or invalid", () => {
    const memo = new TimestampMemo();
    for (const input of inputs) memo.isoDateTime(input);
    expect(memo.isoDateTime("2015-05-12T15:50:38Z")).toBe("2015-05-12T15:50:38.000Z");
    expect(memo.size).toBe(4);
  });

  it("is bounded: when full it is emptied, and still answers", () => {
    const memo = new TimestampMemo(3);
    const days = ["01", "02", "03", "04", "05", "06", "07"].map((d) => `2015-05-${d}`);
    for (const day of days) {
      expect(memo.isoDateTime(day)).toBe(`${day}T00:00:00.000Z`);
      expect(memo.size).toBeLessThanOrEqual(3);
    }
    expect(memo.size).toBe(1);
    expect(new TimestampMemo().isoDateTime("2015-05-01")).toBe("2015-05-01T00:00:00.000Z");
    expect(TIMESTAMP_MEMO_MAX).toBe(4096);
  });

  it("shares nothing between memos (one per client)", () => {
    const a = new TimestampMemo();
    const b = new TimestampMemo();
    a.isoDateTime("2015-05-12T15:50:38Z");
    expect([a.size, b.size]).toEqual([1, 0]);
  });
});

describe("optionalUnixSeconds", () => {
  it.each([
    [1684731048, "2023-05-22T04:50:48.000Z"],
    ["1684731048", "2023-05-22T04:50:48.000Z"],
    [" 1684731048 ", "2023-05-22T04:50:48.000Z"],
    [0, "1970-01-01T00:00:00.000Z"],
    ["", null],
    [null, null],
    [undefined, null],
  ])("%j → %j", (input, expected) => {
    expect(ok(optionalUnixSeconds, input)).toBe(expected);
  });

  it.each([["abc"], [-1], ["-1"], [1.5], ["2023-05-22"], [9e15], ["253402300800"]])("rejects %j", (input) => {
    expect(rejects(optionalUnixSeconds, input)).toBe(true);
  });

  it('under "unix-ist" takes 19800 s off: 1684731048 (spec 212, 282) - 19800 = 1684711248', () => {
    expect(ok(optionalUnixSecondsUnder("unix-ist"), 1684731048)).toBe("2023-05-21T23:20:48.000Z");
    expect(ok(optionalUnixSecondsUnder("unix"), 1684731048)).toBe("2023-05-22T04:50:48.000Z");
  });
});

describe("mimeList", () => {
  it.each([
    ["application/pdf", ["application/pdf"]],
    ["application/PDF", ["application/pdf"]], // the spec's prose spelling
    [" image/jpeg ", ["image/jpeg"]],
    [["application/pdf", "application/xml"], ["application/pdf", "application/xml"]],
    [["application/PDF", "application/pdf", " application/xml "], ["application/pdf", "application/xml"]],
    ["application/pdf, application/xml", ["application/pdf", "application/xml"]],
    ["application/pdf,application/PDF", ["application/pdf"]],
    ["", []], // folders
    [[""], []],
    [[], []],
    [null, []],
    [undefined, []],
  ])("%j → %j", (input, expected) => {
    expect(ok(mimeList, input)).toEqual(expected);
  });

  it.each([[5], [{ mime: "application/pdf" }], [[{}]]])("rejects %j", (input) => {
    expect(rejects(mimeList, input)).toBe(true);
  });
});

describe("commaList", () => {
  it.each([
    ["Education,Central Government", ["Education", "Central Government"]],
    ["2001,2002,2003,2004", ["2001", "2002", "2003", "2004"]],
    [" a , b ,, ", ["a", "b"]],
    ["single", ["single"]],
    ["", null],
    [" , ", null],
    [null, null],
    [undefined, null],
  ])("%j → %j", (input, expected) => {
    expect(ok(commaList, input)).toEqual(expected);
  });

  it("rejects a JSON list (the spec sends a string)", () => {
    expect(rejects(commaList, ["a", "b"])).toBe(true);
  });
});

describe("gender", () => {
  it.each([
    ["M", "MALE"],
    ["F", "FEMALE"],
    ["T", "TRANSGENDER"],
    ["m", "MALE"],
    [" f ", "FEMALE"],
    ["", null],
    [null, null],
    [undefined, null],
    ["X", null], // an unlisted code must not break sign-in
    ["MALE", null],
  ])("%j → %j", (input, expected) => {
    expect(ok(gender, input)).toBe(expected);
  });

  it("rejects a non-string", () => {
    expect(rejects(gender, 1)).toBe(true);
  });
});
