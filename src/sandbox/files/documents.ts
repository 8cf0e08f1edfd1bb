// A user's documents by URI and the listing items the file routes answer with (spec: Get List of
// Issued Documents, Get List of Self Uploaded Documents; field sets as in the spec's samples).
import type { FolderNode, IssuedDocument, SandboxState, UploadedFile } from "../state.js";
import { folderSize } from "./folders.js";

export function ownIssued(state: SandboxState, ownerId: string, uri: string): IssuedDocument | undefined {
  return state.issued.find((d) => d.ownerId === ownerId && d.uri === uri);
}

export function ownUpload(state: SandboxState, ownerId: string, uri: string): UploadedFile | undefined {
  return state.uploads.find((u) => u.ownerId === ownerId && u.uri === uri);
}

/** Whether the document's issuer is a repository that is down (the seeded offline issuer). */
export function fromOfflineIssuer(state: SandboxState, doc: IssuedDocument): boolean {
  return state.issuers.some((i) => i.issuerid === doc.issuerid && i.offline);
}

/** "2015-05-12T15:50:38Z": the samples' form, without their leading space (docs/spec-assumptions.md #22). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Every value a string, as in the sample: sizes too ("366481"). */
export function folderItem(state: SandboxState, folder: FolderNode): Record<string, string> {
  return {
    name: folder.name,
    type: "dir",
    id: folder.id,
    size: String(folderSize(state, folder)),
    date: folder.date,
    parent: folder.parentId ?? "",
    mime: "",
    uri: "",
    description: "",
    issuer: "",
  };
}

export function fileItem(file: UploadedFile): Record<string, string> {
  return {
    name: file.name,
    type: "file",
    id: "",
    size: String(file.data.length),
    date: file.date,
    parent: file.folderId,
    mime: file.mime,
    uri: file.uri,
    description: file.description,
    issuer: "",
  };
}

/**
 * An issued listing item. v2 (spec): `mime` is "application/pdf" alone, or a list with
 * "application/xml" when certificate data exists (the spec prints both shapes). v1 (the older OpenAPI
 * file, whose v1 schema types `mime` as one string): the same list joined with commas.
 */
export function issuedItem(doc: IssuedDocument, version: 1 | 2): Record<string, string | string[]> {
  const mimes = doc.xml === null ? ["application/pdf"] : ["application/pdf", "application/xml"];
  return {
    name: doc.name,
    type: "file",
    size: "",
    date: doc.date,
    parent: "",
    mime: version === 1 ? mimes.join(",") : mimes.length === 1 ? "application/pdf" : mimes,
    uri: doc.uri,
    doctype: doc.doctype,
    description: doc.description,
    issuerid: doc.issuerid,
    issuer: doc.issuer,
  };
}
