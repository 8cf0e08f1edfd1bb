// GraphQL Code Generator: types every operation in schema/operations/ against the printed schema, as
// TypedDocumentNodes the tests run (`npm run codegen`). A schema change that breaks an operation fails
// codegen or the typecheck; CI also fails when the generated file drifts from what is committed (.ci/run).
//
// It also writes schema/persisted-documents.json, the persisted-documents manifest of the same operations, in the
// format graphql-codegen's client preset writes for a partner's build (`presetConfig.persistedDocuments`):
// `{ "sha256:<hex>": "<document>" }`, the hash over the preset's normalized print of each document.
import { preset as clientPreset } from "@graphql-codegen/client-preset";
import type { CodegenConfig } from "@graphql-codegen/cli";

type Plugin = Awaited<ReturnType<typeof clientPreset.buildGeneratesSection>>[number]["pluginMap"][string];

/**
 * The client preset, keeping only its manifest. The preset writes a folder (gql.ts, graphql.ts, an index barrel and
 * persisted-documents.json) whose TypeScript would duplicate test/generated/operations.ts; and it hashes each document
 * while generating graphql.ts, so that file must still be generated. Its other files' plugins run as usual but return
 * nothing, and codegen writes no file for empty output: of the folder (schema/ here), only persisted-documents.json
 * is written.
 */
const persistedDocumentsOnly: typeof clientPreset = {
  async buildGeneratesSection(options) {
    const sections = await clientPreset.buildGeneratesSection(options);
    const isManifest = (filename: string) => filename.endsWith("/persisted-documents.json");
    if (sections.filter((section) => isManifest(section.filename)).length !== 1) {
      throw new Error("the client preset no longer makes one persisted-documents.json: see codegen.ts");
    }
    return sections.map((section) =>
      isManifest(section.filename)
        ? section
        : { ...section, pluginMap: Object.fromEntries(Object.entries(section.pluginMap).map(([name, plugin]) => [name, discardOutput(plugin)])) },
    );
  },
};

function discardOutput(plugin: Plugin): Plugin {
  return {
    ...plugin,
    plugin: async (...args) => {
      await plugin.plugin(...args);
      return "";
    },
  };
}

const config: CodegenConfig = {
  schema: "schema/schema.graphql",
  documents: "schema/operations/*.graphql",
  generates: {
    "test/generated/operations.ts": {
      // typescript-operations 6 emits the enums and inputs the operations use by itself; adding the `typescript`
      // plugin too would declare them twice (TS2300). typed-document-node turns each operation into a
      // TypedDocumentNode<Result, Variables>.
      plugins: ["typescript-operations", "typed-document-node"],
      config: {
        useTypeImports: true,
        // Scalars as the gateway serializes them (src/graphql/builder.ts).
        scalars: {
          Date: { input: "string", output: "string" },
          DateTime: { input: "string", output: "string" },
          Count: { input: "number", output: "number" },
          // Certificate data: any JSON, output only.
          JSON: { input: "never", output: "unknown" },
          // uploadFile's file: a part of a GraphQL multipart request (a Blob or File in a FormData); never an output.
          File: { input: "Blob", output: "never" },
        },
        // A new scalar must be mapped here rather than silently typed `any`.
        strictScalars: true,
      },
    },
    // The client preset's folder: schema/persisted-documents.json and nothing else (see persistedDocumentsOnly).
    "schema/": {
      preset: persistedDocumentsOnly,
      presetConfig: { persistedDocuments: { hashAlgorithm: "sha256" } },
    },
  },
};

export default config;
