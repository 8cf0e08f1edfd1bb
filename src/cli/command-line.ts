// What the operators' CLIs (npm run partner, npm run operations) share: reading one command's arguments, the
// error that is the whole answer, and how they print tables, dates and unexpected failures.
import { parseArgs } from "node:util";

/** A mistake in the command line: its message is the whole answer. */
export class UsageError extends Error {}

export interface CommandSpec {
  /** The usage line after the command's name, e.g. `<manifest.json>`. */
  args: string;
  positionals: number;
  options?: Record<string, { type: "string" }>;
}

/** `program` names the CLI in messages (`partner`, `operations`). Throws a UsageError saying what is expected. */
export function parseCommandLine(
  program: string,
  name: string,
  command: CommandSpec,
  args: string[],
): { positionals: string[]; values: Record<string, string | boolean | undefined> } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options: command.options ?? {}, allowPositionals: true, strict: true });
  } catch (error) {
    // node:util's messages name the option ("Unknown option '--nme'"); the usage line says what is expected.
    const reason = error instanceof Error ? error.message.split(/\.\s/)[0] ?? error.message : "unreadable arguments";
    throw new UsageError(`${program} ${name}: ${reason}; expected: ${name} ${command.args}`.trimEnd());
  }
  if (parsed.positionals.length !== command.positionals) {
    throw new UsageError(`${program} ${name}: expected: ${name} ${command.args}`.trimEnd());
  }
  return { positionals: parsed.positionals, values: parsed.values as Record<string, string | boolean | undefined> };
}

/** Columns padded to their widest cell, two spaces apart; the last column unpadded. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}

export function formatDate(date: Date | null): string {
  return date === null ? "-" : date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** One line about an unexpected failure (the database unreachable): what it was, without a stack. */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return "failed";
  const code = "code" in error && typeof error.code === "string" ? ` (${error.code})` : "";
  const message = error.message.trim() === "" && error instanceof AggregateError ? error.errors.map(String).join("; ") : error.message;
  return `${message.trim() || error.name}${code}`;
}
