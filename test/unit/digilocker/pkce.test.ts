import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createPkcePair, pkceChallenge } from "../../../src/digilocker/index.js";

const vectors = JSON.parse(readFileSync(new URL("../../fixtures/vectors.json", import.meta.url), "utf8")) as {
  pkce: { verifier: string; challenge: string; expected: string };
};

const UNRESERVED = /^[A-Za-z0-9\-._~]+$/;
const BASE64URL_SHA256 = /^[A-Za-z0-9_-]{43}$/;

describe("pkceChallenge", () => {
  it("matches RFC 7636 Appendix B", () => {
    expect(pkceChallenge(vectors.pkce.verifier)).toBe(vectors.pkce.challenge);
    expect(vectors.pkce.challenge).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });

  it("accepts every unreserved character and both length bounds (vectors computed with openssl)", () => {
    // printf '%s' 'abcdefghijklmnopqrstuvwxyz0123456789.-_~ABC' | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '='
    expect(pkceChallenge("abcdefghijklmnopqrstuvwxyz0123456789.-_~ABC")).toBe("aN2hevICqfy-2LMYHTaRgi47MNXkDs83y-SeCfcmC2c");
    // 64 × "A" then 64 × "~" (128 characters), same pipeline.
    expect(pkceChallenge("A".repeat(64) + "~".repeat(64))).toBe("njsZQz43MYBYoXh7q8NGrRWUmkeeHqgvM57pfYowclU");
  });

  it.each([
    ["42 characters", "a".repeat(42)],
    ["129 characters", "a".repeat(129)],
    ["empty", ""],
    ["a '+' (base64, not base64url)", "+".padEnd(43, "a")],
    ["a '/'", "/".padEnd(43, "a")],
    ["padding '='", "=".padEnd(43, "a")],
    ["a space", " ".padEnd(43, "a")],
    ["a non-ASCII letter", "é".padEnd(43, "a")],
  ])("rejects a verifier with %s", (_label, verifier) => {
    expect(() => pkceChallenge(verifier)).toThrow(RangeError);
    expect(() => pkceChallenge(verifier)).toThrow("43-128 characters");
  });
});

describe("createPkcePair", () => {
  it("makes a 43-character verifier from 32 bytes by default, with its S256 challenge", () => {
    const pair = createPkcePair();
    expect(pair.verifier).toHaveLength(43);
    expect(pair.verifier).toMatch(UNRESERVED);
    expect(pair.method).toBe("S256");
    expect(pair.challenge).toMatch(BASE64URL_SHA256);
    expect(pair.challenge).toBe(pkceChallenge(pair.verifier));
    expect(Object.keys(pair).sort()).toEqual(["challenge", "method", "verifier"]);
  });

  it("makes a 128-character verifier from 96 bytes (the spec's maximum)", () => {
    const pair = createPkcePair(96);
    expect(pair.verifier).toHaveLength(128);
    expect(pair.verifier).toMatch(UNRESERVED);
    expect(pair.challenge).toBe(pkceChallenge(pair.verifier));
  });

  it("makes an 86-character verifier from 64 bytes", () => {
    expect(createPkcePair(64).verifier).toHaveLength(86);
  });

  it("never repeats a verifier or challenge", () => {
    const a = createPkcePair();
    const b = createPkcePair();
    expect(a.verifier).not.toBe(b.verifier);
    expect(a.challenge).not.toBe(b.challenge);
  });

  it.each([31, 97, 0, -32, 32.5, Number.NaN, Number.POSITIVE_INFINITY])("rejects %s bytes of entropy", (bytes) => {
    expect(() => createPkcePair(bytes)).toThrow(RangeError);
    expect(() => createPkcePair(bytes)).toThrow("PKCE verifier entropy must be 32-96 bytes");
  });
});
