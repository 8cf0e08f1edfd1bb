// documentCatalog: every document DigiLocker can fetch (issuer × doctype; parameters on demand), like
// Setu's "list of all docs". Built from the cached meta lists; cold, it needs each issuer's doctype list,
// which the loaders fetch through the client's pool, so no more than UPSTREAM_CONCURRENCY are in flight.
import { builder } from "../builder.js";
import type { Context } from "../context.js";
import type { DocType, Issuer } from "../../digilocker/index.js";
import { compareKeys, connectionArgs, pageSorted, sortByKey, type Keyed, type Ordering } from "../key-pagination.js";
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

// Derived from the cached meta lists, which are replaced (never mutated) on refresh, so a WeakMap keyed by
// each list rebuilds exactly when its input changed. Sorting all 635 entries on every request led the
// catalogue's profile (bench/RESULTS.md).
const issuersByOrgId = new WeakMap<readonly Issuer[], readonly Issuer[]>();
const keyedDocTypes = new WeakMap<readonly DocType[], readonly Keyed<DocTypeModel>[]>();

function sortedIssuers(all: readonly Issuer[]): readonly Issuer[] {
  let sorted = issuersByOrgId.get(all);
  if (!sorted) {
    sorted = [...all].sort((a, b) => compareKeys([a.orgId], [b.orgId]));
    issuersByOrgId.set(all, sorted);
  }
  return sorted;
}

function keyedModels(orgId: string, list: readonly DocType[]): readonly Keyed<DocTypeModel>[] {
  let keyed = keyedDocTypes.get(list);
  if (!keyed) {
    keyed = sortByKey(docTypeModels(orgId, list), catalogOrder);
    keyedDocTypes.set(list, keyed);
  }
  return keyed;
}

/**
 * The doctypes of every issuer that passes the issuer filters, whose name or code matches `search`, in
 * (orgId, code) order: issuers sorted by orgId, each issuer's doctypes by code.
 */
async function catalog(ctx: Context, filter: CatalogFilter): Promise<Keyed<DocTypeModel>[]> {
  const { all } = await ctx.services.meta.issuers();
  const issuers = filterIssuers(sortedIssuers(all), { category: filter.category, search: filter.issuerSearch });
  const lists = await ctx.loaders.docTypes.loadMany(issuers.map((issuer) => issuer.orgId));
  const words = searchWords(filter.search);
  return issuers.flatMap((issuer, i) => {
    const list = lists[i];
    // One issuer's failure fails the catalogue: a page that silently lacks an issuer would mislead.
    // What did load stays cached, so a retry only asks DigiLocker for the rest.
    if (list instanceof Error) throw list;
    const keyed = keyedModels(issuer.orgId, list ?? []);
    return words.length === 0 ? keyed : keyed.filter(({ node }) => matchesWords(words, [node.description, node.code]));
  });
}

builder.queryField("documentCatalog", (t) =>
  t.connection(
    {
      type: DocTypeRef,
      nullable: true,
      description:
        "Every document DigiLocker can fetch: each issuer's document types, in (issuer orgId, code) order, searchable " +
        "by document and by issuer. Each entry's searchParameters and consentText are what a pull needs. " +
        "first/last take 1 to 100 (20 when neither is given). Null, with an error, when DigiLocker cannot list them right now.",
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
      resolve: async (_root, args, ctx) => pageSorted(await catalog(ctx, args), catalogOrder, args),
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
