// Upload File to DigiLocker: the request checks that need no state, in the order the sandbox answers
// them (spec: Upload File, ERRORS). The folder lookup (invalid_path) is the route's, as it needs the tree.
import type { UploadErrorCode } from "../errors.js";
import { hmacMatches } from "./reply.js";

/** Spec: "The file size must not exceed 10MB", read as 10 × 1024 × 1024 bytes (docs/spec-assumptions.md #11). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Spec, Content-Type header: "image/jpg, image/jpeg, image/png, application/pdf". */
export const UPLOAD_TYPES = ["image/jpg", "image/jpeg", "image/png", "application/pdf"] as const;
type UploadType = (typeof UPLOAD_TYPES)[number];
/** Spec, invalid_filename: "\ / : * ? < > ' ^ and ~"; `/` separates folders, so it never reaches a name. */
const RESTRICTED = /[\\:*?<>'^~]/;

export interface UploadRequest {
  path: string | undefined;
  contentType: string | undefined;
  hmac: string | undefined;
  body: Buffer;
  /** The body passed the server's read limit and was dropped. */
  oversized: boolean;
}

export interface AcceptedUpload {
  /** Folder names below the root, outermost first. */
  folders: string[];
  name: string;
  /** The path as answered: always starting with "/". */
  path: string;
  mime: UploadType;
}

export function checkUpload(req: UploadRequest, clientSecret: string): AcceptedUpload | { error: UploadErrorCode } {
  if (req.path === undefined) return { error: "path_missing" };
  if (req.contentType === undefined) return { error: "contenttype_missing" };
  if (req.hmac === undefined) return { error: "hmac_missing" };
  // A relative path is read from the root, like the client's leading "/" (docs/spec-assumptions.md #11).
  const path = req.path.startsWith("/") ? req.path : `/${req.path}`;
  const segments = path.split("/").slice(1);
  const name = segments.pop() ?? "";
  if (name === "" || name === "." || name === "..") return { error: "filename_missing" };
  if (RESTRICTED.test(name)) return { error: "invalid_filename" };
  const mime = (req.contentType.split(";")[0] ?? "").trim().toLowerCase();
  if (!isUploadType(mime)) return { error: "invalid_filetype" };
  if (req.body.length === 0 && !req.oversized) return { error: "file_data_missing" };
  if (req.oversized || req.body.length > MAX_UPLOAD_BYTES) return { error: "invalid_filesize" };
  if (!hmacMatches(clientSecret, req.body, req.hmac)) return { error: "hmac_mismatch" };
  if (sniff(req.body) !== (mime === "image/jpg" ? "image/jpeg" : mime)) return { error: "mimetype_mismatch" };
  return { folders: segments, name, path, mime };
}

function isUploadType(mime: string): mime is UploadType {
  return (UPLOAD_TYPES as readonly string[]).includes(mime);
}

/** The type the leading bytes announce: %PDF, the PNG signature, or a JPEG SOI marker. */
export function sniff(data: Buffer): "application/pdf" | "image/png" | "image/jpeg" | null {
  if (data.subarray(0, 4).toString("latin1") === "%PDF") return "application/pdf";
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
  if (data.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) return "image/jpeg";
  return null;
}
