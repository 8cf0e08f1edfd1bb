// `npm run operations -- <command>`: the process around runOperationsCli (run-cli.ts, which holds the commands,
// so tests import them without running this). The database is opened only by commands that need it, as the
// partner CLI does.
import { loadConfig } from "../config.js";
import { openDatabase, type Database } from "../db/database.js";
import { runOperationsCli } from "./run-cli.js";

const opened: Database[] = [];
const open = async (): Promise<Database> => {
  if (opened[0] !== undefined) return opened[0];
  // A ConfigError thrown here is reported by runOperationsCli, on one line naming each variable at fault.
  const { url, dataDir } = loadConfig(process.env).database;
  if (url === null && dataDir === null) process.stderr.write("warning: DATA_DIR=memory: what this command changes is gone when it exits\n");
  const database = await openDatabase({ url, dataDir, poolSize: 2 });
  opened.push(database);
  return database;
};

try {
  process.exitCode = await runOperationsCli(process.argv.slice(2), {
    database: open,
    limits: () => loadConfig(process.env).limits,
    out: process.stdout,
    err: process.stderr,
  });
} catch (error) {
  // runOperationsCli answers every failure itself: reaching this is a bug, whose stack is worth seeing.
  console.error(error);
  process.exitCode = 1;
} finally {
  for (const database of opened) await database.close();
}
