// Issued documents: what issuers pushed into the viewer's locker (spec: Get List of Issued Documents), with
// `User.issuedDocuments`. `issuer` and `docType` resolve through the per-request loaders over the meta cache:
// N documents cost one issued list and one issuer list cold, and one doctype list per distinct issuer.
import type { IssuedItem, Issuer } from "../../digilocker/index.js";
import { builder } from "../builder.js";
import { cost } from "../cost.js";
import type { Context } from "../context.js";
import { requireViewer } from "../loaders.js";
import { DocTypeRef, type DocTypeModel } from "./doc-type.js";
import { IssuerRef } from "./issuer.js";
import { UserRef } from "./user.js";

export const IssuedDocumentRef = builder.objectRef<IssuedItem>("IssuedDocument");

function issuerOf(doc: IssuedItem, ctx: Context): Issuer | null | Promise<Issuer | null> {
  return doc.issuerId === null ? null : ctx.loaders.issuer("issuerId", doc.issuerId);
}

builder.node(IssuedDocumentRef, {
  description: "A document an issuer pushed into the viewer's DigiLocker (a marksheet, a PAN record, a driving licence, …).",
  // The URI identifies a document across DigiLocker. node(id) looks it up in the viewer's own issued list,
  // so another user's URI is simply not found (null).
  id: { resolve: (doc) => doc.uri },
  loadOne: async (uri, ctx) => (await ctx.loaders.user(requireViewer(ctx.viewer)).issued()).find((doc) => doc.uri === uri) ?? null,
  fields: (t) => ({
    uri: t.exposeString("uri", {
      description: "DigiLocker's URI of the document (`<issuerId>-<docType>-<number>`), used to download it.",
    }),
    name: t.exposeString("name", { description: "The document's name as DigiLocker shows it." }),
    date: t.field({
      type: "DateTime",
      nullable: true,
      description: "When the issuer last updated the document; null when DigiLocker does not say.",
      resolve: (doc) => doc.date,
    }),
    mimeTypes: t.exposeStringList("mimeTypes", {
      description: "The formats it can be downloaded in: `application/pdf`, and `application/xml` when certificate data exists.",
    }),
    hasXml: t.boolean({
      description: "Whether certificate data (XML) can be fetched for it, i.e. `mimeTypes` has `application/xml`.",
      resolve: (doc) => doc.mimeTypes.includes("application/xml"),
    }),
    docTypeCode: t.string({
      nullable: true,
      description: "The document type's code (e.g. `HSCER`), as DigiLocker sent it.",
      resolve: (doc) => doc.docType,
    }),
    description: t.string({
      nullable: true,
      description: "DigiLocker's description of the document type (e.g. `Class XII Marksheet`).",
      resolve: (doc) => doc.description,
    }),
    issuerId: t.string({
      nullable: true,
      description: "The issuer's id as in the URI (e.g. `in.gov.cbse`); not the catalogue's numeric `orgId`.",
      resolve: (doc) => doc.issuerId,
    }),
    issuerName: t.string({
      nullable: true,
      description: "The issuer's name as DigiLocker sent it with the document.",
      resolve: (doc) => doc.issuer,
    }),
    issuer: t.field({
      type: IssuerRef,
      nullable: true,
      description: "The issuer in DigiLocker's catalogue (matched by `issuerId`); null when the catalogue does not list it.",
      extensions: cost({ viaMetaCache: true }),
      resolve: (doc, _args, ctx) => issuerOf(doc, ctx),
    }),
    docType: t.field({
      type: DocTypeRef,
      nullable: true,
      description: "The document type in the issuer's catalogue; null when the issuer or the code is not listed there.",
      extensions: cost({ viaMetaCache: true }),
      resolve: async (doc, _args, ctx): Promise<DocTypeModel | null> => {
        if (doc.docType === null) return null;
        const issuer = await issuerOf(doc, ctx);
        if (issuer === null) return null;
        const found = (await ctx.loaders.docTypes.load(issuer.orgId)).find((d) => d.docType === doc.docType);
        return found ? { orgId: issuer.orgId, code: found.docType, description: found.description } : null;
      },
    }),
  }),
});

builder.objectField(UserRef, "issuedDocuments", (t) =>
  t.field({
    type: [IssuedDocumentRef],
    extensions: cost({ upstream: 1, items: 50 }),
    description:
      "Every document issuers pushed into this locker, in DigiLocker's order. Needs the `files.issueddocs` scope. Concurrent requests with one token share one DigiLocker call.",
    // The shared cached items themselves: a copy per item (to carry its owner) cost 13% of this query's throughput
    // (bench/AB-RESULTS.md, issue 15); fields that need the owner find it from the response path (user.ts, ownerAt).
    resolve: (user, _args, ctx) => ctx.loaders.user(user.access).issued(),
  }),
);
