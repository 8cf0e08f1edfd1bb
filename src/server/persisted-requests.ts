// Persisted operations on requests (docs/production.md). A request names a document by id in any of the three
// common forms — GraphQL-over-HTTP's `documentId` (`sha256:<hex>`, Appendix A "Persisted Documents"), Apollo's
// `extensions.persistedQuery.sha256Hash`, Relay's `doc_id` — in a POST body or, for queries, in GET's URL. The
// document comes prepared (parsed, validated, priced) from operations/persisted-documents.ts, so yoga neither parses
// nor validates it again. Whether the caller may run it is decided once its API key has been checked: a partner's
// key runs its own manifests' documents, a browser app (X-GraphQL-Client-Name and -Version, no key) its version's,
// and anyone the gateway's own. An unknown id and another partner's get the same answer. With persisted-only on
// (production), a query's text is refused.
import { GraphQLError, OperationTypeNode } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { Context } from "../graphql/context.js";
import type { PersistedDocuments, PreparedDocument } from "../operations/persisted-documents.js";
import type { DocumentCaller } from "../operations/persisted-operations.js";
import type { RateDecision } from "./rate-limiter.js";
import { rateLimited } from "./rate-limits.js";

export const APP_NAME_HEADER = "x-graphql-client-name";
export const APP_VERSION_HEADER = "x-graphql-client-version";

const BARE_SHA256 = /^[0-9a-fA-F]{64}$/;
/** As `operations publish` takes them: printable ASCII without spaces, at most 100 characters. */
const APP_FIELD = /^[\x21-\x7e]{1,100}$/;

/** A request's own words for what it named, kept for messages: never longer than this. */
const shown = (value: string) => JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: "BAD_REQUEST", http: { status: 400 } },
  });
}

/** The id a request names (`sha256:<hex>`, or as sent when it is no SHA-256 id); null when none; an error when unusable. */
export function requestedDocumentId(params: Readonly<Record<string, unknown>>, search: URLSearchParams | null): string | null | GraphQLError {
  const named: { form: string; id: string }[] = [];
  for (const form of ["documentId", "doc_id"] as const) {
    const value: unknown = params[form] ?? search?.get(form) ?? undefined;
    if (value === undefined || value === null) continue;
    if (typeof value !== "string" || value === "") return badRequest(`${form} must be a document id such as "sha256:<64 hex digits>".`);
    named.push({
      form,
      id: form === "doc_id" && BARE_SHA256.test(value) ? `sha256:${value.toLowerCase()}` : value,
    });
  }
  const extensions = params.extensions;
  const persistedQuery = typeof extensions === "object" && extensions !== null ? (extensions as Record<string, unknown>).persistedQuery : undefined;
  if (persistedQuery !== undefined && persistedQuery !== null) {
    const pq = persistedQuery as Record<string, unknown>;
    if (typeof pq !== "object" || pq.version !== 1 || typeof pq.sha256Hash !== "string" || !BARE_SHA256.test(pq.sha256Hash)) {
      return badRequest('extensions.persistedQuery must be { "version": 1, "sha256Hash": "<64 hex digits>" }.');
    }
    named.push({
      form: "extensions.persistedQuery.sha256Hash",
      id: `sha256:${pq.sha256Hash.toLowerCase()}`,
    });
  }
  const [first, ...others] = named;
  if (first === undefined) return null;
  const other = others.find((n) => n.id !== first.id);
  if (other !== undefined) return badRequest(`${first.form} and ${other.form} name different documents: name one.`);
  return first.id;
}

/** The app a request names, or null; an error when only half of it, or something no manifest could be published as. */
export function requestedApp(headers: { get(name: string): string | null }): { name: string; version: string } | null | GraphQLError {
  const name = headers.get(APP_NAME_HEADER);
  const version = headers.get(APP_VERSION_HEADER);
  if (name === null && version === null) return null;
  if (name === null || version === null)
    return badRequest("Send X-GraphQL-Client-Name and X-GraphQL-Client-Version together: an app is found by its name and version.");
  if (!APP_FIELD.test(name) || !APP_FIELD.test(version)) {
    return badRequest(
      "X-GraphQL-Client-Name and X-GraphQL-Client-Version are each 1 to 100 printable ASCII characters without spaces, as published.",
    );
  }
  return { name, version };
}

export function notInList(id: string): GraphQLError {
  return new GraphQLError(
    `No persisted operation ${shown(id)} is published for this caller: send an id from your app's published manifest (npm run operations -- list), with your API key or your app's X-GraphQL-Client-Name and -Version.`,
    {
      extensions: {
        code: "PERSISTED_QUERY_NOT_IN_LIST",
        documentId: id.slice(0, 80),
        http: { status: 400 },
      },
    },
  );
}

function appNotServed(app: { name: string; version: string }, retiredAt: Date | null): GraphQLError {
  const why = retiredAt === null ? "is not published" : `was retired at ${retiredAt.toISOString()}: its operations are no longer served`;
  return new GraphQLError(
    `App ${shown(app.name)} version ${shown(app.version)} ${why}. Update the app, or publish its manifest (docs/production.md).`,
    {
      extensions: {
        code: "PERSISTED_QUERY_NOT_IN_LIST",
        reason: retiredAt === null ? "app_not_published" : "app_retired",
        http: { status: 400 },
      },
    },
  );
}

function idRequired(both: boolean): GraphQLError {
  const message = both
    ? "Send the document's id without its text: this gateway runs persisted operations only."
    : "This gateway runs persisted operations only: send the operation's documentId (\"sha256:<hex>\", from your app's published manifest) instead of its text (docs/production.md).";
  return new GraphQLError(message, {
    extensions: { code: "PERSISTED_QUERY_ID_REQUIRED", http: { status: 400 } },
  });
}

function mutationViaGet(): GraphQLError {
  return new GraphQLError("Can only perform a mutation operation from a POST request.", {
    extensions: {
      code: "BAD_REQUEST",
      http: { status: 405, headers: { Allow: "POST" } },
    },
  });
}

function unavailable(): GraphQLError {
  return new GraphQLError("Persisted operations cannot be read right now: try again shortly.", {
    extensions: {
      code: "SERVICE_UNAVAILABLE",
      http: { status: 503, headers: { "retry-after": "5" } },
    },
  });
}

export interface PersistedRequestsDeps {
  documents: PersistedDocuments;
  /** Refuse a query's text (GRAPHQL_PERSISTED_ONLY). */
  persistedOnly: boolean;
  /** Charges one from the requesting address's client budget: an id no manifest holds costs it, so guessing ids meets 429. */
  chargeUnknownId: (serverContext: object) => Promise<RateDecision>;
  /** Where a failed read of the manifests is reported. */
  logError: (serverContext: object, error: unknown) => void;
}

interface Named {
  /** The persisted document to run; null for a text request. */
  prepared: PreparedDocument | null;
  app: { name: string; version: string } | null;
}

const isPromise = <T>(value: T | Promise<T>): value is Promise<T> => typeof (value as { then?: unknown } | null)?.then === "function";

/**
 * Two plugins: `documents` finds the document before anything else runs; `authorization`, placed after the API key
 * check (api-keys.ts), decides whether this caller may run it and which app the request is from (ctx.app).
 */
export function usePersistedRequests(deps: PersistedRequestsDeps): {
  documents: Plugin;
  authorization: Plugin;
} {
  // By the request's context object: yoga hands the same one to onParams, onParse, onValidate and execution.
  const named = new WeakMap<object, Named>();

  const documents: Plugin = {
    onParams({ params, request, setParams, setResult: answer, context }) {
      // The hooks after this one run even once a result is set: yoga's own check of the parameters would take the
      // id's presence for an unknown parameter and throw. A refused request's parameters are emptied, never run.
      const setResult = (result: { errors: GraphQLError[] }) => {
        answer(result);
        setParams({ query: "" });
      };
      const app = requestedApp(request.headers);
      if (app instanceof GraphQLError) {
        setResult({ errors: [app] });
        return;
      }
      const search = request.method === "GET" ? new URL(request.url, "http://localhost").searchParams : null;
      const id = requestedDocumentId(params as Record<string, unknown>, search);
      if (id instanceof GraphQLError) {
        setResult({ errors: [id] });
        return;
      }
      const { query, operationName, variables, extensions } = params;
      if (id === null || typeof query === "string") {
        if (deps.persistedOnly) {
          setResult({ errors: [idRequired(id !== null)] });
          return;
        }
        // A text request (an Apollo client registering its hash sends both): run as sent, without the id.
        if (id !== null) setParams({ query, operationName, variables, extensions });
        if (app !== null) named.set(context, { prepared: null, app });
        return;
      }
      const use = (prepared: PreparedDocument | null): Promise<void> | void => {
        if (prepared === null) {
          return deps.chargeUnknownId(context).then((decision) => {
            setResult({
              errors: [decision.allowed ? notInList(id) : rateLimited(decision, "unknown persisted operation ids from this address")],
            });
          });
        }
        if (prepared.errors.length > 0) {
          setResult({ errors: [...prepared.errors] });
          return;
        }
        if (request.method === "GET" && prepared.operationType === OperationTypeNode.MUTATION) {
          setResult({ errors: [mutationViaGet()] });
          return;
        }
        named.set(context, { prepared, app });
        setParams({
          query: prepared.text,
          operationName: operationName ?? prepared.operationName ?? undefined,
          variables,
          extensions,
        });
      };
      const found = deps.documents.document(id);
      if (!isPromise(found)) return use(found);
      return found.then(use, (error: unknown) => {
        deps.logError(context, error);
        setResult({ errors: [unavailable()] });
      });
    },
    onParse({ context, setParsedDocument }) {
      const prepared = named.get(context)?.prepared;
      if (prepared) setParsedDocument(prepared.document);
    },
    onValidate({ context, setResult }) {
      // Validated when it was prepared, with the same rules; prepared with errors, it never got here.
      if (named.get(context)?.prepared) setResult([]);
    },
  };
  const authorization: Plugin = {
    onExecute({ args, setResultAndStopExecution }) {
      const entry = named.get(args.contextValue);
      if (entry === undefined) return;
      const ctx = args.contextValue as unknown as Context;
      const { prepared } = entry;
      const authorize = (): Promise<void> | void => {
        if (prepared === null) return;
        const caller: DocumentCaller = ctx.partner !== null ? { partnerId: ctx.partner.id } : ctx.app !== null ? { app: ctx.app } : "anyone";
        const decide = (allowed: boolean) => {
          if (!allowed) setResultAndStopExecution({ errors: [notInList(prepared.id)] });
        };
        const allowed = deps.documents.allows(caller, prepared.id);
        if (isPromise(allowed)) return allowed.then(decide);
        decide(allowed);
      };
      if (entry.app === null) return authorize();
      const app = entry.app;
      const place = (version: Awaited<ReturnType<PersistedDocuments["app"]>>): Promise<void> | void => {
        const served = version !== null && version.retiredAt === null;
        // A key speaks for its partner: another partner's app name on its requests is only a label, and selects nothing.
        if (served && (ctx.partner === null || version.partnerId === ctx.partner.id)) ctx.app = { ...app, partnerId: version.partnerId };
        else if (prepared !== null && ctx.partner === null) {
          setResultAndStopExecution({
            errors: [appNotServed(app, version?.retiredAt ?? null)],
          });
          return;
        }
        return authorize();
      };
      const version = deps.documents.app(app.name, app.version);
      return isPromise(version) ? version.then(place) : place(version);
    },
  };
  return { documents, authorization };
}
