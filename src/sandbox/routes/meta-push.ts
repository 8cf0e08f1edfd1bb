// Push URI to Account (spec: "Push URI to Account"): an issuer partner adds (A), updates (U) or deletes
// (D) one document URI in a user's account. Checked in this order: clientid (401); every missing or
// invalid field together with ts and hmac (400); the client being an issuer (403); the digilockerid
// (404); then the URI against the accounts (400).
import { isReply, metaCaller } from "../auth.js";
import { doctypeText, errors } from "../errors.js";
import { json, type Reply, type SandboxRequest } from "../http.js";
import type { SandboxContext } from "../router.js";
import { issueDocument } from "../seed/documents.js";
import type { IssuedDocument, IssuerSeed, SandboxClient, SandboxUser } from "../state.js";

/** The field error texts of the spec's table, in its order. */
const problemText = {
  uri: "URI parameter is missing or invalid",
  doctype: "Doctype parameter is missing or invalid",
  description: "Description parameter is missing or invalid",
  docid: "Docid parameter is missing or invalid",
  issuedate: "Issuedate parameter is missing or invalid",
  // Not in the spec's table, which names no text for these fields; worded like the rest.
  validfrom: "Validfrom parameter is missing or invalid",
  validto: "Validto parameter is missing or invalid",
  action: "Action parameter is missing or invalid",
  doccontent: "Doccontent parameter is missing or invalid",
  datacontent: "Datacontent parameter is missing or invalid",
} as const;

const URI_EXISTS_HERE = "URI already exists in this account";
const URI_EXISTS_ELSEWHERE = "URI already exists in another account";

type Action = "A" | "U" | "D";

interface PushFields {
  digilockerid: string;
  uri: string;
  doctype: string;
  description: string;
  docid: string;
  issuedate: string;
  action: Action;
  pdf: Buffer | null;
  xml: string | null;
}

export function pushUri(req: SandboxRequest, form: Record<string, string>, ctx: SandboxContext): Reply {
  const v = (name: string) => form[name] ?? "";
  // docs/spec-assumptions.md #5: ts comes before doccontent and datacontent; absent fields hash as "".
  const hashParts = [
    v("digilockerid"), v("uri"), v("doctype"), v("description"), v("docid"), v("issuedate"),
    v("validfrom"), v("validto"), v("action"), v("ts"), v("doccontent"), v("datacontent"),
  ];
  const checked = checkFields(form);
  const caller = metaCaller(req, form, ctx, hashParts, "problems" in checked ? checked.problems : []);
  if (isReply(caller)) return caller;
  // metaCaller has already refused any field problems; this only narrows `checked`.
  if ("problems" in checked) return errors.invalidParameter(checked.problems);
  if (caller.issuerId === null) return errors.pushScope();
  if (!ctx.state.users.has(checked.digilockerid)) return errors.invalidDigilockerId();
  return apply(checked, { ...caller, issuerId: caller.issuerId }, ctx);
}

/** The fields as the spec describes them, or the texts of every one that is missing or invalid. */
function checkFields(form: Record<string, string>): PushFields | { problems: string[] } {
  const problems: string[] = [];
  const text = (name: keyof typeof problemText, ok: (value: string) => boolean = (x) => x !== "", explain = (t: string) => t) => {
    const value = (form[name] ?? "").trim();
    if (!ok(value)) problems.push(explain(problemText[name]));
    return value;
  };
  const uri = text("uri", (x) => x !== "" && !/\s/.test(x));
  // "A 5 character unique document type"; upper case as DigiLocker writes them (docs/spec-assumptions.md #28).
  const isDocType = (x: string) => /^[A-Z0-9]{5}$/.test(x);
  const doctype = text("doctype", isDocType, (t) => doctypeText(t, form.doctype ?? "", isDocType));
  const description = text("description");
  const docid = text("docid");
  const issuedate = text("issuedate", isDdmmyyyy);
  text("validfrom", (x) => x === "" || isDdmmyyyy(x));
  text("validto", (x) => x === "" || isDdmmyyyy(x));
  const action = text("action", (x) => x === "A" || x === "U" || x === "D") as Action;
  // Both are optional base64 (spec: doccontent a PDF, datacontent XML metadata).
  const pdf = decoded(form.doccontent, (b) => b.subarray(0, 5).toString("latin1") === "%PDF-");
  if (pdf === false) problems.push(problemText.doccontent);
  const xml = decoded(form.datacontent, (b) => /^\s*</.test(b.toString("utf8").replace(/^\uFEFF/, "")));
  if (xml === false) problems.push(problemText.datacontent);
  if (pdf === false || xml === false || problems.length > 0) return { problems };
  const digilockerid = (form.digilockerid ?? "").trim();
  return { digilockerid, uri, doctype, description, docid, issuedate, action, pdf, xml: xml?.toString("utf8") ?? null };
}

/** null when absent, false when not strict base64 of what `looksRight` accepts, else the bytes. */
function decoded(value: string | undefined, looksRight: (bytes: Buffer) => boolean): Buffer | null | false {
  if (value === undefined || value === "") return null;
  const compact = value.replace(/\s+/g, "");
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return false;
  const bytes = Buffer.from(compact, "base64");
  return looksRight(bytes) ? bytes : false;
}

/** DDMMYYYY naming a real calendar day (spec: "in DDMMYYYY format"). */
function isDdmmyyyy(value: string): boolean {
  const m = /^(\d{2})(\d{2})(\d{4})$/.exec(value);
  if (!m) return false;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1900 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function apply(f: PushFields, client: SandboxClient & { issuerId: string }, ctx: SandboxContext): Reply {
  const { state } = ctx;
  const existing = state.issued.find((d) => d.uri === f.uri);
  // The issued list's `date`: when DigiLocker last changed the document.
  const date = new Date(ctx.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
  if (f.action === "A") {
    if (existing) return errors.invalidParameter([existing.ownerId === f.digilockerid ? URI_EXISTS_HERE : URI_EXISTS_ELSEWHERE]);
    const user = state.users.get(f.digilockerid);
    if (!user) return errors.invalidDigilockerId();
    const issuer = issuerOf(client, ctx);
    state.issued.push({
      ...generated(f, issuer, user, ctx),
      uri: f.uri,
      name: f.description,
      description: f.description,
      date,
      ...(f.pdf ? { pdf: f.pdf } : {}),
      // Certificate data only when pushed: the issuer supplies it (spec: datacontent).
      xml: f.xml,
    });
    return json(200, {});
  }
  // U and D act on a URI this issuer pushed into this account; anything else is not a URI it can change.
  if (!existing || existing.ownerId !== f.digilockerid || existing.issuerid !== client.issuerId) {
    return errors.invalidParameter([problemText.uri]);
  }
  if (f.action === "D") {
    state.issued.splice(state.issued.indexOf(existing), 1);
    return json(200, {});
  }
  Object.assign(existing, {
    name: f.description,
    doctype: f.doctype,
    description: f.description,
    date,
    ...(f.pdf ? { pdf: f.pdf } : {}),
    ...(f.xml !== null ? { xml: f.xml } : {}),
  });
  return json(200, {});
}

/** The caller's issuer from the catalogue; a configured issuer id missing from it gets a bare entry. */
function issuerOf(client: SandboxClient & { issuerId: string }, ctx: SandboxContext): IssuerSeed {
  return (
    ctx.state.issuers.find((i) => i.issuerid === client.issuerId) ?? {
      orgid: "",
      issuerid: client.issuerId,
      name: client.name,
      category: "",
      description: "",
      docTypes: [],
      offline: false,
    }
  );
}

/**
 * The document the seed would issue, for the PDF a push without doccontent still needs (so Get File from
 * URI has real bytes to serve). The PDF's date of issue is the pushed issuedate.
 */
function generated(f: PushFields, issuer: IssuerSeed, user: SandboxUser, ctx: SandboxContext): IssuedDocument {
  const docType = issuer.docTypes.find((d) => d.doctype === f.doctype) ?? { doctype: f.doctype, description: f.description, parameters: [] };
  const issued = `${f.issuedate.slice(4)}-${f.issuedate.slice(2, 4)}-${f.issuedate.slice(0, 2)}T00:00:00Z`;
  return issueDocument({ issuer, docType: { ...docType, description: f.description }, user, docId: f.docid, date: issued, withXml: false }, ctx.keys);
}
