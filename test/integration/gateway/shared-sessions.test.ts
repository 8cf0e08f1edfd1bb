// Two gateway instances sharing the real Redis on 127.0.0.1:6379 (.ci/run starts one): instance A with the
// embedded sandbox, instance B pointed at A's sandbox as if it were DigiLocker. Sessions, consent requests and
// sign-in states made on one are used on the other; what Redis holds is encrypted. Consent requests are rows in
// the database, so their pair also shares one PostgreSQL schema (DATABASE_URL). Every test starts its own pair
// (no beforeAll), so a missing Redis or PostgreSQL fails each test rather than skipping it.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, expect, it, onTestFinished } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { startGateway, type Gateway } from "../../../src/server/gateway.js";
import { RedisStore, Vault } from "../../../src/store/index.js";
import { Browser, parseConsentForm } from "../../helpers/consent.js";
import { createTestSchema } from "../../helpers/databases.js";
import { AJIT, PRIYA, startTestGateway, type GraphQLResult, type TestGateway } from "../../helpers/gateway.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

const REDIS_URL = "redis://127.0.0.1:6379";
/** The gateway's fixed key prefix (RedisStore's default). */
const PREFIX = "dlg:";
const PARTNER_ORIGIN = "https://partner.example.in";

const admin = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
admin.on("error", () => undefined); // each command's own rejection says what went wrong
afterAll(() => {
  admin.disconnect();
});

const newSecret = () => randomBytes(36).toString("base64url");

interface Pair {
  a: TestGateway;
  b: Gateway;
  secret: string;
  /** Forget these at the end of the test: [vault namespace, id] under `secret`. */
  owned: [string, string][];
}

/**
 * A (embedded sandbox) and B (A's sandbox as its DigiLocker) on one Redis; closed, and their keys removed, when the
 * test ends. `shared` adds settings to both (one DATABASE_URL, one REDIS_KEY_PREFIX).
 */
async function startPair(options: { bSecret?: string; aEnv?: Record<string, string>; shared?: Record<string, string> } = {}): Promise<Pair> {
  const secret = newSecret();
  const env = { REDIS_URL, ALLOWED_REDIRECT_ORIGINS: PARTNER_ORIGIN, ...options.shared };
  const a = await startTestGateway({ ...env, SESSION_SECRET: secret, ...options.aEnv });
  const owned: [string, string][] = [];
  onTestFinished(async () => {
    await a.close();
    await forget(secret, owned);
  });
  const b = await startGateway(
    loadConfig({ DATA_DIR: "memory",
      ...env,
      PORT: "0",
      LOG_LEVEL: "silent",
      DIGILOCKER_MAX_RETRIES: "0",
      SESSION_SECRET: options.bSecret ?? secret,
      DIGILOCKER_BASE_URL: a.sandbox.baseUrl,
      DIGILOCKER_CLIENT_ID: a.sandbox.clientId,
      DIGILOCKER_CLIENT_SECRET: a.sandbox.clientSecret,
      DIGILOCKER_JWKS_URL: `${a.sandbox.origin}/.well-known/jwks.json`,
      DIGILOCKER_ID_TOKEN_ISSUER: a.sandbox.origin,
    }),
  );
  onTestFinished(() => b.close());
  // B's public URL is http://localhost:<its port>, like A's: register its callback as DigiLocker's portal would.
  a.sandbox.registerRedirectUri(`http://localhost:${new URL(b.url).port}/auth/callback`);
  return { a, b, secret, owned };
}

/**
 * Deletes what a test left in Redis, by the ids it knows (never by pattern: another gateway may share this Redis).
 * The namespaces are the auth layer's (src/auth/sessions.ts, consent-requests.ts); the Vault maps them to keys.
 */
async function forget(secret: string, owned: [string, string][]): Promise<void> {
  if (owned.length === 0) return;
  const store = await RedisStore.connect({ url: REDIS_URL, keyPrefix: PREFIX });
  try {
    const vault = new Vault(store, secret);
    for (const [namespace, id] of owned) await vault.delete(namespace, id);
  } finally {
    await store.close();
  }
}

/** The session id in a `dlg_session=<id>` cookie. */
const sessionIdOf = (cookie: string) => cookie.slice(cookie.indexOf("=") + 1);

/** A GraphQL request to any gateway, as TestGateway.query makes them. */
async function query<T>(
  url: string,
  document: string,
  options: { cookie?: string; variables?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Promise<GraphQLResult<T>> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json", ...options.headers };
  if (options.cookie !== undefined) headers.cookie = options.cookie;
  const res = await fetch(`${url}/graphql`, { method: "POST", headers, body: JSON.stringify({ query: document, variables: options.variables ?? {} }) });
  const body = (await res.json()) as Omit<GraphQLResult<T>, "status" | "headers">;
  return { status: res.status, headers: res.headers, ...body };
}

/** Signs in on A and records the session for cleanup. */
async function signInOnA(pair: Pair, userId = AJIT): Promise<string> {
  const { cookie } = await signInThroughGateway(pair.a, { userId });
  if (cookie === null) throw new Error("no session cookie from A");
  pair.owned.push(["session", sessionIdOf(cookie)]);
  return cookie;
}

/** Drives a sign-in from `start` through DigiLocker's consent page up to, not including, the gateway callback. */
async function untilCallback(pair: Pair, start: string): Promise<{ browser: Browser; callbackUrl: URL }> {
  const browser = new Browser();
  let url = start;
  let page = await browser.get(url);
  while (page.status === 303 || page.status === 302) {
    url = new URL(page.headers.get("location") ?? "", url).toString();
    page = await browser.get(url);
  }
  const form = parseConsentForm(await page.text());
  const body = new URLSearchParams({ request_id: form.requestId, user: AJIT, decision: "allow" });
  for (const s of form.scopes.filter((c) => c.checked)) body.append("scope", s.scope);
  const answer = await browser.post(new URL(form.action, pair.a.sandbox.origin), body);
  expect(answer.status).toBe(302);
  return { browser, callbackUrl: new URL(answer.headers.get("location") ?? "") };
}

/** The same path and query on another instance. */
const on = (gatewayUrl: string, url: URL) => `${gatewayUrl}${url.pathname}${url.search}`;

function sessionExpired(res: GraphQLResult<unknown>): void {
  expect(res.errors?.[0]?.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "session_expired" });
}

/** Every key under the gateway's prefix, and the string values among them (SCAN, not KEYS: a shared server). */
async function redisContents(): Promise<Map<string, string | null>> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await admin.scan(cursor, "MATCH", `${PREFIX}*`, "COUNT", 200);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== "0");
  const contents = new Map<string, string | null>();
  for (let i = 0; i < keys.length; i += 200) {
    const batch = keys.slice(i, i + 200);
    const values = await admin.mget(...batch);
    batch.forEach((key, j) => contents.set(key, values[j] ?? null));
  }
  return contents;
}

/** Deletes every key under a prefix only this test used (SCAN, not KEYS: a shared server). */
async function removePrefix(prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, batch] = await admin.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 200);
    if (batch.length > 0) await admin.del(...batch);
    cursor = next;
  } while (cursor !== "0");
}

const VIEWER = `{ viewer { digilockerId name identity { name } } }`;
type Viewer = { viewer: { digilockerId: string | null; name: string | null; identity: { name: string | null } | null } | null };

it("a session made on A is used on B, and signing out on B ends it on A", async () => {
  const pair = await startPair();
  const { a, b } = pair;
  const cookie = await signInOnA(pair);
  const ajit = a.sandbox.state.users.get(AJIT);

  const onA = await a.query<Viewer>(VIEWER, { cookie });
  expect(onA.errors).toBeUndefined();
  const onB = await query<Viewer>(b.url, VIEWER, { cookie });
  expect(onB.errors).toBeUndefined();
  expect(onB.data?.viewer).toEqual({ digilockerId: AJIT, name: ajit?.name, identity: { name: ajit?.name } });
  expect(onB.data).toEqual(onA.data);

  const grantsBefore = [...a.sandbox.state.grants.values()].filter((g) => !g.revoked).length;
  const out = await query<{ signOut: { signedOut: boolean } }>(b.url, `mutation { signOut { signedOut } }`, { cookie });
  expect(out.data?.signOut.signedOut).toBe(true);
  expect(out.headers.getSetCookie().join()).toMatch(/dlg_session=;.*Max-Age=0/);
  // B revoked the tokens at DigiLocker (A's sandbox).
  expect([...a.sandbox.state.grants.values()].filter((g) => !g.revoked).length).toBe(grantsBefore - 1);

  sessionExpired(await a.query<Viewer>(VIEWER, { cookie }));
  expect((await a.query<{ session: unknown }>(`{ session { signedInAt } }`, { cookie })).data?.session).toBeNull();
});

it("a consent request made on A with a partner's key is completed through B and read on A; only its partner reads it", async () => {
  // One database and one Redis namespace for both instances, dropped and removed when the test ends.
  const schema = await createTestSchema();
  onTestFinished(() => schema.drop());
  const prefix = `test:consent:${randomBytes(6).toString("hex")}:`;
  onTestFinished(() => removePrefix(prefix));
  const pair = await startPair({ shared: { DATABASE_URL: schema.url, REDIS_KEY_PREFIX: prefix } });
  const { a, b } = pair;
  const scopes = ["consent-requests:create", "consent-requests:read", "consent-requests:revoke"];
  const acme = await a.gateway.services.partners.create({ name: "Acme KYC", scopes, redirectOrigins: [PARTNER_ORIGIN] });
  // Made on A, authenticated by B from the shared database.
  const bank = await a.gateway.services.partners.create({ name: "Bank", scopes, redirectOrigins: ["https://bank.example.in"] });
  const asAcme = { "x-api-key": acme.key };
  const asBank = { "x-api-key": bank.key };

  const fields = `id status url partnerId user { name }`;
  type Request = { id: string; status: string; url: string; partnerId: string | null; user: { name: string | null } | null };
  const created = await query<{ createConsentRequest: Request }>(
    a.gateway.url,
    `mutation { createConsentRequest(input: { redirectUrl: "${PARTNER_ORIGIN}/done" }) { ${fields} } }`,
    { headers: asAcme },
  );
  expect(created.errors).toBeUndefined();
  const request = created.data?.createConsentRequest;
  if (!request) throw new Error("no consent request");
  expect(request).toMatchObject({ status: "UNAUTHENTICATED", partnerId: acme.partner.id, user: null });
  const read = (url: string, headers = asAcme) =>
    query<{ consentRequest: Request | null }>(url, `query ($id: ID!) { consentRequest(id: $id) { ${fields} } }`, { variables: { id: request.id }, headers });

  const aPort = new URL(a.gateway.url).port;
  const bPort = new URL(b.url).port;
  const link = new URL(request.url).pathname;
  expect(request.url).toBe(`http://localhost:${aPort}${link}`);
  // Each instance gives the link on its own public URL (one PUBLIC_URL behind a load balancer in production).
  const onB = (await read(b.url)).data?.consentRequest;
  expect(onB).toEqual({ ...request, url: `http://localhost:${bPort}${link}` });

  // The user's browser goes through B: its link, its callback.
  const followed = await signInThroughGateway(a, { start: onB?.url ?? "", userId: PRIYA });
  expect(followed.callbackUrl.origin).toBe(`http://localhost:${bPort}`);
  expect(followed.callback.status).toBe(303);
  expect(followed.location).toBe(`${PARTNER_ORIGIN}/done?success=true&id=${request.id}`);

  // Read on A: the row from the database, the session (found through Redis) made by B.
  const onA = (await read(a.gateway.url)).data?.consentRequest;
  expect(onA).toEqual({ ...request, status: "AUTHENTICATED", user: { name: "Priya Sharma" } });
  expect((await read(b.url)).data?.consentRequest).toEqual({ ...onA, url: onB?.url });
  // Another partner's key reads nothing, on either instance: NOT_FOUND, as for an id nobody has.
  for (const url of [a.gateway.url, b.url]) {
    const other = await read(url, asBank);
    expect(other.errors?.map((e) => e.extensions)).toEqual([{ code: "NOT_FOUND", reason: "consent_request_not_found" }]);
    expect(other.data).toEqual({ consentRequest: null });
  }

  // Revoked on B: its session (and tokens) go, which A sees too.
  const grantsLive = [...a.sandbox.state.grants.values()].filter((g) => !g.revoked).length;
  const revoked = await query<{ revokeConsentRequest: Request }>(b.url, `mutation ($id: ID!) { revokeConsentRequest(id: $id) { ${fields} } }`, {
    variables: { id: request.id },
    headers: asAcme,
  });
  expect(revoked.data?.revokeConsentRequest).toMatchObject({ status: "REVOKED", user: null });
  expect([...a.sandbox.state.grants.values()].filter((g) => !g.revoked).length).toBe(grantsLive - 1);
  expect((await read(a.gateway.url)).data?.consentRequest).toMatchObject({ status: "REVOKED", user: null });
});

it("B with another SESSION_SECRET cannot open A's sessions, and Redis holds neither tokens nor session ids", async () => {
  const before = new Set((await redisContents()).keys());
  const pair = await startPair({ bSecret: newSecret(), aEnv: { DIGILOCKER_TOKEN_ENDPOINT: "v1" } });
  const { a, b } = pair;
  const grantsBefore = new Set(a.sandbox.state.grants.keys());
  const cookie = await signInOnA(pair);
  const sessionId = sessionIdOf(cookie);
  const grant = [...a.sandbox.state.grants.values()].find((g) => !grantsBefore.has(g.id));
  const secrets = [
    ...[...a.sandbox.state.accessTokens.values()].filter((t) => t.grantId === grant?.id).map((t) => t.token),
    ...[...a.sandbox.state.refreshTokens.values()].filter((t) => t.grantId === grant?.id).map((t) => t.token),
  ];
  expect(secrets).toHaveLength(2); // v1: an access and a refresh token

  sessionExpired(await query<Viewer>(b.url, VIEWER, { cookie }));
  expect((await query<{ session: unknown }>(b.url, `{ session { signedInAt } }`, { cookie })).data?.session).toBeNull();
  // B's failed read left the session alone: A still opens it.
  expect((await a.query<Viewer>(VIEWER, { cookie })).data?.viewer?.digilockerId).toBe(AJIT);

  const contents = await redisContents();
  const added = [...contents.keys()].filter((key) => !before.has(key));
  expect(added.length).toBeGreaterThan(0);
  const name = a.sandbox.state.users.get(AJIT)?.name ?? "";
  for (const [key, value] of contents) {
    for (const secret of [...secrets, sessionId]) {
      expect(key.includes(secret), `key ${key}`).toBe(false);
      expect(value?.includes(secret) ?? false, `value of ${key}`).toBe(false);
    }
  }
  // Not even the account (v1 sends it with the tokens) is readable at rest.
  for (const key of added) expect(contents.get(key)?.includes(name) ?? false, key).toBe(false);
});

it("a sign-in state is single-use across instances", async () => {
  const pair = await startPair();
  const { a, b } = pair;
  const start = `${a.gateway.url}/auth/sign-in?returnTo=/graphql`;

  // Completed on A, replayed on B.
  const first = await untilCallback(pair, start);
  const onA = await first.browser.get(first.callbackUrl);
  expect(onA.status).toBe(303);
  const cookie = onA.headers.getSetCookie().find((line) => line.startsWith("dlg_session="));
  expect(cookie).toBeDefined();
  pair.owned.push(["session", sessionIdOf(cookie?.split(";")[0] ?? "")]);
  const replayOnB = await new Browser().get(on(b.url, first.callbackUrl));
  expect(replayOnB.status).toBe(400);
  expect(await replayOnB.text()).toMatch(/already completed/);
  expect(replayOnB.headers.getSetCookie()).toEqual([]);

  // The other way round, which also shows B can read a state A made: completed on B, replayed on A.
  const second = await untilCallback(pair, start);
  const onB = await second.browser.get(on(b.url, second.callbackUrl));
  expect(onB.status).toBe(303);
  const bCookie = onB.headers.getSetCookie().find((line) => line.startsWith("dlg_session="))?.split(";")[0];
  if (bCookie === undefined) throw new Error("no session cookie from B");
  pair.owned.push(["session", sessionIdOf(bCookie)]);
  expect((await a.query<Viewer>(VIEWER, { cookie: bCookie })).data?.viewer?.digilockerId).toBe(AJIT);
  const replayOnA = await new Browser().get(second.callbackUrl);
  expect(replayOnA.status).toBe(400);
  expect(replayOnA.headers.getSetCookie()).toEqual([]);
});
