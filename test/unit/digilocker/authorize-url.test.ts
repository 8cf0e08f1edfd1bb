// OAuthApi.authorizationUrl and logoutUrl: the two browser pages (spec: Get Authorization Code, Revoke Session).
import { describe, expect, it } from "vitest";
import { DigiLockerClient, DigiLockerInputError, createPkcePair, type AuthorizeInput } from "../../../src/digilocker/index.js";
import { BASE_URL, CLIENT_ID, CLIENT_SECRET, mockClient } from "../../helpers/digilocker.js";

const REDIRECT = "https://app.test/digilocker/callback";

function parse(url: string) {
  const u = new URL(url);
  return { base: `${u.origin}${u.pathname}`, params: Object.fromEntries(u.searchParams), count: [...u.searchParams].length };
}

function inputError(fn: () => unknown): DigiLockerInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DigiLockerInputError);
    return error as DigiLockerInputError;
  }
  throw new Error("expected a DigiLockerInputError");
}

describe("authorizationUrl", () => {
  it("sends the four required parameters and scope=openid, and nothing else, by default", () => {
    const { client } = mockClient();
    const { base, params, count } = parse(client.oauth.authorizationUrl({ redirectUri: REDIRECT, state: "st-1" }));
    expect(base).toBe("https://digilocker.test/public/oauth2/1/authorize");
    expect(params).toEqual({
      response_type: "code",
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT,
      state: "st-1",
      scope: "openid",
    });
    expect(count).toBe(5);
  });

  it("sends every parameter the spec lists, each once, with its documented value", () => {
    const { client } = mockClient();
    const pkce = createPkcePair();
    const url = client.oauth.authorizationUrl({
      redirectUri: REDIRECT,
      state: "st-2",
      codeChallenge: pkce.challenge,
      signup: true,
      verifiedMobile: "9876543210",
      acr: "aadhaar",
      reqDocTypes: ["PANCR", "DRVLC"],
      amr: ["aadhaar", "pan", "mobile"],
      pinless: true,
      pinlessSignup: true,
      usernamelessSignup: true,
      purpose: "kyc",
      consentValidTill: new Date("2023-05-22T04:50:48.000Z"),
    });
    const { base, params, count } = parse(url);
    expect(base).toBe(`${BASE_URL}/oauth2/1/authorize`);
    expect(params).toEqual({
      response_type: "code",
      client_id: "ABCD1234",
      redirect_uri: REDIRECT,
      state: "st-2",
      code_challenge: pkce.challenge,
      code_challenge_method: "S256",
      dl_flow: "signup",
      verified_mobile: "9876543210",
      scope: "openid",
      acr: "aadhaar",
      req_doctype: "PANCR,DRVLC",
      amr: "aadhaar pan mobile",
      pla: "Y",
      plsignup: "Y",
      ulsignup: "Y",
      purpose: "kyc",
      consent_valid_till: "1684731048",
    });
    expect(count).toBe(17);
  });

  it("writes consent_valid_till as whole UNIX seconds, dropping milliseconds", () => {
    const { client } = mockClient();
    const url = client.oauth.authorizationUrl({
      redirectUri: REDIRECT,
      state: "s",
      consentValidTill: new Date(1_700_000_000_999),
    });
    expect(new URL(url).searchParams.get("consent_valid_till")).toBe("1700000000");
  });

  it("shifts consent_valid_till by +05:30 (19800 s) under the unix-ist convention", () => {
    const { client } = mockClient({ timestamp: "unix-ist" });
    const url = client.oauth.authorizationUrl({
      redirectUri: REDIRECT,
      state: "s",
      consentValidTill: new Date("2023-05-22T04:50:48.000Z"),
    });
    expect(new URL(url).searchParams.get("consent_valid_till")).toBe("1684750848");
  });

  it("leaves scope out when openid is turned off", () => {
    const { client } = mockClient();
    const { params } = parse(client.oauth.authorizationUrl({ redirectUri: REDIRECT, state: "s", openid: false }));
    expect(params).not.toHaveProperty("scope");
  });

  it("allows pla=Y outside the signup flow (it is not signup-only)", () => {
    const { client } = mockClient();
    const { params } = parse(client.oauth.authorizationUrl({ redirectUri: REDIRECT, state: "s", pinless: true }));
    expect(params.pla).toBe("Y");
    expect(params).not.toHaveProperty("dl_flow");
  });

  it("round-trips a state and a redirect URI carrying reserved characters exactly", () => {
    const { client } = mockClient();
    const state = "a b&c=d/é?#+";
    const redirectUri = "https://app.test/cb?tenant=x&lang=hi";
    const { params } = parse(client.oauth.authorizationUrl({ redirectUri, state }));
    expect(params.state).toBe(state);
    expect(params.redirect_uri).toBe(redirectUri);
    expect(params).not.toHaveProperty("tenant");
  });

  it("ignores a trailing slash on baseUrl", () => {
    const { client } = mockClient({ baseUrl: `${BASE_URL}/` });
    expect(parse(client.oauth.authorizationUrl({ redirectUri: REDIRECT, state: "s" })).base).toBe(
      "https://digilocker.test/public/oauth2/1/authorize",
    );
  });

  it("lists every problem in one DigiLockerInputError", () => {
    const { client } = mockClient();
    const error = inputError(() =>
      client.oauth.authorizationUrl({
        redirectUri: "not a url",
        state: "",
        verifiedMobile: "9876543210",
        acr: "voter_id",
        purpose: "marketing",
        reqDocTypes: ["PANCR", "pan"],
      } as unknown as AuthorizeInput),
    );
    expect(error.endpoint).toBe("oauth.authorize");
    expect(error.retryable).toBe(false);
    expect(error.issues.map((i) => i.path).sort()).toEqual(
      ["acr", "purpose", "redirectUri", "reqDocTypes.1", "state", "verifiedMobile"].sort(),
    );
    expect(error.issues.find((i) => i.path === "verifiedMobile")?.message).toBe(
      "verifiedMobile applies only with signup: true",
    );
    expect(error.issues.find((i) => i.path === "reqDocTypes.1")?.message).toBe("a 5-character DigiLocker doctype");
    expect(error.message).toMatch(/^Invalid input for DigiLocker oauth\.authorize: /);
  });

  it.each<[string, Partial<AuthorizeInput>]>([
    ["verifiedMobile", { verifiedMobile: "9876543210" }],
    ["amr", { amr: ["aadhaar"] }],
    ["pinlessSignup", { pinlessSignup: true }],
    ["usernamelessSignup", { usernamelessSignup: true }],
  ])("refuses %s without signup: true, and accepts it with signup", (key, extra) => {
    const { client } = mockClient();
    const error = inputError(() => client.oauth.authorizationUrl({ redirectUri: REDIRECT, state: "s", ...extra }));
    expect(error.issues).toEqual([{ path: key, message: `${key} applies only with signup: true` }]);
    const { params } = parse(client.oauth.authorizationUrl({ redirectUri: REDIRECT, state: "s", signup: true, ...extra }));
    expect(params.dl_flow).toBe("signup");
  });

  it("accepts pinlessSignup: false and usernamelessSignup: false without signup", () => {
    const { client } = mockClient();
    const { params } = parse(
      client.oauth.authorizationUrl({ redirectUri: REDIRECT, state: "s", pinlessSignup: false, usernamelessSignup: false }),
    );
    expect(params).not.toHaveProperty("plsignup");
    expect(params).not.toHaveProperty("ulsignup");
  });

  it.each([
    ["a mobile number that is too short", { signup: true, verifiedMobile: "98765" }, "verifiedMobile"],
    ["a mobile number starting with 5", { signup: true, verifiedMobile: "5876543210" }, "verifiedMobile"],
    ["an empty amr list", { signup: true, amr: [] }, "amr"],
    ["an unknown amr method", { signup: true, amr: ["retina"] }, "amr.0"],
    ["an empty doctype list", { reqDocTypes: [] }, "reqDocTypes"],
    ["a six-character doctype", { reqDocTypes: ["PANCR1"] }, "reqDocTypes.0"],
    ["a code challenge that is a verifier, not a hash", { codeChallenge: "a".repeat(64) }, "codeChallenge"],
    ["a padded base64 code challenge", { codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM=" }, "codeChallenge"],
    ["a consent expiry that is not a Date", { consentValidTill: "2023-05-22" }, "consentValidTill"],
  ])("refuses %s", (_label, extra, path) => {
    const { client } = mockClient();
    const error = inputError(() =>
      client.oauth.authorizationUrl({ redirectUri: REDIRECT, state: "s", ...extra } as unknown as AuthorizeInput),
    );
    expect(error.issues.map((i) => i.path)).toEqual([path]);
  });
});

describe("logoutUrl", () => {
  it("is /signin/logout/Y at the origin, outside /public", () => {
    const { client } = mockClient();
    expect(client.oauth.logoutUrl()).toBe("https://digilocker.test/signin/logout/Y");
  });

  it("returns the logoutUrl setting verbatim when one is configured", () => {
    const { client } = mockClient({ logoutUrl: "https://sso.digilocker.test/custom/logout?from=app" });
    expect(client.oauth.logoutUrl()).toBe("https://sso.digilocker.test/custom/logout?from=app");
  });
});

describe("production defaults", () => {
  it("builds both pages on digilocker.meripehchaan.gov.in when no baseUrl is given", async () => {
    const client = new DigiLockerClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    try {
      expect(parse(client.oauth.authorizationUrl({ redirectUri: REDIRECT, state: "s" })).base).toBe(
        "https://digilocker.meripehchaan.gov.in/public/oauth2/1/authorize",
      );
      expect(client.oauth.logoutUrl()).toBe("https://digilocker.meripehchaan.gov.in/signin/logout/Y");
    } finally {
      await client.close();
    }
  });
});
