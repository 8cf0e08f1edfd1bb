// The sandbox's router: exact segments, `:param` and an optional last `:param?`, percent-decoding after
// splitting (so an encoded "/" stays inside its segment, docs/spec-assumptions.md #9), and 405 vs 404.
import { describe, expect, it } from "vitest";
import { json } from "../../../src/sandbox/http.js";
import { matchRoute, type Route } from "../../../src/sandbox/router.js";
import { accountRoutes } from "../../../src/sandbox/routes/account.js";
import { filesRoutes } from "../../../src/sandbox/routes/files.js";
import { metaRoutes } from "../../../src/sandbox/routes/meta.js";
import { oauthRoutes } from "../../../src/sandbox/routes/oauth.js";
import { pagesRoutes } from "../../../src/sandbox/routes/pages.js";
import { pullRoutes } from "../../../src/sandbox/routes/pull.js";
import { endpointIds } from "../../../src/sandbox/settings.js";

const ok = () => json(200, {});
const routes: Route[] = [
  { method: "GET", pattern: "/public/oauth2/2/files/issued", handler: ok },
  { method: "GET", pattern: "/public/oauth2/1/files/:id?", handler: ok },
  { method: "GET", pattern: "/public/oauth2/1/file/:uri", handler: ok },
  { method: "POST", pattern: "/public/oauth2/1/file/upload", handler: ok },
  { method: "POST", pattern: "/public/oauth2/1/pull/issuers", handler: ok },
];

function match(method: string, path: string) {
  const m = matchRoute(routes, method, path);
  return m === null || m === "method-not-allowed" ? m : { pattern: m.route.pattern, params: m.params };
}

describe("matchRoute", () => {
  it("matches a literal path", () => {
    expect(match("POST", "/public/oauth2/1/pull/issuers")).toEqual({ pattern: "/public/oauth2/1/pull/issuers", params: {} });
  });

  it("takes a parameter from its segment, percent-decoded", () => {
    expect(match("GET", "/public/oauth2/1/file/in.gov.cbse-HSCER-201412345678")).toEqual({
      pattern: "/public/oauth2/1/file/:uri",
      params: { uri: "in.gov.cbse-HSCER-201412345678" },
    });
    expect(match("GET", "/public/oauth2/1/file/a%20b%2Fc")).toEqual({
      pattern: "/public/oauth2/1/file/:uri",
      params: { uri: "a b/c" },
    });
  });

  it("does not let a raw slash split a parameter into two segments", () => {
    expect(match("GET", "/public/oauth2/1/file/a/b")).toBeNull();
  });

  it("gives an optional last parameter as empty when absent, with or without the trailing slash", () => {
    for (const path of ["/public/oauth2/1/files", "/public/oauth2/1/files/"]) {
      expect(match("GET", path)).toEqual({ pattern: "/public/oauth2/1/files/:id?", params: { id: "" } });
    }
    expect(match("GET", "/public/oauth2/1/files/5678")).toEqual({ pattern: "/public/oauth2/1/files/:id?", params: { id: "5678" } });
  });

  it("requires a mandatory parameter", () => {
    expect(match("GET", "/public/oauth2/1/file")).toBeNull();
    expect(match("GET", "/public/oauth2/1/file/")).toBeNull();
  });

  it("tries routes in order: a literal route listed first wins over a parameter", () => {
    expect(match("GET", "/public/oauth2/2/files/issued")).toMatchObject({ pattern: "/public/oauth2/2/files/issued" });
    // Same shape, but only the POST literal exists: a GET of it is the :uri route.
    expect(match("GET", "/public/oauth2/1/file/upload")).toEqual({ pattern: "/public/oauth2/1/file/:uri", params: { uri: "upload" } });
  });

  it("answers method-not-allowed when the path exists for another method only", () => {
    expect(match("GET", "/public/oauth2/1/pull/issuers")).toBe("method-not-allowed");
    expect(match("PUT", "/public/oauth2/1/files/")).toBe("method-not-allowed");
  });

  it("answers null for unknown paths, extra segments and broken percent-encoding", () => {
    expect(match("GET", "/public/oauth2/1/nothing")).toBeNull();
    expect(match("POST", "/public/oauth2/1/pull/issuers/extra")).toBeNull();
    expect(match("GET", "/public/oauth2/1/file/%E0%A4%A")).toBeNull();
    expect(match("GET", "/")).toBeNull();
  });
});

describe("the sandbox's route table", () => {
  const all = [...oauthRoutes, ...accountRoutes, ...filesRoutes, ...pullRoutes, ...metaRoutes, ...pagesRoutes];

  it("names only endpoint ids that fault filters accept", () => {
    for (const route of all) {
      if (route.endpoint !== undefined) expect(endpointIds, route.pattern).toContain(route.endpoint);
    }
  });

  it("serves the six meta APIs at the spec's paths, as POSTs", () => {
    const meta = Object.fromEntries(metaRoutes.map((r): [string, string] => [r.endpoint ?? "", `${r.method} ${r.pattern}`]));
    expect(meta).toEqual({
      "meta.issuers": "POST /public/oauth2/1/pull/issuers",
      "meta.docTypes": "POST /public/oauth2/1/pull/doctype",
      "meta.parameters": "POST /public/oauth2/1/pull/parameters",
      "meta.verifyAccount": "POST /public/account/2/verify",
      "meta.pushUri": "POST /public/account/1/pushuri",
      "meta.statistics": "POST /public/statistics/1/counts",
    });
  });
});
