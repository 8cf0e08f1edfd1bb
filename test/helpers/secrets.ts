// Checks that nothing a user or a log line can see of an error holds a credential, or any 8-character piece of one.
import { inspect } from "node:util";
import { expect } from "vitest";

/** What a caller, a JSON logger and console.error show of an error (util.inspect includes the cause chain). */
export function visibleText(error: unknown): Record<string, string> {
  return {
    message: error instanceof Error ? error.message : "",
    string: String(error),
    json: JSON.stringify(error),
    inspect: inspect(error, { depth: 10 }),
  };
}

export function expectNoSecrets(error: unknown, secrets: readonly string[]): void {
  const views = visibleText(error);
  for (const secret of secrets) {
    for (let i = 0; i + 8 <= secret.length; i++) {
      const piece = secret.slice(i, i + 8);
      for (const [view, text] of Object.entries(views)) {
        expect(text.includes(piece), `${view} of ${String(error)} contains "${piece}" of a secret`).toBe(false);
      }
    }
  }
}
