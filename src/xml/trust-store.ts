// The certificates whose XML signatures the gateway believes: DigiLocker's document signer, UIDAI's e-KYC
// signer, the sandbox's. Pinned by the SHA-256 of their DER, so a document is trusted only when it verifies
// with one of these exact certificates, never because of what its own KeyInfo says.
import { createHash, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";

export interface TrustedSigner {
  /** The subject's CN, else the whole subject ("C=IN, O=…"). */
  name: string;
  /** SHA-256 of the certificate's DER, lowercase hex without colons. */
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
  certificate: X509Certificate;
}

/** Shorter RSA keys are refused: DigiLocker and UIDAI sign with 2048-bit keys. */
const MIN_RSA_BITS = 2048;

/** SHA-256 of the certificate's DER, lowercase hex. */
export function certificateFingerprint(certificate: X509Certificate): string {
  return createHash("sha256").update(certificate.raw).digest("hex");
}

/** Name, fingerprint and validity window of a certificate; throws when its dates cannot be read. */
export function describeCertificate(certificate: X509Certificate): TrustedSigner {
  const notBefore = new Date(certificate.validFrom);
  const notAfter = new Date(certificate.validTo);
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) throw new Error("validity dates cannot be read");
  const cn = /^CN=(.+)$/m.exec(certificate.subject)?.[1];
  return { name: cn ?? certificate.subject.split("\n").join(", "), fingerprint: certificateFingerprint(certificate), notBefore, notAfter, certificate };
}

/** Accepts "AB:CD:…" as well as "abcd…". */
function normalizeFingerprint(fingerprint: string): string {
  return fingerprint.replace(/:/g, "").toLowerCase();
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Every certificate in one string of PEM text; `label` names the string in errors ("entry 2", a file path). */
function parsePem(pem: string, label: string): TrustedSigner[] {
  const signers: TrustedSigner[] = [];
  let count = 0;
  for (const [block, type] of pem.matchAll(PEM_BLOCK)) {
    count += 1;
    const which = `${label}, PEM block ${count}`;
    if (type !== "CERTIFICATE") throw new Error(`trust store: ${which} is a ${type ?? "?"}, not a CERTIFICATE`);
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(block);
    } catch (error) {
      throw new Error(`trust store: ${which} is not a readable X.509 certificate`, { cause: error });
    }
    const key = certificate.publicKey;
    if (key.asymmetricKeyType !== "rsa") throw new Error(`trust store: ${which} has a ${key.asymmetricKeyType ?? "unknown"} key, not RSA`);
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) throw new Error(`trust store: ${which} has a ${bits}-bit RSA key, shorter than ${MIN_RSA_BITS}`);
    try {
      signers.push(describeCertificate(certificate));
    } catch (error) {
      throw new Error(`trust store: ${which}: ${error instanceof Error ? error.message : "unreadable"}`, { cause: error });
    }
  }
  if (count === 0) throw new Error(`trust store: ${label} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return signers;
}

export class TrustStore {
  readonly signers: readonly TrustedSigner[];
  readonly #byFingerprint: ReadonlyMap<string, TrustedSigner>;

  private constructor(signers: readonly TrustedSigner[]) {
    const unique = new Map<string, TrustedSigner>();
    for (const signer of signers) if (!unique.has(signer.fingerprint)) unique.set(signer.fingerprint, signer);
    this.#byFingerprint = unique;
    this.signers = Object.freeze([...unique.values()]);
  }

  /** Each string may hold several PEM certificates; the same certificate twice is kept once. Throws on anything else. */
  static fromPems(pems: readonly string[]): TrustStore {
    return new TrustStore(pems.flatMap((pem, i) => parsePem(pem, `entry ${i + 1}`)));
  }

  /** Reads PEM files; an error names the file. */
  static fromPemFiles(paths: readonly string[]): TrustStore {
    return new TrustStore(
      paths.flatMap((path) => {
        let pem: string;
        try {
          pem = readFileSync(path, "utf8");
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
          throw new Error(`trust store: cannot read ${path} (${code})`, { cause: error });
        }
        return parsePem(pem, path);
      }),
    );
  }

  byFingerprint(fingerprint: string): TrustedSigner | undefined {
    return this.#byFingerprint.get(normalizeFingerprint(fingerprint));
  }

  has(fingerprint: string): boolean {
    return this.#byFingerprint.has(normalizeFingerprint(fingerprint));
  }

  /** Both stores' signers, this one's first. */
  merge(other: TrustStore): TrustStore {
    return new TrustStore([...this.signers, ...other.signers]);
  }
}
