// DigiLocker Meta APIs (spec: "DigiLocker Meta APIs"): no user token; each call is authenticated by
// clientid, a fresh ts and hmac = hex SHA-256 of secret + clientid + the endpoint's fields
// (docs/spec-assumptions.md #1, #2). Bodies may be urlencoded or multipart (#3).
import { isReply, metaCaller } from "../auth.js";
import { doctypeText } from "../errors.js";
import { formFields, json } from "../http.js";
import type { Route, SandboxContext } from "../router.js";
import type { IssuerSeed } from "../state.js";
import { pushUri } from "./meta-push.js";
import { statistics } from "./meta-statistics.js";

const ORGID_PROBLEM = "The orgid parameter is missing or invalid";
const DOCTYPE_PROBLEM = "The doctype parameter is missing or invalid";
/** Neither sent: the spec's own text (spec 1400). */
const UID_OR_MOBILE_PROBLEM = "Either one of uid or mobile number is mandatory";
/** Both sent: the hash takes one value, "uid/mobile" (spec 1358); worded like the spec's texts, saying what to fix. */
const UID_AND_MOBILE_PROBLEM = "Only one of uid or mobile number is allowed, not both";

function issuerByOrgId(ctx: SandboxContext, orgid: string | undefined): IssuerSeed | undefined {
  return orgid === undefined ? undefined : ctx.state.issuers.find((i) => i.orgid === orgid);
}

export const metaRoutes: Route[] = [
  {
    // Get List of Issuers: hash (secret, clientid, ts).
    method: "POST",
    pattern: "/public/oauth2/1/pull/issuers",
    endpoint: "meta.issuers",
    handler(req, ctx) {
      const form = formFields(req);
      const caller = metaCaller(req, form, ctx, [form.ts ?? ""]);
      if (isReply(caller)) return caller;
      return json(200, {
        issuers: ctx.state.issuers.map((i) => ({
          orgid: i.orgid,
          issuerid: i.issuerid,
          name: i.name,
          category: i.category,
          description: i.description,
        })),
      });
    },
  },
  {
    // Get List of Documents Provided by an Issuer: orgid in the body (docs/spec-assumptions.md #4);
    // hash (secret, clientid, orgid, ts).
    method: "POST",
    pattern: "/public/oauth2/1/pull/doctype",
    endpoint: "meta.docTypes",
    handler(req, ctx) {
      const form = formFields(req);
      const issuer = issuerByOrgId(ctx, form.orgid);
      const caller = metaCaller(req, form, ctx, [form.orgid ?? "", form.ts ?? ""], issuer ? [] : [ORGID_PROBLEM]);
      if (isReply(caller)) return caller;
      // An unknown orgid was already refused above, so `issuer` is set here.
      return json(200, { documents: (issuer?.docTypes ?? []).map((d) => ({ doctype: d.doctype, description: d.description })) });
    },
  },
  {
    // Get Search Parameters for a Document: hash (secret, clientid, orgid, doctype, ts). The doctype is
    // matched as sent: DigiLocker's doctypes are upper case (docs/spec-assumptions.md #28).
    method: "POST",
    pattern: "/public/oauth2/1/pull/parameters",
    endpoint: "meta.parameters",
    handler(req, ctx) {
      const form = formFields(req);
      const issuer = issuerByOrgId(ctx, form.orgid);
      const docType = issuer?.docTypes.find((d) => d.doctype === form.doctype);
      const problems: string[] = [];
      if (!issuer) problems.push(ORGID_PROBLEM);
      // Without a known issuer, only a doctype that cannot be one at all is reported.
      if (issuer ? !docType : !/^[A-Z0-9]{5}$/.test(form.doctype ?? "")) {
        const valid = (upper: string) => (issuer ? issuer.docTypes.some((d) => d.doctype === upper) : /^[A-Z0-9]{5}$/.test(upper));
        problems.push(doctypeText(DOCTYPE_PROBLEM, form.doctype ?? "", valid));
      }
      const caller = metaCaller(req, form, ctx, [form.orgid ?? "", form.doctype ?? "", form.ts ?? ""], problems);
      if (isReply(caller)) return caller;
      // An unknown orgid or doctype was already refused above, so `docType` is set here.
      return json(200, {
        parameters: (docType?.parameters ?? []).map((p) => ({
          label: p.label,
          paramname: p.paramname,
          valuelist: p.valuelist,
          example: p.example,
        })),
      });
    },
  },
  {
    // Verify Account: exactly one of uid (Aadhaar) or mobile; that value is hashed
    // (docs/spec-assumptions.md #6). Both at once is refused, as the hash could cover only one (#40).
    method: "POST",
    pattern: "/public/account/2/verify",
    endpoint: "meta.verifyAccount",
    handler(req, ctx) {
      const form = formFields(req);
      const uid = blankToUndefined(form.uid);
      const mobile = blankToUndefined(form.mobile);
      const one = (uid === undefined) !== (mobile === undefined);
      // The hash covers the value as sent.
      const hashed = (uid !== undefined ? form.uid : form.mobile) ?? "";
      const problem = uid !== undefined && mobile !== undefined ? UID_AND_MOBILE_PROBLEM : UID_OR_MOBILE_PROBLEM;
      const caller = metaCaller(req, form, ctx, [hashed, form.ts ?? ""], one ? [] : [problem]);
      if (isReply(caller)) return caller;
      const user = [...ctx.state.users.values()].find((u) =>
        uid !== undefined ? u.aadhaar === uid : u.mobile === mobile,
      );
      // Strings, as the spec's sample: {"registered": "true", "digilockerid": "…"}.
      return json(200, user ? { registered: "true", digilockerid: user.digilockerId } : { registered: "false", digilockerid: "" });
    },
  },
  {
    method: "POST",
    pattern: "/public/account/1/pushuri",
    endpoint: "meta.pushUri",
    handler: (req, ctx) => pushUri(req, formFields(req), ctx),
  },
  {
    // Get Statistics: hash (secret, clientid, ts).
    method: "POST",
    pattern: "/public/statistics/1/counts",
    endpoint: "meta.statistics",
    handler(req, ctx) {
      const form = formFields(req);
      const caller = metaCaller(req, form, ctx, [form.ts ?? ""]);
      if (isReply(caller)) return caller;
      return json(200, statistics(ctx));
    },
  },
];

function blankToUndefined(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === "" ? undefined : trimmed;
}
