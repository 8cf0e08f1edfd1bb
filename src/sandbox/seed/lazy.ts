// Signing XML costs a few milliseconds per document in xml-crypto, and the sandbox starts in many tests
// that never read a certificate. So signed XML is made on first read: the property looks like a plain
// string to every reader (spread, JSON, deep equality all see the value), and assigning replaces it.

/** Defines `target[key]` as an enumerable property computed on first read and kept; a write replaces it. */
export function defineLazy<T extends object, K extends keyof T>(target: T, key: K, compute: () => T[K]): void {
  let cell: { value: T[K] } | null = null;
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get: () => (cell ??= { value: compute() }).value,
    set: (value: T[K]) => {
      cell = { value };
    },
  });
}
