import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

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
