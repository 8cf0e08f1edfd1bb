// The browser's side of sign-in: DigiLocker's redirect back (/auth/callback), a plain link that starts a sign-in
// (/auth/sign-in), startSignIn's link (/auth/start/:ticket), a consent request's link (/auth/consent/:link) and the
// page DigiLocker's logout lands on. Every route that sends a browser to DigiLocker is a top-level navigation that
// sets the sign-in binding cookie; the callback checks it (sign-in.ts).
import type { IncomingMessage, ServerResponse } from "node:http";
import { GraphQLError } from "graphql";
import { OpaqueCookie } from "../auth/opaque-cookie.js";
import type { AuthorizeOptions } from "../auth/records.js";
import { consentRedirect } from "../auth/sign-in.js";
import { DigiLockerInputError } from "../digilocker/index.js";
import type { Services } from "../graphql/context.js";
import { toAuthorizeOptions } from "../graphql/types/authorization-options.js";
import { StoreFullError } from "../store/index.js";
import { SealedSecretUnreadable } from "../tenants/credential-sealing.js";
import { logFailure } from "./error-log.js";
import type { Logger } from "./logger.js";
import type { RateDecision } from "./rate-limiter.js";
import { AUTH_HEADERS } from "./security-headers.js";

const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  ...AUTH_HEADERS,
};

/** The paths handled here; app.ts routes them before anything else is parsed. */
export const AUTH_PATH_PREFIX = "/auth/";

/** What one request to these routes sees: the services, its cookies and its client's rate-limit key. */
interface RouteRequest {
  services: Services;
  cookies: string | null;
  clientKey: string;
  /** The origin the browser used (Host), so "/graphql" brings it back to the same host its cookie will be set on. */
  origin: string;
  /** The request's logger (its id on every line). */
  log: Logger;
}

/** Answers a request under /auth/. */
export function handleAuthRoute(services: Services, log: Logger, req: IncomingMessage, res: ServerResponse, clientKey: string): void {
  const url = new URL(req.url ?? "/", "http://gateway.invalid");
  const path = url.pathname;
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { ...AUTH_HEADERS, allow: "GET" }).end();
    return;
  }
  const { auth } = services;
  const request: RouteRequest = {
    services,
    cookies: req.headers.cookie ?? null,
    clientKey,
    origin: `${auth.redirects.secureCookies ? "https" : "http"}://${req.headers.host ?? ""}`,
    log,
  };
  route(request, path, url.searchParams, res).catch((error: unknown) => {
    if (error instanceof StoreFullError) {
      // The memory store's cap on sign-ins in progress: nothing was evicted to make room, so come back shortly.
      log.warn({ route: routeName(path), store: error.partition }, "sign-in refused: the store holds its maximum of sign-ins in progress");
      if (!res.headersSent) page(res, 503, "Sign-in busy", "Too many sign-ins are in progress. Try again in a minute.", "", { "retry-after": "60" });
      return;
    }
    if (error instanceof SealedSecretUnreadable) {
      // A partner's stored secret that no configured key opens: never the gateway's client in its place (docs/tenants.md).
      log.error({ route: routeName(path), partner: error.partnerId, keyId: error.keyId, reason: error.reason }, "a partner's DigiLocker client secret cannot be read");
      if (!res.headersSent) {
        page(res, 503, "Sign-in unavailable", "This application's DigiLocker connection cannot be used right now. Ask the application to try again later.");
      }
      return;
    }
    logFailure(log, error, { route: routeName(path) }, "sign-in route failed");
    if (!res.headersSent) page(res, 503, "Sign-in unavailable", "Signing in is not possible right now. Try again in a moment.");
  });
}

async function route(request: RouteRequest, path: string, query: URLSearchParams, res: ServerResponse): Promise<void> {
  if (path === "/auth/signed-out") {
    page(res, 200, "Signed out", "You are signed out of DigiLocker.", '<a href="/graphql">Back to GraphiQL</a>');
    return;
  }
  const budget = budgetFor(path);
  if (budget !== null) {
    const decision = await request.services.limiter.consume(budget, request.clientKey, 1);
    if (!decision.allowed) {
      tooMany(res, decision);
      return;
    }
  }
  if (path === "/auth/callback") {
    await callback(request, query, res);
  } else if (path === "/auth/sign-in") {
    await signIn(request, query, res);
  } else if (path.startsWith("/auth/start/")) {
    await startLink(request, path.slice("/auth/start/".length), res);
  } else if (path.startsWith("/auth/consent/")) {
    await consentLink(request, path.slice("/auth/consent/".length), res);
  } else {
    page(res, 404, "Not found", "There is no such sign-in page.");
  }
}

async function callback(request: RouteRequest, query: URLSearchParams, res: ServerResponse): Promise<void> {
  const { auth } = request.services;
  const outcome = await auth.signIn.complete(
    query,
    { binding: auth.bindingCookie.read(request.cookies), sessionId: auth.cookie.read(request.cookies) },
    request.log,
  );
  if (outcome.kind === "invalid") {
    page(res, 400, "Sign-in did not complete", outcome.message);
  } else if (outcome.kind === "signed_in") {
    seeOther(res, outcome.location, { "set-cookie": auth.cookie.set(outcome.sessionId, outcome.maxAgeSeconds) });
  } else {
    seeOther(res, outcome.location);
  }
}

/**
 * Starts a sign-in in this browser and sends it to DigiLocker: the binding cookie is the browser's own when it has
 * one (two tabs signing in at once both complete), else a new one, kept as long as a sign-in lasts.
 */
async function startHere(
  request: RouteRequest,
  options: AuthorizeOptions,
  target: { returnTo: URL } | { consentRequestId: string; partnerId: string | null },
  res: ServerResponse,
): Promise<void> {
  const { auth } = request.services;
  const binding = auth.bindingCookie.read(request.cookies) ?? OpaqueCookie.value();
  const started = await auth.signIn.start(options, target, binding);
  seeOther(res, started.authorizationUrl, { "set-cookie": auth.bindingCookie.set(binding, auth.signInTtlSeconds) });
}

/** A link (GraphiQL's "Sign in", a plain <a>) that starts a browser sign-in: ?returnTo=/graphql&acr=pan&docTypes=PANCR,DRVLC. */
async function signIn(request: RouteRequest, query: URLSearchParams, res: ServerResponse): Promise<void> {
  const { auth } = request.services;
  let returnTo: URL;
  try {
    returnTo = auth.redirects.check(query.get("returnTo") ?? "/graphql", "returnTo", request.origin);
  } catch (error) {
    page(res, 400, "Cannot sign in", error instanceof GraphQLError ? error.message : "returnTo is not allowed");
    return;
  }
  const acr = query.get("acr");
  const docTypes = query.get("docTypes");
  let options: AuthorizeOptions;
  try {
    options = toAuthorizeOptions({
      signup: query.get("signup") === "true",
      acr: acr === "pan" || acr === "aadhaar" || acr === "driving_licence" ? acr : null,
      requestedDocTypes: docTypes === null ? null : docTypes.split(",").map((d) => d.trim()).filter((d) => d !== ""),
    });
    await startHere(request, options, { returnTo }, res);
  } catch (error) {
    if (!(error instanceof DigiLockerInputError)) throw error;
    page(res, 400, "Cannot sign in", error.message);
  }
}

/** startSignIn's `authorizationUrl`: its ticket, redeemed once, starts the sign-in in the browser that opened it. */
async function startLink(request: RouteRequest, ticket: string, res: ServerResponse): Promise<void> {
  const prepared = await request.services.auth.signIn.redeem(ticket);
  if (prepared === null) {
    page(res, 400, "Sign-in link expired", "This sign-in link was already used or has expired: start signing in again from the application.");
    return;
  }
  await startHere(request, prepared.options, { returnTo: prepared.returnTo }, res);
}

/**
 * A consent request's `url`: a fresh state and verifier on every visit, while the request is UNAUTHENTICATED. The
 * path carries the request's link, never its id; anything else there (an id, a guess, garbage) is an unknown link.
 */
async function consentLink(request: RouteRequest, link: string, res: ServerResponse): Promise<void> {
  const found = await request.services.auth.consentRequests.byLink(link, request.log);
  if (found === null) {
    page(res, 404, "Link not found", "This consent link is not known or has been deleted. Ask the application for a new one.");
    return;
  }
  const { id, redirectUrl, authorize, partnerId } = found.record;
  if (found.status === "AUTHENTICATED") {
    seeOther(res, consentRedirect(redirectUrl, id, null));
    return;
  }
  if (found.status !== "UNAUTHENTICATED") {
    seeOther(res, consentRedirect(redirectUrl, id, "consent_request_closed"));
    return;
  }
  // Its partner's own DigiLocker client when it has one (docs/tenants.md), else the gateway's.
  await startHere(request, authorize, { consentRequestId: id, partnerId }, res);
}

/**
 * The callback may reach DigiLocker (the code exchange); a sign-in link and a consent link each create a sign-in
 * state. startSignIn's link spends a ticket its mutation was already charged for.
 */
function budgetFor(path: string): "client" | "writes" | null {
  if (path === "/auth/callback") return "client";
  if (path === "/auth/sign-in" || path.startsWith("/auth/consent/")) return "writes";
  return null;
}

function tooMany(res: ServerResponse, decision: Extract<RateDecision, { allowed: false }>): void {
  page(res, 429, "Too many attempts", `Too many sign-in attempts from this address. Try again in ${decision.retryAfterSeconds} seconds.`, "", {
    "retry-after": String(decision.retryAfterSeconds),
  });
}

/** A route's name for the log: never the path itself, which the client wrote (and which holds a consent link). */
function routeName(path: string): string {
  if (path.startsWith("/auth/consent/")) return "/auth/consent/:link";
  if (path.startsWith("/auth/start/")) return "/auth/start/:ticket";
  return path === "/auth/callback" || path === "/auth/sign-in" ? path : "other";
}

/** 303: the browser GETs `location` next; never cached, since every one carries a single-use state or outcome. */
function seeOther(res: ServerResponse, location: string, headers: Record<string, string> = {}): void {
  res.writeHead(303, { ...AUTH_HEADERS, location, "cache-control": "no-store", ...headers }).end();
}

function page(res: ServerResponse, status: number, title: string, message: string, extraHtml = "", headers: Record<string, string> = {}): void {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><meta name="viewport" content="width=device-width"><style>body{font:16px system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}</style></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${extraHtml}</body></html>`;
  res.writeHead(status, { ...PAGE_HEADERS, ...headers }).end(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
