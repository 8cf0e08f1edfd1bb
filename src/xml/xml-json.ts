// Certificate and e-Aadhaar XML as JSON, for fields the GraphQL layer exposes. Meant for the signed XML that
// verifyXmlSignature hands back (canonical, no DTD); anything with DTD markup is refused here too.
//
// Shape: an element becomes an object keyed by child name; attributes are kept with an "@" prefix; an
// element with only text becomes that string; "#text" appears only when an element has text AND
// attributes or children; an empty element without attributes is "". A name becomes an array only where
// that element repeats under the same parent (one <Subject> is an object, two are an array of two), so
// callers that expect lists must accept both. Every value stays a string: "000123" is a PIN code, not 123.
// Namespace prefixes are kept as written ("ds:X509Data"); the XML declaration and the XML-DSig Signature
// element are left out.
import { XMLParser } from "fast-xml-parser";
import { DEFAULT_MAX_BYTES } from "./xml-signature.js";

/** The most nested elements accepted (fast-xml-parser refuses deeper documents). */
const MAX_NESTED_TAGS = 100;

const PREDEFINED: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/**
 * The five predefined entities and character references, decoded here rather than by the parser, whose
 * entity processing stays off: no DTD-declared entity is ever expanded.
 */
function decodeReferences(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#x([0-9A-Fa-f]{1,6})|([a-z]{2,4}));/g, (whole, dec?: string, hex?: string, name?: string) => {
    if (name !== undefined) return PREDEFINED[name] ?? whole;
    const code = dec !== undefined ? Number(dec) : Number.parseInt(hex ?? "", 16);
    return code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) && code !== 0 ? String.fromCodePoint(code) : whole;
  });
}

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Prefixes bound to the XML-DSig namespace anywhere in the document ("" for a default namespace). */
function dsigPrefixes(xml: string): Set<string> {
  const prefixes = new Set<string>();
  for (const m of xml.matchAll(/\sxmlns(?::([^\s=]+))?\s*=\s*(["'])http:\/\/www\.w3\.org\/2000\/09\/xmldsig#\2/g)) prefixes.add(m[1] ?? "");
  return prefixes;
}

/**
 * Parses XML into JSON as described at the top of this file. Throws on DTD markup or input over 5 MB; it
 * does not check well-formedness (verifyXmlSignature has).
 */
export function xmlToJson(xml: string): Record<string, unknown> {
  if (Buffer.byteLength(xml, "utf8") > DEFAULT_MAX_BYTES) throw new Error(`xmlToJson: larger than ${DEFAULT_MAX_BYTES} bytes`);
  if (/<!(?!--|\[CDATA\[)/.test(xml)) throw new Error("xmlToJson: DTD markup (DOCTYPE, ENTITY, …) refused");
  // CDATA becomes escaped text, so that all text goes through the same decoding once.
  const text = xml.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, content: string) => escapeText(content));
  const signaturePrefixes = dsigPrefixes(text);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    textNodeName: "#text",
    parseTagValue: false,
    parseAttributeValue: false,
    processEntities: false,
    htmlEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    allowBooleanAttributes: false,
    maxNestedTags: MAX_NESTED_TAGS,
    tagValueProcessor: (_tag, value) => decodeReferences(value),
    attributeValueProcessor: (_name, value) => decodeReferences(value),
    updateTag: (tagName) => {
      const colon = tagName.indexOf(":");
      const [prefix, local] = colon === -1 ? ["", tagName] : [tagName.slice(0, colon), tagName.slice(colon + 1)];
      return !(local === "Signature" && signaturePrefixes.has(prefix));
    },
  });
  const parsed: unknown = parser.parse(text);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("xmlToJson: no document element");
  return parsed as Record<string, unknown>;
}
