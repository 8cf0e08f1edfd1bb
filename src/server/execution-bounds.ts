// How an operation runs, once the limits let it: with graphql-jit when its document holds one operation, within a
// deadline, and with an answer no larger than a ceiling. One execute wrapper per app does all three, so a request
// pays for one hook and, when its execution finishes at once (a cached read), for no timer.
import { GraphQLError, Kind, execute as executeWithGraphqlJs, type DocumentNode, type ExecutionArgs, type ExecutionResult } from "graphql";
import type { Plugin } from "graphql-yoga";

export interface ExecutionBounds {
  executionTimeoutMs: number;
  maxResponseBytes: number;
}

type Stringify = (result: ExecutionResult) => string;
type Execute = (args: ExecutionArgs) => ExecutionResult | Promise<ExecutionResult>;
type WithStringify = ExecutionResult & { stringify?: Stringify };

/**
 * graphql-jit keys what it compiles by the parsed document alone and ignores operationName: in a document with
 * several operations, whichever ran first would answer for all of them (a GET naming a query could run the
 * document's mutation). Such documents run on graphql-js.
 */
function singleOperation(document: DocumentNode): boolean {
  let operations = 0;
  for (const definition of document.definitions) if (definition.kind === Kind.OPERATION_DEFINITION) operations++;
  return operations === 1;
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

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

  /**
   * Both server paths serialise through the result's `stringify` (graphql-jit's compiled one, or JSON), so the
   * ceiling wraps it instead of serialising twice. A UTF-16 unit is at most 3 UTF-8 bytes: only long text is counted.
   */
  function bounded(result: ExecutionResult): ExecutionResult {
    const withStringify = result as WithStringify;
    const stringify = withStringify.stringify ?? JSON.stringify;
    withStringify.stringify = (r) => {
      const text = stringify(r);
      if (text.length * 3 <= bounds.maxResponseBytes) return text;
      return Buffer.byteLength(text) > bounds.maxResponseBytes ? tooLarge : text;
    };
    return result;
  }

  function withDeadline(running: Promise<ExecutionResult>): Promise<ExecutionResult> {
    return new Promise<ExecutionResult>((resolve, reject) => {
      // Resolvers still waiting on DigiLocker finish in the background (their calls have their own timeouts);
      // the client gets its answer now.
      const timer = setTimeout(() => {
        resolve(bounded(timeoutResult()));
      }, bounds.executionTimeoutMs);
      running.then(
        (result) => {
          clearTimeout(timer);
          resolve(bounded(result));
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  // The wrapper for each execute function the plugins before this one chose (graphql-jit's, normally one per app).
  const wrappers = new WeakMap<Execute, Execute>();
  function wrap(compiled: Execute): Execute {
    let wrapper = wrappers.get(compiled);
    if (wrapper === undefined) {
      wrapper = (args) => {
        const result = (singleOperation(args.document) ? compiled : executeWithGraphqlJs)(args);
        return isPromise(result) ? withDeadline(result) : bounded(result);
      };
      wrappers.set(compiled, wrapper);
    }
    return wrapper;
  }

  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn(wrap(executeFn as Execute));
    },
  };
}
