// Field-level zod codecs for DigiLocker's stringly-typed JSON (see design.md, "The spec's traps").
// Each accepts what the spec's samples show and yields one clean type.
import { z } from "zod";
import type { TimestampConvention } from "./settings.js";
import { shapeGuard } from "./shape-guard.js";
import { epochSeconds } from "./timestamp.js";

/** Trimmed string; the samples pad values (" in.gov.delhi-INCER-98765432", " 2015-05-12T15:50:38Z"). */
export const trimmed = z.string().transform((s) => s.trim());

// Plain functions do the normalising and the zod codecs below wrap them. Hot listings (issued documents, folder
// items, files.ts) describe their shape with plain zod types and normalise each item in one plain function: zod's
// per-field transforms cost about 10 µs per item. Their happy path skips zod altogether (shape-guard.ts).

/** Trimmed text, or null when blank or absent. */
export function textOrNull(s: string | null | undefined): string | null {
  const t = s?.trim() ?? "";
  return t === "" ? null : t;
}

/** Groups: 1 the date-time separator (present when there is a time), 2 the offset. */
const ISO_SHAPE = /^\d{4}-\d{2}-\d{2}(?:([T ])\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
/** DigiLocker's clock: the spec gives its times "in IST time zone" (spec 137, 1099). */
const IST_OFFSET = "+05:30";

/**
 * A timestamp (" 2015-05-12T15:50:38Z") → ISO 8601 in UTC; null when blank; undefined when it is not one.
 * A date-time without an offset is IST, whatever the gateway's own time zone (Date.parse would read it as local
 * time). A bare date stays midnight UTC, as Date.parse reads it everywhere (docs/spec-assumptions.md, row 22).
 * Parses every time: the hot listings go through a client's TimestampMemo instead.
 */
export function isoDateTime(s: string | null | undefined): string | null | undefined {
  const t = textOrNull(s);
  return t === null ? null : parseIso(t);
}

/** A trimmed, non-blank timestamp → ISO 8601 in UTC, or undefined when it is not one (isoDateTime). */
function parseIso(t: string): string | undefined {
  // V8's Date.parse also reads "on 12 May" (as 2001) and "12/05/2015" (as December, local time): ISO shapes only.
  const shape = ISO_SHAPE.exec(t);
  const ms = shape === null ? Number.NaN : Date.parse(shape[1] !== undefined && shape[2] === undefined ? t + IST_OFFSET : t);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** How many parsed timestamps a TimestampMemo keeps by default. */
export const TIMESTAMP_MEMO_MAX = 4096;

/**
 * isoDateTime with the timestamps it parsed kept: DigiLocker repeats the same few (a user's documents). One per
 * DigiLockerClient (client.ts), which hands it to its hot listings (files.ts). Bounded: when full, it is emptied.
 */
export class TimestampMemo {
  readonly #parsed = new Map<string, string>();
  readonly #max: number;

  constructor(max = TIMESTAMP_MEMO_MAX) {
    this.#max = max;
  }

  /** isoDateTime(s), the same answer, from the memo when `s` was parsed before. */
  isoDateTime(s: string | null | undefined): string | null | undefined {
    const t = textOrNull(s);
    if (t === null) return null;
    const known = this.#parsed.get(t);
    if (known !== undefined) return known;
    const iso = parseIso(t);
    if (iso === undefined) return undefined;
    if (this.#parsed.size >= this.#max) this.#parsed.clear();
    this.#parsed.set(t, iso);
    return iso;
  }

  /** How many parsed timestamps are kept. */
  get size(): number {
    return this.#parsed.size;
  }
}

/**
 * `mime` is "" (folders), one string, or a list (issued documents with XML data). Always a list here,
 * lower-cased ("application/PDF" in the spec's prose), de-duplicated, blanks dropped.
 */
export function mimeTypes(v: string | readonly string[] | null | undefined): string[] {
  const raw = v === null || v === undefined ? [] : typeof v === "string" ? v.split(",") : v;
  const out: string[] = [];
  for (const m of raw) {
    const t = m.trim().toLowerCase();
    if (t !== "" && !out.includes(t)) out.push(t);
  }
  return out;
}

/** A non-negative safe integer, as a number or digit string; null when blank or absent; undefined when not one. */
export function countOrNull(v: number | string | null | undefined): number | null | undefined {
  if (v === null || v === undefined) return null;
  let n = v;
  if (typeof n === "string") {
    const t = n.trim();
    if (t === "") return null;
    if (!/^\d+$/.test(t)) return undefined;
    n = Number(t);
  }
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

export const COUNT_MESSAGE = "expected a non-negative integer below 2^53";

/** What a hot listing's shape uses for text it normalises itself: a string, null or absent. */
export const rawText = z.string().nullish();
/** The raw `mime` field, before mimeTypes. */
export const rawMime = z.union([z.string(), z.array(z.string())]).nullish();
/** The raw `size`-like count field, before countOrNull. */
export const rawCount = z.union([z.number(), z.string()]).nullish();

/** A zod transform from a plain normaliser: its undefined ("not one") becomes an issue saying `message`. */
function orIssue<I, O>(normalise: (value: I) => O | undefined, message: string) {
  return (value: I, ctx: z.RefinementCtx): O => {
    const out = normalise(value);
    if (out === undefined) {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    }
    return out;
  };
}

/** Reports a field of the item being normalised as invalid. */
export type ItemFailure = (field: string, message: string) => void;

/** A hot listing: its zod schema, and the fast path transport.json may take before it. */
export interface ItemListing<O> {
  schema: z.ZodType<O>;
  /** The same answer for a body the shape's compiled check accepts; undefined leaves the body to `schema`. */
  fast: (data: unknown) => O | undefined;
}

/**
 * Builds both parsers of a listing from one description: its zod `shape` (plain types only, shape-guard.ts), `one`
 * to normalise an item, and `wrap` to build the answer around the items. zod's path turns a field `one` reports
 * into an issue at items.<i>.<field> and fails the listing, as a per-field codec would; the fast path gives up on
 * it instead, so that zod parses the body again and names the problem.
 */
export function itemListing<L extends { items?: readonly I[] | null }, I, T, O>(
  shape: z.ZodType<L>,
  one: (item: I, fail: ItemFailure) => T,
  wrap: (listing: L, items: T[]) => O,
): ItemListing<O> {
  const plainlyValid = shapeGuard(shape);
  const schema = shape.transform((listing, ctx) => {
    const before = ctx.issues.length;
    const items = (listing.items ?? []).map((item, index) =>
      one(item, (field, message) => { ctx.addIssue({ code: "custom", message, path: ["items", index, field] }); }),
    );
    return ctx.issues.length > before ? z.NEVER : wrap(listing, items);
  });
  const fast = (data: unknown): O | undefined => {
    if (!plainlyValid(data)) return undefined;
    const listing = data as L;
    const state = { failed: false };
    const items = (listing.items ?? []).map((item) => one(item, () => { state.failed = true; }));
    return state.failed ? undefined : wrap(listing, items);
  };
  return { schema, fast };
}

/** Trimmed string, or null when empty, missing or null. */
export const optionalText = rawText.transform(textOrNull);

/** "Y"/"N" (eaadhaar, new_account). */
export const yesNo = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.enum(["Y", "N"], { message: 'expected "Y" or "N"' }))
  .transform((s) => s === "Y");

/** "Y"/"N", or null when blank or absent: an optional flag must not fail a whole sign-in. */
export const optionalYesNo = optionalText.pipe(yesNo.nullable());

/** "true"/"false" as strings (verify's `registered`), or real booleans. */
export const stringBoolean = z.union([
  z.boolean(),
  z
    .string()
    .transform((s) => s.trim().toLowerCase())
    .pipe(z.enum(["true", "false"], { message: 'expected "true" or "false"' }))
    .transform((s) => s === "true"),
]);

/**
 * A non-negative integer sent as a string or number. Counts pass 2^31 (the statistics sample has
 * 3,520,475,277), so this is a JS number checked to be a safe integer, never a 32-bit one.
 */
export const count = z.union([z.number(), z.string()]).transform(orIssue((v) => countOrNull(v) ?? undefined, COUNT_MESSAGE));

/** A count that may be blank (issued documents send `"size": ""`). */
export const optionalCount = rawCount.transform(orIssue(countOrNull, COUNT_MESSAGE));

/** Turns DDMMYYYY into an ISO date (YYYY-MM-DD), rejecting impossible dates such as 31022019. */
export function isoDateFromDdmmyyyy(value: string): string | null {
  const m = /^(\d{2})(\d{2})(\d{4})$/.exec(value.trim());
  if (!m) return null;
  const [, dd, mm, yyyy] = m as unknown as [string, string, string, string];
  const date = new Date(Date.UTC(Number(yyyy), Number(mm) - 1, Number(dd)));
  const iso = `${yyyy}-${mm}-${dd}`;
  return date.toISOString().startsWith(iso) ? iso : null;
}

/** DDMMYYYY → YYYY-MM-DD. */
export const ddmmyyyy = z.string().transform(orIssue((s) => isoDateFromDdmmyyyy(s) ?? undefined, "expected a date in DDMMYYYY format"));

/** DDMMYYYY, or null when blank. */
export const optionalDdmmyyyy = optionalText.pipe(ddmmyyyy.nullable());

export const ISO_TIMESTAMP_MESSAGE = "expected an ISO 8601 timestamp";

/** A timestamp such as " 2015-05-12T15:50:38Z" → ISO 8601 in UTC, or null when blank. */
export const optionalDateTime = rawText.transform(orIssue(isoDateTime, ISO_TIMESTAMP_MESSAGE));

/** UNIX seconds (number or digit string) under a `ts` convention (timestamp.ts) → ISO 8601, or null when absent. */
export function optionalUnixSecondsUnder(convention: TimestampConvention) {
  return rawCount.transform(
    orIssue((v) => {
      const n = countOrNull(v);
      if (n === null || n === undefined) return n;
      const s = epochSeconds(n, convention);
      // From 1970 up to 9999-12-31T23:59:59Z: a larger value would make toISOString() throw out of safeParse.
      return s < 0 || s > 253_402_300_799 ? undefined : new Date(s * 1000).toISOString();
    }, "expected UNIX seconds from 1970 up to the year 9999"),
  );
}

/** True UNIX seconds (number or digit string) → ISO 8601, or null when absent. */
export const optionalUnixSeconds = optionalUnixSecondsUnder("unix");

/** `mime` as a clean list (mimeTypes). */
export const mimeList = rawMime.transform(mimeTypes);

/** A comma-separated list (issuer `category`, parameter `valuelist`) → trimmed items; null stays null. */
export const commaList = z
  .string()
  .nullish()
  .transform((v) => {
    if (v === null || v === undefined) return null;
    const items = v
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    return items.length === 0 ? null : items;
  });

export const genders = ["MALE", "FEMALE", "TRANSGENDER"] as const;
export type Gender = (typeof genders)[number];
const genderCodes: Record<string, Gender> = { M: "MALE", F: "FEMALE", T: "TRANSGENDER" };

/** M/F/T → enum; blank or a code the spec does not list → null (a new code must not break sign-in). */
export const gender = z
  .string()
  .nullish()
  .transform((v): Gender | null => genderCodes[(v ?? "").trim().toUpperCase()] ?? null);
