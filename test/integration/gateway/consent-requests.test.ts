// The partner flow over real HTTP, as partner backends see it: createConsentRequest with an API key, one redirect
// of the user's browser through DigiLocker's consent page, then consentRequest(id) with the same key for the status
// and the documents. Ownership (another partner's key reads nothing, exactly as for an unknown id), the browser link
// that is not the id, redirect origins per partner, races between a revocation and the completing callback, denial,
// expiry, bad input, and development mode (no partner registered: no key, the global allowlist).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { BACKENDS, gatewayDatabase } from "../../helpers/databases.js";
import { AJIT, PRIYA, startTestGateway, type GraphQLResult, type TestGateway } from "../../helpers/gateway.js";
import { Browser, followToCallback, parseConsentForm } from "../../helpers/consent.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

const PARTNER_ORIGIN = "https://partner.example.in";
const BANK_ORIGIN = "https://bank.example.in";
/** On ALLOWED_REDIRECT_ORIGINS: for development mode and the gateway's own sign-in, never for a partner. */
const GLOBAL_ORIGIN = "https://global.example.in";
const REDIRECT = `${PARTNER_ORIGIN}/done?sessionId=XYZ`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CONSENT_SCOPES = ["consent-requests:create", "consent-requests:read", "consent-requests:revoke"];

const FIELDS = `id status url redirectUrl validUntil createdAt authenticatedAt revokedAt partnerId requestedDocTypes purpose
  lastError { code message }
  user { name identity { name maskedAadhaar } issuedDocuments { name } }`;
const CREATE = `mutation ($input: CreateConsentRequestInput!) { createConsentRequest(input: $input) { ${FIELDS} } }`;
const READ = `query ($id: ID!) { consentRequest(id: $id) { ${FIELDS} } }`;
const REVOKE = `mutation ($id: ID!) { revokeConsentRequest(id: $id) { ${FIELDS} } }`;

interface ConsentRequest {
  id: string;
  status: "UNAUTHENTICATED" | "AUTHENTICATED" | "REVOKED" | "EXPIRED";
  url: string;
  redirectUrl: string;
  validUntil: string;
  createdAt: string;
  authenticatedAt: string | null;
  revokedAt: string | null;
  partnerId: string | null;
  requestedDocTypes: string[] | null;
  purpose: string | null;
  lastError: { code: string; message: string } | null;
  user: {
    name: string | null;
    identity: { name: string | null; maskedAadhaar: string | null } | null;
    issuedDocuments: { name: string }[] | null;
  } | null;
}

type Client = ReturnType<typeof client>;

/** What a partner backend calls: only GraphQL, with its key in X-API-Key (none: development mode). */
function client(t: TestGateway, key: string | null) {
  const headers: Record<string, string> = key === null ? {} : { "x-api-key": key };
  return {
    create: (input: Record<string, unknown>) => t.query<{ createConsentRequest: ConsentRequest | null }>(CREATE, { variables: { input }, headers }),
    async created(input: Record<string, unknown> = {}): Promise<ConsentRequest> {
      const res = await this.create({ redirectUrl: REDIRECT, ...input });
      expect(res.errors).toBeUndefined();
      const request = res.data?.createConsentRequest;
      if (!request) throw new Error("no consent request");
      return request;
    },
    read: (id: string) => t.query<{ consentRequest: ConsentRequest | null }>(READ, { variables: { id }, headers }),
    async status(id: string): Promise<ConsentRequest> {
      const res = await this.read(id);
      expect(res.errors).toBeUndefined();
      const request = res.data?.consentRequest;
      if (!request) throw new Error(`consent request ${id} not found`);
      return request;
    },
    revoke: (id: string) => t.query<{ revokeConsentRequest: ConsentRequest | null }>(REVOKE, { variables: { id }, headers }),
  };
}

async function partner(t: TestGateway, name: string, redirectOrigins: string[], scopes = CONSENT_SCOPES) {
  const { partner: p, key } = await t.gateway.services.partners.create({ name, scopes, redirectOrigins });
  return { id: p.id, key, api: client(t, key) };
}

/** The user's browser following the consent request's url through DigiLocker; the gateway's answer to the callback. */
async function follow(t: TestGateway, url: string, options: { userId?: string; decision?: "allow" | "deny" } = {}) {
  const before = new Set(t.sandbox.state.grants.keys());
  const result = await signInThroughGateway(t, { start: url, userId: options.userId ?? AJIT, decision: options.decision ?? "allow" });
  const grant = [...t.sandbox.state.grants.values()].find((g) => !before.has(g.id)) ?? null;
  return { ...result, grant };
}

/** A browser opening a link that should not reach DigiLocker: the gateway's own answer. */
function open(url: string): Promise<Response> {
  return new Browser().get(url);
}

function redirectParams(location: string | null, origin = PARTNER_ORIGIN): Record<string, string> {
  if (location === null) throw new Error("no redirect");
  const url = new URL(location);
  expect(`${url.origin}${url.pathname}`).toBe(`${origin}/done`);
  return Object.fromEntries(url.searchParams);
}

/** The whole answer as a client reads it (locations left out), to compare two answers field by field. */
function answer(res: GraphQLResult<unknown>) {
  return { status: res.status, data: res.data, errors: res.errors?.map(({ message, path, extensions }) => ({ message, path, extensions })) };
}

function onlyError(res: GraphQLResult<unknown>) {
  expect(res.errors).toHaveLength(1);
  return res.errors?.[0];
}

/** Every token DigiLocker (the sandbox) issued under a grant, and whether each is revoked. */
function tokensOf(t: TestGateway, grantId: string | undefined) {
  const { accessTokens, refreshTokens } = t.sandbox.state;
  return [...accessTokens.values(), ...refreshTokens.values()].filter((x) => x.grantId === grantId);
}

const ms = (iso: string | null | undefined) => (iso == null ? Number.NaN : Date.parse(iso));

const NOT_FOUND = {
  status: 200,
  data: null,
  errors: [{ message: "No consent request has this id", path: ["revokeConsentRequest"], extensions: { code: "NOT_FOUND", reason: "consent_request_not_found" } }],
};
/** consentRequest(id) for an id that is not the reader's: the same error, the field null. */
const READ_NOT_FOUND = {
  status: 200,
  data: { consentRequest: null },
  errors: [{ message: "No consent request has this id", path: ["consentRequest"], extensions: { code: "NOT_FOUND", reason: "consent_request_not_found" } }],
};

describe.each(BACKENDS)("consent requests owned by partners (%s)", (backend) => {
  let t: TestGateway;
  let database: Awaited<ReturnType<typeof gatewayDatabase>>;
  let acme: Awaited<ReturnType<typeof partner>>;
  let bank: Awaited<ReturnType<typeof partner>>;
  beforeAll(async () => {
    database = await gatewayDatabase(backend);
    // No per-address budget: every test here comes from 127.0.0.1, and the races open many links.
    t = await startTestGateway({ ALLOWED_REDIRECT_ORIGINS: GLOBAL_ORIGIN, RATE_LIMIT_WRITES_PER_CLIENT: "0", ...database.env });
    acme = await partner(t, "Acme KYC", [PARTNER_ORIGIN]);
    bank = await partner(t, "Bank", [BANK_ORIGIN]);
    // The first query starts the in-memory database (seconds, more under a loaded machine).
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await database.drop();
  });

  it("created with a key, completed in a browser, read with the key; the other partner's key reads null; the owner's revocation ends the access", async () => {
    const created = await acme.api.created({ requestedDocTypes: ["PANCR"], purpose: "KYC" });
    const port = new URL(t.gateway.url).port;
    expect(created.id).toMatch(UUID);
    expect(created.url).toMatch(new RegExp(`^http://localhost:${port}/auth/consent/[A-Za-z0-9_-]{43}$`));
    expect(Math.abs(ms(created.createdAt) - t.clock.epoch())).toBeLessThan(5_000);
    expect(created).toEqual({
      id: created.id,
      status: "UNAUTHENTICATED",
      url: created.url,
      redirectUrl: REDIRECT,
      validUntil: new Date(ms(created.createdAt) + 3_600_000).toISOString(),
      createdAt: created.createdAt,
      authenticatedAt: null,
      revokedAt: null,
      partnerId: acme.id,
      requestedDocTypes: ["PANCR"],
      purpose: "KYC",
      lastError: null,
      user: null,
    });
    expect(created.url).not.toContain(created.id);
    expect(created.url).not.toContain(created.id.replaceAll("-", ""));

    const { callback, location, cookie, grant } = await follow(t, created.url, { userId: PRIYA });
    expect(callback.status).toBe(303);
    // The redirect back to the partner carries the id: reading it needs the partner's key.
    expect(location).toBe(`${REDIRECT}&success=true&id=${created.id}`);
    expect(cookie).toBeNull();

    const done = await acme.api.status(created.id);
    const bearer = await t.query<{ viewer: { issuedDocuments: { name: string }[] } }>(`{ viewer { issuedDocuments { name } } }`, { token: t.token(PRIYA) });
    expect(done).toMatchObject({ status: "AUTHENTICATED", partnerId: acme.id, lastError: null, user: { name: "Priya Sharma", identity: { name: "Priya Sharma" } } });
    expect(ms(done.authenticatedAt)).toBeGreaterThanOrEqual(ms(created.createdAt));
    expect(done.user?.issuedDocuments).toEqual(bearer.data?.viewer.issuedDocuments);
    expect(done.user?.issuedDocuments?.length).toBeGreaterThan(0);

    // Another partner's key: NOT_FOUND, as for an id nobody has; without a key (partners exist): refused.
    expect(answer(await bank.api.read(created.id))).toEqual(READ_NOT_FOUND);
    const keyless = await client(t, null).read(created.id);
    expect(keyless.data).toEqual({ consentRequest: null });
    expect(onlyError(keyless)?.extensions).toEqual({ code: "FORBIDDEN", scope: "consent-requests:read" });

    // Nothing in the database is a session id or a token.
    const view = await t.gateway.services.auth.consentRequests.get(created.id, acme.id);
    const sessionId = view?.sessionId;
    if (!sessionId) throw new Error("the request has no session");
    const row = JSON.stringify(await t.gateway.services.database.db.selectFrom("consent_requests").selectAll().where("id", "=", created.id).executeTakeFirst());
    const secrets = [sessionId, ...tokensOf(t, grant?.id).map((x) => x.token)];
    expect(secrets.length).toBeGreaterThanOrEqual(2);
    for (const secret of secrets) {
      expect(row).not.toContain(secret);
      expect(created.url).not.toContain(secret);
      expect(location).not.toContain(secret);
    }

    const revoked = await acme.api.revoke(created.id);
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data?.revokeConsentRequest).toMatchObject({ id: created.id, status: "REVOKED", user: null });
    expect(grant?.revoked).toBe(true);
    expect(tokensOf(t, grant?.id).every((x) => x.revoked)).toBe(true);
    expect(await acme.api.status(created.id)).toMatchObject({ status: "REVOKED", user: null, revokedAt: revoked.data?.revokeConsentRequest?.revokedAt });
    const link = await open(created.url);
    expect(link.status).toBe(303);
    expect(redirectParams(link.headers.get("location"))).toMatchObject({ success: "false", id: created.id, errCode: "consent_request_closed" });
  });

  it("another partner reading, revoking or guessing a request is answered exactly as for a random id, and changes nothing", async () => {
    const created = await acme.api.created();
    const random = randomUUID();
    expect(answer(await bank.api.read(created.id))).toEqual(answer(await bank.api.read(random)));
    expect(answer(await bank.api.read(created.id))).toEqual(READ_NOT_FOUND);
    expect(answer(await bank.api.revoke(created.id))).toEqual(answer(await bank.api.revoke(random)));
    expect(answer(await bank.api.revoke(created.id))).toEqual(NOT_FOUND);
    // Guessing: a handful of random ids, all nothing.
    for (let i = 0; i < 5; i++) expect(answer(await bank.api.read(randomUUID()))).toEqual(READ_NOT_FOUND);
    // The owner's request is untouched, and its link still starts a consent.
    expect(await acme.api.status(created.id)).toMatchObject({ status: "UNAUTHENTICATED", revokedAt: null });
    expect((await open(created.url)).status).toBe(303);
    // The owner gets the same answers for an id that is not its own.
    expect(answer(await acme.api.revoke(random))).toEqual(NOT_FOUND);
  });

  it("the browser link is not the id: the id opens no consent page, and nothing malformed is a 500", async () => {
    const created = await acme.api.created();
    const link = new URL(created.url).pathname.slice("/auth/consent/".length);
    expect(link).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link).not.toBe(created.id);
    for (const path of [
      created.id,
      created.id.toUpperCase(),
      `${link}x`,
      link.slice(1),
      `${link}/`,
      `${link}%00`,
      "%E0%A4%A",
      "%3Cscript%3E",
      "a".repeat(4_000),
      "",
    ]) {
      const res = await open(`${t.gateway.url}/auth/consent/${path}`);
      expect(res.status, path.slice(0, 60)).toBe(404);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(await res.text()).toContain("This consent link is not known or has been deleted. Ask the application for a new one.");
    }
    // The real link starts the consent.
    const res = await open(created.url);
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get("location") ?? "").origin).toBe(t.sandbox.origin);
  });

  it("redirectUrl must be on the partner's own origins: another partner's, the allowlist's and the gateway's are refused", async () => {
    const notOurs = (origin: string) =>
      `redirectUrl points at ${origin}, which is not one of this partner's redirect origins (${PARTNER_ORIGIN}); ` +
      `ask the gateway's operator to add it: \`npm run partner -- set-origins ${acme.id} <all its origins, comma-separated>\` (the list is replaced)`;
    const cases: [string, string][] = [
      [`${BANK_ORIGIN}/done`, notOurs(BANK_ORIGIN)],
      [`${GLOBAL_ORIGIN}/done`, notOurs(GLOBAL_ORIGIN)],
      [`${t.gateway.url}/graphql`, notOurs(t.gateway.url)],
      ["http://partner.example.in/done", notOurs("http://partner.example.in")],
      ["https://partner.example.in:8443/done", notOurs("https://partner.example.in:8443")],
      ["https://partner.example.in.evil.example/", notOurs("https://partner.example.in.evil.example")],
      ["/graphql", "redirectUrl must be an absolute http(s) URL on one of this partner's redirect origins"],
      ["//evil.example/done", "redirectUrl must be an absolute http(s) URL on one of this partner's redirect origins"],
      ["javascript:alert(1)", "redirectUrl must be an http(s) URL"],
      ["https://user:pw@partner.example.in/done", "redirectUrl must not carry credentials"],
    ];
    for (const [redirectUrl, message] of cases) {
      const res = await acme.api.create({ redirectUrl });
      expect(res.data, redirectUrl).toBeNull();
      expect(onlyError(res), redirectUrl).toMatchObject({ message, extensions: { code: "BAD_USER_INPUT", reason: "redirect_not_allowed", field: "redirectUrl" } });
    }
    const count = await t.gateway.services.database.db.selectFrom("consent_requests").select((eb) => eb.fn.countAll<string>().as("n")).where("partner_id", "=", acme.id).executeTakeFirst();
    // On its origin, however it is spelled: accepted as the browser will go there.
    const accepted = await acme.api.created({ redirectUrl: "  HTTPS://Partner.Example.in:443/done?ref=1#top " });
    expect(accepted.redirectUrl).toBe(`${PARTNER_ORIGIN}/done?ref=1#top`);
    const after = await t.gateway.services.database.db.selectFrom("consent_requests").select((eb) => eb.fn.countAll<string>().as("n")).where("partner_id", "=", acme.id).executeTakeFirst();
    expect(Number(after?.n)).toBe(Number(count?.n) + 1);
    // The other partner may use its own origin.
    expect((await bank.api.created({ redirectUrl: `${BANK_ORIGIN}/done` })).redirectUrl).toBe(`${BANK_ORIGIN}/done`);
  });

  it("a partner without redirect origins is told to ask the operator, and can create once they are set", async () => {
    const bare = await partner(t, "No Origins Yet", []);
    const res = await bare.api.create({ redirectUrl: REDIRECT });
    expect(res.data).toBeNull();
    expect(onlyError(res)).toMatchObject({
      message: `this partner has no redirect origins registered, so its consent requests cannot send users anywhere: ask the gateway's operator to run \`npm run partner -- set-origins ${bare.id} https://your-app.example\``,
      extensions: { code: "BAD_USER_INPUT", reason: "no_redirect_origins", field: "redirectUrl" },
    });
    await t.gateway.services.partners.setRedirectOrigins(bare.id, [PARTNER_ORIGIN]);
    expect((await bare.api.created()).partnerId).toBe(bare.id);
  });

  it("each root field needs its scope, even for the partner's own requests", async () => {
    const creator = await partner(t, "Creates Only", [PARTNER_ORIGIN], ["consent-requests:create"]);
    const created = await creator.api.created();
    const read = await creator.api.read(created.id);
    expect(read.data).toEqual({ consentRequest: null });
    expect(onlyError(read)?.extensions).toEqual({ code: "FORBIDDEN", scope: "consent-requests:read" });
    const revoke = await creator.api.revoke(created.id);
    expect(revoke.data).toBeNull();
    expect(onlyError(revoke)?.extensions).toEqual({ code: "FORBIDDEN", scope: "consent-requests:revoke" });
    const reader = await partner(t, "Reads Only", [PARTNER_ORIGIN], ["consent-requests:read"]);
    const create = await reader.api.create({ redirectUrl: REDIRECT });
    expect(create.data).toBeNull();
    expect(onlyError(create)?.extensions).toEqual({ code: "FORBIDDEN", scope: "consent-requests:create" });
  });

  it("reports a denial to redirectUrl and stays open, so the user can try again", async () => {
    const created = await acme.api.created();
    const denied = await follow(t, created.url, { decision: "deny" });
    expect(denied.callback.status).toBe(303);
    const params = redirectParams(denied.location);
    expect(params).toEqual({
      sessionId: "XYZ",
      success: "false",
      id: created.id,
      errCode: "access_denied",
      errMessage: "The user did not give consent on DigiLocker",
    });
    expect(await acme.api.status(created.id)).toMatchObject({
      status: "UNAUTHENTICATED",
      user: null,
      lastError: { code: "access_denied", message: "The user did not give consent on DigiLocker" },
    });

    const allowed = await follow(t, created.url);
    expect(redirectParams(allowed.location)).toEqual({ sessionId: "XYZ", success: "true", id: created.id });
    expect(await acme.api.status(created.id)).toMatchObject({ status: "AUTHENTICATED", lastError: null, user: { name: "Ajit Kumar" } });
  });

  it("revokes a request nobody has used yet; revoking twice keeps the first revokedAt", async () => {
    const created = await acme.api.created();
    const first = await acme.api.revoke(created.id);
    expect(first.data?.revokeConsentRequest).toMatchObject({ status: "REVOKED", user: null });
    const twice = await acme.api.revoke(created.id);
    expect(twice.data?.revokeConsentRequest?.revokedAt).toBe(first.data?.revokeConsentRequest?.revokedAt);
    const link = await open(created.url);
    expect(redirectParams(link.headers.get("location"))).toMatchObject({ success: "false", id: created.id, errCode: "consent_request_closed" });
  });

  it("a revocation racing the completing callback ends REVOKED with the tokens revoked, whichever commits first", async () => {
    // The revocation sent later and later, so the callback (a code exchange, then the row) wins some rounds.
    for (const delayMs of [0, 0, 5, 20, 60, 150]) {
      const created = await acme.api.created();
      const grantsBefore = new Set(t.sandbox.state.grants.keys());
      const { browser, callbackUrl } = await followToCallback(t.sandbox, created.url, { userId: AJIT });
      const later = new Promise((resolve) => setTimeout(resolve, delayMs)).then(() => acme.api.revoke(created.id));
      const [callback, revoked] = await Promise.all([browser.get(callbackUrl), later]);
      expect(callback.status).toBe(303);
      const params = redirectParams(callback.headers.get("location"));
      expect([`success=${params.success}`, params.errCode ?? null]).toEqual(params.success === "true" ? ["success=true", null] : ["success=false", "consent_request_closed"]);
      expect(revoked.data?.revokeConsentRequest?.status).toBe("REVOKED");
      expect(await acme.api.status(created.id)).toMatchObject({ status: "REVOKED", user: null });
      // The code was exchanged whoever won: those tokens are dead either way.
      const grant = [...t.sandbox.state.grants.values()].find((g) => !grantsBefore.has(g.id));
      expect(grant?.revoked, `revocation after ${delayMs} ms`).toBe(true);
      expect(tokensOf(t, grant?.id).every((x) => x.revoked)).toBe(true);
    }
  });

  it("a revocation landing after the callback checked the request, before it marked it: the consent does not take", async () => {
    const created = await acme.api.created();
    const grantsBefore = new Set(t.sandbox.state.grants.keys());
    const { browser, callbackUrl } = await followToCallback(t.sandbox, created.url, { userId: AJIT });
    const { sessions } = t.gateway.services.auth;
    const create = sessions.create.bind(sessions);
    // The session is made between the callback's check and its conditional UPDATE: the revocation goes in there.
    const spy = vi.spyOn(sessions, "create").mockImplementationOnce(async (...args) => {
      const session = await create(...args);
      expect((await acme.api.revoke(created.id)).data?.revokeConsentRequest?.status).toBe("REVOKED");
      return session;
    });
    try {
      const callback = await browser.get(callbackUrl);
      expect(spy).toHaveBeenCalledOnce();
      expect(redirectParams(callback.headers.get("location"))).toMatchObject({ success: "false", id: created.id, errCode: "consent_request_closed" });
    } finally {
      spy.mockRestore();
    }
    expect(await acme.api.status(created.id)).toMatchObject({ status: "REVOKED", user: null, authenticatedAt: null });
    const grant = [...t.sandbox.state.grants.values()].find((g) => !grantsBefore.has(g.id));
    expect(grant?.revoked).toBe(true);
    expect(tokensOf(t, grant?.id).every((x) => x.revoked)).toBe(true);
  });

  it("a revocation right after the consent committed finds its session and ends it", async () => {
    const created = await acme.api.created();
    const grantsBefore = new Set(t.sandbox.state.grants.keys());
    const { browser, callbackUrl } = await followToCallback(t.sandbox, created.url, { userId: AJIT });
    const { consentRequests } = t.gateway.services.auth;
    const complete = consentRequests.complete.bind(consentRequests);
    let revokedAfter: unknown;
    const spy = vi.spyOn(consentRequests, "complete").mockImplementationOnce(async (...args) => {
      const took = await complete(...args);
      revokedAfter = (await acme.api.revoke(created.id)).data?.revokeConsentRequest?.status;
      return took;
    });
    try {
      const callback = await browser.get(callbackUrl);
      expect(redirectParams(callback.headers.get("location"))).toMatchObject({ success: "true", id: created.id });
    } finally {
      spy.mockRestore();
    }
    expect(revokedAfter).toBe("REVOKED");
    const final = await acme.api.status(created.id);
    expect(final).toMatchObject({ status: "REVOKED", user: null });
    expect(final.authenticatedAt).not.toBeNull();
    const grant = [...t.sandbox.state.grants.values()].find((g) => !grantsBefore.has(g.id));
    expect(grant?.revoked).toBe(true);
    expect(tokensOf(t, grant?.id).every((x) => x.revoked)).toBe(true);
  });

  it("two browsers consenting to one request at once: one takes it, the other's tokens are revoked", async () => {
    const created = await acme.api.created();
    const grantsBefore = new Set(t.sandbox.state.grants.keys());
    const first = await followToCallback(t.sandbox, created.url, { userId: AJIT });
    const second = await followToCallback(t.sandbox, created.url, { userId: PRIYA });
    const answers = await Promise.all([first.browser.get(first.callbackUrl), second.browser.get(second.callbackUrl)]);
    const outcomes = answers.map((res) => redirectParams(res.headers.get("location")).success).sort();
    expect(outcomes).toEqual(["false", "true"]);
    const done = await acme.api.status(created.id);
    expect(done.status).toBe("AUTHENTICATED");
    const grants = [...t.sandbox.state.grants.values()].filter((g) => !grantsBefore.has(g.id));
    expect(grants).toHaveLength(2);
    const winner = grants.find((g) => t.sandbox.state.users.get(g.userId)?.name === done.user?.name);
    expect(grants.map((g) => g.revoked).sort()).toEqual([false, true]);
    expect(winner?.revoked).toBe(false);
  });

  it("a Store failure while the consent completes leaves nothing half-done: a 503 page, the request open, the tokens revoked", async () => {
    const created = await acme.api.created();
    const grantsBefore = new Set(t.sandbox.state.grants.keys());
    const { browser, callbackUrl } = await followToCallback(t.sandbox, created.url, { userId: AJIT });
    const { store } = t.gateway.services;
    const set = store.set.bind(store);
    // Only the record naming the request's session fails to be written; the session itself is.
    const spy = vi.spyOn(store, "set").mockImplementation((key, value, ttl) => (key.startsWith("consent:") ? Promise.reject(new Error("store down")) : set(key, value, ttl)));
    let callback: Response;
    try {
      callback = await browser.get(callbackUrl);
    } finally {
      spy.mockRestore();
    }
    expect(callback.status).toBe(503);
    expect(await callback.text()).toContain("Signing in is not possible right now. Try again in a moment.");
    expect(await acme.api.status(created.id)).toMatchObject({ status: "UNAUTHENTICATED", authenticatedAt: null, lastError: null, user: null });
    const grant = [...t.sandbox.state.grants.values()].find((g) => !grantsBefore.has(g.id));
    expect(grant?.revoked).toBe(true);
    // The user tries the link again, and it takes.
    const again = await follow(t, created.url);
    expect(redirectParams(again.location)).toEqual({ sessionId: "XYZ", success: "true", id: created.id });
    expect((await acme.api.status(created.id)).status).toBe("AUTHENTICATED");
  });

  it("a database failure when the callback reads the request revokes the tokens it brought", async () => {
    const created = await acme.api.created();
    const grantsBefore = new Set(t.sandbox.state.grants.keys());
    const { browser, callbackUrl } = await followToCallback(t.sandbox, created.url, { userId: AJIT });
    const spy = vi.spyOn(t.gateway.services.auth.consentRequests, "forSignIn").mockRejectedValueOnce(new Error("database down"));
    try {
      expect((await browser.get(callbackUrl)).status).toBe(503);
    } finally {
      spy.mockRestore();
    }
    const grant = [...t.sandbox.state.grants.values()].find((g) => !grantsBefore.has(g.id));
    expect(grant?.revoked).toBe(true);
    expect((await acme.api.status(created.id)).status).toBe("UNAUTHENTICATED");
  });

  it("answers NOT_FOUND for an unknown id and BAD_USER_INPUT for one that is not a UUID", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect(answer(await acme.api.revoke(unknown))).toEqual(NOT_FOUND);
    expect(answer(await acme.api.read(unknown))).toEqual(READ_NOT_FOUND);
    for (const res of [await acme.api.revoke("not-a-uuid"), await acme.api.read("not-a-uuid")]) {
      const error = onlyError(res);
      expect(error?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(error?.message).toMatch(/id/);
    }
    const bad = onlyError(await acme.api.create({ redirectUrl: REDIRECT, requestedDocTypes: ["pan"] }));
    expect(bad?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(bad?.message).toMatch(/requestedDocTypes/);
  });
});

describe("consent requests that expire", () => {
  let t: TestGateway;
  let acme: Client;
  beforeAll(async () => {
    t = await startTestGateway({ CONSENT_REQUEST_TTL_SECONDS: "60" });
    acme = (await partner(t, "Acme KYC", [PARTNER_ORIGIN])).api;
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it("expires when the link is not used in time, and the link then closes; the request stays readable", async () => {
    const created = await acme.created();
    expect(ms(created.validUntil) - ms(created.createdAt)).toBe(60_000);
    t.clock.advance(61_000);
    expect(await acme.status(created.id)).toMatchObject({ status: "EXPIRED", user: null, validUntil: created.validUntil });
    const link = await open(created.url);
    expect(link.status).toBe(303);
    expect(redirectParams(link.headers.get("location"))).toMatchObject({ success: "false", id: created.id, errCode: "consent_request_closed" });
    t.clock.advance(3 * 24 * 3_600_000);
    expect(await acme.status(created.id)).toMatchObject({ status: "EXPIRED", validUntil: created.validUntil });
  });

  it("turns away a consent given after the request expired, and revokes the tokens it brought", async () => {
    const created = await acme.created();
    // The user opens the link in time and lingers on DigiLocker's consent page past validUntil.
    const browser = new Browser();
    const toDigiLocker = await browser.get(created.url);
    expect(toDigiLocker.status).toBe(303);
    const page = await browser.get(toDigiLocker.headers.get("location") ?? "");
    const form = parseConsentForm(await page.text());
    t.clock.advance(61_000);
    const body = new URLSearchParams({ request_id: form.requestId, user: AJIT, decision: "allow" });
    for (const s of form.scopes) body.append("scope", s.scope);
    const before = new Set(t.sandbox.state.grants.keys());
    const answered = await browser.post(new URL(form.action, t.sandbox.origin), body);
    const grant = [...t.sandbox.state.grants.values()].find((g) => !before.has(g.id));

    const callback = await browser.get(answered.headers.get("location") ?? "");
    expect(callback.status).toBe(303);
    expect(redirectParams(callback.headers.get("location"))).toMatchObject({ success: "false", id: created.id, errCode: "consent_request_closed" });
    expect(grant?.revoked).toBe(true);
    expect(await acme.status(created.id)).toMatchObject({ status: "EXPIRED", user: null });
  });

  it("expires with its session: an access token without a refresh token", async () => {
    const created = await acme.created();
    const { grant } = await follow(t, created.url);
    const done = await acme.status(created.id);
    expect(done).toMatchObject({ status: "AUTHENTICATED", user: { name: "Ajit Kumar" } });
    // AUTHENTICATED: validUntil is when the access ends (the access token's expiry, as the gateway counted
    // expires_in from receiving it), no longer the link's.
    const token = [...t.sandbox.state.accessTokens.values()].find((a) => a.grantId === grant?.id);
    const sinceIssued = ms(done.validUntil) - (token?.expiresAt ?? Number.NaN);
    expect(sinceIssued).toBeGreaterThanOrEqual(0);
    expect(sinceIssued).toBeLessThan(2_000);

    t.clock.advance(3_600_000 + 1_000);
    const expired = await acme.status(created.id);
    expect(expired).toMatchObject({ status: "EXPIRED", user: null });
    expect(ms(expired.validUntil)).toBeLessThanOrEqual(t.clock.epoch());
  });
});

describe("consent requests in development mode (no partner registered)", () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ ALLOWED_REDIRECT_ORIGINS: PARTNER_ORIGIN });
  });
  afterAll(async () => {
    await t.close();
  });

  it("works without a key on ALLOWED_REDIRECT_ORIGINS, belongs to no partner, and is out of reach once partners exist", async () => {
    const anonymous = client(t, null);
    const refused = onlyError(await anonymous.create({ redirectUrl: "https://evil.example/done" }));
    expect(refused?.extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "redirect_not_allowed" });
    expect(refused?.message).toMatch(/add it to ALLOWED_REDIRECT_ORIGINS/);

    const res = await anonymous.create({ redirectUrl: REDIRECT });
    expect(res.errors).toBeUndefined();
    expect((res as { extensions?: Record<string, unknown> }).extensions?.developmentMode).toMatch(/^Development mode: no partner is registered/);
    const created = res.data?.createConsentRequest;
    if (!created) throw new Error("no consent request");
    expect(created).toMatchObject({ status: "UNAUTHENTICATED", partnerId: null, redirectUrl: REDIRECT });
    const { location } = await follow(t, created.url, { userId: PRIYA });
    expect(location).toBe(`${REDIRECT}&success=true&id=${created.id}`);
    expect(await anonymous.status(created.id)).toMatchObject({ status: "AUTHENTICATED", partnerId: null, user: { name: "Priya Sharma" } });

    // The first partner ends development mode: no key reads anything, and the partner's key does not read this one.
    const acme = await partner(t, "Acme KYC", [PARTNER_ORIGIN]);
    const keyless = await anonymous.read(created.id);
    expect(keyless.data).toEqual({ consentRequest: null });
    expect(onlyError(keyless)?.extensions).toEqual({ code: "FORBIDDEN", scope: "consent-requests:read" });
    expect(answer(await acme.api.read(created.id))).toEqual(READ_NOT_FOUND);
    expect(answer(await acme.api.revoke(created.id))).toEqual(NOT_FOUND);
  });
});
