// `npm run chaos`'s pieces do what RESILIENCE.md says they do: tokens come from the sandbox's real sign-in flow
// even under faults, every read answers with data on a healthy gateway (so a read that stops validating shows
// here, not as a silent drop in the report), the hostile queries have the shapes issue #11 describes, and answers
// are classified as the report counts them. No child processes and no timing here.
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classify, send } from "../../bench/chaos-load.js";
import { HOSTILE, HOSTILE_KINDS, READS, nextRequest, type ChaosRequest } from "../../bench/chaos-queries.js";
import { growthOf, healthOf, totalsOf, type KindSummary } from "../../bench/chaos-report.js";
import { issueTokens } from "../../bench/chaos-tokens.js";
import { loadConfig } from "../../src/config.js";
import { startGateway, type Gateway } from "../../src/server/gateway.js";

describe("chaos against an in-process gateway with its sandbox embedded", () => {
  let gateway: Gateway;
  let tokens: string[];
  const agent = new Agent();

  beforeAll(async () => {
    gateway = await startGateway(loadConfig({ DATA_DIR: "memory", PORT: "0", SANDBOX_PORT: "0", LOG_LEVEL: "silent" }));
    const sandbox = gateway.sandbox;
    if (sandbox === null) throw new Error("expected the embedded sandbox");
    // A third of token calls fail: the flow retries the exchange until it gets each token.
    sandbox.setFaults({ errorRate: 0.3, endpoints: ["oauth.tokenV1"] });
    tokens = await issueTokens({ origin: sandbox.origin, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret }, 5);
    sandbox.setFaults({});
  });
  afterAll(async () => {
    await agent.close();
    await gateway.close();
  });

  it("issues one distinct token per connection, for the seeded users in turn", () => {
    expect(new Set(tokens).size).toBe(5);
  });

  it.each(READS.map((r) => r.id))("read %s answers with data and no error", async (id) => {
    const read = READS.find((r) => r.id === id);
    const req: ChaosRequest = { kind: `read:${id}`, family: "read", body: read?.body ?? "", contentType: "application/json", user: read?.user ?? false };
    // Priya (the second token): a full locker.
    const answer = await send(agent, gateway.url, req, tokens[1], 10_000);
    expect(answer).toMatchObject({ status: "200", outcome: "data", codes: [], uncoded: [] });
  });
});

describe("the hostile queries", () => {
  const query = (id: string, nonce = "n1") => HOSTILE.find((h) => h.id === id)?.query(nonce) ?? "";

  it("have issue #11's sizes: 4,000 aliases in ~115 kB, 400 levels, 8 levels, 24 fragments, 300 and 1,000 aliases", () => {
    expect(query("aliases").match(/: node\(id: "x"\)/g)).toHaveLength(4000);
    expect(query("aliases").length).toBeGreaterThan(110_000);
    expect(query("deep-nesting").match(/docTypes \{ issuer \{/g)).toHaveLength(400);
    expect(query("fan-out").match(/docTypes \{ code issuer \{/g)).toHaveLength(8);
    expect(query("fragment-bomb").match(/fragment F\d+ on Stats/g)).toHaveLength(24);
    expect(query("revoke-batch").match(/revokeToken\(/g)).toHaveLength(300);
    const folderIds = query("folder-aliases").match(/folder\(id: "\d+"\)/g) ?? [];
    expect(new Set(folderIds).size).toBe(1000);
  });

  it("differ per request, so the document cache cannot answer a repeat", () => {
    for (const h of HOSTILE) expect(h.query("a")).not.toBe(h.query("b"));
  });

  it("are drawn with the hostile share, and only from the kinds asked for", () => {
    let i = 0;
    const draws = [0.01, 0.0, 0.5, 0.99];
    const random = () => draws[i++ % draws.length] ?? 0;
    expect(nextRequest(0.05, ["fan-out"], random).kind).toBe("hostile:fan-out");
    expect(nextRequest(0.05, ["fan-out"], random).family).toBe("read");
    expect(nextRequest(1, ["malformed"], () => 0).family).toBe("malformed");
    expect(nextRequest(1, [], () => 0).family).toBe("read");
    expect(HOSTILE_KINDS).toContain("malformed");
  });
});

describe("classify", () => {
  it("tells data, partial, unavailable and refused apart, and counts errors without a code", () => {
    expect(classify(200, '{"data":{"statistics":{"users":1}}}', 1).outcome).toBe("data");
    expect(classify(200, '{"data":{"viewer":{"name":"A"}},"errors":[{"message":"x","extensions":{"code":"NOT_FOUND"}}]}', 1)).toMatchObject({
      outcome: "partial",
      codes: ["NOT_FOUND"],
    });
    expect(classify(200, '{"data":{"statistics":null},"errors":[{"message":"x","extensions":{"code":"UPSTREAM_UNAVAILABLE"}}]}', 1).outcome).toBe("unavailable");
    expect(classify(400, '{"errors":[{"message":"bad"}]}', 1)).toMatchObject({ outcome: "refused", status: "400", codes: [], uncoded: ["bad"] });
    expect(classify(500, "<html>", 1).outcome).toBe("non-json");
    expect(classify(200, "null", 1).outcome).toBe("refused");
  });
});

describe("the report's arithmetic", () => {
  const kind = (statuses: Record<string, number>, outcomes: KindSummary["outcomes"], uncoded = 0): KindSummary => ({
    kind: "read:x", family: "read", requests: 10, statuses, outcomes, codes: {}, uncoded, uncodedSamples: [], p50Ms: 1, p99Ms: 1, maxMs: 1,
  });

  it("totals 5xx, hung, connection errors and uncoded errors across kinds", () => {
    const totals = totalsOf([kind({ "200": 7, "502": 1, hung: 1, ECONNRESET: 1 }, { data: 7, hung: 1, connection: 1 }, 2), kind({ "503": 2 }, {})]);
    expect(totals).toEqual({ requests: 20, fiveXx: 3, uncoded: 2, hung: 1, connectionErrors: 1 });
  });

  it("counts a failed /health probe until it failed", () => {
    const h = healthOf([{ atS: 0, ms: 5, status: "200" }, { atS: 1, ms: 30_000, status: "ECONNRESET" }]);
    expect(h).toMatchObject({ probes: 2, maxMs: 30_000, over1s: 1, statuses: { "200": 1, ECONNRESET: 1 } });
  });

  it("compares the first minute's RSS with the last minute's, and says when the process changed", () => {
    const samples = Array.from({ length: 61 }, (_, i) => ({ atS: i * 10, rssMb: 100 + i, generation: i < 30 ? 0 : 1 }));
    expect(growthOf(samples, 600)).toEqual({ firstMinuteMb: 103, lastMinuteMb: 157, growthMb: 54, sameProcess: false });
    expect(growthOf(samples, 60)).toBeNull();
  });
});
