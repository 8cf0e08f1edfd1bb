// GraphQL Code Generator: types every operation in schema/operations/ against the printed schema, as
// TypedDocumentNodes the tests run (`npm run codegen`). A schema change that breaks an operation fails
// codegen or the typecheck; CI also fails when the generated file drifts from what is committed (.ci/run).
import type { CodegenConfig } from "@graphql-codegen/cli";

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
  },
};

export default config;
