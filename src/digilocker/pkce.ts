// Proof Key for Code Exchange (RFC 7636), the only method DigiLocker supports being S256.
import { createHash, randomBytes } from "node:crypto";

export interface PkcePair {
  verifier: string;
  challenge: string;
  method: "S256";
}

const UNRESERVED = /^[A-Za-z0-9\-._~]{43,128}$/;

/** base64url(SHA-256(verifier)) without padding. */
export function pkceChallenge(verifier: string): string {
  if (!UNRESERVED.test(verifier)) {
    throw new RangeError("A PKCE code_verifier is 43-128 characters of A-Z a-z 0-9 - . _ ~");
  }
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

/** A fresh verifier from `bytes` of CSPRNG output (32 bytes → 43 characters, 96 → 128) and its challenge. */
export function createPkcePair(bytes = 32): PkcePair {
  if (!Number.isInteger(bytes) || bytes < 32 || bytes > 96) {
    throw new RangeError("PKCE verifier entropy must be 32-96 bytes (43-128 characters)");
  }
  const verifier = randomBytes(bytes).toString("base64url");
  return { verifier, challenge: pkceChallenge(verifier), method: "S256" };
}
