// The sandbox's signing keys: RS256 id_tokens and XML signatures on certificates and e-Aadhaar.
// Committed test keys (keys/), so that seeded documents and their signatures are the same on every run.
// Both say "NOT DigiLocker" in their subject; never trust them outside the sandbox.
//  - primary (sandbox-key.pem, sandbox-cert.pem, valid 2026-11-24 to 2046-11-19): id_tokens, and XML by default;
//  - rotated (sandbox-rotated-key.pem, sandbox-rotated-cert.pem, valid 2025-01-01 to 2045-01-01): XML when
//    settings.xmlSignature.certificate is "rotated", so a client can rehearse DigiLocker changing its signer.
import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { XmlSigner } from "./seed/xml.js";
import type { SandboxSettings } from "./settings.js";

export type XmlSignatureSettings = SandboxSettings["xmlSignature"];

/** What certificate and e-Aadhaar XML are signed with. */
export interface XmlSigningKey {
  /** Which committed certificate. */
  certificate: XmlSignatureSettings["certificate"];
  /** rsa-sha256, or rsa-sha1 (SignedInfo signed with SHA-1, the profile reported for production DigiLocker); the digest is SHA-256 in both. */
  profile: XmlSignatureSettings["profile"];
  privateKey: KeyObject;
  certificatePem: string;
  /** SHA-256 of the certificate's DER, lowercase hex. */
  fingerprint: string;
}

export interface SandboxKeys {
  privateKey: KeyObject;
  privateKeyPem: string;
  certificatePem: string;
  /** JWK key id: SHA-256 thumbprint prefix of the certificate. */
  kid: string;
  jwks: { keys: Record<string, unknown>[] };
  /** The XML signing key and profile (settings.xmlSignature); the primary key in rsa-sha256 by default. */
  xml: XmlSigningKey;
  /** Signs with `xml`, keeping what it signed (seed/xml.ts): one per loadSandboxKeys, so one per sandbox. */
  xmlSigner: XmlSigner;
}

const FILES = {
  primary: { key: "./keys/sandbox-key.pem", cert: "./keys/sandbox-cert.pem" },
  rotated: { key: "./keys/sandbox-rotated-key.pem", cert: "./keys/sandbox-rotated-cert.pem" },
} as const;

function readKeyFile(path: string): string {
  return readFileSync(new URL(path, import.meta.url), "utf8");
}

/** The PEM certificates the sandbox signs XML with (primary, rotated): what a gateway pointed at it trusts. */
export function sandboxSigningCertificates(): string[] {
  return [readKeyFile(FILES.primary.cert), readKeyFile(FILES.rotated.cert)];
}

function xmlSigningKey(settings: XmlSignatureSettings): XmlSigningKey {
  const files = FILES[settings.certificate];
  const certificatePem = readKeyFile(files.cert);
  return {
    certificate: settings.certificate,
    profile: settings.profile,
    privateKey: createPrivateKey(readKeyFile(files.key)),
    certificatePem,
    fingerprint: createHash("sha256").update(new X509Certificate(certificatePem).raw).digest("hex"),
  };
}

export function loadSandboxKeys(xmlSignature: XmlSignatureSettings = { profile: "rsa-sha256", certificate: "primary" }): SandboxKeys {
  const privateKeyPem = readKeyFile(FILES.primary.key);
  const certificatePem = readKeyFile(FILES.primary.cert);
  const cert = new X509Certificate(certificatePem);
  const kid = createHash("sha256").update(cert.raw).digest("hex").slice(0, 16);
  const jwk = createPublicKey(certificatePem).export({ format: "jwk" });
  const xml = xmlSigningKey(xmlSignature);
  return {
    privateKey: createPrivateKey(privateKeyPem),
    privateKeyPem,
    certificatePem,
    kid,
    jwks: { keys: [{ ...jwk, kid, use: "sig", alg: "RS256", x5c: [cert.raw.toString("base64")] }] },
    xml,
    xmlSigner: new XmlSigner(xml),
  };
}
