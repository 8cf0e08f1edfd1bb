import type { Dispatcher } from "undici";
import { z } from "zod";

/** Production origin with the `/public` prefix every Requester API path sits under (spec: "URL STRUCTURE"). */
export const PRODUCTION_BASE_URL = "https://digilocker.meripehchaan.gov.in/public";

/**
 * How `ts` is written for the meta APIs. The spec asks for "UNIX (or POSIX) format in IST time zone in
 * seconds", which is self-contradictory: a UNIX timestamp has no time zone. `unix` sends the true epoch
 * seconds (what PHP's time() and every published integration send); `unix-ist` adds +05:30 for a server
 * that expects a wall-clock-shifted value. See docs/spec-assumptions.md.
 */
export const timestampConventions = ["unix", "unix-ist"] as const;
export type TimestampConvention = (typeof timestampConventions)[number];

/**
 * Body encoding of the meta POSTs. The spec names none; the older OpenAPI file, the only source that does, uses
 * urlencoded for issuers, doctype and parameters and multipart/form-data for verify, pushuri and statistics.
 * `openapi` follows it per endpoint (meta.ts); `form` and `multipart` force one encoding for all six.
 */
export const metaEncodings = ["openapi", "form", "multipart"] as const;

const positiveMs = z.number().int().positive();

export const clientSettingsSchema = z.object({
  /** Base URL including the `/public` prefix. */
  baseUrl: z
    .url({ message: "baseUrl must be an absolute http(s) URL including the /public prefix" })
    .refine((u) => /^https?:\/\//.test(u), "baseUrl must use http or https")
    .transform((u) => u.replace(/\/+$/, ""))
    .default(PRODUCTION_BASE_URL),
  clientId: z.string().trim().min(1, "clientId is required"),
  /** Used as given (it keys HMACs); blank is refused. Never echoed in an error. */
  clientSecret: z.string().refine((s) => s.trim() !== "", "clientSecret is required"),
  /** How the code exchange authenticates the client: form fields (the spec's default) or HTTP Basic. */
  tokenAuth: z.enum(["client_secret_post", "client_secret_basic"]).default("client_secret_post"),
  /** Body encoding of the meta POSTs (metaEncodings). */
  metaEncoding: z.enum(metaEncodings).default("openapi"),
  timestamp: z.enum(timestampConventions).default("unix"),
  /** Whether a file response must carry the `hmac` header (`require`) or is checked only when present. */
  fileHmac: z.enum(["require", "verify-if-present"]).default("require"),
  timeouts: z
    .object({
      connectMs: positiveMs.default(5_000),
      headersMs: positiveMs.default(15_000),
      bodyMs: positiveMs.default(30_000),
      /** Ceiling on one attempt from start to parsed body. */
      requestMs: positiveMs.default(45_000),
    })
    .prefault({}),
  retry: z
    .object({
      /** Further attempts after the first, for idempotent reads only. */
      maxRetries: z.number().int().min(0).max(10).default(2),
      baseDelayMs: z.number().int().min(0).default(200),
      maxDelayMs: z.number().int().min(0).default(3_000),
    })
    .prefault({}),
  pool: z
    .object({
      connections: z.number().int().positive().default(16),
      keepAliveTimeoutMs: positiveMs.default(30_000),
    })
    .prefault({}),
  /** Largest file body the client will buffer or stream (DigiLocker caps uploads at 10 MB; issued PDFs are small). */
  maxDownloadBytes: z.number().int().positive().default(25 * 1024 * 1024),
  /** Where the Revoke Session page lives; derived from baseUrl (`/public` → `/signin/logout/Y`) unless set. */
  logoutUrl: z.url().optional(),
});

export type ClientSettingsInput = z.input<typeof clientSettingsSchema>;
export type ClientSettings = z.output<typeof clientSettingsSchema>;

/** One upstream call as the client saw it: what metrics and the benchmark count. */
export interface CallEvent {
  endpoint: string;
  method: "GET" | "POST";
  attempt: number;
  durationMs: number;
  status?: number;
  error?: Error;
}

/** Things that are not settings: injected collaborators. */
export interface ClientDeps {
  /** An undici dispatcher (a MockAgent in tests); by default the client owns a keep-alive Agent. */
  dispatcher?: Dispatcher;
  /** Milliseconds since the epoch; injected so `ts` and backoff are testable. */
  now?: () => number;
  /** Waits between retries; injected so tests need not sleep. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  onCall?: (event: CallEvent) => void;
}

/** Options every method accepts last. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides `timeouts.requestMs` for this call. */
  timeoutMs?: number;
  /** Overrides `retry.maxRetries` for this call (ignored for calls that are never retried). */
  maxRetries?: number;
}
