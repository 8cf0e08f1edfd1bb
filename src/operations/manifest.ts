// A persisted-documents manifest as graphql-codegen's client preset writes it (`persistedDocuments` with the
// sha256 algorithm): one JSON object, `{ "sha256:<64 lowercase hex>": "<document text>" }`. Read here into
// documents each with its one operation; what is wrong with an entry is a problem naming its key, and all of
// them are reported together.
import { createHash } from "node:crypto";
import { GraphQLError, Kind, parse, type DocumentNode, type OperationDefinitionNode } from "graphql";
import { z } from "zod";

/** Largest manifest file read, in bytes (the gateway's own is a few KiB; a large app's a few hundred). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** Most documents in one manifest. */
export const MAX_MANIFEST_DOCUMENTS = 2_000;

const DOCUMENT_ID = /^sha256:[0-9a-f]{64}$/;
export const documentIdSchema = z.string().regex(DOCUMENT_ID, "must be sha256: followed by 64 lowercase hex digits");
const manifestSchema = z.record(z.string(), z.string().min(1, "the document is empty"));

export interface ManifestDocument {
  /** `sha256:<hex>`, the SHA-256 of `text`. */
  id: string;
  text: string;
  document: DocumentNode;
  operation: OperationDefinitionNode;
}

/** Something wrong with one entry (or, `id` null, with the whole manifest). */
export interface ManifestProblem {
  id: string | null;
  /** The operation's name when the document got that far; null when anonymous or unparsed. */
  operation: string | null;
  message: string;
}

export interface ReadManifest {
  documents: ManifestDocument[];
  problems: ManifestProblem[];
  /** Entries in the manifest, read or not. */
  total: number;
}

export function documentIdOf(text: string): string {
  return `sha256:${createHash("sha256").update(text, "utf8").digest("hex")}`;
}

/** Reads a manifest's text; `maxTokens` bounds each document's parse, as the server's parser does. */
export function readManifest(json: string, options: { maxTokens?: number } = {}): ReadManifest {
  const whole = (message: string): ReadManifest => ({ documents: [], problems: [{ id: null, operation: null, message }], total: 0 });
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_MANIFEST_BYTES) return whole(`the manifest is ${bytes} bytes; the limit is ${MAX_MANIFEST_BYTES}`);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    return whole(`the manifest is not JSON: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${JSON.stringify(String(issue.path[0]).slice(0, 80))}` : "";
    return whole(`the manifest must be a JSON object of "sha256:<hex>": "<document>"${where}: ${issue?.message ?? "unreadable"}`);
  }
  const entries = Object.entries(parsed.data);
  if (entries.length === 0) return whole("the manifest has no documents");
  if (entries.length > MAX_MANIFEST_DOCUMENTS) return { ...whole(`the manifest has ${entries.length} documents; the limit is ${MAX_MANIFEST_DOCUMENTS}`), total: entries.length };

  const documents: ManifestDocument[] = [];
  const problems: ManifestProblem[] = [];
  for (const [key, text] of entries) {
    const read = readDocument(key, text, options);
    if ("message" in read) problems.push(read);
    else documents.push(read);
  }
  return { documents, problems, total: entries.length };
}

/** One manifest entry: its key checked against its text's hash, the text parsed, exactly one operation in it. */
export function readDocument(key: string, text: string, options: { maxTokens?: number } = {}): ManifestDocument | ManifestProblem {
  const problem = (message: string, operation: string | null = null): ManifestProblem => ({ id: key, operation, message });
  const id = documentIdSchema.safeParse(key);
  if (!id.success) return problem(`the key ${JSON.stringify(key.slice(0, 80))} ${id.error.issues[0]?.message ?? "is not a document id"}`);
  const actual = documentIdOf(text);
  if (actual !== key) return problem(`the key ${key} is not the SHA-256 of its document, which is ${actual}: regenerate the manifest`);
  let document: DocumentNode;
  try {
    document = parse(text, options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens });
  } catch (error) {
    return problem(`the document does not parse: ${error instanceof GraphQLError ? error.message : String(error)}`);
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const [operation] = operations;
  if (operations.length !== 1 || operation === undefined) {
    const names = operations.map((o) => o.name?.value ?? "(anonymous)").join(", ");
    return problem(`the document must hold exactly one operation; it holds ${operations.length}${names ? ` (${names})` : ""}`);
  }
  return { id: key, text, document, operation };
}
