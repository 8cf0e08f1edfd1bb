// Token responses (spec: Get Access Token, Get Access Token (openid connect protocol), Refresh Access Token).
import { z } from "zod";
import { gender, type Gender, optionalDdmmyyyy, optionalText, optionalUnixSecondsUnder, trimmed, optionalYesNo } from "./normalize.js";
import type { TimestampConvention } from "./settings.js";

const seconds = z.union([z.number(), z.string().regex(/^\s*\d+\s*$/)]).transform(Number);

/** Scopes are space-separated; blank entries dropped. */
const scopeList = z
  .string()
  .nullish()
  .transform((s) => (s ?? "").split(/\s+/).filter((x) => x !== ""));

export interface Account {
  digilockerId: string;
  name: string;
  /** ISO date, from DDMMYYYY. */
  dateOfBirth: string | null;
  gender: Gender | null;
  /** Whether e-Aadhaar data can be fetched (`eaadhaar` in tokens, `aadhaar` in Get User Details). */
  eAadhaar: boolean | null;
  referenceKey: string | null;
}

/** Account fields as v1 tokens and Get User Details send them; either e-Aadhaar spelling is read. */
export const accountFields = z.object({
  digilockerid: trimmed.pipe(z.string().min(1, "digilockerid is empty")),
  name: trimmed,
  /** Blank or missing → null (a sign-in must not fail over it); an impossible date is still an error. */
  dob: optionalDdmmyyyy,
  gender,
  eaadhaar: optionalYesNo,
  aadhaar: optionalYesNo,
  reference_key: optionalText,
});

export function toAccount(a: z.output<typeof accountFields>): Account {
  return {
    digilockerId: a.digilockerid,
    name: a.name,
    dateOfBirth: a.dob ?? null,
    gender: a.gender,
    eAadhaar: a.eaadhaar ?? a.aadhaar ?? null,
    referenceKey: a.reference_key,
  };
}

export interface TokenSet {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
  scopes: string[];
  /** ISO 8601, from `consent_valid_till` (UNIX seconds under the client's `timestamp` convention). */
  consentValidTill: string | null;
  /** Only v1 and refresh return one; it rotates on every refresh. */
  refreshToken: string | null;
  /** Only the OpenID endpoint returns one (a JWT; verifying it is the caller's job). */
  idToken: string | null;
  /** v1 and refresh carry the account's fields. */
  account: Account | null;
  /** Whether the user signed up during this authorization (v1's `new_account`). */
  newAccount: boolean | null;
}

/**
 * A token body under a `ts` convention. `consent_valid_till` is read as the authorization URL writes it
 * (timestamp.ts `unixSeconds`): under `unix-ist` the +19800 s shift is taken off again, so that the instant a
 * caller asked for is the instant that comes back (docs/spec-assumptions.md, rows 2 and 14).
 */
function tokenResponseUnder(convention: TimestampConvention) {
  const tokenCore = z.object({
    access_token: z.string().trim().min(1),
    token_type: z.string().trim().default("Bearer"),
    expires_in: seconds,
    scope: scopeList,
    consent_valid_till: optionalUnixSecondsUnder(convention),
    refresh_token: optionalText,
    id_token: optionalText,
    new_account: optionalYesNo,
    digilockerid: z.string().nullish(),
  });

  return z.looseObject(tokenCore.shape).transform((raw, ctx) => {
    const hasAccount = (raw.digilockerid ?? "").trim() !== "";
    const account = hasAccount ? accountFields.safeParse(raw) : null;
    if (account && !account.success) {
      for (const issue of account.error.issues) ctx.addIssue({ ...issue, code: "custom", message: issue.message });
      return z.NEVER;
    }
    const set: TokenSet = {
      accessToken: raw.access_token,
      tokenType: raw.token_type,
      expiresIn: raw.expires_in,
      scopes: raw.scope,
      consentValidTill: raw.consent_valid_till,
      refreshToken: raw.refresh_token,
      idToken: raw.id_token,
      newAccount: raw.new_account ?? null,
      account: account ? toAccount(account.data) : null,
    };
    return set;
  });
}

export type TokenResponseSchema = ReturnType<typeof tokenResponseUnder>;

const tokenResponses: Record<TimestampConvention, TokenResponseSchema> = {
  unix: tokenResponseUnder("unix"),
  "unix-ist": tokenResponseUnder("unix-ist"),
};

/** The token body schema for a client's `settings.timestamp`. */
export function tokenResponseFor(convention: TimestampConvention): TokenResponseSchema {
  return tokenResponses[convention];
}

