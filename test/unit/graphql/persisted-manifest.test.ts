// schema/persisted-documents.json is an artifact, like the printed schema: the persisted-documents manifest of
// schema/operations/, in the client preset's format (`{ "sha256:<hex>": "<document>" }`). It must match the
// operations, and each id must be the SHA-256 of its document, recomputed here with node:crypto.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { generate } from "@graphql-codegen/cli";
import { Kind, parse, type DocumentNode } from "graphql";
import { describe, expect, it } from "vitest";
import config from "../../../codegen.js";

const root = new URL("../../../", import.meta.url);
const stale = "schema/persisted-documents.json is out of date: run `npm run codegen` and commit it";

async function committedManifest(): Promise<Record<string, string>> {
  return JSON.parse(await readFile(new URL("schema/persisted-documents.json", root), "utf8")) as Record<string, string>;
}

function operationNames(document: DocumentNode): string[] {
  return document.definitions.flatMap((definition) =>
    definition.kind === Kind.OPERATION_DEFINITION ? [definition.name?.value ?? "(anonymous)"] : [],
  );
}

describe("schema/persisted-documents.json", () => {
  it("keys each document by sha256:<hex> of its text", async () => {
    const manifest = await committedManifest();
    expect(Object.keys(manifest).length).toBeGreaterThan(0);
    for (const [id, document] of Object.entries(manifest)) {
      expect(id, `${stale} (an id is not the SHA-256 of its document)`).toBe(
        `sha256:${createHash("sha256").update(document, "utf8").digest("hex")}`,
      );
    }
  });

  it("holds one document per operation in schema/operations/, by name", async () => {
    const directory = new URL("schema/operations/", root);
    const files = (await readdir(directory)).filter((name) => name.endsWith(".graphql"));
    const sources = await Promise.all(files.map((name) => readFile(new URL(name, directory), "utf8")));
    const expected = sources.flatMap((source) => operationNames(parse(source))).sort();

    const documents = Object.values(await committedManifest()).map((text) => parse(text));
    for (const document of documents) expect(operationNames(document), "one operation per document").toHaveLength(1);
    expect(documents.flatMap(operationNames).sort(), stale).toEqual(expected);
  });

  it("is what `npm run codegen` writes today", async () => {
    const target = config.generates["schema/"];
    if (target === undefined) throw new Error('codegen.ts has no "schema/" output');
    const generates = { "schema/": target };
    const outputs = (await generate({ ...config, generates, silent: true, cwd: root.pathname }, false)) as { filename: string; content: string }[];
    expect(outputs.map((output) => output.filename)).toContain("schema/persisted-documents.json");
    const regenerated = outputs.find((output) => output.filename === "schema/persisted-documents.json")?.content;
    const committed = await readFile(new URL("schema/persisted-documents.json", root), "utf8");
    expect(committed, stale).toBe(regenerated);
  });
});
