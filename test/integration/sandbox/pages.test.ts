// The sandbox's own pages over real HTTP: the index, the token page end to end (a person's way to a token),
// OpenID discovery and JWKS, the signing certificate and the fault switches.
import { createPublicKey, verify, X509Certificate, type JsonWebKey } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { InvalidTokenError, UpstreamServerError } from "../../../src/digilocker/index.js";
import { Browser, parseConsentForm, unescapeHtml } from "../../helpers/consent.js";
import { startTestSandbox, type TestSandbox } from "../../helpers/sandbox.js";

const AJIT = "123e4567-e89b-12d3-a456-426655440000";
const PRIYA = "6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f";

let running: TestSandbox[] = [];
afterEach(async () => {
  await Promise.all(running.map((t) => t.close()));
  running = [];
});

async function start(): Promise<TestSandbox> {
  const t = await startTestSandbox();
  running.push(t);
  return t;
}

/** The text of the element with this id (the token page marks each token). */
function byId(page: string, id: string): string | null {
  const match = new RegExp(`id="${id}">([^<]*)<`).exec(page);
  return match?.[1] === undefined ? null : unescapeHtml(match[1]);
}

/**
 * What a person does on /sandbox/token: pick a user and an endpoint, go through the consent page with the
 * scopes left as they are, and land on the callback page. Returns that page.
 */
async function getTokenThroughPage(t: TestSandbox, fields: Record<string, string>, browser = new Browser()): Promise<string> {
  const callback = await reachCallback(t, fields, browser);
  const result = await browser.get(callback);
  const page = await result.text();
  expect(result.status, page).toBe(200);
  expect(result.headers.get("cache-control")).toBe("no-store");
  return page;
}

/** The steps up to the redirect to /sandbox/callback (not yet followed). */
async function reachCallback(t: TestSandbox, fields: Record<string, string>, browser: Browser): Promise<URL> {
  const form = await browser.get(`${t.sandbox.origin}/sandbox/token`);
  expect(form.status).toBe(200);
  expect(await form.text()).toContain('action="/sandbox/token"');

  const started = await browser.post(`${t.sandbox.origin}/sandbox/token`, new URLSearchParams(fields));
  expect(started.status).toBe(302);
  const authorize = new URL(started.headers.get("location")!);
  expect(authorize.pathname).toBe("/public/oauth2/1/authorize");
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorize.searchParams.get("redirect_uri")).toBe(`${t.sandbox.origin}/sandbox/callback`);

  const consent = await browser.get(authorize);
  expect(consent.status).toBe(200);
  const consentForm = parseConsentForm(await consent.text());
  // The user picked on the token page is signed in: the consent page pre-selects them.
  const selected = consentForm.users.find((u) => u.checked)?.id;
  expect(selected).toBe(fields.user);
  const answer = new URLSearchParams({ request_id: consentForm.requestId, user: selected!, decision: "allow" });
  for (const s of consentForm.scopes) answer.append("scope", s.scope);
  const allowed = await browser.post(new URL(consentForm.action, t.sandbox.origin), answer);
  expect(allowed.status).toBe(302);
  const callback = new URL(allowed.headers.get("location")!);
  expect(`${callback.origin}${callback.pathname}`).toBe(`${t.sandbox.origin}/sandbox/callback`);
  return callback;
}

describe("the index page", () => {
  it("says what the sandbox is and links to the token page and the documents for tools", async () => {
    const t = await start();
    const res = await fetch(`${t.sandbox.origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toContain("DigiLocker sandbox");
    expect(page).toContain('href="/sandbox/token"');
    for (const path of ["/.well-known/openid-configuration", "/.well-known/jwks.json", "/sandbox/certificate.pem", "/sandbox/faults"]) {
      expect(page).toContain(`href="${path}"`);
    }
    expect(page).toContain(`${t.sandbox.origin}/public`);
    expect(page).toContain("Ajit Kumar");
    expect(page).not.toContain(t.sandbox.clientSecret);
  });

  it("lists the doctypes approved for each client (spec 131)", async () => {
    const t = await start();
    const page = await (await fetch(`${t.sandbox.origin}/`)).text();
    expect(page).toContain("<th>Approved doctypes</th>");
    expect(page).toContain("<td>49: <code>ABHAC, BTCER, CDCRD,");
    expect(page).toContain("<td>2: <code>DRVLC, PANCR</code></td>");
  });
});

describe("the token page", () => {
  it("v1: runs the flow against the sandbox and shows a working access token and a refresh token", async () => {
    const t = await start();
    const page = await getTokenThroughPage(t, { user: AJIT, version: "1" });
    const accessToken = byId(page, "access-token")!;
    expect(accessToken).toMatch(/^[0-9a-f]{40}$/);
    expect(byId(page, "refresh-token")).toMatch(/^[0-9a-f]{40}$/);
    expect(byId(page, "id-token")).toBeNull();
    expect(page).toContain("in 3600 s");
    expect(page).toContain("<code>userdetails</code>");
    expect(page).toContain(`curl -H &#34;Authorization: Bearer ${accessToken}&#34; ${t.sandbox.origin}/public/oauth2/1/user`);
    expect(page).not.toContain(t.sandbox.clientSecret);

    const user = await t.client.account.user(accessToken);
    expect(user.digilockerId).toBe(AJIT);
    const refreshed = await t.client.oauth.refresh(byId(page, "refresh-token")!);
    expect(refreshed.account?.digilockerId).toBe(AJIT);
  });

  it("v2: shows an id_token that verifies against the JWKS, with the acr asked for", async () => {
    const t = await start();
    const page = await getTokenThroughPage(t, { user: AJIT, version: "2", acr: "pan", req_doctype: "PANCR" });
    const accessToken = byId(page, "access-token")!;
    const idToken = byId(page, "id-token")!;
    expect(byId(page, "refresh-token")).toBeNull();
    expect(page).toContain("<code>partners.PANCR</code>");

    const jwks = (await (await fetch(`${t.sandbox.origin}/.well-known/jwks.json`)).json()) as { keys: JsonWebKey[] };
    const [h, p, s] = idToken.split(".") as [string, string, string];
    expect(verify("sha256", Buffer.from(`${h}.${p}`), createPublicKey({ key: jwks.keys[0]!, format: "jwk" }), Buffer.from(s, "base64url"))).toBe(true);
    const claims = JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: AJIT, aud: t.sandbox.clientId, pan_number: "ABCDE1234F" });
    await expect(t.client.account.user(accessToken)).resolves.toMatchObject({ name: "Ajit Kumar" });
  });

  it("pre-selects the configured client, not the requester-only second one", async () => {
    const t = await start();
    const form = await (await new Browser().get(`${t.sandbox.origin}/sandbox/token`)).text();
    expect(form).toMatch(new RegExp(`<option value="${t.sandbox.clientId}" selected>`));
    expect(form).not.toMatch(/<option value="SANDBOX2" selected>/);
  });

  it("pre-selects the user of the session on the form", async () => {
    const t = await start();
    const browser = new Browser();
    await getTokenThroughPage(t, { user: PRIYA, version: "1" }, browser);
    const form = await (await browser.get(`${t.sandbox.origin}/sandbox/token`)).text();
    expect(form).toMatch(new RegExp(`value="${PRIYA}" checked`));
  });

  it("shows a failed exchange instead of a token (fault injection drops the token call)", async () => {
    const t = await start();
    const browser = new Browser();
    const callback = await reachCallback(t, { user: AJIT, version: "1" }, browser);
    t.sandbox.setFaults({ dropRate: 1, endpoints: ["oauth.tokenV1"] });
    const res = await browser.get(callback);
    expect(res.status).toBe(502);
    expect(await res.text()).toContain("Token exchange failed");
  });

  it("refuses a start without a user, with the form again", async () => {
    const t = await start();
    const res = await fetch(`${t.sandbox.origin}/sandbox/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "version=1",
      redirect: "manual",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Choose a seeded user");
  });

  it("shows the error when the user denies", async () => {
    const t = await start();
    const browser = new Browser();
    const started = await browser.post(`${t.sandbox.origin}/sandbox/token`, new URLSearchParams({ user: AJIT, version: "1" }));
    const consent = parseConsentForm(await (await browser.get(started.headers.get("location")!)).text());
    const denied = await browser.post(
      new URL(consent.action, t.sandbox.origin),
      new URLSearchParams({ request_id: consent.requestId, decision: "deny" }),
    );
    const page = await (await browser.get(denied.headers.get("location")!)).text();
    expect(page).toContain("access_denied");
    expect(browser.cookies.has("dl_sandbox_flow")).toBe(false);
  });

  it("refuses a callback whose state is not the one this browser started", async () => {
    const t = await start();
    const browser = new Browser();
    await browser.post(`${t.sandbox.origin}/sandbox/token`, new URLSearchParams({ user: AJIT, version: "1" }));
    const res = await browser.get(`${t.sandbox.origin}/sandbox/callback?code=abc&state=forged`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("State mismatch");
  });

  it("shows the code for a manual exchange when the flow was not started from the page", async () => {
    const t = await start();
    const res = await fetch(`${t.sandbox.origin}/sandbox/callback?code=c0de&state=s1`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(byId(page, "code")).toBe("c0de");
    expect(page).toContain("grant_type=authorization_code");
  });
});

describe("discovery, keys and certificate", () => {
  it("publishes the RS256 signing key as a JWKS", async () => {
    const t = await start();
    const res = await fetch(`${t.sandbox.origin}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const jwks = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig", e: "AQAB" });
    expect(jwks.keys[0]!.kid).toMatch(/^[0-9a-f]{16}$/);
    expect(jwks.keys[0]).not.toHaveProperty("d");
  });

  it("publishes OpenID discovery pointing at the sandbox's own endpoints", async () => {
    const t = await start();
    const o = t.sandbox.origin;
    const doc = (await (await fetch(`${o}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: o,
      authorization_endpoint: `${o}/public/oauth2/1/authorize`,
      token_endpoint: `${o}/public/oauth2/2/token`,
      jwks_uri: `${o}/.well-known/jwks.json`,
      revocation_endpoint: `${o}/public/oauth2/1/revoke`,
      end_session_endpoint: `${o}/signin/logout/Y`,
      id_token_signing_alg_values_supported: ["RS256"],
      code_challenge_methods_supported: ["S256"],
    });
    expect(doc.scopes_supported).toEqual(expect.arrayContaining(["openid", "userdetails", "files.issueddocs", "files.uploadeddocs"]));
    // The documented URLs answer.
    expect((await fetch(doc.jwks_uri as string)).status).toBe(200);
  });

  it("serves the signing certificate, whose key is the JWKS key", async () => {
    const t = await start();
    const res = await fetch(`${t.sandbox.origin}/sandbox/certificate.pem`);
    expect(res.status).toBe(200);
    const pem = await res.text();
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const cert = new X509Certificate(pem);
    const jwks = (await (await fetch(`${t.sandbox.origin}/.well-known/jwks.json`)).json()) as { keys: JsonWebKey[] };
    expect(cert.publicKey.export({ format: "jwk" }).n).toBe(jwks.keys[0]!.n);
    // Then the rotated XML signing certificate (SANDBOX_XML_SIGNING_CERTIFICATE=rotated), by its SHA-256 fingerprint.
    const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    expect(blocks).toHaveLength(2);
    expect(new X509Certificate(blocks[1] ?? "").fingerprint256).toBe(
      "9E:F6:D5:10:4A:C5:01:13:2F:DD:DB:5C:E6:4C:45:88:32:2F:6F:1B:8B:E9:77:5E:96:1D:DF:0A:F3:CC:A3:90",
    );
  });
});

describe("fault settings", () => {
  const put = (t: TestSandbox, body: string) =>
    fetch(`${t.sandbox.origin}/sandbox/faults`, { method: "PUT", headers: { "content-type": "application/json" }, body });

  it("reads the defaults", async () => {
    const t = await start();
    const res = await fetch(`${t.sandbox.origin}/sandbox/faults`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      latencyMs: 0,
      latencySpikeRate: 0,
      latencySpikeMs: 5000,
      errorRate: 0,
      errorCode: "unexpected_error",
      dropRate: 0,
      wrongHmac: false,
      endpoints: [],
    });
  });

  it("replaces them, and the API then answers with the chosen fault", async () => {
    const t = await start();
    const { accessToken } = t.sandbox.issueToken({ userId: AJIT, scopes: ["userdetails"] });
    const res = await put(t, JSON.stringify({ errorRate: 1, errorCode: "invalid_token", endpoints: ["account.user"] }));
    expect(res.status).toBe(200);
    const expected = {
      latencyMs: 0,
      latencySpikeRate: 0,
      latencySpikeMs: 5000,
      errorRate: 1,
      errorCode: "invalid_token",
      dropRate: 0,
      wrongHmac: false,
      endpoints: ["account.user"],
    };
    expect(await res.json()).toEqual(expected);
    expect(await (await fetch(`${t.sandbox.origin}/sandbox/faults`)).json()).toEqual(expected);
    expect(t.sandbox.faults()).toEqual(expected);
    await expect(t.client.account.user(accessToken)).rejects.toBeInstanceOf(InvalidTokenError);

    await put(t, JSON.stringify({ errorRate: 1, endpoints: ["account.user"] }));
    await expect(t.client.account.user(accessToken)).rejects.toBeInstanceOf(UpstreamServerError);
    // `{}` switches everything off again.
    expect((await put(t, "{}")).status).toBe(200);
    await expect(t.client.account.user(accessToken)).resolves.toMatchObject({ digilockerId: AJIT });
  });

  it("answers invalid settings with 400 and the problems, keeping the old ones", async () => {
    const t = await start();
    const res = await put(t, JSON.stringify({ errorRate: 2, dropRate: "half" }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; problems: { path: string; message: string }[] };
    expect(body.error).toBe("invalid_faults");
    expect(body.problems.map((p) => p.path).sort()).toEqual(["dropRate", "errorRate"]);
    expect(t.sandbox.faults().errorRate).toBe(0);
  });

  it("answers a body that is not JSON with 400", async () => {
    const t = await start();
    const res = await put(t, "errorRate=1");
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_json" });
  });
});
