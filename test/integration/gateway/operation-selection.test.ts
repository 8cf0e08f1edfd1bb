// Found by the fuzz suite: graphql-jit keyed its compiled queries by document alone, so in a document with several
// operations the one compiled first answered for every operationName, and a GET naming a query could run the
// document's mutation (a link that signs its visitor out). Also: errors without a code for a bad variable or an id
// of an unknown type. Each is sent both ways (direct path and yoga's adapter).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../helpers/gateway.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

const WAYS = [
  ["direct path", { "content-type": "application/json" }],
  ["yoga's adapter", { "content-type": "application/json", accept: "application/graphql-response+json" }],
] as const;

describe("which operation runs, and what a caller's mistake is called", () => {
  let t: TestGateway;
  beforeAll(async () => { t = await startTestGateway(); });
  afterAll(async () => { await t.close(); });

  async function post(headers: Record<string, string>, body: unknown, extra: Record<string, string> = {}) {
    const res = await fetch(`${t.gateway.url}/graphql`, { method: "POST", headers: { ...headers, ...extra }, body: JSON.stringify(body) });
    return (await res.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  }

  it.each(WAYS)("runs the operation named, whichever ran before from the same document (%s)", async (_way, headers) => {
    const query = "query A { a: __typename } query B { b: __typename }";
    expect(await post(headers, { query, operationName: "B" })).toEqual({ data: { b: "Query" } });
    expect(await post(headers, { query, operationName: "A" })).toEqual({ data: { a: "Query" } });
    expect(await post(headers, { query, operationName: "B" })).toEqual({ data: { b: "Query" } });
  });

  it("a GET naming a document's query never runs its mutation: the session survives", async () => {
    const cookie = (await signInThroughGateway(t)).cookie ?? "";
    expect(cookie).not.toBe("");
    const query = "mutation A { signOut { signedOut } } query B { session { scopes } }";
    // The mutation is first compiled through a POST without the cookie (no session to end)...
    await post({ "content-type": "application/json" }, { query, operationName: "A" });
    // ...then a link names the query, with the victim's cookie.
    const res = await fetch(`${t.gateway.url}/graphql?query=${encodeURIComponent(query)}&operationName=B`, { headers: { accept: "application/json", cookie } });
    const body = (await res.json()) as { data?: { session?: { scopes: string[] } | null } };
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(body.data?.session?.scopes).toEqual(expect.arrayContaining(["files.issueddocs"]));
    const after = await post({ "content-type": "application/json" }, { query: "{ session { scopes } }" }, { cookie });
    expect(after.data).toEqual({ session: { scopes: expect.any(Array) as unknown } });
  });

  it.each(WAYS)("a variable of the wrong type is BAD_USER_INPUT (%s)", async (_way, headers) => {
    const answer = await post(headers, { query: "query ($n: Int) { documentCatalog(first: $n) { totalCount } }", variables: { n: "x" } });
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    const missing = await post(headers, { query: "query ($b: Boolean!) { statistics @include(if: $b) { users } }", variables: {} });
    expect(missing.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
  });

  it.each(WAYS)("an id of a type that does not exist, or is not a Node, is BAD_USER_INPUT (%s)", async (_way, headers) => {
    for (const typename of ["Nope", "Stats"]) {
      const id = Buffer.from(`${typename}:000018`).toString("base64");
      const answer = await post(headers, { query: `{ node(id: "${id}") { __typename } }` });
      expect(answer.data).toEqual({ node: null });
      expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    }
  });

  it.each(WAYS)("a subscription, which the schema has none of, is the caller's mistake (%s)", async (_way, headers) => {
    const answer = await post(headers, { query: "subscription { __typename }" });
    expect(answer.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([["This gateway has no subscription operations.", "GRAPHQL_VALIDATION_FAILED"]]);
  });
});
