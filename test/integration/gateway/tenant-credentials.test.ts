// updateDigiLockerCredentials over real HTTP, gateway ↔ embedded sandbox: a partner with the scope stores credentials
// the sandbox accepts; a wrong secret, an unknown client id, DigiLocker down and a gateway without encryption keys are
// typed answers that store nothing; bad input is BAD_USER_INPUT and a missing scope FORBIDDEN. The secrets sent never
// appear in an answer or a log line.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { SECOND_CLIENT } from "../../../src/sandbox/seed/clients.js";
import { startGateway } from "../../../src/server/gateway.js";
import { createLogger } from "../../../src/server/logger.js";

const KEYS = `k1:${Buffer.alloc(32, 1).toString("base64")}`;
const PLANTED = "planted-WRONG-secret-3d5f7a9c1e";
const SECRETS = [PLANTED, SECOND_CLIENT.secret];

const UPDATE = /* GraphQL */ `
  mutation Update($input: UpdateDigiLockerCredentialsInput!) {
    updateDigiLockerCredentials(input: $input) {
      __typename
      ... on DigiLockerCredentials { clientId redirectUri tokenEndpoint version checkedAt }
      ... on Problem { code message }
    }
  }
`;

interface Answer {
  status: number;
  data?: { updateDigiLockerCredentials: Record<string, unknown> } | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function start(env: Record<string, string> = {}) {
  const raw: string[] = [];
  const logger = createLogger("debug", { write: (line: string) => { raw.push(line); } });
  const config = loadConfig({ DATA_DIR: "memory", PORT: "0", SANDBOX_PORT: "0", LOG_LEVEL: "debug", DIGILOCKER_MAX_RETRIES: "0", ...env });
  const gateway = await startGateway(config, { logger });
  const { tenants } = gateway.services;
  return {
    gateway,
    tenants,
    logText: () => raw.join(""),
    async send(input: Record<string, unknown>, key: string | null, query = UPDATE): Promise<Answer> {
      const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
      if (key !== null) headers["x-api-key"] = key;
      const res = await fetch(`${gateway.url}/graphql`, { method: "POST", headers, body: JSON.stringify({ query, variables: { input } }) });
      const text = await res.text();
      for (const secret of SECRETS) expect(text, "the answer holds a secret").not.toContain(secret);
      return { status: res.status, ...(JSON.parse(text) as Omit<Answer, "status">) };
    },
    async close() {
      await gateway.close();
    },
  };
}

type Started = Awaited<ReturnType<typeof start>>;

const right = (g: Started) => ({
  clientId: SECOND_CLIENT.id,
  clientSecret: SECOND_CLIENT.secret,
  redirectUri: `${g.gateway.publicUrl}/auth/callback`,
  tokenEndpoint: "OPENID",
});

describe("updateDigiLockerCredentials", () => {
  let g: Started;
  let key: string;
  let partnerId: string;
  let unscopedKey: string;

  beforeAll(async () => {
    g = await start({ CREDENTIALS_ENCRYPTION_KEYS: KEYS });
    const created = await g.gateway.services.partners.create({ name: "Acme KYC", scopes: ["credentials:manage"], redirectOrigins: ["https://kyc.example.in"] });
    key = created.key;
    partnerId = created.partner.id;
    unscopedKey = (await g.gateway.services.partners.create({ name: "Reader", scopes: ["catalogue:read"] })).key;
  });
  afterAll(async () => {
    await g.close();
    for (const secret of SECRETS) expect(g.logText(), "a log line holds a secret").not.toContain(secret);
  });

  it("refuses a wrong secret with DigiLockerClientSecretRejected, storing nothing", async () => {
    const answer = await g.send({ ...right(g), clientSecret: PLANTED }, key);
    expect(answer).toEqual({
      status: 200,
      data: {
        updateDigiLockerCredentials: {
          __typename: "DigiLockerClientSecretRejected",
          code: "DIGILOCKER_CLIENT_SECRET_REJECTED",
          message: expect.stringContaining("Nothing changed") as string,
        },
      },
    });
    expect(await g.tenants.credentials.get(partnerId)).toBeNull();
  });

  it("refuses an unknown client id with DigiLockerClientIdUnknown, storing nothing", async () => {
    const answer = await g.send({ ...right(g), clientId: "NOSUCHCLIENT" }, key);
    expect(answer.data?.updateDigiLockerCredentials).toMatchObject({ __typename: "DigiLockerClientIdUnknown", code: "DIGILOCKER_CLIENT_ID_UNKNOWN" });
    expect(await g.tenants.credentials.get(partnerId)).toBeNull();
  });

  it("answers DigiLockerUnreachable when DigiLocker drops the call, storing nothing", async () => {
    const sandbox = g.gateway.sandbox;
    if (sandbox === null) throw new Error("the test gateway runs the embedded sandbox");
    sandbox.setFaults({ dropRate: 1, endpoints: ["meta.issuers"] });
    try {
      const answer = await g.send(right(g), key);
      expect(answer.data?.updateDigiLockerCredentials).toMatchObject({ __typename: "DigiLockerUnreachable", code: "DIGILOCKER_UNREACHABLE" });
    } finally {
      sandbox.setFaults({});
    }
    expect(await g.tenants.credentials.get(partnerId)).toBeNull();
  });

  it("stores credentials the sandbox accepts, answers them without the secret, and serves the partner with them", async () => {
    const before = g.gateway.upstreamCalls.count("meta.issuers");
    const answer = await g.send(right(g), key);
    // The live check: one signed meta call.
    expect(g.gateway.upstreamCalls.count("meta.issuers")).toBe(before + 1);
    expect(answer).toEqual({
      status: 200,
      data: {
        updateDigiLockerCredentials: {
          __typename: "DigiLockerCredentials",
          clientId: "SANDBOX2",
          redirectUri: `${g.gateway.publicUrl}/auth/callback`,
          tokenEndpoint: "OPENID",
          version: 1,
          checkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/) as string,
        },
      },
    });
    const lease = await g.tenants.clients.clientFor(partnerId);
    expect(lease.identity).toMatchObject({ clientId: "SANDBOX2", tokenEndpoint: "openid", version: 1 });
    expect((await lease.meta.issuers()).all.length).toBeGreaterThan(0);
    lease.release();
    // A wrong secret now leaves the stored ones in place.
    await g.send({ ...right(g), clientSecret: PLANTED }, key);
    expect(await g.tenants.credentials.get(partnerId)).toMatchObject({ clientId: "SANDBOX2", version: 1 });
    // And a change is version 2, used at once.
    const again = await g.send({ ...right(g), tokenEndpoint: "V1" }, key);
    expect(again.data?.updateDigiLockerCredentials).toMatchObject({ tokenEndpoint: "V1", version: 2 });
    const next = await g.tenants.clients.clientFor(partnerId);
    expect(next.identity).toMatchObject({ tokenEndpoint: "v1", version: 2 });
    next.release();
    // The log says what happened (whose, which client, which version), which is where the secrets are looked for.
    expect(g.logText()).toMatch(/"partner":"ptn_[a-z2-7]{12}","clientId":"SANDBOX2","version":2,"keyId":"k1","msg":"DigiLocker credentials stored"/);
  });

  it.each([
    ["an oversized secret", { clientSecret: "x".repeat(300) }, /clientSecret: is longer/],
    ["an http redirect URI off localhost", { redirectUri: "http://kyc.example.in/auth/callback" }, /redirectUri: must use https/],
    ["a redirect URI with a fragment", { redirectUri: "https://kyc.example.in/auth/callback#x" }, /redirectUri: must not have a fragment/],
    ["a malformed client id", { clientId: "not a client id" }, /clientId: must be the client id/],
    ["a secret with a line break", { clientSecret: `${PLANTED}\n` }, /clientSecret: must not start or end with blanks/],
    // The code comes back to this gateway's callback, where the browser's sign-in binding cookie is: nowhere else.
    [
      "a redirect URI that is not this gateway's callback",
      { redirectUri: "https://kyc.example.in/auth/callback" },
      /^input\.redirectUri: must be this gateway's callback, http:\/\/localhost:\d+\/auth\/callback: register exactly that redirect URI for this client on DigiLocker's Partners Portal$/,
    ],
  ])("answers BAD_USER_INPUT for %s, naming the field and never the value", async (_what, change, message) => {
    const answer = await g.send({ ...right(g), ...change }, key);
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(message) as string, extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) as object })]);
  });

  it("answers BAD_USER_INPUT for a token endpoint that is not V1 or OPENID", async () => {
    const answer = await g.send({ ...right(g), tokenEndpoint: "V2" }, key);
    expect(answer.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("answers FORBIDDEN, naming the scope, for a partner without credentials:manage, and for a caller without a key", async () => {
    for (const k of [unscopedKey, null]) {
      const answer = await g.send({ ...right(g), clientSecret: PLANTED }, k);
      expect(answer.data ?? null).toBeNull();
      expect(answer.errors).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: "FORBIDDEN", scope: "credentials:manage" }) as object }),
      ]);
    }
  });

  it("keeps a secret written into the query text itself out of the logs too", async () => {
    const inline = UPDATE.replace("$input: UpdateDigiLockerCredentialsInput!", "").replace(
      "(input: $input)",
      `(input: { clientId: "SANDBOX2", clientSecret: "${PLANTED}", redirectUri: "${g.gateway.publicUrl}/auth/callback", tokenEndpoint: OPENID })`,
    ).replace("mutation Update()", "mutation Update");
    const answer = await g.send({}, key, inline);
    expect(answer.data?.updateDigiLockerCredentials).toMatchObject({ code: "DIGILOCKER_CLIENT_SECRET_REJECTED" });
  });
});

describe("updateDigiLockerCredentials without CREDENTIALS_ENCRYPTION_KEYS", () => {
  let g: Started;
  afterAll(async () => {
    await g.close();
  });

  it("answers CredentialsStorageNotConfigured, telling the operator to set it, before asking DigiLocker", async () => {
    g = await start();
    const { key, partner } = await g.gateway.services.partners.create({ name: "Acme KYC", scopes: ["credentials:manage"] });
    const before = g.gateway.upstreamCalls.count("meta.issuers");
    const answer = await g.send(right(g), key);
    expect(answer.data?.updateDigiLockerCredentials).toEqual({
      __typename: "CredentialsStorageNotConfigured",
      code: "CREDENTIALS_STORAGE_NOT_CONFIGURED",
      message: expect.stringContaining("CREDENTIALS_ENCRYPTION_KEYS") as string,
    });
    expect(g.gateway.upstreamCalls.count("meta.issuers")).toBe(before);
    expect(await g.tenants.credentials.get(partner.id)).toBeNull();
    for (const secret of SECRETS) expect(g.logText()).not.toContain(secret);
  });
});
