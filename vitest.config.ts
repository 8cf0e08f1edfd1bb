import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests start real servers on 127.0.0.1; keep a ceiling so a hang fails instead of stalling CI.
    testTimeout: 15_000,
    hookTimeout: 15_000,
  },
});
