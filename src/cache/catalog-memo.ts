// What the document catalogue (src/graphql/types/catalog.ts) derives from the meta cache's lists, kept while it is
// built from the same lists. The meta cache replaces a list on refresh and never mutates it, so each value is keyed
// by its input lists' identity and rebuilt exactly when one of them was replaced. Sorting all 635 entries on every
// request led the catalogue's profile, and so did rebuilding it from 241 lists with each list's entries kept
// (bench/RESULTS.md). One per gateway (Services.catalog): its values are the gateway's models and cursors, which the
// meta cache, a DigiLocker-facing store, does not know about.
import type { DocType, Issuer } from "../digilocker/index.js";
import { IdentityMemo } from "./identity-memo.js";

/** Filters come from users: the results of this many filters are kept, the least recently used dropped. */
export const MAX_FILTERS = 64;

/** `E` is one catalogue entry (the gateway's keyed doctype model). */
export class CatalogMemo<E> {
  /** The whole issuer list sorted, per list. */
  readonly #sortedIssuers = new WeakMap<readonly Issuer[], readonly Issuer[]>();
  /** One issuer's doctype list as sorted entries, per list. */
  readonly #listEntries = new WeakMap<readonly DocType[], readonly E[]>();
  /** The issuers that pass an issuer filter, per filter key. */
  readonly #filteredIssuers = new IdentityMemo<readonly Issuer[]>(MAX_FILTERS);
  /** The assembled catalogue, per filter key. */
  readonly #entries = new IdentityMemo<readonly E[]>(MAX_FILTERS);

  /** `sort(all)`, kept while `all` is the same list. */
  sortedIssuers(all: readonly Issuer[], sort: (all: readonly Issuer[]) => readonly Issuer[]): readonly Issuer[] {
    let sorted = this.#sortedIssuers.get(all);
    if (sorted === undefined) {
      sorted = sort(all);
      this.#sortedIssuers.set(all, sorted);
    }
    return sorted;
  }

  /** `build(list)`, one issuer's doctype list as entries, kept while `list` is the same list. */
  listEntries(list: readonly DocType[], build: (list: readonly DocType[]) => readonly E[]): readonly E[] {
    let entries = this.#listEntries.get(list);
    if (entries === undefined) {
      entries = build(list);
      this.#listEntries.set(list, entries);
    }
    return entries;
  }

  /** The issuers of `all` that pass the issuer filter `key` (build()), kept while `all` is the same list. */
  filteredIssuers(key: string, all: readonly Issuer[], build: () => readonly Issuer[]): readonly Issuer[] {
    return this.#filteredIssuers.get(key, [all], build);
  }

  /** The catalogue for the filter `key` (build()), kept while built from these very doctype lists, in this order. */
  entries(key: string, lists: readonly (readonly DocType[])[], build: () => readonly E[]): readonly E[] {
    return this.#entries.get(key, lists, build);
  }

  /** How many filters' results are kept: issuer filters, and whole catalogues. */
  get size(): { filteredIssuers: number; entries: number } {
    return { filteredIssuers: this.#filteredIssuers.size, entries: this.#entries.size };
  }
}
