// PGlite's data folder serves one process: two processes writing it lose each other's writes without an error.
// A lock file inside the folder, naming the process that holds it, turns that into a refusal at start-up. A
// lock left by a process that no longer runs (a crash) is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const LOCK_FILE = "digilocker-graphql.lock";

/** Takes the folder (creating it) for this process; returns the release. Throws when a live process holds it. */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
      return () => { rmSync(file, { force: true }); };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw error;
    }
    const holder = Number.parseInt(readFileSync(file, "utf8"), 10);
    if (Number.isInteger(holder) && holder !== process.pid && isRunning(holder)) {
      throw new Error(
        `DATA_DIR: ${dir} is in use by process ${holder} (a running gateway?); an embedded database serves one process. ` +
          "Stop that gateway while `npm run partner` runs, give each instance its own DATA_DIR, or share PostgreSQL through DATABASE_URL " +
          `(remove ${file} if that process is not a gateway).`,
      );
    }
    rmSync(file, { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
