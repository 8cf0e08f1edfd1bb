// One answer for a dead token. A User (`viewer`, a consent request's `user`) whose token DigiLocker refused, or
// whose session ended, during the request would otherwise answer field by field: one UNAUTHENTICATED error per
// field that reached DigiLocker, beside fields already answered from the cache. Here, once the request's result
// is complete (both server paths run yoga's onExecutionResult hooks, with errors already masked), such a User
// becomes null with a single UNAUTHENTICATED error at its own path.
import { GraphQLError, type ASTNode, type ExecutionResult } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { Context } from "../graphql/context.js";
import { toClientError, type ErrorLogger } from "../graphql/errors.js";

type Path = readonly (string | number)[];

/** A User object in the answer. */
export interface UserInAnswer {
  /** Its place: response keys (aliases) and list indices, as in an error's path. */
  path: Path;
  /** The fields it answers for: the single error's locations. */
  nodes?: readonly ASTNode[];
  /**
   * Set when its token died during the request: it collapses even when each of its fields was answered before that
   * (from the cache), with this error unless an UNAUTHENTICATED one of its own speaks for it.
   */
  diedOf?: GraphQLError;
}

/** graphql-jit's errors for bad variables carry no extensions at all, whatever GraphQLError's type says. */
const isUnauthenticated = (error: GraphQLError) =>
  (error.extensions as GraphQLError["extensions"] | undefined)?.code === "UNAUTHENTICATED";

function under(path: Path | undefined, prefix: Path): boolean {
  if (path === undefined || path.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}

/** The object or list holding the value at `path`, or undefined when the answer has no such place. */
function containerOf(data: unknown, path: Path): Record<string | number, unknown> | undefined {
  let node = data;
  for (let i = 0; i < path.length - 1; i++) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[path[i] as string | number];
  }
  return typeof node === "object" && node !== null ? (node as Record<string | number, unknown>) : undefined;
}

/** `data` with null at `path`, copied along the path only (the result's other objects are shared, not changed). */
function withNullAt(data: unknown, path: Path): unknown {
  if (path.length === 0) return null;
  const [key, ...rest] = path as [string | number, ...(string | number)[]];
  if (typeof data !== "object" || data === null) return data;
  const copy = (Array.isArray(data) ? [...(data as unknown[])] : { ...data }) as Record<string | number, unknown>;
  copy[key] = withNullAt(copy[key], rest);
  return copy;
}

/**
 * For every User with an UNAUTHENTICATED error at or under its path (or that died, `diedOf`): its value becomes null
 * and the errors under it give way to one, at its path, with the first UNAUTHENTICATED error's message and
 * extensions, where the first of them stood. Other errors, and Users without such an error, are left as they are.
 */
export function collapseDeadUsers(result: ExecutionResult, users: readonly UserInAnswer[]): ExecutionResult {
  const errors = result.errors ?? [];
  if (typeof result.data !== "object" || result.data === null) return result;
  // Outer Users first, so one nested in another (none in today's schema) goes with its parent.
  const ordered = [...users].sort((a, b) => a.path.length - b.path.length);
  const dead: { user: UserInAnswer; error: GraphQLError }[] = [];
  for (const user of ordered) {
    if (dead.some((d) => under(user.path, d.user.path))) continue;
    const own = errors.find((e) => isUnauthenticated(e) && under(e.path, user.path));
    let speaker: GraphQLError | undefined = own;
    if (speaker === undefined && user.diedOf !== undefined) {
      // Died after all its fields were answered: only a User that is still in the answer needs hiding.
      const value = containerOf(result.data, user.path)?.[user.path.at(-1) ?? ""];
      if (typeof value === "object" && value !== null) speaker = user.diedOf;
    }
    if (speaker === undefined) continue;
    const error = new GraphQLError(speaker.message, {
      ...(user.nodes === undefined ? {} : { nodes: user.nodes }),
      path: user.path,
      extensions: speaker.extensions,
    });
    dead.push({ user, error });
  }
  if (dead.length === 0) return result;

  let data: unknown = result.data;
  for (const { user } of dead) if (containerOf(data, user.path) !== undefined) data = withNullAt(data, user.path);
  const placed = new Set<GraphQLError>();
  const kept: GraphQLError[] = [];
  for (const error of errors) {
    const owner = dead.find((d) => under(error.path, d.user.path));
    if (owner === undefined) kept.push(error);
    else if (!placed.has(owner.error)) {
      placed.add(owner.error);
      kept.push(owner.error);
    }
  }
  for (const { error } of dead) if (!placed.has(error)) kept.push(error);
  // Spread: the result's own members (graphql-jit's `stringify`, wrapped by execution-bounds.ts) stay.
  return { ...result, data: data as ExecutionResult["data"], errors: kept };
}

/** toClientError needs somewhere to report to: invalid_token is the client's to fix, so nothing is logged. */
const silent: ErrorLogger = { error: () => undefined, warn: () => undefined };

/** The plugin: after useExecutionBounds in app.ts, before the error log, which then counts one error per dead User. */
export function useOneAnswerForDeadTokens(): Plugin {
  return {
    onExecutionResult(payload) {
      const { context, result } = payload;
      // The GraphQL context: yoga builds it on the server context object both paths hand it.
      const users = (context as Partial<Context>).users;
      if (users === undefined || users.length === 0) return;
      if (typeof result !== "object" || Symbol.asyncIterator in result) return;
      const died = users.some((u) => u.access.refusal !== null);
      if (!died && (result.errors === undefined || result.errors.length === 0)) return;
      const inAnswer = users.map(({ path, nodes, access }): UserInAnswer => ({
        path,
        nodes,
        ...(access.refusal === null ? {} : { diedOf: toClientError(access.refusal, silent) }),
      }));
      const collapsed = collapseDeadUsers(result, inAnswer);
      if (collapsed !== result) payload.setResult(collapsed);
    },
  };
}
