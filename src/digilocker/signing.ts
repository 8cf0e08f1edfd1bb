// The two integrity recipes of the spec, which are easy to confuse:
// - meta APIs: `hmac` = SHA-256 hex of a plain concatenation starting with the client secret (a hash, not an HMAC);
// - file APIs: `hmac` = base64 HMAC-SHA256 of the bytes, keyed by the client secret.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** SHA-256 hex (lower case) of secret + parts, in the order the endpoint's parenthesised list gives. */
export function metaHash(clientSecret: string, parts: readonly string[]): string {
  const hash = createHash("sha256");
  hash.update(clientSecret, "utf8");
  for (const part of parts) hash.update(part, "utf8");
  return hash.digest("hex");
}

/** Base64 HMAC-SHA256 of a whole body (upload's `hmac` header). */
export function fileHmac(clientSecret: string, data: Uint8Array): string {
  return createHmac("sha256", clientSecret).update(data).digest("base64");
}

/** An incremental HMAC for streamed downloads; `matches` compares in constant time. */
export function fileHmacVerifier(clientSecret: string) {
  const mac = createHmac("sha256", clientSecret);
  return {
    update(chunk: Uint8Array): void {
      mac.update(chunk);
    },
    matches(expectedBase64: string): boolean {
      const actual = mac.digest();
      const expected = Buffer.from(expectedBase64.trim(), "base64");
      return expected.length === actual.length && timingSafeEqual(expected, actual);
    },
  };
}
