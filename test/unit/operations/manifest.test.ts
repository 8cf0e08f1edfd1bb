import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { schema } from "../../../src/graphql/schema.js";
import { checkDocuments } from "../../../src/operations/check.js";
import { MAX_MANIFEST_DOCUMENTS, readManifest } from "../../../src/operations/manifest.js";

const sha = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex")}`;
const manifestOf = (...documents: string[]) => JSON.stringify(Object.fromEntries(documents.map((d) => [sha(d), d])));
const limits = loadConfig({}).limits;

describe("readManifest", () => {
  it("reads codegen's manifest, one operation per document", () => {
    const read = readManifest(manifestOf("query A { statistics { users } }", "query B { statistics { issuers } }"));
    expect(read.problems).toEqual([]);
    expect(read.documents.map((d) => d.operation.name?.value)).toEqual(["A", "B"]);
  });

  it("refuses a key that is not the document's SHA-256, naming it", () => {
    const key = sha("query Other { statistics { users } }");
    const { documents, problems } = readManifest(JSON.stringify({ [key]: "query A { statistics { users } }" }));
    expect(documents).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.id).toBe(key);
    expect(problems[0]!.message).toContain(`the key ${key} is not the SHA-256 of its document`);
  });

  it("refuses keys that are not sha256:<lowercase hex>", () => {
    const text = "query A { statistics { users } }";
    const { problems } = readManifest(JSON.stringify({ [sha(text).toUpperCase()]: text, abc: text }));
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining("must be sha256: followed by 64 lowercase hex digits"),
      expect.stringContaining('the key "abc" must be sha256:'),
    ]);
  });

  it("refuses two operations in one document, and a document that does not parse", () => {
    const { problems } = readManifest(manifestOf("query A { statistics { users } } query B { statistics { users } }", "query {"));
    expect(problems.map((p) => p.message)).toEqual([
      "the document must hold exactly one operation; it holds 2 (A, B)",
      expect.stringContaining("the document does not parse: Syntax Error"),
    ]);
  });

  it("refuses what is not a manifest at all", () => {
    expect(readManifest("[1]").problems[0]!.message).toContain("must be a JSON object");
    expect(readManifest("{").problems[0]!.message).toContain("is not JSON");
    expect(readManifest("{}").problems[0]!.message).toBe("the manifest has no documents");
    expect(readManifest(JSON.stringify({ [sha("x")]: 3 })).problems[0]!.message).toContain("must be a JSON object");
  });

  it("bounds the number of documents", () => {
    const many = Array.from({ length: MAX_MANIFEST_DOCUMENTS + 1 }, (_, i) => `query Q${i} { statistics { users } }`);
    expect(readManifest(manifestOf(...many)).problems[0]!.message).toBe(`the manifest has ${MAX_MANIFEST_DOCUMENTS + 1} documents; the limit is ${MAX_MANIFEST_DOCUMENTS}`);
  });
});

describe("checkDocuments", () => {
  it("passes the gateway's own schema/persisted-documents.json", () => {
    const read = readManifest(readFileSync("schema/persisted-documents.json", "utf8"), { maxTokens: limits.maxTokens });
    expect(read.problems).toEqual([]);
    expect(read.documents.length).toBeGreaterThan(0);
    expect(checkDocuments(schema, read.documents, limits)).toEqual([]);
  });

  it("reports a field the schema no longer has, and a limit exceeded, by operation", () => {
    const deep = "query Deep { statistics { users } }";
    const read = readManifest(manifestOf("query Gone { statistics { noSuchField } }", deep));
    const problems = checkDocuments(schema, read.documents, { ...limits, maxRootFields: 0 });
    expect(problems.map((p) => [p.id, p.operation])).toEqual([
      [sha("query Gone { statistics { noSuchField } }"), "Gone"],
      [sha(deep), "Deep"],
    ]);
    expect(problems[0]!.message).toContain('Cannot query field "noSuchField"');
    expect(problems[1]!.message).toContain("Operation Deep asks for 1 root fields");
  });
});
