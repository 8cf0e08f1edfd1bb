// Backstops behind the operation limits: an operation answers within a deadline, and no answer is larger than
// a ceiling. Both paths serialise through the result's `stringify` (graphql-jit's compiled one, or JSON), so
// the ceiling wraps it instead of serialising twice.
import { GraphQLError, type ExecutionResult } from "graphql";
import type { Plugin } from "graphql-yoga";

export interface ExecutionBounds {
  executionTimeoutMs: number;
  maxResponseBytes: number;
}

type Stringify = (result: ExecutionResult) => string;

export function useExecutionBounds(bounds: ExecutionBounds): Plugin {
  const timeoutResult = (): ExecutionResult => ({
    errors: [
      new GraphQLError(`The operation did not finish within ${bounds.executionTimeoutMs} ms; try again, or ask for less.`, {
        extensions: { code: "OPERATION_TIMEOUT", limit: "executionTimeoutMs", max: bounds.executionTimeoutMs },
      }),
    ],
  });
  const tooLarge = JSON.stringify({
    errors: [
      {
        message: `The answer is larger than ${bounds.maxResponseBytes} bytes; ask for fewer fields or smaller pages.`,
        extensions: { code: "RESPONSE_TOO_LARGE", limit: "maxResponseBytes", max: bounds.maxResponseBytes },
      },
    ],
  });

  /** The result's own serialiser, answering RESPONSE_TOO_LARGE past the ceiling (string length ≤ UTF-8 bytes). */
  function bounded(stringify: Stringify): Stringify {
    return (result) => {
      const text = stringify(result);
      if (text.length * 3 <= bounds.maxResponseBytes) return text;
      return Buffer.byteLength(text) > bounds.maxResponseBytes ? tooLarge : text;
    };
  }

  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn((args) =>
        new Promise<ExecutionResult>((resolve, reject) => {
          // Resolvers still waiting on DigiLocker finish in the background (their calls have their own timeouts);
          // the client gets its answer now.
          const timer = setTimeout(() => {
            resolve(timeoutResult());
          }, bounds.executionTimeoutMs);
          Promise.resolve(executeFn(args) as ExecutionResult | Promise<ExecutionResult>).then(
            (result) => {
              clearTimeout(timer);
              resolve(result);
            },
            (error: unknown) => {
              clearTimeout(timer);
              reject(error instanceof Error ? error : new Error(String(error)));
            },
          );
        }),
      );
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result) return;
          const withStringify = result as ExecutionResult & { stringify?: Stringify };
          withStringify.stringify = bounded(withStringify.stringify ?? JSON.stringify);
        },
      };
    },
  };
}
