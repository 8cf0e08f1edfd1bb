// The form of a partner's DigiLocker credentials, checked before DigiLocker is asked: each refusal names its field
// and what to fix, and never repeats what was sent.
import { describe, expect, it } from "vitest";
import { checkCredentialsInput, InvalidCredentialsInput, type CredentialsInput } from "../../../src/tenants/credentials-input.js";

const VALID: CredentialsInput = {
  clientId: "ABCD1234",
  clientSecret: "planted-Secret-9f8e7d6c",
  redirectUri: "https://kyc.example.in/auth/callback",
  tokenEndpoint: "openid",
};

function refusal(input: Partial<CredentialsInput>): InvalidCredentialsInput {
  try {
    checkCredentialsInput({ ...VALID, ...input });
  } catch (error) {
    if (error instanceof InvalidCredentialsInput) return error;
    throw error;
  }
  throw new Error("accepted");
}

describe("checkCredentialsInput", () => {
  it("accepts credentials as DigiLocker issues them, trimming the id and the URI but never the secret", () => {
    expect(checkCredentialsInput({ ...VALID, clientId: " ABCD1234 ", redirectUri: " https://kyc.example.in/auth/callback " })).toEqual(VALID);
  });

  it.each([
    ["http on localhost", "http://localhost:4000/auth/callback"],
    ["http on 127.0.0.1", "http://127.0.0.1:4000/auth/callback"],
    ["http on [::1]", "http://[::1]:4000/auth/callback"],
    ["https with a query", "https://kyc.example.in/auth/callback?tenant=acme"],
  ])("accepts a redirect URI with %s", (_what, redirectUri) => {
    expect(checkCredentialsInput({ ...VALID, redirectUri }).redirectUri).toBe(redirectUri);
  });

  it.each([
    ["clientId", { clientId: "" }, /clientId: is required/],
    ["clientId", { clientId: "id with blanks" }, /clientId: must be the client id/],
    ["clientId", { clientId: "ABCD:1234" }, /clientId: must be the client id/],
    ["clientId", { clientId: "A".repeat(65) }, /clientId: is longer/],
    ["clientSecret", { clientSecret: "" }, /clientSecret: is required/],
    ["clientSecret", { clientSecret: "x".repeat(257) }, /clientSecret: is longer/],
    ["clientSecret", { clientSecret: " planted-Secret-9f8e7d6c" }, /clientSecret: must not start or end with blanks/],
    ["clientSecret", { clientSecret: "planted-Secret-9f8e7d6c\n" }, /clientSecret: must not start or end with blanks/],
    ["clientSecret", { clientSecret: "planted\u0000Secret" }, /clientSecret: must not contain control characters/],
    ["redirectUri", { redirectUri: "/auth/callback" }, /redirectUri: must be an absolute URL/],
    ["redirectUri", { redirectUri: "http://kyc.example.in/auth/callback" }, /redirectUri: must use https/],
    ["redirectUri", { redirectUri: "ftp://kyc.example.in/cb" }, /redirectUri: must be an https URL/],
    ["redirectUri", { redirectUri: "https://kyc.example.in/cb#top" }, /redirectUri: must not have a fragment/],
    ["redirectUri", { redirectUri: "https://user:pw@kyc.example.in/cb" }, /redirectUri: must not carry a user name/],
    ["redirectUri", { redirectUri: `https://kyc.example.in/${"a".repeat(2000)}` }, /redirectUri: is too long/],
    ["tokenEndpoint", { tokenEndpoint: "v2" as "v1" }, /tokenEndpoint: must be v1 or openid/],
  ])("refuses a bad %s: %j", (field, input, message) => {
    const error = refusal(input);
    expect(error.issues.map((i) => i.field)).toEqual([field]);
    expect(error.message).toMatch(message);
  });

  it("never repeats a value it refuses (a secret pasted into the wrong field stays out of the message)", () => {
    const planted = "planted-Secret-9f8e7d6c";
    const error = refusal({ clientId: `${planted} `.repeat(3), clientSecret: ` ${planted}`, redirectUri: `https://x/#${planted}` });
    expect(error.issues.map((i) => i.field)).toEqual(["clientId", "clientSecret", "redirectUri"]);
    expect(JSON.stringify(error)).not.toContain(planted);
    expect(error.message).not.toContain(planted);
  });
});
