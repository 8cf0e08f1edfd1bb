import { defineConfig } from "vitest/config";
import SummaryReporter from "./test/summary-reporter.js";

export default defineConfig({
  // graphql 16 ships CJS (main) and ESM (module) builds. Node, and so Pothos and yoga, load the CJS one; without
  // this alias Vite would hand our own files the ESM one, and the two instances reject each other's types.
  resolve: { alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }] },
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", new SummaryReporter()],
    // Integration tests start real servers on 127.0.0.1; keep a ceiling so a hang fails instead of stalling CI.
    testTimeout: 15_000,
    hookTimeout: 15_000,
  },
});
