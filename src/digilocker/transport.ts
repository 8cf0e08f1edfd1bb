// The one place that talks HTTP: timeouts, retries, error mapping, redaction and response validation.
import { Agent, type Dispatcher, type FormData } from "undici";
import type { z } from "zod";
import { AttemptAbort } from "./attempt-abort.js";
import { endpoints, type EndpointId } from "./endpoints.js";
import {
  apiErrorFrom,
  DigiLockerAbortError,
  DigiLockerConnectionError,
  DigiLockerError,
  DigiLockerResponseError,
  DigiLockerTimeoutError,
} from "./errors.js";
import { redact } from "./redact.js";
import { abortableSleep, parseRetryAfter, retryDelay } from "./retry.js";
import type { CallEvent, CallOptions, ClientDeps, ClientSettings } from "./settings.js";

export interface OutgoingRequest {
  endpoint: EndpointId;
  /** Path below the base URL with parameters already encoded. */
  path: string;
  /** Built again for every attempt, so meta calls get a fresh `ts` and hash. */
  build: () => { headers?: Record<string, string>; body?: string | Uint8Array | FormData };
  /** Credentials of this call, scrubbed from anything upstream sends back. */
  secrets: readonly (string | undefined)[];
}

/** A successful response whose body the caller consumes (file downloads). */
export interface OpenResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData["body"];
  /**
   * Turns an error the body emits while it is consumed (undici's BodyTimeoutError, the caller's abort,
   * a reset socket) into the client's own error, as the transport does before the body is handed over.
   * Optional only so that tests can build an OpenResponse by hand.
   */
  mapError?: (error: unknown) => DigiLockerError;
}

const ERROR_BODY_LIMIT = 64 * 1024;

/** Consumes a 2xx response within the attempt; `mapError` classifies errors raised after it returns. */
type OnSuccess<T> = (
  res: Dispatcher.ResponseData,
  abort: AttemptAbort,
  mapError: (error: unknown) => DigiLockerError,
) => Promise<T>;

export class Transport {
  readonly #settings: ClientSettings;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #onCall: ((event: CallEvent) => void) | undefined;
  /** The base URL split once: `https://host` and `/public`. */
  readonly #origin: string;
  readonly #basePath: string;
  #closing: Promise<void> | undefined;

  constructor(settings: ClientSettings, deps: ClientDeps) {
    this.#settings = settings;
    const base = new URL(settings.baseUrl);
    this.#origin = base.origin;
    this.#basePath = base.pathname.replace(/\/+$/, "");
    this.#ownsDispatcher = deps.dispatcher === undefined;
    this.#dispatcher =
      deps.dispatcher ??
      new Agent({
        connect: { timeout: settings.timeouts.connectMs },
        headersTimeout: settings.timeouts.headersMs,
        bodyTimeout: settings.timeouts.bodyMs,
        keepAliveTimeout: settings.pool.keepAliveTimeoutMs,
        connections: settings.pool.connections,
      });
    this.#now = deps.now ?? Date.now;
    this.#sleep = deps.sleep ?? abortableSleep;
    this.#random = deps.random ?? Math.random;
    this.#onCall = deps.onCall;
  }

  get now(): number {
    return this.#now();
  }

  /**
   * Sends the request and validates the JSON body with `schema`; an empty body is parsed as null. `fast`, when
   * given, may answer first for a body it finds plainly valid (the hot listings, files.ts); whatever it leaves
   * (undefined) goes to `schema`, which decides and describes every failure.
   */
  json<S extends z.ZodType>(
    req: OutgoingRequest,
    schema: S,
    options?: CallOptions,
    fast?: (data: unknown) => z.output<S> | undefined,
  ): Promise<z.output<S>> {
    return this.#withRetries(req, options, false, async (res, abort) => {
      const bytes = await readBody(res, this.#settings.maxDownloadBytes, abort);
      if (bytes === null) throw new DigiLockerResponseError(req.endpoint, res.statusCode, "the body exceeds maxDownloadBytes");
      const text = bytes.toString("utf8");
      let data: unknown = null;
      if (text.trim() !== "") {
        try {
          data = JSON.parse(text);
        } catch {
          // No cause: V8's SyntaxError quotes the body around the bad byte, and that body may hold a token.
          throw new DigiLockerResponseError(req.endpoint, res.statusCode, "the body is not valid JSON");
        }
      }
      const quick = fast?.(data);
      if (quick !== undefined) return quick;
      const parsed = schema.safeParse(data);
      if (!parsed.success) {
        throw new DigiLockerResponseError(req.endpoint, res.statusCode, summarizeIssues(parsed.error));
      }
      return parsed.data;
    });
  }

  /** Sends the request and hands over the open body of a 2xx response; retries stop once it is handed over. */
  open(req: OutgoingRequest, options?: CallOptions): Promise<OpenResponse> {
    return this.#withRetries(req, options, true, (res, _abort, mapError) =>
      Promise.resolve({ status: res.statusCode, headers: res.headers, body: res.body, mapError }),
    );
  }

  /** Idempotent: undici rejects a second close() of the same Agent, so the first one is shared. */
  close(): Promise<void> {
    if (!this.#ownsDispatcher) return Promise.resolve();
    this.#closing ??= this.#dispatcher.close().then(() => undefined);
    return this.#closing;
  }

  /** `handsOverBody`: a success passes the open body on (open()), so the caller's signal must still reach it. */
  async #withRetries<T>(
    req: OutgoingRequest,
    options: CallOptions | undefined,
    handsOverBody: boolean,
    onSuccess: OnSuccess<T>,
  ): Promise<T> {
    const endpoint = endpoints[req.endpoint];
    const policy = {
      ...this.#settings.retry,
      maxRetries: endpoint.idempotent ? (options?.maxRetries ?? this.#settings.retry.maxRetries) : 0,
    };
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#attempt(req, attempt, options, handsOverBody, onSuccess);
      } catch (error) {
        const delay = retryDelay(error, attempt, policy, this.#random);
        if (delay === null) throw error;
        try {
          await this.#sleep(delay, options?.signal);
        } catch (cause) {
          throw new DigiLockerAbortError(req.endpoint, { cause });
        }
      }
    }
  }

  async #attempt<T>(
    req: OutgoingRequest,
    attempt: number,
    options: CallOptions | undefined,
    handsOverBody: boolean,
    onSuccess: OnSuccess<T>,
  ): Promise<T> {
    const { method } = endpoints[req.endpoint];
    const timeoutMs = options?.timeoutMs ?? this.#settings.timeouts.requestMs;
    const abort = new AttemptAbort(timeoutMs, () => new DigiLockerTimeoutError(req.endpoint, "request", timeoutMs), options?.signal);
    const started = performance.now();
    let status: number | undefined;
    let handedOver = false;
    try {
      if (options?.signal?.aborted) throw new DigiLockerAbortError(req.endpoint);
      const { headers, body } = req.build();
      // origin + path rather than a URL string, which undici would parse again on every call.
      const res = await this.#dispatcher.request({
        origin: this.#origin,
        path: this.#basePath + req.path,
        method,
        headers,
        body,
        signal: abort,
      });
      status = res.statusCode;
      if (res.statusCode < 200 || res.statusCode >= 300) {
        throw await this.#apiError(req, res, abort);
      }
      const result = await onSuccess(res, abort, (later) => this.#classify(req, later, options?.signal, abort, timeoutMs));
      handedOver = handsOverBody;
      this.#emit({ endpoint: req.endpoint, method, attempt, status, durationMs: performance.now() - started });
      return result;
    } catch (raw) {
      const error = this.#classify(req, raw, options?.signal, abort, timeoutMs);
      this.#emit({ endpoint: req.endpoint, method, attempt, status, error, durationMs: performance.now() - started });
      throw error;
    } finally {
      abort.finish(handedOver);
    }
  }

  async #apiError(req: OutgoingRequest, res: Dispatcher.ResponseData, abort: AttemptAbort): Promise<DigiLockerError> {
    const bytes = await readLimited(res.body, ERROR_BODY_LIMIT, abort);
    const { code, description } = parseErrorBody(bytes?.toString("utf8") ?? "");
    const { clientId, clientSecret } = this.#settings;
    // The Basic credentials of the token calls are the secret in base64: an echoed Authorization header leaks it.
    const basic = Buffer.from(`${clientId}:${clientSecret}`, "utf8").toString("base64");
    const secrets = [clientSecret, basic, ...req.secrets];
    return apiErrorFrom({
      endpoint: req.endpoint,
      status: res.statusCode,
      code: code === null ? null : redact(code, secrets),
      description: description === null ? null : redact(description, secrets),
      retryAfterMs: parseRetryAfter(res.headers["retry-after"], this.#now()),
    });
  }

  #classify(
    req: OutgoingRequest,
    raw: unknown,
    callerSignal: AbortSignal | undefined,
    abort: AttemptAbort,
    timeoutMs: number,
  ): DigiLockerError {
    if (raw instanceof DigiLockerError) return raw;
    if (callerSignal?.aborted) return new DigiLockerAbortError(req.endpoint, { cause: raw });
    if (abort.timedOut) return new DigiLockerTimeoutError(req.endpoint, "request", timeoutMs, { cause: raw });
    const code = typeof raw === "object" && raw !== null && "code" in raw ? String(raw.code) : undefined;
    const t = this.#settings.timeouts;
    switch (code) {
      case "UND_ERR_CONNECT_TIMEOUT":
        return new DigiLockerTimeoutError(req.endpoint, "connect", t.connectMs, { cause: raw });
      case "UND_ERR_HEADERS_TIMEOUT":
        return new DigiLockerTimeoutError(req.endpoint, "headers", t.headersMs, { cause: raw });
      case "UND_ERR_BODY_TIMEOUT":
        return new DigiLockerTimeoutError(req.endpoint, "body", t.bodyMs, { cause: raw });
    }
    return new DigiLockerConnectionError(req.endpoint, code ?? (raw instanceof Error ? raw.name : "unknown error"), {
      cause: raw,
    });
  }

  #emit(event: CallEvent): void {
    this.#onCall?.(event);
  }
}

/**
 * A JSON body: in one read when its declared length is within `limit` (the usual case: DigiLocker sends
 * Content-Length, and chunk-by-chunk iteration costs a promise per chunk), else through readLimited.
 */
async function readBody(res: Dispatcher.ResponseData, limit: number, abort: AttemptAbort): Promise<Buffer | null> {
  const declared = Number(res.headers["content-length"]);
  if (Number.isSafeInteger(declared) && declared >= 0 && declared <= limit) return Buffer.from(await res.body.arrayBuffer());
  return readLimited(res.body, limit, abort);
}

/** Reads a body up to `limit` bytes; null (and the rest discarded) when it is larger. */
async function readLimited(
  body: Dispatcher.ResponseData["body"],
  limit: number,
  abort: AttemptAbort,
): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    abort.throwIfAborted();
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      body.destroy();
      return null;
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** `{error, error_description}` when the body is that JSON; nulls otherwise (a proxy's HTML page, say). */
function parseErrorBody(text: string): { code: string | null; description: string | null } {
  try {
    const data: unknown = JSON.parse(text);
    if (typeof data === "object" && data !== null) {
      const { error, error_description } = data as Record<string, unknown>;
      const clean = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);
      return { code: clean(error), description: clean(error_description) };
    }
  } catch {
    // Not JSON: the status alone describes the failure.
  }
  return { code: null, description: null };
}

/** Paths and messages of a zod failure, never the values (they may hold personal data). */
function summarizeIssues(error: z.ZodError): string {
  const parts = error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join(".") : "(body)"}: ${i.message}`);
  const more = error.issues.length > 5 ? ` (+${error.issues.length - 5} more)` : "";
  return parts.join("; ") + more;
}

