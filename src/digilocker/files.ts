// File APIs (spec: "File APIs"): folder and issued listings, downloads with HMAC checks, and upload.
import type { Readable } from "node:stream";
import { z } from "zod";
import { bearer } from "./bearer.js";
import { endpoints, type EndpointId } from "./endpoints.js";
import {
  COUNT_MESSAGE,
  countOrNull,
  ISO_TIMESTAMP_MESSAGE,
  itemListing,
  mimeTypes,
  rawCount,
  rawMime,
  rawText,
  textOrNull,
  type ItemFailure,
  type ItemListing,
  type TimestampMemo,
} from "./normalize.js";
import { pathParam } from "./path-param.js";
import type { CallOptions, ClientSettings } from "./settings.js";
import type { OpenResponse, Transport } from "./transport.js";
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

/** The shape of an uploaded item; `uploadedItemFrom` normalises it (normalize.ts, itemListing). */
const rawUploadedItem = z.object({
  name: z.string(),
  type: z.string(),
  id: rawText,
  size: rawCount,
  date: rawText,
  parent: rawText,
  mime: rawMime,
  uri: rawText,
  description: rawText,
  issuer: rawText,
});

type RawUploadedItem = z.output<typeof rawUploadedItem>;

function uploadedItemFrom(i: RawUploadedItem, fail: ItemFailure, timestamps: TimestampMemo): UploadedItem {
  const type = i.type.trim().toLowerCase();
  if (type !== "dir" && type !== "file") fail("type", 'expected "dir" or "file"');
  const size = countOrNull(i.size);
  if (size === undefined) fail("size", COUNT_MESSAGE);
  const date = timestamps.isoDateTime(i.date);
  if (date === undefined) fail("date", ISO_TIMESTAMP_MESSAGE);
  return {
    kind: type === "dir" ? "FOLDER" : "FILE",
    name: i.name.trim(),
    id: textOrNull(i.id),
    size: size ?? null,
    date: date ?? null,
    parentId: textOrNull(i.parent),
    mimeTypes: mimeTypes(i.mime),
    uri: textOrNull(i.uri),
    description: textOrNull(i.description),
    issuer: textOrNull(i.issuer),
  };
}

export interface FolderListing {
  directory: string | null;
  items: UploadedItem[];
}

const rawFolderListing = z.object({ directory: rawText, items: z.array(rawUploadedItem).nullish() });

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

/** The shape of an issued item; `issuedItemFrom` normalises it. */
const rawIssuedItem = z.object({
  name: z.string(),
  date: rawText,
  mime: rawMime,
  uri: z.string(),
  doctype: rawText,
  description: rawText,
  issuerid: rawText,
  issuer: rawText,
});

type RawIssuedItem = z.output<typeof rawIssuedItem>;

function issuedItemFrom(i: RawIssuedItem, fail: ItemFailure, timestamps: TimestampMemo): IssuedItem {
  const uri = i.uri.trim();
  if (uri === "") fail("uri", "uri is empty");
  const date = timestamps.isoDateTime(i.date);
  if (date === undefined) fail("date", ISO_TIMESTAMP_MESSAGE);
  return {
    name: i.name.trim(),
    date: date ?? null,
    mimeTypes: mimeTypes(i.mime),
    uri,
    docType: textOrNull(i.doctype),
    description: textOrNull(i.description),
    issuerId: textOrNull(i.issuerid),
    issuer: textOrNull(i.issuer),
  };
}

const rawIssuedListing = z.object({ items: z.array(rawIssuedItem).nullish() });

/**
 * The hot listings (normalize.ts, itemListing), their timestamps parsed through `timestamps`: one set per client,
 * with the client's memo. Exported for the test that holds each one's two paths to the same answers.
 */
export function listingParsers(timestamps: TimestampMemo): ListingParsers {
  return {
    issued: itemListing(
      rawIssuedListing,
      (item: RawIssuedItem, fail: ItemFailure) => issuedItemFrom(item, fail, timestamps),
      (_l, items) => items,
    ),
    folder: itemListing(
      rawFolderListing,
      (item: RawUploadedItem, fail: ItemFailure) => uploadedItemFrom(item, fail, timestamps),
      (l, items): FolderListing => ({ directory: textOrNull(l.directory), items }),
    ),
  };
}

export interface ListingParsers {
  issued: ItemListing<IssuedItem[]>;
  folder: ItemListing<FolderListing>;
}

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
  readonly #listings: ListingParsers;

  /** `timestamps`: the client's memo of parsed timestamps, which the listings share. */
  constructor(
    private readonly transport: Transport,
    private readonly settings: ClientSettings,
    timestamps: TimestampMemo,
  ) {
    this.#listings = listingParsers(timestamps);
  }

  // Methods that validate input are async so a bad input rejects the promise rather than throwing synchronously.

  /** Lists a folder of self-uploaded documents; the root when `folderId` is omitted. */
  async listUploaded(accessToken: string, folderId?: string, options?: CallOptions): Promise<FolderListing> {
    const id = folderId === undefined ? "" : pathParam("files.uploaded", "folderId", folderId);
    const path = endpoints["files.uploaded"].path.replace("{id}", id);
    const folder = this.#listings.folder;
    return await this.transport.json({ endpoint: "files.uploaded", path, ...bearer("files.uploaded", accessToken) }, folder.schema, options, folder.fast);
  }

  /** Lists issued documents (the v2 route, which carries doctype and issuerid). */
  async listIssued(accessToken: string, options?: CallOptions): Promise<IssuedItem[]> {
    const path = endpoints["files.issued"].path;
    const issued = this.#listings.issued;
    return await this.transport.json({ endpoint: "files.issued", path, ...bearer("files.issued", accessToken) }, issued.schema, options, issued.fast);
  }

  /** Streams an issued or uploaded file by URI, checking its HMAC as it flows. */
  async download(accessToken: string, uri: string, options?: CallOptions): Promise<FileDownload> {
    return this.#streamed("files.file", await this.#open("files.file", accessToken, uri, options));
  }

  /** Streams an issued document's certificate XML by URI, checking its HMAC as it flows (download links). */
  async downloadXml(accessToken: string, uri: string, options?: CallOptions): Promise<FileDownload> {
    return this.#streamed("files.xml", await this.#open("files.xml", accessToken, uri, options));
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

  #streamed(endpoint: "files.file" | "files.xml", res: OpenResponse): FileDownload {
    const rawLength = res.headers["content-length"];
    const length = typeof rawLength === "string" && /^\d+$/.test(rawLength.trim()) ? Number(rawLength) : NaN;
    return {
      contentType: contentType(res.headers["content-type"]),
      contentLength: Number.isSafeInteger(length) ? length : null,
      body: verifiedStream(res, this.#verify(endpoint)),
    };
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
