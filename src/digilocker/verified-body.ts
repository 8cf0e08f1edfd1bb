// File responses carry `hmac`: base64 HMAC-SHA256 of the body keyed by the client secret (spec: Get File from URI).
import { pipeline, type Readable, Transform } from "node:stream";
import type { EndpointId } from "./endpoints.js";
import { DigiLockerResponseError, FileIntegrityError } from "./errors.js";
import { fileHmacVerifier } from "./signing.js";
import type { OpenResponse } from "./transport.js";

export interface VerifyOptions {
  endpoint: EndpointId;
  clientSecret: string;
  requireHmac: boolean;
  maxBytes: number;
}

/** The `hmac` header, or a FileIntegrityError (body discarded) when it is required and absent. */
function hmacHeader(res: OpenResponse, opts: VerifyOptions): string | null {
  const raw = res.headers.hmac;
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? "";
  if (value !== "") return value;
  if (opts.requireHmac) {
    // Once we throw nothing else listens, and undici's body, destroyed before its end, emits RequestAbortedError from
    // a setImmediate: unheard, an uncaught exception. The destroy aborts a half-read response, closing its socket.
    res.body.on("error", () => undefined);
    res.body.destroy();
    throw new FileIntegrityError(opts.endpoint, "hmac_missing");
  }
  return null;
}

/**
 * Streams the body through an HMAC check. The stream errors at its end with FileIntegrityError when the
 * digest does not match, so a consumer must treat the bytes as untrusted until the stream has ended.
 */
export function verifiedStream(res: OpenResponse, opts: VerifyOptions): Readable {
  const expected = hmacHeader(res, opts);
  const verifier = fileHmacVerifier(opts.clientSecret);
  let size = 0;
  const check = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > opts.maxBytes) {
        done(new DigiLockerResponseError(opts.endpoint, res.status, "the file exceeds maxDownloadBytes"));
        return;
      }
      verifier.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      done(expected === null || verifier.matches(expected) ? null : new FileIntegrityError(opts.endpoint, "hmac_mismatch"));
    },
  });
  // Registered before pipeline's own listeners, so a stall or abort mid-body reaches the consumer as the
  // client's typed error (DigiLockerTimeoutError, DigiLockerAbortError), not undici's raw one.
  const { mapError } = res;
  if (mapError) res.body.once("error", (err) => check.destroy(mapError(err)));
  // pipeline, not pipe: an error or an early destroy on either side tears down the other, so a download the
  // consumer abandons releases its upstream connection. Errors reach the consumer through `check` itself.
  return pipeline(res.body, check, () => undefined);
}

/** Reads the whole body and returns it only once its HMAC has matched. */
export async function verifiedBuffer(res: OpenResponse, opts: VerifyOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of verifiedStream(res, opts)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

