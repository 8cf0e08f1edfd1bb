// `operations check`: each manifest document against the current schema and the operation limits, with the checks
// the server makes before running a persisted document (prepare.ts), page sizes given by variables priced at 1.
import { specifiedRules, type GraphQLSchema } from "graphql";
import type { OperationLimitsConfig } from "../config.js";
import { OperationVerdicts } from "../server/operation-limits.js";
import type { ManifestDocument, ManifestProblem } from "./manifest.js";
import { documentErrors } from "./prepare.js";

/** What breaks in each document, in manifest order; empty when every one would run. */
export function checkDocuments(schema: GraphQLSchema, documents: readonly ManifestDocument[], limits: OperationLimitsConfig): ManifestProblem[] {
  const checks = {
    schema,
    rules: specifiedRules,
    verdicts: new OperationVerdicts(limits),
  };
  return documents.flatMap((d) =>
    documentErrors(checks, d).map((error) => ({
      id: d.id,
      operation: d.operation.name?.value ?? null,
      message: error.message,
    })),
  );
}
