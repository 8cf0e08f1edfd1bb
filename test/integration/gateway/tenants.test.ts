// Tenants over real HTTP (docs/tenants.md): a partner that has set its own DigiLocker credentials (the sandbox's second
// client, SANDBOX2) is served by that client in every DigiLocker call made for it, which the sandbox itself reports
// (callsByClient: the client each call authenticated as): the authorize URL its users are sent to, the code exchange,
// the id_token's audience, the users' documents and files (whose HMAC is keyed by SANDBOX2's secret), refresh,
// revocation and meta calls. A partner without credentials, a browser session and a bearer token sent without a key
// keep the gateway's. A change applies to the next request, one in flight finishes on the client it started with,
// a state cannot carry another client's code, and another partner's key never reaches this partner's client.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECOND_CLIENT } from "../../../src/sandbox/seed/clients.js";
import type { Sandbox } from "../../../src/sandbox/server.js";
import { Browser, consentToAuthorizationUrl } from "../../helpers/consent.js";
import { ALL_USER_SCOPES, PRIYA, startTestGateway, type TestGateway } from "../../helpers/gateway.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

const KEYS = `k1:${Buffer.alloc(32, 1).toString("base64")}`;
const PARTNER_ORIGIN = "https://partner.example.in";
const REDIRECT = `${PARTNER_ORIGIN}/done`;
const SCOPES = [
  "consent-requests:create",
  "consent-requests:read",
  "consent-requests:revoke",
  "documents:contents",
  "catalogue:read",
  "accounts:verify",
  "credentials:manage",
];

const UPDATE = `mutation ($input: UpdateDigiLockerCredentialsInput!) {
  updateDigiLockerCredentials(input: $input) { __typename ... on DigiLockerCredentials { clientId version } ... on Problem { code } }
}`;
const CREATE = `mutation { createConsentRequest(input: { redirectUrl: "${REDIRECT}" }) { id url } }`;
const READ = `query ($id: ID!) {
  consentRequest(id: $id) {
    status
    user { name identity { name verification } issuedDocuments { name uri download { url } } }
  }
}`;
const REVOKE = `mutation ($id: ID!) { revokeConsentRequest(id: $id) { status } }`;
const STATISTICS = `{ statistics { issuers } }`;
const VERIFY = `mutation { verifyAccount(input: { mobile: "9123456780" }) { __typename } }`;

interface Read {
  consentRequest: {
    status: string;
    user: {
      name: string;
      identity: { name: string; verification: string } | null;
      issuedDocuments: { name: string; uri: string; download: { url: string } | null }[];
    } | null;
  } | null;
}

/** How many calls of `endpoint` the sandbox saw authenticated as `clientId`. */
function calls(sandbox: Sandbox, clientId: string, endpoint: string): number {
  return sandbox.callsByClient()[clientId]?.[endpoint] ?? 0;
}

async function partner(t: TestGateway, name: string, scopes = SCOPES) {
  const { partner: p, key } = await t.gateway.services.partners.create({ name, scopes, redirectOrigins: [PARTNER_ORIGIN] });
  const headers = { "x-api-key": key };
  return {
    id: p.id,
    key,
    query: <T>(document: string, variables: Record<string, unknown> = {}) => t.query<T>(document, { variables, headers }),
  };
}
type Partner = Awaited<ReturnType<typeof partner>>;

/** Sets the partner's own credentials over GraphQL (the sandbox's clients), checking DigiLocker took them. */
async function setCredentials(t: TestGateway, p: Partner, client: { id: string; secret: string }, tokenEndpoint: "OPENID" | "V1" = "OPENID") {
  const input = { clientId: client.id, clientSecret: client.secret, redirectUri: `${t.gateway.publicUrl}/auth/callback`, tokenEndpoint };
  const res = await p.query<{ updateDigiLockerCredentials: { __typename: string; clientId?: string } }>(UPDATE, { input });
  expect(res.data?.updateDigiLockerCredentials).toMatchObject({ __typename: "DigiLockerCredentials", clientId: client.id });
}

async function createConsent(p: Partner): Promise<{ id: string; url: string }> {
  const res = await p.query<{ createConsentRequest: { id: string; url: string } }>(CREATE);
  expect(res.errors).toBeUndefined();
  const created = res.data?.createConsentRequest;
  if (!created) throw new Error("no consent request");
  return created;
}

/** The DigiLocker authorize URL a consent link sends the browser to (not followed). */
async function authorizeUrlOf(browser: Browser, url: string): Promise<URL> {
  const res = await browser.get(url);
  expect(res.status).toBe(303);
  return new URL(res.headers.get("location") ?? "");
}

/** The grants the sandbox made while `run` ran. */
async function newGrants(sandbox: Sandbox, run: () => Promise<unknown>) {
  const before = new Set(sandbox.state.grants.keys());
  await run();
  return [...sandbox.state.grants.values()].filter((g) => !before.has(g.id));
}

describe("a partner with its own DigiLocker credentials", () => {
  let t: TestGateway;
  let gatewayId: string;
  let tenant: Partner;
  let plain: Partner;

  beforeAll(async () => {
    t = await startTestGateway({ CREDENTIALS_ENCRYPTION_KEYS: KEYS, RATE_LIMIT_WRITES_PER_CLIENT: "0" });
    gatewayId = t.sandbox.clientId;
    tenant = await partner(t, "Acme KYC");
    plain = await partner(t, "Bank");
    await setCredentials(t, tenant, SECOND_CLIENT);
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it("sends its users to DigiLocker with its client id, exchanges the code with it, and reads their documents and files through it", async () => {
    expect(gatewayId).toBe("SANDBOX1");
    t.sandbox.resetStats();
    const created = await createConsent(tenant);
    const browser = new Browser();
    const authorize = await authorizeUrlOf(browser, created.url);
    expect(authorize.origin + authorize.pathname).toBe(`${t.sandbox.baseUrl}/oauth2/1/authorize`);
    expect(authorize.searchParams.get("client_id")).toBe("SANDBOX2");
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${t.gateway.publicUrl}/auth/callback`);

    const grants = await newGrants(t.sandbox, async () => {
      const done = await signInThroughGateway(t, { start: authorize.toString(), browser, userId: PRIYA });
      expect(done.location).toBe(`${REDIRECT}?success=true&id=${created.id}`);
    });
    expect(grants.map((g) => g.clientId)).toEqual(["SANDBOX2"]);
    expect(calls(t.sandbox, "SANDBOX2", "oauth.tokenV2")).toBe(1);

    const read = await tenant.query<Read>(READ, { id: created.id });
    expect(read.errors).toBeUndefined();
    const user = read.data?.consentRequest?.user;
    // The id_token was issued to SANDBOX2 (its audience), signed by the sandbox's key.
    expect(read.data?.consentRequest?.status).toBe("AUTHENTICATED");
    expect(user?.identity).toEqual({ name: "Priya Sharma", verification: "SIGNATURE" });
    expect(user?.name).toBe("Priya Sharma");
    const mine = t.sandbox.state.issued.filter((d) => d.ownerId === PRIYA);
    expect(user?.issuedDocuments.map((d) => d.uri)).toEqual(mine.map((d) => d.uri));
    expect(calls(t.sandbox, "SANDBOX2", "files.issued")).toBe(1);
    expect(calls(t.sandbox, "SANDBOX2", "account.user")).toBe(1);

    // The file: DigiLocker signs it with SANDBOX2's secret; the gateway checked that HMAC before the last byte went out.
    const doc = user?.issuedDocuments[0];
    const link = doc?.download?.url;
    if (!link || !mine[0]) throw new Error("no download link");
    const file = await fetch(link);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(mine[0].pdf)).toBe(true);
    expect(calls(t.sandbox, "SANDBOX2", "files.file")).toBe(1);

    // Revoking the request revokes the grant at DigiLocker, which takes that only from the client it was issued to.
    expect((await tenant.query<{ revokeConsentRequest: { status: string } }>(REVOKE, { id: created.id })).data).toEqual({ revokeConsentRequest: { status: "REVOKED" } });
    expect(grants[0]?.revoked).toBe(true);
    expect(calls(t.sandbox, "SANDBOX2", "oauth.revoke")).toBeGreaterThanOrEqual(1);
    // The gateway's own client did none of it.
    expect(t.sandbox.callsByClient()[gatewayId]).toBeUndefined();
  });

  it("keeps the gateway's client for a partner without credentials, a browser session and a bearer token without a key", async () => {
    t.sandbox.resetStats();
    const created = await createConsent(plain);
    const browser = new Browser();
    const authorize = await authorizeUrlOf(browser, created.url);
    expect(authorize.searchParams.get("client_id")).toBe(gatewayId);
    const grants = await newGrants(t.sandbox, () => signInThroughGateway(t, { start: authorize.toString(), browser, userId: PRIYA }));
    expect(grants.map((g) => g.clientId)).toEqual([gatewayId]);
    const read = await plain.query<Read>(READ, { id: created.id });
    expect(read.data?.consentRequest?.user?.issuedDocuments.length).toBeGreaterThan(0);

    // A browser's own sign-in: the gateway's client, even when the tenant's key comes with its cookie.
    const { cookie } = await signInThroughGateway(t, { userId: PRIYA });
    if (cookie === null) throw new Error("no session cookie");
    const viewer = `{ viewer { issuedDocuments { uri } } }`;
    expect((await t.query(viewer, { cookie })).errors).toBeUndefined();
    expect((await t.query(viewer, { cookie, headers: { "x-api-key": tenant.key } })).errors).toBeUndefined();
    expect((await t.query(viewer, { token: t.token(PRIYA) })).errors).toBeUndefined();

    expect(t.sandbox.callsByClient()).toEqual({
      [gatewayId]: { "oauth.tokenV2": 2, "account.user": 1, "files.issued": 4 },
    });
  });

  it("makes its meta calls with its own client and cache, and another partner's key never reaches them", async () => {
    t.sandbox.resetStats();
    for (const p of [tenant, plain, tenant, plain]) expect((await p.query(STATISTICS)).errors).toBeUndefined();
    expect((await t.query(STATISTICS)).errors).toBeDefined();
    for (const p of [tenant, plain]) expect((await p.query<{ verifyAccount: unknown }>(VERIFY)).data).toEqual({ verifyAccount: { __typename: "AccountVerification" } });
    // One statistics call per client (each has its own meta cache), one verifyAccount per key.
    expect(t.sandbox.callsByClient()).toEqual({
      SANDBOX2: { "meta.statistics": 1, "meta.verifyAccount": 1 },
      [gatewayId]: { "meta.statistics": 1, "meta.verifyAccount": 1 },
    });
  });

  it("pushes with its own client: DigiLocker refuses SANDBOX2, which is not an issuer, and takes the gateway's for another partner", async () => {
    const push = (docId: string) =>
      `mutation { pushUri(input: { digilockerId: "${PRIYA}", uri: "in.gov.sandbox-SKLCR-${docId}", docType: "SKLCR", description: "Skill Certificate", docId: "${docId}", issueDate: "2024-03-15", action: ADD }) { __typename } }`;
    const issuer = (name: string) => partner(t, name, ["uri:push", "credentials:manage"]);
    const own = await issuer("Tenant issuer");
    await setCredentials(t, own, SECOND_CLIENT);
    const refused = await own.query(push("TENANT-1"));
    expect(refused.errors).toEqual([
      expect.objectContaining({
        message: "This partner's own DigiLocker client (SANDBOX2) is not registered as an issuer, so DigiLocker refuses its pushes",
        extensions: { code: "FORBIDDEN", reason: "not_an_issuer" },
      }),
    ]);
    const other = await issuer("Gateway issuer");
    expect((await other.query(push("GATEWAY-1"))).data).toEqual({ pushUri: { __typename: "PushedUri" } });
  });

  it("serves a bearer token through the client of the key it comes with: the tenant's verifies SANDBOX2's file HMAC, another partner's does not", async () => {
    const token = t.sandbox.issueToken({ userId: PRIYA, scopes: ALL_USER_SCOPES, clientId: SECOND_CLIENT.id }).accessToken;
    const query = `{ viewer { issuedDocuments { download { url } } } }`;
    const linkFor = async (key: string) => {
      const res = await t.query<{ viewer: { issuedDocuments: { download: { url: string } | null }[] } }>(query, { token, headers: { "x-api-key": key } });
      expect(res.errors).toBeUndefined();
      const url = res.data?.viewer.issuedDocuments[0]?.download?.url;
      if (!url) throw new Error("no link");
      return url;
    };
    expect((await fetch(await linkFor(tenant.key))).status).toBe(200);
    // The other partner's key: its link streams through the gateway's client, whose secret does not match SANDBOX2's HMAC.
    const refused = await fetch(await linkFor(plain.key));
    expect(refused.status).toBe(502);
    expect(await refused.json()).toEqual({
      error: "file_integrity_failed",
      message: "The file DigiLocker sent failed its integrity check, so it was not delivered. Try again in a moment.",
    });
  });

  it("refuses a state that carries another client's code, in both directions, and a state nobody made", async () => {
    const browser = new Browser();
    const ofTenant = await createConsent(tenant);
    const ofPlain = await createConsent(plain);
    const tenantAuthorize = await authorizeUrlOf(browser, ofTenant.url);
    const plainAuthorize = await authorizeUrlOf(browser, ofPlain.url);
    const swap = (callback: URL, state: string | null) => {
      const forged = new URL(callback);
      forged.searchParams.set("state", state ?? "");
      return forged;
    };

    // The gateway client's code under the tenant's state: exchanged with SANDBOX2, which DigiLocker refuses.
    const plainCallback = await consentToAuthorizationUrl(t.sandbox, browser, plainAuthorize, PRIYA);
    const crossed = await browser.get(swap(plainCallback, tenantAuthorize.searchParams.get("state")));
    expect(crossed.status).toBe(303);
    expect(new URL(crossed.headers.get("location") ?? "").searchParams.get("errCode")).toBe("sign_in_failed");
    expect(new URL(crossed.headers.get("location") ?? "").searchParams.get("id")).toBe(ofTenant.id);
    // The code itself was not spent: with its own state it completes the other partner's request.
    expect((await browser.get(plainCallback)).headers.get("location")).toBe(`${REDIRECT}?success=true&id=${ofPlain.id}`);

    // And the other way: SANDBOX2's code under the gateway client's state.
    const again = { tenant: await createConsent(tenant), plain: await createConsent(plain) };
    const tenantAgain = await authorizeUrlOf(browser, again.tenant.url);
    const plainAgain = await authorizeUrlOf(browser, again.plain.url);
    const tenantCallback = await consentToAuthorizationUrl(t.sandbox, browser, tenantAgain, PRIYA);
    const reversed = await browser.get(swap(tenantCallback, plainAgain.searchParams.get("state")));
    expect(new URL(reversed.headers.get("location") ?? "").searchParams.get("errCode")).toBe("sign_in_failed");
    expect((await browser.get(tenantCallback)).headers.get("location")).toBe(`${REDIRECT}?success=true&id=${again.tenant.id}`);

    const forged = await browser.get(swap(tenantCallback, "A".repeat(43)));
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain("This sign-in has expired or was already completed: start again from the application.");
    expect((await tenant.query<Read>(READ, { id: ofTenant.id })).data?.consentRequest?.status).toBe("UNAUTHENTICATED");
  });
});

describe("a change of a partner's credentials", () => {
  let t: TestGateway;
  let gatewayId: string;
  let gatewayClient: { id: string; secret: string };

  beforeAll(async () => {
    t = await startTestGateway({ CREDENTIALS_ENCRYPTION_KEYS: KEYS, RATE_LIMIT_WRITES_PER_CLIENT: "0" });
    gatewayId = t.sandbox.clientId;
    gatewayClient = { id: t.sandbox.clientId, secret: t.sandbox.clientSecret };
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it("applies to the next request without a restart, while a call in flight finishes on the client it started with", async () => {
    const p = await partner(t, "Switcher");
    await setCredentials(t, p, SECOND_CLIENT);
    expect((await p.query(STATISTICS)).errors).toBeUndefined();
    t.sandbox.resetStats();
    t.sandbox.setFaults({ latencyMs: 400, endpoints: ["meta.verifyAccount"] });
    try {
      const inFlight = p.query(VERIFY);
      await expect.poll(() => t.sandbox.stats().inFlight["meta.verifyAccount"] ?? 0).toBe(1);
      await setCredentials(t, p, gatewayClient);
      // The old client is out of the cache but still leased by the call in flight.
      expect(t.gateway.services.tenants.clients.size.draining).toBe(1);
      const next = await p.query(VERIFY);
      expect((await inFlight).data).toEqual({ verifyAccount: { __typename: "AccountVerification" } });
      expect(next.data).toEqual({ verifyAccount: { __typename: "AccountVerification" } });
    } finally {
      t.sandbox.setFaults({});
    }
    expect(calls(t.sandbox, "SANDBOX2", "meta.verifyAccount")).toBe(1);
    expect(calls(t.sandbox, gatewayId, "meta.verifyAccount")).toBe(1);
    // Released when its operation ended, the old client was closed.
    expect(t.gateway.services.tenants.clients.size.draining).toBe(0);
  });

  it("uses a V1 tenant's client to refresh its users' tokens", async () => {
    const p = await partner(t, "Refresher");
    await setCredentials(t, p, SECOND_CLIENT, "V1");
    t.sandbox.resetStats();
    const created = await createConsent(p);
    await signInThroughGateway(t, { start: created.url, userId: PRIYA });
    expect(calls(t.sandbox, "SANDBOX2", "oauth.tokenV1")).toBe(1);
    // Within a minute of the access token's expiry: the next read refreshes it first, with SANDBOX2's credentials.
    t.clock.advance(3_600_000 - 30_000);
    const read = await p.query<Read>(READ, { id: created.id });
    expect(read.errors).toBeUndefined();
    expect(read.data?.consentRequest).toMatchObject({ status: "AUTHENTICATED", user: { name: "Priya Sharma", identity: null } });
    expect(calls(t.sandbox, "SANDBOX2", "oauth.tokenV1")).toBe(2);
    expect(t.sandbox.callsByClient()[gatewayId]).toBeUndefined();
  });

  it("ends the sessions of a client id the partner no longer has: their tokens belong to a client the gateway does not hold", async () => {
    const p = await partner(t, "Mover");
    await setCredentials(t, p, SECOND_CLIENT);
    const created = await createConsent(p);
    await signInThroughGateway(t, { start: created.url, userId: PRIYA });
    expect((await p.query<Read>(READ, { id: created.id })).data?.consentRequest?.status).toBe("AUTHENTICATED");
    await setCredentials(t, p, gatewayClient);
    expect((await p.query<Read>(READ, { id: created.id })).data).toEqual({ consentRequest: { status: "EXPIRED", user: null } });
  });

  it("fails a sign-in whose partner changed its client id meanwhile, without exchanging the code", async () => {
    const p = await partner(t, "Midway");
    await setCredentials(t, p, SECOND_CLIENT);
    const created = await createConsent(p);
    const browser = new Browser();
    const authorize = await authorizeUrlOf(browser, created.url);
    await setCredentials(t, p, gatewayClient);
    t.sandbox.resetStats();
    const callback = await consentToAuthorizationUrl(t.sandbox, browser, authorize, PRIYA);
    const answer = await browser.get(callback);
    expect(new URL(answer.headers.get("location") ?? "").searchParams.get("errCode")).toBe("sign_in_failed");
    expect(t.sandbox.callsByClient()).toEqual({});
    // The next visit of the link starts over with the partner's new client.
    expect((await authorizeUrlOf(new Browser(), created.url)).searchParams.get("client_id")).toBe(gatewayId);
  });

  it("refuses a redirect URI that is not this gateway's callback, before asking DigiLocker", async () => {
    const p = await partner(t, "Elsewhere");
    const before = t.gateway.upstreamCalls.count("meta.issuers");
    const input = { clientId: SECOND_CLIENT.id, clientSecret: SECOND_CLIENT.secret, redirectUri: `${PARTNER_ORIGIN}/auth/callback`, tokenEndpoint: "OPENID" };
    const res = await p.query(UPDATE, { input });
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: `input.redirectUri: must be this gateway's callback, ${t.gateway.publicUrl}/auth/callback: register exactly that redirect URI for this client on DigiLocker's Partners Portal`,
        extensions: { code: "BAD_USER_INPUT", field: "redirectUri" },
      }),
    ]);
    expect(t.gateway.upstreamCalls.count("meta.issuers")).toBe(before);
    expect(await t.gateway.services.tenants.credentials.get(p.id)).toBeNull();
  });
});
