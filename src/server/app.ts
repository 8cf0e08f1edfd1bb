// The HTTP face of the gateway: GraphQL (with GraphiQL) at /graphql, liveness, readiness and metrics.
// Built apart from listening so tests can mount it on port 0.
import type { IncomingMessage, ServerResponse } from "node:http";
import { useGraphQlJit } from "@envelop/graphql-jit";
import { createYoga, type YogaServerOptions } from "graphql-yoga";
import { createContext, type Context, type Services } from "../graphql/context.js";
import { toClientError } from "../graphql/errors.js";
import { schema } from "../graphql/schema.js";
import { GRAPHIQL_ASSETS_PATH, renderGraphiQL, serveGraphiqlAsset } from "./graphiql.js";
import type { Logger } from "./logger.js";
import type { UpstreamCalls } from "./upstream-calls.js";

export interface AppDeps {
  services: Services;
  upstreamCalls: UpstreamCalls;
  logger: Logger;
  /** Shown in GraphiQL's headers tab, so a newcomer knows where a token comes from. */
  tokenHint: string;
  /** Replaces the yoga plugins (default: graphql-jit) or turns the parse/validate cache off: the benchmark's variants. */
  yoga?: Pick<YogaServerOptions<Record<string, unknown>, Context>, "plugins" | "parserAndValidationCache">;
}

const DEFAULT_QUERY = `# Send a DigiLocker access token in the Headers tab below to read a locker.
query Explore {
  statistics { users authenticDocuments issuers countAsOn }
  issuers(first: 5) { totalCount edges { node { name categories docTypes { code description } } } }
  viewer { name dateOfBirth issuedDocuments { name issuer { name } } }
}
`;

export function createApp(deps: AppDeps) {
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: "/graphql",
    // graphql-jit compiles each distinct operation once (yoga's cache already skips re-parsing and re-validating it):
    // about a quarter more requests per second than graphql-js execution (bench/RESULTS.md, execution variants).
    plugins: deps.yoga?.plugins ?? [useGraphQlJit()],
    parserAndValidationCache: deps.yoga?.parserAndValidationCache ?? true,
    landingPage: false,
    renderGraphiQL,
    context: ({ request }) => createContext(deps.services, request.headers.get("authorization")),
    maskedErrors: { maskError: (error) => toClientError(error, deps.logger) },
    graphiql: {
      title: "digilocker-graphql",
      defaultQuery: DEFAULT_QUERY,
      headers: JSON.stringify({ Authorization: `Bearer ${deps.tokenHint}` }, null, 2),
    },
    logging: {
      debug: (...args: unknown[]) => { deps.logger.debug({ args }, "yoga"); },
      info: (...args: unknown[]) => { deps.logger.info({ args }, "yoga"); },
      warn: (...args: unknown[]) => { deps.logger.warn({ args }, "yoga"); },
      error: (...args: unknown[]) => { deps.logger.error({ args }, "yoga"); },
    },
  });

  async function ready(): Promise<boolean> {
    try {
      // Served from the meta cache when warm, so readiness probes cost DigiLocker nothing.
      await deps.services.meta.statistics();
      return true;
    } catch {
      return false;
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (path === "/health") {
      sendJson(res, 200, { status: "ok" });
    } else if (path === "/ready") {
      void ready().then((ok) => {
        sendJson(res, ok ? 200 : 503, { status: ok ? "ready" : "upstream_unavailable" });
      });
    } else if (path === "/metrics") {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(deps.upstreamCalls.prometheus());
    } else if (path.startsWith(GRAPHIQL_ASSETS_PATH) && serveGraphiqlAsset(path.slice(GRAPHIQL_ASSETS_PATH.length), res)) {
      return;
    } else if (path === "/") {
      res.writeHead(302, { location: "/graphql" }).end();
    } else {
      void yoga(req, res);
    }
  }

  return { yoga, handle };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
