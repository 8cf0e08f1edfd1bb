// The Verhoeff check digit (J. Verhoeff, 1969), which UIDAI puts at the end of every Aadhaar number: it catches every
// single-digit error and every swap of two neighbouring digits. The tables are the standard ones (Wikipedia,
// "Verhoeff algorithm"): D is the dihedral group D5's composition, P's row i is the permutation
// (1 5 8 9 4 2 7 0)(3 6) applied i times, INVERSE[j] is the k with D[j][k] = 0.

// Each table is written a row of digits per line and read as one string (row r, column k at r * 10 + k).
const D = [
  "0123456789",
  "1234067895",
  "2340178956",
  "3401289567",
  "4012395678",
  "5987604321",
  "6598710432",
  "7659821043",
  "8765932104",
  "9876543210",
].join("");

const P = [
  "0123456789",
  "1576283094",
  "5803796142",
  "8916043527",
  "9453126870",
  "4286573901",
  "2793806415",
  "7046913258",
].join("");

const INVERSE = "0432156789";

const at = (table: string, row: number, column: number): number => table.charCodeAt(row * 10 + column) - 48;

/** The tables as numbers, for the test that checks them against their definitions. */
export function verhoeffTables(): { d: number[][]; p: number[][]; inverse: number[] } {
  const rows = (table: string, n: number) => Array.from({ length: n }, (_, r) => Array.from({ length: 10 }, (_, k) => at(table, r, k)));
  return { d: rows(D, 10), p: rows(P, 8), inverse: rows(INVERSE, 1)[0] ?? [] };
}

/** The running check over `digits` read right to left, the rightmost at position `first`. */
function fold(digits: string, first: number): number {
  let c = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    c = at(D, c, at(P, (i + first) % 8, digit));
  }
  return c;
}

const DIGITS = /^\d+$/;

/** Whether `digits` (one or more ASCII digits, the check digit last) passes the Verhoeff check. */
export function isVerhoeffValid(digits: string): boolean {
  return DIGITS.test(digits) && fold(digits, 0) === 0;
}

/** The check digit to append to `digits` (one or more ASCII digits). */
export function verhoeffCheckDigit(digits: string): number {
  if (!DIGITS.test(digits)) throw new RangeError("verhoeffCheckDigit takes one or more ASCII digits");
  return at(INVERSE, 0, fold(digits, 1));
}

/**
 * Whether `value` can be an Aadhaar number: 12 digits, not starting with 0 or 1 (UIDAI issues none), the last a
 * Verhoeff check digit over the other eleven. It says nothing of whether the number was ever issued.
 */
export function isAadhaarNumber(value: string): boolean {
  return /^[2-9]\d{11}$/.test(value) && isVerhoeffValid(value);
}
