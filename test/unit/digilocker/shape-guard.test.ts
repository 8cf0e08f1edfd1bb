// shapeGuard and the hot listings' fast paths: never more lenient than zod, and the same answer when they answer.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { listingParsers } from "../../../src/digilocker/files.js";
import { TimestampMemo } from "../../../src/digilocker/normalize.js";
import { shapeGuard } from "../../../src/digilocker/shape-guard.js";

describe("shapeGuard", () => {
  const shape = z.object({
    name: z.string(),
    note: z.string().nullish(),
    size: z.union([z.number(), z.string()]).nullish(),
    tags: z.union([z.string(), z.array(z.string())]).nullish(),
    items: z.array(z.object({ id: z.string() })).nullish(),
  });
  const guard = shapeGuard(shape);

  it.each([
    ["the plain case", { name: "a" }],
    ["every field set", { name: "a", note: null, size: 5, tags: ["x"], items: [{ id: "1" }] }],
    ["unknown keys (zod strips them)", { name: "a", extra: { deep: [1] } }],
    ["a null-prototype object", Object.assign(Object.create(null) as object, { name: "a" })],
  ])("accepts %s, as zod does", (_what, value) => {
    expect(guard(value)).toBe(true);
    expect(shape.safeParse(value).success).toBe(true);
  });

  it.each([
    ["a missing required key", {}],
    ["a number where a string is due", { name: 5 }],
    ["NaN", { name: "a", size: Number.NaN }],
    ["Infinity", { name: "a", size: Number.POSITIVE_INFINITY }],
    ["an array for an object", [{ name: "a" }]],
    ["null", null],
    ["a class instance", new (class { name = "a"; })()],
    ["a hole in an array", { name: "a", items: [{ id: "1" }, , { id: "2" }] }], // eslint-disable-line no-sparse-arrays
    ["a bad array element", { name: "a", items: [{ id: 1 }] }],
  ])("refuses %s", (_what, value) => {
    expect(guard(value)).toBe(false);
  });

  it.each([
    ["a string with checks", z.object({ a: z.string().min(1) })],
    ["an enum", z.object({ a: z.enum(["x"]) })],
    ["a transform", z.object({ a: z.string().transform((s) => s.trim()) })],
    ["a catchall", z.object({ a: z.string() }).catchall(z.string())],
  ])("will not compile %s (it could not be exact)", (_what, schema) => {
    expect(() => shapeGuard(schema)).toThrow(/shapeGuard/);
  });
});

/** A small seeded generator, so a failure names an input that can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ODD_VALUES: unknown[] = [
  null, undefined, "", "  ", " x ", "application/PDF", "dir", " FILE ", "link", "12", " 7 ", "-1", "1.5", "12 KB", 0, 12, -3, 1.5,
  Number.NaN, [], ["application/pdf", " APPLICATION/XML "], [1], {}, true, "2015-05-12T15:50:38Z", " 2015-05-12T15:50:38Z",
  "2015-13-45T99:00:00Z", "on 12 May", "9007199254740993",
];

describe("the hot listings' fast paths agree with zod", () => {
  // Each path with its own memo, so neither answers from timestamps the other parsed.
  const parsers = listingParsers(new TimestampMemo());
  const slowParsers = listingParsers(new TimestampMemo());
  const issuedItem = { name: "A", date: "2015-05-12T15:50:38Z", mime: "application/pdf", uri: "in.gov.x-ABCDE-1", doctype: "ABCDE", description: "d", issuerid: "in.gov.x", issuer: "X" };
  const folderItem = { name: "a.pdf", type: "file", id: "", size: "10", date: "2016-03-01T08:05:00Z", parent: "2100", mime: "application/pdf", uri: "u", description: "", issuer: "" };

  it.each([
    ["issued", parsers.issued, slowParsers.issued, (items: unknown) => ({ items }), issuedItem],
    ["folder", parsers.folder, slowParsers.folder, (items: unknown) => ({ directory: " / ", items }), folderItem],
  ] as const)("%s: 3000 mutated bodies, each answered alike or left to zod", (_name, parser, slowParser, wrap, item) => {
    const random = prng(20261203);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const keys = [...Object.keys(item), "extra"];
    let answeredFast = 0;
    for (let n = 0; n < 3000; n++) {
      const items = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
        const mutated: Record<string, unknown> = { ...item };
        for (let m = Math.floor(random() * 3); m > 0; m--) {
          const key = pick(keys);
          if (random() < 0.15) Reflect.deleteProperty(mutated, key);
          else mutated[key] = pick(ODD_VALUES);
        }
        return mutated;
      });
      const body = random() < 0.05 ? pick(ODD_VALUES) : wrap(random() < 0.05 ? pick(ODD_VALUES) : items);
      const slow = (slowParser.schema as z.ZodType).safeParse(body);
      const fast = parser.fast(body);
      if (fast !== undefined) {
        answeredFast++;
        expect({ n, body, fast }).toEqual({ n, body, fast: slow.success ? slow.data : "zod refused it" });
      }
    }
    // The generator must reach the fast path often enough for the comparison to mean something.
    expect(answeredFast).toBeGreaterThan(300);
  });
});
