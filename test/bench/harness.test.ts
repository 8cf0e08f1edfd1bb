// The benchmark's pieces work: the raw service answers every case with the data the gateway returns, and the
// small helpers compute what RESULTS.md reports. No timing here: performance numbers live in bench/RESULTS.md.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callDelta, load, median, once, spread } from "../../bench/harness.js";
import { areaOf } from "../../bench/profile.js";
import { BENCH_SCOPES, BENCH_USER, QUERIES, gatewayRequest, rawRequest } from "../../bench/queries.js";
import { startRawService, type RawService } from "../../bench/raw-service.js";
import { loadConfig } from "../../src/config.js";
import { startSandbox, type Sandbox } from "../../src/sandbox/server.js";
import { startGateway, type Gateway } from "../../src/server/gateway.js";
import { startServer } from "../helpers/http-server.js";

describe("bench harness", () => {
  let sandbox: Sandbox;
  let gateway: Gateway;
  let raw: RawService;
  let token: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    const credentials = { baseUrl: sandbox.baseUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret };
    gateway = await startGateway(
      loadConfig({ DATA_DIR: "memory",
        PORT: "0",
        LOG_LEVEL: "silent",
        DIGILOCKER_BASE_URL: credentials.baseUrl,
        DIGILOCKER_CLIENT_ID: credentials.clientId,
        DIGILOCKER_CLIENT_SECRET: credentials.clientSecret,
      }),
    );
    raw = await startRawService(credentials);
    token = sandbox.issueToken({ userId: BENCH_USER, scopes: BENCH_SCOPES }).accessToken;
  });
  afterAll(async () => {
    await raw.close();
    await gateway.close();
    await sandbox.close();
  });

  it("fetched the issuer list and every issuer's doctypes once at start", () => {
    expect(raw.calls["/oauth2/1/pull/issuers"]).toBe(1);
    expect(raw.calls["/oauth2/1/pull/doctype"]).toBeGreaterThan(100);
  });

  it.each(QUERIES.map((q) => [q.id, q] as const))("answers %s with the gateway's data", async (_id, q) => {
    const fromGateway = (await once(gatewayRequest(gateway.url, q, [token]))) as { data?: unknown; errors?: unknown };
    const fromRaw = (await once(rawRequest(raw.url, q, [token]))) as { data?: unknown };
    expect(fromGateway.errors).toBeUndefined();
    expect(fromGateway.data).toBeTruthy();
    expect(fromRaw.data).toEqual(fromGateway.data);
  });

  it("makes one DigiLocker call per request for the per-request cases, none for the catalogue page", async () => {
    for (const [id, path, n] of [
      ["issued", "/oauth2/2/files/issued", 1],
      ["statistics", "/statistics/1/counts", 1],
      ["folder", "/oauth2/1/files/", 1],
      ["catalog", "/oauth2/1/pull/doctype", 0],
    ] as const) {
      const q = QUERIES.find((x) => x.id === id);
      if (!q) throw new Error(id);
      const before = raw.calls[path] ?? 0;
      await once(rawRequest(raw.url, q, [token]));
      expect(((raw.calls[path] ?? 0) - before), id).toBe(n);
    }
  });

  it("summarises runs: median, spread, call deltas and profile areas", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(spread([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5 });
    expect(callDelta({ a: 1, b: 2 }, { a: 3, b: 2, c: 1 })).toEqual({ total: 3, byEndpoint: { a: 2, c: 1 } });
    expect(areaOf("file:///w/node_modules/@pothos/core/esm/x.js", "f")).toBe("@pothos/core");
    expect(areaOf("file:///w/node_modules/graphql/execution/execute.js", "f")).toBe("graphql");
    expect(areaOf("node:internal/streams/pipeline", "f")).toBe("node internals");
    expect(areaOf("file:///w/src/graphql/types/catalog.ts", "catalog")).toBe("src/ (ours)");
    expect(areaOf("", "(garbage collector)")).toBe("(garbage collector)");
  });

  it("gives each load connection its own token when asked, so the rows measure overhead rather than sharing", async () => {
    const seen = new Map<string, Set<string>>();
    const server = await startServer((req, res) => {
      const socket = `${req.socket.remotePort ?? 0}`;
      const tokens = seen.get(socket) ?? new Set<string>();
      tokens.add(req.headers.authorization ?? "none");
      seen.set(socket, tokens);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    try {
      const q = QUERIES.find((x) => x.id === "issued");
      if (!q) throw new Error("issued");
      const spec = rawRequest(`http://127.0.0.1:${server.port}`, q, ["t1", "t2", "t3", "t4"]);
      const result = await load(spec, 4, 0.5);
      expect(result.requests).toBeGreaterThan(4);
      // Four connections, each always sending one token, and the four tokens all used.
      expect(seen.size).toBe(4);
      expect([...seen.values()].every((tokens) => tokens.size === 1)).toBe(true);
      expect(new Set([...seen.values()].flatMap((tokens) => [...tokens]))).toEqual(new Set(["Bearer t1", "Bearer t2", "Bearer t3", "Bearer t4"]));
    } finally {
      await server.close();
    }
  });
});
