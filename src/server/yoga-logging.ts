// Yoga's own logger, as pino lines. Every error yoga reports has been through maskError first and is on its
// request's line (error-log.ts); yoga reports it unmasked (its message, with whatever the client sent) and once per
// error (4,000 failing aliases: 4,000 lines), so none is written here. Its debug notes ("Processing GraphQL
// Parameters") are per-request chatter: trace.
import type { Logger } from "./logger.js";

export function yogaLogging(logger: Logger) {
  const note = (args: unknown[]) => (typeof args[0] === "string" ? args[0] : "yoga note");
  return {
    debug: (...args: unknown[]) => { logger.trace({ source: "yoga" }, note(args)); },
    info: (...args: unknown[]) => { logger.trace({ source: "yoga" }, note(args)); },
    // Not written by yoga 5 today; kinds only, should a later version pass it a request's values.
    warn: (...args: unknown[]) => {
      logger.warn({ source: "yoga", kinds: args.map((a) => (a instanceof Error ? a.name : typeof a)) }, "yoga warning");
    },
    error: () => undefined,
  };
}
