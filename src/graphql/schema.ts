// The schema: each module under types/ adds its types and root fields to the builder when imported.
import { lexicographicSortSchema, printSchema } from "graphql";
import { builder } from "./builder.js";
import "./types/scalars.js";
import "./types/issuer.js";
import "./types/doc-type.js";
import "./types/search-parameter.js";
import "./types/catalog.js";
import "./types/statistics.js";
import "./types/user.js";
import "./types/issued-document.js";
import "./types/folder.js";
import "./types/sign-in.js";
import "./types/consent-request.js";
import "./types/push-uri.js";
import "./types/pull-document.js";
import "./types/verify-account.js";
import "./types/upload-file.js";
import "./types/document-contents.js";
import "./types/e-aadhaar.js";
import "./types/digilocker-credentials.js";

export const schema = builder.toSchema();

/** The schema as committed in schema/schema.graphql: sorted, so diffs stay stable. */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
