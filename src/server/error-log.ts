// What the log says about a GraphQL request's errors: one line per request, whichever way it was served (yoga's
// fetch adapter or the direct path of json-post.ts, which runs yoga's pipeline but not its onResultProcess hooks).
// Its level is the worst of its errors' (our bug: error; DigiLocker failing or slow: warn; a limit refusing the
// operation: info; the client's own mistake: debug) and it counts codes instead of listing errors, so 4,000 failing
// aliases write one line, not 4,000. It holds nothing the client sent (no error message, id, variable, query text,
// alias or header: any of them may carry a token or an Aadhaar number), only codes, endpoints and our own words.
// The line carries the request's id (request-id.ts), and so does every error it was written for (a masked error,
// DigiLocker failing): the client quotes `extensions.requestId`, the operator finds the line.
import { GraphQLError, type ExecutionResult } from "graphql";
import type { Plugin } from "graphql-yoga";
import { toClientError, withRequestId, type ErrorLogger } from "../graphql/errors.js";
import { scrubbedError, type Logger } from "./logger.js";
import { rejectMalformedParams } from "./malformed-params.js";
import type { RequestScope } from "./request-id.js";

type Level = "error" | "warn" | "info" | "debug";

/** What toClientError would have logged about one error. */
interface Incident {
  level: "error" | "warn";
  fields: Record<string, unknown>;
  message: string;
}

const RANK: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A result's error's extensions: graphql-jit reports a variable's bad value as an error without any. */
function extensionsOf(error: unknown): Record<string, unknown> {
  const extensions = typeof error === "object" && error !== null ? (error as { extensions?: unknown }).extensions : undefined;
  return typeof extensions === "object" && extensions !== null ? (extensions as Record<string, unknown>) : {};
}

/** The level of an error toClientError had nothing to say about, by its code. */
function levelOf(extensions: Record<string, unknown>): Level {
  const code = extensions.code;
  // The execution deadline: DigiLocker being slow is its usual cause.
  if (code === "OPERATION_TIMEOUT") return "warn";
  // Refused by the limits: what operators tune the limits from.
  if (code === "OPERATION_LIMIT_EXCEEDED") return "info";
  if (code === "INTERNAL_SERVER_ERROR" || extensions.unexpected === true) return "error";
  return "debug";
}

/** toClientError's answer, and the worst of what it would have logged. */
function mapError(error: unknown): { masked: GraphQLError; incident: Incident | undefined } {
  const noted: Incident[] = [];
  const log: ErrorLogger = {
    error: (fields, message) => { noted.push({ level: "error", fields, message }); },
    warn: (fields, message) => { noted.push({ level: "warn", fields, message }); },
  };
  const masked = toClientError(error, log);
  return { masked, incident: noted.find((n) => n.level === "error") ?? noted[0] };
}

/** An incident's fields as they may be written: an error scrubbed (logger.ts), anything else thrown by its type only. */
function loggable(incident: Incident): Record<string, unknown> {
  const { err, ...fields } = incident.fields;
  return err === undefined ? fields : { ...fields, err: err instanceof Error ? scrubbedError(err) : { type: typeof err } };
}

/**
 * Logs a failure outside GraphQL (the sign-in routes) as a GraphQL request's would be: at toClientError's level
 * (our bug: error with its stack; DigiLocker failing: warn), or at debug when it is the client's mistake.
 */
export function logFailure(logger: Logger, error: unknown, fields: Record<string, unknown>, message: string): void {
  const { masked, incident } = mapError(error);
  if (incident === undefined) {
    const code = masked.extensions.code;
    logger.debug({ ...fields, code: typeof code === "string" ? code : "NONE" }, message);
  } else {
    logger[incident.level]({ ...fields, ...loggable(incident) }, `${message}: ${incident.message}`);
  }
}

function count(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function isUpstream(value: unknown): value is { endpoint: string } {
  return typeof value === "object" && value !== null && typeof (value as { endpoint?: unknown }).endpoint === "string";
}

function isExecutionResult(value: unknown): value is ExecutionResult {
  return typeof value === "object" && value !== null && !(Symbol.asyncIterator in value);
}

/**
 * `scopeOf`: a request's id and logger, from yoga's server context (both paths hand over the node:http request in
 * it as `req`).
 */
export function createErrorLog(scopeOf: (serverContext: object) => RequestScope) {
  // Per app, not per module: yoga's maskError sees each error alone, so what it found is kept against the error it
  // returns until the request's result is complete. Weak: a request's errors go with its response.
  const incidents = new WeakMap<object, Incident>();
  // Requests already summarised: yoga's adapter runs onExecutionResult and then onResultProcess on one result.
  const done = new WeakSet<object>();

  /** yoga's maskedErrors.maskError: toClientError, with what it logs held back for the request's line. */
  function maskError(error: unknown): GraphQLError {
    const { masked, incident } = mapError(error);
    if (incident !== undefined) incidents.set(masked, incident);
    return masked;
  }

  /**
   * Writes the one line for a request's errors, and returns them with the request's id on each the line is about
   * (an incident, or an error-level code); undefined when none needs it, the common case.
   */
  function summarise(errors: readonly unknown[], scope: RequestScope): unknown[] | undefined {
    if (errors.length === 0) return undefined;
    let tagged: unknown[] | undefined;
    const codes = new Map<string, number>();
    const reasons = new Map<string, number>();
    const endpoints = new Map<string, number>();
    const problems = new Map<string, number>();
    let level: Level = "debug";
    let worst: Incident | undefined;
    for (let i = 0; i < errors.length; i++) {
      const error = errors[i];
      const extensions = extensionsOf(error);
      const code = extensions.code;
      count(codes, typeof code === "string" ? code : "NONE");
      // Ours or DigiLocker's words (reason: "missing_token", upstream.endpoint: "files.issued"), never the client's.
      const { reason, upstream } = extensions;
      if (typeof reason === "string") count(reasons, reason);
      if (isUpstream(upstream)) count(endpoints, upstream.endpoint);
      const incident = typeof error === "object" && error !== null ? incidents.get(error) : undefined;
      if (incident !== undefined) {
        count(problems, incident.message);
        if (worst === undefined || RANK[incident.level] > RANK[worst.level]) worst = incident;
      }
      const found = incident?.level ?? levelOf(extensions);
      if (RANK[found] > RANK[level]) level = found;
      if ((incident !== undefined || found === "error") && error instanceof GraphQLError) {
        tagged ??= errors.slice();
        tagged[i] = withRequestId(error, scope.requestId);
      }
    }
    const fields: Record<string, unknown> = { errors: errors.length, codes: Object.fromEntries(codes) };
    for (const [name, counts] of [["reasons", reasons], ["endpoints", endpoints], ["problems", problems]] as const) {
      if (counts.size > 0) fields[name] = Object.fromEntries(counts);
    }
    // The worst incident speaks for the line when it is as bad as the line (an error code may outrank a warning).
    const speaks = worst !== undefined && worst.level === level ? worst : undefined;
    const message = speaks?.message ?? (RANK[level] < RANK.warn ? "GraphQL request answered with errors" : "GraphQL request failed");
    scope.log[level]({ ...fields, ...(speaks ? loggable(speaks) : {}) }, message);
    return tagged;
  }

  /** A result with its errors summarised and tagged; the same result when none was tagged. */
  function summarised(result: ExecutionResult, scope: RequestScope): ExecutionResult {
    const tagged = result.errors === undefined ? undefined : summarise(result.errors, scope);
    return tagged === undefined ? result : { ...result, errors: tagged as GraphQLError[] };
  }

  const plugin: Plugin = {
    onRequestParse({ requestParser, setRequestParser, url }) {
      if (requestParser !== undefined) setRequestParser(rejectMalformedParams(requestParser, url));
    },
    // Both paths: every operation's result, with errors from parsing, validation, limits and execution.
    onExecutionResult(payload) {
      const { request, result, context } = payload;
      // A result without errors has nothing to log, here or in onResultProcess: no per-request bookkeeping for it.
      if (!isExecutionResult(result) || result.errors === undefined || result.errors.length === 0) return;
      done.add(request);
      const answer = summarised(result, scopeOf(context));
      if (answer !== result) payload.setResult(answer);
    },
    // The adapter only: a request refused before it had an operation (a query string that is not JSON).
    onResultProcess(payload) {
      const { request, result, serverContext } = payload;
      if (done.has(request)) return;
      done.add(request);
      const results = Array.isArray(result) ? result : [result];
      const scope = scopeOf(serverContext);
      const errors = results.flatMap((r) => (isExecutionResult(r) ? (r.errors ?? []) : []));
      const tagged = summarise(errors, scope);
      if (tagged === undefined) return;
      // The tagged errors back in their results, in order.
      let at = 0;
      const retagged = results.map((r) => {
        if (!isExecutionResult(r) || r.errors === undefined) return r;
        const mine = tagged.slice(at, at + r.errors.length) as GraphQLError[];
        at += r.errors.length;
        return { ...r, errors: mine };
      });
      payload.setResult(Array.isArray(result) ? (retagged as ExecutionResult[]) : (retagged[0] as ExecutionResult));
    },
  };

  return { maskError, plugin };
}

