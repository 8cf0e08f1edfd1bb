// The id_token checks that need no network: with jwksUrl null (TLS stands in for the signature) every claim
// rule still applies. Tokens are signed with a throwaway RSA key, as DigiLocker's are shaped (spec line 214).
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { IdTokenError, IdTokenVerifier, type IdTokenVerifierOptions } from "../../../src/auth/id-token.js";
import { signJwt, type JwtClaims } from "../../../src/sandbox/jwt.js";
import { refusal } from "../../helpers/id-token.js";

const ISSUER = "https://api.digitallocker.gov.in";
const CLIENT = "ABCDEFGH";
const NOW = Date.UTC(2024, 0, 15, 10);
const IAT = NOW / 1000;
const key = { privateKey: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey, kid: "test-kid" };

function claims(overrides: JwtClaims = {}): JwtClaims {
  return {
    iss: ISSUER,
    sub: " 123e4567-e89b-12d3-a456-426655440000 ",
    aud: CLIENT,
    iat: IAT,
    exp: IAT + 86_400,
    auth_time: IAT - 5,
    name: " Ajit Kumar ",
    preferred_username: "ajit.dl",
    email: "",
    birthdate: "31/12/1970",
    gender: "M",
    phone_number: "9876543210",
    jti: "3ffd98d3-0321-441a-b2ea-18a92d55a0b0",
    user_sso_id: "DL-93ffc90c-6d92-11e9-a85e-9457a5645069",
    pan_number: "ABCDK1232G",
    masked_aadhaar: "xxxxxxxx1234",
    ...overrides,
  };
}

function token(overrides: JwtClaims = {}): string {
  return signJwt(claims(overrides), key);
}

function verifier(options: Partial<IdTokenVerifierOptions> = {}): IdTokenVerifier {
  return new IdTokenVerifier({ issuer: ISSUER, audience: CLIENT, jwksUrl: null, now: () => NOW, ...options });
}

function refused(idToken: string, v = verifier()): Promise<IdTokenError> {
  return refusal(v, idToken);
}

function rawToken(header: unknown, payload: unknown, signature = "c2ln"): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  return `${part(header)}.${part(payload)}.${signature}`;
}

describe("IdTokenVerifier without a JWKS (TLS stands in)", () => {
  it("reads the sample's claims: trimmed, blanks null, DD/MM/YYYY as an ISO date, times as ISO", async () => {
    expect(await verifier().verify(token())).toEqual({
      subject: "123e4567-e89b-12d3-a456-426655440000",
      name: "Ajit Kumar",
      username: "ajit.dl",
      email: null,
      mobile: "9876543210",
      dateOfBirth: "1970-12-31",
      gender: "MALE",
      maskedAadhaar: "xxxxxxxx1234",
      pan: "ABCDK1232G",
      drivingLicence: null,
      ssoId: "DL-93ffc90c-6d92-11e9-a85e-9457a5645069",
      authTime: "2024-01-15T09:59:55.000Z",
      issuedAt: "2024-01-15T10:00:00.000Z",
      expiresAt: "2024-01-16T10:00:00.000Z",
      verification: "tls",
    });
  });

  it("accepts aud as a list that holds this client, and leaves absent claims null", async () => {
    const identity = await verifier().verify(token({ aud: ["OTHER", CLIENT], birthdate: undefined, gender: "X", auth_time: undefined }));
    expect(identity).toMatchObject({ dateOfBirth: null, gender: null, authTime: null });
  });

  it.each([
    ["another issuer", { iss: "https://api.digmtallocker.gov.in" }, "issuer"],
    ["another audience", { aud: "SOMEONE" }, "audience"],
    ["a list of other audiences", { aud: ["A", "B"] }, "audience"],
    ["azp naming another client", { aud: [CLIENT, "B"], azp: "B" }, "audience"],
    ["exp past the tolerance", { exp: IAT - 61 }, "expired"],
    ["iat in the future past the tolerance", { iat: IAT + 120, exp: IAT + 86_400 }, "not_yet_valid"],
    ["nbf in the future", { nbf: IAT + 120 }, "not_yet_valid"],
    ["no sub", { sub: undefined }, "claims"],
    ["a blank sub", { sub: "  " }, "claims"],
    ["no exp", { exp: undefined }, "claims"],
    ["exp as a string", { exp: String(IAT + 60) }, "claims"],
    ["an impossible birthdate", { birthdate: "31/02/1990" }, "claims"],
    ["a birthdate in neither shape", { birthdate: "1990/01/02" }, "claims"],
  ])("refuses %s (%s)", async (_, overrides, reason) => {
    expect((await refused(token(overrides))).reason).toBe(reason);
  });

  it("reads OpenID's standard YYYY-MM-DD birthdate too", async () => {
    await expect(verifier().verify(token({ birthdate: "1990-01-02" }))).resolves.toMatchObject({ dateOfBirth: "1990-01-02" });
  });

  it("allows the clock tolerance either side", async () => {
    await expect(verifier().verify(token({ exp: IAT - 59 }))).resolves.toMatchObject({ verification: "tls" });
    await expect(verifier().verify(token({ iat: IAT + 59 }))).resolves.toMatchObject({ verification: "tls" });
    expect((await refused(token({ exp: IAT - 1 }), verifier({ clockToleranceSeconds: 0 }))).reason).toBe("expired");
  });

  it("names the unexpected issuer, so an operator can fix DIGILOCKER_ID_TOKEN_ISSUER, but no personal claim", async () => {
    const error = await refused(token({ iss: "https://api.digmtallocker.gov.in" }));
    expect(error.message).toContain('"https://api.digmtallocker.gov.in"');
    expect(error.message).toContain(`"${ISSUER}"`);
    const claimsError = await refused(token({ birthdate: "31/02/1990" }));
    expect(claimsError.message).toContain("birthdate");
    expect(claimsError.message).not.toContain("31/02/1990");
    expect(claimsError.message).not.toContain("ABCDK1232G");
  });

  it.each([
    ["alg none with no signature", rawToken({ alg: "none" }, claims(), "")],
    ["alg none with a signature part", rawToken({ alg: "none" }, claims())],
    ["alg HS256", rawToken({ alg: "HS256", typ: "JWT" }, claims())],
    ["a header that is not JSON", `bm90LWpzb24.${Buffer.from(JSON.stringify(claims())).toString("base64url")}.c2ln`],
    ["a payload that is not JSON", `${Buffer.from('{"alg":"RS256"}').toString("base64url")}.bm90LWpzb24.c2ln`],
    ["two parts", token().split(".").slice(0, 2).join(".")],
    ["an encrypted (five-part) token", `${token()}.a.b`],
    ["an empty string", ""],
    ["an oversized token", rawToken({ alg: "RS256" }, { ...claims(), pad: "x".repeat(20_000) })],
  ])("refuses %s as malformed", async (_, idToken) => {
    expect((await refused(idToken)).reason).toBe("malformed");
  });
});
