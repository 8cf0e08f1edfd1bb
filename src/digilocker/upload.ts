// Upload File to DigiLocker: the spec's limits checked before any byte is sent.
import { z } from "zod";
import { bearer } from "./bearer.js";
import { endpoints } from "./endpoints.js";
import { parseInput } from "./input.js";
import { count, trimmed } from "./normalize.js";
import { fileHmac } from "./signing.js";
import type { OutgoingRequest } from "./transport.js";

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const uploadContentTypes = ["application/pdf", "image/jpeg", "image/jpg", "image/png"] as const;
/** Characters the spec forbids in a file name (`invalid_filename`); `/` separates folders in the path. */
const RESTRICTED = /[\\/:*?<>'^~]/;

/** Leading bytes of each allowed type, so a mislabelled file fails here, not as `mimetype_mismatch`. */
function sniff(data: Uint8Array): "application/pdf" | "image/png" | "image/jpeg" | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => data[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46)) return "application/pdf";
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  return null;
}

const uploadInput = z
  .object({
    /** Destination including the file name, e.g. `/Education/marksheet.pdf`; a leading `/` is added if missing. */
    path: z
      .string()
      .trim()
      .min(1, "path is required and must end with the file name")
      .regex(/^[\x20-\x7e]+$/, "path must be printable ASCII: it travels in an HTTP header")
      .transform((p) => (p.startsWith("/") ? p : `/${p}`)),
    contentType: z.enum(uploadContentTypes, {
      message: `contentType must be one of ${uploadContentTypes.join(", ")}`,
    }),
    data: z
      // custom, not instanceof: instanceof would type the input as Uint8Array<ArrayBuffer>, refusing at compile
      // time a value typed plain `Uint8Array` that the check accepts at run time.
      .custom<Uint8Array>((d) => d instanceof Uint8Array, { message: "data must be the file's bytes (a Buffer or Uint8Array)" })
      .refine((d) => d.byteLength > 0, "data is empty")
      .refine((d) => d.byteLength <= MAX_UPLOAD_BYTES, "the file exceeds DigiLocker's 10 MB limit"),
  })
  .superRefine((v, ctx) => {
    const name = v.path.slice(v.path.lastIndexOf("/") + 1);
    if (name === "" || name === "." || name === "..") {
      ctx.addIssue({ code: "custom", path: ["path"], message: "path must end with a file name" });
    } else if (RESTRICTED.test(name)) {
      ctx.addIssue({ code: "custom", path: ["path"], message: "the file name may not contain \\ / : * ? < > ' ^ ~" });
    }
    if (v.path.split("/").slice(1, -1).some((seg) => seg === "" || seg === "." || seg === "..")) {
      ctx.addIssue({ code: "custom", path: ["path"], message: "path has an empty, . or .. folder segment" });
    }
    const actual = sniff(v.data);
    const declared = v.contentType === "image/jpg" ? "image/jpeg" : v.contentType;
    if (actual !== declared) {
      ctx.addIssue({
        code: "custom",
        path: ["data"],
        message: actual === null ? "data is not a PDF, PNG or JPEG file" : `data is ${actual}, not ${v.contentType}`,
      });
    }
  });
export type UploadInput = z.input<typeof uploadInput>;

export interface UploadResult {
  path: string;
  size: number;
}

export const uploadResponse = z
  .object({ path: trimmed, size: count })
  .transform((r): UploadResult => ({ path: r.path, size: r.size }));

export function uploadRequest(accessToken: string, input: UploadInput, clientSecret: string): OutgoingRequest {
  const v = parseInput("files.upload", uploadInput, input);
  const auth = bearer("files.upload", accessToken, {
    "content-type": v.contentType,
    path: v.path,
    hmac: fileHmac(clientSecret, v.data),
  });
  return {
    endpoint: "files.upload",
    path: endpoints["files.upload"].path,
    build: () => ({ ...auth.build(), body: v.data }),
    secrets: auth.secrets,
  };
}
