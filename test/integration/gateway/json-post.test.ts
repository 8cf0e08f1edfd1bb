// The direct path (src/server/json-post.ts) against yoga's fetch adapter: the same requests, over real HTTP, one
// sent as a server's JSON POST (served directly) and one with an Accept header that yoga answers the same way but
// that the direct path leaves to yoga. Status, content type, cookies and body must be identical, and /metrics must
// show which path served each.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRIYA, startTestGateway, type TestGateway } from "../../helpers/gateway.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

interface Answer {
  status: number;
  contentType: string | null;
  setCookie: string[];
  body: string;
}

const DIRECT = { "content-type": "application/json", accept: "application/json" };
/** Yoga answers this with application/json as it does the above; the direct path takes only the exact forms. */
const ADAPTER = { "content-type": "application/json", accept: "application/json;q=0.9" };

describe("the direct JSON path answers as yoga's adapter does", () => {
  let t: TestGateway;
  beforeAll(async () => { t = await startTestGateway(); });
  afterAll(async () => { await t.close(); });

  async function post(headers: Record<string, string>, body: string): Promise<Answer> {
    const res = await fetch(`${t.gateway.url}/graphql`, { method: "POST", headers, body });
    return { status: res.status, contentType: res.headers.get("content-type"), setCookie: res.headers.getSetCookie(), body: await res.text() };
  }

  async function counts(): Promise<{ direct: number; adapter: number }> {
    const text = await (await fetch(`${t.gateway.url}/metrics`)).text();
    const read = (path: string) => Number(new RegExp(`graphql_http_requests_total\\{path="${path}"\\} (\\d+)`).exec(text)?.[1]);
    return { direct: read("direct"), adapter: read("adapter") };
  }

  /** Sends `body` both ways; returns the one answer after checking they agree and which path served each. */
  async function both(body: string, headers: Record<string, string> = {}, served: "direct" | "adapter" = "direct"): Promise<Answer> {
    const c0 = await counts();
    const direct = await post({ ...DIRECT, ...headers }, body);
    const c1 = await counts();
    const adapter = await post({ ...ADAPTER, ...headers }, body);
    const c2 = await counts();
    expect(direct).toEqual(adapter);
    expect(c1).toEqual(served === "direct" ? { direct: c0.direct + 1, adapter: c0.adapter } : { direct: c0.direct, adapter: c0.adapter + 1 });
    expect(c2).toEqual({ direct: c1.direct, adapter: c1.adapter + 1 });
    return direct;
  }

  const json = (query: string, extra: Record<string, unknown> = {}) => JSON.stringify({ query, ...extra });

  it("a public query, with no upstream call when cached", async () => {
    const a = await both(json("{ statistics { users issuers monthwiseRegistrations { year month count } } }"));
    expect(a.status).toBe(200);
    expect(a.contentType).toBe("application/json; charset=utf-8");
    expect(JSON.parse(a.body)).toMatchObject({ data: { statistics: { users: expect.any(Number) as unknown } } });
  });

  it("a user's documents with a bearer token, variables and an operation name", async () => {
    const token = t.token(PRIYA);
    const doc = "query A { statistics { users } } query B($n: Int) { viewer { name issuedDocuments { name issuer { name } } rootFolder { items(first: $n) { totalCount } } } }";
    const a = await both(json(doc, { operationName: "B", variables: { n: 2 } }), { authorization: `Bearer ${token}` });
    const data = (JSON.parse(a.body) as { data: { viewer: { name: string; issuedDocuments: unknown[] } } }).data;
    expect(data.viewer.name).toBe("Priya Sharma");
    expect(data.viewer.issuedDocuments).toHaveLength(12);
  });

  it.each([
    ["a validation error", json("{ statistics { users } nope }")],
    ["a syntax error", json("{ statistics { users }")],
    ["a resolver error next to data (no token)", json("{ viewer { name } statistics { users } }")],
    ["a variable of the wrong type", json("query ($n: Int) { documentCatalog(first: $n) { totalCount } }", { variables: { n: "ten" } })],
    ["an input the schema's validation refuses", json("{ documentCatalog(first: -1) { totalCount } }")],
    ["an unknown operation name", json("query A { statistics { users } }", { operationName: "Z" })],
  ])("%s", async (_what, body) => {
    const a = await both(body);
    expect(JSON.parse(a.body)).toHaveProperty("errors");
  });

  it.each([
    ["invalid JSON", "{ query: "],
    ["a query that is not a string", JSON.stringify({ query: 5 })],
    ["no query", JSON.stringify({ variables: {} })],
    ["an unexpected parameter", JSON.stringify({ query: "{ statistics { users } }", foo: 1 })],
    ["a batch", JSON.stringify([{ query: "{ statistics { users } }" }])],
    ["a JSON string", JSON.stringify("{ statistics { users } }")],
    ["variables that are a list", JSON.stringify({ query: "{ statistics { users } }", variables: [1] })],
  ])("%s is handed to yoga with the body already read", async (_what, body) => {
    const a = await both(body, {}, "adapter");
    expect(JSON.parse(a.body)).toHaveProperty("errors");
  });

  it("a mutation with null variables and extensions, and no session to end", async () => {
    const a = await both(json("mutation { signOut { signedOut } }", { extensions: null, variables: null }));
    expect(JSON.parse(a.body)).toEqual({ data: { signOut: { signedOut: false } } });
    expect(a.setCookie).toEqual([]);
  });

  it("signOut's cleared cookie comes back on the direct path too", async () => {
    const { cookie: first } = await signInThroughGateway(t);
    const { cookie: second } = await signInThroughGateway(t);
    if (first === null || second === null) throw new Error("sign-in set no cookie");
    const body = json("mutation { signOut { signedOut } }");
    const direct = await post({ ...DIRECT, cookie: first }, body);
    const adapter = await post({ ...ADAPTER, cookie: second }, body);
    expect(direct).toEqual(adapter);
    expect(direct.setCookie).toHaveLength(1);
    expect(direct.setCookie[0]).toMatch(/^dlg_session=; .*Max-Age=0/);
  });

  it.each([
    ["a browser's request (Origin)", { origin: "http://evil.example" }],
    ["a GraphQL response media type", { accept: "application/graphql-response+json" }],
    ["another content type", { "content-type": "application/graphql+json" }],
  ])("%s goes to yoga", async (_what, headers) => {
    const c0 = await counts();
    const res = await post({ ...DIRECT, ...headers }, json("{ statistics { users } }"));
    expect(res.status).toBe(200);
    expect(await counts()).toEqual({ direct: c0.direct, adapter: c0.adapter + 1 });
  });

  it("a body over 64 KiB goes to yoga, which still answers it", async () => {
    const c0 = await counts();
    const res = await post(DIRECT, json(`{ statistics { users } }${" ".repeat(70 * 1024)}`));
    expect(res.status).toBe(200);
    expect(await counts()).toEqual({ direct: c0.direct, adapter: c0.adapter + 1 });
  });
});
