// A partner's DigiLocker client secret at rest (docs/tenants.md): AES-256-GCM under one of the keys of
// CREDENTIALS_ENCRYPTION_KEYS, named by an id so the keys can rotate. The first key seals; every key opens. The
// partner's id is the additional authenticated data, so a sealed secret copied into another partner's row does not
// open. store/vault.ts seals the Store's records the same way (random 12-byte IV, 16-byte tag) but under one key
// derived from SESSION_SECRET, with no id: a key that a persistent database outlives must be named and kept.
//
// Layout (bytes): 0x01 | length of the key id (1 byte) | key id (ASCII) | IV (12) | tag (16) | ciphertext.
// AAD: "digilocker-graphql partner credentials v1\n" + partner id (UTF-8).
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** A key id: what the sealed bytes and the `key_id` column name. Not secret. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
export const KEY_BYTES = 32;

const FORMAT = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const AAD_PREFIX = "digilocker-graphql partner credentials v1\n";

export interface EncryptionKey {
  readonly id: string;
  /** 32 bytes. */
  readonly key: Buffer;
}

/** What is stored: the sealed bytes, and the id of the key that sealed them (the `key_id` column). */
export interface SealedSecret {
  sealed: Buffer;
  keyId: string;
}

/** No CREDENTIALS_ENCRYPTION_KEYS: nothing can be sealed, so no credentials can be stored. */
export class SealingNotConfigured extends Error {
  override name = "SealingNotConfigured";
  constructor() {
    super("CREDENTIALS_ENCRYPTION_KEYS is not set: partners' DigiLocker credentials cannot be stored until an operator sets it (docs/tenants.md)");
  }
}

/**
 * A sealed secret that does not open: its key is no longer configured, or the bytes were altered or belong to
 * another partner. Says which key and partner, never anything of the secret.
 */
export class SealedSecretUnreadable extends Error {
  override name = "SealedSecretUnreadable";
  constructor(
    readonly partnerId: string,
    readonly keyId: string | null,
    readonly reason: "unknown-key" | "malformed" | "does-not-open",
  ) {
    const why = {
      "unknown-key": `it was sealed with the key ${JSON.stringify(keyId)}, which CREDENTIALS_ENCRYPTION_KEYS no longer holds: add that key back (after the current first one)`,
      malformed: "its sealed bytes are not in a format this gateway writes",
      "does-not-open": `it does not open with the key ${JSON.stringify(keyId)}: the bytes were altered, belong to another partner, or that id now names another key`,
    }[reason];
    super(`partner ${partnerId}'s DigiLocker client secret cannot be read: ${why}. The partner can set its credentials again (updateDigiLockerCredentials).`);
  }
}

export interface CredentialSealerDeps {
  /** Source of IVs; tests pass a fixed one to compare with a vector computed elsewhere. */
  randomBytes?: (size: number) => Buffer;
}

/** Seals and opens client secrets with the configured keys (the first one seals). */
export class CredentialSealer {
  readonly #keys: ReadonlyMap<string, Buffer>;
  readonly #current: EncryptionKey | null;
  readonly #random: (size: number) => Buffer;

  constructor(keys: readonly EncryptionKey[], deps: CredentialSealerDeps = {}) {
    const byId = new Map<string, Buffer>();
    for (const { id, key } of keys) {
      if (!KEY_ID_PATTERN.test(id)) throw new RangeError(`key id ${JSON.stringify(id)} does not match ${String(KEY_ID_PATTERN)}`);
      if (key.length !== KEY_BYTES) throw new RangeError(`key ${id} must be ${KEY_BYTES} bytes, not ${key.length}`);
      if (byId.has(id)) throw new RangeError(`key id ${id} is given twice`);
      byId.set(id, Buffer.from(key));
    }
    this.#keys = byId;
    this.#current = keys[0] === undefined ? null : { id: keys[0].id, key: Buffer.from(keys[0].key) };
    this.#random = deps.randomBytes ?? randomBytes;
  }

  /** False without keys: storing credentials is then refused. */
  get configured(): boolean {
    return this.#current !== null;
  }

  /** The id new seals carry; null without keys. */
  get currentKeyId(): string | null {
    return this.#current?.id ?? null;
  }

  seal(partnerId: string, secret: string): SealedSecret {
    const current = this.#current;
    if (current === null) throw new SealingNotConfigured();
    const iv = this.#random(IV_BYTES);
    if (iv.length !== IV_BYTES) throw new RangeError(`an IV must be ${IV_BYTES} bytes`);
    const cipher = createCipheriv("aes-256-gcm", current.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(partnerId));
    const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
    const id = Buffer.from(current.id, "ascii");
    return { sealed: Buffer.concat([Buffer.of(FORMAT, id.length), id, iv, cipher.getAuthTag(), ciphertext]), keyId: current.id };
  }

  /** The secret; throws SealedSecretUnreadable when it does not open for this partner with a configured key. */
  open(partnerId: string, sealed: Uint8Array): string {
    const parts = split(sealed);
    if (parts === null) throw new SealedSecretUnreadable(partnerId, null, "malformed");
    const key = this.#keys.get(parts.keyId);
    if (key === undefined) throw new SealedSecretUnreadable(partnerId, parts.keyId, "unknown-key");
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, parts.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad(partnerId));
      decipher.setAuthTag(parts.tag);
      return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString("utf8");
    } catch {
      // No cause: nothing of what failed to open is worth carrying around.
      throw new SealedSecretUnreadable(partnerId, parts.keyId, "does-not-open");
    }
  }

  /** True when `keyId` is not the current sealing key: the secret should be sealed again (rotation). */
  isStale(keyId: string): boolean {
    return this.#current !== null && keyId !== this.#current.id;
  }
}

/** The key id recorded in sealed bytes, or null when they are not in this format. */
export function sealedKeyId(sealed: Uint8Array): string | null {
  return split(sealed)?.keyId ?? null;
}

function aad(partnerId: string): Buffer {
  return Buffer.from(AAD_PREFIX + partnerId, "utf8");
}

function split(sealed: Uint8Array): { keyId: string; iv: Buffer; tag: Buffer; ciphertext: Buffer } | null {
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (bytes.length < 2 || bytes[0] !== FORMAT) return null;
  const idLength = bytes[1] ?? 0;
  const ivStart = 2 + idLength;
  if (bytes.length < ivStart + IV_BYTES + TAG_BYTES) return null;
  const keyId = bytes.subarray(2, ivStart).toString("ascii");
  if (!KEY_ID_PATTERN.test(keyId)) return null;
  return {
    keyId,
    iv: bytes.subarray(ivStart, ivStart + IV_BYTES),
    tag: bytes.subarray(ivStart + IV_BYTES, ivStart + IV_BYTES + TAG_BYTES),
    ciphertext: bytes.subarray(ivStart + IV_BYTES + TAG_BYTES),
  };
}
