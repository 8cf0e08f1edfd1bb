// The sandbox's settings. src/config.ts reads them from SANDBOX_* variables; tests pass them directly.
import { z } from "zod";


/** The spec endpoints routes name in `Route.endpoint`, and fault filters choose from. */
export const endpointIds = [
  "oauth.tokenV1", "oauth.tokenV2", "oauth.revoke", "account.user",
  "files.uploaded", "files.issued", "files.file", "files.xml", "files.eaadhaar", "files.upload",
  "pull.document",
  "meta.issuers", "meta.docTypes", "meta.parameters", "meta.verifyAccount", "meta.pushUri", "meta.statistics",
] as const;
export type EndpointId = (typeof endpointIds)[number];

export const faultSchema = z.object({
  /** Added before every API response (not the HTML pages). */
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  /** Share of API calls held `latencySpikeMs` longer, 0 to 1: the slow tail a fixed latency cannot show. */
  latencySpikeRate: z.number().min(0).max(1).default(0),
  /** How much longer a spiked call is held (on top of `latencyMs`). */
  latencySpikeMs: z.number().int().min(0).max(60_000).default(5_000),
  /** Share of API calls answered with `errorCode` instead of their real answer, 0 to 1. */
  errorRate: z.number().min(0).max(1).default(0),
  /**
   * The code those calls get, with the status and error_description of the route's spec table (else of another
   * endpoint's table that names the code, else 500 "Internal server error"): see `specReply` in errors.ts.
   */
  errorCode: z.string().trim().min(1).default("unexpected_error"),
  /** Share of API calls whose connection is destroyed without an answer, 0 to 1. */
  dropRate: z.number().min(0).max(1).default(0),
  /** File responses carry an `hmac` header that does not match their bytes. */
  wrongHmac: z.boolean().default(false),
  /**
   * Limits the faults to these endpoint ids (`files.issued`, `meta.issuers`, …); empty means all.
   * Checked, because a misspelt id would silently switch every fault off.
   */
  endpoints: z
    .array(z.string().refine((e) => (endpointIds as readonly string[]).includes(e), `must be one of ${endpointIds.join(", ")}`))
    .default([]),
});
export type Faults = z.output<typeof faultSchema>;
export type FaultsInput = z.input<typeof faultSchema>;

export const sandboxSettingsSchema = z.object({
  host: z.string().default("127.0.0.1"),
  /** 0 picks a free port (tests). */
  port: z.number().int().min(0).max(65_535).default(4010),
  clientId: z.string().trim().min(1).default("SANDBOX1"),
  clientSecret: z.string().min(8).default("sandbox-client-secret"),
  /** Redirect URIs registered for the client; the sandbox's own token page is always allowed too. */
  redirectUris: z
    .array(z.url())
    .default(["http://localhost:4000/auth/callback", "http://127.0.0.1:4000/auth/callback"]),
  accessTokenTtlSeconds: z.number().int().positive().default(3600),
  codeTtlSeconds: z.number().int().positive().default(600),
  /** Bytes of one extra issued document for Priya (seed/large-document.ts), for download memory tests and benchmarks; 0: none. */
  largeDocumentBytes: z.number().int().min(0).max(64 * 1024 * 1024).default(0),
  /** How `ts` is read on meta calls: the client's convention (docs/spec-assumptions.md #2). */
  timestamp: z.enum(["unix", "unix-ist"]).default("unix"),
  faults: faultSchema.prefault({}),
  /** How certificate and e-Aadhaar XML are signed: SignedInfo's algorithm (the digest is SHA-256 in both) and which committed certificate (keys.ts). */
  xmlSignature: z
    .object({ profile: z.enum(["rsa-sha256", "rsa-sha1"]).default("rsa-sha256"), certificate: z.enum(["primary", "rotated"]).default("primary") })
    .prefault({}),
});
export type SandboxSettings = z.output<typeof sandboxSettingsSchema>;
export type SandboxSettingsInput = z.input<typeof sandboxSettingsSchema>;
