// Issuer: an organisation whose documents DigiLocker can fetch, from the cached issuer list. Root fields
// `issuers` (a searchable connection) and `issuer` (by either id) live here.
import { GraphQLError } from "graphql";
import { z } from "zod";
import type { Issuer } from "../../digilocker/index.js";
import { builder } from "../builder.js";
import { cost } from "../cost.js";
import { needsScope } from "../scope-grants.js";
import { connectionArgs, pageByKey, type Ordering } from "../key-pagination.js";
import { DocTypeRef, docTypeModels } from "./doc-type.js";

export const IssuerRef = builder.objectRef<Issuer>("Issuer");

const categories = {
  CENTRAL_GOVERNMENT: { name: "Central Government", description: "A ministry, department or body of the Government of India." },
  STATE_GOVERNMENT: { name: "State Government", description: "A department or body of a state or union territory." },
  EDUCATION: { name: "Education", description: "A school board, university or institute." },
  INSURANCE: { name: "Insurance", description: "An insurance company." },
  OTHER: { name: null, description: "A category DigiLocker names that this gateway does not know yet: see categoryNames." },
} as const;

export type IssuerCategory = keyof typeof categories;

export const IssuerCategoryRef = builder.enumType("IssuerCategory", {
  description: "The kind of organisation an issuer is. DigiLocker sends these as names; an issuer may have several.",
  values: Object.fromEntries(
    Object.entries(categories).map(([value, { description }]) => [value, { value, description }]),
  ) as { [K in IssuerCategory]: { value: K; description: string } },
});

const byName = new Map<string, IssuerCategory>(
  Object.entries(categories).flatMap(([value, { name }]) =>
    name === null ? [] : [[name.toLowerCase(), value as IssuerCategory]],
  ),
);

/** DigiLocker's category names as enum values, each once, in DigiLocker's order; unknown names are OTHER. */
export function categoriesOf(issuer: Issuer): IssuerCategory[] {
  return [...new Set(issuer.categories.map((name) => byName.get(name.trim().toLowerCase()) ?? "OTHER"))];
}

/** A search text as lower-case words; every word must occur (in any of the fields searched). */
export function searchWords(search: string | null | undefined): string[] {
  return (search ?? "").toLowerCase().split(/\s+/).filter((w) => w !== "");
}

export function matchesWords(words: readonly string[], texts: readonly (string | null)[]): boolean {
  if (words.length === 0) return true;
  const haystack = texts.filter((t) => t !== null).join("\n").toLowerCase();
  return words.every((w) => haystack.includes(w));
}

/** Issuers matching a category and a text (over name, issuerId and description). */
export function filterIssuers(
  issuers: readonly Issuer[],
  filter: { category?: IssuerCategory | null; search?: string | null },
): Issuer[] {
  const words = searchWords(filter.search);
  const { category } = filter;
  return issuers.filter(
    (issuer) =>
      (category == null || categoriesOf(issuer).includes(category)) &&
      matchesWords(words, [issuer.name, issuer.issuerId, issuer.description]),
  );
}

const issuerOrder: Ordering<Issuer> = { connection: "issuers", keyLength: 1, keyOf: (issuer) => [issuer.orgId] };

/** Search texts are short; a longer one is a mistake or an attack on the matcher. */
export const searchText = z.string().max(100, "must be at most 100 characters").nullish();

builder.node(IssuerRef, {
  description:
    "An organisation that issues documents into DigiLocker (a board, a university, a department, an insurer). " +
    "Its global id is built from orgId.",
  id: { resolve: (issuer) => issuer.orgId },
  loadMany: (orgIds, ctx) => orgIds.map((orgId) => ctx.loaders.issuerByOrgId.load(orgId)),
  fields: (t) => ({
    orgId: t.exposeString("orgId", {
      description: 'DigiLocker\'s numeric organisation id, as a string: leading zeros matter ("000018"). Pull Document takes it.',
    }),
    issuerId: t.exposeString("issuerId", {
      nullable: true,
      description: "The id that starts this issuer's document URIs (in.gov.cbse); null when DigiLocker sends none.",
    }),
    name: t.exposeString("name", { description: "The issuer's name, as DigiLocker shows it." }),
    categories: t.field({
      type: [IssuerCategoryRef],
      description: "What kind of organisation this is; OTHER for a category the gateway does not know (see categoryNames).",
      resolve: (issuer) => categoriesOf(issuer),
    }),
    categoryNames: t.exposeStringList("categories", {
      description: "The categories exactly as DigiLocker names them (\"Central Government\", \"Education\", …).",
    }),
    description: t.exposeString("description", {
      nullable: true,
      description: "What the issuer offers through DigiLocker, in DigiLocker's words; null when it sends none.",
    }),
    docTypes: t.field({
      type: [DocTypeRef],
      extensions: cost({ viaMetaCache: true, items: 50 }),
      // Nullable so that one issuer's failing list leaves the other issuers on the page intact.
      nullable: true,
      description:
        "The documents this issuer can provide (Get List of Documents Provided by an Issuer; cached). " +
        "Null, with an error, when DigiLocker cannot list them right now.",
      resolve: async (issuer, _args, ctx) => docTypeModels(issuer.orgId, await ctx.loaders.docTypes.load(issuer.orgId)),
    }),
  }),
});

builder.queryFields((t) => ({
  issuers: t.connection(
    {
      type: IssuerRef,
      nullable: true,
      extensions: cost({ viaMetaCache: true, items: "page" }),
      description:
        "Every issuer DigiLocker lists, in orgId order, optionally of one category and matching a search text. " +
        "first/last take 1 to 100 (20 when neither is given). Null, with an error, when DigiLocker cannot list issuers right now. " +
        needsScope("catalogue:read"),
      authScopes: { partner: "catalogue:read" },
      args: {
        category: t.arg({ type: IssuerCategoryRef, required: false, description: "Only issuers of this category." }),
        search: t.arg.string({
          required: false,
          description:
            "Words that must all occur, case-insensitively, in the issuer's name, issuerId or description (\"cbse\", \"road transport\").",
        }),
      },
      validate: { schema: connectionArgs(issuerOrder, { search: searchText }) },
      resolve: async (_root, args, ctx) => {
        const index = await ctx.digilocker.meta.issuers();
        return pageByKey(filterIssuers(index.all, args), issuerOrder, args);
      },
    },
    {
      name: "IssuerConnection",
      description: "A page of issuers.",
      fields: (tc) => ({
        totalCount: tc.int({
          description: "How many issuers match the filters, on every page.",
          resolve: (page) => page.totalCount,
        }),
      }),
    },
    { name: "IssuerEdge", description: "An issuer and its cursor." },
  ),
  issuer: t.field({
    type: IssuerRef,
    nullable: true,
    description: `One issuer by exactly one of its ids; null when DigiLocker lists no such issuer. ${needsScope("catalogue:read")}`,
    authScopes: { partner: "catalogue:read" },
    extensions: cost({ viaMetaCache: true }),
    args: {
      orgId: t.arg.string({ required: false, description: 'DigiLocker\'s organisation id ("000018").' }),
      issuerId: t.arg.string({ required: false, description: "The id in document URIs (\"in.gov.cbse\")." }),
    },
    validate: [
      (args) => (args.orgId == null) !== (args.issuerId == null),
      { message: "pass exactly one of orgId or issuerId" },
    ],
    resolve: (_root, args, ctx) => {
      if (args.orgId != null) return ctx.loaders.issuerByOrgId.load(args.orgId.trim());
      if (args.issuerId != null) return ctx.loaders.issuerByIssuerId.load(args.issuerId.trim());
      throw new GraphQLError("pass exactly one of orgId or issuerId", { extensions: { code: "BAD_USER_INPUT" } });
    },
  }),
}));
