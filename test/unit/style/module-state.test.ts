// No module-level mutable state in src/ (docs: /work/shared/style.md, "caches belong to the service object that
// owns them"): a top-level Map, Set, WeakMap, WeakSet or LRUCache, or a top-level `let`/`var`, fails this test
// unless it is on the allow-list below with its reason. A lookup table typed ReadonlyMap/ReadonlySet is not state.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");
const SRC = join(ROOT, "src");

/** "src/file.ts#name": why it stays at module level. Every entry must still be found (a stale one fails too). */
const ALLOWED: Readonly<Record<string, string>> = {
  "src/db/pglite.ts#folders":
    "one PGlite instance per data folder per process, shared by every Database opened on it: the folder's lock and initdb are per process",
  "src/db/pglite.ts#closing": "the same per-process registry: folders whose last Database is closing, so an open waits for it",
  "src/db/pglite.ts#memory": "the one in-memory PGlite per process (initdb takes seconds), each Database in a schema of its own",
  "src/db/pglite.ts#schemas": "numbers the in-memory schemas of that one per-process instance",
  "src/server/csrf.ts#JSON_TYPES": "a constant lookup table, never written (typed ReadonlySet it would need no entry)",
  "src/auth/redirects.ts#LOOPBACK": "a constant lookup table, never written (typed ReadonlySet it would need no entry)",
  "src/digilocker/pull.ts#reserved": "a constant lookup table, never written (typed ReadonlySet it would need no entry)",
  "src/graphql/types/issuer.ts#byName": "a constant lookup table, never written (typed ReadonlyMap it would need no entry)",
};

const COLLECTION =
  /^(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*([^\n]*?))?\s*=\s*new\s+(?:Map|Set|WeakMap|WeakSet|LRUCache)\b/gm;
const VARIABLE = /^(?:export\s+)?(?:let|var)\s+([A-Za-z_$][\w$]*)/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => join(dir, name));
}

/** "file#name" for each top-level declaration that holds mutable state. */
function moduleState(file: string, text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(COLLECTION)) {
    if (m[2]?.trimStart().startsWith("Readonly") === true) continue;
    found.add(`${file}#${m[1] ?? ""}`);
  }
  for (const m of text.matchAll(VARIABLE)) found.add(`${file}#${m[1] ?? ""}`);
  return [...found];
}

describe("module-level state in src/", () => {
  const found = sourceFiles(SRC).flatMap((path) => moduleState(relative(ROOT, path).split("\\").join("/"), readFileSync(path, "utf8")));

  it("is only what the allow-list names", () => {
    expect(found.filter((key) => !(key in ALLOWED)).sort()).toEqual([]);
  });

  it("has no stale allow-list entries", () => {
    expect(Object.keys(ALLOWED).filter((key) => !found.includes(key))).toEqual([]);
  });

  it.each([
    ["const memo = new Map<string, string>();", ["f.ts#memo"]],
    ["export const seen = new WeakMap<object, number>();", ["f.ts#seen"]],
    ["const cache: LRUCache<string, X> =\n  new LRUCache({ max: 1 });", ["f.ts#cache"]],
    ["const handlers: Map<string, (x: number) => void> = new Map();", ["f.ts#handlers"]],
    ["let count = 0;", ["f.ts#count"]],
    ["export let current: X | undefined;", ["f.ts#current"]],
    ["const TYPES: ReadonlySet<string> = new Set([\"a\"]);", []],
    ["class A {\n  readonly #m = new Map();\n}", []],
    ["function f() {\n  const m = new Map();\n  let n = 0;\n}", []],
    ["const order = [] as string[];", []],
  ])("the scan reads %j as %j", (text, expected) => {
    expect(moduleState("f.ts", text)).toEqual(expected);
  });
});
