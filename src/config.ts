// Every setting from the environment, validated in one place; no other module reads process.env.
import { z } from "zod";
import { PRODUCTION_BASE_URL, timestampConventions } from "./digilocker/settings.js";

const optionalInt = (min: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min))
    .optional();

const envSchema = z
  .object({
    DIGILOCKER_BASE_URL: z.url({ message: "must be an absolute URL including the /public prefix" }).default(PRODUCTION_BASE_URL),
    DIGILOCKER_CLIENT_ID: z.string().trim().min(1).optional(),
    DIGILOCKER_CLIENT_SECRET: z.string().min(1).optional(),
    DIGILOCKER_TOKEN_AUTH: z.enum(["client_secret_post", "client_secret_basic"]).default("client_secret_post"),
    DIGILOCKER_META_ENCODING: z.enum(["form", "multipart"]).default("form"),
    DIGILOCKER_TS_CONVENTION: z.enum(timestampConventions).default("unix"),
    DIGILOCKER_FILE_HMAC: z.enum(["require", "verify-if-present"]).default("require"),
    DIGILOCKER_TIMEOUT_MS: optionalInt(1),
    DIGILOCKER_MAX_RETRIES: optionalInt(0),
  });

/** Credentials come in pairs; checked apart from the schema so its problems and this one are reported together. */
function credentialPairProblem(env: Record<string, string>): string | null {
  const hasId = "DIGILOCKER_CLIENT_ID" in env;
  if (hasId === "DIGILOCKER_CLIENT_SECRET" in env) return null;
  const missing = hasId ? "DIGILOCKER_CLIENT_SECRET" : "DIGILOCKER_CLIENT_ID";
  return `${missing}: set both DIGILOCKER_CLIENT_ID and DIGILOCKER_CLIENT_SECRET, or neither`;
}

export interface Config {
  digilocker: {
    baseUrl: string;
    /** Null when no credentials are configured. */
    credentials: { clientId: string; clientSecret: string } | null;
    tokenAuth: "client_secret_post" | "client_secret_basic";
    metaEncoding: "form" | "multipart";
    timestamp: (typeof timestampConventions)[number];
    fileHmac: "require" | "verify-if-present";
    requestTimeoutMs: number | undefined;
    maxRetries: number | undefined;
  };
}

export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Reads the whole configuration, reporting every problem together, each with its variable's name. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means "not set", as in most .env tooling.
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value !== "") present[name] = value;
  const parsed = envSchema.safeParse(present);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`);
  const pair = credentialPairProblem(present);
  if (pair !== null) problems.push(pair);
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    digilocker: {
      baseUrl: e.DIGILOCKER_BASE_URL,
      credentials:
        e.DIGILOCKER_CLIENT_ID && e.DIGILOCKER_CLIENT_SECRET
          ? { clientId: e.DIGILOCKER_CLIENT_ID, clientSecret: e.DIGILOCKER_CLIENT_SECRET }
          : null,
      tokenAuth: e.DIGILOCKER_TOKEN_AUTH,
      metaEncoding: e.DIGILOCKER_META_ENCODING,
      timestamp: e.DIGILOCKER_TS_CONVENTION,
      fileHmac: e.DIGILOCKER_FILE_HMAC,
      requestTimeoutMs: e.DIGILOCKER_TIMEOUT_MS,
      maxRetries: e.DIGILOCKER_MAX_RETRIES,
    },
  };
}
