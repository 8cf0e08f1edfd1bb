// Deterministic pseudo-randomness for the seed: every run of the sandbox yields the same catalogue, users
// and documents, so tests, docs and a person clicking through all see the same data.
//
// Each consumer takes its own stream keyed by a label (an issuer id, a document URI), so adding an issuer
// does not shift the values drawn for every issuer after it.

/** mulberry32: a tiny 32-bit PRNG, good enough for plausible test data (not for anything secret). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** FNV-1a over the label's UTF-16 code units: a stable 32-bit seed from a string. */
export function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const ROOT_SEED = "digilocker-sandbox-seed-v1";

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** `count` distinct items, in the order they appear in `items`. */
  sample<T>(items: readonly T[], count: number): T[];
  /** A string of `length` decimal digits (leading zeros allowed). */
  digits(length: number): string;
  /** A string of `length` upper-case letters. */
  letters(length: number): string;
}

/** The stream for one label. The same label always yields the same sequence. */
export function rngFor(label: string): Rng {
  const next = mulberry32(hashLabel(`${ROOT_SEED}:${label}`));
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[int(0, items.length - 1)] as T;
  };
  return {
    next,
    int,
    pick,
    sample<T>(items: readonly T[], count: number): T[] {
      const chosen = new Set<number>();
      const wanted = Math.min(count, items.length);
      while (chosen.size < wanted) chosen.add(int(0, items.length - 1));
      return [...chosen].sort((a, b) => a - b).map((i) => items[i] as T);
    },
    digits: (length) => Array.from({ length }, () => String(int(0, 9))).join(""),
    letters: (length) => Array.from({ length }, () => String.fromCharCode(65 + int(0, 25))).join(""),
  };
}
