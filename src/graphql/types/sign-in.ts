// Signing in and out through GraphQL: startSignIn (the browser flow), the session it makes, signOut,
// revokeToken (for partners holding their own tokens), and the id_token's verified identity on User.
import { z } from "zod";
import type { VerifiedIdentity } from "../../auth/id-token.js";
import type { SessionRecord } from "../../auth/records.js";
import { builder } from "../builder.js";
import { cost } from "../cost.js";
import { needsScope } from "../scope-grants.js";
import { isoInstant } from "./scalars.js";
import { authorizationChecks, authorizationFields, toAuthorizeOptions } from "./authorization-options.js";
import { GenderEnum, UserRef } from "./user.js";

const StartSignInInput = builder.inputType("StartSignInInput", {
  description: "Where the browser goes back to after DigiLocker, and the DigiLocker sign-in options.",
  fields: (t) => ({
    returnTo: t.string({
      required: true,
      description:
        "Where the browser lands after signing in: a path on this gateway (`/graphql`) or a URL on an allowed origin (ALLOWED_REDIRECT_ORIGINS). Failures come back as `?error=<code>&error_description=…`.",
    }),
    ...authorizationFields(t),
  }),
});

const SignInStartRef = builder.objectRef<{ startUrl: string; expiresAt: number }>("SignInStart").implement({
  description: "A DigiLocker sign-in, ready to start: navigate the browser to `authorizationUrl` before `expiresAt`.",
  fields: (t) => ({
    authorizationUrl: t.exposeString("startUrl", {
      description:
        "A URL on this gateway, usable once, to open as a top-level navigation (`location.href = …`, a link): it binds the sign-in to that browser with a short-lived cookie and sends it on to DigiLocker's sign-in and consent page. The callback refuses any other browser, so a sign-in link sent by someone else cannot sign a user in to their locker.",
    }),
    expiresAt: t.field({ type: "DateTime", description: "After this the URL no longer signs in.", resolve: (s) => isoInstant(s.expiresAt) }),
  }),
});

builder.mutationField("startSignIn", (t) =>
  t.field({
    type: SignInStartRef,
    description:
      "Starts a browser sign-in: open `authorizationUrl` in the browser; the gateway keeps the state and PKCE verifier, DigiLocker sends the browser back to the gateway's /auth/callback, and the gateway sets an HttpOnly session cookie (holding only an opaque id), ends the session it replaces, and redirects to `returnTo`. No token reaches the browser. (A link to /auth/sign-in?returnTo=… does the same without GraphQL.)",
    args: { input: t.arg({ type: StartSignInInput, required: true }) },
    extensions: cost({ writes: 1 }),
    validate: {
      schema: z.object({
        input: z.looseObject({ returnTo: z.string().trim().min(1, "must not be empty").max(2000, "is too long"), ...authorizationChecks }),
      }),
    },
    resolve: (_root, { input }, ctx) => {
      const returnTo = ctx.services.auth.redirects.check(input.returnTo, "returnTo", ctx.origin ?? undefined);
      return ctx.services.auth.signIn.prepare(toAuthorizeOptions(input), returnTo);
    },
  }),
);

const SignOutRef = builder.objectRef<{ signedOut: boolean; digilockerLogoutUrl: string }>("SignOutResult").implement({
  description: "What signOut did.",
  fields: (t) => ({
    signedOut: t.exposeBoolean("signedOut", { description: "False when there was no session to end." }),
    digilockerLogoutUrl: t.exposeString("digilockerLogoutUrl", {
      description:
        "DigiLocker's Revoke Session page: open it in the browser to end the DigiLocker sign-in too (it returns to the gateway's post-logout page).",
    }),
  }),
});

builder.mutationField("signOut", (t) =>
  t.field({
    type: SignOutRef,
    description:
      "Ends the browser's session: revokes its access and refresh tokens at DigiLocker, deletes the session and clears the cookie. Safe to call twice.",
    extensions: cost({ upstream: 2 }),
    resolve: async (_root, _args, ctx) => {
      // Revoke Session's page is DigiLocker's, the same for every client; a browser's session is the gateway's own.
      const { auth, client } = ctx.services;
      const signedOut = ctx.sessionId === null ? false : await auth.sessions.end(ctx.sessionId, ctx.scope);
      if (ctx.sessionId !== null) ctx.responseHeaders.push(["set-cookie", auth.cookie.clear()]);
      return { signedOut, digilockerLogoutUrl: client.oauth.logoutUrl() };
    },
  }),
);

const TokenTypeHintEnum = builder.enumType("TokenTypeHint", {
  description: "Which kind of token is being revoked (`token_type_hint`); DigiLocker looks in both without it.",
  values: { ACCESS_TOKEN: { value: "access_token" }, REFRESH_TOKEN: { value: "refresh_token" } } as const,
});

const RevokeTokenInput = builder.inputType("RevokeTokenInput", {
  description: "A DigiLocker token this caller holds.",
  fields: (t) => ({
    token: t.string({ required: true, description: "The access or refresh token to revoke." }),
    hint: t.field({ type: TokenTypeHintEnum, description: "Which kind it is, if known." }),
  }),
});

builder.mutationField("revokeToken", (t) =>
  t.field({
    type: builder.objectRef<{ revoked: boolean }>("RevokeTokenResult").implement({
      description: "What revokeToken did.",
      fields: (r) => ({ revoked: r.exposeBoolean("revoked", { description: "True once DigiLocker accepted the revocation (an unknown token counts, RFC 7009)." }) }),
    }),
    description:
      "Revokes a DigiLocker token held by a partner backend (spec: Revoke Token); tokens of the same grant go with it. What the gateway cached for the token is dropped. " +
      needsScope("tokens:revoke"),
    authScopes: { partner: "tokens:revoke" },
    args: { input: t.arg({ type: RevokeTokenInput, required: true }) },
    extensions: cost({ upstream: 1 }),
    validate: { schema: z.object({ input: z.looseObject({ token: z.string().trim().min(1, "must not be empty").max(4096, "is too long") }) }) },
    resolve: async (_root, { input }, ctx) => {
      const token = input.token.trim();
      // With the caller's own client (its partner's, docs/tenants.md): DigiLocker revokes only tokens issued to it.
      await ctx.digilocker.client.oauth.revoke(token, input.hint ?? undefined);
      ctx.services.userData.forget(token);
      return { revoked: true };
    },
  }),
);

const SessionRef = builder.objectRef<SessionRecord>("Session").implement({
  description: "The browser's sign-in session. The DigiLocker tokens stay on the server; this says only when and what.",
  fields: (t) => ({
    signedInAt: t.field({ type: "DateTime", description: "When the user signed in.", resolve: (s) => isoInstant(s.createdAt) }),
    expiresAt: t.field({
      type: "DateTime",
      description:
        "When the session ends and the user must sign in again: with a refresh token, the session's maximum age; without one, the access token's expiry. Never after consentValidTill.",
      resolve: (s) => isoInstant(s.endsAt),
    }),
    refreshable: t.boolean({
      description: "Whether the gateway renews the access token itself (DigiLocker's /oauth2/1/token gave a refresh token).",
      resolve: (s) => s.refreshToken !== null,
    }),
    accessTokenExpiresAt: t.field({ type: "DateTime", description: "When the current access token expires.", resolve: (s) => isoInstant(s.accessExpiresAt) }),
    refreshedAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When the access token was last renewed; null if never.",
      resolve: (s) => (s.refreshedAt === null ? null : isoInstant(s.refreshedAt)),
    }),
    consentValidTill: t.field({
      type: "DateTime",
      nullable: true,
      description: "When the user's consent ends (consent_valid_till), if they set one.",
      resolve: (s) => (s.consentValidTill === null ? null : isoInstant(s.consentValidTill)),
    }),
    scopes: t.exposeStringList("scopes", { description: "What the user granted, as DigiLocker names it (`files.issueddocs`, `partners.PANCR`, …)." }),
  }),
});

builder.queryField("session", (t) =>
  t.field({
    type: SessionRef,
    nullable: true,
    description: "The browser's session (from its cookie); null when not signed in or the session has ended.",
    extensions: cost({}),
    resolve: (_root, _args, ctx) => (ctx.sessionId === null ? null : ctx.services.auth.sessions.get(ctx.sessionId, ctx.scope)),
  }),
);

const VerificationEnum = builder.enumType("IdentityVerification", {
  description: "How the gateway trusts the id_token's claims.",
  values: {
    SIGNATURE: { value: "signature", description: "Its RS256 signature checked against DIGILOCKER_JWKS_URL." },
    TLS: {
      value: "tls",
      description: "Received directly from DigiLocker's token endpoint over TLS, which OpenID Connect Core 3.1.3.7 lets stand in for the signature.",
    },
  } as const,
});

const VerifiedIdentityRef = builder.objectRef<VerifiedIdentity>("VerifiedIdentity").implement({
  description:
    "Who DigiLocker says signed in, from the id_token of the OpenID token endpoint (issuer, audience and expiry checked). PAN and driving licence appear only when the sign-in asked for them with `acr`.",
  fields: (t) => ({
    subject: t.exposeString("subject", { description: "The id_token's `sub`: the user's DigiLocker id." }),
    name: t.exposeString("name", { nullable: true, description: "Name as in DigiLocker." }),
    username: t.exposeString("username", { nullable: true, description: "DigiLocker username (`preferred_username`)." }),
    email: t.exposeString("email", { nullable: true, description: "Email address." }),
    mobile: t.exposeString("mobile", { nullable: true, description: "Mobile number (`phone_number`)." }),
    dateOfBirth: t.field({ type: "Date", nullable: true, description: "Date of birth (DigiLocker sends DD/MM/YYYY).", resolve: (i) => i.dateOfBirth }),
    gender: t.field({ type: GenderEnum, nullable: true, description: "Gender.", resolve: (i) => i.gender }),
    maskedAadhaar: t.exposeString("maskedAadhaar", { nullable: true, description: "Aadhaar number with all but the last four digits masked." }),
    pan: t.exposeString("pan", { nullable: true, description: "Verified PAN (only with `acr: PAN`)." }),
    drivingLicence: t.exposeString("drivingLicence", { nullable: true, description: "Verified driving licence number (only with `acr: DRIVING_LICENCE`)." }),
    ssoId: t.exposeString("ssoId", { nullable: true, description: "DigiLocker's single sign-on id (`user_sso_id`)." }),
    authenticatedAt: t.field({ type: "DateTime", nullable: true, description: "When the user authenticated (`auth_time`).", resolve: (i) => i.authTime }),
    verification: t.field({ type: VerificationEnum, description: "How the claims were checked.", resolve: (i) => i.verification }),
  }),
});

builder.objectField(UserRef, "identity", (t) =>
  t.field({
    type: VerifiedIdentityRef,
    nullable: true,
    description:
      "The verified claims of the sign-in's id_token: costs no DigiLocker call. Null for a bearer token, or a sign-in through /oauth2/1/token (no id_token).",
    extensions: cost({}),
    resolve: (user) => user.access.identity(),
  }),
);
