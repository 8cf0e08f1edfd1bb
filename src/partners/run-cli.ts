// The operators' partner commands (`npm run partner -- <command>`), as a function of argv and streams so tests
// run them in-process; cli.ts wires it to the process. A mistake in the input is one line on `err` and exit
// code 1, never a stack trace.
import { UsageError, describeFailure, formatDate, parseCommandLine, table, type CommandSpec } from "../cli/command-line.js";
import type { Database } from "../db/database.js";
import { isKeyId } from "./api-keys.js";
import { InvalidPartnerInput, PartnerError } from "./errors.js";
import { parseLimit } from "./input.js";
import { Partners, type Partner, type PartnerLimits, type PartnerSummary } from "./partners.js";
import { partnerScopes } from "./scopes.js";

export interface Output {
  write(text: string): unknown;
}

export interface PartnerCliIo {
  /** The database, or how to open it (then only commands that need it do; the caller closes it). */
  database: Database | (() => Promise<Database>);
  out: Output;
  err: Output;
  now?: () => Date;
}

export const partnerCliUsage = `Usage: npm run partner -- <command> [arguments]

Commands:
  create --name <name> [--scopes <a,b,...>] [--origins <https://x,https://y>]
      Create a partner and its first API key. The key is printed once, never again.
  list
      List partners and their keys (key ids and dates, never a key itself).
  add-key <partnerId> [--label <text>]
      Add an API key to a partner (to rotate: add one, move the client to it, revoke the old one).
  revoke-key <partnerId> <keyId>
      Refuse a key from now on.
  set-scopes <partnerId> <a,b,...>
      Replace a partner's scopes ("" for none).
  set-origins <partnerId> <https://x,https://y>
      Replace the origins a partner's consent requests may redirect to ("" for none).
  set-limits <partnerId> [--requests <n|default|unlimited>] [--digilocker-calls <n|default|unlimited>]
      Set a partner's budgets per rate window (n from 0 to 1000000000; 0 and unlimited: no limit; default: the
      gateway's PARTNER_REQUESTS_PER_WINDOW / PARTNER_DIGILOCKER_CALLS_PER_WINDOW). Its apps get as much each.
  disable <partnerId>
      Refuse all of a partner's keys.
  enable <partnerId>
      Accept a disabled partner's keys again.
  scopes
      List the scopes and what each allows.
  help
      Show this text.

The partners live in DATABASE_URL's PostgreSQL, else in the embedded PGlite database in DATA_DIR (docs/partners.md).
`;


interface Context {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  partners: () => Promise<Partners>;
  out: (line: string) => void;
}

interface Command extends CommandSpec {
  run(context: Context): Promise<void>;
}

const commands: Record<string, Command> = {
  create: {
    args: "--name <name> [--scopes <a,b,...>] [--origins <https://x,...>]",
    positionals: 0,
    options: { name: { type: "string" }, scopes: { type: "string" }, origins: { type: "string" } },
    async run({ values, partners, out }) {
      const name = values.name;
      if (typeof name !== "string") throw new UsageError("partner create: --name is required, e.g. --name \"Acme KYC\"");
      const { partner, key } = await (await partners()).create({
        name,
        scopes: commaList(values.scopes),
        redirectOrigins: commaList(values.origins),
      });
      out(`Created partner ${partner.id} (${partner.name})`);
      describePartner(partner, out);
      out("API key below, shown this once: only its hash is stored, so copy it to the partner's secret store now.");
      out(key);
    },
  },
  list: {
    args: "",
    positionals: 0,
    async run({ partners, out }) {
      const all = await (await partners()).list();
      if (all.length === 0) {
        out('No partners yet. Create one with: npm run partner -- create --name "<name>"');
        return;
      }
      out(partnerTable(all));
      out("");
      out(keyTable(all));
    },
  },
  "add-key": {
    args: "<partnerId> [--label <text>]",
    positionals: 1,
    options: { label: { type: "string" } },
    async run({ positionals: [partnerId = ""], values, partners, out }) {
      const label = typeof values.label === "string" ? values.label : null;
      const { keyId, key } = await (await partners()).addKey(partnerId, label);
      out(`Added key ${keyId} to partner ${partnerId}`);
      out("API key below, shown this once: only its hash is stored, so copy it to the partner's secret store now.");
      out(key);
    },
  },
  "revoke-key": {
    args: "<partnerId> <keyId>",
    positionals: 2,
    async run({ positionals: [partnerId = "", keyId = ""], partners, out }) {
      if (!isKeyId(keyId)) {
        throw new InvalidPartnerInput("keyId", `${JSON.stringify(keyId.slice(0, 40))} is not a key id: a key id is the 12 characters after dlg_ (see \`npm run partner -- list\`)`);
      }
      const key = await (await partners()).revokeKey(partnerId, keyId);
      out(`Revoked key ${key.id} of partner ${partnerId} at ${formatDate(key.revokedAt)}`);
    },
  },
  "set-scopes": {
    args: "<partnerId> <a,b,...>",
    positionals: 2,
    async run({ positionals: [partnerId = "", scopes], partners, out }) {
      const partner = await (await partners()).setScopes(partnerId, commaList(scopes));
      out(`Partner ${partner.id} now has the scopes: ${orNone(partner.scopes)}`);
    },
  },
  "set-origins": {
    args: "<partnerId> <https://x,https://y>",
    positionals: 2,
    async run({ positionals: [partnerId = "", origins], partners, out }) {
      const partner = await (await partners()).setRedirectOrigins(partnerId, commaList(origins));
      out(`Partner ${partner.id} now has the redirect origins: ${orNone(partner.redirectOrigins)}`);
    },
  },
  "set-limits": {
    args: "<partnerId> [--requests <n|default|unlimited>] [--digilocker-calls <n|default|unlimited>]",
    positionals: 1,
    options: { requests: { type: "string" }, "digilocker-calls": { type: "string" } },
    async run({ positionals: [partnerId = ""], values, partners, out }) {
      const requests = values.requests;
      const calls = values["digilocker-calls"];
      if (typeof requests !== "string" && typeof calls !== "string") {
        throw new UsageError("partner set-limits: give --requests, --digilocker-calls or both, each a number, default or unlimited");
      }
      // Both checked before anything is written.
      const limits = {
        ...(typeof requests === "string" ? { requests: parseLimit("requests", requests) } : {}),
        ...(typeof calls === "string" ? { digilockerCalls: parseLimit("digilockerCalls", calls) } : {}),
      };
      const partner = await (await partners()).setLimits(partnerId, limits);
      out(`Partner ${partner.id} now has the limits per window: ${describeLimits(partner.limits)}`);
    },
  },
  disable: {
    args: "<partnerId>",
    positionals: 1,
    async run({ positionals: [partnerId = ""], partners, out }) {
      const partner = await (await partners()).disable(partnerId);
      out(`Disabled partner ${partner.id} (${partner.name}): its keys are refused`);
    },
  },
  enable: {
    args: "<partnerId>",
    positionals: 1,
    async run({ positionals: [partnerId = ""], partners, out }) {
      const partner = await (await partners()).enable(partnerId);
      out(`Enabled partner ${partner.id} (${partner.name}): its unrevoked keys are accepted`);
    },
  },
  scopes: {
    args: "",
    positionals: 0,
    run({ out }) {
      out(table(["SCOPE", "ALLOWS"], partnerScopes.map((s) => [s.name, s.description])));
      return Promise.resolve();
    },
  },
  help: {
    args: "",
    positionals: 0,
    run({ out }) {
      out(partnerCliUsage.trimEnd());
      return Promise.resolve();
    },
  },
};

/** Runs one command; the exit code: 0 done, 1 refused (the reason on `err`, one line). */
export async function runPartnerCli(argv: readonly string[], io: PartnerCliIo): Promise<number> {
  const [name, ...rest] = argv;
  const out = (line: string) => void io.out.write(`${line}\n`);
  const fail = (message: string) => {
    io.err.write(`${message.replace(/\s*\n\s*/g, " ")}\n`);
    return 1;
  };
  if (name === undefined) return fail("partner: a command is required: run `npm run partner -- help` for the list");
  if (name === "--help" || name === "-h") return runPartnerCli(["help"], io);
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (command === undefined) return fail(`partner: unknown command ${JSON.stringify(name.slice(0, 40))}: run \`npm run partner -- help\` for the list`);

  let partners: Partners | undefined;
  const open = async () => {
    const database = typeof io.database === "function" ? await io.database() : io.database;
    partners ??= new Partners(
      { db: database.db, now: io.now ?? (() => new Date()), log: { warn: (fields, message) => void io.err.write(`warning: ${message} ${JSON.stringify(fields)}\n`) } },
      // One command, one process: nothing to cache.
      { authCacheTtlMs: 0 },
    );
    return partners;
  };
  try {
    const { positionals, values } = parseCommandLine("partner", name, command, rest);
    await command.run({ positionals, values, partners: open, out });
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof PartnerError) return fail(error.message);
    return fail(`partner ${name}: ${describeFailure(error)}`);
  }
}


function commaList(value: string | boolean | undefined): string[] {
  if (typeof value !== "string") return [];
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function describePartner(partner: Partner, out: (line: string) => void): void {
  out(`  scopes: ${orNone(partner.scopes)}`);
  out(`  redirect origins: ${orNone(partner.redirectOrigins)}`);
}

/** "requests 600, DigiLocker calls default" as an operator reads it. */
function describeLimits(limits: PartnerLimits): string {
  return `requests ${limitText(limits.requests)}, DigiLocker calls ${limitText(limits.digilockerCalls)}`;
}

function limitText(limit: number | null): string {
  return limit === null ? "default" : limit === 0 ? "unlimited" : String(limit);
}

function orNone(items: readonly string[]): string {
  return items.length === 0 ? "(none)" : items.join(", ");
}

function partnerTable(partners: readonly PartnerSummary[]): string {
  return table(
    ["PARTNER", "NAME", "STATUS", "SCOPES", "REDIRECT ORIGINS", "REQUESTS", "DL CALLS", "CREATED"],
    partners.map((p) => [
      p.id,
      p.name,
      p.status,
      p.scopes.join(",") || "-",
      p.redirectOrigins.join(",") || "-",
      limitText(p.limits.requests),
      limitText(p.limits.digilockerCalls),
      formatDate(p.createdAt),
    ]),
  );
}

function keyTable(partners: readonly PartnerSummary[]): string {
  return table(
    ["KEY", "PARTNER", "LABEL", "CREATED", "LAST USED", "REVOKED"],
    partners.flatMap((p) =>
      p.keys.map((k) => [k.id, p.id, k.label ?? "-", formatDate(k.createdAt), formatDate(k.lastUsedAt), formatDate(k.revokedAt)]),
    ),
  );
}
