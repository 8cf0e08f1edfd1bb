// The sandbox's signing key: RS256 id_tokens and XML signatures on certificates and e-Aadhaar.
// A committed test key (keys/), so that seeded documents and their signatures are the same on every run.
// It says "NOT DigiLocker" in its subject; never trust it outside the sandbox.
import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";

export interface SandboxKeys {
  privateKey: KeyObject;
  privateKeyPem: string;
  certificatePem: string;
  /** JWK key id: SHA-256 thumbprint prefix of the certificate. */
  kid: string;
  jwks: { keys: Record<string, unknown>[] };
}

export function loadSandboxKeys(): SandboxKeys {
  const privateKeyPem = readFileSync(new URL("./keys/sandbox-key.pem", import.meta.url), "utf8");
  const certificatePem = readFileSync(new URL("./keys/sandbox-cert.pem", import.meta.url), "utf8");
  const cert = new X509Certificate(certificatePem);
  const kid = createHash("sha256").update(cert.raw).digest("hex").slice(0, 16);
  const jwk = createPublicKey(certificatePem).export({ format: "jwk" });
  return {
    privateKey: createPrivateKey(privateKeyPem),
    privateKeyPem,
    certificatePem,
    kid,
    jwks: { keys: [{ ...jwk, kid, use: "sig", alg: "RS256", x5c: [cert.raw.toString("base64")] }] },
  };
}
