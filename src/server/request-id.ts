// Every request's id: the caller's `X-Request-Id` when it is well formed, else a fresh UUID. It is echoed in the
// response's `X-Request-Id`, bound to the request's log lines and carried by a masked error's `extensions`, so an
// operator handed an answer finds its lines. A malformed id is replaced, never refused and never echoed: a header
// or log line must not hold whatever bytes a client sent (CR/LF, unicode, 10 kB).
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "./logger.js";

export const REQUEST_ID_HEADER = "x-request-id";

/** 1–128 characters a tracing system uses (UUIDs, ULIDs, W3C trace ids, `host:pid:seq`); nothing else. */
const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's id when well formed, else a new one. Node joins a repeated header with ", ": replaced too. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === "string" && WELL_FORMED.test(header) ? header : randomUUID();
}

/** A request's id and its logger: the child logger is made on first use, so an answer that logs nothing pays nothing. */
export interface RequestScope {
  readonly requestId: string;
  readonly log: Logger;
  /** What services that only warn take (auth's WarnLog): the request's id on the line, the child made only if one is written. */
  warn(fields: Record<string, unknown>, message: string): void;
}

export function requestScope(logger: Logger, requestId: string): RequestScope {
  let child: Logger | undefined;
  return {
    requestId,
    get log() {
      return (child ??= logger.child({ requestId }));
    },
    warn(fields, message) {
      this.log.warn(fields, message);
    },
  };
}

/** The scope of each request the app has seen: its id read or made once, and set on the response before any route. */
export function requestScopes(logger: Logger) {
  const scopes = new WeakMap<IncomingMessage, RequestScope>();
  return {
    begin(req: IncomingMessage, res: ServerResponse): RequestScope {
      const scope = requestScope(logger, requestIdFrom(req.headers[REQUEST_ID_HEADER]));
      scopes.set(req, scope);
      // Merged by node into whatever the route writes with writeHead: every answer carries it.
      res.setHeader(REQUEST_ID_HEADER, scope.requestId);
      return scope;
    },
    /** A request the app did not begin (yoga.fetch from a test): a scope of its own. */
    of(req: IncomingMessage | undefined): RequestScope {
      return (req === undefined ? undefined : scopes.get(req)) ?? requestScope(logger, randomUUID());
    },
  };
}
