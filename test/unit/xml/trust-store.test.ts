// The pinned certificates (src/xml/trust-store.ts): names, fingerprints and windows read from the
// certificate, several per PEM string, and a clear error for anything that is not an RSA certificate.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sandboxSigningCertificates } from "../../../src/sandbox/keys.js";
import { TrustStore } from "../../../src/xml/trust-store.js";

const fixture = (name: string) => new URL(`../../fixtures/xml/${name}`, import.meta.url);
const pem = (name: string) => readFileSync(fixture(name), "utf8");

const PRIMARY = "a618908564298b0e595d8b7f35693aa2b9db0152a0f9e02bbda8f43bd38e471c";
const ROTATED = "9ef6d5104ac501132fdddb5ce64c4588322f6f1b8be9775e961ddf0af3cca390";
const EXPIRED = "a3320b3c3e96a330f01226de73e3704edc2ad70ea713d0bc1f5f513d19f2ecaf";

describe("TrustStore.fromPems", () => {
  it("reads name (CN), SHA-256 fingerprint and validity window of each certificate", () => {
    const store = TrustStore.fromPems(sandboxSigningCertificates());
    expect(store.signers.map(({ name, fingerprint, notBefore, notAfter }) => ({ name, fingerprint, notBefore, notAfter }))).toEqual([
      {
        name: "DigiLocker Sandbox Signing Key",
        fingerprint: PRIMARY,
        notBefore: new Date("2026-11-24T04:48:16Z"),
        notAfter: new Date("2046-11-19T04:48:16Z"),
      },
      {
        name: "DigiLocker Sandbox Signing Key (rotated)",
        fingerprint: ROTATED,
        notBefore: new Date("2025-01-01T00:00:00Z"),
        notAfter: new Date("2045-01-01T00:00:00Z"),
      },
    ]);
    expect(store.signers[0]?.certificate.subject).toContain("NOT DigiLocker");
  });

  it("reads several certificates from one string and keeps the same certificate once", () => {
    const [primary, rotated] = sandboxSigningCertificates() as [string, string];
    const store = TrustStore.fromPems([`${primary}\n${rotated}`, primary]);
    expect(store.signers.map((s) => s.fingerprint)).toEqual([PRIMARY, ROTATED]);
  });

  it("finds a signer by fingerprint, in either case and with or without colons", () => {
    const store = TrustStore.fromPems(sandboxSigningCertificates());
    expect(store.byFingerprint(ROTATED)?.name).toBe("DigiLocker Sandbox Signing Key (rotated)");
    const colons = PRIMARY.toUpperCase().match(/../g)!.join(":");
    expect(store.byFingerprint(colons)?.fingerprint).toBe(PRIMARY);
    expect(store.has(PRIMARY)).toBe(true);
    expect(store.has(EXPIRED)).toBe(false);
    expect(store.byFingerprint(EXPIRED)).toBeUndefined();
  });

  it("merges two stores, without duplicates", () => {
    const sandbox = TrustStore.fromPems(sandboxSigningCertificates());
    const merged = sandbox.merge(TrustStore.fromPems([pem("expired-signer-cert.pem"), sandboxSigningCertificates()[0]!]));
    expect(merged.signers.map((s) => s.fingerprint)).toEqual([PRIMARY, ROTATED, EXPIRED]);
    expect(sandbox.signers).toHaveLength(2);
  });

  it("refuses what is not an RSA certificate of 2048 bits or more, naming the entry", () => {
    expect(() => TrustStore.fromPems(["hello"])).toThrow("trust store: entry 1 holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    expect(() => TrustStore.fromPems([sandboxSigningCertificates()[0]!, pem("attacker-key.pem")])).toThrow(
      "trust store: entry 2, PEM block 1 is a PRIVATE KEY, not a CERTIFICATE",
    );
    expect(() => TrustStore.fromPems(["-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"])).toThrow(
      "trust store: entry 1, PEM block 1 is not a readable X.509 certificate",
    );
    expect(() => TrustStore.fromPems([pem("ec-cert.pem")])).toThrow("trust store: entry 1, PEM block 1 has a ec key, not RSA");
    expect(() => TrustStore.fromPems([pem("rsa1024-cert.pem")])).toThrow("trust store: entry 1, PEM block 1 has a 1024-bit RSA key, shorter than 2048");
  });
});

describe("TrustStore.fromPemFiles", () => {
  it("reads certificates from files", () => {
    const store = TrustStore.fromPemFiles([fixture("expired-signer-cert.pem").pathname, fixture("attacker-cert.pem").pathname]);
    expect(store.signers.map((s) => s.name)).toEqual(["Expired Test Signer", "Attacker Test Signer"]);
  });

  it("names the file that is missing or wrong", () => {
    const missing = fixture("no-such-file.pem").pathname;
    expect(() => TrustStore.fromPemFiles([missing])).toThrow(`trust store: cannot read ${missing} (ENOENT)`);
    const key = fixture("expired-signer-key.pem").pathname;
    expect(() => TrustStore.fromPemFiles([key])).toThrow(`trust store: ${key}, PEM block 1 is a PRIVATE KEY, not a CERTIFICATE`);
  });
});
