// The well-formedness gate (src/xml/well-formed.ts) for what xmldom 0.8 would silently repair.
import { describe, expect, it } from "vitest";
import { wellFormedProblem } from "../../../src/xml/well-formed.js";

const limits = { maxDepth: 10, maxElements: 100 };

describe("wellFormedProblem", () => {
  it.each([
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<a/>\n',
    "<a b='1' c=\"&amp;&lt;&gt;&quot;&apos;&#65;&#x1F600;\">t&amp;t<![CDATA[<not markup> & ]]><!-- note --></a>",
    '<ds:a xmlns:ds="urn:x"><ds:b ds:c="1"/><e xml:lang="hi"/></ds:a>',
    '<a xmlns="urn:x"><b xmlns=""/></a>',
    "<a>\t\r\n é 漢字 😀</a>",
    "<a></a >",
    "<a\u0301b x\u0300=\"1\"/>", // combining marks inside names
  ])("accepts %j", (xml) => {
    expect(wellFormedProblem(xml, limits)).toBeNull();
  });

  it.each([
    ['<?xml version="1.0" encoding="UTF-8"?><a></b>', "malformed XML: mismatched end tag"],
    ["<a><b></a></b>", "malformed XML: mismatched end tag"],
    ["<a></a\nx>", "malformed XML: bad end tag"],
    ["<?xml version='2.0'?><a/>", "malformed XML: bad XML declaration"],
    ["<a>]]></a>", "malformed XML: ]]> in text"],
    ["<a>&amp</a>", "malformed XML: bad reference"],
    ["<a>&#0;</a>", "malformed XML: reference to a character XML does not allow"],
    ['<a b="&#xD800;"/>', "malformed XML: reference to a character XML does not allow"],
    ["<a b='<'/>", "malformed XML: bad start tag"],
    ["<a b=1/>", "malformed XML: bad start tag"],
    ['<a b="1"c="2"/>', "malformed XML: bad start tag"],
    ["<1a/>", "malformed XML: bad start tag"],
    ["<a><!-- a -- b --></a>", "malformed XML: -- inside a comment"],
    ["<a><!-- a ---></a>", "malformed XML: -- inside a comment"],
    ["<a><!-- open</a>", "malformed XML: unclosed comment"],
    ["<![CDATA[x]]><a/>", "malformed XML: CDATA outside the root element"],
    ["<a><![CDATA[x</a>", "malformed XML: unclosed CDATA section"],
    ["<a><b xmlns:p='urn:p'/><p:c/></a>", "malformed XML: unbound namespace prefix"],
    ['<a p:x="1"/>', "malformed XML: unbound namespace prefix"],
    ['<a xmlns:p=""/>', "malformed XML: prefix bound to no namespace"],
    ['<a xmlns:xml="urn:other"/>', "malformed XML: reserved namespace prefix misused"],
    ["<a>\uFFFE</a>", "malformed XML: a character XML does not allow"],
    ["<a>\uD800</a>", "malformed XML: a character XML does not allow"],
    ["   ", "malformed XML: no root element"],
  ])("refuses %j: %s", (xml, reason) => {
    expect(wellFormedProblem(xml, limits)).toBe(reason);
  });

  it("bounds nesting, counting self-closed elements", () => {
    expect(wellFormedProblem("<a><a><a/></a></a>", { maxDepth: 3, maxElements: 100 })).toBeNull();
    expect(wellFormedProblem("<a><a><a/></a></a>", { maxDepth: 2, maxElements: 100 })).toBe("nested deeper than 2 elements");
  });

  it("bounds the number of elements", () => {
    expect(wellFormedProblem(`<a>${"<b/>".repeat(4)}</a>`, { maxDepth: 3, maxElements: 5 })).toBeNull();
    expect(wellFormedProblem(`<a>${"<b/>".repeat(5)}</a>`, { maxDepth: 3, maxElements: 5 })).toBe("more than 5 elements");
  });
});
