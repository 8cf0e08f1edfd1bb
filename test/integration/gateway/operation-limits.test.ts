// Issue #11's reproductions, over real HTTP, each sent both ways: as a partner backend's JSON POST (the node:http
// direct path, src/server/json-post.ts) and through yoga's fetch adapter. Every one used to crash, stall or
// amplify; each is now refused before anything runs, with a code and the limit it passed.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AJIT, startTestGateway, type TestGateway } from "../../helpers/gateway.js";

const DIRECT = { "content-type": "application/json" };
const ADAPTER = { "content-type": "application/json", accept: "application/graphql-response+json" };
const WAYS = [
  ["direct path", DIRECT],
  ["yoga's adapter", ADAPTER],
] as const;

interface Answer {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function post(t: TestGateway, headers: Record<string, string>, body: unknown, token?: string): Promise<Answer> {
  const res = await fetch(`${t.gateway.url}/graphql`, {
    method: "POST",
    headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer["body"] };
}

const repeat = (n: number, item: (i: number) => string) => Array.from({ length: n }, (_, i) => item(i)).join(" ");

/** `docTypes { issuer { … } }` nested n times around `name`. */
function nestedIssuers(n: number, tag = ""): string {
  let inner = tag === "" ? "name" : `name${tag}: name`;
  for (let i = 0; i < n; i++) inner = `docTypes { issuer { ${inner} } }`;
  return `{ issuer(orgId: "nope") { ${inner} } }`;
}

function doublingFragments(n: number, tag = ""): string {
  let text = `fragment F0 on Stats { ${tag === "" ? "users" : `users${tag}: users`} }`;
  for (let i = 1; i < n; i++) text += ` fragment F${i} on Stats { ...F${i - 1} ...F${i - 1} }`;
  return `{ statistics { ...F${n - 1} } } ${text}`;
}

/** What each reproduction is refused for, as a client reads it. */
function refusal(answer: Answer): { limit: unknown; code: unknown } {
  const error = answer.body.errors?.[0];
  return { code: error?.extensions?.code, limit: error?.extensions?.limit };
}

describe("operation limits (defaults)", () => {
  let t: TestGateway;
  beforeAll(async () => { t = await startTestGateway(); });
  afterAll(async () => { await t.close(); });

  describe.each(WAYS)("%s", (_way, headers) => {
    it("refuses 4,000 aliases of node(id) (115 kB): too large a body", async () => {
      const query = `{ ${repeat(4000, (i) => `a${i}: node(id: "x") { id }`)} }`;
      const res = await fetch(`${t.gateway.url}/graphql`, { method: "POST", headers, body: JSON.stringify({ query }) });
      expect(res.status).toBe(413);
    });

    it("refuses 400 nested docTypes { issuer } (9.6 kB) at parse time: too many tokens", async () => {
      const answer = await post(t, headers, { query: nestedIssuers(400) });
      expect(refusal(answer)).toEqual({ code: "OPERATION_LIMIT_EXCEEDED", limit: "tokens" });
      expect(answer.body.errors?.[0]?.message).toBe("The query has more than 2000 tokens; the limit is 2000. Send a shorter query.");
    });

    it("refuses the 283-byte query that built an 89 MB answer: too deep and too costly", async () => {
      let inner = "name";
      for (let i = 0; i < 8; i++) inner = `docTypes { code issuer { ${inner} } }`;
      t.gateway.upstreamCalls.reset();
      const answer = await post(t, headers, { query: `{ issuer(orgId: "000018") { ${inner} } }` });
      expect(answer.body.data).toBeUndefined();
      expect(answer.body.errors?.map((e) => e.extensions?.limit)).toEqual(["depth", "cost"]);
      expect(answer.body.errors?.[0]?.extensions).toEqual({ code: "OPERATION_LIMIT_EXCEEDED", limit: "depth", max: 12, found: 18 });
      expect(t.gateway.upstreamCalls.total()).toBe(0);
    });

    it("refuses 24 fragments that each spread the next twice (2^23 fields) before execution", async () => {
      const answer = await post(t, headers, { query: doublingFragments(24) });
      expect(answer.body.errors).toEqual([
        {
          message:
            "Operation costs 8388609 points (a point per field, times the sizes of the lists around it): ask for smaller pages or fewer fields; the limit is 10000.",
          extensions: { code: "OPERATION_LIMIT_EXCEEDED", limit: "cost", max: 10000, found: 8388609 },
        },
      ]);
    });

    it("refuses 300 aliased revokeToken mutations without a DigiLocker call", async () => {
      t.gateway.upstreamCalls.reset();
      const answer = await post(t, headers, { query: `mutation { ${repeat(300, (i) => `r${i}: revokeToken(input: {token: "t${i}"}) { revoked }`)} }` });
      expect(refusal(answer).code).toBe("OPERATION_LIMIT_EXCEEDED");
      expect(t.gateway.upstreamCalls.total()).toBe(0);
    });

    it("refuses two revocations in one request, and makes no call", async () => {
      t.gateway.upstreamCalls.reset();
      const answer = await post(t, headers, { query: 'mutation { a: revokeToken(input: {token: "t1"}) { revoked } b: revokeToken(input: {token: "t2"}) { revoked } }' });
      expect(answer.body.errors?.[0]?.extensions).toEqual({ code: "OPERATION_LIMIT_EXCEEDED", limit: "upstreamMutations", max: 1, found: 2 });
      expect(t.gateway.upstreamCalls.total()).toBe(0);
    });

    it("refuses 1,000 aliased viewer.folder(id) without a DigiLocker call", async () => {
      t.gateway.upstreamCalls.reset();
      const answer = await post(t, headers, { query: `{ viewer { ${repeat(1000, (i) => `f${i}: folder(id: "x${i}") { name }`)} } }` }, t.token(AJIT));
      expect(refusal(answer).code).toBe("OPERATION_LIMIT_EXCEEDED");
      expect(t.gateway.upstreamCalls.total()).toBe(0);
    });

    it("refuses a query text past 16 KiB before parsing it", async () => {
      const query = `{ statistics { users } } # ${"x".repeat(17_000)}`;
      const answer = await post(t, headers, { query });
      expect(answer.body.errors?.[0]?.extensions).toEqual({ code: "OPERATION_LIMIT_EXCEEDED", limit: "documentBytes", max: 16384, found: 17027 });
    });

    it("prices a page size passed in a variable with the request's own value, before any call", async () => {
      const query = "query Tree($first: Int) { viewer { rootFolder { items(first: $first) { edges { node { ... on Folder { files { name } } } } } } } }";
      t.gateway.upstreamCalls.reset();
      const wide = await post(t, headers, { query, variables: { first: 100 } }, t.token(AJIT));
      // viewer 1 + rootFolder 1 + its listing 1 + 100 sub-folders × their listing 1
      expect(wide.body.errors?.[0]?.extensions).toEqual({ code: "OPERATION_LIMIT_EXCEEDED", limit: "upstreamCalls", max: 100, found: 103 });
      expect(t.gateway.upstreamCalls.total()).toBe(0);
      const narrow = await post(t, headers, { query, variables: { first: 5 } }, t.token(AJIT));
      expect(narrow.body.errors).toBeUndefined();
      expect(narrow.body.data).toMatchObject({ viewer: { rootFolder: { items: { edges: expect.any(Array) as unknown } } } });
    });
  });

  it("refuses a deep query sent as GET too", async () => {
    const res = await fetch(`${t.gateway.url}/graphql?query=${encodeURIComponent(nestedIssuers(20))}`, { headers: { accept: "application/json" } });
    const body = (await res.json()) as Answer["body"];
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: "OPERATION_LIMIT_EXCEEDED", limit: "depth", max: 12 });
  });

  it("keeps memory flat across 50 distinct hostile queries, each refused", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const heap = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const kinds = [
      (i: number) => ({ query: doublingFragments(24, `u${i}`) }),
      (i: number) => ({ query: nestedIssuers(10, `n${i}`) }),
      (i: number) => ({ query: `{ ${repeat(60, (j) => `a${i}_${j}: node(id: "x") { id }`)} }` }),
    ];
    // One round first, so that what every request allocates once (JIT'd code, pools) is not counted as growth.
    for (const kind of kinds) await post(t, DIRECT, kind(-1));
    const before = heap();
    for (let i = 0; i < 50; i++) {
      const answer = await post(t, i % 2 === 0 ? DIRECT : ADAPTER, kinds[i % kinds.length]?.(i));
      expect(refusal(answer).code).toBe("OPERATION_LIMIT_EXCEEDED");
    }
    const grown = heap() - before;
    // Before the limits, three such queries took the heap past 512 MB. 50 refused documents of a few kB each,
    // kept by the parse cache, come to well under this.
    expect(grown).toBeLessThan(8 * 1024 * 1024);
  });

  it("answers /health within 100 ms while hostile queries arrive", async () => {
    // Four clients keep sending distinct hostile queries (each used to stall the process for seconds) while /health
    // is sampled; every one of them must be refused, and every sample answered promptly.
    let sending = true;
    let sent = 0;
    const refusedCodes = new Set<unknown>();
    const client = async (c: number) => {
      while (sending) {
        const i = sent++;
        const body = { query: i % 2 === 0 ? doublingFragments(24, `h${c}_${i}`) : nestedIssuers(12, `h${c}_${i}`) };
        refusedCodes.add(refusal(await post(t, i % 4 < 2 ? DIRECT : ADAPTER, body)).code);
      }
    };
    const clients = [0, 1, 2, 3].map(client);
    const timings: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      const res = await fetch(`${t.gateway.url}/health`);
      expect(res.status).toBe(200);
      timings.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    sending = false;
    await Promise.all(clients);
    expect(sent).toBeGreaterThan(10);
    expect([...refusedCodes]).toEqual(["OPERATION_LIMIT_EXCEEDED"]);
    expect(Math.max(...timings)).toBeLessThan(100);
  });

  it("still answers the shipped operations' shapes: a two-level folder tree and a catalogue page", async () => {
    const token = t.token(AJIT);
    const tree = await post(t, DIRECT, { query: "{ viewer { rootFolder { items(first: 20) { edges { node { ... on Folder { items(first: 20) { totalCount } } } } } } } }" }, token);
    expect(tree.body.errors).toBeUndefined();
    const catalogue = await post(t, DIRECT, { query: "{ documentCatalog(first: 100) { edges { node { code searchParameters { name label options example } } } } }" });
    expect(catalogue.body.errors).toBeUndefined();
  });
});

describe("operation limits (configured)", () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({
      GRAPHQL_MAX_TOKENS: "100000",
      GRAPHQL_MAX_DOCUMENT_BYTES: "200000",
      GRAPHQL_MAX_BODY_BYTES: "400000",
      GRAPHQL_MAX_ALIASES: "5000",
      GRAPHQL_MAX_RESPONSE_BYTES: "2000",
    });
  });
  afterAll(async () => { await t.close(); });

  describe.each(WAYS)("%s", (_way, headers) => {
    it("with the token and alias limits raised, 300 revocations are still refused by the mutation limit, with no call", async () => {
      t.gateway.upstreamCalls.reset();
      const answer = await post(t, headers, { query: `mutation { ${repeat(300, (i) => `r${i}: revokeToken(input: {token: "t${i}"}) { revoked }`)} }` });
      expect(answer.body.errors?.map((e) => e.extensions?.limit)).toEqual(["rootFields", "upstreamCalls", "upstreamMutations"]);
      expect(answer.body.errors?.[2]?.extensions).toEqual({ code: "OPERATION_LIMIT_EXCEEDED", limit: "upstreamMutations", max: 1, found: 300 });
      expect(t.gateway.upstreamCalls.total()).toBe(0);
    });

    it("with the token and alias limits raised, 1,000 aliased folders are refused by the upstream budget, with no call", async () => {
      t.gateway.upstreamCalls.reset();
      const answer = await post(t, headers, { query: `{ viewer { ${repeat(1000, (i) => `f${i}: folder(id: "x${i}") { name }`)} } }` }, t.token(AJIT));
      expect(answer.body.errors?.[0]?.extensions).toEqual({ code: "OPERATION_LIMIT_EXCEEDED", limit: "upstreamCalls", max: 100, found: 3001 });
      expect(t.gateway.upstreamCalls.total()).toBe(0);
    });

    it("replaces an answer past GRAPHQL_MAX_RESPONSE_BYTES with RESPONSE_TOO_LARGE", async () => {
      const small = await post(t, headers, { query: "{ statistics { users } }" });
      expect(small.body.data).toEqual({ statistics: { users: expect.any(Number) as unknown } });
      const large = await post(t, headers, { query: "{ documentCatalog(first: 50) { edges { node { code description consentText } } } }" });
      expect(large.body).toEqual({
        errors: [
          {
            message: "The answer is larger than 2000 bytes; ask for fewer fields or smaller pages.",
            extensions: { code: "RESPONSE_TOO_LARGE", limit: "maxResponseBytes", max: 2000 },
          },
        ],
      });
    });
  });
});

describe("execution deadline", () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ GRAPHQL_EXECUTION_TIMEOUT_MS: "300", SANDBOX_LATENCY_MS: "3000" });
  });
  afterAll(async () => { await t.close(); });

  it.each(WAYS)("answers OPERATION_TIMEOUT when DigiLocker is slower than the deadline (%s)", async (_way, headers) => {
    const started = performance.now();
    const answer = await post(t, headers, { query: "{ viewer { name } }" }, t.token(AJIT));
    expect(performance.now() - started).toBeLessThan(2500);
    expect(answer.body).toEqual({
      errors: [
        {
          message: "The operation did not finish within 300 ms; try again, or ask for less.",
          extensions: { code: "OPERATION_TIMEOUT", limit: "executionTimeoutMs", max: 300 },
        },
      ],
    });
  });
});

describe("request body limit", () => {
  let t: TestGateway;
  beforeAll(async () => { t = await startTestGateway({ GRAPHQL_MAX_BODY_BYTES: "2048" }); });
  afterAll(async () => { await t.close(); });

  it.each(WAYS)("answers 413 to a body past GRAPHQL_MAX_BODY_BYTES, though the direct path would take up to 64 KiB (%s)", async (_way, headers) => {
    const small = await fetch(`${t.gateway.url}/graphql`, { method: "POST", headers, body: JSON.stringify({ query: "{ statistics { users } }" }) });
    expect(small.status).toBe(200);
    const body = JSON.stringify({ query: `{ statistics { users } } # ${"x".repeat(3000)}` });
    const large = await fetch(`${t.gateway.url}/graphql`, { method: "POST", headers, body });
    expect(large.status).toBe(413);
    expect(await large.json()).toEqual({ errors: [{ message: "Request body too large", extensions: { code: "REQUEST_ENTITY_TOO_LARGE" } }] });
  });
});
