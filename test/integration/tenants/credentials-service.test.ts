// updateDigiLockerCredentials against the sandbox over real HTTP, on PostgreSQL and PGlite: stored only when DigiLocker
// accepts the credentials; an unknown client id, a wrong secret, DigiLocker not answering, and a gateway without
// encryption keys each give their own answer and change nothing. A planted secret appears in no answer, log line or error.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DigiLockerApiError, DigiLockerClient, type CallEvent } from "../../../src/digilocker/index.js";
import { Partners } from "../../../src/partners/partners.js";
import { SECOND_CLIENT } from "../../../src/sandbox/seed/clients.js";
import { startSandbox, type Sandbox } from "../../../src/sandbox/server.js";
import { tenantClientFactory } from "../../../src/tenants/client-factory.js";
import { CredentialSealer, type EncryptionKey } from "../../../src/tenants/credential-sealing.js";
import { InvalidCredentialsInput } from "../../../src/tenants/credentials-input.js";
import { TenantCredentialsService } from "../../../src/tenants/credentials-service.js";
import { TenantCredentials } from "../../../src/tenants/tenant-credentials.js";
import { BACKENDS, openTestDatabase, type TestDatabase } from "../../helpers/databases.js";
import { expectNoSecrets } from "../../helpers/secrets.js";

const KEYS: EncryptionKey[] = [{ id: "k1", key: Buffer.alloc(32, 1) }];
/** SANDBOX2's real secret: what a partner sends when it gets it right. */
const RIGHT = { clientId: SECOND_CLIENT.id, clientSecret: SECOND_CLIENT.secret, redirectUri: "https://kyc.example.in/auth/callback", tokenEndpoint: "openid" } as const;
/** A wrong secret, planted so that any trace of it in an answer, a log line or an error is found. */
const PLANTED = "planted-WRONG-secret-7c3e9a1f5b";

/** A port nothing listens on: DigiLocker not answering. */
async function deadBaseUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  return `http://127.0.0.1:${port}/public`;
}

describe.each(BACKENDS)("TenantCredentialsService on %s, checked against the sandbox", (kind) => {
  let database: TestDatabase;
  let sandbox: Sandbox;
  let gateway: DigiLockerClient;
  let partnerId: string;
  let lines: string[];
  let calls: CallEvent[];
  const log = {
    info: (fields: Record<string, unknown>, message: string) => lines.push(JSON.stringify({ level: "info", ...fields, msg: message })),
    warn: (fields: Record<string, unknown>, message: string) => lines.push(JSON.stringify({ level: "warn", ...fields, msg: message })),
  };
  const now = () => new Date("2025-06-01T10:00:00Z");
  const credentials = (keys = KEYS) => new TenantCredentials({ db: database.db, sealer: new CredentialSealer(keys), now });
  const service = (options: { keys?: EncryptionKey[]; client?: DigiLockerClient; clockSkewMs?: number } = {}) =>
    new TenantCredentialsService({
      credentials: credentials(options.keys),
      createClient: tenantClientFactory(options.client ?? gateway, {
        onCall: (event) => calls.push(event),
        ...(options.clockSkewMs === undefined ? {} : { now: () => Date.now() + (options.clockSkewMs ?? 0) }),
      }),
      now,
      log,
      checkTimeoutMs: 2_000,
    });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    sandbox = await startSandbox({ port: 0 });
    gateway = new DigiLockerClient({ baseUrl: sandbox.baseUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret });
  });
  afterAll(async () => {
    await gateway.close();
    await sandbox.close();
    await database.close();
  });
  beforeEach(async () => {
    await database.reset();
    sandbox.setFaults({});
    lines = [];
    calls = [];
    partnerId = (await new Partners({ db: database.db, now }).create({ name: "Acme KYC" })).partner.id;
  });

  it("stores credentials DigiLocker accepts, after exactly one signed meta call", async () => {
    const result = await service().updateDigiLockerCredentials(partnerId, RIGHT);
    expect(result).toEqual({
      ok: true,
      credentials: {
        partnerId,
        clientId: "SANDBOX2",
        redirectUri: RIGHT.redirectUri,
        tokenEndpoint: "openid",
        version: 1,
        keyId: "k1",
        checkedAt: now(),
        updatedAt: now(),
      },
    });
    expect(calls.map((c) => [c.endpoint, c.status])).toEqual([["meta.issuers", 200]]);
    expect(lines).toEqual([expect.stringContaining('"msg":"DigiLocker credentials stored"')]);
    expect((await credentials().open(partnerId))?.clientSecret.reveal()).toBe(SECOND_CLIENT.secret);
    expect((await service().updateDigiLockerCredentials(partnerId, RIGHT)).ok && (await credentials().version(partnerId))).toBe(2);
  });

  it("answers client_secret_rejected for a wrong secret (DigiLocker's HMAC refusal), and changes nothing", async () => {
    await service().updateDigiLockerCredentials(partnerId, RIGHT);
    const result = await service().updateDigiLockerCredentials(partnerId, { ...RIGHT, clientSecret: PLANTED });
    expect(result).toEqual({ ok: false, reason: "client_secret_rejected" });
    expect(calls.at(-1)).toMatchObject({ endpoint: "meta.issuers", status: 400 });
    expect(await credentials().get(partnerId)).toMatchObject({ version: 1, clientId: "SANDBOX2" });
    expect((await credentials().open(partnerId))?.clientSecret.reveal()).toBe(SECOND_CLIENT.secret);
  });

  it("answers client_id_unknown for a client id DigiLocker does not know (invalid_client_id), and stores nothing", async () => {
    const result = await service().updateDigiLockerCredentials(partnerId, { ...RIGHT, clientId: "NOSUCHCLIENT" });
    expect(result).toEqual({ ok: false, reason: "client_id_unknown" });
    expect(calls.at(-1)).toMatchObject({ endpoint: "meta.issuers", status: 401 });
    expect(await credentials().get(partnerId)).toBeNull();
  });

  it("answers digilocker_unreachable when nothing answers, and stores nothing", async () => {
    const dead = new DigiLockerClient({ baseUrl: await deadBaseUrl(), clientId: "X", clientSecret: "unused-secret" });
    const result = await service({ client: dead }).updateDigiLockerCredentials(partnerId, RIGHT);
    await dead.close();
    expect(result).toEqual({ ok: false, reason: "digilocker_unreachable" });
    expect(calls).toHaveLength(1);
    expect(await credentials().get(partnerId)).toBeNull();
    expect(lines).toEqual([expect.stringMatching(/"level":"warn".*"reason":"digilocker_unreachable"/)]);
  });

  it("answers digilocker_unreachable when DigiLocker answers that it failed (500 unexpected_error), without retrying", async () => {
    sandbox.setFaults({ errorRate: 1, errorCode: "unexpected_error", endpoints: ["meta.issuers"] });
    expect(await service().updateDigiLockerCredentials(partnerId, RIGHT)).toEqual({ ok: false, reason: "digilocker_unreachable" });
    expect(calls.map((c) => c.status)).toEqual([500]);
    expect(await credentials().get(partnerId)).toBeNull();
  });

  it("answers storage_not_configured without CREDENTIALS_ENCRYPTION_KEYS, before asking DigiLocker", async () => {
    expect(await service({ keys: [] }).updateDigiLockerCredentials(partnerId, RIGHT)).toEqual({ ok: false, reason: "storage_not_configured" });
    expect(calls).toEqual([]);
    expect(await credentials().get(partnerId)).toBeNull();
  });

  it("throws when DigiLocker refuses our clock (Timestamp only): that says nothing of the credentials, and is ours", async () => {
    const error = await service({ clockSkewMs: -3 * 3_600_000 })
      .updateDigiLockerCredentials(partnerId, RIGHT)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DigiLockerApiError);
    expect((error as DigiLockerApiError).description).toMatch(/^Timestamp parameter is missing or invalid$/);
    expect(await credentials().get(partnerId)).toBeNull();
  });

  it("refuses a malformed input before any call", async () => {
    await expect(service().updateDigiLockerCredentials(partnerId, { ...RIGHT, redirectUri: "http://kyc.example.in/cb" })).rejects.toThrow(InvalidCredentialsInput);
    expect(calls).toEqual([]);
  });

  it("never lets the secret out: not in an answer, a log line or an error, whatever happens", async () => {
    const seen: unknown[] = [];
    const attempts = [
      () => service().updateDigiLockerCredentials(partnerId, { ...RIGHT, clientSecret: PLANTED }),
      () => service().updateDigiLockerCredentials(partnerId, { ...RIGHT, clientId: "NOSUCHCLIENT", clientSecret: PLANTED }),
      () => service({ keys: [] }).updateDigiLockerCredentials(partnerId, { ...RIGHT, clientSecret: PLANTED }),
      () => service({ clockSkewMs: -3 * 3_600_000 }).updateDigiLockerCredentials(partnerId, { ...RIGHT, clientSecret: PLANTED }),
      () => service().updateDigiLockerCredentials(partnerId, { ...RIGHT, clientSecret: ` ${PLANTED}` }),
      () => service().updateDigiLockerCredentials(partnerId, { ...RIGHT, clientId: PLANTED, clientSecret: PLANTED }),
    ];
    for (const attempt of attempts) seen.push(await attempt().catch((e: unknown) => e));
    // The secret DigiLocker accepts, stored: only the stored row (sealed) and open() hold it.
    seen.push(await service().updateDigiLockerCredentials(partnerId, { ...RIGHT }));
    for (const item of seen) expectNoSecrets(item, [PLANTED, SECOND_CLIENT.secret]);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) expectNoSecrets(line, [PLANTED, SECOND_CLIENT.secret]);
  });
});
