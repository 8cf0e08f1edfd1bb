// Relay cursor pagination over an in-memory list ordered by a key. A cursor names a position (the key of
// an item), not an offset, so it stays valid when items around it come or go. Cursors are opaque to
// clients: base64url of JSON [connection, ...key], so one connection's cursor is refused by another.
import { GraphQLError } from "graphql";
import { z } from "zod";

export type Key = readonly string[];

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface KeyPage<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  /** Every item that matches, whatever the page. */
  totalCount: number;
}

/** How one connection orders its items: its name (in every cursor), and each item's key. */
export interface Ordering<T> {
  connection: string;
  keyLength: number;
  keyOf(item: T): Key;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

const pageSize = z
  .number()
  .int()
  .min(1, `must be from 1 to ${MAX_PAGE_SIZE}`)
  .max(MAX_PAGE_SIZE, `must be from 1 to ${MAX_PAGE_SIZE}`)
  .nullish();

/**
 * Field-level validation for a connection's arguments (the relay plugin adds the paging ones, so they are
 * checked on the field): page sizes 1…100, first or last but not both, cursors of this connection (so a
 * bad one costs no upstream call), and the field's own `extra` rules.
 */
export function connectionArgs(ordering: Ordering<never>, extra: z.ZodRawShape = {}) {
  const cursor = z
    .string()
    .refine((c) => readCursor(ordering.connection, ordering.keyLength, c) !== null, { message: CURSOR_PROBLEM })
    .nullish();
  return z
    .looseObject({ first: pageSize, last: pageSize, after: cursor, before: cursor, ...extra })
    .refine((args) => args.first == null || args.last == null, {
      message: "pass first (with after) or last (with before), not both",
      path: ["last"],
    });
}

const CURSOR_PROBLEM = "not a cursor of this list; pass an edge's cursor or pageInfo's startCursor/endCursor";

/** Code-unit order, element by element: the same everywhere, unlike localeCompare. */
export function compareKeys(a: Key, b: Key): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] ?? "";
    const y = b[i] ?? "";
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

export function encodeCursor(connection: string, key: Key): string {
  return Buffer.from(JSON.stringify([connection, ...key]), "utf8").toString("base64url");
}

/** The key in a cursor of this connection, or null when it is not one. */
function readCursor(connection: string, keyLength: number, cursor: string): Key | null {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const valid =
    Array.isArray(parsed) &&
    parsed.length === keyLength + 1 &&
    parsed[0] === connection &&
    parsed.every((part) => typeof part === "string");
  return valid ? (parsed as string[]).slice(1) : null;
}

export function decodeCursor(connection: string, keyLength: number, cursor: string, arg: string): Key {
  const key = readCursor(connection, keyLength, cursor);
  if (key === null) throw new GraphQLError(`${arg}: ${CURSOR_PROBLEM}`, { extensions: { code: "BAD_USER_INPUT" } });
  return key;
}

/**
 * One page of `items` in key order. `first` takes from the start of what lies between `after` and
 * `before`, `last` from its end; with neither, the first DEFAULT_PAGE_SIZE. hasPreviousPage and
 * hasNextPage say whether the whole list holds items before and after the page.
 */
export function pageByKey<T>(items: readonly T[], ordering: Ordering<T>, args: PageArgs): KeyPage<T> {
  return pageSorted(sortByKey(items, ordering), ordering, args);
}

/** An item with its key, and its cursor in its connection. */
export interface Keyed<T> {
  readonly node: T;
  readonly key: Key;
  readonly cursor: string;
}

class KeyedItem<T> implements Keyed<T> {
  #cursor: string | undefined;

  constructor(
    readonly node: T,
    readonly key: Key,
    private readonly connection: string,
  ) {}

  // Encoded on first use and kept: items a caller keeps sorted (the catalogue's) are paged again and again.
  get cursor(): string {
    return (this.#cursor ??= encodeCursor(this.connection, this.key));
  }
}

/** Items paired with their keys, in key order: what pageSorted pages through. */
export function sortByKey<T>(items: readonly T[], ordering: Ordering<T>): Keyed<T>[] {
  return items
    .map((node) => new KeyedItem(node, ordering.keyOf(node), ordering.connection))
    .sort((a, b) => compareKeys(a.key, b.key));
}

/** The index of the first item whose key comes after `key` (or equals it, when `orEqual`); length if none. */
function firstAfter<T>(keyed: readonly Keyed<T>[], key: Key, orEqual: boolean): number {
  // Binary search: the items are in key order.
  let low = 0;
  let high = keyed.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const order = compareKeys((keyed[mid] as Keyed<T>).key, key);
    if (order > 0 || (orEqual && order === 0)) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * pageByKey over items already in key order, from sortByKey with the same ordering (a caller that keeps
 * them sorted skips the sort, and their cursors are encoded once).
 */
export function pageSorted<T>(keyed: readonly Keyed<T>[], ordering: Ordering<T>, args: PageArgs): KeyPage<T> {
  const { connection, keyLength } = ordering;
  const after = args.after == null ? null : decodeCursor(connection, keyLength, args.after, "after");
  const before = args.before == null ? null : decodeCursor(connection, keyLength, args.before, "before");
  let start = after === null ? 0 : firstAfter(keyed, after, false);
  let end = before === null ? keyed.length : firstAfter(keyed, before, true);
  end = Math.max(start, end);
  if (args.last != null) start = Math.max(start, end - args.last);
  else end = Math.min(end, start + (args.first ?? DEFAULT_PAGE_SIZE));
  const edges = keyed.slice(start, end).map(({ node, cursor }) => ({ cursor, node }));
  return {
    edges,
    pageInfo: {
      hasPreviousPage: start > 0,
      hasNextPage: end < keyed.length,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: keyed.length,
  };
}
