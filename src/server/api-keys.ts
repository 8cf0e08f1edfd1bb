// Partners' API keys on requests (docs/partners.md). A key travels in the X-API-Key header and nowhere else: one
// in a URL (logged by proxies, kept in browser history) or in Authorization (where DigiLocker tokens go) is
// refused before anything runs, on every route. A presented key is checked before the operation runs, on both
// server paths; a key that is not accepted fails the whole request (401), whatever it asked for, and costs the
// address one from its client budget, so guessing keys runs into the rate limit.
import type { IncomingMessage } from "node:http";
import { GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { Context } from "../graphql/context.js";
import { KEY_NOT_ACCEPTED, type AuthenticatedPartner, type KeyRefusal } from "../partners/partners.js";
import { rateLimited } from "./rate-limits.js";

export const API_KEY_HEADER = "x-api-key";

/** Anything shaped like a key's start (`dlg_` and a key id): a key cut short in a URL is still refused. */
const KEY_START = /dlg_[a-z2-7]{12}/;

/**
 * Where a request carries an API key other than X-API-Key: "query" (any parameter of the URL, whatever its name) or
 * "authorization"; null when nowhere. Only looks at the URL when it has a query.
 */
export function misplacedApiKey(req: IncomingMessage): "query" | "authorization" | null {
  const url = req.url ?? "";
  const q = url.indexOf("?");
  if (q !== -1 && containsKey(url.slice(q + 1))) return "query";
  const authorization = req.headers.authorization;
  if (authorization !== undefined && /^\s*(bearer|basic|apikey|token)?\s*dlg_/i.test(authorization)) return "authorization";
  return null;
}

function containsKey(query: string): boolean {
  if (KEY_START.test(query)) return true;
  // Percent-encoded (a client that escaped `_`): decoded once, a malformed escape is no key.
  if (!query.includes("%")) return false;
  try {
    return KEY_START.test(decodeURIComponent(query.replace(/\+/g, " ")));
  } catch {
    return false;
  }
}

/** The 400 answer's body, as a GraphQL error list so GraphQL clients show it. */
export function misplacedKeyBody(where: "query" | "authorization"): string {
  const message =
    where === "query"
      ? "An API key was sent in the URL, where proxies and browser history keep it: send it in the X-API-Key header only, and rotate this key (npm run partner -- add-key, then revoke-key)."
      : "An API key was sent in the Authorization header, which carries DigiLocker access tokens: send it in the X-API-Key header.";
  return JSON.stringify({ errors: [{ message, extensions: { code: "API_KEY_MISPLACED", where } }] });
}

function notAccepted(): GraphQLError {
  return new GraphQLError(`${KEY_NOT_ACCEPTED}: send a current key of an active partner in the X-API-Key header.`, {
    extensions: { code: "UNAUTHENTICATED", reason: "api_key_not_accepted", http: { status: 401 } },
  });
}

/** What the answer says when a scope was granted only because no partner is registered yet. */
export const DEVELOPMENT_MODE_NOTICE =
  "Development mode: no partner is registered, so partner operations answer without an API key. Register one (npm run partner -- create) or set NODE_ENV=production to require keys (docs/partners.md).";

export function useApiKeys(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as unknown as Context;
      const key = ctx.apiKey;
      if (key === null) {
        // Only while development mode may grant: in production, or once a partner exists, nothing to add per request.
        if (ctx.services.production || ctx.services.partners.registeredKnown()) return;
        return {
          onExecuteDone({ result, setResult }) {
            if (!ctx.developmentGrant || !("data" in result)) return;
            setResult({ ...result, extensions: { ...result.extensions, developmentMode: DEVELOPMENT_MODE_NOTICE } });
          },
        };
      }
      const refuse = async (outcome: KeyRefusal) => {
        // The key id is not secret (it names the row); the reason is for the operator, never for the caller.
        ctx.scope.log.warn({ keyId: outcome.keyId, reason: outcome.reason }, "API key refused");
        const decision = await ctx.services.limiter.consume("client", ctx.clientKey, 1);
        setResultAndStopExecution({ errors: [decision.allowed ? notAccepted() : rateLimited(decision, "refused API keys from this address")] });
      };
      const decide = (outcome: AuthenticatedPartner | KeyRefusal) => {
        if (!outcome.ok) return refuse(outcome);
        ctx.partner = outcome.partner;
        return undefined;
      };
      // A key authenticated moments ago is decided without a promise: a partner's steady traffic stays synchronous.
      const outcome = ctx.services.partners.authenticate(key.trim());
      return "then" in outcome ? outcome.then(decide) : decide(outcome);
    },
  };
}
