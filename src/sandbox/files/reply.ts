// File responses (spec: Get File from URI, Get Certificate Data in XML Format, Get e-Aadhaar Data): the
// bytes with Content-Type and an `hmac` header = base64 HMAC-SHA256 of the body keyed by the client secret.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Reply } from "../http.js";

export function fileHmac(secret: string, data: Buffer): string {
  return createHmac("sha256", secret).update(data).digest("base64");
}

/** Whether a base64 `hmac` sent with an upload matches the body, compared in constant time. */
export function hmacMatches(secret: string, data: Buffer, sent: string): boolean {
  const expected = createHmac("sha256", secret).update(data).digest();
  const given = Buffer.from(sent, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A 200 file answer; Content-Length is added by the server from the body. */
export function fileReply(data: Buffer, contentType: string, secret: string): Reply {
  return { status: 200, headers: { "content-type": contentType, hmac: fileHmac(secret, data) }, body: data };
}
