// CORS for /graphql, in place of yoga's (which reflects any Origin and omits Vary when one origin matches).
// The gateway's own and allowed origins may send the session cookie and read the answer; any other origin gets
// `*` without credentials (public data, bearer tokens), never its own Origin reflected. Every answer varies by
// Origin, so no cache hands one origin's CORS headers to another.
import type { Plugin } from "graphql-yoga";

/**
 * Headers a browser may send cross-origin: JSON, bearer tokens, the CSRF headers (csrf.ts) and the app a browser app
 * names for its persisted operations (persisted-requests.ts). Not X-API-Key: a key belongs in a partner's backend,
 * and a browser that cannot send it cross-origin cannot leak it (docs/partners.md).
 */
const ALLOWED_HEADERS = "content-type, authorization, x-graphql-yoga-csrf, apollo-require-preflight, x-graphql-client-name, x-graphql-client-version";

/** Answer headers a page's script may read: when to come back, the budgets left, and the id to quote in a report. */
const EXPOSED_HEADERS = "retry-after, ratelimit, ratelimit-policy, x-request-id";

export function corsHeaders(origin: string | null, trusted: (origin: string) => boolean, preflight: boolean): Record<string, string> {
  const headers: Record<string, string> = { vary: "Origin" };
  if (origin === null) return headers;
  if (trusted(origin)) {
    headers["access-control-allow-origin"] = origin;
    headers["access-control-allow-credentials"] = "true";
  } else {
    headers["access-control-allow-origin"] = "*";
  }
  if (preflight) {
    headers["access-control-allow-methods"] = "GET, POST";
    headers["access-control-allow-headers"] = ALLOWED_HEADERS;
    headers["access-control-max-age"] = "600";
  } else {
    headers["access-control-expose-headers"] = EXPOSED_HEADERS;
  }
  return headers;
}

/** Yoga's own CORS off (`cors: false`), this in its place. */
export function useCors(trusted: (origin: string) => boolean): Plugin {
  return {
    // A preflight is answered here (204, headers added below); yoga would refuse the method with 405.
    onRequest(payload) {
      if (payload.request.method === "OPTIONS") {
        payload.endResponse(new payload.fetchAPI.Response(null, { status: 204, headers: { "content-length": "0" } }));
      }
    },
    onResponse({ request, response }) {
      const headers = corsHeaders(request.headers.get("origin"), trusted, request.method === "OPTIONS");
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    },
  };
}
