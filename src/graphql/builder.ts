// The schema builder and its plugins; no types live here. Modules under types/ add to it.
import SchemaBuilder from "@pothos/core";
import ErrorsPlugin from "@pothos/plugin-errors";
import RelayPlugin from "@pothos/plugin-relay";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import ZodPlugin from "@pothos/plugin-zod";
import { GraphQLError, isObjectType } from "graphql";
import type { PartnerScope } from "../partners/scopes.js";
import type { Context } from "./context.js";
import { cost } from "./cost.js";
import { fieldLabel, refusedScope, scopeGranted, scopeRefusal } from "./scope-grants.js";

export type Scalars = {
  /** ISO 8601 calendar date, YYYY-MM-DD. */
  Date: { Input: string; Output: string };
  /** ISO 8601 instant in UTC. */
  DateTime: { Input: string; Output: string };
  /** A non-negative whole number up to 2^53 − 1: DigiLocker's counts pass GraphQL Int's 2^31. */
  Count: { Input: number; Output: number };
  /** Any JSON value; output only (certificate data). */
  JSON: { Input: never; Output: unknown };
};

/** Node types whose node(id) needs catalogue:read; one map object, so scope-auth's per-request cache keeps its answer. */
const catalogueNodes: ReadonlySet<string> = new Set(["Issuer", "DocType"]);
const CATALOGUE_READ = { partner: "catalogue:read" } as const;

export const builder = new SchemaBuilder<{
  Context: Context;
  Scalars: Scalars;
  DefaultFieldNullability: false;
  /** A guarded field says `authScopes: { partner: "documents:pull" }`; scope-grants.ts decides who has it. */
  AuthScopes: { partner: PartnerScope };
}>({
  // Scope auth first: a caller without the scope learns nothing from validation or outcomes. Errors before Zod: a
  // field's expected outcomes are typed union members (outcomes.ts); bad arguments stay errors.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin, ZodPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    // Only fields that declare authScopes are wrapped; every other resolver is left as it is (the plugin adds only a
    // flag around each union's and interface's resolveType). The loader runs once per scope and request (scope-auth
    // caches it on the context), synchronously with a key. No type declares scopes, and runScopesOnType stays off:
    // it checks in isTypeOf, which graphql-jit does not support.
    authScopes: (ctx) => ({ partner: (scope) => scopeGranted(ctx, scope) }),
    // A store or database failure while deciding is not a refusal: it stays the error it is (errors.ts).
    treatErrorsAsUnauthorized: false,
    unauthorizedError: (_parent, ctx, info, result) => scopeRefusal(ctx, refusedScope(result.failure), fieldLabel(info)),
  },
  errors: {
    // Only the classes a field lists become typed outcomes; anything else (our bugs, DigiLocker outages) stays in
    // `errors`, masked by graphql/errors.ts.
    defaultTypes: [],
    // The success object itself is a member of the union (no `data` wrapper): `... on IssuedDocument { uri }`.
    directResult: true,
    defaultUnionOptions: {
      name: ({ fieldName }) => `${fieldName.charAt(0).toUpperCase()}${fieldName.slice(1)}Result`,
    },
  },
  relay: {
    clientMutationId: "omit",
    cursorType: "String",
    nodesQueryOptions: false,
    // Descriptions for what the relay plugin generates: GraphiQL shows every one.
    nodeTypeOptions: { description: "An object with a global id: node(id) fetches it again." },
    idFieldOptions: { description: "A global id: pass it to node(id) to fetch this object again." },
    nodeQueryOptions: {
      description:
        "Fetches any object by its global id (Issuer, DocType, IssuedDocument, Folder); null when it no longer exists. " +
        "An Issuer's or DocType's id needs the scope `catalogue:read` (an API key whose partner has it, or a signed-in browser session; docs/partners.md); the viewer's own documents and folders need none.",
      args: { id: { description: "A global id, as an object's id field gives it." } },
      // A Folder's listing (and a walk from the root for its parent, priced at 2 levels), or the viewer's issued
      // list; Issuer and DocType come from the meta cache.
      extensions: cost({ upstream: 3 }),
      // The catalogue's objects need its scope; the viewer's own documents and folders need none.
      authScopes: (_root, args) => (catalogueNodes.has(args.id.typename) ? CATALOGUE_READ : true),
      // A well-formed id of a type that is not a Node (or of no type at all) is the caller's mistake, not ours.
      resolve: (_root, args, _ctx, info, resolveNode) => {
        const type = info.schema.getType(args.id.typename);
        if (!isObjectType(type) || !type.getInterfaces().some((i) => i.name === "Node")) {
          throw new GraphQLError("id is not the global id of an object node(id) fetches (Issuer, DocType, IssuedDocument or Folder)", {
            extensions: { code: "BAD_USER_INPUT" },
          });
        }
        return resolveNode(args.id);
      },
    },
    pageInfoTypeOptions: { description: "Where a page sits in its list, and the cursors to move from it." },
    edgesFieldOptions: { description: "The items of this page, each with its cursor." },
    pageInfoFieldOptions: { description: "Whether more items lie before or after this page, and the cursors to reach them." },
    cursorFieldOptions: { description: "An opaque position: pass it as after or before to page from here." },
    nodeFieldOptions: { description: "The item." },
    hasNextPageFieldOptions: { description: "Whether the list holds items after this page." },
    hasPreviousPageFieldOptions: { description: "Whether the list holds items before this page." },
    startCursorFieldOptions: { description: "The first item's cursor (pass as before for the previous page); null on an empty page." },
    endCursorFieldOptions: { description: "The last item's cursor (pass as after for the next page); null on an empty page." },
    firstArgOptions: { description: "How many items to return from the start (after `after`)." },
    afterArgOptions: { description: "Return items after this cursor." },
    lastArgOptions: { description: "How many items to return from the end (before `before`)." },
    beforeArgOptions: { description: "Return items before this cursor." },
  },
  zod: {
    // Bad arguments are the caller's to fix: say which and why, as BAD_USER_INPUT.
    validationError: (error) =>
      new GraphQLError(error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "), {
        extensions: { code: "BAD_USER_INPUT" },
      }),
  },
});

builder.queryType({ description: "Everything the gateway reads from DigiLocker: the signed-in account and DigiLocker's catalogue." });

builder.mutationType({ description: "Signing in and out, consent requests, and token revocation." });
