// Verifies the id_token of Get Access Token (openid connect protocol; spec lines 201, 214) per OpenID
// Connect Core 3.1.3.7: RS256 against the issuer's JWKS, or, with no JWKS configured, the TLS connection to
// the token endpoint standing in for the signature (item 6). Issuer, audience and times are checked either way.
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { z } from "zod";
import { gender, isoDateFromDdmmyyyy, optionalText, type Gender } from "../digilocker/normalize.js";

export type IdTokenVerification = "signature" | "tls";

export interface VerifiedIdentity {
  /** `sub`: the DigiLocker id. */
  subject: string;
  name: string | null;
  /** `preferred_username`. */
  username: string | null;
  email: string | null;
  /** `phone_number`. */
  mobile: string | null;
  /** ISO YYYY-MM-DD, from `birthdate` (DD/MM/YYYY). */
  dateOfBirth: string | null;
  gender: Gender | null;
  /** `masked_aadhaar`, as sent (`xxxxxxxx1234`). */
  maskedAadhaar: string | null;
  /** `pan_number`: present only when the sign-in asked for `acr=pan`. */
  pan: string | null;
  /** `driving_licence`: present only with `acr=driving_licence`. */
  drivingLicence: string | null;
  /** `user_sso_id`. */
  ssoId: string | null;
  /** ISO 8601, from `auth_time`. */
  authTime: string | null;
  issuedAt: string;
  expiresAt: string;
  verification: IdTokenVerification;
}

export type IdTokenErrorReason = "malformed" | "signature" | "issuer" | "audience" | "expired" | "not_yet_valid" | "claims" | "jwks_unavailable";

/** A refused id_token. Messages name the failed check and claim, never the token or its personal claims. */
export class IdTokenError extends Error {
  override name = "IdTokenError";
  constructor(
    readonly reason: IdTokenErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface IdTokenVerifierOptions {
  /** The expected `iss`. */
  issuer: string;
  /** Our client id: must be (one of) `aud`. */
  audience: string;
  /** null → no signature check: the token came straight from the token endpoint over TLS (OIDC Core 3.1.3.7 item 6). */
  jwksUrl: string | null;
  /** Milliseconds since the epoch; tests move it. */
  now?: () => number;
  /** Allowed clock skew for exp, nbf and iat; default 60. */
  clockToleranceSeconds?: number;
}

/** DigiLocker signs with RS256 (the sample's header); anything else, "none" above all, is refused. */
const ALGORITHM = "RS256";
/** A compact JWS with a non-empty signature: "header.payload." (alg none) never gets further. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** Far above a real id_token (about 1.5 KB), low enough that parsing junk costs nothing. */
const MAX_TOKEN_LENGTH = 16_384;
const JWKS_TIMEOUT_MS = 5_000;
/** How long after a fetch an unknown `kid` may trigger another one (key rotation), so junk cannot hammer the JWKS. */
const JWKS_COOLDOWN_MS = 30_000;

/**
 * DD/MM/YYYY (the sample's `01\/01\/1990`) → ISO, through the DDMMYYYY parser the rest of the API uses. OpenID's
 * own YYYY-MM-DD is read too: should production follow the standard, sign-ins must not start failing.
 */
const slashedDate = optionalText.transform((s, ctx) => {
  if (s === null) return null;
  const slashed = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(s);
  const standard = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const ddmmyyyy = slashed ? `${slashed[1] ?? ""}${slashed[2] ?? ""}${slashed[3] ?? ""}` : standard ? `${standard[3] ?? ""}${standard[2] ?? ""}${standard[1] ?? ""}` : null;
  const iso = ddmmyyyy === null ? null : isoDateFromDdmmyyyy(ddmmyyyy);
  if (iso === null) {
    ctx.addIssue({ code: "custom", message: "expected a real date as DD/MM/YYYY (or YYYY-MM-DD)" });
    return z.NEVER;
  }
  return iso;
});

/** Seconds since the epoch, up to the year 9999 so that every one has an ISO form. */
const numericDate = z.number({ message: "expected a NumericDate (seconds)" }).nonnegative().max(253_402_300_799);

/** What OIDC Core 3.1.3.7 checks; read before the rest, so a wrong issuer is reported as such. */
const registeredSchema = z.object({
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  azp: z.string().optional(),
  iat: numericDate,
  exp: numericDate,
  nbf: numericDate.optional(),
});
type Registered = z.output<typeof registeredSchema>;

/** The spec's sample claims (spec line 214); unknown claims are dropped. */
const claimsSchema = z.object({
  sub: z.string().trim().min(1, "expected the DigiLocker id"),
  iat: numericDate,
  exp: numericDate,
  auth_time: numericDate.nullish(),
  name: optionalText,
  preferred_username: optionalText,
  email: optionalText,
  phone_number: optionalText,
  birthdate: slashedDate,
  gender,
  masked_aadhaar: optionalText,
  pan_number: optionalText,
  driving_licence: optionalText,
  user_sso_id: optionalText,
});
type Claims = z.output<typeof claimsSchema>;

export class IdTokenVerifier {
  readonly #issuer: string;
  readonly #audience: string;
  readonly #jwks: JWTVerifyGetKey | null;
  readonly #now: () => number;
  readonly #tolerance: number;

  constructor(options: IdTokenVerifierOptions) {
    this.#issuer = options.issuer;
    this.#audience = options.audience;
    this.#now = options.now ?? Date.now;
    this.#tolerance = options.clockToleranceSeconds ?? 60;
    this.#jwks = options.jwksUrl === null ? null : remoteKeys(options.jwksUrl);
  }

  /**
   * `audience`: the client id the token was issued to, when it is not the gateway's own (a partner's client,
   * docs/tenants.md). The issuer and its keys are DigiLocker's whichever client asked.
   */
  async verify(idToken: string, audience: string = this.#audience): Promise<VerifiedIdentity> {
    checkShape(idToken);
    const payload = this.#jwks === null ? this.#decodeUnsigned(idToken) : await this.#verifySigned(idToken, this.#jwks, audience);
    // jose has checked these already when it verified; checking again costs nothing and keeps one rule set.
    this.#checkRegistered(parse(registeredSchema, payload), audience);
    return identity(parse(claimsSchema, payload), this.#jwks === null ? "tls" : "signature");
  }

  async #verifySigned(token: string, keys: JWTVerifyGetKey, audience: string): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: this.#issuer,
        audience,
        algorithms: [ALGORITHM],
        requiredClaims: ["sub", "iat", "exp"],
        currentDate: new Date(this.#now()),
        clockTolerance: this.#tolerance,
      });
      return payload;
    } catch (error) {
      throw fromJose(error, this.#issuer);
    }
  }

  #decodeUnsigned(token: string): JWTPayload {
    try {
      return decodeJwt(token);
    } catch (error) {
      throw fromJose(error, this.#issuer);
    }
  }

  #checkRegistered(claims: Registered, audience: string): void {
    if (claims.iss !== this.#issuer) throw issuerError(claims.iss, this.#issuer);
    const audiences = typeof claims.aud === "string" ? [claims.aud] : claims.aud;
    // Core 3.1.3.7 items 3 and 5: our client id among the audiences, and azp, when sent, is us.
    if (!audiences.includes(audience) || (claims.azp !== undefined && claims.azp !== audience)) {
      throw new IdTokenError("audience", "id_token aud (or azp) is not this client");
    }
    const now = this.#now() / 1000;
    if (claims.exp <= now - this.#tolerance) throw new IdTokenError("expired", "id_token has expired (exp)");
    if (claims.nbf !== undefined && claims.nbf > now + this.#tolerance) throw new IdTokenError("not_yet_valid", "id_token is not valid yet (nbf)");
    // jose checks iat only with maxTokenAge; a token issued in the future means a wrong clock or a forgery.
    if (claims.iat > now + this.#tolerance) throw new IdTokenError("not_yet_valid", "id_token was issued in the future (iat)");
  }
}

function remoteKeys(jwksUrl: string): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: JWKS_TIMEOUT_MS, cooldownDuration: JWKS_COOLDOWN_MS });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      // No key for this kid: a signature problem. Anything else (refused, timed out, non-200, bad JSON) is the JWKS.
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      throw new IdTokenError("jwks_unavailable", "The id_token signing keys (JWKS) could not be fetched", { cause: error });
    }
  };
}

function checkShape(token: string): void {
  if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) {
    throw new IdTokenError("malformed", "id_token is not a signed compact JWT (three non-empty base64url parts)");
  }
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    throw new IdTokenError("malformed", "id_token header is not valid JSON");
  }
  if (alg !== ALGORITHM) throw new IdTokenError("malformed", `id_token alg must be ${ALGORITHM}`);
}

function parse<T extends z.ZodType>(schema: T, payload: JWTPayload): z.output<T> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  // Paths and zod's own messages only: never the values (names, PAN, Aadhaar).
  const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "payload"}: ${i.message}`).join("; ");
  throw new IdTokenError("claims", `id_token claims are invalid: ${problems}`);
}

/** jose's errors → our reasons. Claim errors carry the decoded payload, so they are never kept as the cause. */
function fromJose(error: unknown, issuer: string): IdTokenError {
  if (error instanceof IdTokenError) return error;
  if (error instanceof errors.JWTExpired) return new IdTokenError("expired", `id_token has expired (${error.claim})`);
  if (error instanceof errors.JWTClaimValidationFailed) {
    const claim = error.claim;
    if (error.reason === "missing") return new IdTokenError("claims", `id_token has no ${claim} claim`);
    if (claim === "iss") return issuerError(String(error.payload.iss), issuer);
    if (claim === "aud") return new IdTokenError("audience", "id_token aud is not this client");
    if (claim === "nbf" || claim === "iat") return new IdTokenError("not_yet_valid", `id_token is not valid yet (${claim})`);
    return new IdTokenError("claims", `id_token ${claim} claim is invalid`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new IdTokenError("signature", "id_token signature does not verify", { cause: error });
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new IdTokenError("signature", "id_token kid matches no single key of the issuer's JWKS", { cause: error });
  }
  if (error instanceof errors.JWKSTimeout) return new IdTokenError("jwks_unavailable", "The JWKS did not answer in time", { cause: error });
  if (error instanceof errors.JOSEError) return new IdTokenError("malformed", `id_token is malformed (${error.code})`, { cause: error });
  if (error instanceof Error) return new IdTokenError("malformed", "id_token could not be decoded", { cause: error });
  return new IdTokenError("malformed", "id_token could not be decoded");
}

function identity(c: Claims, verification: IdTokenVerification): VerifiedIdentity {
  return {
    subject: c.sub,
    name: c.name,
    username: c.preferred_username,
    email: c.email,
    mobile: c.phone_number,
    dateOfBirth: c.birthdate,
    gender: c.gender,
    maskedAadhaar: c.masked_aadhaar,
    pan: c.pan_number,
    drivingLicence: c.driving_licence,
    ssoId: c.user_sso_id,
    authTime: c.auth_time == null ? null : isoSeconds(c.auth_time),
    issuedAt: isoSeconds(c.iat),
    expiresAt: isoSeconds(c.exp),
    verification,
  };
}

function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/** Names both values, so an operator can set DIGILOCKER_ID_TOKEN_ISSUER; an issuer is public, but quoted and cut short. */
function issuerError(actual: string, expected: string): IdTokenError {
  const quote = (value: string) => JSON.stringify(value.slice(0, 200));
  return new IdTokenError("issuer", `id_token iss ${quote(actual)} is not the expected ${quote(expected)}`);
}
