// A faithful DigiLocker Requester API v2.3 over real HTTP: the spec's paths under /public (and
// /signin/logout/Y), so the only difference from production is the origin.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { errors, specReply } from "./errors.js";
import { corruptHmac, decide, appliesTo, delayMs } from "./faults.js";
import { json, parseCookies, readBody, type Reply, type SandboxRequest } from "./http.js";
import { loadSandboxKeys } from "./keys.js";
import { matchRoute, type Route, type SandboxContext } from "./router.js";
import { accountRoutes } from "./routes/account.js";
import { filesRoutes } from "./routes/files.js";
import { metaRoutes } from "./routes/meta.js";
import { oauthRoutes } from "./routes/oauth.js";
import { pagesRoutes } from "./routes/pages.js";
import { pullRoutes } from "./routes/pull.js";
import { seedState } from "./seed/index.js";
import { faultSchema, sandboxSettingsSchema, type EndpointId, type Faults, type FaultsInput, type SandboxSettingsInput } from "./settings.js";
import type { SandboxState } from "./state.js";
import { createGrant, issueTokens, type GrantInput, type IssuedTokens } from "./tokens.js";

export interface Sandbox {
  /** e.g. http://127.0.0.1:4010 */
  origin: string;
  /** origin + /public: what a client's baseUrl is set to. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  state: SandboxState;
  /**
   * Signs a seeded user in without the browser flow: a shortcut for tests and scripts. The sign-in pages
   * exercise the real flow; this mints the same grant and tokens they would.
   */
  issueToken(input: Omit<GrantInput, "clientId"> & { clientId?: string; refresh?: boolean }): IssuedTokens;
  /**
   * Registers an exact redirect URI for a client (default the primary one), for an embedding app that learns
   * its callback URL only after listening. It goes first: Revoke Session redirects to a client's first URI.
   * Throws TypeError unless `uri` is an absolute http(s) URL without a fragment (RFC 6749 §3.1.2) or blanks.
   */
  registerRedirectUri(uri: string, clientId?: string): void;
  faults(): Faults;
  setFaults(faults: FaultsInput): Faults;
  /** Requests in flight now and the most seen at once since the start (or resetStats()), per endpoint id. */
  stats(): SandboxStats;
  /**
   * API calls per registered client and endpoint id since the start (or resetStats()): the client a call
   * authenticated as (a meta call's hash, a token call's credentials, the client a bearer token was issued to).
   * Calls refused before a client was known are not counted. Tells which client id a gateway used.
   */
  callsByClient(): Record<string, Record<string, number>>;
  /** Starts stats() maxima and callsByClient() over. */
  resetStats(): void;
  close(): Promise<void>;
}

export interface SandboxStats {
  inFlight: Record<string, number>;
  maxInFlight: Record<string, number>;
  /** The most API requests in flight at once, across endpoints. */
  maxInFlightTotal: number;
}

export interface SandboxDeps {
  now?: () => number;
  random?: () => number;
}

const routes: readonly Route[] = [
  ...oauthRoutes,
  ...accountRoutes,
  ...filesRoutes,
  ...pullRoutes,
  ...metaRoutes,
  ...pagesRoutes,
];

export async function startSandbox(input: SandboxSettingsInput = {}, deps: SandboxDeps = {}): Promise<Sandbox> {
  const settings = sandboxSettingsSchema.parse(input);
  const keys = loadSandboxKeys(settings.xmlSignature);
  const random = deps.random ?? Math.random;
  const server = createServer();
  const ctx: SandboxContext = {
    settings,
    keys,
    state: seedState(settings, keys),
    now: deps.now ?? Date.now,
    origin: "",
  };

  const gauge = new InFlightGauge();
  /** client id → endpoint id → calls. */
  const byClient = new Map<string, Map<string, number>>();

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const routed: { endpoint?: EndpointId } = {};
    handle(req, res, routed).catch((error: unknown) => {
      console.error("sandbox: handler failed", error);
      // The route's own unexpected_error: 530 on account and file routes, 500 elsewhere (the spec's tables).
      const reply = routed.endpoint === undefined ? errors.unexpected(500) : specReply("unexpected_error", routed.endpoint);
      if (!res.headersSent) send(res, reply);
      else res.destroy();
    });
  });

  /** `routed` learns the matched route's endpoint id, so a failure can still answer in that endpoint's terms. */
  async function handle(req: IncomingMessage, res: ServerResponse, routed: { endpoint?: EndpointId }): Promise<void> {
    const url = new URL(req.url ?? "/", ctx.origin);
    const match = matchRoute(routes, req.method ?? "GET", url.pathname);
    if (match !== null && match !== "method-not-allowed") routed.endpoint = match.route.endpoint;
    const raw = await readBody(req);
    if (match === null) {
      send(res, json(404, { error: "not_found", error_description: "No such route" }));
      return;
    }
    if (match === "method-not-allowed") {
      send(res, json(405, { error: "method_not_allowed", error_description: "Method not allowed" }));
      return;
    }
    const request: SandboxRequest = {
      method: req.method ?? "GET",
      url,
      headers: req.headers,
      params: match.params,
      body: raw ?? Buffer.alloc(0),
      oversized: raw === null,
      cookies: parseCookies(req.headers.cookie),
    };
    const { endpoint } = match.route;
    if (endpoint !== undefined) gauge.enter(endpoint, res);
    const faults = settings.faults;
    if (endpoint !== undefined && appliesTo(faults, endpoint)) {
      const delay = delayMs(faults, endpoint, random);
      if (delay > 0) await sleep(delay);
      const decision = decide(faults, endpoint, random);
      if (decision.kind === "drop") {
        req.socket.destroy();
        return;
      }
      if (decision.kind === "reply") {
        send(res, decision.reply);
        return;
      }
    }
    let reply = await match.route.handler(request, ctx);
    if (endpoint !== undefined && request.client !== undefined) {
      const calls = byClient.get(request.client) ?? new Map<string, number>();
      calls.set(endpoint, (calls.get(endpoint) ?? 0) + 1);
      byClient.set(request.client, calls);
    }
    if (endpoint !== undefined && faults.wrongHmac && appliesTo(faults, endpoint) && reply.status === 200) {
      reply = corruptHmac(reply);
    }
    send(res, reply);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, settings.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = settings.host.includes(":") ? `[${settings.host}]` : settings.host;
  ctx.origin = `http://${host}:${port}`;

  return {
    origin: ctx.origin,
    baseUrl: `${ctx.origin}/public`,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    state: ctx.state,
    issueToken({ refresh = false, clientId = settings.clientId, ...grant }) {
      if (!ctx.state.users.has(grant.userId)) throw new Error(`No seeded user ${grant.userId}`);
      return issueTokens(ctx, createGrant(ctx, { ...grant, clientId }), refresh);
    },
    registerRedirectUri(uri, clientId = settings.clientId) {
      const client = ctx.state.clients.get(clientId);
      if (!client) throw new Error(`No client ${clientId}`);
      const url = URL.canParse(uri) ? new URL(uri) : null;
      if (url === null || (url.protocol !== "http:" && url.protocol !== "https:") || uri.includes("#") || /\s/.test(uri)) {
        throw new TypeError("A redirect URI must be an absolute http(s) URL without a fragment or blanks");
      }
      // Kept as given: redirect URIs are matched as exact strings. Registering one again moves it to the front.
      client.redirectUris = [uri, ...client.redirectUris.filter((u) => u !== uri)];
    },
    faults: () => settings.faults,
    setFaults(next) {
      settings.faults = faultSchema.parse(next);
      return settings.faults;
    },
    stats: () => gauge.stats(),
    callsByClient: () => Object.fromEntries([...byClient].map(([client, calls]) => [client, Object.fromEntries(calls)])),
    resetStats: () => {
      gauge.reset();
      byClient.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => {
          if (err) reject(err);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}

/** Counts API requests from routing until their response is finished or the connection closes. */
class InFlightGauge {
  readonly #now = new Map<string, number>();
  readonly #max = new Map<string, number>();
  #total = 0;
  #maxTotal = 0;

  enter(endpoint: string, res: ServerResponse): void {
    const n = (this.#now.get(endpoint) ?? 0) + 1;
    this.#now.set(endpoint, n);
    this.#max.set(endpoint, Math.max(n, this.#max.get(endpoint) ?? 0));
    this.#total += 1;
    this.#maxTotal = Math.max(this.#total, this.#maxTotal);
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      this.#now.set(endpoint, (this.#now.get(endpoint) ?? 1) - 1);
      this.#total -= 1;
    };
    res.once("finish", leave);
    res.once("close", leave);
  }

  stats(): SandboxStats {
    return {
      inFlight: Object.fromEntries(this.#now),
      maxInFlight: Object.fromEntries(this.#max),
      maxInFlightTotal: this.#maxTotal,
    };
  }

  /** Maxima start again from what is in flight now. */
  reset(): void {
    this.#max.clear();
    for (const [endpoint, n] of this.#now) this.#max.set(endpoint, n);
    this.#maxTotal = this.#total;
  }
}

function send(res: ServerResponse, reply: Reply): void {
  const body = reply.body ?? "";
  res.writeHead(reply.status, { ...reply.headers, "content-length": Buffer.byteLength(body) });
  res.end(body);
}
