// CSRF prevention: a POST a browser may send cross-site without a CORS preflight (a form's urlencoded or
// multipart body, text/plain, or no content type) must carry a header no cross-site form can set, so no page
// can make a visitor's browser run a mutation, with or without a cookie. JSON needs a preflight already.
// (yoga's @graphql-yoga/plugin-csrf-prevention does the same but refuses plain GET queries too.)
import { GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";

/** Either header marks a request as sent by script (yoga's and Apollo's names, so their upload clients work). */
export const CSRF_HEADERS = ["x-graphql-yoga-csrf", "apollo-require-preflight"] as const;

const JSON_TYPES = new Set(["application/json", "application/graphql-response+json", "application/graphql+json"]);

/** Whether a POST with this content type and these headers could come from a cross-site form. */
export function needsCsrfHeader(method: string, contentType: string | null, has: (name: string) => boolean): boolean {
  if (method !== "POST") return false;
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (JSON_TYPES.has(type)) return false;
  return !CSRF_HEADERS.some((name) => has(name));
}

export function useCsrfPrevention(): Plugin {
  return {
    onRequestParse({ request }) {
      if (!needsCsrfHeader(request.method, request.headers.get("content-type"), (name) => request.headers.has(name))) return;
      throw new GraphQLError(
        "POST requests must be sent as Content-Type: application/json, or carry an X-GraphQL-Yoga-CSRF header (any value): other POSTs are what cross-site forms send.",
        { extensions: { code: "CSRF_REFUSED", http: { status: 403 } } },
      );
    },
  };
}
