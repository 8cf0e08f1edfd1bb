// Pull Document (spec: POST /oauth2/1/pull/pulldocument). The sandbox's issuers "find" a record when
// every search parameter equals its seeded example; a value starting with PENDING is forwarded to the
// issuer (pull_response_pending); anything else is not on record.
import { bearerCaller, isReply, scopes } from "../auth.js";
import { errors } from "../errors.js";
import { isoSeconds } from "../files/documents.js";
import { formFields, json, type Reply, type SandboxRequest } from "../http.js";
import type { Route, SandboxContext } from "../router.js";
import { documentUri, issueDocument, pulledDocId } from "../seed/documents.js";
import type { DocTypeSeed } from "../state.js";

export type PullOutcome = "found" | "pending" | "not_found";

/** The sandbox's pull rule (README, "Trying Pull Document"), given the form's values by paramname. */
export function pullOutcome(docType: DocTypeSeed, form: Record<string, string>): PullOutcome {
  const values = docType.parameters.map((p) => (form[p.paramname] ?? "").trim());
  if (values.some((v) => v.startsWith("PENDING"))) return "pending";
  return docType.parameters.every((p, i) => values[i] === p.example) ? "found" : "not_found";
}

/**
 * Checks in this order: orgid, doctype (of that issuer), the token's partners.<DOCTYPE> scope, consent,
 * the issuer's repository, the user's Aadhaar, the record, and whether the user already has it.
 */
function pullDocument(req: SandboxRequest, ctx: SandboxContext): Reply {
  const caller = bearerCaller(req, ctx);
  if (isReply(caller)) return caller;
  const form = formFields(req);
  const issuer = ctx.state.issuers.find((i) => i.orgid === (form.orgid ?? "").trim());
  if (!issuer) return errors.invalidOrgId();
  // Exact match: doctypes are upper case (docs/spec-assumptions.md #28), and a client must send them so.
  const sent = form.doctype ?? "";
  const docType = issuer.docTypes.find((d) => d.doctype === sent.trim());
  if (!docType) return errors.invalidDocType(sent, (upper) => issuer.docTypes.some((d) => d.doctype === upper));
  if (!caller.grant.scopes.includes(scopes.pull(docType.doctype))) return errors.insufficientScope();
  // Spec: "The pull request will be processed only when this indicator is "Y"". The pull table has no
  // code for it; invalid_parameter is the API's code for a bad parameter (docs/spec-assumptions.md).
  if (form.consent?.trim() !== "Y") return errors.invalidParameter(["Consent parameter is missing or not Y"]);
  if (issuer.offline) return errors.configError();
  if (caller.user.aadhaar === null) return errors.aadhaarNotLinkedPull();
  const outcome = pullOutcome(docType, form);
  if (outcome === "pending") return errors.pullPending();
  if (outcome === "not_found") return errors.recordNotFound();
  const values = Object.fromEntries(docType.parameters.map((p) => [p.paramname, (form[p.paramname] ?? "").trim()]));
  const docId = pulledDocId(docType, values);
  const uri = documentUri(issuer.issuerid, docType.doctype, docId);
  const userId = caller.user.digilockerId;
  if (ctx.state.issued.some((d) => d.ownerId === userId && d.uri === uri)) return errors.uriExists();
  const doc = issueDocument({ issuer, docType, user: caller.user, docId, date: isoSeconds(ctx.now()) }, ctx.keys);
  ctx.state.issued.push(doc);
  return json(200, { uri: doc.uri });
}

export const pullRoutes: Route[] = [
  { method: "POST", pattern: "/public/oauth2/1/pull/pulldocument", endpoint: "pull.document", handler: pullDocument },
];
