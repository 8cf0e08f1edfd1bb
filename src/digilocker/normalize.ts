// Field-level zod codecs for DigiLocker's stringly-typed JSON (see design.md, "The spec's traps").
// Each accepts what the spec's samples show and yields one clean type.
import { z } from "zod";

/** Trimmed string; the samples pad values (" in.gov.delhi-INCER-98765432", " 2015-05-12T15:50:38Z"). */
export const trimmed = z.string().transform((s) => s.trim());

/** Trimmed string, or null when empty, missing or null. */
export const optionalText = z
  .string()
  .nullish()
  .transform((s) => {
    const t = s?.trim() ?? "";
    return t === "" ? null : t;
  });

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
export const count = z
  .union([z.number(), z.string().transform((s) => s.trim()).pipe(z.string().regex(/^\d+$/, "expected digits"))])
  .transform(Number)
  .pipe(z.number().int().nonnegative().refine(Number.isSafeInteger, "count is beyond 2^53"));

/** A count that may be blank (issued documents send `"size": ""`). */
export const optionalCount = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((v) => (v === null || v === undefined || (typeof v === "string" && v.trim() === "") ? null : v))
  .pipe(count.nullable());

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
export const ddmmyyyy = z.string().transform((s, ctx) => {
  const iso = isoDateFromDdmmyyyy(s);
  if (iso === null) {
    ctx.addIssue({ code: "custom", message: "expected a date in DDMMYYYY format" });
    return z.NEVER;
  }
  return iso;
});

/** DDMMYYYY, or null when blank. */
export const optionalDdmmyyyy = optionalText.pipe(ddmmyyyy.nullable());

/** A timestamp such as " 2015-05-12T15:50:38Z" → ISO 8601 in UTC, or null when blank. */
export const optionalDateTime = optionalText.transform((s, ctx) => {
  if (s === null) return null;
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: "custom", message: "expected an ISO 8601 timestamp" });
    return z.NEVER;
  }
  return new Date(ms).toISOString();
});

/** UNIX seconds (number or digit string) → ISO 8601, or null when absent. */
export const optionalUnixSeconds = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((v) => (v === null || v === undefined || (typeof v === "string" && v.trim() === "") ? null : v))
  // Up to 9999-12-31T23:59:59Z: a larger value would make toISOString() throw out of safeParse.
  .pipe(count.pipe(z.number().max(253_402_300_799, "is past the year 9999")).nullable())
  .transform((s) => (s === null ? null : new Date(s * 1000).toISOString()));

/**
 * `mime` is "" (folders), one string, or a list (issued documents with XML data). Always a list here,
 * lower-cased ("application/PDF" in the spec's prose), de-duplicated, blanks dropped.
 */
export const mimeList = z
  .union([z.string(), z.array(z.string())])
  .nullish()
  .transform((v) => {
    const raw = v === null || v === undefined ? [] : Array.isArray(v) ? v : v.split(",");
    return [...new Set(raw.map((m) => m.trim().toLowerCase()).filter((m) => m !== ""))];
  });

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
