import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { sandboxSettingsSchema } from "../../src/sandbox/settings.js";

describe("loadConfig", () => {
  it("applies the documented defaults when nothing is set", () => {
    const config = loadConfig({});
    expect(config.digilocker).toEqual({
      baseUrl: "https://digilocker.meripehchaan.gov.in/public",
      credentials: null,
      tokenAuth: "client_secret_post",
      metaEncoding: "form",
      timestamp: "unix",
      fileHmac: "require",
      requestTimeoutMs: undefined,
      maxRetries: undefined,
    });
  });

  it("reads every variable", () => {
    const config = loadConfig({
      DIGILOCKER_BASE_URL: "http://127.0.0.1:4010/public",
      DIGILOCKER_CLIENT_ID: "ABCD1234",
      DIGILOCKER_CLIENT_SECRET: "secret-value",
      DIGILOCKER_TOKEN_AUTH: "client_secret_basic",
      DIGILOCKER_META_ENCODING: "multipart",
      DIGILOCKER_TS_CONVENTION: "unix-ist",
      DIGILOCKER_FILE_HMAC: "verify-if-present",
      DIGILOCKER_TIMEOUT_MS: "2500",
      DIGILOCKER_MAX_RETRIES: "0",
    });
    expect(config.digilocker).toEqual({
      baseUrl: "http://127.0.0.1:4010/public",
      credentials: { clientId: "ABCD1234", clientSecret: "secret-value" },
      tokenAuth: "client_secret_basic",
      metaEncoding: "multipart",
      timestamp: "unix-ist",
      fileHmac: "verify-if-present",
      requestTimeoutMs: 2500,
      maxRetries: 0,
    });
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ DIGILOCKER_CLIENT_ID: "", DIGILOCKER_CLIENT_SECRET: "" }).digilocker.credentials).toBeNull();
  });

  it("reports every problem at once, each with its variable's name, and never the secret", () => {
    let error: unknown;
    try {
      loadConfig({
        DIGILOCKER_BASE_URL: "not a url",
        DIGILOCKER_CLIENT_SECRET: "do-not-print-me",
        DIGILOCKER_TS_CONVENTION: "local",
        DIGILOCKER_MAX_RETRIES: "-1",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems).toHaveLength(4);
    for (const name of ["DIGILOCKER_BASE_URL", "DIGILOCKER_TS_CONVENTION", "DIGILOCKER_MAX_RETRIES", "DIGILOCKER_CLIENT_ID"]) {
      expect(message).toContain(name);
    }
    expect(message).not.toContain("do-not-print-me");
  });
});

describe("loadConfig: the sandbox (SANDBOX_*)", () => {
  it("leaves every sandbox setting unset by default, so the sandbox's own defaults apply", () => {
    const { sandbox } = loadConfig({});
    expect(sandbox).toEqual({
      host: "127.0.0.1",
      port: undefined,
      clientId: undefined,
      clientSecret: undefined,
      redirectUris: undefined,
      accessTokenTtlSeconds: undefined,
      timestamp: "unix",
      faults: {
        latencyMs: undefined,
        errorRate: undefined,
        errorCode: undefined,
        dropRate: undefined,
        wrongHmac: undefined,
        endpoints: undefined,
      },
    });
    // What `npm run sandbox` then runs with: the documented defaults.
    expect(sandboxSettingsSchema.parse(sandbox)).toMatchObject({
      host: "127.0.0.1",
      port: 4010,
      clientId: "SANDBOX1",
      clientSecret: "sandbox-client-secret",
      redirectUris: ["http://localhost:4000/auth/callback", "http://127.0.0.1:4000/auth/callback"],
      accessTokenTtlSeconds: 3600,
      timestamp: "unix",
      faults: { latencyMs: 0, errorRate: 0, errorCode: "unexpected_error", dropRate: 0, wrongHmac: false, endpoints: [] },
    });
  });

  it("reads every sandbox variable", () => {
    const { sandbox } = loadConfig({
      SANDBOX_HOST: "0.0.0.0",
      SANDBOX_PORT: "4011",
      SANDBOX_CLIENT_ID: "MYSANDBOX",
      SANDBOX_CLIENT_SECRET: "a-longer-secret",
      SANDBOX_REDIRECT_URIS: " http://localhost:4000/auth/callback , https://app.example/cb,",
      SANDBOX_TOKEN_TTL_SECONDS: "60",
      SANDBOX_LATENCY_MS: "250",
      SANDBOX_ERROR_RATE: "0.25",
      SANDBOX_ERROR_CODE: "partner_service_unresponsive",
      SANDBOX_DROP_RATE: "1",
      SANDBOX_WRONG_HMAC: "true",
      SANDBOX_FAULT_ENDPOINTS: "files.issued, meta.issuers",
      DIGILOCKER_TS_CONVENTION: "unix-ist",
    });
    expect(sandbox).toEqual({
      host: "0.0.0.0",
      port: 4011,
      clientId: "MYSANDBOX",
      clientSecret: "a-longer-secret",
      redirectUris: ["http://localhost:4000/auth/callback", "https://app.example/cb"],
      accessTokenTtlSeconds: 60,
      // The sandbox reads ts under the same convention the gateway's client writes it.
      timestamp: "unix-ist",
      faults: {
        latencyMs: 250,
        errorRate: 0.25,
        errorCode: "partner_service_unresponsive",
        dropRate: 1,
        wrongHmac: true,
        endpoints: ["files.issued", "meta.issuers"],
      },
    });
    // And the sandbox accepts all of it.
    expect(sandboxSettingsSchema.safeParse(sandbox).success).toBe(true);
  });

  it("accepts port 0 (any free port), rates 0 and 1.0, and SANDBOX_WRONG_HMAC=false", () => {
    const { sandbox } = loadConfig({ SANDBOX_PORT: "0", SANDBOX_ERROR_RATE: "0", SANDBOX_DROP_RATE: "1.0", SANDBOX_WRONG_HMAC: "false" });
    expect(sandbox.port).toBe(0);
    expect(sandbox.faults).toMatchObject({ errorRate: 0, dropRate: 1, wrongHmac: false });
  });

  it("treats empty sandbox variables as unset", () => {
    const { sandbox } = loadConfig({ SANDBOX_PORT: "", SANDBOX_CLIENT_SECRET: "", SANDBOX_FAULT_ENDPOINTS: "" });
    expect(sandbox).toMatchObject({ port: undefined, clientSecret: undefined, faults: { endpoints: undefined } });
  });

  it.each([
    ["SANDBOX_PORT", "65536"],
    ["SANDBOX_PORT", "http"],
    ["SANDBOX_HOST", "  "],
    ["SANDBOX_CLIENT_ID", "   "],
    ["SANDBOX_CLIENT_SECRET", "short"],
    ["SANDBOX_REDIRECT_URIS", "not a url"],
    ["SANDBOX_REDIRECT_URIS", " , "],
    ["SANDBOX_REDIRECT_URIS", "localhost:4000/auth/callback"],
    ["SANDBOX_REDIRECT_URIS", "http://localhost:4000/cb,javascript:alert(1)"],
    ["SANDBOX_TOKEN_TTL_SECONDS", "0"],
    ["SANDBOX_LATENCY_MS", "-5"],
    ["SANDBOX_LATENCY_MS", "1.5"],
    ["SANDBOX_ERROR_RATE", "1.5"],
    ["SANDBOX_ERROR_RATE", "50%"],
    ["SANDBOX_ERROR_RATE", ".5"],
    ["SANDBOX_ERROR_CODE", "Unexpected Error"],
    ["SANDBOX_DROP_RATE", "-0.1"],
    ["SANDBOX_WRONG_HMAC", "yes"],
    ["SANDBOX_FAULT_ENDPOINTS", "files.issued,files.isued"],
  ])("refuses %s=%j, naming the variable", (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
  });

  it("lists the endpoint ids when one is misspelt, and never prints the sandbox secret", () => {
    let error: unknown;
    try {
      loadConfig({ SANDBOX_FAULT_ENDPOINTS: "meta.issuer", SANDBOX_CLIENT_SECRET: "tiny", SANDBOX_ERROR_RATE: "2" });
    } catch (e) {
      error = e;
    }
    const { problems, message } = error as ConfigError;
    expect(problems).toHaveLength(3);
    expect(message).toContain("meta.issuers, meta.docTypes");
    expect(message).not.toContain("tiny");
  });
});
