// `npm run partner -- <command>`: the process around runPartnerCli (run-cli.ts, which holds the commands, so
// tests import them without running this). The database is opened only by commands that need it.
import { runCliProcess } from "../cli/process.js";
import { runPartnerCli } from "./run-cli.js";

await runCliProcess((database) => runPartnerCli(process.argv.slice(2), { database, out: process.stdout, err: process.stderr }));
