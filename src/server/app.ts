// The HTTP face of the gateway: GraphQL (with GraphiQL) at /graphql, liveness, readiness and metrics.
// Built apart from listening so tests can mount it on port 0.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { useGraphQlJit } from "@envelop/graphql-jit";
import { createFetch } from "@whatwg-node/fetch";
import { NoSchemaIntrospectionCustomRule, specifiedRules, type DocumentNode, type ValidationRule } from "graphql";
import { createGraphQLError, createYoga, type Plugin, type YogaServerOptions } from "graphql-yoga";
import { LRUCache } from "lru-cache";
import type { Config, OperationLimitsConfig } from "../config.js";
import { MAX_UPLOAD_BYTES } from "../digilocker/index.js";
import { misplacedApiKey, misplacedKeyBody, useApiKeys } from "./api-keys.js";
import { createContext, type Context, type Services } from "../graphql/context.js";
import { schema } from "../graphql/schema.js";
import { AUTH_PATH_PREFIX, handleAuthRoute } from "./auth-routes.js";
import { clientAddressResolver, rateKey, UNKNOWN_CLIENT } from "./client-address.js";
import { useCors } from "./cors.js";
import { useCsrfPrevention } from "./csrf.js";
import { useOneAnswerForDeadTokens } from "./dead-token.js";
import { createErrorLog } from "./error-log.js";
import { handleFileRoute, isFilePath } from "./file-route.js";
import { GRAPHIQL_ASSETS_PATH, GraphiqlAssets, renderGraphiQL } from "./graphiql.js";
import { useExecutionBounds } from "./execution-bounds.js";
import { createDirectPath, takesDirectPath } from "./json-post.js";
import { scrubbedError, type Logger } from "./logger.js";
import { builtInDocuments } from "../operations/built-in.js";
import { readDocument } from "../operations/manifest.js";
import { PersistedDocuments } from "../operations/persisted-documents.js";
import { PersistedOperations } from "../operations/persisted-operations.js";
import { prepareDocument } from "../operations/prepare.js";
import { OperationVerdicts, useOperationLimits } from "./operation-limits.js";
import { usePartnerBudgets } from "./partner-budgets.js";
import { usePersistedRequests } from "./persisted-requests.js";
import { useRateLimits } from "./rate-limits.js";
import { requestScopes } from "./request-id.js";
import { useTenantLease } from "./tenant-lease.js";
import type { UpstreamCalls } from "./upstream-calls.js";
import { yogaLogging } from "./yoga-logging.js";

export interface AppDeps {
  services: Services;
  upstreamCalls: UpstreamCalls;
  logger: Logger;
  /** What one request may ask for (docs/limits.md). */
  limits: OperationLimitsConfig;
  /** Production mode's parts (docs/production.md): persisted documents only, introspection, GraphiQL. */
  modes: Pick<Config["gateway"], "persistedOnly" | "introspection" | "graphiql">;
  /** Epoch ms, for how long the database's answers about persisted documents are reused (tests move it). */
  now?: () => number;
  /** Replaces the yoga plugins (default: graphql-jit) or turns the parse/validate cache off: the benchmark's variants. */
  yoga?: Pick<YogaServerOptions<Record<string, unknown>, Context>, "plugins" | "parserAndValidationCache">;
  /** false: every request goes through yoga's fetch adapter (the benchmark's `adapter` variant). Default true. */
  directPath?: boolean;
}

const DEFAULT_QUERY = `# Press "Sign in" above (the sandbox's consent page needs no password), then run this.
query Explore {
  session { expiresAt scopes }
  viewer {
    name
    identity { dateOfBirth maskedAadhaar verification }
    issuedDocuments { name issuer { name } }
  }
  statistics { users authenticDocuments issuers countAsOn }
}
`;

/** Headers the operation asked for (ctx.responseHeaders) go onto the HTTP response: yoga gives resolvers no response. */
function responseHeaders(contexts: WeakMap<object, Context>): Plugin {
  return {
    onResponse({ request, response }) {
      for (const [name, value] of contexts.get(request)?.responseHeaders ?? []) response.headers.append(name, value);
    },
  };
}

const GRAPHQL_PATH = "/graphql";

/** graphql-jit, its compilation failures (the request's, e.g. a variable of an unknown type) logged, not printed to stderr. */
function graphqlJit(logger: Logger) {
  return useGraphQlJit(
    {},
    { onError: (result) => { logger.debug({ errors: result.errors?.length ?? 0 }, "graphql-jit did not compile an operation"); } },
  );
}

/**
 * Yoga's parse and validation caches (and graphql-jit's compiled queries, which it keys weakly by the parsed
 * document) bounded by entries and by the total length of the query texts they hold: by default yoga keeps 1,024
 * documents of any size, and three distinct 115 kB queries with their compiled code exhausted the heap.
 */
function boundedDocumentCaches(limits: OperationLimitsConfig) {
  const bounded = <V extends object>() =>
    new LRUCache<string, V>({
      max: Math.max(limits.documentCacheEntries, 1),
      maxSize: Math.max(limits.documentCacheBytes, 1),
      sizeCalculation: (_value, key) => Math.max(key.length, 1),
    });
  return { documentCache: bounded<DocumentNode>(), errorCache: bounded<Error>(), validationCache: true };
}

const isMultipart = (request: Request) => /^multipart\/form-data\s*(;|$)/i.test(request.headers.get("content-type") ?? "");
const tooLarge = () => createGraphQLError("Request body too large", { extensions: { code: "REQUEST_ENTITY_TOO_LARGE", http: { status: 413 } } });

/**
 * yoga's maxRequestBodySize is one limit for every body: set to the upload limit (GRAPHQL_MAX_UPLOAD_BYTES), and
 * this holds every other body to GRAPHQL_MAX_BODY_BYTES, by its Content-Length or, without one, while it streams.
 */
function bodyLimitUnlessMultipart(maxBodyBytes: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (isMultipart(request)) return;
      const length = request.headers.get("content-length");
      if (length !== null && Number(length) > maxBodyBytes) throw tooLarge();
      if (requestParser === undefined || request.body === null) return;
      setRequestParser((req) => {
        if (req.body === null) return requestParser(req);
        let read = 0;
        const body = req.body.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              read += chunk.byteLength;
              if (read > maxBodyBytes) controller.error(tooLarge());
              else controller.enqueue(chunk);
            },
          }),
        );
        return requestParser(new fetchAPI.Request(req.url, { method: req.method, headers: req.headers, signal: req.signal, body, duplex: "half" } as RequestInit));
      });
    },
  };
}

/** Refuses introspection (GRAPHQL_INTROSPECTION=false): graphql-js's rule, which leaves __typename alone. */
function noIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}

export function createApp(deps: AppDeps) {
  const contexts = new WeakMap<object, Context>();
  // Each document priced once (operation-limits.ts), whether it came as text or as a persisted document.
  const verdicts = new OperationVerdicts(deps.limits);
  const rules: readonly ValidationRule[] = deps.modes.introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
  const { database } = deps.services;
  const persisted = new PersistedDocuments({
    store: new PersistedOperations({ db: database.db }),
    builtIn: builtInDocuments(),
    read: (id, text) => {
      const read = readDocument(id, text, { maxTokens: deps.limits.maxTokens });
      return "message" in read ? null : read;
    },
    prepare: (document) => prepareDocument({ schema, rules, verdicts }, document),
    now: deps.now ?? Date.now,
    empty: () => database.unopened(),
  });
  // TRUST_PROXY compiled once: an unusable entry fails the start, not every request.
  const addressOf = clientAddressResolver(deps.services.trustProxy);
  // Without a trusted proxy the key is the socket's peer: worked out once per connection, not per request.
  const keysBySocket = new WeakMap<Socket, string>();
  const clientKeyOf = (req: IncomingMessage | undefined): string => {
    if (req === undefined) return UNKNOWN_CLIENT;
    if (deps.services.trustProxy !== null) return rateKey(addressOf(req));
    let key = keysBySocket.get(req.socket);
    if (key === undefined) {
      key = rateKey(addressOf(req));
      keysBySocket.set(req.socket, key);
    }
    return key;
  };
  // Each request's id and logger (request-id.ts), begun before any route and found again by its node:http request.
  const scopes = requestScopes(deps.logger);
  const scopeOf = (serverContext: object) => scopes.of((serverContext as { req?: IncomingMessage }).req);
  // One log line per request for its errors, on both paths (error-log.ts): its maskError and its plugin.
  const errorLog = createErrorLog(scopeOf);
  const persistedRequests = usePersistedRequests({
    documents: persisted,
    persistedOnly: deps.modes.persistedOnly,
    chargeUnknownId: (serverContext) => deps.services.limiter.consume("client", clientKeyOf((serverContext as { req?: IncomingMessage }).req), 1),
    logError: (serverContext, error) => {
      scopeOf(serverContext).log.error({ err: error instanceof Error ? scrubbedError(error) : { type: typeof error } }, "persisted operations could not be read");
    },
  });
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    // graphql-jit compiles each distinct operation once (yoga's cache already skips re-parsing and re-validating it):
    // about a quarter more requests per second than graphql-js execution (bench/RESULTS.md, execution variants).
    // The limits refuse an operation before graphql-jit compiles it; the bounds come after graphql-jit, whose
    // execution they wrap (and which they leave to graphql-js for documents of several operations). A partner's own
    // DigiLocker client is taken last, once nothing can refuse the operation, and released when its answer is done.
    plugins: [
      ...(deps.yoga?.plugins ?? [graphqlJit(deps.logger)]),
      useCors((origin) => deps.services.auth.redirects.isAllowedOrigin(origin)),
      useCsrfPrevention(),
      persistedRequests.documents,
      ...(deps.modes.introspection ? [] : [noIntrospection()]),
      useOperationLimits(verdicts),
      useApiKeys(),
      persistedRequests.authorization,
      useRateLimits(),
      usePartnerBudgets(),
      useExecutionBounds(deps.limits),
      useTenantLease(),
      useOneAnswerForDeadTokens(),
      responseHeaders(contexts),
      errorLog.plugin,
      bodyLimitUnlessMultipart(deps.limits.maxBodyBytes),
    ],
    parserAndValidationCache:
      deps.yoga?.parserAndValidationCache === false || deps.limits.documentCacheEntries === 0 || deps.limits.documentCacheBytes === 0
        ? false
        : boundedDocumentCaches(deps.limits),
    // Multipart (uploadFile) bodies up to GRAPHQL_MAX_UPLOAD_BYTES; every other body up to GRAPHQL_MAX_BODY_BYTES.
    maxRequestBodySize: Math.max(deps.limits.maxBodyBytes, deps.limits.maxUploadBytes),
    // The multipart parser (busboy) stops a file past 10 MB as it streams (413), and caps the other parts: one file,
    // and `operations` and `map` no larger than any other body.
    fetchAPI: createFetch({
      formDataLimits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 2, parts: 3, fieldSize: deps.limits.maxBodyBytes },
    }),
    landingPage: false,
    // Yoga's CORS reflects any Origin; cors.ts answers in its place.
    cors: false,
    renderGraphiQL,
    // Both server paths hand over the node:http request (yoga's adapter as `req`, json-post.ts too).
    context: ({ request, req }: { request: Request; req?: IncomingMessage }) => {
      const context = createContext(deps.services, request, clientKeyOf(req), scopes.of(req));
      contexts.set(request, context);
      return context;
    },
    maskedErrors: { maskError: errorLog.maskError },
    graphiql: deps.modes.graphiql ? { title: "digilocker-graphql", defaultQuery: DEFAULT_QUERY } : false,
    logging: yogaLogging(deps.logger),
  });

  /** Each dependency a request needs, checked together: "ok", or what is wrong in a few words. */
  async function ready(): Promise<{ ok: boolean; checks: Record<string, string> }> {
    const check = (promise: Promise<unknown>) =>
      promise.then(
        () => "ok",
        () => "unavailable",
      );
    const [digilocker, sessionStore] = await Promise.all([
      // Served from the meta cache when warm, so readiness probes cost DigiLocker nothing.
      check(deps.services.meta.statistics()),
      check(deps.services.store.ping()),
    ]);
    return { ok: digilocker === "ok" && sessionStore === "ok", checks: { digilocker, sessionStore } };
  }

  const graphiqlAssets = new GraphiqlAssets();
  const direct = deps.directPath === false ? null : createDirectPath(yoga, (req) => scopes.of(req).log, (request) => contexts.get(request));
  let viaAdapter = 0;

  function metrics(): string {
    const lines = [
      "# HELP graphql_http_requests_total Requests to /graphql, by how they were served: direct (node:http, json-post.ts) or adapter (yoga's fetch adapter).",
      "# TYPE graphql_http_requests_total counter",
      `graphql_http_requests_total{path="direct"} ${direct?.counts.direct ?? 0}`,
      `graphql_http_requests_total{path="adapter"} ${viaAdapter + (direct?.counts.handedToYoga ?? 0)}`,
    ];
    return `${deps.upstreamCalls.prometheus()}${lines.join("\n")}\n`;
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const scope = scopes.begin(req, res);
    const misplaced = misplacedApiKey(req);
    if (misplaced !== null) {
      scope.log.warn({ where: misplaced }, "API key sent outside X-API-Key refused");
      res.writeHead(400, { "content-type": "application/json; charset=utf-8", vary: "Origin" }).end(misplacedKeyBody(misplaced));
      return;
    }
    if (direct !== null && takesDirectPath(req, GRAPHQL_PATH, deps.limits.maxBodyBytes)) {
      direct.handle(req, res);
      return;
    }
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (path === "/health") {
      sendJson(res, 200, { status: "ok" });
    } else if (path === "/ready") {
      void ready().then(({ ok, checks }) => {
        sendJson(res, ok ? 200 : 503, { status: ok ? "ready" : "unavailable", checks });
      });
    } else if (path === "/metrics") {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(metrics());
    } else if (deps.modes.graphiql && path.startsWith(GRAPHIQL_ASSETS_PATH) && graphiqlAssets.serve(path.slice(GRAPHIQL_ASSETS_PATH.length), res)) {
      return;
    } else if (!deps.modes.graphiql && path === GRAPHQL_PATH && req.method === "GET" && wantsPage(req)) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("GraphiQL is off on this gateway (production mode; GRAPHIQL=true turns it on).\n");
    } else if (path.startsWith(AUTH_PATH_PREFIX)) {
      handleAuthRoute(deps.services, scope.log, req, res, clientKeyOf(req));
    } else if (isFilePath(path)) {
      handleFileRoute(deps.services, scope.log, req, res, clientKeyOf(req));
    } else if (path === "/") {
      res.writeHead(302, { location: "/graphql" }).end();
    } else {
      if (path === GRAPHQL_PATH) viaAdapter++;
      void yoga(req, res);
    }
  }

  return { yoga, handle };
}

/** A browser opening /graphql itself, with no operation in the URL: what GraphiQL would have answered. */
function wantsPage(req: IncomingMessage): boolean {
  return (req.headers.accept ?? "").includes("text/html") && !(req.url ?? "").includes("?");
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
