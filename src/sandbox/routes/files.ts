// File APIs (spec: "File APIs"): folder and issued listings, file, certificate XML and e-Aadhaar
// downloads with the `hmac` header, and upload. Every answer is for the token's own user only.
import { randomInt } from "node:crypto";
import { bearerCaller, isReply, scopes, type Caller } from "../auth.js";
import { errors } from "../errors.js";
import { fileReply } from "../files/reply.js";
import { ensureRoot, childFolders, filesIn, findRoot, folderPath, ownFolder, resolveFolder } from "../files/folders.js";
import { fileItem, folderItem, fromOfflineIssuer, isoSeconds, issuedItem, ownIssued, ownUpload } from "../files/documents.js";
import { checkUpload } from "../files/upload-checks.js";
import { header, json, type Reply, type SandboxRequest } from "../http.js";
import type { Route, SandboxContext } from "../router.js";
import type { SandboxState } from "../state.js";

function has(caller: Caller, scope: string): boolean {
  return caller.grant.scopes.includes(scope);
}

/** The caller when the token is valid and carries `scope`, else the error reply. */
function callerWith(req: SandboxRequest, ctx: SandboxContext, scope: string): Caller | Reply {
  const caller = bearerCaller(req, ctx);
  if (isReply(caller)) return caller;
  return has(caller, scope) ? caller : errors.insufficientScope();
}

function listUploaded(req: SandboxRequest, ctx: SandboxContext): Reply {
  const caller = callerWith(req, ctx, scopes.uploadedDocs);
  if (isReply(caller)) return caller;
  const { state } = ctx;
  const id = (req.params.id ?? "").trim();
  // No id lists the root (spec: "do not send this parameter"); a user the seed gave no root has nothing yet.
  const folder = id === "" ? findRoot(state, caller.user.digilockerId) : ownFolder(state, caller.user.digilockerId, id);
  if (id !== "" && !folder) return errors.invalidId();
  if (!folder) return json(200, { directory: "/", items: [] });
  return json(200, {
    directory: folderPath(state, folder),
    items: [...childFolders(state, folder).map((f) => folderItem(state, f)), ...filesIn(state, folder).map(fileItem)],
  });
}

function listIssued(version: 1 | 2) {
  return (req: SandboxRequest, ctx: SandboxContext): Reply => {
    const caller = callerWith(req, ctx, scopes.issuedDocs);
    if (isReply(caller)) return caller;
    const items = ctx.state.issued.filter((d) => d.ownerId === caller.user.digilockerId).map((d) => issuedItem(d, version));
    return json(200, { items });
  };
}

/**
 * Get File from URI: an issued document needs files.issueddocs or its own `issued/<uri>` scope, an
 * uploaded one files.uploadeddocs. A token with none of these is refused before the lookup.
 */
function getFile(req: SandboxRequest, ctx: SandboxContext): Reply {
  const caller = bearerCaller(req, ctx);
  if (isReply(caller)) return caller;
  const uri = (req.params.uri ?? "").trim();
  if (uri === "") return errors.uriMissing();
  const anyFileScope =
    has(caller, scopes.issuedDocs) || has(caller, scopes.uploadedDocs) || caller.grant.scopes.some((s) => s.startsWith("issued/"));
  if (!anyFileScope) return errors.insufficientScope();
  const userId = caller.user.digilockerId;
  const issued = ownIssued(ctx.state, userId, uri);
  if (issued) {
    if (!has(caller, scopes.issuedDocs) && !has(caller, scopes.file(uri))) return errors.insufficientScope();
    if (fromOfflineIssuer(ctx.state, issued)) return errors.repository("repository_service_respperror");
    return fileReply(issued.pdf, "application/pdf", caller.client.secret);
  }
  const uploaded = ownUpload(ctx.state, userId, uri);
  if (!uploaded) return errors.invalidUri();
  if (!has(caller, scopes.uploadedDocs)) return errors.insufficientScope();
  return fileReply(uploaded.data, uploaded.mime, caller.client.secret);
}

/** Certificate XML: issued documents that have it; anything else is "No file found for given URI". */
function getXml(req: SandboxRequest, ctx: SandboxContext): Reply {
  const caller = bearerCaller(req, ctx);
  if (isReply(caller)) return caller;
  const uri = (req.params.uri ?? "").trim();
  if (uri === "") return errors.uriMissing();
  if (!has(caller, scopes.issuedDocs) && !caller.grant.scopes.some((s) => s.startsWith("issued/"))) return errors.insufficientScope();
  const doc = ownIssued(ctx.state, caller.user.digilockerId, uri);
  if (!doc || doc.xml === null) return errors.invalidUri();
  if (!has(caller, scopes.issuedDocs) && !has(caller, scopes.file(uri))) return errors.insufficientScope();
  // The XML route's own spelling (spec 863), unlike the file route's "respperror" (docs/spec-assumptions.md #18).
  if (fromOfflineIssuer(ctx.state, doc)) return errors.repository("repository_service_resperror");
  return fileReply(Buffer.from(doc.xml, "utf8"), "application/xml", caller.client.secret);
}

/** e-Aadhaar is an issued document, so it needs files.issueddocs (docs/spec-assumptions.md, Sandbox rows). */
function getEaadhaar(req: SandboxRequest, ctx: SandboxContext): Reply {
  const caller = callerWith(req, ctx, scopes.issuedDocs);
  if (isReply(caller)) return caller;
  if (caller.user.aadhaar === null) return errors.aadhaarNotLinkedEaadhaar();
  if (caller.user.eAadhaarXml === null) return errors.aadhaarNotAvailable();
  return fileReply(Buffer.from(caller.user.eAadhaarXml, "utf8"), "application/xml", caller.client.secret);
}

function upload(req: SandboxRequest, ctx: SandboxContext): Reply {
  const caller = callerWith(req, ctx, scopes.uploadedDocs);
  if (isReply(caller)) return caller;
  const checked = checkUpload(
    {
      path: header(req, "path"),
      contentType: header(req, "content-type"),
      hmac: header(req, "hmac"),
      body: req.body,
      oversized: req.oversized,
    },
    caller.client.secret,
  );
  if ("error" in checked) return errors.upload(checked.error);
  const { state } = ctx;
  const ownerId = caller.user.digilockerId;
  const date = isoSeconds(ctx.now());
  const folder = resolveFolder(state, ensureRoot(state, ownerId, date), checked.folders);
  if (!folder) return errors.upload("invalid_path");
  // The same name in the same folder is the same document: its bytes are replaced, its URI kept.
  const existing = state.uploads.find((u) => u.ownerId === ownerId && u.folderId === folder.id && u.name === checked.name);
  if (existing) {
    Object.assign(existing, { data: Buffer.from(req.body), mime: checked.mime, date });
  } else {
    state.uploads.push({
      ownerId,
      folderId: folder.id,
      name: checked.name,
      mime: checked.mime,
      uri: newUploadUri(state),
      description: "",
      date,
      data: Buffer.from(req.body),
    });
  }
  // "Size of file" (spec): a digit string, like every other size the API sends.
  return json(200, { path: checked.path, size: String(req.body.length) });
}

/** Like the sample's in.gov.digilocker-OTHER-39491058586222: 14 digits, unique in this sandbox. */
function newUploadUri(state: SandboxState): string {
  for (;;) {
    const uri = `in.gov.digilocker-OTHER-${randomInt(1e13, 1e14)}`;
    if (!state.uploads.some((u) => u.uri === uri)) return uri;
  }
}

export const filesRoutes: Route[] = [
  // Before the folder route, whose `:id?` would otherwise take "issued" as a folder id.
  { method: "GET", pattern: "/public/oauth2/1/files/issued", endpoint: "files.issued", handler: listIssued(1) },
  { method: "GET", pattern: "/public/oauth2/2/files/issued", endpoint: "files.issued", handler: listIssued(2) },
  { method: "GET", pattern: "/public/oauth2/1/files/:id?", endpoint: "files.uploaded", handler: listUploaded },
  { method: "POST", pattern: "/public/oauth2/1/file/upload", endpoint: "files.upload", handler: upload },
  { method: "GET", pattern: "/public/oauth2/1/file/:uri?", endpoint: "files.file", handler: getFile },
  { method: "GET", pattern: "/public/oauth2/1/xml/:uri?", endpoint: "files.xml", handler: getXml },
  { method: "GET", pattern: "/public/oauth2/3/xml/eaadhaar", endpoint: "files.eaadhaar", handler: getEaadhaar },
];
