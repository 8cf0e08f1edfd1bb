// OAuthApi calls: code exchange (both token versions), refresh and revocation, against the spec's samples.
import type { Interceptable } from "undici";
import { describe, expect, it } from "vitest";
import {
  BadRequestError,
  ClientCredentialsError,
  DigiLockerApiError,
  DigiLockerInputError,
  DigiLockerResponseError,
  InvalidTokenError,
  UpstreamServerError,
  type Account,
  type TokenSet,
} from "../../../src/digilocker/index.js";
import { CLIENT_ID, CLIENT_SECRET, JSON_HEADERS, form, mockClient, specSample } from "../../helpers/digilocker.js";

const REDIRECT = "https://app.test/digilocker/callback";
const CODE = "d3f1a9c0e5b7auth-code";
const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
/** printf '%s' 'ABCD1234:s3cr3t-Key-0123456789' | base64 */
const BASIC = "Basic QUJDRDEyMzQ6czNjcjN0LUtleS0wMTIzNDU2Nzg5";
const REFERENCE_KEY = "2a33349e7e606a8ad2e30e3c84521f9377450cf09083e162e0a9b1480ce0f972";
const AJIT: Account = {
  digilockerId: "123e4567-e89b-12d3-a456-426655440000",
  name: "Ajit Kumar",
  dateOfBirth: "1970-12-31",
  gender: "MALE",
  eAadhaar: true,
  referenceKey: REFERENCE_KEY,
};

interface Captured {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Record<string, string>;
}

function lowerHeaders(h: unknown): Record<string, string> {
  const entries: [string, unknown][] =
    h instanceof Headers ? [...h.entries()] : typeof h === "object" && h !== null ? Object.entries(h) : [];
  return Object.fromEntries(entries.map(([k, v]) => [k.toLowerCase(), typeof v === "string" ? v : JSON.stringify(v)]));
}

/** Intercepts one POST, records what was sent and answers with `status` and `data`. */
function capture(pool: Interceptable, path: string, status: number, data: string): Captured[] {
  const seen: Captured[] = [];
  pool.intercept({ path, method: "POST" }).reply((opts) => {
    seen.push({ method: opts.method, path: opts.path, headers: lowerHeaders(opts.headers), body: form(opts.body) });
    return { statusCode: status, data, responseOptions: { headers: JSON_HEADERS } };
  });
  return seen;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

describe("exchangeCode", () => {
  it("posts to /oauth2/2/token by default with the client credentials in the form, and parses token-v2.json", async () => {
    const { client, pool, agent, calls } = mockClient();
    const seen = capture(pool, "/public/oauth2/2/token", 200, specSample("token-v2.json"));

    const tokens = await client.oauth.exchangeCode({ code: CODE, redirectUri: REDIRECT, codeVerifier: VERIFIER });

    agent.assertNoPendingInterceptors();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(seen[0]!.headers).not.toHaveProperty("authorization");
    expect(seen[0]!.body).toEqual({
      grant_type: "authorization_code",
      code: CODE,
      redirect_uri: REDIRECT,
      code_verifier: VERIFIER,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    const idToken = (JSON.parse(specSample("token-v2.json")) as { id_token: string }).id_token;
    expect(tokens).toEqual<TokenSet>({
      accessToken: "bc125c212a4b03a9a188a858be5a163f379e878a",
      tokenType: "Bearer",
      expiresIn: 3600,
      scopes: ["openid", "files.issuedocs", "partners.PANCR", "partners.DRVLC"],
      consentValidTill: "2023-05-22T04:50:48.000Z",
      refreshToken: null,
      idToken,
      account: null,
      newAccount: null,
    });
    expect(idToken).toMatch(/^eyJ0eXAiOiJKV1Qi.*G8-w$/);
    expect(calls.map((c) => [c.endpoint, c.method, c.attempt, c.status])).toEqual([["oauth.tokenV2", "POST", 1, 200]]);
  });

  it("posts to /oauth2/1/token for version 1 and parses token-v1.json with its account fields", async () => {
    const { client, pool, agent, calls } = mockClient();
    const seen = capture(pool, "/public/oauth2/1/token", 200, specSample("token-v1.json"));

    const tokens = await client.oauth.exchangeCode({ code: CODE, redirectUri: REDIRECT, codeVerifier: VERIFIER, version: 1 });

    agent.assertNoPendingInterceptors();
    expect(seen[0]!.body).toEqual({
      grant_type: "authorization_code",
      code: CODE,
      redirect_uri: REDIRECT,
      code_verifier: VERIFIER,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(tokens).toEqual<TokenSet>({
      accessToken: "bc125c212a4b03a9a188a858be5a163f379e878a",
      tokenType: "Bearer",
      expiresIn: 3600,
      scopes: ["files.issueddocs", "partners.PANCR", "partners.DRVLC"],
      consentValidTill: "2023-05-22T04:50:48.000Z",
      refreshToken: "a47ab18c593703e4f83a274694db7422a8cfcb8f",
      idToken: null,
      account: AJIT,
      newAccount: true,
    });
    expect(calls.map((c) => c.endpoint)).toEqual(["oauth.tokenV1"]);
  });

  it("omits code_verifier when none is given", async () => {
    const { client, pool } = mockClient();
    const seen = capture(pool, "/public/oauth2/2/token", 200, specSample("token-v2.json"));
    await client.oauth.exchangeCode({ code: CODE, redirectUri: REDIRECT });
    expect(seen[0]!.body).toEqual({
      grant_type: "authorization_code",
      code: CODE,
      redirect_uri: REDIRECT,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
  });

  it("sends a redirect URI with its own query string byte for byte", async () => {
    const { client, pool } = mockClient();
    const seen = capture(pool, "/public/oauth2/2/token", 200, specSample("token-v2.json"));
    const redirectUri = "https://app.test/cb?tenant=a&lang=hi";
    await client.oauth.exchangeCode({ code: CODE, redirectUri });
    expect(seen[0]!.body.redirect_uri).toBe(redirectUri);
    expect(seen[0]!.body).not.toHaveProperty("tenant");
  });

  it("uses HTTP Basic and keeps the credentials out of the body with tokenAuth client_secret_basic", async () => {
    const { client, pool } = mockClient({ tokenAuth: "client_secret_basic" });
    const seen = capture(pool, "/public/oauth2/2/token", 200, specSample("token-v2.json"));
    await client.oauth.exchangeCode({ code: CODE, redirectUri: REDIRECT, codeVerifier: VERIFIER });
    expect(seen[0]!.headers.authorization).toBe(BASIC);
    expect(seen[0]!.body).toEqual({
      grant_type: "authorization_code",
      code: CODE,
      redirect_uri: REDIRECT,
      code_verifier: VERIFIER,
    });
  });

  it.each([
    ["token-v1.txt", 1, "oauth.tokenV1", "/public/oauth2/1/token"],
    ["token-v2.txt", 2, "oauth.tokenV2", "/public/oauth2/2/token"],
  ] as const)("rejects the printed (invalid JSON) %s as a DigiLockerResponseError", async (file, version, endpoint, path) => {
    const { client, pool, calls } = mockClient();
    capture(pool, path, 200, specSample(`verbatim/${file}`));
    const error = await rejection(client.oauth.exchangeCode({ code: CODE, redirectUri: REDIRECT, version }));
    expect(error).toBeInstanceOf(DigiLockerResponseError);
    expect(error).toMatchObject({ endpoint, status: 200, problem: "the body is not valid JSON", retryable: false });
    expect(calls).toHaveLength(1);
  });

  it.each([500, 502, 503, 530])("never retries an exchange, even on HTTP %i (the code is single-use)", async (status) => {
    const { client, pool, calls, sleeps } = mockClient();
    pool
      .intercept({ path: "/public/oauth2/2/token", method: "POST" })
      .reply(status, JSON.stringify({ error: "unexpected_error", error_description: "Internal server error" }), {
        headers: JSON_HEADERS,
      })
      .times(3);
    const error = await rejection(client.oauth.exchangeCode({ code: CODE, redirectUri: REDIRECT }, { maxRetries: 3 }));
    expect(error).toBeInstanceOf(UpstreamServerError);
    expect(error).toMatchObject({ status, code: "unexpected_error", endpoint: "oauth.tokenV2" });
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("maps 400 invalid_client to ClientCredentialsError and scrubs the secret, code and verifier from it", async () => {
    const { client, pool } = mockClient();
    const echoed = `client_secret ${CLIENT_SECRET} refused for code ${CODE} / ${VERIFIER}`;
    capture(pool, "/public/oauth2/1/token", 400, JSON.stringify({ error: "invalid_client", error_description: echoed }));
    const error = await rejection(
      client.oauth.exchangeCode({ code: CODE, redirectUri: REDIRECT, codeVerifier: VERIFIER, version: 1 }),
    );
    expect(error).toBeInstanceOf(ClientCredentialsError);
    expect(error).toMatchObject({
      endpoint: "oauth.tokenV1",
      status: 400,
      code: "invalid_client",
      description: "client_secret [redacted] refused for code [redacted] / [redacted]",
      retryable: false,
    });
    const message = (error as Error).message;
    for (const secret of [CLIENT_SECRET, CODE, VERIFIER]) expect(message).not.toContain(secret);
  });

  it("maps a 400 invalid_grant (a used or expired code) to BadRequestError", async () => {
    const { client, pool } = mockClient();
    capture(pool, "/public/oauth2/2/token", 400, JSON.stringify({ error: "invalid_grant", error_description: "bad code" }));
    const error = await rejection(client.oauth.exchangeCode({ code: CODE, redirectUri: REDIRECT }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, code: "invalid_grant", description: "bad code" });
  });

  it.each([
    ["no body", ""],
    ["an invalid_token body", JSON.stringify({ error: "invalid_token", error_description: "The access token is invalid" })],
    // What the sandbox answers when the user's consent ended before the exchange (spec 225, 301).
    [
      "the sandbox's invalid_grant body",
      JSON.stringify({ error: "invalid_grant", error_description: "The user's consent has expired (consent_valid_till has passed)" }),
    ],
  ])("maps a 401 with %s to InvalidTokenError", async (_label, body) => {
    const { client, pool, calls } = mockClient();
    capture(pool, "/public/oauth2/2/token", 401, body);
    const error = await rejection(client.oauth.exchangeCode({ code: CODE, redirectUri: REDIRECT }));
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect(error).toMatchObject({ status: 401, endpoint: "oauth.tokenV2", retryable: false });
    expect(calls).toHaveLength(1);
  });

  it("refuses bad input with every problem listed, naming the version's endpoint, and sends nothing", async () => {
    const { client, calls } = mockClient();
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = client.oauth.exchangeCode({ code: "", redirectUri: "callback", codeVerifier: "too-short", version: 1 });
    }).not.toThrow();
    const error = await rejection(promise!);
    expect(error).toBeInstanceOf(DigiLockerInputError);
    expect((error as DigiLockerInputError).endpoint).toBe("oauth.tokenV1");
    expect((error as DigiLockerInputError).issues.map((i) => i.path)).toEqual(["code", "redirectUri", "codeVerifier"]);
    const v2 = await rejection(client.oauth.exchangeCode({ code: "", redirectUri: REDIRECT }));
    expect((v2 as DigiLockerInputError).endpoint).toBe("oauth.tokenV2");
    expect(calls).toHaveLength(0);
  });
});

describe("refresh", () => {
  const REFRESH_TOKEN = "a47ab18c593703e4f83a274694db7422a8cfcb8f";

  it("posts grant_type=refresh_token with HTTP Basic (whatever tokenAuth says) and parses token-refresh.json", async () => {
    const { client, pool, agent, calls } = mockClient({ tokenAuth: "client_secret_post" });
    const seen = capture(pool, "/public/oauth2/1/token", 200, specSample("token-refresh.json"));

    const tokens = await client.oauth.refresh(REFRESH_TOKEN);

    agent.assertNoPendingInterceptors();
    expect(seen[0]!.headers.authorization).toBe(BASIC);
    expect(seen[0]!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(seen[0]!.body).toEqual({ grant_type: "refresh_token", refresh_token: REFRESH_TOKEN });
    expect(tokens).toEqual<TokenSet>({
      accessToken: "11d539dafa5e6b11fe39a5ec266f32c902895485",
      tokenType: "Bearer",
      expiresIn: 3600,
      scopes: ["userdetails", "files.issueddocs", "partners.PANCR"],
      consentValidTill: null,
      refreshToken: "780506388c6425e551520316bfee16139c200103",
      idToken: null,
      account: AJIT,
      newAccount: null,
    });
    expect(calls.map((c) => [c.endpoint, c.method, c.status])).toEqual([["oauth.refresh", "POST", 200]]);
  });

  it("rotates: the refresh token each call returns is the one the next call sends", async () => {
    const { client, pool, agent } = mockClient();
    const first = capture(pool, "/public/oauth2/1/token", 200, specSample("token-refresh.json"));
    const rotated = { access_token: "a2", expires_in: 3600, token_type: "Bearer", refresh_token: "rt-third-000001" };
    const second = capture(pool, "/public/oauth2/1/token", 200, JSON.stringify(rotated));

    const a = await client.oauth.refresh(REFRESH_TOKEN);
    const b = await client.oauth.refresh(a.refreshToken!);

    agent.assertNoPendingInterceptors();
    expect(first[0]!.body.refresh_token).toBe(REFRESH_TOKEN);
    expect(second[0]!.body.refresh_token).toBe("780506388c6425e551520316bfee16139c200103");
    expect(b.refreshToken).toBe("rt-third-000001");
    expect(b.account).toBeNull();
  });

  it("maps the spec's sample error (400 invalid_grant_type) to BadRequestError", async () => {
    const { client, pool } = mockClient();
    capture(pool, "/public/oauth2/1/token", 400, specSample("token-refresh-error.json"));
    const error = await rejection(client.oauth.refresh(REFRESH_TOKEN));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({
      endpoint: "oauth.refresh",
      status: 400,
      code: "invalid_grant_type",
      description: "The grant_type parameter is invalid",
      retryable: false,
    });
    expect((error as Error).message).toBe(
      "DigiLocker oauth.refresh failed with HTTP 400 (invalid_grant_type): The grant_type parameter is invalid",
    );
  });

  it.each([
    ["invalid_client", "The client credentials are invalid", 400, ClientCredentialsError],
    ["invalid_grant", "The refresh token is invalid", 400, BadRequestError],
    ["invalid_grant_type", "The grant_type parameter is invalid", 400, BadRequestError],
    ["unexpected_error", "Internal server error", 500, UpstreamServerError],
  ] as const)("maps the table's %s (HTTP %i) to its class, in one call", async (code, description, status, Class) => {
    const { client, pool, calls, sleeps } = mockClient();
    pool
      .intercept({ path: "/public/oauth2/1/token", method: "POST" })
      .reply(status, JSON.stringify({ error: code, error_description: description }), { headers: JSON_HEADERS })
      .times(3);
    const error = await rejection(client.oauth.refresh(REFRESH_TOKEN, { maxRetries: 3 }));
    expect(error).toBeInstanceOf(Class);
    expect(error).toMatchObject({ endpoint: "oauth.refresh", status, code, description });
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("scrubs the refresh token from an error DigiLocker echoes it in", async () => {
    const { client, pool } = mockClient();
    capture(pool, "/public/oauth2/1/token", 400, JSON.stringify({ error: "invalid_grant", error_description: `unknown ${REFRESH_TOKEN}` }));
    const error = await rejection(client.oauth.refresh(REFRESH_TOKEN));
    expect((error as DigiLockerApiError).description).toBe("unknown [redacted]");
    expect((error as Error).message).not.toContain(REFRESH_TOKEN);
  });

  it("refuses an empty refresh token without a request", async () => {
    const { client, calls } = mockClient();
    const error = await rejection(client.oauth.refresh(""));
    expect(error).toBeInstanceOf(DigiLockerInputError);
    expect(error).toMatchObject({ endpoint: "oauth.refresh", issues: [{ path: "", message: "refreshToken is required" }] });
    expect(calls).toHaveLength(0);
  });
});

describe("revoke", () => {
  const TOKEN = "780506388c6425e551520316bfee16139c200103";

  it("posts token and token_type_hint with HTTP Basic and resolves on an empty 200", async () => {
    const { client, pool, agent, calls } = mockClient();
    const seen = capture(pool, "/public/oauth2/1/revoke", 200, "");
    await expect(client.oauth.revoke(TOKEN, "refresh_token")).resolves.toBeUndefined();
    agent.assertNoPendingInterceptors();
    expect(seen[0]!.headers.authorization).toBe(BASIC);
    expect(seen[0]!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(seen[0]!.body).toEqual({ token: TOKEN, token_type_hint: "refresh_token" });
    expect(calls.map((c) => [c.endpoint, c.method, c.status])).toEqual([["oauth.revoke", "POST", 200]]);
  });

  it("sends no token_type_hint when none is given", async () => {
    const { client, pool } = mockClient();
    const seen = capture(pool, "/public/oauth2/1/revoke", 200, "");
    await client.oauth.revoke(TOKEN);
    expect(seen[0]!.body).toEqual({ token: TOKEN });
  });

  it("sends token_type_hint=access_token", async () => {
    const { client, pool } = mockClient();
    const seen = capture(pool, "/public/oauth2/1/revoke", 200, "");
    await client.oauth.revoke(TOKEN, "access_token");
    expect(seen[0]!.body).toEqual({ token: TOKEN, token_type_hint: "access_token" });
  });

  it.each([
    ["a JSON body", '{"status":"ok"}'],
    ["a plain-text body", "Token revoked"],
    ["an HTML body", "<html><body>OK</body></html>"],
  ])("ignores %s on a 200 (the spec documents none)", async (_label, body) => {
    const { client, pool } = mockClient();
    capture(pool, "/public/oauth2/1/revoke", 200, body);
    await expect(client.oauth.revoke(TOKEN)).resolves.toBeUndefined();
  });

  it("fails with the mapped error and is not retried on a 500", async () => {
    const { client, pool, calls } = mockClient();
    pool
      .intercept({ path: "/public/oauth2/1/revoke", method: "POST" })
      .reply(500, JSON.stringify({ error: "unexpected_error" }), { headers: JSON_HEADERS })
      .times(3);
    const error = await rejection(client.oauth.revoke(TOKEN));
    expect(error).toBeInstanceOf(UpstreamServerError);
    expect(error).toMatchObject({ endpoint: "oauth.revoke", status: 500, code: "unexpected_error" });
    expect(calls).toHaveLength(1);
  });

  it("refuses an empty token or an unknown hint without a request", async () => {
    const { client, calls } = mockClient();
    const empty = await rejection(client.oauth.revoke(""));
    expect(empty).toBeInstanceOf(DigiLockerInputError);
    expect((empty as DigiLockerInputError).issues.map((i) => i.path)).toEqual(["token"]);
    const hint = await rejection(client.oauth.revoke(TOKEN, "id_token" as "access_token"));
    expect((hint as DigiLockerInputError).issues.map((i) => i.path)).toEqual(["hint"]);
    expect(calls).toHaveLength(0);
  });
});

describe("verifiedMobile (the sandbox checks the same examples: test/integration/sandbox/oauth.test.ts)", () => {
  // Spec 127 names no format; the older OpenAPI file types it an integer and the sample id_token's phone_number
  // is 9876543210 (spec 214): an Indian mobile number, 10 digits starting 6-9, without +91 or a leading 0.
  it.each(["9876543210", "6000000000", "7012345678", "8999999999"])("sends %s as verified_mobile, unchanged", (mobile) => {
    const { client } = mockClient();
    const url = new URL(client.oauth.authorizationUrl({ redirectUri: REDIRECT, state: "s", signup: true, verifiedMobile: mobile }));
    expect(url.searchParams.get("dl_flow")).toBe("signup");
    expect(url.searchParams.get("verified_mobile")).toBe(mobile);
  });

  it.each(["5876543210", "0987654321", "09876543210", "+919876543210", "919876543210", "98765 43210", "98765-43210", "987654321", ""])(
    "refuses %j before sending anything",
    (mobile) => {
      const { client } = mockClient();
      let error: unknown;
      try {
        client.oauth.authorizationUrl({ redirectUri: REDIRECT, state: "s", signup: true, verifiedMobile: mobile });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DigiLockerInputError);
      expect((error as DigiLockerInputError).issues).toEqual([{ path: "verifiedMobile", message: "a 10-digit Indian mobile number" }]);
    },
  );
});
