// Persisted operations over real HTTP (docs/production.md): the three ways of naming a document, GET, the gateway's
// own manifest, partners' manifests by key and by app, retirement, unknown and other partners' ids, and what
// production refuses. Ids are computed here with node:crypto from the literal texts, not by the gateway's code.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PersistedOperations } from "../../../src/operations/persisted-operations.js";
import { startTestGateway, type TestGateway } from "../../helpers/gateway.js";

const sha = (text: string) => `sha256:${createHash("sha256").update(text, "utf8").digest("hex")}`;
const hex = (text: string) => sha(text).slice("sha256:".length);

// The gateway's own Statistics operation, as schema/persisted-documents.json holds it.
const STATISTICS =
  "query Statistics { statistics { authenticDocuments countAsOn issuers monthwiseRegistrations { count month year } requesters users yearwiseAuthenticDocuments { count year } } }";
const ISSUERS = "query PartnerViewer { viewer { name } }";
const USERS = "query OlderViewer { viewer { gender } }";
const SIGN_OUT = "mutation PartnerSignOut { signOut { __typename } }";
const BROKEN = "query Broken { statistics { noSuchField } }";

type Body = Record<string, unknown>;
interface Answer {
  status: number;
  headers: Headers;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** POST on the direct path (no Origin), or through yoga's adapter (a browser's request, with Origin). */
async function post(gw: TestGateway, body: Body, options: { headers?: Record<string, string>; adapter?: boolean } = {}): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
  if (options.adapter === true) headers.origin = "http://elsewhere.example";
  const res = await fetch(`${gw.gateway.url}/graphql`, { method: "POST", headers, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer["body"] };
}

async function get(gw: TestGateway, query: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${gw.gateway.url}/graphql?${query}`, { headers: { accept: "application/json", ...headers } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer["body"] };
}

const anyNumber: unknown = expect.any(Number);
const anyString: unknown = expect.any(String);
const code = (a: Answer) => a.body.errors?.[0]?.extensions?.code;
const PATHS = [
  ["direct", false],
  ["adapter", true],
] as const;

describe("persisted operations in production", () => {
  let gw: TestGateway;
  let acmeKey: string;
  let otherKey: string;
  let acmeId: string;
  let store: PersistedOperations;

  beforeAll(async () => {
    gw = await startTestGateway({ NODE_ENV: "production", RATE_LIMIT_PER_CLIENT: "1000" });
    const { partners, database } = gw.gateway.services;
    const acme = await partners.create({ name: "Acme", scopes: ["catalogue:read"] });
    acmeKey = acme.key;
    acmeId = acme.partner.id;
    otherKey = (await partners.create({ name: "Other" })).key;
    store = new PersistedOperations({ db: database.db });
    await store.publish({ partnerId: acmeId, appName: "acme-web", appVersion: "1.0.0" }, [
      { id: sha(ISSUERS), text: ISSUERS },
      { id: sha(SIGN_OUT), text: SIGN_OUT },
      { id: sha(BROKEN), text: BROKEN },
    ]);
    await store.publish({ partnerId: acmeId, appName: "acme-web", appVersion: "0.9.0" }, [{ id: sha(USERS), text: USERS }]);
  }, 30_000);
  afterAll(async () => {
    await gw.close();
  });

  it("ships the gateway's own Statistics operation under the id computed from its text", () => {
    const manifest = JSON.parse(readFileSync("schema/persisted-documents.json", "utf8")) as Record<string, string>;
    expect(manifest[sha(STATISTICS)]).toBe(STATISTICS);
  });

  for (const [path, adapter] of PATHS) {
    it(`refuses the operation's text (${path} path) and runs it by id in each of the three forms`, async () => {
      // The gateway's own documents are open to every caller, with the caller's own rights: here a partner's key.
      const key = { "x-api-key": acmeKey };
      const text = await post(gw, { query: STATISTICS }, { adapter, headers: key });
      expect(text.status).toBe(400);
      expect(code(text)).toBe("PERSISTED_QUERY_ID_REQUIRED");
      expect(text.body.errors?.[0]?.message).toMatch(/^This gateway runs persisted operations only: send the operation's documentId/);
      expect(text.body.data).toBeUndefined();

      for (const body of [
        { documentId: sha(STATISTICS) },
        { extensions: { persistedQuery: { version: 1, sha256Hash: hex(STATISTICS) } } },
        { doc_id: sha(STATISTICS) },
        { doc_id: hex(STATISTICS) },
      ]) {
        const answer = await post(gw, body, { adapter, headers: key });
        expect(answer.status, JSON.stringify(body)).toBe(200);
        expect(answer.body.errors, JSON.stringify(body)).toBeUndefined();
        expect(answer.body.data?.statistics, JSON.stringify(body)).toMatchObject({ issuers: anyNumber, users: anyNumber });
      }
    });
  }

  it("runs a query by id over GET, and refuses a mutation over GET", async () => {
    const key = { "x-api-key": acmeKey };
    const byDocumentId = await get(gw, `documentId=${encodeURIComponent(sha(STATISTICS))}`, key);
    expect(byDocumentId.status).toBe(200);
    expect(byDocumentId.body.data?.statistics).toMatchObject({ issuers: anyNumber });
    const byExtensions = await get(gw, `extensions=${encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hex(STATISTICS) } }))}`, key);
    expect(byExtensions.body.data?.statistics).toMatchObject({ users: anyNumber });

    const mutation = await get(gw, `documentId=${encodeURIComponent(sha(SIGN_OUT))}`, { "x-api-key": acmeKey });
    expect(mutation.status).toBe(405);
    expect(mutation.body.errors?.[0]?.message).toBe("Can only perform a mutation operation from a POST request.");
  });

  for (const [path, adapter] of PATHS) {
    it(`answers an unknown id with PERSISTED_QUERY_NOT_IN_LIST naming it (${path} path)`, async () => {
      const unknown = sha("query Nobody { statistics { users } }");
      const answer = await post(gw, { documentId: unknown }, { adapter });
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([
        {
          message: `No persisted operation "${unknown}" is published for this caller: send an id from your app's published manifest (npm run operations -- list), with your API key or your app's X-GraphQL-Client-Name and -Version.`,
          extensions: expect.objectContaining({ code: "PERSISTED_QUERY_NOT_IN_LIST", documentId: unknown }) as unknown,
        },
      ]);
    });
  }

  it("runs a partner's document with its key and its app's headers, and nobody else's way", async () => {
    // The user's own rights: a bearer token here, as a browser app's session cookie would be.
    const user = { authorization: `Bearer ${gw.token()}` };
    const withKey = await post(gw, { documentId: sha(ISSUERS) }, { headers: { "x-api-key": acmeKey, ...user } });
    expect(withKey.body).toEqual({ data: { viewer: { name: anyString } } });
    // Every version of the partner's manifests is open to its key.
    expect((await post(gw, { documentId: sha(USERS) }, { headers: { "x-api-key": acmeKey, ...user } })).body).toEqual({ data: { viewer: { gender: anyString } } });

    const app = { "x-graphql-client-name": "acme-web", "x-graphql-client-version": "1.0.0", ...user };
    for (const adapter of [false, true]) {
      const byApp = await post(gw, { documentId: sha(ISSUERS) }, { headers: app, adapter });
      expect(byApp.body).toEqual({ data: { viewer: { name: anyString } } });
      // Its version holds ISSUERS, not USERS (that is 0.9.0's).
      expect(code(await post(gw, { documentId: sha(USERS) }, { headers: app, adapter }))).toBe("PERSISTED_QUERY_NOT_IN_LIST");
    }

    // Another partner's key, no key at all, and another partner's key naming Acme's app: the same answer as an unknown id.
    for (const headers of [{ "x-api-key": otherKey, ...user }, user, { "x-api-key": otherKey, ...app }]) {
      const refused = await post(gw, { documentId: sha(ISSUERS) }, { headers });
      expect(refused.status, JSON.stringify(Object.keys(headers))).toBe(400);
      expect(refused.body.errors?.[0]?.message).toBe(
        `No persisted operation "${sha(ISSUERS)}" is published for this caller: send an id from your app's published manifest (npm run operations -- list), with your API key or your app's X-GraphQL-Client-Name and -Version.`,
      );
    }
  });

  it("refuses an app version that was never published or was retired, once the refresh period has passed", async () => {
    const unpublished = await post(gw, { documentId: sha(STATISTICS) }, { headers: { "x-graphql-client-name": "acme-web", "x-graphql-client-version": "7.7.7" } });
    expect(unpublished.status).toBe(400);
    expect(unpublished.body.errors?.[0]).toMatchObject({
      message: 'App "acme-web" version "7.7.7" is not published. Update the app, or publish its manifest (docs/production.md).',
      extensions: { code: "PERSISTED_QUERY_NOT_IN_LIST", reason: "app_not_published" },
    });

    const app = { "x-graphql-client-name": "acme-web", "x-graphql-client-version": "0.9.0", authorization: `Bearer ${gw.token()}` };
    expect((await post(gw, { documentId: sha(USERS) }, { headers: app })).body).toEqual({ data: { viewer: { gender: anyString } } });
    await store.retire({ partnerId: acmeId, appName: "acme-web", appVersion: "0.9.0" });
    // What the database said is reused for 5 s; past that, the retirement shows.
    gw.clock.advance(5_001);
    const retired = await post(gw, { documentId: sha(USERS) }, { headers: app });
    expect(retired.status).toBe(400);
    expect(retired.body.errors?.[0]?.message).toMatch(/^App "acme-web" version "0.9.0" was retired at \d{4}-\d\d-\d\dT[\d:.]+Z: its operations are no longer served\. Update the app/);
    expect(retired.body.errors?.[0]?.extensions).toMatchObject({ reason: "app_retired" });
    // Its key no longer runs USERS either: no unretired manifest holds it.
    expect(code(await post(gw, { documentId: sha(USERS) }, { headers: { "x-api-key": acmeKey } }))).toBe("PERSISTED_QUERY_NOT_IN_LIST");
  });

  it("answers a published document that no longer validates with what is wrong, and runs nothing", async () => {
    const answer = await post(gw, { documentId: sha(BROKEN) }, { headers: { "x-api-key": acmeKey } });
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors?.[0]?.message).toBe('Cannot query field "noSuchField" on type "Stats".');
  });

  it("refuses malformed, contradictory and oversized ids with a message saying what to send", async () => {
    const cases: [Body, number, string][] = [
      [{ extensions: { persistedQuery: { version: 2, sha256Hash: hex(STATISTICS) } } }, 400, 'extensions.persistedQuery must be { "version": 1, "sha256Hash": "<64 hex digits>" }.'],
      [{ extensions: { persistedQuery: { version: 1, sha256Hash: "abc" } } }, 400, 'extensions.persistedQuery must be { "version": 1, "sha256Hash": "<64 hex digits>" }.'],
      [{ documentId: 42 }, 400, 'documentId must be a document id such as "sha256:<64 hex digits>".'],
      [{ documentId: sha(STATISTICS), doc_id: sha(ISSUERS) }, 400, "documentId and doc_id name different documents: name one."],
      [{ documentId: sha(STATISTICS), extensions: { persistedQuery: { version: 1, sha256Hash: hex(ISSUERS) } } }, 400, "documentId and extensions.persistedQuery.sha256Hash name different documents: name one."],
      [{ documentId: sha(STATISTICS), query: STATISTICS }, 400, "Send the document's id without its text: this gateway runs persisted operations only."],
    ];
    for (const [body, status, message] of cases) {
      for (const adapter of [false, true]) {
        const answer = await post(gw, body, { adapter });
        expect(answer.status, JSON.stringify(body)).toBe(status);
        expect(answer.body.errors?.[0]?.message, JSON.stringify(body)).toBe(message);
      }
    }
    const long = `sha256:${"a".repeat(20_000)}`;
    const answer = await post(gw, { documentId: long });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.message).toContain(`"${long.slice(0, 80)}…"`);
    expect(JSON.stringify(answer.body).length).toBeLessThan(1_000);
    // Half an app id is refused rather than ignored.
    const half = await post(gw, { documentId: sha(STATISTICS) }, { headers: { "x-graphql-client-name": "acme-web" } });
    expect(half.body.errors?.[0]?.message).toBe("Send X-GraphQL-Client-Name and X-GraphQL-Client-Version together: an app is found by its name and version.");
  });

  it("turns GraphiQL off: a browser opening /graphql is told why", async () => {
    const res = await fetch(`${gw.gateway.url}/graphql`, { headers: { accept: "text/html" } });
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("GraphiQL is off on this gateway (production mode; GRAPHIQL=true turns it on).\n");
  });
});

describe("introspection and texts, set apart from NODE_ENV", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ NODE_ENV: "production", GRAPHQL_PERSISTED_ONLY: "false" });
  });
  afterAll(async () => {
    await gw.close();
  });

  it("accepts texts when told to, refuses introspection in production, and leaves __typename alone", async () => {
    for (const adapter of [false, true]) {
      const schema = await post(gw, { query: "{ __schema { types { name } } }" }, { adapter });
      expect(schema.body.data).toBeUndefined();
      expect(schema.body.errors?.[0]?.message).toBe('GraphQL introspection has been disabled, but the requested query contained the field "__schema".');
      const type = await post(gw, { query: '{ __type(name: "Query") { name } }' }, { adapter });
      expect(type.body.errors?.[0]?.message).toBe('GraphQL introspection has been disabled, but the requested query contained the field "__type".');
      expect((await post(gw, { query: "{ __typename }" }, { adapter })).body).toEqual({ data: { __typename: "Query" } });
    }
  });
});

describe("persisted operations in development", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  it("runs texts, ids, and an Apollo client's text-with-hash; introspection and GraphiQL are on", async () => {
    expect((await post(gw, { query: "{ statistics { issuers } }" })).body.data).toEqual({ statistics: { issuers: anyNumber } });
    expect((await post(gw, { documentId: sha(STATISTICS) })).body.data?.statistics).toMatchObject({ users: anyNumber });
    const apollo = await post(gw, { query: "{ statistics { users } }", extensions: { persistedQuery: { version: 1, sha256Hash: hex("{ statistics { users } }") } } });
    expect(apollo.body.data).toEqual({ statistics: { users: anyNumber } });
    expect((await post(gw, { query: "{ __schema { queryType { name } } }" })).body.data).toEqual({ __schema: { queryType: { name: "Query" } } });
    const page = await fetch(`${gw.gateway.url}/graphql`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>digilocker-graphql</title>");
  });
});

describe("guessing persisted operation ids", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ RATE_LIMIT_PER_CLIENT: "3" });
  });
  afterAll(async () => {
    await gw.close();
  });

  it("charges made-up ids to the address's client budget, so guessing them meets 429", async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 5; i++) answers.push(await post(gw, { documentId: sha(`query Guess${i} { statistics { users } }`) }));
    expect(answers.slice(0, 3).map(code)).toEqual(["PERSISTED_QUERY_NOT_IN_LIST", "PERSISTED_QUERY_NOT_IN_LIST", "PERSISTED_QUERY_NOT_IN_LIST"]);
    expect(answers.slice(3).map((a) => a.status)).toEqual([429, 429]);
    expect(answers[3]?.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(code(answers[3]!)).toBe("RATE_LIMITED");
    // A known id is not charged as a guess (it runs; what it reaches is charged as any request is).
    expect(code(await post(gw, { documentId: sha(STATISTICS) }))).not.toBe("PERSISTED_QUERY_NOT_IN_LIST");
  });
});

describe("a browser app's budget", () => {
  let gw: TestGateway;
  let key: string;
  beforeAll(async () => {
    gw = await startTestGateway({ NODE_ENV: "production" });
    const { partners, database } = gw.gateway.services;
    const acme = await partners.create({ name: "Acme" });
    key = acme.key;
    await partners.setLimits(acme.partner.id, { requests: 2 });
    await new PersistedOperations({ db: database.db }).publish({ partnerId: acme.partner.id, appName: "acme-web", appVersion: "1.0.0" }, [
      { id: sha(ISSUERS), text: ISSUERS },
    ]);
  });
  afterAll(async () => {
    await gw.close();
  });

  it("counts the app's requests apart from its partner's key, at the partner's limits, and names the app's budget", async () => {
    const app = { "x-graphql-client-name": "acme-web", "x-graphql-client-version": "1.0.0", authorization: `Bearer ${gw.token()}` };
    const first = await post(gw, { documentId: sha(ISSUERS) }, { headers: app });
    expect(first.body).toEqual({ data: { viewer: { name: anyString } } });
    // viewer { name } may make two DigiLocker calls: the app's calls budget, the partner's default, is charged too.
    expect(first.headers.get("ratelimit-policy")).toBe('"app-requests";q=2;w=60, "app-digilocker-calls";q=1200;w=60');
    expect(first.headers.get("ratelimit")).toMatch(/^"app-requests";r=1;t=\d+, "app-digilocker-calls";r=1198;t=\d+$/);
    expect((await post(gw, { documentId: sha(ISSUERS) }, { headers: app, adapter: true })).status).toBe(200);
    const third = await post(gw, { documentId: sha(ISSUERS) }, { headers: app });
    expect(third.status).toBe(429);
    expect(third.body.errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED", budget: "app-requests", limit: 2 });
    expect(third.body.errors?.[0]?.message).toMatch(/^Too many requests from the app "acme-web": the limit is 2 per 60 s\. Try again in \d+ s\.$/);
    // The partner's key has a budget of its own.
    const withKey = await post(gw, { documentId: sha(ISSUERS) }, { headers: { "x-api-key": key, authorization: app.authorization } });
    expect(withKey.status).toBe(200);
    expect(withKey.headers.get("ratelimit-policy")).toBe('"partner-requests";q=2;w=60, "partner-digilocker-calls";q=1200;w=60');
  });
});
