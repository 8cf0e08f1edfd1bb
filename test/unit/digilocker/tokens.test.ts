// tokenResponseFor: how a token body (v1, v2, refresh) is normalised into a TokenSet, edge cases beyond the samples.
import { describe, expect, it } from "vitest";
import { DigiLockerResponseError } from "../../../src/digilocker/index.js";
import { tokenResponseFor } from "../../../src/digilocker/tokens.js";
import { JSON_HEADERS, mockClient, specSample } from "../../helpers/digilocker.js";

const minimal = { access_token: "at-0001", expires_in: 3600 };
const withAccount = { ...minimal, digilockerid: "123e4567-e89b-12d3-a456-426655440000", name: "Ajit Kumar" };

const parse = (body: Record<string, unknown>) => tokenResponseFor("unix").parse(body);
const fails = (body: Record<string, unknown>) => !tokenResponseFor("unix").safeParse(body).success;

describe("tokenResponseFor(\"unix\")", () => {
  it("fills the optional fields of a minimal body with their empty values", () => {
    expect(parse(minimal)).toEqual({
      accessToken: "at-0001",
      tokenType: "Bearer",
      expiresIn: 3600,
      scopes: [],
      consentValidTill: null,
      refreshToken: null,
      idToken: null,
      account: null,
      newAccount: null,
    });
  });

  it.each([
    ["a number", 3600, 3600],
    ["a digit string", "3600", 3600],
    ["a padded digit string", " 7200 ", 7200],
  ])("reads expires_in as %s", (_label, value, expected) => {
    expect(parse({ ...minimal, expires_in: value }).expiresIn).toBe(expected);
  });

  it.each([
    ["missing", undefined],
    ["not a number", "1h"],
    ["null", null],
  ])("refuses expires_in when %s", (_label, value) => {
    expect(fails({ access_token: "at-0001", expires_in: value })).toBe(true);
  });

  it.each([
    ["missing", undefined, []],
    ["null", null, []],
    ["empty", "", []],
    ["padded with runs of spaces", "  openid   files.issueddocs\tpartners.PANCR ", ["openid", "files.issueddocs", "partners.PANCR"]],
  ])("splits scope when %s", (_label, scope, expected) => {
    expect(parse({ ...minimal, scope }).scopes).toEqual(expected);
  });

  it("refuses a missing or blank access_token", () => {
    expect(fails({ expires_in: 3600 })).toBe(true);
    expect(fails({ access_token: "   ", expires_in: 3600 })).toBe(true);
  });

  it("trims access_token and reads token_type as sent", () => {
    const set = parse({ ...minimal, access_token: " at-0002 ", token_type: "bearer" });
    expect(set.accessToken).toBe("at-0002");
    expect(set.tokenType).toBe("bearer");
  });

  it.each([
    ["a number", 1684731048, "2023-05-22T04:50:48.000Z"],
    ["a digit string", "1684731048", "2023-05-22T04:50:48.000Z"],
    ["blank", " ", null],
    ["null", null, null],
  ])("reads consent_valid_till as %s", (_label, value, expected) => {
    expect(parse({ ...minimal, consent_valid_till: value }).consentValidTill).toBe(expected);
  });

  it("refuses a consent_valid_till that is not UNIX seconds", () => {
    expect(fails({ ...minimal, consent_valid_till: "2023-05-22" })).toBe(true);
  });

  it("reads consent_valid_till as true UNIX seconds under both the default export and unix", () => {
    // 1767205800 = 1767225600 (2026-01-01T00:00:00Z) - 19800, i.e. 2025-12-31T18:30:00Z.
    expect(parse({ ...minimal, consent_valid_till: 1767205800 }).consentValidTill).toBe("2025-12-31T18:30:00.000Z");
    expect(tokenResponseFor("unix").parse({ ...minimal, consent_valid_till: 1767205800 }).consentValidTill).toBe(
      "2025-12-31T18:30:00.000Z",
    );
  });

  it.each([
    // The instant 2025-12-31T13:00:00Z (18:30 IST) is UNIX 1767186000 (= 1767225600, 2026-01-01T00:00:00Z, - 39600);
    // the authorization URL sends it under unix-ist as 1767186000 + 19800 = 1767205800.
    ["a shifted number", 1767205800, "2025-12-31T13:00:00.000Z"],
    ["a shifted digit string", " 1767205800 ", "2025-12-31T13:00:00.000Z"],
    // The spec's sample value (spec 212, 282) read under unix-ist: 1684731048 - 19800 = 1684711248.
    ["the spec's sample", 1684731048, "2023-05-21T23:20:48.000Z"],
    // What authorize-url.test.ts sends for 2023-05-22T04:50:48Z under unix-ist: 1684731048 + 19800 = 1684750848.
    ["the authorization URL's shifted value", 1684750848, "2023-05-22T04:50:48.000Z"],
    ["blank", "", null],
  ])('takes the +05:30 shift off consent_valid_till under "unix-ist": %s', (_label, value, expected) => {
    expect(tokenResponseFor("unix-ist").parse({ ...minimal, consent_valid_till: value }).consentValidTill).toBe(expected);
  });

  it('refuses under "unix-ist" a consent_valid_till that would fall before 1970 (below 19800)', () => {
    expect(tokenResponseFor("unix-ist").safeParse({ ...minimal, consent_valid_till: 19799 }).success).toBe(false);
    expect(tokenResponseFor("unix-ist").parse({ ...minimal, consent_valid_till: 19800 }).consentValidTill).toBe(
      "1970-01-01T00:00:00.000Z",
    );
  });

  it("turns blank refresh_token and id_token into null", () => {
    const set = parse({ ...minimal, refresh_token: "", id_token: "  " });
    expect(set.refreshToken).toBeNull();
    expect(set.idToken).toBeNull();
  });

  it.each([
    ["Y", true],
    ["N", false],
    ["y", true],
  ])("reads new_account %s", (value, expected) => {
    expect(parse({ ...minimal, new_account: value }).newAccount).toBe(expected);
  });

  it("refuses a new_account other than Y or N", () => {
    expect(fails({ ...minimal, new_account: "maybe" })).toBe(true);
  });

  it("reads a blank new_account or eaadhaar as unknown (null) instead of failing the sign-in", () => {
    expect(parse({ ...minimal, new_account: " " }).newAccount).toBeNull();
    expect(parse({ ...withAccount, eaadhaar: "" }).account?.eAadhaar).toBeNull();
  });

  it.each([
    ["M", "MALE"],
    ["F", "FEMALE"],
    ["T", "TRANSGENDER"],
    ["f", "FEMALE"],
    [" T ", "TRANSGENDER"],
    ["X", null],
    ["", null],
    [null, null],
    [undefined, null],
  ])("maps gender %j to %s", (value, expected) => {
    expect(parse({ ...withAccount, gender: value }).account?.gender).toBe(expected);
  });

  it("reads the account's e-Aadhaar flag from either spelling, eaadhaar first", () => {
    expect(parse({ ...withAccount, eaadhaar: "N" }).account?.eAadhaar).toBe(false);
    expect(parse({ ...withAccount, aadhaar: "Y" }).account?.eAadhaar).toBe(true);
    expect(parse({ ...withAccount, eaadhaar: "N", aadhaar: "Y" }).account?.eAadhaar).toBe(false);
    expect(parse(withAccount).account?.eAadhaar).toBeNull();
  });

  it("builds an account only when digilockerid is present and not blank", () => {
    expect(parse({ ...minimal, digilockerid: "  ", name: "X" }).account).toBeNull();
    expect(parse(withAccount).account).toEqual({
      digilockerId: "123e4567-e89b-12d3-a456-426655440000",
      name: "Ajit Kumar",
      dateOfBirth: null,
      gender: null,
      eAadhaar: null,
      referenceKey: null,
    });
  });

  it.each([
    ["31121970", "1970-12-31"],
    ["29022000", "2000-02-29"],
    [" 01011990", "1990-01-01"],
    ["", null],
    [null, null],
  ])("reads dob %j as %s", (dob, expected) => {
    expect(parse({ ...withAccount, dob }).account?.dateOfBirth).toBe(expected);
  });

  it.each(["31022019", "29021900", "1970-12-31", "3112197", "00011990"])("refuses the impossible dob %s", (dob) => {
    expect(fails({ ...withAccount, dob })).toBe(true);
  });

  it("ignores fields the spec does not list", () => {
    expect(parse({ ...minimal, session_state: "x", extra: { a: 1 } }).accessToken).toBe("at-0001");
  });
});

describe("token normalisation through the client", () => {
  it("fails a v1 exchange whose dob is 31022019 with a DigiLockerResponseError naming the field", async () => {
    const { client, pool, calls } = mockClient();
    pool
      .intercept({ path: "/public/oauth2/1/token", method: "POST" })
      .reply(200, specSample("token-v1.json").replace('"31121970"', '"31022019"'), { headers: JSON_HEADERS });
    const error = await client.oauth
      .exchangeCode({ code: "c0de-0001", redirectUri: "https://app.test/cb", version: 1 })
      .then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(DigiLockerResponseError);
    expect(error).toMatchObject({
      endpoint: "oauth.tokenV1",
      status: 200,
      problem: "dob: expected a date in DDMMYYYY format",
      retryable: false,
    });
    expect((error as Error).message).not.toContain("31022019");
    expect(calls).toHaveLength(1);
  });

  it("does not fail a sign-in whose dob is blank: the account comes back with dateOfBirth null", async () => {
    const { client, pool } = mockClient();
    pool
      .intercept({ path: "/public/oauth2/1/token", method: "POST" })
      .reply(200, specSample("token-v1.json").replace('"31121970"', '""'), { headers: JSON_HEADERS });
    const tokens = await client.oauth.exchangeCode({ code: "c0de-0001", redirectUri: "https://app.test/cb", version: 1 });
    expect(tokens.account?.dateOfBirth).toBeNull();
    expect(tokens.account?.digilockerId).toBe("123e4567-e89b-12d3-a456-426655440000");
  });

  it("accepts a string expires_in and a missing scope in a refresh response", async () => {
    const { client, pool } = mockClient();
    const body = { access_token: "at-0003", expires_in: "3600", token_type: "Bearer", refresh_token: "rt-0003" };
    pool.intercept({ path: "/public/oauth2/1/token", method: "POST" }).reply(200, JSON.stringify(body), { headers: JSON_HEADERS });
    const tokens = await client.oauth.refresh("rt-0002");
    expect(tokens).toMatchObject({ expiresIn: 3600, scopes: [], refreshToken: "rt-0003", account: null });
  });
});
