// RS256 JSON Web Tokens (RFC 7515/7519) with node:crypto: the id_token of Get Access Token (openid connect
// protocol). No dependency: signing is a few lines, and the sandbox must stay independent of the client.
import { sign } from "node:crypto";
import type { SandboxKeys } from "./keys.js";

export type JwtClaims = Record<string, unknown>;

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: JwtClaims;
  /** The signed part, `header.payload`, as sent. */
  signingInput: string;
  signature: Buffer;
}

function encodePart(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

/** A compact JWS: header `{typ: "JWT", alg: "RS256", kid}` as the spec's sample id_token has it. */
export function signJwt(claims: JwtClaims, keys: Pick<SandboxKeys, "privateKey" | "kid">): string {
  const signingInput = `${encodePart({ typ: "JWT", alg: "RS256", kid: keys.kid })}.${encodePart(claims)}`;
  const signature = sign("sha256", Buffer.from(signingInput, "ascii"), keys.privateKey);
  return `${signingInput}.${signature.toString("base64url")}`;
}

/** Splits and parses a compact JWT without checking its signature (the token page shows the claims). */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) {
    throw new Error("Not a compact JWT: three base64url parts separated by dots");
  }
  const [header, payload, signature] = parts as [string, string, string];
  return {
    header: parseObject(header, "header"),
    payload: parseObject(payload, "payload"),
    signingInput: `${header}.${payload}`,
    signature: Buffer.from(signature, "base64url"),
  };
}

function parseObject(part: string, what: string): Record<string, unknown> {
  const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`JWT ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}
