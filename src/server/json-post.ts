// The hot path: a server-to-server `POST /graphql` with a small JSON body and a JSON answer, served on node:http
// without graphql-yoga's fetch-API adapter. The adapter builds a Request, a body stream, an AbortSignal and a
// Response per request: two thirds of the gateway's CPU on a cached query (bench/RESULTS.md, "Direct path").
// The operation still runs through yoga's own pipeline (`getResultForParams`: onParams hooks, the parse/validate
// cache, the context factory, graphql-jit, error masking, onExecutionResult hooks) and an answer with errors is
// built by yoga's own JSON result processor, so both paths answer alike: test/integration/gateway/json-post.test.ts
// sends the same requests both ways. A persisted operation's id in place of the text takes this path too. Anything else (a browser's request, which carries Origin and needs CORS;
// another media type; GET; a batch; an odd body) goes to yoga unchanged.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { ExecutionResult } from "graphql";
import { processRegularResult, type GraphQLParams, type YogaServerInstance } from "graphql-yoga";
import type { Context } from "../graphql/context.js";
import { scrubbedError, type Logger } from "./logger.js";

/** Larger bodies go to yoga, whose size limit and streaming parser handle them. */
export const DIRECT_MAX_BODY_BYTES = 64 * 1024;

type Yoga = YogaServerInstance<Record<string, unknown>, Context>;

/**
 * Whether a request's headers let it take the direct path; its body is checked once read. `maxBodyBytes` is
 * GRAPHQL_MAX_BODY_BYTES: a body past it goes to yoga, which answers 413 as it does for every other request.
 */
export function takesDirectPath(req: IncomingMessage, endpoint: string, maxBodyBytes: number): boolean {
  if (req.method !== "POST" || req.url !== endpoint) return false;
  const h = req.headers;
  // Origin: a browser, whose answer needs yoga's CORS handling. Transfer-Encoding: no length known up front.
  if (h.origin !== undefined || h["transfer-encoding"] !== undefined) return false;
  const length = h["content-length"];
  if (length === undefined || !/^\d+$/.test(length)) return false;
  const bytes = Number(length);
  if (bytes > DIRECT_MAX_BODY_BYTES || bytes > maxBodyBytes) return false;
  return isJson(h["content-type"]) && acceptsJson(h.accept);
}

function isJson(type: string | undefined): boolean {
  if (type === undefined) return false;
  const t = type.toLowerCase().replace(/\s+/g, "");
  return t === "application/json" || t === "application/json;charset=utf-8";
}

// The Accept headers yoga answers with application/json: none, any type, or application/json itself.
function acceptsJson(accept: string | undefined): boolean {
  return accept === undefined || accept === "*/*" || accept === "application/json";
}

/** The request as the context factory and yoga's hooks read it: method, URL and header lookups. */
class DirectRequest {
  readonly method = "POST";
  readonly url: string;
  readonly headers: { get(name: string): string | null; has(name: string): boolean };

  constructor(url: string, raw: IncomingHttpHeaders) {
    this.url = url;
    this.headers = {
      get: (name) => {
        const v = raw[name.toLowerCase()];
        return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
      },
      has: (name) => raw[name.toLowerCase()] !== undefined,
    };
  }
}

const isObjectOrNull = (v: unknown) => v === undefined || v === null || (typeof v === "object" && !Array.isArray(v));

/** The body when it is one operation yoga would accept as it is; null sends the request to yoga. */
function directParams(body: Buffer): GraphQLParams | null {
  let data: unknown;
  try {
    data = JSON.parse(body.toString("utf8"));
  } catch {
    return null;
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) return null;
  const p = data as Record<string, unknown>;
  for (const key in p) {
    if (key !== "query" && key !== "variables" && key !== "operationName" && key !== "extensions" && key !== "documentId" && key !== "doc_id") return null;
  }
  // A query's text, or a persisted document's id (persisted-requests.ts reads and checks the three forms).
  const byId = typeof p.documentId === "string" || typeof p.doc_id === "string" || (typeof p.extensions === "object" && p.extensions !== null && "persistedQuery" in p.extensions);
  if ((typeof p.query !== "string" && !byId) || !isObjectOrNull(p.variables) || !isObjectOrNull(p.extensions)) return null;
  if (p.operationName !== undefined && p.operationName !== null && typeof p.operationName !== "string") return null;
  return data as GraphQLParams;
}

export interface DirectPathCounts {
  direct: number;
  /** Requests whose headers qualified but whose body did not: served by yoga from the body already read. */
  handedToYoga: number;
}

/** `logOf`: the request's logger, which puts its id on the line (request-id.ts). */
export function createDirectPath(yoga: Yoga, logOf: (req: IncomingMessage) => Logger, contextOf: (request: object) => Context | undefined) {
  const counts: DirectPathCounts = { direct: 0, handedToYoga: 0 };

  async function viaYoga(req: IncomingMessage, res: ServerResponse, url: string, body: Buffer): Promise<void> {
    counts.handedToYoga++;
    const headers = new yoga.fetchAPI.Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    // `req`, as on the direct path: the context reads the request's id and the client's address from it.
    const response = await yoga.fetch(new yoga.fetchAPI.Request(url, { method: "POST", headers, body: new Uint8Array(body) }), { req });
    await sendResponse(res, response, []);
  }

  async function serve(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const url = `http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`;
    const params = directParams(body);
    if (params === null) return viaYoga(req, res, url, body);
    counts.direct++;
    const request = new DirectRequest(url, req.headers);
    // yoga types the request as a fetch Request; its pipeline and our context factory read only the members above.
    // `req`: the context reads the client's address from it, as on yoga's own node:http adapter.
    const result = await yoga.getResultForParams({ params, request: request as unknown as Request }, { req });
    if (result === undefined || !isSingleResult(result)) throw new Error("the operation gave no single result");
    const extra = contextOf(request)?.responseHeaders ?? [];
    if (result.errors === undefined && result.extensions?.http === undefined) {
      // What processRegularResult does for such a result, minus the Response it wraps it in. The result's stringify
      // is execution-bounds.ts's, holding the response-size ceiling (graphql-jit's own writes extensions too).
      const stringify = (result as { stringify?: (r: ExecutionResult) => string }).stringify ?? JSON.stringify;
      const headers: Record<string, string | string[]> = { "content-type": "application/json; charset=utf-8" };
      addHeaders(headers, extra);
      send(res, 200, headers, stringify(result));
      return;
    }
    await sendResponse(res, processRegularResult(result, yoga.fetchAPI, "application/json"), extra);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    // A client that goes away mid-body: nothing was started, so there is nothing to undo.
    req.on("error", () => undefined);
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      serve(req, res, body).catch((error: unknown) => {
        // Our bug (yoga answers every request it can): its stack, with its message scrubbed.
        logOf(req).error({ err: error instanceof Error ? scrubbedError(error) : { type: typeof error } }, "direct GraphQL path failed");
        if (!res.headersSent) send(res, 500, { "content-type": "application/json; charset=utf-8" }, UNEXPECTED);
        else res.destroy();
      });
    });
  }

  return { handle, counts };
}

const UNEXPECTED = JSON.stringify({ errors: [{ message: "Unexpected error.", extensions: { code: "INTERNAL_SERVER_ERROR" } }] });

function isSingleResult(result: unknown): result is ExecutionResult {
  return typeof result === "object" && result !== null && !Array.isArray(result) && !(Symbol.asyncIterator in result);
}

/** A fetch Response yoga built, written to node:http with the operation's own headers (ctx.responseHeaders) added. */
async function sendResponse(res: ServerResponse, response: Response, extra: readonly [string, string][]): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key !== "set-cookie") headers[key] = value;
  });
  const setCookie = response.headers.getSetCookie();
  if (setCookie.length > 0) headers["set-cookie"] = setCookie;
  addHeaders(headers, extra);
  send(res, response.status, headers, await response.text());
}

/** Adds [name, value] pairs: a name already there gets another line (Set-Cookie) rather than a replaced value. */
function addHeaders(headers: Record<string, string | string[]>, extra: readonly [string, string][]): void {
  for (const [name, value] of extra) {
    const present = headers[name];
    headers[name] = present === undefined ? value : [...(Array.isArray(present) ? present : [present]), value];
  }
}

function send(res: ServerResponse, status: number, headers: Record<string, string | string[]>, text: string): void {
  headers["content-length"] = String(Buffer.byteLength(text));
  // As every /graphql answer (cors.ts): one without Origin must not be served from a cache to a browser that sent one.
  headers.vary = "Origin";
  res.writeHead(status, headers).end(text);
}
