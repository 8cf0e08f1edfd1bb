// CORS headers (src/server/cors.ts) and the CSRF rule (src/server/csrf.ts) as plain functions; the same over real
// HTTP is in test/integration/gateway/browser-security.test.ts.
import { describe, expect, it } from "vitest";
import { corsHeaders } from "../../../src/server/cors.js";
import { needsCsrfHeader } from "../../../src/server/csrf.js";

const trusted = (origin: string) => origin === "https://app.example.in";

describe("corsHeaders", () => {
  it("varies by Origin even when none was sent", () => {
    expect(corsHeaders(null, trusted, false)).toEqual({ vary: "Origin" });
  });

  it("gives a trusted origin credentials and its own origin back", () => {
    expect(corsHeaders("https://app.example.in", trusted, false)).toEqual({
      vary: "Origin",
      "access-control-allow-origin": "https://app.example.in",
      "access-control-allow-credentials": "true",
      "access-control-expose-headers": "retry-after, ratelimit, ratelimit-policy, x-request-id",
    });
  });

  it("gives any other origin `*` without credentials, never its own Origin", () => {
    const headers = corsHeaders("https://evil.example", trusted, false);
    expect(headers).toEqual({ vary: "Origin", "access-control-allow-origin": "*", "access-control-expose-headers": "retry-after, ratelimit, ratelimit-policy, x-request-id" });
    expect(Object.values(headers)).not.toContain("https://evil.example");
  });

  it("answers a preflight with the methods and the headers a browser may send, for a minute's cache", () => {
    expect(corsHeaders("https://evil.example", trusted, true)).toEqual({
      vary: "Origin",
      "access-control-allow-origin": "*",
      "access-control-allow-methods": "GET, POST",
      "access-control-allow-headers": "content-type, authorization, x-graphql-yoga-csrf, apollo-require-preflight, x-graphql-client-name, x-graphql-client-version",
      "access-control-max-age": "600",
    });
  });
});

describe("needsCsrfHeader", () => {
  const none = () => false;
  it("refuses what a cross-site form can send without a preflight", () => {
    for (const type of ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain;charset=UTF-8", "TEXT/PLAIN", null]) {
      expect(needsCsrfHeader("POST", type, none), String(type)).toBe(true);
    }
  });

  it("lets JSON through, and any POST that carries one of the two headers", () => {
    for (const type of ["application/json", "application/json; charset=utf-8", "application/graphql-response+json"]) {
      expect(needsCsrfHeader("POST", type, none), type).toBe(false);
    }
    expect(needsCsrfHeader("POST", "multipart/form-data", (h) => h === "x-graphql-yoga-csrf")).toBe(false);
    expect(needsCsrfHeader("POST", "text/plain", (h) => h === "apollo-require-preflight")).toBe(false);
    expect(needsCsrfHeader("POST", "text/plain", (h) => h === "x-requested-with")).toBe(true);
  });

  it("leaves GET alone: it cannot run a mutation", () => {
    expect(needsCsrfHeader("GET", null, none)).toBe(false);
  });
});
