// AccountApi.user (spec: Get User Details), against the spec's samples and error table.
import { describe, expect, it } from "vitest";
import {
  DigiLockerInputError,
  DigiLockerResponseError,
  InsufficientScopeError,
  InvalidTokenError,
  UpstreamServerError,
  type Account,
} from "../../../src/digilocker/index.js";
import { JSON_HEADERS, mockClient, specSample } from "../../helpers/digilocker.js";

const PATH = "/public/oauth2/1/user";
const TOKEN = "bc125c212a4b03a9a188a858be5a163f379e878a";

function lowerHeaders(h: unknown): Record<string, string> {
  const entries: [string, unknown][] =
    h instanceof Headers ? [...h.entries()] : typeof h === "object" && h !== null ? Object.entries(h) : [];
  return Object.fromEntries(entries.map(([k, v]) => [k.toLowerCase(), typeof v === "string" ? v : JSON.stringify(v)]));
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

const errorBody = (error: string, description: string) => JSON.stringify({ error, error_description: description });

describe("account.user", () => {
  it("GETs /oauth2/1/user with the bearer token and normalises user.json (its `aadhaar` key included)", async () => {
    const { client, pool, agent, calls } = mockClient();
    const seen: { method: string; headers: Record<string, string>; body: unknown }[] = [];
    pool.intercept({ path: PATH, method: "GET" }).reply((opts) => {
      seen.push({ method: opts.method, headers: lowerHeaders(opts.headers), body: opts.body });
      return { statusCode: 200, data: specSample("user.json"), responseOptions: { headers: JSON_HEADERS } };
    });

    const user = await client.account.user(TOKEN);

    agent.assertNoPendingInterceptors();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe("GET");
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen[0]!.body ?? null).toBeNull();
    expect(user).toEqual<Account>({
      digilockerId: "123e4567-e89b-12d3-a456-426655440000",
      name: "Ajit Kumar",
      dateOfBirth: "1970-12-31",
      gender: "MALE",
      eAadhaar: true,
      referenceKey: "2a33349e7e606a8ad2e30e3c84521f9377450cf09083e162e0a9b1480ce0f972",
    });
    expect(calls.map((c) => [c.endpoint, c.method, c.attempt, c.status])).toEqual([["account.user", "GET", 1, 200]]);
  });

  it("reads the field list's `eaadhaar` spelling too, and maps F and N", async () => {
    const { client, pool } = mockClient();
    const body = { digilockerid: "dl-1", name: " Priya ", dob: "01021990", gender: "F", eaadhaar: "N" };
    pool.intercept({ path: PATH, method: "GET" }).reply(200, JSON.stringify(body), { headers: JSON_HEADERS });
    expect(await client.account.user(TOKEN)).toEqual<Account>({
      digilockerId: "dl-1",
      name: "Priya",
      dateOfBirth: "1990-02-01",
      gender: "FEMALE",
      eAadhaar: false,
      referenceKey: null,
    });
  });

  it("trims the access token before sending it", async () => {
    const { client, pool } = mockClient();
    let authorization: string | undefined;
    pool.intercept({ path: PATH, method: "GET" }).reply((opts) => {
      authorization = lowerHeaders(opts.headers).authorization;
      return { statusCode: 200, data: specSample("user.json"), responseOptions: { headers: JSON_HEADERS } };
    });
    await client.account.user(`  ${TOKEN}\n`);
    expect(authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("rejects the printed (invalid JSON) sample without retrying", async () => {
    const { client, pool, calls } = mockClient();
    pool.intercept({ path: PATH, method: "GET" }).reply(200, specSample("verbatim/user.txt"), { headers: JSON_HEADERS });
    const error = await rejection(client.account.user(TOKEN));
    expect(error).toBeInstanceOf(DigiLockerResponseError);
    expect(error).toMatchObject({ endpoint: "account.user", status: 200, problem: "the body is not valid JSON" });
    expect(calls).toHaveLength(1);
  });

  it("rejects an impossible date of birth (31022019)", async () => {
    const { client, pool } = mockClient();
    const body = specSample("user.json").replace("31121970", "31022019");
    pool.intercept({ path: PATH, method: "GET" }).reply(200, body, { headers: JSON_HEADERS });
    const error = await rejection(client.account.user(TOKEN));
    expect(error).toBeInstanceOf(DigiLockerResponseError);
    expect(error).toMatchObject({ endpoint: "account.user", problem: "dob: expected a date in DDMMYYYY format" });
  });

  it("maps the sample error (500 unexpected_error) to UpstreamServerError after retrying the GET", async () => {
    const { client, pool, calls } = mockClient();
    pool.intercept({ path: PATH, method: "GET" }).reply(500, specSample("user-error.json"), { headers: JSON_HEADERS }).times(3);
    const error = await rejection(client.account.user(TOKEN));
    expect(error).toBeInstanceOf(UpstreamServerError);
    expect(error).toMatchObject({
      endpoint: "account.user",
      status: 500,
      code: "unexpected_error",
      description: "Internal server error",
      retryable: true,
    });
    expect(calls.map((c) => [c.attempt, c.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 500],
    ]);
  });

  it.each([
    ["invalid_token", "The access token is invalid", 401, InvalidTokenError, false],
    ["insufficient_scope", "The request requires higher privileges than provided by the access token", 403, InsufficientScopeError, false],
    ["unexpected_error", "Internal server error", 530, UpstreamServerError, true],
  ] as const)("maps the table's %s (HTTP %i) to its class", async (code, description, status, Class, retryable) => {
    const { client, pool, calls } = mockClient();
    pool.intercept({ path: PATH, method: "GET" }).reply(status, errorBody(code, description), { headers: JSON_HEADERS });
    const error = await rejection(client.account.user(TOKEN, { maxRetries: 0 }));
    expect(error).toBeInstanceOf(Class);
    expect(error).toMatchObject({ endpoint: "account.user", status, code, description, retryable });
    expect(calls).toHaveLength(1);
  });

  it("does not retry an invalid_token (401) even with retries allowed", async () => {
    const { client, pool, calls } = mockClient();
    pool
      .intercept({ path: PATH, method: "GET" })
      .reply(401, errorBody("invalid_token", "The access token is invalid"), { headers: JSON_HEADERS })
      .times(3);
    expect(await rejection(client.account.user(TOKEN))).toBeInstanceOf(InvalidTokenError);
    expect(calls).toHaveLength(1);
  });

  it("retries a 530 and returns the account when the next attempt succeeds", async () => {
    const { client, pool, agent, calls } = mockClient();
    pool
      .intercept({ path: PATH, method: "GET" })
      .reply(530, errorBody("unexpected_error", "Internal server error"), { headers: JSON_HEADERS });
    pool.intercept({ path: PATH, method: "GET" }).reply(200, specSample("user.json"), { headers: JSON_HEADERS });

    const user = await client.account.user(TOKEN);

    agent.assertNoPendingInterceptors();
    expect(user.digilockerId).toBe("123e4567-e89b-12d3-a456-426655440000");
    expect(calls).toHaveLength(2);
    expect(calls.map((c) => [c.attempt, c.status])).toEqual([
      [1, 530],
      [2, 200],
    ]);
    expect(calls[0]!.error).toBeInstanceOf(UpstreamServerError);
  });

  it("scrubs the access token from an error DigiLocker echoes it in", async () => {
    const { client, pool } = mockClient();
    pool
      .intercept({ path: PATH, method: "GET" })
      .reply(401, errorBody("invalid_token", `token ${TOKEN} expired`), { headers: JSON_HEADERS });
    const error = await rejection(client.account.user(TOKEN));
    expect(error).toMatchObject({ description: "token [redacted] expired" });
    expect((error as Error).message).not.toContain(TOKEN);
  });

  it.each([
    ["empty", ""],
    ["whitespace", "  \t "],
    ["two words", "abc def"],
  ])("refuses a %s token with a rejected promise and no request", async (_label, token) => {
    const { client, calls } = mockClient();
    let promise: Promise<Account> | undefined;
    expect(() => {
      promise = client.account.user(token);
    }).not.toThrow();
    const error = await rejection(promise!);
    expect(error).toBeInstanceOf(DigiLockerInputError);
    expect(error).toMatchObject({
      endpoint: "account.user",
      retryable: false,
      issues: [{ path: "accessToken", message: "a DigiLocker access token is required" }],
    });
    expect(calls).toHaveLength(0);
  });
});
