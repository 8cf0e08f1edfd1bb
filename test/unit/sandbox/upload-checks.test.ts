// The sandbox's upload checks in isolation: their order when several fail at once, and the sniffing.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkUpload, MAX_UPLOAD_BYTES, sniff, type UploadRequest } from "../../../src/sandbox/files/upload-checks.js";

const SECRET = "unit-secret";
const PDF = Buffer.from("%PDF-1.7\n%%EOF\n");
const hmac = (data: Buffer) => createHmac("sha256", SECRET).update(data).digest("base64");
const base = (over: Partial<UploadRequest> = {}): UploadRequest => ({
  path: "/Folder/a.pdf",
  contentType: "application/pdf",
  hmac: hmac(PDF),
  body: PDF,
  oversized: false,
  ...over,
});
const code = (req: UploadRequest) => {
  const r = checkUpload(req, SECRET);
  return "error" in r ? r.error : "ok";
};

describe("sandbox checkUpload", () => {
  it("accepts a good upload and splits its path into folders and name", () => {
    expect(checkUpload(base(), SECRET)).toEqual({ folders: ["Folder"], name: "a.pdf", path: "/Folder/a.pdf", mime: "application/pdf" });
    expect(checkUpload(base({ path: "a.pdf", contentType: "Application/PDF; charset=binary" }), SECRET)).toEqual({
      folders: [],
      name: "a.pdf",
      path: "/a.pdf",
      mime: "application/pdf",
    });
  });

  it("reports the first failing check when several fail", () => {
    const everythingWrong = { path: undefined, contentType: undefined, hmac: undefined, body: Buffer.alloc(0) };
    expect(code(base(everythingWrong))).toBe("path_missing");
    expect(code(base({ ...everythingWrong, path: "/" }))).toBe("contenttype_missing");
    expect(code(base({ ...everythingWrong, path: "/", contentType: "text/plain" }))).toBe("hmac_missing");
    expect(code(base({ path: "/x/", contentType: "text/plain", hmac: "x", body: Buffer.alloc(0) }))).toBe("filename_missing");
    expect(code(base({ path: "/x/a~b", contentType: "text/plain", hmac: "x", body: Buffer.alloc(0) }))).toBe("invalid_filename");
    expect(code(base({ contentType: "text/plain", hmac: "x", body: Buffer.alloc(0) }))).toBe("invalid_filetype");
    expect(code(base({ hmac: "x", body: Buffer.alloc(0) }))).toBe("file_data_missing");
    expect(code(base({ hmac: "x", body: Buffer.alloc(0), oversized: true }))).toBe("invalid_filesize");
    expect(code(base({ hmac: "x", body: Buffer.alloc(MAX_UPLOAD_BYTES + 1) }))).toBe("invalid_filesize");
    expect(code(base({ hmac: "x", contentType: "image/png" }))).toBe("hmac_mismatch");
    expect(code(base({ contentType: "image/png" }))).toBe("mimetype_mismatch");
  });

  it("sniffs PDF, PNG and JPEG by their leading bytes only", () => {
    expect(sniff(PDF)).toBe("application/pdf");
    expect(sniff(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe("image/png");
    expect(sniff(Buffer.from([0xff, 0xd8, 0xff, 0xdb]))).toBe("image/jpeg");
    expect(sniff(Buffer.from("GIF89a"))).toBeNull();
    expect(sniff(Buffer.alloc(0))).toBeNull();
  });

  it("treats image/jpg as JPEG", () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2]);
    expect(checkUpload(base({ contentType: "image/jpg", body: jpeg, hmac: hmac(jpeg), path: "/p.jpg" }), SECRET)).toMatchObject({ mime: "image/jpg" });
  });
});
