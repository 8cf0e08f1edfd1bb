// A well-formedness check for the XML the verifier accepts, because @xmldom/xmldom 0.8 recovers silently
// from much that is not XML (a mismatched end tag, text after the root element, an unbound prefix, `&amp`
// without its semicolon). It knows only what screening leaves (xml-signature.ts): an optional XML
// declaration, elements, attributes, text, references, comments and CDATA; no DTD, so the only named
// entities are the five predefined ones. One linear pass, no recursion.

// XML 1.0 (fifth edition) NameStartChar and NameChar, without ":" (namespaces: a QName is NCName[:NCName]).
const NAME_START = "A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}";
// The combining marks U+0300-U+036F get a class of their own: next to other characters in one class,
// ESLint (no-misleading-character-class) reads them as combined with the character before.
const NAME_CHAR = `[${NAME_START}\\-.0-9\\u00B7\\u203F-\\u2040]|[\\u0300-\\u036F]`;
const NCNAME = `[${NAME_START}](?:${NAME_CHAR})*`;
const QNAME = `${NCNAME}(?::${NCNAME})?`;

const START_TAG = new RegExp(`<(${QNAME})`, "uy");
const ATTRIBUTE = new RegExp(`[ \\t\\r\\n]+(${QNAME})[ \\t\\r\\n]*=[ \\t\\r\\n]*(?:"([^"<]*)"|'([^'<]*)')`, "uy");
const TAG_CLOSE = /[ \t\r\n]*(\/?)>/y;
const END_TAG = new RegExp(`</(${QNAME})[ \\t\\r\\n]*>`, "uy");
const DECLARATION = /<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:"1\.[0-9]+"|'1\.[0-9]+')(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:"[A-Za-z][\w.-]*"|'[A-Za-z][\w.-]*'))?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(?:"(?:yes|no)"|'(?:yes|no)'))?[ \t\r\n]*\?>/y;
const REFERENCE = /&(?:(?:amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));/y;
/** Anything that is not an XML 1.0 Char (control characters, lone surrogates, U+FFFE, U+FFFF). */
const NOT_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace";

function isChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** Every `&` in text or an attribute value starts a predefined entity or a character reference to a Char. */
function referencesProblem(text: string): string | null {
  for (let amp = text.indexOf("&"); amp !== -1; amp = text.indexOf("&", amp + 1)) {
    REFERENCE.lastIndex = amp;
    const m = REFERENCE.exec(text);
    if (m === null) return "malformed XML: bad reference";
    const [, dec, hex] = m;
    if (dec !== undefined || hex !== undefined) {
      const code = dec !== undefined ? Number(dec) : Number.parseInt(hex ?? "", 16);
      if (!isChar(code)) return "malformed XML: reference to a character XML does not allow";
    }
  }
  return null;
}

interface OpenElement {
  name: string;
  /** Namespace prefixes this element declares ("" for the default namespace). */
  bindings: Map<string, string> | null;
}

function isBound(prefix: string, stack: readonly OpenElement[], own: Map<string, string> | null): boolean {
  if (prefix === "xml") return true;
  if (own?.has(prefix) === true) return own.get(prefix) !== "";
  for (let i = stack.length - 1; i >= 0; i--) {
    const uri = stack[i]?.bindings?.get(prefix);
    if (uri !== undefined) return uri !== "";
  }
  return false;
}

function prefixOf(qname: string): string | null {
  const colon = qname.indexOf(":");
  return colon === -1 ? null : qname.slice(0, colon);
}

export interface Limits {
  /** The deepest element nesting accepted. */
  maxDepth: number;
  /** The most elements accepted. */
  maxElements: number;
}

/**
 * Why `xml` is not well-formed XML (with namespaces) in the subset described above, or is over `limits`;
 * null when it is fine. Reasons name the problem, never the content.
 */
export function wellFormedProblem(xml: string, limits: Limits): string | null {
  if (NOT_CHAR.test(xml)) return "malformed XML: a character XML does not allow";
  let i = 0;
  if (xml.startsWith("<?xml")) {
    DECLARATION.lastIndex = 0;
    if (DECLARATION.exec(xml) === null) return "malformed XML: bad XML declaration";
    i = DECLARATION.lastIndex;
  }
  const stack: OpenElement[] = [];
  let rootClosed = false;
  let elements = 0;
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    if (text !== "") {
      if (stack.length === 0) {
        if (/[^ \t\r\n]/.test(text)) return "malformed XML: text outside the root element";
      } else {
        if (text.includes("]]>")) return "malformed XML: ]]> in text";
        const problem = referencesProblem(text);
        if (problem !== null) return problem;
      }
    }
    if (lt === -1) break;
    i = lt;

    if (xml.startsWith("<!--", i)) {
      const end = xml.indexOf("-->", i + 4);
      if (end === -1) return "malformed XML: unclosed comment";
      const body = xml.slice(i + 4, end);
      if (body.includes("--") || body.endsWith("-")) return "malformed XML: -- inside a comment";
      i = end + 3;
      continue;
    }
    if (xml.startsWith("<![CDATA[", i)) {
      if (stack.length === 0) return "malformed XML: CDATA outside the root element";
      const end = xml.indexOf("]]>", i + 9);
      if (end === -1) return "malformed XML: unclosed CDATA section";
      i = end + 3;
      continue;
    }
    if (xml.startsWith("</", i)) {
      END_TAG.lastIndex = i;
      const m = END_TAG.exec(xml);
      if (m === null) return "malformed XML: bad end tag";
      if (stack.pop()?.name !== m[1]) return "malformed XML: mismatched end tag";
      if (stack.length === 0) rootClosed = true;
      i = END_TAG.lastIndex;
      continue;
    }
    if (xml.startsWith("<?", i) || xml.startsWith("<!", i)) return "malformed XML: markup that is not allowed";

    START_TAG.lastIndex = i;
    const start = START_TAG.exec(xml);
    if (start === null) return "malformed XML: bad start tag";
    const name = start[1] ?? "";
    if (stack.length === 0 && rootClosed) return "malformed XML: more than one root element";
    elements += 1;
    if (elements > limits.maxElements) return `more than ${limits.maxElements} elements`;
    i = START_TAG.lastIndex;
    const attributes = new Set<string>();
    let bindings: Map<string, string> | null = null;
    for (;;) {
      ATTRIBUTE.lastIndex = i;
      const attribute = ATTRIBUTE.exec(xml);
      if (attribute === null) break;
      i = ATTRIBUTE.lastIndex;
      const [, key = "", double, single] = attribute;
      const value = double ?? single ?? "";
      if (attributes.has(key)) return "malformed XML: repeated attribute";
      attributes.add(key);
      const problem = referencesProblem(value);
      if (problem !== null) return problem;
      if (key === "xmlns" || key.startsWith("xmlns:")) {
        const prefix = key === "xmlns" ? "" : key.slice(6);
        if (prefix === "xmlns" || (prefix === "xml") !== (value === XML_NAMESPACE)) return "malformed XML: reserved namespace prefix misused";
        if (prefix !== "" && value === "") return "malformed XML: prefix bound to no namespace";
        (bindings ??= new Map()).set(prefix, value);
      }
    }
    TAG_CLOSE.lastIndex = i;
    const close = TAG_CLOSE.exec(xml);
    if (close === null) return "malformed XML: bad start tag";
    i = TAG_CLOSE.lastIndex;
    const elementPrefix = prefixOf(name);
    if (elementPrefix !== null && !isBound(elementPrefix, stack, bindings)) return "malformed XML: unbound namespace prefix";
    for (const key of attributes) {
      const prefix = prefixOf(key);
      if (prefix !== null && prefix !== "xmlns" && !isBound(prefix, stack, bindings)) return "malformed XML: unbound namespace prefix";
    }
    if (stack.length + 1 > limits.maxDepth) return `nested deeper than ${limits.maxDepth} elements`;
    if (close[1] === "/") {
      if (stack.length === 0) rootClosed = true;
    } else {
      stack.push({ name, bindings });
    }
  }
  if (stack.length > 0) return "malformed XML: unclosed element";
  if (!rootClosed) return "malformed XML: no root element";
  return null;
}
