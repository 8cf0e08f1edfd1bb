// Re-renders bench/RESULTS.md from bench/RESULTS.json (written by the last `npm run bench`), without a rerun.
import { readFileSync, writeFileSync } from "node:fs";
import { writeResults, type Results } from "./report.js";

const json = new URL("./RESULTS.json", import.meta.url);
const parsed = JSON.parse(readFileSync(json, "utf8")) as Results & { started: string; finished: string };
writeFileSync(
  new URL("./RESULTS.md", import.meta.url),
  writeResults({ ...parsed, started: new Date(parsed.started), finished: new Date(parsed.finished) }),
);
