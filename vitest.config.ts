import { defineConfig } from "vitest/config";
import SummaryReporter from "./test/summary-reporter.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", new SummaryReporter()],
    // Integration tests start real servers on 127.0.0.1; keep a ceiling so a hang fails instead of stalling CI.
    testTimeout: 15_000,
    hookTimeout: 15_000,
  },
});
