// Key-based cursor pagination: positions are keys, so cursors survive changes to the list.
import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import {
  compareKeys,
  connectionArgs,
  encodeCursor,
  pageByKey,
  pageSorted,
  sortByKey,
  type Ordering,
} from "../../../src/graphql/key-pagination.js";

const order: Ordering<string> = { connection: "letters", keyLength: 1, keyOf: (s) => [s] };
const letters = ["d", "a", "c", "e", "b"];
const cursor = (s: string) => encodeCursor("letters", [s]);
const nodes = (page: { edges: { node: string }[] }) => page.edges.map((e) => e.node);

describe("pageByKey", () => {
  it("sorts by key and takes first from the start, 20 by default", () => {
    const page = pageByKey(letters, order, { first: 2 });
    expect(nodes(page)).toEqual(["a", "b"]);
    expect(page.pageInfo).toEqual({ hasPreviousPage: false, hasNextPage: true, startCursor: cursor("a"), endCursor: cursor("b") });
    expect(page.totalCount).toBe(5);
    expect(nodes(pageByKey(letters, order, {}))).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("continues after a key even when that key has left the list", () => {
    expect(nodes(pageByKey(letters, order, { first: 2, after: cursor("b") }))).toEqual(["c", "d"]);
    expect(nodes(pageByKey(["a", "c", "d"], order, { first: 2, after: cursor("b") }))).toEqual(["c", "d"]);
    expect(nodes(pageByKey(letters, order, { after: cursor("z") }))).toEqual([]);
  });

  it("takes last from the end of the window between after and before", () => {
    const page = pageByKey(letters, order, { last: 2, before: cursor("e") });
    expect(nodes(page)).toEqual(["c", "d"]);
    expect(page.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    expect(nodes(pageByKey(letters, order, { after: cursor("a"), before: cursor("d") }))).toEqual(["b", "c"]);
    expect(nodes(pageByKey(letters, order, { last: 10, after: cursor("b"), before: cursor("a") }))).toEqual([]);
  });

  it("finds the window of a long list by key, wherever after and before fall, as a scan would", () => {
    const items = Array.from({ length: 60 }, (_, i) => String(i * 2).padStart(3, "0")); // "000", "002", … "118"
    const probes = ["", "000", "001", "037", "058", "059", "117", "118", "119", "999"];
    for (const after of [null, ...probes]) {
      for (const before of [null, ...probes]) {
        const expected = items.filter((k) => (after === null || k > after) && (before === null || k < before));
        const page = pageByKey(items, order, {
          first: 100,
          after: after === null ? null : cursor(after),
          before: before === null ? null : cursor(before),
        });
        expect(nodes(page), `after ${String(after)} before ${String(before)}`).toEqual(expected);
      }
    }
  });

  it("gives each edge its item's cursor, the same on every page that holds it", () => {
    const keyed = sortByKey(letters, order);
    const once = pageSorted(keyed, order, { first: 3 });
    const again = pageSorted(keyed, order, { after: cursor("a"), first: 2 });
    expect(once.edges.map((e) => e.cursor)).toEqual(["a", "b", "c"].map(cursor));
    expect(again.edges).toEqual(once.edges.slice(1));
  });

  it("has no cursors on an empty page", () => {
    expect(pageByKey([], order, { first: 3 })).toEqual({
      edges: [],
      pageInfo: { hasPreviousPage: false, hasNextPage: false, startCursor: null, endCursor: null },
      totalCount: 0,
    });
  });

  it("refuses another connection's cursor, or one of another shape, as BAD_USER_INPUT", () => {
    for (const bad of [encodeCursor("other", ["a"]), encodeCursor("letters", ["a", "b"]), "***", ""]) {
      const attempt = () => pageByKey(letters, order, { after: bad });
      expect(attempt).toThrow(GraphQLError);
      expect(attempt).toThrow(/^after: not a cursor of this list/);
    }
  });
});

describe("connectionArgs", () => {
  const schema = connectionArgs(order);
  it("accepts page sizes 1 to 100, this connection's cursors, and other arguments untouched", () => {
    expect(schema.parse({ first: 100, after: cursor("a"), search: "x" })).toEqual({ first: 100, after: cursor("a"), search: "x" });
    expect(schema.safeParse({ last: 1, before: null }).success).toBe(true);
  });

  it("refuses sizes outside 1 to 100, first with last, and foreign cursors", () => {
    for (const args of [{ first: 0 }, { first: 101 }, { last: 2.5 }, { first: 1, last: 1 }, { after: encodeCursor("x", ["a"]) }]) {
      expect(schema.safeParse(args).success, JSON.stringify(args)).toBe(false);
    }
  });
});

describe("compareKeys", () => {
  it("orders by code unit, element by element", () => {
    expect([["000100"], ["000018"], ["00002"]].sort(compareKeys)).toEqual([["000018"], ["00002"], ["000100"]]);
    expect(compareKeys(["000018", "SSCER"], ["000018", "HSCER"])).toBeGreaterThan(0);
    expect(compareKeys(["a"], ["a"])).toBe(0);
  });
});
