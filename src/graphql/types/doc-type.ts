// DocType: one document an issuer can provide. DigiLocker's codes repeat across issuers (every state's
// revenue department issues INCER), so a DocType is the pair (orgId, code), and so is its global id.
import { completeValue } from "@pothos/core";
import { GraphQLError } from "graphql";
import { pullConsentText, type DocType, type Issuer } from "../../digilocker/index.js";
import { builder } from "../builder.js";
import { cost } from "../cost.js";
import type { Context } from "../context.js";
import { IssuerRef } from "./issuer.js";
import { SearchParameterRef } from "./search-parameter.js";

/** A document type of one issuer: DigiLocker's doctype codes repeat across issuers, so orgId is part of it. */
export interface DocTypeModel {
  orgId: string;
  code: string;
  description: string;
}

export const DocTypeRef = builder.objectRef<DocTypeModel>("DocType");

/** The client's doctype list of one issuer as models. */
export function docTypeModels(orgId: string, docTypes: readonly DocType[]): DocTypeModel[] {
  return docTypes.map((d) => ({ orgId, code: d.docType, description: d.description }));
}

/** Loads one issuer's doctype (null when the issuer or the code is unknown) through this request's loaders. */
export async function loadDocType(ctx: Context, orgId: string, code: string): Promise<DocTypeModel | null> {
  // The cached issuer list answers for unknown issuers, so a made-up orgId never reaches DigiLocker.
  if ((await ctx.loaders.issuerByOrgId.load(orgId)) === null) return null;
  const list = await ctx.loaders.docTypes.load(orgId);
  return docTypeModels(orgId, list).find((d) => d.code === code) ?? null;
}

function issuerOf(doc: DocTypeModel, ctx: Context): Issuer | Promise<Issuer> {
  return completeValue(ctx.loaders.issuer("orgId", doc.orgId), (issuer) => listed(doc, issuer));
}

function listed(doc: DocTypeModel, issuer: Issuer | null): Issuer {
  // Doctypes come from an issuer's list, so only a changed upstream list can leave one without an issuer.
  if (issuer === null) throw new Error(`issuer ${doc.orgId} of doctype ${doc.code} is no longer listed`);
  return issuer;
}

builder.node(DocTypeRef, {
  description:
    "A document an issuer can provide (a marksheet, a licence, a policy). Its global id is built from the issuer's orgId and the code.",
  id: {
    resolve: (doc) => `${doc.orgId}/${doc.code}`,
    parse: (id) => {
      const match = /^([^/]+)\/([^/]+)$/.exec(id);
      if (!match) throw new GraphQLError("Not a DocType id", { extensions: { code: "BAD_USER_INPUT" } });
      return { orgId: match[1] ?? "", code: match[2] ?? "" };
    },
  },
  loadMany: (ids, ctx) => ids.map(({ orgId, code }) => loadDocType(ctx, orgId, code)),
  fields: (t) => ({
    code: t.exposeString("code", {
      description: "DigiLocker's document type code (HSCER, DRVLC): unique within its issuer only. Pull Document takes it.",
    }),
    description: t.exposeString("description", { description: "The document's name, as DigiLocker shows it." }),
    issuer: t.field({
      type: IssuerRef,
      description: "The organisation that issues this document.",
      extensions: cost({ viaMetaCache: true }),
      resolve: (doc, _args, ctx) => issuerOf(doc, ctx),
    }),
    searchParameters: t.field({
      type: [SearchParameterRef],
      extensions: cost({ viaMetaCache: true, items: 5 }),
      // Nullable so that one failing list leaves the rest of a catalogue page intact.
      nullable: true,
      description:
        "What a user must enter to pull this document (Get Search Parameters; cached): one input per parameter. " +
        "Null, with an error, when DigiLocker cannot list them right now.",
      resolve: (doc, _args, ctx) => ctx.loaders.parameters.load(`${doc.orgId}\n${doc.code}`),
    }),
    consentText: t.string({
      description:
        "The exact consent sentence the spec requires a user to accept before this document is pulled: show it, then pass consent.",
      // The issuer's name, from the cached issuer list.
      extensions: cost({ viaMetaCache: true }),
      resolve: async (doc, _args, ctx) => pullConsentText((await issuerOf(doc, ctx)).name, doc.description),
    }),
  }),
});
