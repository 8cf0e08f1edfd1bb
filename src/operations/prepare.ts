// What stands between a persisted document and running it, worked out once per document: the same validation the
// server runs on a text document (graphql-js's rules, and the introspection ban when introspection is off) and the
// operation limits (server/operation-limits.ts). `operations check` reports the same errors before publication.
import { GraphQLError, validate, type GraphQLSchema, type ValidationRule } from "graphql";
import type { OperationVerdicts } from "../server/operation-limits.js";
import type { ManifestDocument } from "./manifest.js";
import type { PreparedDocument } from "./persisted-documents.js";

export interface DocumentChecks {
  schema: GraphQLSchema;
  /** The validation rules the server runs (graphql-js's specifiedRules, plus what the configuration adds). */
  rules: readonly ValidationRule[];
  verdicts: OperationVerdicts;
}

/** Why the document would be refused, in the order the server finds it; empty when it runs. */
export function documentErrors(checks: DocumentChecks, { text, document }: ManifestDocument): GraphQLError[] {
  const { limits } = checks.verdicts;
  const errors: GraphQLError[] = [];
  const bytes = Buffer.byteLength(text);
  if (bytes > limits.maxDocumentBytes) {
    errors.push(
      new GraphQLError(`The document is ${bytes} bytes long; the limit is ${limits.maxDocumentBytes}.`, {
        extensions: {
          code: "OPERATION_LIMIT_EXCEEDED",
          limit: "documentBytes",
          max: limits.maxDocumentBytes,
          found: bytes,
        },
      }),
    );
  }
  const invalid = validate(checks.schema, document, checks.rules);
  // Priced only once valid: the pricing assumes fields the schema knows.
  return [...errors, ...(invalid.length > 0 ? invalid : checks.verdicts.of(checks.schema, document).errors)];
}

export function prepareDocument(checks: DocumentChecks, manifestDocument: ManifestDocument): PreparedDocument {
  const { id, text, document, operation } = manifestDocument;
  return {
    id,
    text,
    document,
    operationName: operation.name?.value ?? null,
    operationType: operation.operation,
    errors: documentErrors(checks, manifestDocument),
  };
}
