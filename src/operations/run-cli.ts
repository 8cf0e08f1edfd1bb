// The operators' persisted-operation commands (`npm run operations -- <command>`), as a function of argv and
// streams so tests run them in-process; cli.ts wires it to the process. Same shape as the partner CLI: a mistake
// is one line on `err` and exit code 1; `check` lists what breaks, a line per problem, by operation.
import { UsageError, describeFailure, formatDate, parseCommandLine, table, type CommandSpec } from "../cli/command-line.js";
import { readFile, stat } from "node:fs/promises";
import type { OperationLimitsConfig } from "../config.js";
import type { Database } from "../db/database.js";
import { schema } from "../graphql/schema.js";
import { PartnerError } from "../partners/errors.js";
import { checkDocuments } from "./check.js";
import { OperationsError } from "./errors.js";
import { MAX_MANIFEST_BYTES, MAX_MANIFEST_DOCUMENTS, readManifest, type ManifestDocument, type ManifestProblem } from "./manifest.js";
import { PersistedOperations, describeManifest, type ManifestKey, type ManifestSummary } from "./persisted-operations.js";

export interface Output {
  write(text: string): unknown;
}

export interface OperationsCliIo {
  /** The database, or how to open it (then only commands that need it do; the caller closes it). */
  database: Database | (() => Promise<Database>);
  /** The operation limits documents are checked against (config `limits`), or how to load them. */
  limits: OperationLimitsConfig | (() => OperationLimitsConfig);
  out: Output;
  err: Output;
  now?: () => Date;
}

export const operationsCliUsage = `Usage: npm run operations -- <command> [arguments]

Commands:
  check <manifest.json>
      Validate each document against the current schema and price it with the operation limits; exit 1 if any breaks.
  publish --partner <ptn_id|gateway> --app <name> --app-version <version> <manifest.json>
      Check the manifest, then store it as that app version (versions are immutable; the same again is a no-op).
  list [--partner <ptn_id|gateway>]
      List the published manifests.
  retire --partner <ptn_id|gateway> --app <name> --app-version <version>
      Stop serving an app version's documents (the version stays taken).
  help
      Show this text.

A manifest is graphql-codegen's persisted-documents JSON: { "sha256:<hex>": "<document>" }, at most
${MAX_MANIFEST_BYTES} bytes and ${MAX_MANIFEST_DOCUMENTS} documents (docs/persisted-operations.md).
The manifests live in DATABASE_URL's PostgreSQL, else in the embedded PGlite database in DATA_DIR.
`;


/** A manifest that breaks: the problems, printed a line each. */
class ManifestBreaks extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly ManifestProblem[],
    readonly total: number,
  ) {
    super(`${file}: ${problems.length} problem${problems.length === 1 ? "" : "s"}`);
  }
}

interface Context {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  operations: () => Promise<PersistedOperations>;
  /** The manifest's documents, all passing check, or ManifestBreaks. */
  checked: (file: string) => Promise<ManifestDocument[]>;
  out: (line: string) => void;
}

interface Command extends CommandSpec {
  run(context: Context): Promise<void>;
}

const keyOptions = { partner: { type: "string" }, app: { type: "string" }, "app-version": { type: "string" } } as const;

const commands: Record<string, Command> = {
  check: {
    args: "<manifest.json>",
    positionals: 1,
    async run({ positionals: [file = ""], checked, out }) {
      const documents = await checked(file);
      out(`${file}: all ${documents.length} operation${documents.length === 1 ? "" : "s"} pass (schema and operation limits)`);
    },
  },
  publish: {
    args: "--partner <ptn_id|gateway> --app <name> --app-version <version> <manifest.json>",
    positionals: 1,
    options: keyOptions,
    async run({ positionals: [file = ""], values, operations, checked, out }) {
      const key = manifestKey("publish", values);
      const documents = await checked(file);
      const { manifest, created } = await (await operations()).publish(key, documents);
      out(
        created
          ? `Published ${describeManifest(key)}: ${manifest.documents} operation${manifest.documents === 1 ? "" : "s"}`
          : `Unchanged: ${describeManifest(key)} is published already with these ${manifest.documents} operations (at ${formatDate(manifest.publishedAt)})`,
      );
    },
  },
  list: {
    args: "[--partner <ptn_id|gateway>]",
    positionals: 0,
    options: { partner: { type: "string" } },
    async run({ values, operations, out }) {
      const partner = values.partner;
      const all = await (await operations()).list(typeof partner === "string" ? partnerOf(partner) : undefined);
      if (all.length === 0) {
        out("No manifests yet. Publish one with: npm run operations -- publish --partner <ptn_id|gateway> --app <name> --app-version <v> <manifest.json>");
        return;
      }
      out(manifestTable(all));
    },
  },
  retire: {
    args: "--partner <ptn_id|gateway> --app <name> --app-version <version>",
    positionals: 0,
    options: keyOptions,
    async run({ values, operations, out }) {
      const key = manifestKey("retire", values);
      const manifest = await (await operations()).retire(key);
      out(`Retired ${describeManifest(key)} at ${formatDate(manifest.retiredAt)}: its ${manifest.documents} operations are no longer served`);
    },
  },
  help: {
    args: "",
    positionals: 0,
    run({ out }) {
      out(operationsCliUsage.trimEnd());
      return Promise.resolve();
    },
  },
};

/** Runs one command; the exit code: 0 done, 1 refused (the reason on `err`). */
export async function runOperationsCli(argv: readonly string[], io: OperationsCliIo): Promise<number> {
  const [name, ...rest] = argv;
  const out = (line: string) => void io.out.write(`${line}\n`);
  const fail = (message: string) => {
    io.err.write(`${message.replace(/\s*\n\s*/g, " ")}\n`);
    return 1;
  };
  if (name === undefined) return fail("operations: a command is required: run `npm run operations -- help` for the list");
  if (name === "--help" || name === "-h") return runOperationsCli(["help"], io);
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (command === undefined) return fail(`operations: unknown command ${JSON.stringify(name.slice(0, 40))}: run \`npm run operations -- help\` for the list`);

  let operations: PersistedOperations | undefined;
  const open = async () => {
    const database = typeof io.database === "function" ? await io.database() : io.database;
    operations ??= new PersistedOperations({ db: database.db, now: io.now ?? (() => new Date()) });
    return operations;
  };
  const checked = async (file: string) => {
    const limits = typeof io.limits === "function" ? io.limits() : io.limits;
    const { documents, problems, total } = readManifest(await readManifestFile(file), { maxTokens: limits.maxTokens });
    problems.push(...checkDocuments(schema, documents, limits));
    if (problems.length > 0) throw new ManifestBreaks(file, problems, total);
    return documents;
  };
  try {
    const { positionals, values } = parseCommandLine("operations", name, command, rest);
    await command.run({ positionals, values, operations: open, checked, out });
    return 0;
  } catch (error) {
    if (error instanceof ManifestBreaks) {
      const broken = new Set(error.problems.map((p) => p.id)).size;
      const whole = error.problems.some((p) => p.id === null);
      io.err.write(`${error.file}: ${whole ? "the manifest cannot be read" : `${broken} of ${error.total} operations break`}${name === "publish" ? ": nothing published" : ""}\n`);
      for (const problem of error.problems) io.err.write(`  ${describeProblem(problem)}\n`);
      return 1;
    }
    if (error instanceof UsageError || error instanceof OperationsError || error instanceof PartnerError) return fail(error.message);
    return fail(`operations ${name}: ${describeFailure(error)}`);
  }
}

async function readManifestFile(file: string): Promise<string> {
  try {
    // Refused before it is read: the file's size is what bounds memory.
    const { size } = await stat(file);
    if (size > MAX_MANIFEST_BYTES) throw new UsageError(`${file}: the manifest is ${size} bytes; the limit is ${MAX_MANIFEST_BYTES}`);
    return await readFile(file, "utf8");
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
    throw new UsageError(`${file}: cannot read the manifest${code ? ` (${code})` : ""}`);
  }
}

function describeProblem(problem: ManifestProblem): string {
  if (problem.id === null) return problem.message;
  const name = problem.operation ?? "(unnamed)";
  return `${name} (${problem.id.slice(0, 19)}…): ${problem.message}`;
}

function partnerOf(value: string): string | null {
  return value === "gateway" ? null : value;
}

function manifestKey(command: string, values: Context["values"]): ManifestKey {
  const { partner, app, "app-version": version } = values;
  if (typeof partner !== "string" || typeof app !== "string" || typeof version !== "string") {
    throw new UsageError(`operations ${command}: --partner, --app and --app-version are required, e.g. --partner gateway --app web --app-version 1.4.0`);
  }
  return { partnerId: partnerOf(partner), appName: app, appVersion: version };
}

function manifestTable(manifests: readonly ManifestSummary[]): string {
  return table(
    ["PARTNER", "APP", "VERSION", "OPERATIONS", "PUBLISHED", "RETIRED"],
    manifests.map((m) => [m.partnerId ?? "gateway", m.appName, m.appVersion, String(m.documents), formatDate(m.publishedAt), formatDate(m.retiredAt)]),
  );
}
