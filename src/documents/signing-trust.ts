// Which certificates XML signatures are trusted from: the PEM files an operator names (XML_TRUSTED_CERTIFICATES),
// plus the bundled sandbox's own certificates only while the gateway runs the embedded sandbox. Their private keys
// are committed to this repository, so anywhere else they would let anyone forge a VALID document.
import { TrustStore } from "../xml/trust-store.js";

export class SandboxCertificateTrustedError extends Error {
  override name = "SandboxCertificateTrustedError";
}

/**
 * The trust store for a gateway. `sandboxCertificates`: the PEMs of the sandbox's signing certificates, always
 * given so they can be recognised; `embeddedSandbox`: whether this gateway runs (and so trusts) that sandbox.
 * Throws SandboxCertificateTrustedError when the configured files hold a sandbox certificate outside the sandbox.
 */
export function signingTrust(options: { configuredFiles: readonly string[]; sandboxCertificates: readonly string[]; embeddedSandbox: boolean }): TrustStore {
  const configured = TrustStore.fromPemFiles(options.configuredFiles);
  const sandbox = TrustStore.fromPems(options.sandboxCertificates);
  if (options.embeddedSandbox) return configured.merge(sandbox);
  const leaked = configured.signers.find((signer) => sandbox.has(signer.fingerprint));
  if (leaked !== undefined) {
    throw new SandboxCertificateTrustedError(
      `XML_TRUSTED_CERTIFICATES includes the bundled sandbox's signing certificate "${leaked.name}" (SHA-256 ${leaked.fingerprint}), whose private key is public in this repository: remove it. It is trusted only while the gateway runs the embedded sandbox.`,
    );
  }
  return configured;
}
