// `npm run operations -- <command>`: the process around runOperationsCli (run-cli.ts, which holds the commands,
// so tests import them without running this). The database is opened only by commands that need it.
import { loadConfig } from "../config.js";
import { runCliProcess } from "../cli/process.js";
import { runOperationsCli } from "./run-cli.js";

await runCliProcess((database) =>
  runOperationsCli(process.argv.slice(2), { database, limits: () => loadConfig(process.env).limits, out: process.stdout, err: process.stderr }),
);
