// What production mode turns on and off (docs/production.md), said at start-up: an operator reads in the first
// lines of the log whether this gateway runs texts, answers introspection and serves GraphiQL, and why.
import type { Config } from "../config.js";

type Modes = Pick<Config["gateway"], "production" | "persistedOnly" | "introspection" | "graphiql">;

/** One line per setting: on or off, and whether that is NODE_ENV's default or an explicit setting. */
export function describeModes(modes: Modes): string[] {
  const origin = (value: boolean, defaultValue: boolean, variable: string) =>
    value === defaultValue ? `NODE_ENV ${modes.production ? "production" : "not production"}` : `${variable}=${String(value)}`;
  return [
    `Query texts: ${modes.persistedOnly ? "refused, persisted operations only" : "accepted, as well as persisted operations"} (${origin(modes.persistedOnly, modes.production, "GRAPHQL_PERSISTED_ONLY")})`,
    `Introspection: ${modes.introspection ? "on" : "off"} (${origin(modes.introspection, !modes.production, "GRAPHQL_INTROSPECTION")})`,
    `GraphiQL: ${modes.graphiql ? "on" : "off"} (${origin(modes.graphiql, !modes.production, "GRAPHIQL")})`,
  ];
}
