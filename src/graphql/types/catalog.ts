// documentCatalog: every document DigiLocker can fetch (issuer × doctype; parameters on demand), like
// Setu's "list of all docs". Built from the cached meta lists; cold, it needs each issuer's doctype list,
// which the loaders fetch through the client's pool, so no more than UPSTREAM_CONCURRENCY are in flight.
// Warm (every list it needs fresh), a request reads the cache without a promise and pages a kept array.
import { builder } from "../builder.js";
import { cost } from "../cost.js";
import { needsScope } from "../scope-grants.js";
import type { DocType, Issuer } from "../../digilocker/index.js";
import type { CatalogMemo } from "../../cache/catalog-memo.js";
import type { Context, DigiLocker } from "../context.js";
import {
  compareKeys,
  connectionArgs,
  pageSorted,
  sortByKey,
  type KeyPage,
  type Keyed,
  type Ordering,
  type PageArgs,
} from "../key-pagination.js";
import { DocTypeRef, docTypeModels, type DocTypeModel } from "./doc-type.js";
import { filterIssuers, IssuerCategoryRef, matchesWords, searchText, searchWords, type IssuerCategory } from "./issuer.js";

const catalogOrder: Ordering<DocTypeModel> = {
  connection: "documentCatalog",
  keyLength: 2,
  keyOf: (doc) => [doc.orgId, doc.code],
};

interface CatalogFilter {
  search?: string | null;
  issuerSearch?: string | null;
  category?: IssuerCategory | null;
}

/** What the memo (the request's DigiLocker.catalog, src/cache/catalog-memo.ts) keeps: the catalogue's entries, sorted and keyed. */
export type CatalogEntry = Keyed<DocTypeModel>;

function sortIssuers(all: readonly Issuer[]): readonly Issuer[] {
  return [...all].sort((a, b) => compareKeys([a.orgId], [b.orgId]));
}

function keyedModels(memo: CatalogMemo<CatalogEntry>, orgId: string, list: readonly DocType[]): readonly CatalogEntry[] {
  return memo.listEntries(list, () => sortByKey(docTypeModels(orgId, list), catalogOrder));
}

/** A filter as memo keys: equal keys, equal results. Words hold no whitespace, so " " and "\n" separate. */
function filterKeys(filter: CatalogFilter): { issuers: string; entries: string; words: string[] } {
  const issuers = `${filter.category ?? ""}\n${searchWords(filter.issuerSearch).join(" ")}`;
  const words = searchWords(filter.search);
  return { issuers, entries: `${issuers}\n${words.join(" ")}`, words };
}

type Keys = ReturnType<typeof filterKeys>;

/** The issuers that pass the issuer filters, in orgId order. */
function filteredIssuers(memo: CatalogMemo<CatalogEntry>, all: readonly Issuer[], filter: CatalogFilter, keys: Keys): readonly Issuer[] {
  return memo.filteredIssuers(keys.issuers, all, () =>
    filterIssuers(memo.sortedIssuers(all, sortIssuers), { category: filter.category, search: filter.issuerSearch }),
  );
}

/**
 * The doctypes in `lists` (issuers[i]'s is lists[i]) whose name or code matches the words, in (orgId, code)
 * order. The lists alone are the memo's inputs: each list is cached under one orgId, so the same lists in
 * the same order are the same issuers.
 */
function entries(memo: CatalogMemo<CatalogEntry>, issuers: readonly Issuer[], lists: readonly DocType[][], keys: Keys): readonly CatalogEntry[] {
  const { words } = keys;
  return memo.entries(keys.entries, lists, () =>
    issuers.flatMap((issuer, i) => {
      const keyed = keyedModels(memo, issuer.orgId, lists[i] ?? []);
      return words.length === 0 ? keyed : keyed.filter(({ node }) => matchesWords(words, [node.description, node.code]));
    }),
  );
}

/**
 * The catalogue from the cache's fresh lists, without a promise; undefined when the issuer list or one
 * needed doctype list is missing or stale (loadCatalog then loads, or serves stale while refreshing).
 */
function cachedCatalog({ meta, catalog }: DigiLocker, filter: CatalogFilter, keys: Keys): readonly CatalogEntry[] | undefined {
  const index = meta.freshIssuers();
  if (index === undefined) return undefined;
  const issuers = filteredIssuers(catalog, index.all, filter, keys);
  const lists: DocType[][] = [];
  for (const issuer of issuers) {
    const list = meta.freshDocTypes(issuer.orgId);
    if (list === undefined) return undefined;
    lists.push(list);
  }
  return entries(catalog, issuers, lists, keys);
}

/** The catalogue through the cache's loading reads and this request's loaders (cold, or a list stale). */
async function loadCatalog(ctx: Context, filter: CatalogFilter, keys: Keys): Promise<readonly CatalogEntry[]> {
  const { meta, catalog } = ctx.digilocker;
  const { all } = await meta.issuers();
  const issuers = filteredIssuers(catalog, all, filter, keys);
  const loaded = await ctx.loaders.docTypes.loadMany(issuers.map((issuer) => issuer.orgId));
  const lists = loaded.map((list) => {
    // One issuer's failure fails the catalogue: a page that silently lacks an issuer would mislead.
    // What did load stays cached, so a retry only asks DigiLocker for the rest.
    if (list instanceof Error) throw list;
    return list;
  });
  return entries(catalog, issuers, lists, keys);
}

/**
 * One page of the doctypes of every issuer that passes the issuer filters, whose name or code matches
 * `search`, in (orgId, code) order: issuers sorted by orgId, each issuer's doctypes by code.
 */
function catalogPage(ctx: Context, args: CatalogFilter & PageArgs): KeyPage<DocTypeModel> | Promise<KeyPage<DocTypeModel>> {
  const keys = filterKeys(args);
  const cached = cachedCatalog(ctx.digilocker, args, keys);
  if (cached !== undefined) return pageSorted(cached, catalogOrder, args);
  return loadCatalog(ctx, args, keys).then((loaded) => pageSorted(loaded, catalogOrder, args));
}

builder.queryField("documentCatalog", (t) =>
  t.connection(
    {
      type: DocTypeRef,
      nullable: true,
      // Cold, it reads every matching issuer's doctype list; all of them cached for every caller.
      extensions: cost({ viaMetaCache: true, items: "page" }),
      description:
        "Every document DigiLocker can fetch: each issuer's document types, in (issuer orgId, code) order, searchable " +
        "by document and by issuer. Each entry's searchParameters and consentText are what a pull needs. " +
        "first/last take 1 to 100 (20 when neither is given). Null, with an error, when DigiLocker cannot list them right now. " +
        needsScope("catalogue:read"),
      authScopes: { partner: "catalogue:read" },
      args: {
        search: t.arg.string({
          required: false,
          description: "Words that must all occur, case-insensitively, in the document's name or code (\"marksheet\", \"DRVLC\").",
        }),
        issuerSearch: t.arg.string({
          required: false,
          description: "Words that must all occur in the issuer's name, issuerId or description (\"cbse\", \"maharashtra\").",
        }),
        category: t.arg({ type: IssuerCategoryRef, required: false, description: "Only documents of issuers of this category." }),
      },
      validate: { schema: connectionArgs(catalogOrder, { search: searchText, issuerSearch: searchText }) },
      resolve: (_root, args, ctx) => catalogPage(ctx, args),
    },
    {
      name: "DocumentCatalogConnection",
      description: "A page of the document catalogue.",
      fields: (tc) => ({
        totalCount: tc.int({
          description: "How many documents match the filters, on every page.",
          resolve: (page) => page.totalCount,
        }),
      }),
    },
    { name: "DocumentCatalogEdge", description: "A document type in the catalogue and its cursor." },
  ),
);
