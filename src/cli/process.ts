// The process around an operators' CLI (npm run partner, npm run operations): the database opened only when a
// command asks for it, at most once, from the gateway's own settings, and closed however the command ends.
import { loadConfig } from "../config.js";
import { openDatabase, type Database } from "../db/database.js";

/**
 * Runs `main` with a lazy database opener and sets the exit code it returns. `main` answers every failure itself
 * (a ConfigError thrown by the opener included); what escapes it is a bug, printed with its stack.
 */
export async function runCliProcess(main: (database: () => Promise<Database>) => Promise<number>): Promise<void> {
  let opened: Promise<Database> | undefined;
  const database = () =>
    (opened ??= (async () => {
      const { url, dataDir } = loadConfig(process.env).database;
      if (url === null && dataDir === null) process.stderr.write("warning: DATA_DIR=memory: what this command changes is gone when it exits\n");
      return openDatabase({ url, dataDir, poolSize: 2 });
    })());
  try {
    process.exitCode = await main(database);
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    if (opened !== undefined) await opened.then((d) => d.close(), () => undefined);
  }
}
