// The headers a downloaded file is served with (docs/downloads.md, "Headers"): which Content-Type, and the
// Content-Disposition with the file's name, safe for any name a document or an upload may carry.

/**
 * The types a file is served as. Anything else (text/html, image/svg+xml, an unknown type) is served as
 * application/octet-stream, which a browser saves rather than renders: a file from DigiLocker must never become
 * a page of ours. nosniff and `Content-Security-Policy: sandbox` (file-route.ts) back this up.
 */
const SERVABLE: ReadonlySet<string> = new Set(["application/pdf", "application/xml", "text/xml", "image/jpeg", "image/png"]);
/** Spellings seen in the wild for a servable type. */
const ALIASES: Readonly<Record<string, string>> = { "image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg" };

function essence(type: string): string {
  const bare = (type.split(";")[0] ?? "").trim().toLowerCase();
  return ALIASES[bare] ?? bare;
}

/**
 * DigiLocker's Content-Type when it is a servable type (it describes the bytes actually sent), else the link's
 * (what the listing said), else application/octet-stream. Parameters (a charset) are dropped: PDFs and images
 * have none, and an XML document declares its own encoding.
 */
export function servedContentType(upstream: string | null, linkMimeType: string): string {
  for (const candidate of [upstream, linkMimeType]) {
    if (candidate === null) continue;
    const type = essence(candidate);
    if (SERVABLE.has(type)) return type;
  }
  return "application/octet-stream";
}

/** In graphemes (what a reader counts as characters). */
const MAX_NAME_CHARS = 200;

/**
 * A name safe to offer: no control characters (CR/LF would split the header), no quotes or backslashes (they
 * end or escape the quoted string), no path separators (a name is not a path), no bidirectional overrides
 * (`‮fdp.exe` shows as `exe.pdf`), no leading dots or blanks, at most 200 characters; "download" when nothing is left.
 */
export function safeFileName(name: string): string {
  const cleaned = name
    .normalize("NFC")
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
    .replace(/[\u0000-\u001f\u007f-\u009f"\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "")
    .replace(/[/\\]/g, "_")
    .replace(/\s+/g, " ")
    .replace(/^[\s.]+/, "")
    .trim();
  // By grapheme, so a cut never splits a letter from its vowel sign (Devanagari) or an emoji from its modifier.
  const graphemes = Array.from(new Intl.Segmenter("en", { granularity: "grapheme" }).segment(wellFormed(cleaned)), (s) => s.segment);
  const cut = graphemes.length > MAX_NAME_CHARS ? graphemes.slice(0, MAX_NAME_CHARS).join("").trimEnd() : cleaned;
  return cut === "" ? "download" : cut;
}

/** Lone surrogates (which encodeURIComponent refuses) as U+FFFD. */
function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

/**
 * The `filename` fallback for clients without RFC 6266's `filename*`: accents dropped (é → e), every other run of
 * non-ASCII characters as one "_", and "%" as "_" (some browsers percent-decode the plain form).
 */
export function asciiFileName(name: string): string {
  const ascii = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\x20-\x7e]+/g, "_")
    .replace(/%/g, "_");
  return ascii.trim() === "" ? "download" : ascii;
}

/** RFC 5987 `value-chars`: UTF-8, percent-encoded except attr-char. */
function rfc5987(text: string): string {
  return encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `attachment; filename="…"` (or `inline`), with `filename*=UTF-8''…` (RFC 6266 §4.3, RFC 5987) only when the
 * name is not plain ASCII: every current browser prefers `filename*`, and an ASCII name needs no second spelling.
 */
export function contentDisposition(disposition: "ATTACHMENT" | "INLINE", fileName: string): string {
  const name = safeFileName(wellFormed(fileName));
  const fallback = asciiFileName(name);
  const kind = disposition === "INLINE" ? "inline" : "attachment";
  return fallback === name ? `${kind}; filename="${name}"` : `${kind}; filename="${fallback}"; filename*=UTF-8''${rfc5987(name)}`;
}
