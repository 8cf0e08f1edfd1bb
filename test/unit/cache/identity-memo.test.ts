// IdentityMemo: a derived value is kept while its inputs are the very same objects, per key, for a bounded
// number of keys.
import { describe, expect, it } from "vitest";
import { IdentityMemo } from "../../../src/cache/identity-memo.js";

/** A memo whose builds are counted; each build returns a new array naming the inputs' tags. */
function setup(maxKeys = 4) {
  const memo = new IdentityMemo<string[]>(maxKeys);
  let builds = 0;
  const get = (key: string, inputs: { tag: string }[]) =>
    memo.get(key, inputs, () => {
      builds += 1;
      return inputs.map((i) => i.tag);
    });
  return { memo, get, builds: () => builds };
}

describe("IdentityMemo", () => {
  it("returns the kept value, not a rebuilt one, while every input is the same object", () => {
    const { get, builds } = setup();
    const a = { tag: "a" };
    const b = { tag: "b" };
    const first = get("k", [a, b]);
    expect(first).toEqual(["a", "b"]);
    // A new array of the same objects is the same inputs.
    expect(get("k", [a, b])).toBe(first);
    expect(builds()).toBe(1);
  });

  it("rebuilds when an input is replaced, even by an equal object, and keeps the new value", () => {
    const { get, builds } = setup();
    const a = { tag: "a" };
    const first = get("k", [a, { tag: "b" }]);
    const replaced = { tag: "b" };
    const second = get("k", [a, replaced]);
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
    expect(get("k", [a, replaced])).toBe(second);
    expect(builds()).toBe(2);
  });

  it("rebuilds when inputs are added, dropped or reordered", () => {
    const { get, builds } = setup();
    const [a, b, c] = [{ tag: "a" }, { tag: "b" }, { tag: "c" }];
    get("k", [a, b]);
    expect(get("k", [a, b, c])).toEqual(["a", "b", "c"]);
    expect(get("k", [a])).toEqual(["a"]);
    expect(get("k", [b, a])).toEqual(["b", "a"]);
    expect(get("k", [])).toEqual([]);
    expect(get("k", [])).toEqual([]);
    expect(builds()).toBe(5);
  });

  it("keeps one value per key", () => {
    const { get, builds } = setup();
    const a = { tag: "a" };
    const forX = get("x", [a]);
    const forY = get("y", [a]);
    expect(forY).not.toBe(forX);
    expect(get("x", [a])).toBe(forX);
    expect(get("y", [a])).toBe(forY);
    expect(builds()).toBe(2);
  });

  it("keeps at most maxKeys keys, dropping the least recently used", () => {
    const { memo, get, builds } = setup(2);
    const a = { tag: "a" };
    const forX = get("x", [a]);
    get("y", [a]);
    get("x", [a]); // x is now the most recently used
    get("z", [a]); // drops y
    expect(memo.size).toBe(2);
    expect(builds()).toBe(3);
    expect(get("x", [a])).toBe(forX);
    expect(builds()).toBe(3);
    get("y", [a]);
    expect(builds()).toBe(4);
    for (let i = 0; i < 100; i++) get(`key ${i}`, [a]);
    expect(memo.size).toBe(2);
  });
});
