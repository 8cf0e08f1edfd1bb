// The operation limits as yoga plugins, on both server paths (json-post.ts runs yoga's own pipeline too):
// - the query text's size, before it is parsed (onParams);
// - its tokens, while it is parsed (graphql-js stops at maxTokens, so a huge document is never built);
// - depth, aliases, root fields, directives, cost and DigiLocker calls, before graphql-js's own validation
//   (some of its rules are quadratic in the fields of a selection), once per parsed document;
// - page sizes passed in variables, priced again with the request's variables before execution starts.
// A refused operation is never compiled by graphql-jit nor executed.
import {
  GraphQLError,
  Kind,
  getOperationAST,
  parse,
  type DocumentNode,
  type GraphQLSchema,
  type ParseOptions,
  type Source,
} from "graphql";
import type { Plugin } from "graphql-yoga";
import type { OperationLimitsConfig } from "../config.js";
import type { Context } from "../graphql/context.js";
import { limitErrors, priceOperation, type OperationPrice } from "../graphql/operation-limits.js";

const LIMIT_CODE = "OPERATION_LIMIT_EXCEEDED";

function tooLong(bytes: number, max: number): GraphQLError {
  return new GraphQLError(`The query is ${bytes} bytes long; the limit is ${max}. Send a shorter query.`, {
    extensions: { code: LIMIT_CODE, limit: "documentBytes", max, found: bytes },
  });
}

/** graphql-js's own token limit, reported in the same shape as every other limit. */
function parseWithTokenLimit(maxTokens: number) {
  return (source: string | Source, options?: ParseOptions): DocumentNode => {
    try {
      return parse(source, { ...options, maxTokens });
    } catch (error) {
      if (error instanceof GraphQLError && /contains more th[ae][nt] \d+ tokens/.test(error.message)) {
        throw new GraphQLError(`The query has more than ${maxTokens} tokens; the limit is ${maxTokens}. Send a shorter query.`, {
          extensions: { code: LIMIT_CODE, limit: "tokens", max: maxTokens },
        });
      }
      throw error;
    }
  };
}

export interface DocumentVerdict {
  errors: readonly GraphQLError[];
  /** Each operation's price, by name ("" when anonymous); those paged by variables are priced again per request. */
  prices: ReadonlyMap<string, OperationPrice>;
}

/**
 * Each document's verdict, worked out once: keyed by the parsed document, which yoga's parse cache keeps (and the
 * persisted documents hold for as long as they are prepared), so a document is priced once while it is kept.
 */
export class OperationVerdicts {
  readonly limits: OperationLimitsConfig;
  readonly #verdicts = new WeakMap<DocumentNode, DocumentVerdict>();

  constructor(limits: OperationLimitsConfig) {
    this.limits = limits;
  }

  of(schema: GraphQLSchema, document: DocumentNode): DocumentVerdict {
    let verdict = this.#verdicts.get(document);
    if (verdict === undefined) {
      const errors: GraphQLError[] = [];
      const prices = new Map<string, OperationPrice>();
      for (const definition of document.definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
        // graphql-js 16 has no rule for an operation type the schema lacks (17's KnownOperationTypesRule); executed,
        // it fails as if the gateway were broken.
        if (!schema.getRootType(definition.operation)) {
          errors.push(new GraphQLError(`This gateway has no ${definition.operation} operations.`, { nodes: definition }));
          continue;
        }
        const price: OperationPrice = priceOperation(schema, document, definition, null);
        errors.push(...limitErrors(price, this.limits, definition.name?.value));
        prices.set(definition.name?.value ?? "", price);
      }
      verdict = { errors, prices };
      this.#verdicts.set(document, verdict);
    }
    return verdict;
  }

  /** The verdict of a document seen before, or undefined. */
  known(document: DocumentNode): DocumentVerdict | undefined {
    return this.#verdicts.get(document);
  }
}

export function useOperationLimits(verdicts: OperationVerdicts): Plugin {
  const { limits } = verdicts;
  const parseFn = parseWithTokenLimit(limits.maxTokens);
  return {
    onParams({ params, setResult }) {
      const query = params.query;
      // A UTF-8 byte is at most one UTF-16 unit, so only a long string needs counting.
      if (typeof query !== "string" || query.length * 3 <= limits.maxDocumentBytes) return;
      const bytes = Buffer.byteLength(query);
      if (bytes > limits.maxDocumentBytes) setResult({ errors: [tooLong(bytes, limits.maxDocumentBytes)] });
    },
    onParse({ setParseFn }) {
      setParseFn(parseFn);
    },
    onValidate({ params, setResult }) {
      const { errors } = verdicts.of(params.schema as GraphQLSchema, params.documentAST as DocumentNode);
      if (errors.length > 0) setResult([...errors]);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const document = args.document as DocumentNode;
      const verdict = verdicts.known(document);
      if (verdict === undefined) return;
      const operation = getOperationAST(document, args.operationName as string | null | undefined);
      if (!operation) return;
      let price = verdict.prices.get(operation.name?.value ?? "");
      if (price?.pagedByVariable === true) {
        const variables = (args.variableValues ?? {}) as Record<string, unknown>;
        price = priceOperation(args.schema as GraphQLSchema, document, operation, variables);
        const errors = limitErrors(price, limits, operation.name?.value);
        if (errors.length > 0) {
          setResultAndStopExecution({ errors });
          return;
        }
      }
      // The rate limits (rate-limits.ts), next in line, charge by it.
      (args.contextValue as unknown as Context).price = price ?? null;
    },
  };
}
