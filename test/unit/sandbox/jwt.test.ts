// RS256 id_token signing: the signature verifies against the published JWK, the header names the key.
import { createPublicKey, verify, type JsonWebKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeJwt, signJwt } from "../../../src/sandbox/jwt.js";
import { loadSandboxKeys } from "../../../src/sandbox/keys.js";

const keys = loadSandboxKeys();
const jwk = keys.jwks.keys[0] as JsonWebKey;

describe("signJwt", () => {
  const token = signJwt({ sub: "123e4567-e89b-12d3-a456-426655440000", name: "Ajit Kumar", iat: 1_700_000_000 }, keys);

  it("is three base64url parts without padding", () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it("has the sample's header: typ JWT, alg RS256 and the JWKS kid", () => {
    const header: unknown = JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString("utf8"));
    expect(header).toEqual({ typ: "JWT", alg: "RS256", kid: keys.kid });
    expect(jwk.kid).toBe(keys.kid);
  });

  it("verifies with the public key from the JWKS", () => {
    const [h, p, s] = token.split(".") as [string, string, string];
    const key = createPublicKey({ key: jwk, format: "jwk" });
    expect(verify("sha256", Buffer.from(`${h}.${p}`), key, Buffer.from(s, "base64url"))).toBe(true);
    expect(verify("sha256", Buffer.from(`${h}.${p}x`), key, Buffer.from(s, "base64url"))).toBe(false);
  });

  it("keeps non-ASCII claims intact", () => {
    const decoded = decodeJwt(signJwt({ name: "अजित कुमार" }, keys));
    expect(decoded.payload).toEqual({ name: "अजित कुमार" });
  });
});

describe("decodeJwt", () => {
  it("returns the header, claims, signed part and signature", () => {
    const token = signJwt({ aud: "SANDBOX1" }, keys);
    const decoded = decodeJwt(token);
    expect(decoded.header.kid).toBe(keys.kid);
    expect(decoded.payload).toEqual({ aud: "SANDBOX1" });
    expect(decoded.signingInput).toBe(token.split(".").slice(0, 2).join("."));
    expect(decoded.signature.length).toBe(256);
  });

  it.each([["a.b"], ["a.b.c.d"], ["a+b.c.d"], [""]])("refuses %j", (token) => {
    expect(() => decodeJwt(token)).toThrow(/compact JWT/);
  });

  it("refuses parts that are not JSON objects", () => {
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    expect(() => decodeJwt(`${part([1])}.${part({})}.`)).toThrow(/header is not a JSON object/);
  });
});
