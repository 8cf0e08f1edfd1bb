// A token revoked at DigiLocker directly (not through the gateway), over real HTTP: the account cache answers only
// until DigiLocker is next asked; its `invalid_token` drops the cache and ends the session; and a dead token gets
// one answer, `viewer: null` (or a consent request's `user: null`) with a single UNAUTHENTICATED error, whichever
// fields were asked and whichever way the request was served.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DigiLockerClient } from "../../../src/digilocker/index.js";
import type { Sandbox } from "../../../src/sandbox/server.js";
import { AJIT, startTestGateway, type GraphQLResult, type TestGateway } from "../../helpers/gateway.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

const INVALID = "The DigiLocker access token is invalid or expired: sign in again";

type Viewer = { viewer: { name: string | null } | null };

/** Revokes a token the way the user or a partner would: DigiLocker's Revoke Token, from outside the gateway. */
async function revokeAtDigiLocker(sandbox: Sandbox, token: string): Promise<void> {
  const client = new DigiLockerClient({
    baseUrl: sandbox.baseUrl,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    retry: { maxRetries: 0 },
  });
  try {
    await client.oauth.revoke(token, "access_token");
  } finally {
    await client.close();
  }
  expect(sandbox.state.accessTokens.get(token)?.revoked).toBe(true);
}

/** The one error of an answer, at `path`, saying UNAUTHENTICATED. */
function oneUnauthenticated(res: GraphQLResult<unknown>, path: (string | number)[], reason = "invalid_token") {
  expect(res.errors, JSON.stringify(res)).toHaveLength(1);
  expect(res.errors?.[0]).toMatchObject({ path, extensions: { code: "UNAUTHENTICATED", reason } });
  return res.errors?.[0];
}

describe.each<{ endpoint: string; env: Record<string, string>; refreshRevoked: Record<string, number> }>([
  { endpoint: "openid", env: {}, refreshRevoked: {} },
  // /oauth2/1/token: the session holds a refresh token, which the gateway revokes as it ends the session.
  { endpoint: "v1", env: { DIGILOCKER_TOKEN_ENDPOINT: "v1" }, refreshRevoked: { "oauth.revoke": 1 } },
])("a cookie session whose token is revoked at DigiLocker ($endpoint sign-in)", ({ env, refreshRevoked }) => {
  let t: TestGateway;
  beforeAll(async () => { t = await startTestGateway(env); });
  afterAll(async () => { await t.close(); });

  it("answers from the cache until DigiLocker is asked, then once with viewer null, and the session is gone", async () => {
    const before = new Set(t.sandbox.state.accessTokens.keys());
    const { cookie } = await signInThroughGateway(t);
    const [accessToken] = [...t.sandbox.state.accessTokens.keys()].filter((token) => !before.has(token));
    if (cookie === null || accessToken === undefined) throw new Error("the sign-in made no session");

    const account = await t.query(`{ viewer { name dateOfBirth digilockerId } }`, { cookie });
    expect(account).toMatchObject({ data: { viewer: { name: "Ajit Kumar", digilockerId: AJIT } } });
    expect(account.errors).toBeUndefined();

    await revokeAtDigiLocker(t.sandbox, accessToken);

    // The documented window: the account cache answers without asking DigiLocker (USER_ACCOUNT_CACHE_TTL_SECONDS).
    t.gateway.upstreamCalls.reset();
    const cached = await t.query<Viewer>(`{ viewer { name } }`, { cookie });
    expect(cached.data).toEqual({ viewer: { name: "Ajit Kumar" } });
    expect(t.gateway.upstreamCalls.total()).toBe(0);

    // The first question DigiLocker hears refuses the token: the name, though cached, is not answered beside it.
    const refused = await t.query<Viewer>(`{ viewer { name issuedDocuments { name } } }`, { cookie });
    expect(refused.data).toEqual({ viewer: null });
    expect(oneUnauthenticated(refused, ["viewer"])?.message).toBe(INVALID);
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "files.issued": 1, ...refreshRevoked });

    // The session ended with it: the next request asks DigiLocker nothing.
    t.gateway.upstreamCalls.reset();
    const after = await t.query<Viewer & { session: unknown }>(`{ session { expiresAt } viewer { name } }`, { cookie });
    expect(after.data).toEqual({ session: null, viewer: null });
    oneUnauthenticated(after, ["viewer"], "session_expired");
    expect(t.gateway.upstreamCalls.total()).toBe(0);
  });
});

describe("a bearer token revoked at DigiLocker", () => {
  let t: TestGateway;
  beforeAll(async () => { t = await startTestGateway(); });
  afterAll(async () => { await t.close(); });

  const EVERYTHING = `{ viewer { name digilockerId issuedDocuments { name } rootFolder { folders { name } } } }`;

  async function metrics(): Promise<{ direct: number; adapter: number }> {
    const text = await (await fetch(`${t.gateway.url}/metrics`)).text();
    const read = (path: string) => Number(new RegExp(`graphql_http_requests_total\\{path="${path}"\\} (\\d+)`).exec(text)?.[1]);
    return { direct: read("direct"), adapter: read("adapter") };
  }

  it.each<{ way: "direct" | "adapter"; headers: Record<string, string> }>([
    { way: "direct", headers: {} },
    { way: "adapter", headers: { accept: "application/graphql-response+json" } },
    { way: "adapter", headers: { origin: "https://elsewhere.example" } },
  ])("answers viewer null with one error, served $way ($headers)", async ({ way, headers }) => {
    const token = t.token();
    await revokeAtDigiLocker(t.sandbox, token);
    const before = await metrics();
    t.gateway.upstreamCalls.reset();
    const res = await t.query(EVERYTHING, { token, headers });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ viewer: null });
    expect(oneUnauthenticated(res, ["viewer"])).toEqual({
      message: INVALID,
      locations: [{ line: 1, column: 3 }],
      path: ["viewer"],
      extensions: expect.objectContaining({ code: "UNAUTHENTICATED", reason: "invalid_token" }) as unknown,
    });
    // Three fields reached DigiLocker at once (account, issued list, root folder), each refused.
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "account.user": 1, "files.issued": 1, "files.uploaded": 1 });
    const after = await metrics();
    expect(after[way] - before[way]).toBe(1);
  });

  it("answers the same under graphql-js (a document of two operations) as under graphql-jit", async () => {
    const token = t.token();
    await revokeAtDigiLocker(t.sandbox, token);
    const doc = `query Other { statistics { users } } query Mine { viewer { name issuedDocuments { name } } }`;
    const res = await fetch(`${t.gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: doc, operationName: "Mine" }),
    });
    const body = (await res.json()) as GraphQLResult<unknown>;
    expect(body.data).toEqual({ viewer: null });
    expect(body.errors).toEqual([
      expect.objectContaining({ message: INVALID, path: ["viewer"], extensions: expect.objectContaining({ code: "UNAUTHENTICATED" }) as unknown }),
    ]);
  });

  it("does not answer a second viewer from the cache once the first met the dead token, and forgets the account", async () => {
    const token = t.token();
    expect((await t.query<Viewer>(`{ viewer { name } }`, { token })).data).toEqual({ viewer: { name: "Ajit Kumar" } });
    await revokeAtDigiLocker(t.sandbox, token);

    t.gateway.upstreamCalls.reset();
    const res = await t.query(`{ a: viewer { issuedDocuments { name } } b: viewer { name dateOfBirth } statistics { users } }`, { token });
    expect(res.data).toMatchObject({ a: null, b: null, statistics: { users: expect.any(Number) as unknown } });
    expect(res.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.reason])).toEqual([
      [["a"], "UNAUTHENTICATED", "invalid_token"],
      [["b"], "UNAUTHENTICATED", "invalid_token"],
    ]);
    // b asked DigiLocker nothing: its name was the cached one, and is not in the answer.
    expect(t.gateway.upstreamCalls.count("files.issued")).toBe(1);
    expect(t.gateway.upstreamCalls.count("account.user")).toBe(0);

    // The cache forgot the token: the name alone now goes to DigiLocker, which refuses it.
    t.gateway.upstreamCalls.reset();
    const name = await t.query<Viewer>(`{ viewer { name } }`, { token });
    expect(name.data).toEqual({ viewer: null });
    oneUnauthenticated(name, ["viewer"]);
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "account.user": 1 });
  });

});

describe("a consent request whose token is revoked at DigiLocker", () => {
  const PARTNER_ORIGIN = "https://partner.example.in";
  let t: TestGateway;
  beforeAll(async () => { t = await startTestGateway({ ALLOWED_REDIRECT_ORIGINS: PARTNER_ORIGIN }); });
  afterAll(async () => { await t.close(); });

  /** A consent request the user has consented to: its id, and the access token the gateway holds for it. */
  async function consented(): Promise<{ id: string; accessToken: string }> {
    const created = await t.query<{ createConsentRequest: { id: string; url: string } }>(
      `mutation ($input: CreateConsentRequestInput!) { createConsentRequest(input: $input) { id url } }`,
      { variables: { input: { redirectUrl: `${PARTNER_ORIGIN}/done` } } },
    );
    const request = created.data?.createConsentRequest;
    if (!request) throw new Error(JSON.stringify(created));
    const before = new Set(t.sandbox.state.accessTokens.keys());
    await signInThroughGateway(t, { start: request.url });
    const [accessToken] = [...t.sandbox.state.accessTokens.keys()].filter((token) => !before.has(token));
    if (accessToken === undefined) throw new Error("the consent made no token");
    return { id: request.id, accessToken };
  }

  const READ = `query ($id: ID!) { consentRequest(id: $id) { status user { name identity { name } issuedDocuments { name } } } }`;

  it("keeps a live user beside a dead viewer in the same answer", async () => {
    const { id } = await consented();
    const token = t.token();
    await revokeAtDigiLocker(t.sandbox, token);
    const res = await t.query(`query ($id: ID!) { viewer { name issuedDocuments { name } } consentRequest(id: $id) { user { name } } }`, {
      token,
      variables: { id },
    });
    expect(res.data).toEqual({ viewer: null, consentRequest: { user: { name: "Ajit Kumar" } } });
    oneUnauthenticated(res, ["viewer"]);
  });

  it("answers user null with one error once, then EXPIRED", async () => {
    const request = await consented();
    await revokeAtDigiLocker(t.sandbox, request.accessToken);
    const read = () => t.query(READ, { variables: { id: request.id } });
    const refused = await read();
    expect(refused.data).toEqual({ consentRequest: { status: "AUTHENTICATED", user: null } });
    oneUnauthenticated(refused, ["consentRequest", "user"]);

    const later = await read();
    expect(later.data).toEqual({ consentRequest: { status: "EXPIRED", user: null } });
    expect(later.errors).toBeUndefined();
  });
});

describe("the account cache's lifetime (USER_ACCOUNT_CACHE_TTL_SECONDS)", () => {
  let t: TestGateway;
  beforeAll(async () => { t = await startTestGateway({ USER_ACCOUNT_CACHE_TTL_SECONDS: "5" }); });
  afterAll(async () => { await t.close(); });
  afterEach(() => { t.gateway.upstreamCalls.reset(); });

  it("answers a revoked token's name from the cache within it, and asks DigiLocker past it", async () => {
    const token = t.token();
    expect((await t.query<Viewer>(`{ viewer { name } }`, { token })).data).toEqual({ viewer: { name: "Ajit Kumar" } });
    await revokeAtDigiLocker(t.sandbox, token);

    t.clock.advance(4_000);
    t.gateway.upstreamCalls.reset();
    expect((await t.query<Viewer>(`{ viewer { name } }`, { token })).data).toEqual({ viewer: { name: "Ajit Kumar" } });
    expect(t.gateway.upstreamCalls.total()).toBe(0);

    t.clock.advance(2_000);
    const past = await t.query<Viewer>(`{ viewer { name } }`, { token });
    expect(past.data).toEqual({ viewer: null });
    oneUnauthenticated(past, ["viewer"]);
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "account.user": 1 });
  });
});
