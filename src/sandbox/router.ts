// Matches method + path to a handler. Patterns use `:name` for one path segment and `:name?` for an
// optional last one; segments are percent-decoded after splitting, so an encoded `/` stays in its segment.
import type { Reply, SandboxRequest } from "./http.js";
import type { SandboxKeys } from "./keys.js";
import type { EndpointId, SandboxSettings } from "./settings.js";
import type { SandboxState } from "./state.js";

export interface SandboxContext {
  state: SandboxState;
  settings: SandboxSettings;
  keys: SandboxKeys;
  /** Milliseconds since the epoch (injectable, so tests can expire codes and tokens). */
  now: () => number;
  /** The sandbox's own origin, e.g. http://127.0.0.1:4010. */
  origin: string;
}

export interface Route {
  method: "GET" | "POST" | "PUT";
  pattern: string;
  /** The spec endpoint this route implements; API routes have one and are subject to fault injection. */
  endpoint?: EndpointId;
  handler: (req: SandboxRequest, ctx: SandboxContext) => Reply | Promise<Reply>;
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

export function matchRoute(routes: readonly Route[], method: string, pathname: string): Match | "method-not-allowed" | null {
  const segments = pathname.split("/").slice(1);
  let pathMatched = false;
  for (const route of routes) {
    const params = matchPattern(route.pattern, segments);
    if (params === null) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  return pathMatched ? "method-not-allowed" : null;
}

function matchPattern(pattern: string, segments: string[]): Record<string, string> | null {
  const parts = pattern.split("/").slice(1);
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? "";
    const segment = segments[i];
    if (part.startsWith(":")) {
      const optional = part.endsWith("?");
      const name = part.slice(1, optional ? -1 : undefined);
      if (segment === undefined || segment === "") {
        if (!optional) return null;
        params[name] = "";
        continue;
      }
      try {
        params[name] = decodeURIComponent(segment);
      } catch {
        return null;
      }
    } else if (part !== segment) {
      return null;
    }
  }
  // Extra segments never match, except one empty trailing segment ("/files/").
  const extra = segments.slice(parts.length);
  return extra.length === 0 || (extra.length === 1 && extra[0] === "") ? params : null;
}
