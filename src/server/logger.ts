// JSON logs with credentials redacted by path, whatever code logs them.
import { pino, type Logger } from "pino";

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: [
        "req.headers.authorization",
        "headers.authorization",
        "authorization",
        "*.accessToken",
        "*.refreshToken",
        "*.clientSecret",
        "accessToken",
        "refreshToken",
        "clientSecret",
        "token",
      ],
      censor: "[redacted]",
    },
  });
}

export type { Logger };
