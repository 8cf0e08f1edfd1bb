// Authorization APIs and token revocation (spec: "Authorization APIs", "Token/Session Revocation API").
import { z } from "zod";
import { endpoints } from "./endpoints.js";
import type { OutgoingRequest, Transport } from "./transport.js";
import type { CallOptions, ClientSettings } from "./settings.js";
import { parseInput } from "./input.js";
import { tokenResponseFor, type TokenSet } from "./tokens.js";
import { unixSeconds } from "./timestamp.js";

const mobile = z.string().regex(/^[6-9]\d{9}$/, "a 10-digit Indian mobile number");

const authorizeInput = z
  .object({
    redirectUri: z.url(),
    state: z.string().min(1, "state is required: it ties the redirect back to this request"),
    codeChallenge: z
      .string()
      .regex(/^[A-Za-z0-9_-]{43}$/, "a base64url SHA-256 (43 characters); use createPkcePair()")
      .optional(),
    /** `scope=openid`: required by v2.3; turn off only for a deployment that rejects it. */
    openid: z.boolean().default(true),
    signup: z.boolean().default(false),
    verifiedMobile: mobile.optional(),
    acr: z.enum(["pan", "aadhaar", "driving_licence"]).optional(),
    reqDocTypes: z.array(z.string().regex(/^[A-Z0-9]{5}$/, "a 5-character DigiLocker doctype")).min(1).optional(),
    amr: z
      .array(z.enum(["all", "driving_licence", "aadhaar", "pan", "ndlemail", "username", "mobile", "other"]))
      .min(1)
      .optional(),
    pinless: z.boolean().default(false),
    pinlessSignup: z.boolean().default(false),
    usernamelessSignup: z.boolean().default(false),
    purpose: z.enum(["kyc", "verification", "compliance", "availing_services", "educational"]).optional(),
    consentValidTill: z.date().optional(),
  })
  .superRefine(
    (v, ctx) => {
      // The spec ignores these outside the signup flow; say so instead of sending a no-op.
      for (const key of ["verifiedMobile", "amr", "pinlessSignup", "usernamelessSignup"] as const) {
        if (v[key] !== undefined && v[key] !== false && !v.signup) {
          ctx.addIssue({ code: "custom", path: [key], message: `${key} applies only with signup: true` });
        }
      }
    },
    // Runs even when a field failed, so one error lists every problem (zod skips it by default).
    { when: (payload) => typeof payload.value === "object" && payload.value !== null },
  );
export type AuthorizeInput = z.input<typeof authorizeInput>;

const exchangeInput = z.object({
  code: z.string().min(1, "the authorization code is required"),
  redirectUri: z.url(),
  codeVerifier: z
    .string()
    .regex(/^[A-Za-z0-9\-._~]{43,128}$/, "a PKCE verifier of 43-128 unreserved characters")
    .optional(),
  /** `/oauth2/2/token` (OpenID: id_token, no refresh token) or `/oauth2/1/token` (refresh token, account fields). */
  version: z.union([z.literal(1), z.literal(2)]).default(2),
});
export type ExchangeInput = z.input<typeof exchangeInput>;

const revokeInput = z.object({
  token: z.string().min(1, "token is required"),
  hint: z.enum(["access_token", "refresh_token"]).optional(),
});

export class OAuthApi {
  constructor(
    private readonly transport: Transport,
    private readonly settings: ClientSettings,
  ) {}

  /** The DigiLocker page that signs the user in and asks for consent (spec: Get Authorization Code). */
  authorizationUrl(input: AuthorizeInput): string {
    const v = parseInput("oauth.authorize", authorizeInput, input);
    const url = new URL(`${this.settings.baseUrl}/oauth2/1/authorize`);
    const q = url.searchParams;
    q.set("response_type", "code");
    q.set("client_id", this.settings.clientId);
    q.set("redirect_uri", v.redirectUri);
    q.set("state", v.state);
    if (v.codeChallenge) {
      q.set("code_challenge", v.codeChallenge);
      q.set("code_challenge_method", "S256");
    }
    if (v.signup) q.set("dl_flow", "signup");
    if (v.verifiedMobile) q.set("verified_mobile", v.verifiedMobile);
    if (v.openid) q.set("scope", "openid");
    if (v.acr) q.set("acr", v.acr);
    if (v.reqDocTypes) q.set("req_doctype", v.reqDocTypes.join(","));
    if (v.amr) q.set("amr", v.amr.join(" "));
    if (v.pinless) q.set("pla", "Y");
    if (v.pinlessSignup) q.set("plsignup", "Y");
    if (v.usernamelessSignup) q.set("ulsignup", "Y");
    if (v.purpose) q.set("purpose", v.purpose);
    if (v.consentValidTill) q.set("consent_valid_till", String(unixSeconds(v.consentValidTill, this.settings.timestamp)));
    return url.toString();
  }

  /** The Revoke Session page (`/signin/logout/Y`, outside `/public`), opened in the user's browser. */
  logoutUrl(): string {
    if (this.settings.logoutUrl) return this.settings.logoutUrl;
    const base = new URL(this.settings.baseUrl);
    base.pathname = `${base.pathname.replace(/\/public\/?$/, "")}/signin/logout/Y`;
    return base.toString();
  }

  /** Exchanges an authorization code for tokens; never retried (a code is single-use). */
  async exchangeCode(input: ExchangeInput, options?: CallOptions): Promise<TokenSet> {
    const v = parseInput(input.version === 1 ? "oauth.tokenV1" : "oauth.tokenV2", exchangeInput, input);
    const form = new URLSearchParams({ grant_type: "authorization_code", code: v.code, redirect_uri: v.redirectUri });
    if (v.codeVerifier) form.set("code_verifier", v.codeVerifier);
    const basic = this.settings.tokenAuth === "client_secret_basic";
    if (!basic) {
      form.set("client_id", this.settings.clientId);
      form.set("client_secret", this.settings.clientSecret);
    }
    return this.transport.json(
      this.#formRequest(v.version === 2 ? "oauth.tokenV2" : "oauth.tokenV1", form, basic, [v.code, v.codeVerifier]),
      tokenResponseFor(this.settings.timestamp),
      options,
    );
  }

  /** Trades a refresh token for a new pair (v1 only; the refresh token rotates). Basic auth, as the spec asks. */
  async refresh(refreshToken: string, options?: CallOptions): Promise<TokenSet> {
    const token = parseInput("oauth.refresh", z.string().min(1, "refreshToken is required"), refreshToken);
    const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: token });
    return this.transport.json(this.#formRequest("oauth.refresh", form, true, [token]), tokenResponseFor(this.settings.timestamp), options);
  }

  /** Revokes an access or refresh token (and, per the spec, tokens of the same grant). */
  async revoke(token: string, hint?: "access_token" | "refresh_token", options?: CallOptions): Promise<void> {
    const v = parseInput("oauth.revoke", revokeInput, { token, hint });
    const form = new URLSearchParams({ token: v.token });
    if (v.hint) form.set("token_type_hint", v.hint);
    // Revocation returns no documented body: whatever comes back with a 2xx (empty, JSON, text) is discarded.
    const res = await this.transport.open(this.#formRequest("oauth.revoke", form, true, [v.token]), options);
    await res.body.dump();
  }

  #formRequest(
    endpoint: "oauth.tokenV1" | "oauth.tokenV2" | "oauth.refresh" | "oauth.revoke",
    form: URLSearchParams,
    basic: boolean,
    secrets: (string | undefined)[],
  ): OutgoingRequest {
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
    if (basic) {
      // The spec: "the app key should be provided as the username, and the app secret as the password",
      // sent as is (RFC 6749's extra form-encoding is not mentioned; see docs/spec-assumptions.md).
      const pair = `${this.settings.clientId}:${this.settings.clientSecret}`;
      headers.authorization = `Basic ${Buffer.from(pair, "utf8").toString("base64")}`;
    }
    return { endpoint, path: endpoints[endpoint].path, build: () => ({ headers, body: form.toString() }), secrets };
  }
}
