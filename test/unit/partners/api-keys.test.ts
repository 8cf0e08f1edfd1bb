import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateApiKey, isKeyId, parseApiKey, secretMatches } from "../../../src/partners/api-keys.js";

const sha256 = (text: string) => createHash("sha256").update(text).digest();

describe("generateApiKey", () => {
  it("makes dlg_<12 base32>_<43 base64url>, the id and hash matching the key", () => {
    const { key, keyId, secretHash } = generateApiKey();
    expect(key).toMatch(/^dlg_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/);
    expect(key.length).toBe(60);
    expect(key.slice(4, 16)).toBe(keyId);
    expect(secretHash.equals(sha256(key.slice(17)))).toBe(true);
  });

  it("makes a different key each time", () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey().key));
    const ids = new Set([...keys].map((k) => k.slice(4, 16)));
    expect(keys.size).toBe(200);
    expect(ids.size).toBe(200);
  });
});

describe("parseApiKey", () => {
  it("gives back the id and secret of a generated key", () => {
    const { key, keyId } = generateApiKey();
    expect(parseApiKey(key)).toEqual({ keyId, secret: key.slice(17) });
  });

  it("reads a key whose secret holds the _ and - of base64url", () => {
    const key = "dlg_abcdefgh2345_ab_-CDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmno";
    expect(parseApiKey(key)).toEqual({ keyId: "abcdefgh2345", secret: "ab_-CDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmno" });
  });

  it.each([
    ["empty", ""],
    ["the prefix alone", "dlg_"],
    ["10 kB", `dlg_abcdefgh2345_${"A".repeat(10_000)}`],
    ["another prefix", "key_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["an upper-case prefix", "DLG_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["an id with 0, 1, 8 or 9", "dlg_abcdefgh2340_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["an upper-case id", "dlg_ABCDEFGH2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["a short secret", "dlg_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["base64 padding", "dlg_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="],
    ["standard base64 characters", "dlg_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+/"],
    ["spare bits set in the last character", "dlg_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB"],
    ["a space around it", " dlg_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["a line break inside", "dlg_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAA\nAAAAAAAAAAAAAAAAAAAAAAA"],
    ["SQL", "dlg_' OR '1'='1'; DROP TABLE partner_keys; --AAAAAAAAAAAAAAAAA"],
    ["non-ASCII", "dlg_abcdéfgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
  ])("refuses %s", (_, text) => {
    expect(parseApiKey(text)).toBeNull();
  });

  it("refuses what is not a string, without throwing", () => {
    expect(parseApiKey(undefined)).toBeNull();
    expect(parseApiKey(null)).toBeNull();
    expect(parseApiKey(42)).toBeNull();
    expect(parseApiKey({ toString: () => generateApiKey().key })).toBeNull();
  });
});

describe("secretMatches", () => {
  it("accepts the secret whose SHA-256 the hash is", () => {
    expect(secretMatches("correct horse", sha256("correct horse"))).toBe(true);
  });

  it("refuses another secret, and a hash of the wrong length", () => {
    expect(secretMatches("correct horse", sha256("correct hors"))).toBe(false);
    expect(secretMatches("correct horse", sha256("correct horse").subarray(0, 31))).toBe(false);
    expect(secretMatches("correct horse", Buffer.alloc(0))).toBe(false);
  });
});

describe("isKeyId", () => {
  it("accepts 12 lower-case base32 characters only", () => {
    expect(isKeyId("abcdefgh2345")).toBe(true);
    expect(isKeyId("abcdefgh234")).toBe(false);
    expect(isKeyId("abcdefgh23450")).toBe(false);
    expect(isKeyId("ABCDEFGH2345")).toBe(false);
  });
});
