// Request parsing and replies for the sandbox's node:http server. No framework: the routes are few and
// the sandbox must show exactly what goes over the wire.
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";

/** Uploads may be 10 MB; a little more lets the sandbox answer `invalid_filesize` rather than drop. */
export const MAX_BODY_BYTES = 12 * 1024 * 1024;

export interface SandboxRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  /** Path parameters of the matched route. */
  params: Record<string, string>;
  body: Buffer;
  /** The body passed MAX_BODY_BYTES and was dropped (`body` is then empty). */
  oversized: boolean;
  /** Cookies sent by a browser (the sign-in pages only). */
  cookies: Record<string, string>;
  /**
   * The registered client the request authenticated as, once a route has checked it (auth.ts: a meta call's hash, a
   * token call's client credentials, or the client a bearer token was issued to): what callsByClient counts.
   */
  client?: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
}

export function json(status: number, data: unknown): Reply {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(data) };
}

/** DigiLocker's error body (spec: every ERRORS section): `{error, error_description}`. */
export function dlError(status: number, error: string, description: string): Reply {
  return {
    status,
    headers: { "content-type": "application/json; charset=UTF-8" },
    body: JSON.stringify({ error, error_description: description }),
  };
}

export function html(status: number, page: string, headers: Record<string, string | string[]> = {}): Reply {
  return { status, headers: { "content-type": "text/html; charset=utf-8", ...headers }, body: page };
}

export function redirect(location: string, headers: Record<string, string | string[]> = {}): Reply {
  return { status: 302, headers: { location, ...headers } };
}

/** Reads a body up to `limit` bytes; null when it is larger (the rest is drained, not buffered). */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) over = true;
    if (!over) chunks.push(buf);
  }
  return over ? null : Buffer.concat(chunks);
}

/**
 * Form fields of a POST: `application/x-www-form-urlencoded` or `multipart/form-data` (the older OpenAPI
 * file uses multipart for verify, pushuri and statistics). File parts are ignored: no meta call has one.
 */
export function formFields(req: SandboxRequest): Record<string, string> {
  const type = header(req, "content-type") ?? "";
  const boundary = /^multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (boundary !== undefined) return multipartFields(req.body.toString("latin1"), boundary);
  return Object.fromEntries(new URLSearchParams(req.body.toString("utf8")));
}

/** RFC 7578 text fields. Parsed as latin1 so that byte offsets survive, then each value decoded as UTF-8. */
function multipartFields(body: string, boundary: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of body.split(`--${boundary}`).slice(1)) {
    if (part.startsWith("--")) break;
    const split = part.indexOf("\r\n\r\n");
    if (split < 0) continue;
    const head = part.slice(0, split);
    const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(head)?.[1] ?? "";
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined || /\bfilename=/i.test(disposition)) continue;
    const value = part.slice(split + 4).replace(/\r\n$/, "");
    out[name] = Buffer.from(value, "latin1").toString("utf8");
  }
  return out;
}

/** One header's value (the first, when repeated), trimmed; undefined when absent or blank. */
export function header(req: SandboxRequest, name: string): string | undefined {
  const raw = req.headers[name.toLowerCase()];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return value === "" ? undefined : value;
}

export function parseCookies(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (raw ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
