// `operations check`: each manifest document against the current schema (graphql-js's validate) and priced with
// the operation limits the server refuses documents by before execution (limitErrors in graphql/operation-limits.ts),
// as the server prices them once per document: page sizes given by variables at 1.
import { GraphQLError, validate, type GraphQLSchema } from "graphql";
import type { OperationLimitsConfig } from "../config.js";
import { limitErrors, priceOperation } from "../graphql/operation-limits.js";
import type { ManifestDocument, ManifestProblem } from "./manifest.js";

/** What breaks in each document, in manifest order; empty when every one would run. */
export function checkDocuments(schema: GraphQLSchema, documents: readonly ManifestDocument[], limits: OperationLimitsConfig): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  for (const { id, text, document, operation } of documents) {
    const name = operation.name?.value ?? null;
    const problem = (message: string) => problems.push({ id, operation: name, message });
    const bytes = Buffer.byteLength(text);
    if (bytes > limits.maxDocumentBytes) problem(`the document is ${bytes} bytes long; the limit is ${limits.maxDocumentBytes}`);
    if (!schema.getRootType(operation.operation)) {
      problem(`this gateway has no ${operation.operation} operations`);
      continue;
    }
    const errors: readonly GraphQLError[] = validate(schema, document);
    for (const error of errors) problem(error.message);
    // Priced only once valid: the pricing assumes fields the schema knows.
    if (errors.length > 0) continue;
    for (const error of limitErrors(priceOperation(schema, document, operation, null), limits, name ?? undefined)) problem(error.message);
  }
  return problems;
}
