// Signed cookie values for the sign-in pages: the sandbox "session" (who is signed in, for which client)
// and the token page's pending flow (PKCE verifier, state). Signed rather than stored, so nothing in the
// shared state grows with browser visits and a restart simply signs everyone out.
import { createHash, createHmac } from "node:crypto";
import { safeEqual } from "./auth.js";
import type { SandboxKeys } from "./keys.js";

export const SESSION_COOKIE = "dl_sandbox_session";
export const FLOW_COOKIE = "dl_sandbox_flow";

function macKey(keys: Pick<SandboxKeys, "privateKeyPem">): Buffer {
  return createHash("sha256").update("dl_sandbox cookie key\n").update(keys.privateKeyPem).digest();
}

/** `base64url(JSON).base64url(HMAC-SHA256)`. */
export function sealValue(keys: Pick<SandboxKeys, "privateKeyPem">, value: unknown): string {
  const body = Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
  const mac = createHmac("sha256", macKey(keys)).update(body).digest("base64url");
  return `${body}.${mac}`;
}

/** The value sealed by `sealValue`, or null when absent, tampered with or unreadable. */
export function openValue(keys: Pick<SandboxKeys, "privateKeyPem">, sealed: string | undefined): unknown {
  const dot = sealed?.indexOf(".") ?? -1;
  if (sealed === undefined || dot < 1) return null;
  const body = sealed.slice(0, dot);
  const mac = createHmac("sha256", macKey(keys)).update(body).digest("base64url");
  if (!safeEqual(mac, sealed.slice(dot + 1))) return null;
  try {
    return JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as unknown;
  } catch {
    return null;
  }
}

/** A Set-Cookie value: HttpOnly and SameSite=Lax, so the redirect back from the consent page still carries it. */
export function setCookie(name: string, value: string, options: { path?: string; maxAgeSeconds?: number } = {}): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${options.path ?? "/"}`, "HttpOnly", "SameSite=Lax"];
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  return parts.join("; ");
}

export function clearCookie(name: string, path = "/"): string {
  return `${name}=; Path=${path}; HttpOnly; SameSite=Lax; Max-Age=0`;
}

export interface SessionValue {
  /** digilockerId of the signed-in user. */
  userId: string;
  /** The client the user last signed in to (Revoke Session redirects there). */
  clientId: string;
}

export function readSession(keys: Pick<SandboxKeys, "privateKeyPem">, raw: string | undefined): SessionValue | null {
  const value = openValue(keys, raw);
  if (typeof value !== "object" || value === null) return null;
  const { userId, clientId } = value as Record<string, unknown>;
  return typeof userId === "string" && typeof clientId === "string" ? { userId, clientId } : null;
}
