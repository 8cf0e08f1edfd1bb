// Yoga reads `variables` and `extensions` of a GET query string (or a form body) with a bare JSON.parse: broken JSON
// there throws a SyntaxError that reaches error masking looking like a bug of ours (INTERNAL_SERVER_ERROR, logged
// with its stack). It is the client's mistake: answered as yoga answers a POST body that is not JSON.
import { GraphQLError } from "graphql";
import type { GraphQLParams, PromiseOrValue } from "graphql-yoga";

/** yoga's own type (plugins/types.ts), which its index does not export. */
type RequestParser = (request: Request) => PromiseOrValue<GraphQLParams | GraphQLParams[] | Response>;

const JSON_PARAMS = ["variables", "extensions"] as const;

/** The JSON parameter of a query string that does not parse, if the query string is where it is. */
function brokenParam(url: URL): string | null {
  for (const name of JSON_PARAMS) {
    const value = url.searchParams.get(name);
    if (value === null || value === "") continue;
    try {
      JSON.parse(value);
    } catch {
      return name;
    }
  }
  return null;
}

/** `parser` with its JSON syntax errors turned into BAD_REQUEST; anything else it throws is left as it is. */
export function rejectMalformedParams(parser: RequestParser, url: URL): RequestParser {
  return async (request) => {
    try {
      return await parser(request);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      const name = brokenParam(url);
      const what = name === null ? "The variables or extensions parameter" : `The ${name} parameter`;
      // `spec: true`: 400 for application/graphql-response+json, 200 for application/json (GraphQL over HTTP).
      throw new GraphQLError(`${what} is not valid JSON.`, {
        extensions: { code: "BAD_REQUEST", http: { spec: true, status: 400 } },
      });
    }
  };
}
