// Pull Document (spec 1005-1078): fetches a certificate from an issuer's repository into the user's issued
// documents. The consent and every search parameter are checked here first, against the cached issuer, doctype
// and parameter lists, so a refusal names its field and no Pull Document call is made.
import type { IssuedItem } from "../../digilocker/index.js";
import { builder } from "../builder.js";
import { cost } from "../cost.js";
import { needsScope } from "../scope-grants.js";
import type { Context } from "../context.js";
import { requireViewer, withToken } from "../loaders.js";
import { Problem, ProblemRef, withOutcomes } from "../outcomes.js";
import { parameterIssues, parameterValues, type ParameterIssue } from "../pull-parameters.js";
import { loadDocType } from "./doc-type.js";
import { IssuedDocumentRef } from "./issued-document.js";

export class PullConsentMissing extends Problem {
  readonly code = "PULL_CONSENT_MISSING";
  constructor() {
    super("Show the user DocType.consentText, and pull with consent: true only once they accept it");
  }
}

export class UnknownPullTarget extends Problem {
  readonly code = "UNKNOWN_PULL_TARGET";
  constructor(readonly field: "orgId" | "docType") {
    super(
      field === "orgId"
        ? "orgId is not an issuer in DigiLocker's catalogue: take it from Query.issuers"
        : "docType is not a document this issuer provides: take it from Issuer.docTypes",
    );
  }
}

export class InvalidPullParameters extends Problem {
  readonly code = "INVALID_PULL_PARAMETERS";
  constructor(readonly issues: readonly ParameterIssue[]) {
    super(`${issues.map((i) => `${i.name} ${i.problem}`).join("; ")}: DocType.searchParameters lists what to enter`);
  }
}

export class PullPending extends Problem {
  readonly code = "PULL_PENDING";
  constructor() {
    super("The details do not exactly match the issuer's record; the issuer will verify them, and the document arrives in Issued Documents if they do");
  }
}

export class DocumentAlreadyIssued extends Problem {
  readonly code = "DOCUMENT_ALREADY_ISSUED";
  constructor() {
    super("This document is already in the user's Issued Documents: read it from viewer.issuedDocuments");
  }
}

export class RecordNotFound extends Problem {
  readonly code = "RECORD_NOT_FOUND";
  constructor() {
    super("The issuer found no record matching these details: check them and try again");
  }
}

export class AadhaarNotLinked extends Problem {
  readonly code = "AADHAAR_NOT_LINKED";
  constructor() {
    super("The user has not linked Aadhaar to their DigiLocker account: they link it in DigiLocker, then pull again");
  }
}

export class IssuerUnavailable extends Problem {
  readonly code = "ISSUER_UNAVAILABLE";
  constructor() {
    super("The issuer's service is not available through DigiLocker: try another time (DigiLocker support can say when)");
  }
}

export class PullScopeMissing extends Problem {
  readonly code = "PULL_SCOPE_MISSING";
  constructor(
    readonly docType: string,
    readonly signInUrl: string,
  ) {
    super(
      `The user did not allow pulling ${docType} (scope partners.${docType}): send them to signInUrl to allow it, ` +
        `or, for a server caller, create a consent request with requestedDocTypes: ["${docType}"]`,
    );
  }
}

const problem = { interfaces: [ProblemRef] };
builder.objectType(PullConsentMissing, { ...problem, name: "PullConsentMissing", description: "consent was not true; nothing was sent." });
builder.objectType(UnknownPullTarget, {
  ...problem,
  name: "UnknownPullTarget",
  description: "The issuer or its doctype is not in DigiLocker's catalogue (or DigiLocker answered invalid_orgid / invalid_doctype).",
  fields: (t) => ({ field: t.exposeString("field", { description: "`orgId` or `docType`: the PullDocumentInput field at fault." }) }),
});
const ParameterIssueRef = builder.objectRef<ParameterIssue>("PullParameterIssue").implement({
  description: "One search parameter at fault.",
  fields: (t) => ({
    name: t.exposeString("name", { description: "The parameter's name (SearchParameter.name), as listed or as given." }),
    problem: t.exposeString("problem", { description: "What is wrong with it: missing, unknown, repeated, or not one of its options." }),
  }),
});
builder.objectType(InvalidPullParameters, {
  ...problem,
  name: "InvalidPullParameters",
  description: "The parameters do not fit the doctype's search parameters; nothing was sent to Pull Document.",
  fields: (t) => ({
    issues: t.field({ type: [ParameterIssueRef], extensions: cost({ items: 5 }), description: "Every parameter at fault.", resolve: (p) => [...p.issues] }),
  }),
});
builder.objectType(PullPending, { ...problem, name: "PullPending", description: "DigiLocker's pull_response_pending: forwarded to the issuer to verify." });
builder.objectType(DocumentAlreadyIssued, { ...problem, name: "DocumentAlreadyIssued", description: "DigiLocker's uri_exists: the user already holds this document." });
builder.objectType(RecordNotFound, { ...problem, name: "RecordNotFound", description: "DigiLocker's record_not_found: the issuer has no record for these details." });
builder.objectType(AadhaarNotLinked, { ...problem, name: "AadhaarNotLinked", description: "DigiLocker's aadhaar_not_linked: pulling needs a linked Aadhaar." });
builder.objectType(IssuerUnavailable, { ...problem, name: "IssuerUnavailable", description: "DigiLocker's repository_service_configerror: the issuer cannot be reached." });
builder.objectType(PullScopeMissing, {
  ...problem,
  name: "PullScopeMissing",
  description:
    "DigiLocker's insufficient_scope: the user's consent does not cover this doctype. `signInUrl` is the gateway's browser sign-in asking for exactly this doctype (req_doctype); after it, the browser's session can pull. A server caller holding a bearer token, or a consent request's user, asks again with a new consent request whose requestedDocTypes is [docType].",
  fields: (t) => ({
    docType: t.exposeString("docType", { description: "The doctype pulled, upper-cased." }),
    scope: t.string({ description: "The scope that is missing (`partners.<docType>`).", resolve: (p) => `partners.${p.docType}` }),
    signInUrl: t.exposeString("signInUrl", { description: "The gateway's sign-in link asking the user for this doctype, returning to /graphql." }),
  }),
});

const ParameterInput = builder.inputType("PullParameterInput", {
  description: "One search parameter's value.",
  fields: (t) => ({
    name: t.string({ required: true, description: "SearchParameter.name (DigiLocker's paramname, e.g. `rollno`)." }),
    value: t.string({ required: true, description: "What the user entered (trimmed); one of SearchParameter.options when it has them." }),
  }),
});

const PullDocumentInput = builder.inputType("PullDocumentInput", {
  description: "What to pull, and the user's consent.",
  fields: (t) => ({
    orgId: t.string({ required: true, description: "The issuer's orgId (Issuer.orgId)." }),
    docType: t.string({ required: true, description: "The doctype's code (DocType.code, e.g. `HSCER`); sent upper-cased." }),
    parameters: t.field({ type: [ParameterInput], required: true, description: "A value for each of DocType.searchParameters." }),
    consent: t.boolean({ required: true, description: "True once the user accepted DocType.consentText; false is refused." }),
  }),
});

interface Pull {
  orgId: string;
  docType: string;
  parameters: readonly { name: string; value: string }[];
}

/** The document as DigiLocker will list it, from what is known: Pull Document answers only with its URI. */
async function pulledDocument(ctx: Context, pull: Pull, uri: string, description: string): Promise<IssuedItem> {
  const issuer = await ctx.loaders.issuerByOrgId.load(pull.orgId);
  return {
    uri,
    name: description,
    date: null,
    mimeTypes: ["application/pdf"],
    docType: pull.docType,
    description,
    issuerId: issuer?.issuerId ?? null,
    issuer: issuer?.name ?? null,
  };
}

builder.mutationField("pullDocument", (t) =>
  t.field({
    type: IssuedDocumentRef,
    description:
      "Pulls a document from its issuer into the user's Issued Documents (spec: Pull Document), once they accepted DocType.consentText. The parameters are checked against DocType.searchParameters first. Answers the new document as far as is known (its URI; `date` null and `mimeTypes` PDF until listed): a later viewer.issuedDocuments, in this response or the next, lists it. Never retried. " +
      needsScope("documents:pull"),
    authScopes: { partner: "documents:pull" },
    args: { input: t.arg({ type: PullDocumentInput, required: true }) },
    extensions: cost({ upstream: 1, viaMetaCache: true }),
    errors: {
      types: [
        PullConsentMissing,
        UnknownPullTarget,
        InvalidPullParameters,
        PullPending,
        DocumentAlreadyIssued,
        RecordNotFound,
        AadhaarNotLinked,
        IssuerUnavailable,
        PullScopeMissing,
      ],
      union: { description: "The document pulled, or why it was not." },
    },
    resolve: async (_root, { input }, ctx) => {
      const access = requireViewer(ctx.viewer);
      if (!input.consent) throw new PullConsentMissing();
      const pull: Pull = { orgId: input.orgId.trim(), docType: input.docType.trim().toUpperCase(), parameters: input.parameters };
      if ((await ctx.loaders.issuerByOrgId.load(pull.orgId)) === null) throw new UnknownPullTarget("orgId");
      const docType = await loadDocType(ctx, pull.orgId, pull.docType);
      if (docType === null) throw new UnknownPullTarget("docType");
      const issues = parameterIssues(await ctx.loaders.parameters.load(`${pull.orgId}\n${pull.docType}`), pull.parameters);
      if (issues.length > 0) throw new InvalidPullParameters(issues);
      const signInUrl = new URL("/auth/sign-in", ctx.services.auth.redirects.origin);
      signInUrl.search = new URLSearchParams({ returnTo: "/graphql", docTypes: pull.docType }).toString();
      // withToken: an invalid_token answer ends the session holding it, as for every user call (loaders.ts).
      const { uri, token } = await withToken(ctx, access, async (token, digilocker) => {
        const answer = await withOutcomes(
          "pull.document",
          {
            invalid_orgid: () => new UnknownPullTarget("orgId"),
            invalid_doctype: () => new UnknownPullTarget("docType"),
            pull_response_pending: () => new PullPending(),
            uri_exists: () => new DocumentAlreadyIssued(),
            record_not_found: () => new RecordNotFound(),
            aadhaar_not_linked: () => new AadhaarNotLinked(),
            repository_service_configerror: () => new IssuerUnavailable(),
            insufficient_scope: () => new PullScopeMissing(pull.docType, signInUrl.toString()),
          },
          () =>
            digilocker.client.pull.document(token, {
              orgId: pull.orgId,
              docType: pull.docType,
              parameters: parameterValues(pull.parameters),
              consent: true,
            }),
        );
        return { uri: answer.uri, token };
      });
      ctx.loaders.user(access).issuedChanged(token);
      return pulledDocument(ctx, pull, uri, docType.description);
    },
  }),
);
