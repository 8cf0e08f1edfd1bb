import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { describeModes } from "../../../src/server/modes.js";

describe("describeModes", () => {
  it("says what production turns off, and why", () => {
    expect(describeModes(loadConfig({ NODE_ENV: "production" }).gateway)).toEqual([
      "Query texts: refused, persisted operations only (NODE_ENV production)",
      "Introspection: off (NODE_ENV production)",
      "GraphiQL: off (NODE_ENV production)",
    ]);
    expect(describeModes(loadConfig({}).gateway)).toEqual([
      "Query texts: accepted, as well as persisted operations (NODE_ENV not production)",
      "Introspection: on (NODE_ENV not production)",
      "GraphiQL: on (NODE_ENV not production)",
    ]);
  });
  it("names an explicit setting that differs from NODE_ENV's default", () => {
    expect(describeModes(loadConfig({ NODE_ENV: "production", GRAPHQL_INTROSPECTION: "true", GRAPHIQL: "true" }).gateway)).toEqual([
      "Query texts: refused, persisted operations only (NODE_ENV production)",
      "Introspection: on (GRAPHQL_INTROSPECTION=true)",
      "GraphiQL: on (GRAPHIQL=true)",
    ]);
    expect(describeModes(loadConfig({ GRAPHQL_PERSISTED_ONLY: "true" }).gateway)[0]).toBe("Query texts: refused, persisted operations only (GRAPHQL_PERSISTED_ONLY=true)");
  });
  it("refuses a switch that is not true or false", () => {
    expect(() => loadConfig({ GRAPHIQL: "yes" })).toThrow(/GRAPHIQL: must be "true" or "false"/);
  });
});
