// Sealing a partner's client secret: the bytes are what AES-256-GCM gives for the documented layout and AAD (computed
// here with node:crypto directly, not with the code under test), and they open only for that partner, with a key that
// is configured, unaltered.
import { createCipheriv } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CredentialSealer, SealedSecretUnreadable, SealingNotConfigured, sealedKeyId } from "../../../src/tenants/credential-sealing.js";

const KEY_A = Buffer.alloc(32, 0xa1);
const KEY_B = Buffer.alloc(32, 0xb2);
const IV = Buffer.from("000102030405060708090a0b", "hex");
const SECRET = "s3cr3t-Client-Key/with:odd=chars";
const PARTNER = "ptn_aaaaaaaaaaaa";

/** The documented layout, built by hand: 0x01, id length, id, IV, tag, ciphertext; AAD = label + partner id. */
function expectedBytes(keyId: string, key: Buffer, partnerId: string, secret: string): Buffer {
  const cipher = createCipheriv("aes-256-gcm", key, IV, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(`digilocker-graphql partner credentials v1\n${partnerId}`, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return Buffer.concat([Buffer.of(1, keyId.length), Buffer.from(keyId, "ascii"), IV, cipher.getAuthTag(), ciphertext]);
}

const fixedIv = { randomBytes: (n: number) => IV.subarray(0, n) };

describe("CredentialSealer", () => {
  it("seals with the first key into the documented layout, recording its id", () => {
    const sealer = new CredentialSealer([{ id: "k2025", key: KEY_A }, { id: "k2024", key: KEY_B }], fixedIv);
    const { sealed, keyId } = sealer.seal(PARTNER, SECRET);
    expect(keyId).toBe("k2025");
    expect(sealed.toString("hex")).toBe(expectedBytes("k2025", KEY_A, PARTNER, SECRET).toString("hex"));
    expect(sealedKeyId(sealed)).toBe("k2025");
    expect(sealed.includes(Buffer.from(SECRET))).toBe(false);
  });

  it("matches a fixed vector: key 32 × 0xa1, IV 00…0b, partner ptn_aaaaaaaaaaaa, secret \"abc\"", () => {
    // Computed once with node:crypto (createCipheriv("aes-256-gcm", …), setAAD(label + partner id)), kept literal so
    // a change of layout or AAD shows here: 01 | 02 | "k1" | IV | tag | ciphertext.
    const vector = "01026b31" + "000102030405060708090a0b" + "fde2026173e1dbb23bc8a4504b8593d4" + "cd496a";
    const sealer = new CredentialSealer([{ id: "k1", key: KEY_A }], fixedIv);
    expect(sealer.seal(PARTNER, "abc").sealed.toString("hex")).toBe(vector);
    expect(sealer.open(PARTNER, Buffer.from(vector, "hex"))).toBe("abc");
  });

  it("uses a fresh IV for every seal: the same secret seals differently each time, and both open", () => {
    const sealer = new CredentialSealer([{ id: "k1", key: KEY_A }]);
    const one = sealer.seal(PARTNER, SECRET).sealed;
    const two = sealer.seal(PARTNER, SECRET).sealed;
    expect(one.equals(two)).toBe(false);
    expect(sealer.open(PARTNER, one)).toBe(SECRET);
    expect(sealer.open(PARTNER, two)).toBe(SECRET);
  });

  it("round-trips secrets of any characters", () => {
    const sealer = new CredentialSealer([{ id: "k1", key: KEY_A }]);
    for (const secret of ["x", "ünïcødé ✓ 🔑", "a".repeat(256)]) expect(sealer.open(PARTNER, sealer.seal(PARTNER, secret).sealed)).toBe(secret);
  });

  it("does not open for another partner: a sealed secret copied to another row is refused", () => {
    const sealer = new CredentialSealer([{ id: "k1", key: KEY_A }]);
    const { sealed } = sealer.seal(PARTNER, SECRET);
    expect(() => sealer.open("ptn_bbbbbbbbbbbb", sealed)).toThrow(SealedSecretUnreadable);
    expect(() => sealer.open("ptn_bbbbbbbbbbbb", sealed)).toThrow(/does not open with the key "k1"/);
  });

  it.each([
    ["the first ciphertext byte", (b: Buffer) => b.length - 1],
    ["the tag", () => 2 + 2 + 12],
    ["the IV", () => 2 + 2],
  ])("refuses bytes altered in %s", (_what, position) => {
    const sealer = new CredentialSealer([{ id: "k1", key: KEY_A }]);
    const sealed = Buffer.from(sealer.seal(PARTNER, SECRET).sealed);
    const at = position(sealed);
    sealed[at] = (sealed[at] ?? 0) ^ 0x01;
    expect(() => sealer.open(PARTNER, sealed)).toThrow(SealedSecretUnreadable);
  });

  it("refuses a key id that now names another key", () => {
    const sealed = new CredentialSealer([{ id: "k1", key: KEY_A }]).seal(PARTNER, SECRET).sealed;
    const other = new CredentialSealer([{ id: "k1", key: KEY_B }]);
    expect(() => other.open(PARTNER, sealed)).toThrow(expect.objectContaining({ reason: "does-not-open", keyId: "k1" }) as Error);
  });

  it("says which key is missing when the one that sealed is no longer configured", () => {
    const sealed = new CredentialSealer([{ id: "old", key: KEY_A }]).seal(PARTNER, SECRET).sealed;
    const sealer = new CredentialSealer([{ id: "new", key: KEY_B }]);
    expect(() => sealer.open(PARTNER, sealed)).toThrow(expect.objectContaining({ reason: "unknown-key", keyId: "old" }) as Error);
    expect(() => sealer.open(PARTNER, sealed)).toThrow(/sealed with the key "old", which CREDENTIALS_ENCRYPTION_KEYS no longer holds/);
  });

  it("rotates: after a new first key, old seals still open and are reported stale; new seals use the new key", () => {
    const before = new CredentialSealer([{ id: "k1", key: KEY_A }]);
    const old = before.seal(PARTNER, SECRET);
    const after = new CredentialSealer([{ id: "k2", key: KEY_B }, { id: "k1", key: KEY_A }]);
    expect(after.open(PARTNER, old.sealed)).toBe(SECRET);
    expect(after.isStale(old.keyId)).toBe(true);
    const fresh = after.seal(PARTNER, SECRET);
    expect(fresh.keyId).toBe("k2");
    expect(after.isStale(fresh.keyId)).toBe(false);
    expect(() => before.open(PARTNER, fresh.sealed)).toThrow(/no longer holds/);
  });

  it.each([
    ["empty", Buffer.alloc(0)],
    ["another format byte", Buffer.concat([Buffer.of(2, 2), Buffer.from("k1"), Buffer.alloc(40)])],
    ["too short for IV and tag", Buffer.concat([Buffer.of(1, 2), Buffer.from("k1"), Buffer.alloc(20)])],
    ["a key id that is not one", Buffer.concat([Buffer.of(1, 2), Buffer.from("k\n"), Buffer.alloc(40)])],
  ])("refuses malformed bytes: %s", (_what, bytes) => {
    const sealer = new CredentialSealer([{ id: "k1", key: KEY_A }]);
    expect(() => sealer.open(PARTNER, bytes)).toThrow(expect.objectContaining({ reason: "malformed" }) as Error);
    expect(sealedKeyId(bytes)).toBeNull();
  });

  it("without keys, refuses to seal and says to set CREDENTIALS_ENCRYPTION_KEYS", () => {
    const sealer = new CredentialSealer([]);
    expect(sealer.configured).toBe(false);
    expect(sealer.currentKeyId).toBeNull();
    expect(() => sealer.seal(PARTNER, SECRET)).toThrow(SealingNotConfigured);
    expect(() => sealer.seal(PARTNER, SECRET)).toThrow(/CREDENTIALS_ENCRYPTION_KEYS/);
  });

  it.each([
    [[{ id: "k 1", key: KEY_A }], /key id/],
    [[{ id: "k1", key: Buffer.alloc(16) }], /32 bytes/],
    [[{ id: "k1", key: KEY_A }, { id: "k1", key: KEY_B }], /twice/],
  ])("refuses unusable keys %#", (keys, message) => {
    expect(() => new CredentialSealer(keys)).toThrow(message);
  });

  it("never puts the secret in an error", () => {
    const sealer = new CredentialSealer([{ id: "k1", key: KEY_A }]);
    const sealed = sealer.seal(PARTNER, SECRET).sealed;
    for (const attempt of [() => sealer.open("ptn_other", sealed), () => new CredentialSealer([{ id: "k9", key: KEY_B }]).open(PARTNER, sealed)]) {
      try {
        attempt();
        expect.unreachable();
      } catch (error) {
        expect(String(error)).not.toContain(SECRET);
        expect(JSON.stringify(error)).not.toContain(SECRET);
      }
    }
  });
});
