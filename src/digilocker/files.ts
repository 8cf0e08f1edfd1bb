// File APIs (spec: "File APIs"): folder and issued listings, downloads with HMAC checks, and upload.
import type { Readable } from "node:stream";
import { z } from "zod";
import { bearer } from "./bearer.js";
import { endpoints, type EndpointId } from "./endpoints.js";
import { mimeList, optionalCount, optionalDateTime, optionalText, trimmed } from "./normalize.js";
import { pathParam } from "./path-param.js";
import type { CallOptions, ClientSettings } from "./settings.js";
import type { Transport } from "./transport.js";
import { uploadRequest, uploadResponse, type UploadInput, type UploadResult } from "./upload.js";
import { verifiedBuffer, verifiedStream } from "./verified-body.js";

export interface UploadedItem {
  kind: "FOLDER" | "FILE";
  name: string;
  /** Folder id (folders only). */
  id: string | null;
  size: number | null;
  /** ISO 8601 upload time. */
  date: string | null;
  parentId: string | null;
  mimeTypes: string[];
  /** Document URI (files only). */
  uri: string | null;
  description: string | null;
  issuer: string | null;
}

const uploadedItem = z
  .object({
    name: trimmed,
    type: z
      .string()
      .transform((s) => s.trim().toLowerCase())
      .pipe(z.enum(["dir", "file"])),
    id: optionalText,
    size: optionalCount,
    date: optionalDateTime,
    parent: optionalText,
    mime: mimeList,
    uri: optionalText,
    description: optionalText,
    issuer: optionalText,
  })
  .transform(
    (i): UploadedItem => ({
      kind: i.type === "dir" ? "FOLDER" : "FILE",
      name: i.name,
      id: i.id,
      size: i.size,
      date: i.date,
      parentId: i.parent,
      mimeTypes: i.mime,
      uri: i.uri,
      description: i.description,
      issuer: i.issuer,
    }),
  );

export interface FolderListing {
  directory: string | null;
  items: UploadedItem[];
}

const folderListing = z
  .object({ directory: optionalText, items: z.array(uploadedItem).nullish() })
  .transform((l): FolderListing => ({ directory: l.directory, items: l.items ?? [] }));

export interface IssuedItem {
  name: string;
  /** ISO 8601, when DigiLocker last modified the certificate. */
  date: string | null;
  /** Always a list: "application/pdf" and, when certificate data exists, "application/xml". */
  mimeTypes: string[];
  uri: string;
  docType: string | null;
  description: string | null;
  /** DigiLocker issuer id as in the URI (`in.gov.cbse`), not the meta APIs' numeric orgid. */
  issuerId: string | null;
  issuer: string | null;
}

const issuedItem = z
  .object({
    name: trimmed,
    date: optionalDateTime,
    mime: mimeList,
    uri: trimmed.pipe(z.string().min(1, "uri is empty")),
    doctype: optionalText,
    description: optionalText,
    issuerid: optionalText,
    issuer: optionalText,
  })
  .transform(
    (i): IssuedItem => ({
      name: i.name,
      date: i.date,
      mimeTypes: i.mime,
      uri: i.uri,
      docType: i.doctype,
      description: i.description,
      issuerId: i.issuerid,
      issuer: i.issuer,
    }),
  );

const issuedListing = z.object({ items: z.array(issuedItem).nullish() }).transform((l) => l.items ?? []);

export interface FileDownload {
  contentType: string;
  contentLength: number | null;
  /** Errors with FileIntegrityError at its end if the bytes do not match the `hmac` header. */
  body: Readable;
}

export interface VerifiedFile {
  contentType: string;
  data: Buffer;
}

export class FilesApi {
  constructor(
    private readonly transport: Transport,
    private readonly settings: ClientSettings,
  ) {}

  // Methods that validate input are async so a bad input rejects the promise rather than throwing synchronously.

  /** Lists a folder of self-uploaded documents; the root when `folderId` is omitted. */
  async listUploaded(accessToken: string, folderId?: string, options?: CallOptions): Promise<FolderListing> {
    const id = folderId === undefined ? "" : pathParam("files.uploaded", "folderId", folderId);
    const path = endpoints["files.uploaded"].path.replace("{id}", id);
    return await this.transport.json({ endpoint: "files.uploaded", path, ...bearer("files.uploaded", accessToken) }, folderListing, options);
  }

  /** Lists issued documents (the v2 route, which carries doctype and issuerid). */
  async listIssued(accessToken: string, options?: CallOptions): Promise<IssuedItem[]> {
    const path = endpoints["files.issued"].path;
    return await this.transport.json({ endpoint: "files.issued", path, ...bearer("files.issued", accessToken) }, issuedListing, options);
  }

  /** Streams an issued or uploaded file by URI, checking its HMAC as it flows. */
  async download(accessToken: string, uri: string, options?: CallOptions): Promise<FileDownload> {
    const res = await this.#open("files.file", accessToken, uri, options);
    const rawLength = res.headers["content-length"];
    const length = typeof rawLength === "string" && /^\d+$/.test(rawLength.trim()) ? Number(rawLength) : NaN;
    return {
      contentType: contentType(res.headers["content-type"]),
      contentLength: Number.isSafeInteger(length) ? length : null,
      body: verifiedStream(res, this.#verify("files.file")),
    };
  }

  /** The whole file by URI, returned only after its HMAC matched. */
  async downloadBuffer(accessToken: string, uri: string, options?: CallOptions): Promise<VerifiedFile> {
    const res = await this.#open("files.file", accessToken, uri, options);
    return { contentType: contentType(res.headers["content-type"]), data: await verifiedBuffer(res, this.#verify("files.file")) };
  }

  /** Certificate data of an issued document as XML (when its mime list has application/xml). */
  async certificateXml(accessToken: string, uri: string, options?: CallOptions): Promise<string> {
    const res = await this.#open("files.xml", accessToken, uri, options);
    return (await verifiedBuffer(res, this.#verify("files.xml"))).toString("utf8");
  }

  /** The account's e-Aadhaar XML (spec v2.3: version 3 of the route). */
  async eAadhaarXml(accessToken: string, options?: CallOptions): Promise<string> {
    const res = await this.transport.open(
      { endpoint: "files.eaadhaar", path: endpoints["files.eaadhaar"].path, ...bearer("files.eaadhaar", accessToken) },
      options,
    );
    return (await verifiedBuffer(res, this.#verify("files.eaadhaar"))).toString("utf8");
  }

  /** Uploads a JPG, PNG or PDF of at most 10 MB to `path` (folders and file name). Never retried. */
  async upload(accessToken: string, input: UploadInput, options?: CallOptions): Promise<UploadResult> {
    return await this.transport.json(uploadRequest(accessToken, input, this.settings.clientSecret), uploadResponse, options);
  }

  #open(endpoint: "files.file" | "files.xml", accessToken: string, uri: string, options?: CallOptions) {
    const path = endpoints[endpoint].path.replace("{uri}", pathParam(endpoint, "uri", uri));
    return this.transport.open({ endpoint, path, ...bearer(endpoint, accessToken) }, options);
  }

  #verify(endpoint: EndpointId) {
    return {
      endpoint,
      clientSecret: this.settings.clientSecret,
      requireHmac: this.settings.fileHmac === "require",
      maxBytes: this.settings.maxDownloadBytes,
    };
  }
}

function contentType(raw: string | string[] | undefined): string {
  const v = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return v === undefined || v === "" ? "application/octet-stream" : v;
}
