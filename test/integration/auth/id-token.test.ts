// id_tokens from the sandbox's real code flow (consent page, /oauth2/2/token), verified against its JWKS over
// HTTP; then the ways a token or its keys go wrong.
import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IdTokenVerifier, type IdTokenVerifierOptions } from "../../../src/auth/id-token.js";
import { createPkcePair } from "../../../src/digilocker/index.js";
import { signJwt, type JwtClaims } from "../../../src/sandbox/jwt.js";
import { signInThroughConsent } from "../../helpers/consent.js";
import { refusal } from "../../helpers/id-token.js";
import { startTestSandbox, type TestSandbox } from "../../helpers/sandbox.js";

const AJIT = "123e4567-e89b-12d3-a456-426655440000";
const ID_TOKEN_TTL_MS = 86_400_000;

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  await t.close();
});

/** Signs Ajit in through the consent page with scope=openid and `acr`, and exchanges the code at /oauth2/2/token. */
async function idTokenFor(acr: "pan" | "driving_licence"): Promise<string> {
  const redirectUri = `${t.sandbox.origin}/sandbox/callback`;
  const pkce = createPkcePair();
  const back = await signInThroughConsent(t.sandbox, { redirectUri, userId: AJIT, pkce, state: "st", params: { acr } });
  const code = back.searchParams.get("code");
  if (code === null) throw new Error(`no code in ${back.href}`);
  const tokens = await t.client.oauth.exchangeCode({ code, redirectUri, version: 2, codeVerifier: pkce.verifier });
  if (tokens.idToken === null) throw new Error("no id_token");
  return tokens.idToken;
}

function verifier(options: Partial<IdTokenVerifierOptions> = {}): IdTokenVerifier {
  return new IdTokenVerifier({
    issuer: t.sandbox.origin,
    audience: t.sandbox.clientId,
    jwksUrl: `${t.sandbox.origin}/.well-known/jwks.json`,
    ...options,
  });
}

function parts(idToken: string): { header: Record<string, unknown>; claims: JwtClaims; signature: string } {
  const [h = "", p = "", signature = ""] = idToken.split(".");
  const decode = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
  return { header: decode(h), claims: decode(p), signature };
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("verifying the sandbox's id_token against its JWKS", () => {
  it("acr=pan: the seeded user's name, ISO birth date, masked Aadhaar and PAN, verified by signature", async () => {
    const identity = await verifier().verify(await idTokenFor("pan"));
    expect(identity).toMatchObject({
      subject: AJIT,
      name: "Ajit Kumar",
      username: "ajit.kumar",
      email: "ajit.kumar@example.com",
      mobile: "9876543210",
      dateOfBirth: "1970-12-31",
      gender: "MALE",
      maskedAadhaar: "xxxxxxxx0019",
      pan: "ABCDE1234F",
      drivingLicence: null,
      ssoId: `DL-${AJIT}`,
      verification: "signature",
    });
    expect(Date.parse(identity.expiresAt) - Date.parse(identity.issuedAt)).toBe(ID_TOKEN_TTL_MS);
    expect(Date.parse(identity.authTime!)).toBeLessThanOrEqual(Date.parse(identity.issuedAt));
  });

  it("acr=driving_licence: the licence number, no PAN", async () => {
    const identity = await verifier().verify(await idTokenFor("driving_licence"));
    expect(identity).toMatchObject({ drivingLicence: "DL0120230100001", pan: null, verification: "signature" });
  });

  it("refuses another audience, another issuer, and a token past exp and the tolerance", async () => {
    const idToken = await idTokenFor("pan");
    expect((await refusal(verifier({ audience: "SANDBOX2" }), idToken)).reason).toBe("audience");
    const wrongIssuer = await refusal(verifier({ issuer: "https://api.digitallocker.gov.in" }), idToken);
    expect(wrongIssuer.reason).toBe("issuer");
    expect(wrongIssuer.message).toContain(JSON.stringify(t.sandbox.origin));

    const exp = Date.parse((await verifier().verify(idToken)).expiresAt);
    await expect(verifier({ now: () => exp + 59_000 }).verify(idToken)).resolves.toMatchObject({ subject: AJIT });
    expect((await refusal(verifier({ now: () => exp + 61_000 }), idToken)).reason).toBe("expired");
    expect((await refusal(verifier({ now: () => exp + 1_000, clockToleranceSeconds: 0 }), idToken)).reason).toBe("expired");
  });

  it("refuses an altered payload, and a token signed by another key under the sandbox's kid, on the signature", async () => {
    const idToken = await idTokenFor("pan");
    const { header, claims, signature } = parts(idToken);
    const altered = `${encode(header)}.${encode({ ...claims, pan_number: "ZZZZZ9999Z" })}.${signature}`;
    expect((await refusal(verifier(), altered)).reason).toBe("signature");

    const forger = { privateKey: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey, kid: String(header.kid) };
    expect((await refusal(verifier(), signJwt(claims, forger))).reason).toBe("signature");
    expect((await refusal(verifier(), signJwt(claims, { ...forger, kid: "unknown-kid" }))).reason).toBe("signature");
  });

  it("refuses alg none as malformed, before any key is looked up", async () => {
    const { claims } = parts(await idTokenFor("pan"));
    const unsigned = `${encode({ alg: "none", typ: "JWT" })}.${encode(claims)}.`;
    expect((await refusal(verifier(), unsigned)).reason).toBe("malformed");
    const none = `${encode({ alg: "none", typ: "JWT" })}.${encode(claims)}.c2ln`;
    expect((await refusal(verifier(), none)).reason).toBe("malformed");
  });

  it("answers jwks_unavailable when the JWKS cannot be reached, and when it is not a key set", async () => {
    const idToken = await idTokenFor("pan");
    const closed = verifier({ jwksUrl: `http://127.0.0.1:${await closedPort()}/.well-known/jwks.json` });
    expect((await refusal(closed, idToken)).reason).toBe("jwks_unavailable");
    // A 404 JSON body from the sandbox: a JWKS URL that is wrong, not a token that is.
    const notFound = verifier({ jwksUrl: `${t.sandbox.origin}/.well-known/no-such-jwks.json` });
    expect((await refusal(notFound, idToken)).reason).toBe("jwks_unavailable");
  });
});

describe("verifying without a JWKS (TLS to the token endpoint stands in)", () => {
  it("reads the same identity, says so, and still checks the claims", async () => {
    const idToken = await idTokenFor("pan");
    const tls = verifier({ jwksUrl: null });
    expect(await tls.verify(idToken)).toMatchObject({ name: "Ajit Kumar", pan: "ABCDE1234F", verification: "tls" });

    const exp = Date.parse((await tls.verify(idToken)).expiresAt);
    expect((await refusal(verifier({ jwksUrl: null, now: () => exp + 61_000 }), idToken)).reason).toBe("expired");
    expect((await refusal(verifier({ jwksUrl: null, audience: "SANDBOX2" }), idToken)).reason).toBe("audience");
    expect((await refusal(verifier({ jwksUrl: null, issuer: "https://api.digitallocker.gov.in" }), idToken)).reason).toBe("issuer");
    const { claims } = parts(idToken);
    expect((await refusal(tls, `${encode({ alg: "none" })}.${encode(claims)}.`)).reason).toBe("malformed");
  });
});
