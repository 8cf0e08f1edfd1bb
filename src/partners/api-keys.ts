// Partners' API keys: `dlg_<keyId>_<secret>`. The key id names the row (it is not secret and may be logged); the
// secret is 32 random bytes, of which the database keeps only a SHA-256.
//
// Why a fast hash and not bcrypt/scrypt/argon2: those slow a guesser down where the secret has little entropy
// (a password). A key's secret is 256 bits from the CSPRNG: nobody can enumerate it however fast each guess is,
// so a slow hash would buy nothing and cost every request tens of milliseconds of CPU. What the hash protects
// against is a leaked table (a backup, a replica): the rows alone do not let anyone call the gateway.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const PREFIX = "dlg_";
/** RFC 4648 base32, lower case: no 0/1/8/9, so no O/0 or l/1 confusion when a person reads an id aloud. */
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
const KEY_ID_CHARS = 12;
const SECRET_BYTES = 32;
/** base64url of 32 bytes, unpadded. */
const SECRET_CHARS = 43;
const KEY_CHARS = PREFIX.length + KEY_ID_CHARS + 1 + SECRET_CHARS;
const KEY_SHAPE = /^dlg_([a-z2-7]{12})_([A-Za-z0-9_-]{43})$/;
const KEY_ID_SHAPE = /^[a-z2-7]{12}$/;

/** `length` characters of lower-case base32 from the CSPRNG (60 bits for 12). */
export function randomBase32(length: number): string {
  // 256 is a multiple of 32, so taking five bits of each byte is unbiased.
  const bytes = randomBytes(length);
  let text = "";
  for (const byte of bytes) text += BASE32.charAt(byte & 31);
  return text;
}

export function hashSecret(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

/** A new key: `key` is shown to the operator once; only `keyId` and `secretHash` are stored. */
export function generateApiKey(): { key: string; keyId: string; secretHash: Buffer } {
  const keyId = randomBase32(KEY_ID_CHARS);
  const secret = randomBytes(SECRET_BYTES).toString("base64url");
  return { key: `${PREFIX}${keyId}_${secret}`, keyId, secretHash: hashSecret(secret) };
}

/**
 * The key id and secret of text shaped exactly as generateApiKey makes them, else null. Never throws, and looks
 * at nothing past the expected length, whatever a caller sends.
 */
export function parseApiKey(text: unknown): { keyId: string; secret: string } | null {
  if (typeof text !== "string" || text.length !== KEY_CHARS) return null;
  const match = KEY_SHAPE.exec(text);
  if (match === null) return null;
  const [, keyId = "", secret = ""] = match;
  // 43 base64url characters carry 258 bits: the last one's two spare bits must be zero, as Buffer writes them.
  // Anything else is not a key this gateway made (and would otherwise be a second spelling of the same secret).
  if (Buffer.from(secret, "base64url").toString("base64url") !== secret) return null;
  return { keyId, secret };
}

/** Whether text is shaped as a key id (the CLI checks operators' input with it). */
export function isKeyId(text: string): boolean {
  return KEY_ID_SHAPE.test(text);
}

/** Whether SHA-256(secret) is `hash`, compared in constant time. */
export function secretMatches(secret: string, hash: Buffer): boolean {
  const presented = hashSecret(secret);
  // A stored hash of another length is a broken row; its length is no secret, so returning early leaks nothing.
  if (hash.length !== presented.length) return false;
  return timingSafeEqual(presented, hash);
}
