// JSON logs with credentials redacted by path, whatever code logs them, and errors scrubbed of what looks like a
// secret. Redaction by path cannot reach inside a message: the code that logs keeps request values out of its
// lines altogether (error-log.ts); these are the backstops.
import { pino, stdSerializers, type DestinationStream, type Logger } from "pino";

/** Runs of 16+ letters, digits and token punctuation with a digit in them: tokens, hashes, JWTs, UUIDs, ids. */
const TOKEN_LIKE = /[A-Za-z0-9_+/=.-]*\d[A-Za-z0-9_+/=.-]*/g;
/** Nine or more digits, spaced or not: Aadhaar numbers, mobile numbers, account numbers. */
const NUMBER_LIKE = /\+?\d(?:[\s-]?\d){8,}/g;
const MAX_MESSAGE_CHARS = 300;
/** Scrubbed before it is cut: a token across the cut is masked whole; the regexes stay cheap on a huge message. */
const SCRUBBED_CHARS = 1_000;
const MAX_CAUSES = 3;

function scrub(text: string): string {
  return text
    .slice(0, SCRUBBED_CHARS)
    .replace(NUMBER_LIKE, "[number]")
    .replace(TOKEN_LIKE, (run) => (run.length >= 16 && /[A-Za-z]/.test(run) ? "[token]" : run))
    .slice(0, MAX_MESSAGE_CHARS);
}

/**
 * What a log line keeps of an error: its class, its message with anything secret-looking masked (a bug's message
 * may quote a value it choked on: JSON.parse quotes its input), its stack frames, and its causes alike. Own
 * properties are dropped: an error class may carry a request's values on them. Same prototype, so pino's `err`
 * serializer still names the class.
 */
export function scrubbedError(error: Error, depth = 0): Error {
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  const message = scrub(error.message);
  const frames = (error.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  Object.defineProperties(copy, {
    name: { value: error.name, enumerable: false },
    message: { value: message, enumerable: false },
    stack: { value: [`${error.name}: ${message}`, ...frames].join("\n"), enumerable: false },
  });
  if (error.cause instanceof Error && depth < MAX_CAUSES) {
    Object.defineProperty(copy, "cause", { value: scrubbedError(error.cause, depth + 1), enumerable: false });
  }
  return copy;
}

/** `destination` (default stdout) lets tests read every line the gateway writes. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      serializers: {
        err: (value: unknown) => stdSerializers.err(value instanceof Error ? scrubbedError(value) : (value as Error)),
      },
      redact: {
        paths: [
          "req.headers.authorization",
          "req.headers.cookie",
          "headers.authorization",
          "headers.cookie",
          "authorization",
          "cookie",
          "*.authorization",
          "*.cookie",
          "*.accessToken",
          "*.refreshToken",
          "*.idToken",
          "*.clientSecret",
          "*.sessionId",
          "*.token",
          "*.variables",
          "accessToken",
          "refreshToken",
          "idToken",
          "clientSecret",
          "sessionId",
          "token",
          "variables",
        ],
        censor: "[redacted]",
      },
    },
    destination,
  );
}

export type { Logger };
