// The browser's side of sign-in: DigiLocker's redirect back (/auth/callback), a plain link that starts a sign-in
// (/auth/sign-in), a consent request's link (/auth/consent/:id) and the page DigiLocker's logout lands on.
import type { IncomingMessage, ServerResponse } from "node:http";
import { GraphQLError } from "graphql";
import type { Auth } from "../auth/index.js";
import { consentRedirect } from "../auth/sign-in.js";
import { DigiLockerInputError } from "../digilocker/index.js";
import { toAuthorizeOptions } from "../graphql/types/authorization-options.js";
import { logFailure } from "./error-log.js";
import type { Logger } from "./logger.js";

const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
};

/** The paths handled here; app.ts routes them before anything else is parsed. */
export const AUTH_PATH_PREFIX = "/auth/";

/** Answers a request under /auth/. */
export function handleAuthRoute(auth: Auth, log: Logger, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://gateway.invalid");
  const path = url.pathname;
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET" }).end();
    return;
  }
  // The origin the browser used (Host), so "/graphql" brings it back to the same host its cookie will be set on.
  const origin = `${auth.redirects.secureCookies ? "https" : "http"}://${req.headers.host ?? ""}`;
  route(auth, path, url.searchParams, origin, res).catch((error: unknown) => {
    logFailure(log, error, { route: routeName(path) }, "sign-in route failed");
    if (!res.headersSent) page(res, 503, "Sign-in unavailable", "Signing in is not possible right now. Try again in a moment.");
  });
}

async function route(auth: Auth, path: string, query: URLSearchParams, origin: string, res: ServerResponse): Promise<void> {
  if (path === "/auth/callback") {
    await callback(auth, query, res);
  } else if (path === "/auth/sign-in") {
    await signIn(auth, query, origin, res);
  } else if (path.startsWith("/auth/consent/")) {
    await consentLink(auth, path.slice("/auth/consent/".length), res);
  } else if (path === "/auth/signed-out") {
    page(res, 200, "Signed out", "You are signed out of DigiLocker.", '<a href="/graphql">Back to GraphiQL</a>');
  } else {
    page(res, 404, "Not found", "There is no such sign-in page.");
  }
}

async function callback(auth: Auth, query: URLSearchParams, res: ServerResponse): Promise<void> {
  const outcome = await auth.signIn.complete(query);
  if (outcome.kind === "invalid") {
    page(res, 400, "Sign-in did not complete", outcome.message);
  } else if (outcome.kind === "signed_in") {
    seeOther(res, outcome.location, { "set-cookie": auth.cookie.set(outcome.sessionId, outcome.maxAgeSeconds) });
  } else {
    seeOther(res, outcome.location);
  }
}

/** A link (GraphiQL's "Sign in", a plain <a>) that starts a browser sign-in: ?returnTo=/graphql&acr=pan&docTypes=PANCR,DRVLC. */
async function signIn(auth: Auth, query: URLSearchParams, origin: string, res: ServerResponse): Promise<void> {
  let returnTo: URL;
  try {
    returnTo = auth.redirects.check(query.get("returnTo") ?? "/graphql", "returnTo", origin);
  } catch (error) {
    page(res, 400, "Cannot sign in", error instanceof GraphQLError ? error.message : "returnTo is not allowed");
    return;
  }
  const acr = query.get("acr");
  const docTypes = query.get("docTypes");
  try {
    const started = await auth.signIn.start(
      toAuthorizeOptions({
        signup: query.get("signup") === "true",
        acr: acr === "pan" || acr === "aadhaar" || acr === "driving_licence" ? acr : null,
        requestedDocTypes: docTypes === null ? null : docTypes.split(",").map((d) => d.trim()).filter((d) => d !== ""),
      }),
      { returnTo },
    );
    seeOther(res, started.authorizationUrl);
  } catch (error) {
    if (!(error instanceof DigiLockerInputError)) throw error;
    page(res, 400, "Cannot sign in", error.message);
  }
}

/** A consent request's `url`: a fresh state and verifier on every visit, while the request is UNAUTHENTICATED. */
async function consentLink(auth: Auth, id: string, res: ServerResponse): Promise<void> {
  const request = /^[0-9a-f-]{36}$/i.test(id) ? await auth.consentRequests.get(id) : null;
  if (request === null) {
    page(res, 404, "Link not found", "This consent link is not known or has been deleted. Ask the application for a new one.");
    return;
  }
  if (request.status === "AUTHENTICATED") {
    seeOther(res, consentRedirect(request.record.redirectUrl, id, null));
    return;
  }
  if (request.status !== "UNAUTHENTICATED") {
    seeOther(res, consentRedirect(request.record.redirectUrl, id, "consent_request_closed"));
    return;
  }
  const started = await auth.signIn.start(request.record.authorize, { consentRequestId: id });
  seeOther(res, started.authorizationUrl);
}

/** A route's name for the log: never the path itself, which the client wrote (and which holds a consent id). */
function routeName(path: string): string {
  if (path.startsWith("/auth/consent/")) return "/auth/consent/:id";
  return path === "/auth/callback" || path === "/auth/sign-in" ? path : "other";
}

/** 303: the browser GETs `location` next; never cached, since every one carries a single-use state or outcome. */
function seeOther(res: ServerResponse, location: string, headers: Record<string, string> = {}): void {
  res.writeHead(303, { location, "cache-control": "no-store", ...headers }).end();
}

function page(res: ServerResponse, status: number, title: string, message: string, extraHtml = ""): void {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><meta name="viewport" content="width=device-width"><style>body{font:16px system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}</style></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${extraHtml}</body></html>`;
  res.writeHead(status, PAGE_HEADERS).end(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
