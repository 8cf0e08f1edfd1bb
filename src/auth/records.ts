// What sign-in keeps in the store, as zod schemas: a record that does not parse (an older format, a
// tampered value) reads as absent rather than as half a session. Times are epoch milliseconds.
import { z } from "zod";
import type { Account } from "../digilocker/index.js";
import type { VerifiedIdentity } from "./id-token.js";

const gender = z.enum(["MALE", "FEMALE", "TRANSGENDER"]).nullable();
const iso = z.string();

export const identityRecord = z.object({
  subject: z.string(),
  name: z.string().nullable(),
  username: z.string().nullable(),
  email: z.string().nullable(),
  mobile: z.string().nullable(),
  dateOfBirth: z.string().nullable(),
  gender,
  maskedAadhaar: z.string().nullable(),
  pan: z.string().nullable(),
  drivingLicence: z.string().nullable(),
  ssoId: z.string().nullable(),
  authTime: iso.nullable(),
  issuedAt: iso,
  expiresAt: iso,
  verification: z.enum(["signature", "tls"]),
}) satisfies z.ZodType<VerifiedIdentity>;

const accountRecord = z.object({
  digilockerId: z.string(),
  name: z.string(),
  dateOfBirth: z.string().nullable(),
  gender,
  eAadhaar: z.boolean().nullable(),
  referenceKey: z.string().nullable(),
}) satisfies z.ZodType<Account>;

/**
 * Whose DigiLocker client a sign-in's and a session's tokens were issued to: a partner's own client (docs/tenants.md),
 * named by the partner and the client id it had then. Null: the gateway's own client.
 */
export const tenantRecord = z.object({
  partnerId: z.string().min(1),
  clientId: z.string().min(1),
});
export type TenantRef = z.infer<typeof tenantRecord>;

/** Records written before tenants existed carry no tenant: they are the gateway's. */
const tenantOrGateway = tenantRecord.nullable().default(null);

export const sessionRecord = z.object({
  accessToken: z.string().min(1),
  /** Only `/oauth2/1/token` gives one; it rotates on every refresh. */
  refreshToken: z.string().min(1).nullable(),
  accessExpiresAt: z.number(),
  /** The hard end: without a refresh token, the earlier of expires_in and consent_valid_till. */
  endsAt: z.number(),
  consentValidTill: z.number().nullable(),
  scopes: z.array(z.string()),
  identity: identityRecord.nullable(),
  /** The account fields `/oauth2/1/token` sends (saves a Get User Details call). */
  account: accountRecord.nullable(),
  createdAt: z.number(),
  refreshedAt: z.number().nullable(),
  consentRequestId: z.string().nullable(),
  /** Whose client refreshes and revokes the tokens and serves the user's calls: a consent request's partner's, or the gateway's. */
  tenant: tenantOrGateway,
});
export type SessionRecord = z.infer<typeof sessionRecord>;

/** The DigiLocker authorize options a sign-in or consent request carries (spec: Get Authorization Code). */
export const authorizeOptions = z.object({
  signup: z.boolean(),
  requestedDocTypes: z.array(z.string()).nullable(),
  purpose: z.enum(["kyc", "verification", "compliance", "availing_services", "educational"]).nullable(),
  acr: z.enum(["pan", "aadhaar", "driving_licence"]).nullable(),
  consentValidTill: z.number().nullable(),
});
export type AuthorizeOptions = z.infer<typeof authorizeOptions>;

/** Kept under the `state` sent to DigiLocker, taken (read and deleted) by the callback: single use. */
export const pendingSignIn = z.object({
  redirectUri: z.string(),
  codeVerifier: z.string(),
  /** Where a browser sign-in goes back to; null for a consent request (its redirectUrl is on the request). */
  returnTo: z.string().nullable(),
  consentRequestId: z.string().nullable(),
  /**
   * Whose client the authorization URL named: the callback exchanges the code with that client, its redirect URI and
   * token endpoint (a consent request's partner with its own credentials); null: the gateway's.
   */
  tenant: tenantOrGateway,
  /** SHA-256 of the sign-in binding cookie of the browser that started it: only that browser may complete it. */
  browserBinding: z.string(),
  expiresAt: z.number(),
});
export type PendingSignIn = z.infer<typeof pendingSignIn>;

/** startSignIn's ticket: what to start once a browser opens the gateway URL it was given (single use). */
export const signInTicket = z.object({
  authorize: authorizeOptions,
  returnTo: z.string(),
  expiresAt: z.number(),
});
export type SignInTicket = z.infer<typeof signInTicket>;

/**
 * A consent request's session, kept in the Store under the request's id and its row's session_ref (consent-requests.ts):
 * the database never holds a session id.
 */
export const consentSessionLink = z.object({
  sessionId: z.string().min(1),
});
export type ConsentSessionLink = z.infer<typeof consentSessionLink>;
