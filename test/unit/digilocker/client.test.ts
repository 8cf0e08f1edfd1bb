import { afterEach, describe, expect, it } from "vitest";
import { MockAgent } from "undici";
import {
  DigiLockerClient,
  DigiLockerConfigError,
  DigiLockerError,
  PRODUCTION_BASE_URL,
  type ClientSettingsInput,
} from "../../../src/digilocker/index.js";
import { CLIENT_ID, CLIENT_SECRET, JSON_HEADERS, specSample } from "../../helpers/digilocker.js";
import { ACCESS_TOKEN } from "../../helpers/endpoint-calls.js";
import { startServer } from "../../helpers/http-server.js";
import { expectNoSecrets } from "../../helpers/secrets.js";

function configError(settings: unknown): DigiLockerConfigError {
  try {
    new DigiLockerClient(settings as ClientSettingsInput);
  } catch (error) {
    expect(error).toBeInstanceOf(DigiLockerConfigError);
    return error as DigiLockerConfigError;
  }
  throw new Error("expected the settings to be refused");
}

describe("settings validation", () => {
  it("lists every problem at once: bad baseUrl, empty clientId, empty clientSecret", () => {
    const error = configError({ baseUrl: "not a url", clientId: "", clientSecret: "" });
    expect(error.name).toBe("DigiLockerConfigError");
    expect(error).not.toBeInstanceOf(DigiLockerError);
    const paths = error.issues.map((i) => i.path);
    expect(new Set(paths)).toEqual(new Set(["baseUrl", "clientId", "clientSecret"]));
    expect(error.issues).toContainEqual({ path: "clientId", message: "clientId is required" });
    expect(error.issues).toContainEqual({ path: "clientSecret", message: "clientSecret is required" });
    expect(error.issues).toContainEqual({
      path: "baseUrl",
      message: "baseUrl must be an absolute http(s) URL including the /public prefix",
    });
    expect(error.message).toMatch(/^Invalid DigiLocker client settings: /);
    for (const path of ["baseUrl: ", "clientId: clientId is required", "clientSecret: clientSecret is required"]) {
      expect(error.message).toContain(path);
    }
  });

  it("refuses blank credentials (whitespace only)", () => {
    const error = configError({ clientId: "   ", clientSecret: " \t " });
    expect(error.issues).toEqual([
      { path: "clientId", message: "clientId is required" },
      { path: "clientSecret", message: "clientSecret is required" },
    ]);
  });

  it("refuses a non-http(s) baseUrl", () => {
    const error = configError({ baseUrl: "ftp://digilocker.test/public", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    expect(error.issues).toEqual([{ path: "baseUrl", message: "baseUrl must use http or https" }]);
  });

  it("names nested settings by their dotted path", () => {
    const error = configError({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      timeouts: { connectMs: 0, requestMs: 1.5 },
      retry: { maxRetries: 11, baseDelayMs: -1 },
      pool: { connections: 0 },
      maxDownloadBytes: 0,
      tokenAuth: "private_key_jwt",
      logoutUrl: "nowhere",
    });
    expect(new Set(error.issues.map((i) => i.path))).toEqual(
      new Set([
        "timeouts.connectMs",
        "timeouts.requestMs",
        "retry.maxRetries",
        "retry.baseDelayMs",
        "pool.connections",
        "maxDownloadBytes",
        "tokenAuth",
        "logoutUrl",
      ]),
    );
  });

  it("refuses settings that are not an object", () => {
    expect(configError(undefined).issues).toHaveLength(1);
    expect(configError("https://digilocker.test/public").issues).toHaveLength(1);
  });

  it("never repeats the client secret it was given", () => {
    const secret = "Zq8-secret-Wx3Lm9Vt5Nc";
    const cases = [
      { baseUrl: "not a url", clientId: "", clientSecret: secret },
      { baseUrl: `ftp://${secret}@digilocker.test/public`, clientId: CLIENT_ID, clientSecret: secret },
      { clientId: secret, clientSecret: secret, timeouts: { connectMs: -1 }, retry: { maxRetries: 99 } },
      { clientId: CLIENT_ID, clientSecret: secret, tokenAuth: secret, metaEncoding: secret, timestamp: secret },
      { clientId: CLIENT_ID, clientSecret: { value: secret } },
      { clientId: CLIENT_ID, clientSecret: secret, logoutUrl: secret },
    ];
    for (const settings of cases) {
      const error = configError(settings);
      expect(error.issues.length).toBeGreaterThan(0);
      expectNoSecrets(error, [secret]);
    }
  });
});

describe("defaults", () => {
  it("fills in production, timeouts, retry and pool", () => {
    const client = new DigiLockerClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    expect(client.settings).toEqual({
      baseUrl: "https://digilocker.meripehchaan.gov.in/public",
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      tokenAuth: "client_secret_post",
      metaEncoding: "openapi",
      timestamp: "unix",
      fileHmac: "require",
      timeouts: { connectMs: 5_000, headersMs: 15_000, bodyMs: 30_000, requestMs: 45_000 },
      retry: { maxRetries: 2, baseDelayMs: 200, maxDelayMs: 3_000 },
      pool: { connections: 16, keepAliveTimeoutMs: 30_000 },
      maxDownloadBytes: 25 * 1024 * 1024,
    });
    expect(PRODUCTION_BASE_URL).toBe("https://digilocker.meripehchaan.gov.in/public");
    expect(Object.isFrozen(client.settings)).toBe(true);
  });

  it("keeps the defaults of a nested group when only part of it is given", () => {
    const client = new DigiLockerClient({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      timeouts: { headersMs: 1_000 },
      retry: { maxRetries: 0 },
    });
    expect(client.settings.timeouts).toEqual({ connectMs: 5_000, headersMs: 1_000, bodyMs: 30_000, requestMs: 45_000 });
    expect(client.settings.retry).toEqual({ maxRetries: 0, baseDelayMs: 200, maxDelayMs: 3_000 });
  });

  it("trims trailing slashes from baseUrl and spaces around clientId; the secret is kept as given", () => {
    const client = new DigiLockerClient({
      baseUrl: "http://127.0.0.1:4010/public///",
      clientId: `  ${CLIENT_ID} `,
      clientSecret: CLIENT_SECRET,
    });
    expect(client.settings.baseUrl).toBe("http://127.0.0.1:4010/public");
    expect(client.settings.clientId).toBe(CLIENT_ID);
    expect(client.settings.clientSecret).toBe(CLIENT_SECRET);
  });

  it("sends requests under the trimmed baseUrl (no double slash)", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const client = new DigiLockerClient(
      { baseUrl: "https://digilocker.test/public/", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      { dispatcher: agent },
    );
    agent
      .get("https://digilocker.test")
      .intercept({ path: "/public/oauth2/1/user", method: "GET" })
      .reply(200, specSample("user.json"), { headers: JSON_HEADERS });
    await expect(client.account.user(ACCESS_TOKEN)).resolves.toMatchObject({ name: "Ajit Kumar" });
    agent.assertNoPendingInterceptors();
    await agent.close();
  });
});

describe("close()", () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0)) await fn();
  });

  it("is safe to call twice, and before any request", async () => {
    const client = new DigiLockerClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    await expect(client.close()).resolves.toBeUndefined();
    await expect(client.close()).resolves.toBeUndefined();
  });

  it("is safe when called twice at once", async () => {
    const client = new DigiLockerClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    await expect(Promise.all([client.close(), client.close()])).resolves.toEqual([undefined, undefined]);
  });

  it("closes the client's own pool after real requests", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, JSON_HEADERS).end(specSample("user.json"));
    });
    cleanup.push(() => server.close());
    const client = new DigiLockerClient({ baseUrl: server.baseUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    await client.account.user(ACCESS_TOKEN);
    await client.account.user(ACCESS_TOKEN);
    await expect(client.close()).resolves.toBeUndefined();
    await expect(client.close()).resolves.toBeUndefined();
    expect(server.requests).toHaveLength(2);
  });

  it("leaves an injected dispatcher open for its owner", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    cleanup.push(() => agent.close());
    const settings = { baseUrl: "https://digilocker.test/public", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };
    const first = new DigiLockerClient(settings, { dispatcher: agent });
    await first.close();
    await first.close();

    agent
      .get("https://digilocker.test")
      .intercept({ path: "/public/oauth2/1/user", method: "GET" })
      .reply(200, specSample("user.json"), { headers: JSON_HEADERS });
    const second = new DigiLockerClient(settings, { dispatcher: agent });
    await expect(second.account.user(ACCESS_TOKEN)).resolves.toMatchObject({ name: "Ajit Kumar" });
  });
});
