// Download links (docs/downloads.md): a short-lived, signed URL on the gateway that streams one DigiLocker file.
// The URL is a capability that carries nothing but a random id, its expiry and a MAC: no DigiLocker token, no
// session id, no document URI (a URI ends in the document's number, which is personal data) and no secret. What
// the link is for lives in the Vault, encrypted (a bearer binding holds a DigiLocker token) under a key that does
// not reveal the id, and expires with the link.
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { tenantRecord, type TenantRef } from "../auth/records.js";
import type { Vault } from "../store/index.js";

/**
 * Whom the link acts for: a session (it dies with the session, or with its consent request; the session says whose
 * client serves it) or a bearer token, with the client it was used through when the link was made (docs/tenants.md:
 * a partner's own, or null or absent for the gateway's), so the file streams through the client that issued it.
 */
export type LinkBinding =
  | { kind: "session"; sessionId: string; consentRequestId: string | null }
  | { kind: "bearer"; token: string; tenant?: TenantRef | null };

export interface LinkRequest {
  binding: LinkBinding;
  /** DigiLocker's document URI. */
  uri: string;
  /** FILE: Get File from URI (the PDF, or an upload as it is); XML: Get Certificate Data in XML Format. */
  format: "FILE" | "XML";
  disposition: "ATTACHMENT" | "INLINE";
  fileName: string;
  mimeType: string;
}

export interface DownloadLink {
  /** Absolute: publicUrl + "/files/" + opaque. */
  url: string;
  /** ISO 8601, UTC. */
  expiresAt: string;
  fileName: string;
  mimeType: string;
}

/** A link that passed its checks, with what it is for. */
export interface OpenedLink extends LinkRequest {
  binding: z.infer<typeof bindingRecord>;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** Why a link does not download (docs/downloads.md, "Status codes"). */
export type RefusalCode = "link_invalid" | "link_expired" | "session_ended" | "consent_revoked" | "token_revoked";

export interface LinkRefusal {
  status: 403 | 410;
  error: RefusalCode;
  /** What happened and what to do, for a person: never a token, id or document number. */
  message: string;
}

const REFUSALS: Record<RefusalCode, LinkRefusal> = {
  link_invalid: { status: 403, error: "link_invalid", message: "This download link is not valid. Ask the application for a new link." },
  link_expired: { status: 410, error: "link_expired", message: "This download link has expired. Ask the application for a new link." },
  session_ended: {
    status: 410,
    error: "session_ended",
    message: "The DigiLocker session this link was made for has ended. Sign in again, then ask for a new link.",
  },
  consent_revoked: {
    status: 410,
    error: "consent_revoked",
    message: "The consent this link was made under has been revoked. A new consent request is needed to download this document.",
  },
  token_revoked: {
    status: 410,
    error: "token_revoked",
    message: "DigiLocker no longer accepts the access token this link was made with. Get a new token, then ask for a new link.",
  },
};

export function refusal(code: RefusalCode): LinkRefusal {
  return { ...REFUSALS[code] };
}

const NAMESPACE = "download";
const KEY_INFO = "digilocker-graphql download links v1";
/** 16 random bytes as base64url. */
const ID_CHARS = 22;
/** HMAC-SHA256 truncated to 16 bytes (128 bits), as base64url. */
const MAC_BYTES = 16;
const MAC_CHARS = 22;
/** `<id>.<exp>.<mac>`: exp is whole epoch seconds, without leading zeros (one spelling per link). */
const SHAPE = /^([A-Za-z0-9_-]{22})\.([1-9][0-9]{0,11})\.([A-Za-z0-9_-]{22})$/;
/** Longer than any link: refused before the pattern runs. */
const MAX_OPAQUE_CHARS = ID_CHARS + 1 + 12 + 1 + MAC_CHARS;

const bindingRecord = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("session"), sessionId: z.string().min(1), consentRequestId: z.string().min(1).nullable() }),
  // Links made before tenants existed are the gateway's.
  z.object({ kind: z.literal("bearer"), token: z.string().min(1), tenant: tenantRecord.nullable().default(null) }),
]);

/** What a link's record holds; what create accepts is the same, checked before anything is stored. */
const linkRecord = z.object({
  binding: bindingRecord,
  uri: z.string().trim().min(1).max(512),
  format: z.enum(["FILE", "XML"]),
  disposition: z.enum(["ATTACHMENT", "INLINE"]),
  fileName: z.string().min(1).max(1024),
  mimeType: z.string().min(1).max(255),
  /** Epoch seconds, as in the URL. */
  exp: z.number().int().positive(),
});

export interface DownloadLinksDeps {
  vault: Vault;
  /** At least 32 characters (SESSION_SECRET): every instance that shares the store must share it. */
  secret: string;
  /** The gateway's public origin; links are `${publicUrl}/files/<opaque>`. */
  publicUrl: string;
  ttlSeconds: number;
  /** Epoch milliseconds. */
  now: () => number;
}

/**
 * Makes and opens download links. The MAC lets a forged, altered or truncated link be refused without a store
 * read (a flood of made-up links costs an HMAC each); the record, not the URL, says what the link may read, so a
 * link that leaks (a proxy log, browser history) reveals nothing and stops working at its expiry.
 */
export class DownloadLinks {
  readonly #deps: DownloadLinksDeps;
  readonly #key: Buffer;
  readonly #base: string;

  constructor(deps: DownloadLinksDeps) {
    if (deps.secret.length < 32) throw new RangeError("the download link secret must be at least 32 characters long");
    if (!Number.isInteger(deps.ttlSeconds) || deps.ttlSeconds < 1) throw new RangeError(`ttlSeconds must be a whole number >= 1, got ${deps.ttlSeconds}`);
    this.#deps = deps;
    // Its own key (HKDF, another info than the Vault's): a link's MAC never equals any value the Vault computes.
    this.#key = Buffer.from(hkdfSync("sha256", deps.secret, Buffer.alloc(0), KEY_INFO, 32));
    this.#base = `${deps.publicUrl.replace(/\/+$/, "")}/files/`;
  }

  /** Stores what the link is for and returns it. Rejects with TypeError when the request is malformed. */
  async create(request: LinkRequest): Promise<DownloadLink> {
    const exp = Math.floor(this.#deps.now() / 1000) + this.#deps.ttlSeconds;
    const parsed = linkRecord.safeParse({ ...request, exp });
    if (!parsed.success) {
      // Field names only: the values may be a token or a document number.
      throw new TypeError(`invalid download link request: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`);
    }
    const id = randomBytes(16).toString("base64url");
    await this.#deps.vault.set(NAMESPACE, id, parsed.data, Math.max(1, exp * 1000 - this.#deps.now()));
    return {
      url: `${this.#base}${id}.${exp}.${this.#mac(id, String(exp))}`,
      expiresAt: new Date(exp * 1000).toISOString(),
      fileName: parsed.data.fileName,
      mimeType: parsed.data.mimeType,
    };
  }

  /**
   * The link's record, or why not: link_invalid (403) for anything we did not sign, checked before the store is
   * read; link_expired (410) past its expiry, or when its record is gone (expired, evicted from a full memory
   * store, or never stored). Rejects only when the store fails.
   */
  async open(opaque: string): Promise<OpenedLink | LinkRefusal> {
    if (opaque.length > MAX_OPAQUE_CHARS) return refusal("link_invalid");
    const match = SHAPE.exec(opaque);
    if (match === null) return refusal("link_invalid");
    const [, id = "", expText = "", mac = ""] = match;
    // Compared as text, not as decoded bytes: base64url's last character carries unused bits, so two spellings
    // decode alike, and a link must have exactly one spelling.
    if (!timingSafeEqual(Buffer.from(mac), Buffer.from(this.#mac(id, expText)))) return refusal("link_invalid");
    const exp = Number(expText);
    if (exp * 1000 <= this.#deps.now()) return refusal("link_expired");
    const record = await this.#deps.vault.get(NAMESPACE, id, linkRecord);
    if (record === null) return refusal("link_expired");
    // Only reachable if a record were moved under another id: the Vault's AAD already prevents that.
    if (record.exp !== exp) return refusal("link_invalid");
    const { binding, uri, format, disposition, fileName, mimeType } = record;
    return { binding, uri, format, disposition, fileName, mimeType, expiresAt: exp * 1000 };
  }

  #mac(id: string, exp: string): string {
    return createHmac("sha256", this.#key).update(`${id}.${exp}`).digest().subarray(0, MAC_BYTES).toString("base64url");
  }
}

/** Whether open() or accessFor() refused. */
export function isRefusal(value: object): value is LinkRefusal {
  return "error" in value && "status" in value;
}
