// The partner flow over real HTTP, as a partner backend sees it: createConsentRequest, one redirect of the
// user's browser through DigiLocker's consent page, then consentRequest(id) for the status and the documents.
// Denial, revocation, expiry and bad input.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AJIT, PRIYA, startTestGateway, type GraphQLResult, type TestGateway } from "../../helpers/gateway.js";
import { Browser, parseConsentForm } from "../../helpers/consent.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

const PARTNER_ORIGIN = "https://partner.example.in";
const REDIRECT = `${PARTNER_ORIGIN}/done?sessionId=XYZ`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const FIELDS = `id status url redirectUrl validUntil createdAt authenticatedAt revokedAt partner requestedDocTypes purpose
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
  partner: string | null;
  requestedDocTypes: string[] | null;
  purpose: string | null;
  lastError: { code: string; message: string } | null;
  user: {
    name: string | null;
    identity: { name: string | null; maskedAadhaar: string | null } | null;
    issuedDocuments: { name: string }[] | null;
  } | null;
}

/** What a partner backend calls: only GraphQL, identified by X-Partner-Id. */
function partner(t: TestGateway) {
  const headers = { "x-partner-id": "acme" };
  return {
    create: (input: Record<string, unknown>) =>
      t.query<{ createConsentRequest: ConsentRequest }>(CREATE, { variables: { input }, headers }),
    async created(input: Record<string, unknown> = {}): Promise<ConsentRequest> {
      const res = await this.create({ redirectUrl: REDIRECT, ...input });
      expect(res.errors).toBeUndefined();
      if (!res.data) throw new Error("no consent request");
      return res.data.createConsentRequest;
    },
    read: (id: string) => t.query<{ consentRequest: ConsentRequest | null }>(READ, { variables: { id }, headers }),
    async status(id: string): Promise<ConsentRequest> {
      const res = await this.read(id);
      expect(res.errors).toBeUndefined();
      const request = res.data?.consentRequest;
      if (!request) throw new Error(`consent request ${id} not found`);
      return request;
    },
    revoke: (id: string) => t.query<{ revokeConsentRequest: ConsentRequest }>(REVOKE, { variables: { id }, headers }),
  };
}

/** The user's browser following the consent request's url through DigiLocker; the gateway's answer to the callback. */
async function follow(t: TestGateway, url: string, options: { userId?: string; decision?: "allow" | "deny" } = {}) {
  const before = new Set(t.sandbox.state.grants.keys());
  const result = await signInThroughGateway(t, { start: url, userId: options.userId ?? AJIT, decision: options.decision ?? "allow" });
  const grant = [...t.sandbox.state.grants.values()].find((g) => !before.has(g.id)) ?? null;
  return { ...result, grant };
}

/** A browser opening a link that should not reach DigiLocker: the gateway's own answer. */
async function open(url: string): Promise<Response> {
  return new Browser().get(url);
}

function redirectParams(location: string | null): Record<string, string> {
  if (location === null) throw new Error("no redirect");
  const url = new URL(location);
  expect(`${url.origin}${url.pathname}`).toBe(`${PARTNER_ORIGIN}/done`);
  return Object.fromEntries(url.searchParams);
}

function onlyError(res: GraphQLResult<unknown>) {
  expect(res.errors).toHaveLength(1);
  return res.errors?.[0];
}

const ms = (iso: string | null | undefined) => (iso == null ? Number.NaN : Date.parse(iso));

describe("consent requests", () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ ALLOWED_REDIRECT_ORIGINS: PARTNER_ORIGIN });
  });
  afterAll(async () => {
    await t.close();
  });

  it("completes with GraphQL calls and one redirect, and reads the consenting user's DigiLocker", async () => {
    const p = partner(t);
    const created = await p.created({ requestedDocTypes: ["PANCR"], purpose: "KYC" });
    expect(created).toMatchObject({
      status: "UNAUTHENTICATED",
      redirectUrl: REDIRECT,
      partner: "acme",
      requestedDocTypes: ["PANCR"],
      purpose: "KYC",
      authenticatedAt: null,
      revokedAt: null,
      lastError: null,
      user: null,
    });
    expect(created.id).toMatch(UUID);
    const port = new URL(t.gateway.url).port;
    expect(created.url).toBe(`http://localhost:${port}/auth/consent/${created.id}`);
    expect(Math.abs(ms(created.validUntil) - (t.clock.epoch() + 3_600_000))).toBeLessThan(5_000);

    const { callback, location, cookie, browser, callbackUrl } = await follow(t, created.url, { userId: PRIYA });
    // DigiLocker sent the browser back to the gateway, which sends it on to the partner with the outcome.
    expect(`${callbackUrl.origin}${callbackUrl.pathname}`).toBe(`http://localhost:${port}/auth/callback`);
    expect(callback.status).toBe(303);
    expect(location).toBe(`${REDIRECT}&success=true&id=${created.id}`);
    // The partner's user gets no gateway session: the access belongs to the consent request. The only gateway
    // cookie in the browser is the sign-in binding the link set (its callback checked it).
    expect(cookie).toBeNull();
    expect(callback.headers.getSetCookie()).toEqual([]);
    expect([...browser.cookies.keys()].filter((name) => name.includes("dlg"))).toEqual(["dlg_signin"]);

    const done = await p.status(created.id);
    const priya = t.sandbox.state.users.get(PRIYA);
    const bearer = await t.query<{ viewer: { issuedDocuments: { name: string }[] } }>(`{ viewer { issuedDocuments { name } } }`, {
      token: t.token(PRIYA),
    });
    expect(done.status).toBe("AUTHENTICATED");
    expect(ms(done.authenticatedAt)).toBeGreaterThanOrEqual(ms(created.createdAt));
    expect(done.lastError).toBeNull();
    expect(done.user?.name).toBe(priya?.name);
    expect(done.user?.identity?.name).toBe(priya?.name);
    expect(done.user?.identity?.maskedAadhaar).toMatch(/^x{8}\d{4}$/i);
    expect(done.user?.issuedDocuments).toEqual(bearer.data?.viewer.issuedDocuments);
    expect(done.user?.issuedDocuments?.length).toBeGreaterThan(0);

    // The link is spent: opening it again only repeats the outcome.
    const again = await open(created.url);
    expect(again.status).toBe(303);
    expect(redirectParams(again.headers.get("location"))).toMatchObject({ success: "true", id: created.id });
  });

  it("reports a denial to redirectUrl and stays open, so the user can try again", async () => {
    const p = partner(t);
    const created = await p.created();
    const denied = await follow(t, created.url, { decision: "deny" });
    expect(denied.callback.status).toBe(303);
    const params = redirectParams(denied.location);
    expect(params).toMatchObject({ sessionId: "XYZ", success: "false", id: created.id, errCode: "access_denied" });
    expect(params.errMessage).toBeTruthy();
    expect(denied.cookie).toBeNull();

    const after = await p.status(created.id);
    expect(after).toMatchObject({ status: "UNAUTHENTICATED", user: null, lastError: { code: "access_denied", message: params.errMessage } });

    const allowed = await follow(t, created.url);
    expect(redirectParams(allowed.location)).toMatchObject({ success: "true", id: created.id });
    const done = await p.status(created.id);
    expect(done).toMatchObject({ status: "AUTHENTICATED", lastError: null });
    expect(done.user?.name).toBe(t.sandbox.state.users.get(AJIT)?.name);
  });

  it("revokes: the tokens die at DigiLocker, the user goes, the link closes; twice is harmless", async () => {
    const p = partner(t);
    const created = await p.created();
    const { grant } = await follow(t, created.url);
    if (grant === null) throw new Error("no grant for the consent");
    expect((await p.status(created.id)).status).toBe("AUTHENTICATED");

    const res = await p.revoke(created.id);
    expect(res.errors).toBeUndefined();
    const revoked = res.data?.revokeConsentRequest;
    expect(revoked).toMatchObject({ id: created.id, status: "REVOKED", user: null });
    expect(ms(revoked?.revokedAt)).toBeGreaterThanOrEqual(ms(created.createdAt));
    expect(t.sandbox.state.grants.get(grant.id)?.revoked).toBe(true);
    const tokens = [...t.sandbox.state.accessTokens.values()].filter((a) => a.grantId === grant.id);
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.every((a) => a.revoked)).toBe(true);
    expect(await p.status(created.id)).toMatchObject({ status: "REVOKED", user: null, revokedAt: revoked?.revokedAt });

    const link = await open(created.url);
    expect(link.status).toBe(303);
    expect(redirectParams(link.headers.get("location"))).toMatchObject({ success: "false", id: created.id, errCode: "consent_request_closed" });

    const twice = await p.revoke(created.id);
    expect(twice.errors).toBeUndefined();
    expect(twice.data?.revokeConsentRequest).toMatchObject({ status: "REVOKED", revokedAt: revoked?.revokedAt });
  });

  it("revokes a request nobody has used yet", async () => {
    const p = partner(t);
    const created = await p.created();
    expect((await p.revoke(created.id)).data?.revokeConsentRequest.status).toBe("REVOKED");
    const link = await open(created.url);
    expect(redirectParams(link.headers.get("location"))).toMatchObject({ success: "false", errCode: "consent_request_closed" });
  });

  it("answers NOT_FOUND for an unknown id and BAD_USER_INPUT for one that is not a UUID", async () => {
    const p = partner(t);
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect(onlyError(await p.revoke(unknown))?.extensions?.code).toBe("NOT_FOUND");
    const read = await p.read(unknown);
    expect(read.errors).toBeUndefined();
    expect(read.data?.consentRequest).toBeNull();
    for (const res of [await p.revoke("not-a-uuid"), await p.read("not-a-uuid")]) {
      const error = onlyError(res);
      expect(error?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(error?.message).toMatch(/id/);
    }
    // The link of an unknown request is a page, not a redirect anywhere.
    expect((await open(`${t.gateway.url}/auth/consent/${unknown}`)).status).toBe(404);
  });

  it("refuses a redirectUrl off the allowlist and malformed doctypes", async () => {
    const p = partner(t);
    for (const redirectUrl of ["https://evil.example/done", "//evil.example/done", "javascript:alert(1)", "https://partner.example.in.evil.example/"]) {
      const error = onlyError(await p.create({ redirectUrl }));
      expect(error?.extensions, redirectUrl).toMatchObject({ code: "BAD_USER_INPUT", reason: "redirect_not_allowed" });
    }
    const bad = onlyError(await p.create({ redirectUrl: REDIRECT, requestedDocTypes: ["pan"] }));
    expect(bad?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(bad?.message).toMatch(/requestedDocTypes/);
  });
});

describe("consent requests that expire", () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ ALLOWED_REDIRECT_ORIGINS: PARTNER_ORIGIN, CONSENT_REQUEST_TTL_SECONDS: "60" });
  });
  afterAll(async () => {
    await t.close();
  });

  it("expires when the link is not used in time, and the link then closes", async () => {
    const p = partner(t);
    const created = await p.created();
    expect(Math.abs(ms(created.validUntil) - (t.clock.epoch() + 60_000))).toBeLessThan(5_000);
    t.clock.advance(61_000);
    expect(await p.status(created.id)).toMatchObject({ status: "EXPIRED", user: null, validUntil: created.validUntil });
    const link = await open(created.url);
    expect(link.status).toBe(303);
    expect(redirectParams(link.headers.get("location"))).toMatchObject({ success: "false", id: created.id, errCode: "consent_request_closed" });
  });

  it("turns away a consent given after the request expired, and revokes the tokens it brought", async () => {
    const p = partner(t);
    const created = await p.created();
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
    const answer = await browser.post(new URL(form.action, t.sandbox.origin), body);
    const grant = [...t.sandbox.state.grants.values()].find((g) => !before.has(g.id));

    const callback = await browser.get(answer.headers.get("location") ?? "");
    expect(callback.status).toBe(303);
    expect(redirectParams(callback.headers.get("location"))).toMatchObject({ success: "false", id: created.id, errCode: "consent_request_closed" });
    expect(grant?.revoked).toBe(true);
    expect(await p.status(created.id)).toMatchObject({ status: "EXPIRED", user: null });
  });

  it("expires with its session: an access token without a refresh token", async () => {
    const p = partner(t);
    const created = await p.created();
    const { grant } = await follow(t, created.url);
    const done = await p.status(created.id);
    expect(done.status).toBe("AUTHENTICATED");
    expect(done.user?.name).toBe(t.sandbox.state.users.get(AJIT)?.name);
    // AUTHENTICATED: validUntil is when the access ends (the access token's expiry, as the gateway counted
    // expires_in from receiving it), no longer the link's.
    const token = [...t.sandbox.state.accessTokens.values()].find((a) => a.grantId === grant?.id);
    const sinceIssued = ms(done.validUntil) - (token?.expiresAt ?? Number.NaN);
    expect(sinceIssued).toBeGreaterThanOrEqual(0);
    expect(sinceIssued).toBeLessThan(2_000);

    t.clock.advance(3_600_000 + 1_000);
    const expired = await p.status(created.id);
    expect(expired).toMatchObject({ status: "EXPIRED", user: null });
    expect(ms(expired.validUntil)).toBeLessThanOrEqual(t.clock.epoch());
  });
});
