// The gateway's HTTP face over real sockets: liveness, readiness, metrics, GraphiQL, the redirect, and a
// graceful stop that finishes what is in flight and takes nothing new.
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unescapeHtml } from "../../helpers/consent.js";
import { startTestGateway, type TestGateway } from "../../helpers/gateway.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

describe("gateway HTTP routes", () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(() => t.close());

  it("answers /health with 200 without calling DigiLocker", async () => {
    t.gateway.upstreamCalls.reset();
    const res = await fetch(`${t.gateway.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(t.gateway.upstreamCalls.total()).toBe(0);
  });

  it("answers /ready with 200 while the sandbox answers, then from the cache for free", async () => {
    t.gateway.upstreamCalls.reset();
    const first = await fetch(`${t.gateway.url}/ready`);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ status: "ready", checks: { digilocker: "ok", sessionStore: "ok" } });
    const second = await fetch(`${t.gateway.url}/ready`);
    expect(second.status).toBe(200);
    await second.body?.cancel();
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "meta.statistics": 1 });
  });

  it("shows per-endpoint upstream counters on /metrics after a query", async () => {
    const result = await t.query(`{ issuers(first: 2) { edges { node { name } } } }`);
    expect(result.errors).toBeUndefined();
    const res = await fetch(`${t.gateway.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain("# TYPE digilocker_upstream_calls_total counter");
    expect(text).toMatch(/^digilocker_upstream_calls_total\{endpoint="meta\.issuers"\} 1$/m);
  });

  it("redirects / to /graphql", async () => {
    const res = await fetch(`${t.gateway.url}/`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/graphql");
  });

  it("serves GraphiQL to a browser at GET /graphql; its Sign in link signs in and the default query then runs clean", async () => {
    const res = await fetch(`${t.gateway.url}/graphql`, { headers: { accept: "text/html" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toContain("<title>digilocker-graphql</title>");
    const defaultQuery = extractDefaultQuery(page);
    expect(defaultQuery).toContain("query Explore");
    const signInLink = /<a id="dlg-sign-in" href="([^"]+)"/.exec(page)?.[1];
    expect(signInLink).toBe("/auth/sign-in?returnTo=/graphql");

    // What a person does: follow the link, allow on the consent page, land back on GraphiQL, run the query.
    const signIn = await signInThroughGateway(t, { start: new URL(signInLink ?? "", t.gateway.url).toString() });
    expect(new URL(signIn.location ?? "").pathname).toBe("/graphql");
    const result = await t.query<{ viewer: { name: string; identity: { verification: string } } | null }>(defaultQuery, {
      cookie: signIn.cookie,
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.viewer?.name).toBe("Ajit Kumar");
    expect(result.data?.viewer?.identity.verification).toBe("SIGNATURE");
  });

  it("serves GraphiQL's own files itself: the page works offline and loads no third-party script", async () => {
    const page = await (await fetch(`${t.gateway.url}/graphql`, { headers: { accept: "text/html" } })).text();
    // No stylesheet, script or worker from elsewhere (the only absolute URL is the sandbox's token page, as text).
    expect(page).not.toMatch(/(?:src|href)="https?:|unpkg|cdn/i);
    expect(page).not.toMatch(/workerUrls = \{[^}]*https?:/);
    const assets = [...page.matchAll(/\/graphiql\/assets\/[\w.-]+/g)].map((m) => m[0]);
    expect(new Set(assets)).toEqual(
      new Set([
        "/graphiql/assets/graphiql.css",
        "/graphiql/assets/yoga-graphiql.umd.js",
        "/graphiql/assets/editor.worker.js",
        "/graphiql/assets/json.worker.js",
        "/graphiql/assets/graphql.worker.js",
      ]),
    );
    for (const asset of assets) {
      const res = await fetch(`${t.gateway.url}${asset}`);
      expect(res.status, asset).toBe(200);
      expect(res.headers.get("content-type"), asset).toMatch(asset.endsWith(".css") ? /^text\/css/ : /^text\/javascript/);
      expect((await res.arrayBuffer()).byteLength, asset).toBeGreaterThan(10_000);
    }
    // The editor opens on the default query (GraphiQL 5 reads `query`, not only `defaultQuery`).
    expect(page).toContain('"query":"# Press \\"Sign in\\" above');
  });

  it("serves no file outside its list of GraphiQL assets", async () => {
    for (const path of ["/graphiql/assets/package.json", "/graphiql/assets/..%2Fpackage.json", "/graphiql/assets/yoga-graphiql.es.js"]) {
      expect((await fetch(`${t.gateway.url}${path}`)).status, path).toBe(404);
    }
  });
});

/** GraphiQL's options sit in the page as JSON; the default query is the `defaultQuery` string in them. */
function extractDefaultQuery(page: string): string {
  const match = /"defaultQuery":("(?:[^"\\]|\\.)*")/.exec(unescapeHtml(page));
  if (!match?.[1]) throw new Error("no defaultQuery in the GraphiQL page");
  return JSON.parse(match[1]) as string;
}

describe("gateway readiness on a cold cache", () => {
  it("answers /ready with 503 when the sandbox drops Get Statistics", async () => {
    const t = await startTestGateway();
    try {
      t.sandbox.setFaults({ dropRate: 1, endpoints: ["meta.statistics"] });
      const res = await fetch(`${t.gateway.url}/ready`);
      expect(res.status).toBe(503);
      // Only DigiLocker is down: the session store still answers, and the body says which check failed.
      expect(await res.json()).toEqual({ status: "unavailable", checks: { digilocker: "unavailable", sessionStore: "ok" } });
      expect(t.gateway.upstreamCalls.count("meta.statistics")).toBe(1);

      // Once DigiLocker answers again, so does readiness: failures are not cached.
      t.sandbox.setFaults({});
      const again = await fetch(`${t.gateway.url}/ready`);
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ status: "ready", checks: { digilocker: "ok", sessionStore: "ok" } });
    } finally {
      await t.close();
    }
  });
});

describe("graceful shutdown", () => {
  it("lets a request in flight finish with 200 while close() runs, and refuses new connections", async () => {
    const t = await startTestGateway();
    const { port, hostname } = new URL(t.gateway.url);
    // Keep Get Statistics in flight long enough to close the gateway under it.
    t.sandbox.setFaults({ latencyMs: 500, endpoints: ["meta.statistics"] });
    const meta = t.gateway.services.meta;
    const original = meta.statistics.bind(meta);
    let started!: () => void;
    const upstreamStarted = new Promise<void>((resolve) => (started = resolve));
    meta.statistics = () => {
      started();
      return original();
    };

    const inFlight = fetch(`${t.gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query: "{ statistics { users } }" }),
    });
    await Promise.race([
      upstreamStarted,
      inFlight.then((r) => {
        throw new Error(`the query finished (${r.status}) before it called DigiLocker`);
      }),
    ]);
    const closing = t.close();

    const refused = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), hostname);
      socket.once("connect", () => {
        socket.destroy();
        resolve("connected");
      });
      socket.once("error", (error: NodeJS.ErrnoException) => { resolve(error.code ?? error.message); });
    });
    expect(refused).toBe("ECONNREFUSED");

    const res = await inFlight;
    expect(res.status).toBe(200);
    // Told to close its keep-alive connection, so the drain need not wait for the client's idle timeout.
    expect(res.headers.get("connection")).toBe("close");
    const result = (await res.json()) as { data?: { statistics: { users: number } }; errors?: unknown };
    expect(result.errors).toBeUndefined();
    expect(result.data?.statistics.users).toBeGreaterThan(0);
    await closing;
  });
});
