// Sign-in records at rest: encrypted and authenticated, under keys that do not reveal the ids they are kept for.
// Whoever can read the store (a Redis dump, a shared Redis) sees neither tokens nor session ids, and whoever
// can write to it cannot forge, alter or move a record without SESSION_SECRET.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import type { z } from "zod";
import { type Store, wholeTtlMs } from "./store.js";

const format = "v1.";
const ivBytes = 12;
const tagBytes = 16;

/**
 * Typed, encrypted records over a Store. Values are JSON sealed with AES-256-GCM (random 12-byte IV, 16-byte tag),
 * under a key derived with HKDF-SHA256 from `secret` (info "digilocker-graphql vault v1"). The storage key is
 * `${namespace}:${HMAC-SHA256(macKey, id) as base64url}` (macKey also from HKDF, different info) so that ids
 * (session ids are bearer secrets) are never stored in clear, and the storage key is the GCM AAD so a value
 * copied under another key fails to open. Format: "v1." + base64url(iv|tag|ciphertext).
 * A record that fails to open (wrong secret after rotation, tampering) or fails its zod schema reads as null.
 */
export class Vault {
  readonly #store: Store;
  readonly #encryptionKey: Buffer;
  readonly #macKey: Buffer;

  constructor(store: Store, secret: string) {
    if (secret.length < 32) throw new RangeError("the vault secret must be at least 32 characters long");
    this.#store = store;
    // No salt: the secret is meant to be random already; HKDF here only splits it into two independent keys.
    this.#encryptionKey = Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), "digilocker-graphql vault v1", 32));
    this.#macKey = Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), "digilocker-graphql vault v1 key names", 32));
  }

  async get<T>(namespace: string, id: string, schema: z.ZodType<T>): Promise<T | null> {
    const key = this.#key(namespace, id);
    return this.#open(key, await this.#store.get(key), schema);
  }

  async set(namespace: string, id: string, value: unknown, ttlMs: number): Promise<void> {
    const ttl = wholeTtlMs(ttlMs);
    const key = this.#key(namespace, id);
    await this.#store.set(key, this.#seal(key, value), ttl);
  }

  /** Reads and deletes in one atomic step: of two concurrent takes, one gets the record. */
  async take<T>(namespace: string, id: string, schema: z.ZodType<T>): Promise<T | null> {
    const key = this.#key(namespace, id);
    return this.#open(key, await this.#store.take(key), schema);
  }

  async delete(namespace: string, id: string): Promise<void> {
    await this.#store.delete(this.#key(namespace, id));
  }

  #key(namespace: string, id: string): string {
    if (namespace.length === 0) throw new RangeError("a vault namespace must not be empty");
    return `${namespace}:${createHmac("sha256", this.#macKey).update(id).digest("base64url")}`;
  }

  #seal(key: string, value: unknown): string {
    // JSON.stringify gives undefined (not a string) for undefined, functions and symbols: nothing to store.
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) throw new TypeError("a vault record must be a JSON value");
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv("aes-256-gcm", this.#encryptionKey, iv, { authTagLength: tagBytes });
    cipher.setAAD(Buffer.from(key));
    const ciphertext = Buffer.concat([cipher.update(json, "utf8"), cipher.final()]);
    return format + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64url");
  }

  #open<T>(key: string, sealed: string | null, schema: z.ZodType<T>): T | null {
    if (sealed?.startsWith(format) !== true) return null;
    const bytes = Buffer.from(sealed.slice(format.length), "base64url");
    if (bytes.length < ivBytes + tagBytes) return null;
    let json: string;
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.#encryptionKey, bytes.subarray(0, ivBytes), { authTagLength: tagBytes });
      decipher.setAAD(Buffer.from(key));
      decipher.setAuthTag(bytes.subarray(ivBytes, ivBytes + tagBytes));
      json = Buffer.concat([decipher.update(bytes.subarray(ivBytes + tagBytes)), decipher.final()]).toString("utf8");
    } catch {
      return null; // another secret, or altered bytes
    }
    let data: unknown;
    try {
      data = JSON.parse(json);
    } catch {
      return null; // only reachable with the right key, i.e. a bug in an older writer
    }
    const parsed = schema.safeParse(data);
    return parsed.success ? parsed.data : null;
  }
}
