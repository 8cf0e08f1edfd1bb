// CatalogMemo: the catalogue's derived values, kept while built from the very same meta lists; one memo per
// gateway (Services.catalog), sharing nothing with another.
import { describe, expect, it } from "vitest";
import { CatalogMemo, MAX_FILTERS } from "../../../src/cache/catalog-memo.js";
import type { DocType, Issuer } from "../../../src/digilocker/index.js";

const issuer = (orgId: string): Issuer => ({ orgId, issuerId: null, name: orgId, categories: [], description: null });
const docType = (code: string): DocType => ({ docType: code, description: code });

/** A memo whose builds are counted, per kind. */
function setup() {
  const memo = new CatalogMemo<string>();
  const builds = { sorted: 0, list: 0, filtered: 0, entries: 0 };
  return {
    memo,
    builds,
    sorted: (all: readonly Issuer[]) =>
      memo.sortedIssuers(all, (xs) => {
        builds.sorted++;
        return [...xs].sort((a, b) => a.orgId.localeCompare(b.orgId));
      }),
    list: (list: readonly DocType[]) =>
      memo.listEntries(list, (xs) => {
        builds.list++;
        return xs.map((d) => d.docType);
      }),
    filtered: (key: string, all: readonly Issuer[]) =>
      memo.filteredIssuers(key, all, () => {
        builds.filtered++;
        return all.filter((i) => i.orgId.startsWith(key));
      }),
    entries: (key: string, lists: readonly DocType[][]) =>
      memo.entries(key, lists, () => {
        builds.entries++;
        return lists.flat().map((d) => d.docType);
      }),
  };
}

describe("CatalogMemo", () => {
  it("sorts an issuer list once while it is the same list, and again when it is replaced", () => {
    const { sorted, builds } = setup();
    const all = [issuer("2"), issuer("1")];
    const first = sorted(all);
    expect(first.map((i) => i.orgId)).toEqual(["1", "2"]);
    expect(sorted(all)).toBe(first);
    expect(builds.sorted).toBe(1);
    // A refresh replaces the list with an equal one: rebuilt.
    expect(sorted([...all])).not.toBe(first);
    expect(builds.sorted).toBe(2);
  });

  it("keeps one doctype list's entries per list", () => {
    const { list, builds } = setup();
    const a = [docType("B"), docType("A")];
    const b = [docType("C")];
    const first = list(a);
    expect(list(a)).toBe(first);
    expect(list(b)).toEqual(["C"]);
    expect(builds.list).toBe(2);
    expect(list([...a])).not.toBe(first);
    expect(builds.list).toBe(3);
  });

  it("keeps the filtered issuers per filter while the issuer list is the same", () => {
    const { filtered, builds } = setup();
    const all = [issuer("10"), issuer("20"), issuer("11")];
    const ones = filtered("1", all);
    expect(ones.map((i) => i.orgId)).toEqual(["10", "11"]);
    expect(filtered("1", all)).toBe(ones);
    expect(filtered("2", all).map((i) => i.orgId)).toEqual(["20"]);
    expect(builds.filtered).toBe(2);
    expect(filtered("1", [...all])).not.toBe(ones);
    expect(builds.filtered).toBe(3);
  });

  it("keeps a catalogue while built from the very same lists, in the same order", () => {
    const { entries, builds } = setup();
    const a = [docType("A")];
    const b = [docType("B")];
    const ab = entries("k", [a, b]);
    expect(ab).toEqual(["A", "B"]);
    expect(entries("k", [a, b])).toBe(ab);
    expect(builds.entries).toBe(1);
    expect(entries("k", [b, a])).toEqual(["B", "A"]);
    expect(entries("k", [a, [...b]])).not.toBe(ab);
    expect(builds.entries).toBe(3);
  });

  it(`keeps the results of at most ${MAX_FILTERS} filters, the least recently used dropped`, () => {
    const { memo, filtered, entries, builds } = setup();
    const all = [issuer("1")];
    const lists = [[docType("A")]];
    for (let n = 0; n <= MAX_FILTERS; n++) {
      filtered(`f${n}`, all);
      entries(`f${n}`, lists);
    }
    expect(memo.size).toEqual({ filteredIssuers: MAX_FILTERS, entries: MAX_FILTERS });
    // f0 was the least recently used: built again; the most recent is still kept.
    filtered(`f${MAX_FILTERS}`, all);
    expect(builds.filtered).toBe(MAX_FILTERS + 1);
    filtered("f0", all);
    expect(builds.filtered).toBe(MAX_FILTERS + 2);
  });

  it("shares nothing between memos (one per gateway)", () => {
    const one = setup();
    const two = setup();
    const all = [issuer("1")];
    const list = [docType("A")];
    one.sorted(all);
    one.list(list);
    one.filtered("1", all);
    one.entries("k", [list]);
    two.sorted(all);
    two.list(list);
    two.filtered("1", all);
    two.entries("k", [list]);
    expect(two.builds).toEqual({ sorted: 1, list: 1, filtered: 1, entries: 1 });
  });
});
