// Issue #17: a `subscription` sent to a gateway whose schema has none used to reach graphql-jit, which crashed
// compiling it (INTERNAL_SERVER_ERROR, a stack in the log). graphql-js 16 has no rule for an operation type the
// schema lacks, so the operation limits (src/server/operation-limits.ts) refuse it during validation, before
// anything is compiled. Each way in: the direct path, yoga's adapter, GET, and a document that also holds a query.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { startGateway, type Gateway } from "../../../src/server/gateway.js";
import { createLogger } from "../../../src/server/logger.js";

const DIRECT = { "content-type": "application/json" };
const ADAPTER = { "content-type": "application/json", accept: "application/graphql-response+json" };
const REFUSED = ["This gateway has no subscription operations.", "GRAPHQL_VALIDATION_FAILED"];

interface Answer {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

const summary = (a: Answer) => a.body.errors?.map((e) => [e.message, e.extensions?.code]);

describe("a subscription, which the schema has none of", () => {
  let gateway: Gateway;
  const raw: string[] = [];
  const levels = () => raw.splice(0).join("").split("\n").filter((l) => l !== "").map((l) => (JSON.parse(l) as { level: number }).level);

  beforeAll(async () => {
    const logger = createLogger("debug", { write: (line: string) => { raw.push(line); } });
    const config = loadConfig({ DATA_DIR: "memory", PORT: "0", SANDBOX_PORT: "0", LOG_LEVEL: "debug", DIGILOCKER_MAX_RETRIES: "0" });
    gateway = await startGateway(config, { logger });
    raw.splice(0);
  });
  afterAll(async () => { await gateway.close(); });

  async function post(headers: Record<string, string>, body: Record<string, unknown>): Promise<Answer> {
    const res = await fetch(`${gateway.url}/graphql`, { method: "POST", headers, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Answer["body"] };
  }

  async function get(accept: string, params: Record<string, string>): Promise<Answer> {
    const res = await fetch(`${gateway.url}/graphql?${new URLSearchParams(params).toString()}`, { headers: { accept } });
    return { status: res.status, body: (await res.json()) as Answer["body"] };
  }

  it.each([
    ["direct path", DIRECT, 200],
    ["yoga's adapter", ADAPTER, 400],
  ] as const)("is a validation error over the %s, answered as other validation errors are", async (_way, headers, status) => {
    for (const query of ["subscription { x }", "subscription S { __typename }"]) {
      // Twice: the second comes from yoga's parse and validation caches.
      for (let i = 0; i < 2; i++) {
        const answer = await post(headers, { query });
        expect(answer).toMatchObject({ status, body: { errors: [{ message: REFUSED[0], extensions: { code: REFUSED[1] } }] } });
        expect(answer.body.data).toBeUndefined();
      }
    }
    const otherMistake = await post(headers, { query: "{ nope }" });
    expect(otherMistake.status).toBe(status);
    expect(levels().filter((l) => l >= 40)).toEqual([]);
  });

  it.each([
    ["application/json", 200],
    ["application/graphql-response+json", 400],
  ] as const)("is a validation error over GET (accept %s)", async (accept, status) => {
    const answer = await get(accept, { query: "subscription { x }" });
    expect(answer.status).toBe(status);
    expect(summary(answer)).toEqual([REFUSED]);
    expect(levels().filter((l) => l >= 40)).toEqual([]);
  });

  it.each([
    ["direct path", DIRECT],
    ["yoga's adapter", ADAPTER],
  ] as const)("refuses a document that also holds a query, whichever operation is named (%s)", async (_way, headers) => {
    // Validation covers the whole document (as graphql-js 17's KnownOperationTypesRule does): naming the query
    // does not make the document valid.
    const query = "query Q { __typename } subscription S { __typename }";
    for (const operationName of ["Q", "S"]) {
      const answer = await post(headers, { query, operationName });
      expect(summary(answer)).toEqual([REFUSED]);
    }
    const viaGet = await get("application/json", { query, operationName: "S" });
    expect(summary(viaGet)).toEqual([REFUSED]);
    expect(levels().filter((l) => l >= 40)).toEqual([]);
  });

  it("leaves the query alone once the subscription is gone", async () => {
    const answer = await post(DIRECT, { query: "query Q { __typename }", operationName: "Q" });
    expect(answer).toEqual({ status: 200, body: { data: { __typename: "Query" } } });
  });
});
