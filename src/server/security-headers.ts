// The browser-facing security headers of the routes outside /graphql: the sign-in pages and redirects (/auth/*,
// auth-routes.ts) and download links (/files/*, file-route.ts). docs/sign-in.md and docs/downloads.md list them.

/** Every answer a browser may render or be sent on from: never sniffed, never leaking its URL as a Referer. */
const COMMON = {
  "x-content-type-options": "nosniff",
  // On a 303 too: the browser applies it to the request it redirects to, so DigiLocker and a partner's page never
  // see the callback's URL (its code and state) or a consent link as a Referer.
  "referrer-policy": "no-referrer",
} as const;

/** Never framed (clickjacking); X-Frame-Options for browsers without CSP's frame-ancestors. */
const NOT_FRAMED = { ...COMMON, "x-frame-options": "DENY" } as const;

/**
 * Every /auth/* answer: pages, redirects and refusals. The pages hold one inline <style> and no script, image,
 * font or form; base-uri and form-action are not covered by default-src, so they are closed separately.
 */
export const AUTH_HEADERS = {
  ...NOT_FRAMED,
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
} as const;

/** A /files/* error answer (JSON): nothing in it runs or loads, nothing frames it. */
export const FILE_ERROR_HEADERS = {
  ...NOT_FRAMED,
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'; sandbox",
} as const;

/**
 * A served file's security headers, by its Content-Type and the link's disposition.
 *
 * An XML file or an image served from our origin must never run script in it (an XML file may hold XHTML
 * <script>): `sandbox` gives it an opaque origin. Not for a PDF: Chromium's PDF viewer refuses to run in a
 * sandboxed document, and a PDF's own JavaScript runs in the viewer's isolated context, never in our origin's.
 *
 * `frame-ancestors 'none'` (and X-Frame-Options: DENY) on every ATTACHMENT file, PDFs included: a download is never
 * shown in a frame. Not on an INLINE file: INLINE exists to be shown in place, and docs/downloads.md's way to do
 * that is an <iframe> on the partner's own page, on another origin (the gateway's own pages never embed a file).
 * Framing it gives a page nothing it could not fetch with the same link, which is itself the credential, and a
 * document viewer holds no action for a clickjacker to borrow.
 */
export function fileHeaders(contentType: string, disposition: "ATTACHMENT" | "INLINE"): Record<string, string> {
  const policies: string[] = [];
  if (contentType !== "application/pdf") policies.push("sandbox");
  if (disposition === "ATTACHMENT") policies.push("frame-ancestors 'none'");
  const headers: Record<string, string> = disposition === "ATTACHMENT" ? { ...NOT_FRAMED } : { ...COMMON };
  if (policies.length > 0) headers["content-security-policy"] = policies.join("; ");
  return headers;
}
