// Tenants across gateway instances sharing one PostgreSQL schema (docs/tenants.md): A runs the embedded sandbox, B and
// C use A's sandbox as their DigiLocker, so the sandbox's callsByClient shows which client id each instance used. A
// credential change made on A applies on A at once and on B within the version interval (5 s, B's clock moved); C,
// which lacks the key the secret was sealed with, answers the partner a clear error and never calls DigiLocker with
// the gateway's credentials instead, until the partner sets its credentials again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { SECOND_CLIENT } from "../../../src/sandbox/seed/clients.js";
import { startGateway, type Gateway } from "../../../src/server/gateway.js";
import { Browser } from "../../helpers/consent.js";
import { createTestSchema } from "../../helpers/databases.js";
import { ManualClock, startTestGateway, type TestGateway } from "../../helpers/gateway.js";

const key = (id: string, fill: number) => `${id}:${Buffer.alloc(32, fill).toString("base64")}`;
const K1 = key("k1", 1);
const K2 = key("k2", 2);
const PARTNER_ORIGIN = "https://partner.example.in";
const SCOPES = ["consent-requests:create", "catalogue:read", "accounts:verify", "credentials:manage"];
const VERIFY = `mutation { verifyAccount(input: { mobile: "9123456780" }) { __typename } }`;
const STATISTICS = `{ statistics { issuers } }`;
const UPDATE = `mutation ($input: UpdateDigiLockerCredentialsInput!) {
  updateDigiLockerCredentials(input: $input) { __typename ... on DigiLockerCredentials { clientId version } }
}`;

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

async function post(url: string, apiKey: string, query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": apiKey },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Answer;
}

describe("tenants on gateways sharing one database", () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let a: TestGateway;
  let b: Gateway;
  let c: Gateway;
  const clockB = new ManualClock();

  /**
   * Another instance on A's sandbox and database, behind the same public URL as A (as instances behind one load
   * balancer are: partners register that one callback); `keys`: its CREDENTIALS_ENCRYPTION_KEYS.
   */
  async function instance(keys: string, clock?: ManualClock): Promise<Gateway> {
    const config = loadConfig({
      PORT: "0",
      PUBLIC_URL: a.gateway.publicUrl,
      LOG_LEVEL: "silent",
      DIGILOCKER_MAX_RETRIES: "0",
      DATABASE_URL: schema.url,
      CREDENTIALS_ENCRYPTION_KEYS: keys,
      DIGILOCKER_BASE_URL: a.sandbox.baseUrl,
      DIGILOCKER_CLIENT_ID: a.sandbox.clientId,
      DIGILOCKER_CLIENT_SECRET: a.sandbox.clientSecret,
      DIGILOCKER_JWKS_URL: `${a.sandbox.origin}/.well-known/jwks.json`,
      DIGILOCKER_ID_TOKEN_ISSUER: a.sandbox.origin,
    });
    return startGateway(config, clock ? { clock, now: () => clock.epoch() } : {});
  }

  const calls = (clientId: string, endpoint: string) => a.sandbox.callsByClient()[clientId]?.[endpoint] ?? 0;
  const credentials = (client: { id: string; secret: string }) => ({
    clientId: client.id,
    clientSecret: client.secret,
    redirectUri: `${a.gateway.publicUrl}/auth/callback`,
    tokenEndpoint: "OPENID",
  });

  beforeAll(async () => {
    schema = await createTestSchema();
    a = await startTestGateway({ DATABASE_URL: schema.url, CREDENTIALS_ENCRYPTION_KEYS: K1 });
    b = await instance(K1, clockB);
    c = await instance(K2);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a.close(), b.close(), c.close()]);
    await schema.drop();
  });

  it("a change on one instance applies there at once and on the other within the version interval", async () => {
    const { key: apiKey } = await a.gateway.services.partners.create({ name: "Acme KYC", scopes: SCOPES, redirectOrigins: [PARTNER_ORIGIN] });
    expect((await post(a.gateway.url, apiKey, UPDATE, { input: credentials(SECOND_CLIENT) })).data).toEqual({
      updateDigiLockerCredentials: { __typename: "DigiLockerCredentials", clientId: "SANDBOX2", version: 1 },
    });
    a.sandbox.resetStats();
    const verified = { data: { verifyAccount: { __typename: "AccountVerification" } } };
    expect(await post(b.url, apiKey, VERIFY)).toEqual(verified);
    expect(calls("SANDBOX2", "meta.verifyAccount")).toBe(1);

    // On A, to the gateway's own client id: A at once.
    const gatewayClient = { id: a.sandbox.clientId, secret: a.sandbox.clientSecret };
    expect((await post(a.gateway.url, apiKey, UPDATE, { input: credentials(gatewayClient) })).data).toMatchObject({ updateDigiLockerCredentials: { version: 2 } });
    expect(await post(a.gateway.url, apiKey, VERIFY)).toEqual(verified);
    expect(calls(a.sandbox.clientId, "meta.verifyAccount")).toBe(1);

    // B read version 1 less than 5 s ago: it still serves the partner with SANDBOX2, then reads the version again.
    expect(await post(b.url, apiKey, VERIFY)).toEqual(verified);
    expect(calls("SANDBOX2", "meta.verifyAccount")).toBe(2);
    clockB.advance(5_000);
    expect(await post(b.url, apiKey, VERIFY)).toEqual(verified);
    expect(calls(a.sandbox.clientId, "meta.verifyAccount")).toBe(2);
    expect(calls("SANDBOX2", "meta.verifyAccount")).toBe(2);
  });

  it("a secret whose key an instance lacks is a clear error there, never the gateway's credentials, until it is set again", async () => {
    const { key: apiKey, partner } = await a.gateway.services.partners.create({ name: "Bank", scopes: SCOPES, redirectOrigins: [PARTNER_ORIGIN] });
    expect((await post(a.gateway.url, apiKey, UPDATE, { input: credentials(SECOND_CLIENT) })).data).toMatchObject({ updateDigiLockerCredentials: { version: 1 } });
    a.sandbox.resetStats();

    const refused = await post(c.url, apiKey, STATISTICS);
    expect(refused).toEqual({
      data: { statistics: null },
      errors: [
        expect.objectContaining({
          message:
            "This partner's DigiLocker client secret cannot be read by the gateway (the key it was encrypted with is no longer configured, or the stored value is damaged), so DigiLocker was not called; the gateway's own credentials are never used in its place. Set the credentials again with updateDigiLockerCredentials, or ask the gateway's operator to restore the key.",
          path: ["statistics"],
          extensions: { code: "SERVICE_UNAVAILABLE", reason: "partner_credentials_unreadable", requestId: expect.any(String) as string },
        }),
      ],
    });
    // A consent link of the partner's, opened on C: a page saying so, and no redirect to DigiLocker.
    const created = await post(c.url, apiKey, `mutation { createConsentRequest(input: { redirectUrl: "${PARTNER_ORIGIN}/done" }) { url } }`);
    const link = (created.data?.createConsentRequest as { url: string } | undefined)?.url;
    if (link === undefined) throw new Error("no consent request");
    const page = await new Browser().get(`${c.url}${new URL(link).pathname}`);
    expect(page.status).toBe(503);
    expect(await page.text()).toContain("This application&#39;s DigiLocker connection cannot be used right now. Ask the application to try again later.");
    expect(a.sandbox.callsByClient()).toEqual({});

    // Setting them again on C seals them with C's key: C serves the partner with them.
    expect((await post(c.url, apiKey, UPDATE, { input: credentials(SECOND_CLIENT) })).data).toMatchObject({ updateDigiLockerCredentials: { version: 2 } });
    expect((await post(c.url, apiKey, STATISTICS)).errors).toBeUndefined();
    expect(a.sandbox.callsByClient()).toEqual({ SANDBOX2: { "meta.issuers": 1, "meta.statistics": 1 } });
    expect(await a.gateway.services.tenants.credentials.get(partner.id)).toMatchObject({ keyId: "k2", version: 2 });
  });
});
