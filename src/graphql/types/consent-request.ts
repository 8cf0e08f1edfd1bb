// Consent requests (the partner-backend flow, as Setu's and infopass's DigiLocker APIs): create one, send the
// user to its url, then read its status and the user's documents by id, and revoke it when done. A partner reads
// and revokes only its own (its key names it); another partner's id answers as one that does not exist.
import { GraphQLError } from "graphql";
import { z } from "zod";
import type { ConsentRequestView } from "../../auth/consent-requests.js";
import { sessionAccess } from "../../auth/user-access.js";
import { builder } from "../builder.js";
import { cost } from "../cost.js";
import { isoInstant } from "./scalars.js";
import type { Context } from "../context.js";
import { needsScope } from "../scope-grants.js";
import { authorizationChecks, authorizationFields, ConsentPurposeEnum, toAuthorizeOptions } from "./authorization-options.js";
import { placed, UserRef, type UserModel } from "./user.js";

/** The view plus, once authenticated, one User handle for the whole request (so its loaders are shared). */
interface ConsentRequestModel {
  view: ConsentRequestView;
  user: UserModel | null;
}

function model(view: ConsentRequestView, ctx: Context): ConsentRequestModel {
  const { sessionId } = view;
  const user = view.status === "AUTHENTICATED" && sessionId !== null ? { access: sessionAccess(ctx.services.auth.sessions, sessionId, ctx.scope) } : null;
  return { view, user };
}

/** Whose requests this caller reads and writes: its partner's; without a key (development mode), those made without one. */
const ownerOf = (ctx: Context): string | null => ctx.partner?.id ?? null;

const notFound = () => new GraphQLError("No consent request has this id", { extensions: { code: "NOT_FOUND", reason: "consent_request_not_found" } });

const StatusEnum = builder.enumType("ConsentRequestStatus", {
  description: "Where a consent request stands.",
  values: {
    UNAUTHENTICATED: { description: "The user has not consented yet; `url` still works until `validUntil`." },
    AUTHENTICATED: { description: "The user consented: `user` reads their DigiLocker until `validUntil`." },
    REVOKED: { description: "Revoked by the partner: the tokens are revoked at DigiLocker and the link no longer works." },
    EXPIRED: { description: "The link was not used in time, or the access it gave has ended." },
  } as const,
});

const ConsentErrorRef = builder.objectRef<{ code: string; message: string }>("ConsentRequestError").implement({
  description: "Why the user's last attempt did not complete, as sent to redirectUrl (`errCode`, `errMessage`).",
  fields: (t) => ({
    code: t.exposeString("code", {
      description: "`access_denied` (the user declined), `sign_in_failed`, `id_token_invalid` or `consent_request_closed`.",
    }),
    message: t.exposeString("message", { description: "A sentence for people." }),
  }),
});

const ConsentRequestRef = builder.objectRef<ConsentRequestModel>("ConsentRequest").implement({
  description:
    "A request for a user's consent to read their DigiLocker, made by a partner backend. The DigiLocker tokens stay in the gateway; the partner holds only the id, which only its own API key reads. Requests are kept: one that ended stays readable, as EXPIRED or REVOKED.",
  fields: (t) => ({
    id: t.id({
      description:
        "The request's id (a UUID): keep it to read the status and documents later, with the same API key. It is not in `url`; the redirect back to `redirectUrl` carries it.",
      resolve: (m) => m.view.record.id,
    }),
    status: t.field({ type: StatusEnum, description: "Where the request stands, worked out when read.", resolve: (m) => m.view.status }),
    url: t.string({
      description:
        "Send the user's browser here: it opens DigiLocker's sign-in and consent page. Reusable until `validUntil` while UNAUTHENTICATED. It carries a link value of its own, not the id: it starts a consent and reads nothing.",
      resolve: (m) => m.view.url,
    }),
    redirectUrl: t.string({
      description: "Where the user lands afterwards: `?success=true&id=…`, or `?success=false&id=…&errCode=…&errMessage=…`.",
      resolve: (m) => m.view.record.redirectUrl,
    }),
    validUntil: t.field({
      type: "DateTime",
      description:
        "UNAUTHENTICATED: when the link stops working. AUTHENTICATED: when the access ends. Otherwise when it ended; the request remains readable after that.",
      resolve: (m) => isoInstant(m.view.validUntil),
    }),
    createdAt: t.field({ type: "DateTime", description: "When it was created.", resolve: (m) => isoInstant(m.view.record.createdAt) }),
    authenticatedAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When the user consented.",
      resolve: (m) => (m.view.record.authenticatedAt === null ? null : isoInstant(m.view.record.authenticatedAt)),
    }),
    revokedAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When it was revoked.",
      resolve: (m) => (m.view.record.revokedAt === null ? null : isoInstant(m.view.record.revokedAt)),
    }),
    partnerId: t.string({
      nullable: true,
      description:
        "The id of the partner whose API key created it (`ptn_…`, as `npm run partner -- list` shows it): always the reader's own. Null for a request created in development mode, without a key.",
      resolve: (m) => m.view.record.partnerId,
    }),
    requestedDocTypes: t.stringList({
      nullable: true,
      description: "The doctypes whose pull the user was asked to allow.",
      resolve: (m) => m.view.record.authorize.requestedDocTypes,
    }),
    purpose: t.field({ type: ConsentPurposeEnum, nullable: true, description: "The purpose shown to the user.", resolve: (m) => m.view.record.authorize.purpose }),
    lastError: t.field({
      type: ConsentErrorRef,
      nullable: true,
      description: "Why the user's last attempt failed, if it did (the request stays UNAUTHENTICATED so the user can try again).",
      resolve: (m) => m.view.record.lastError,
    }),
    user: t.field({
      type: UserRef,
      nullable: true,
      description:
        "The user's DigiLocker, as `viewer` reads it (identity, account, issued documents, folders), while AUTHENTICATED; null otherwise.",
      // Refresh Access Token, when the session's token is due.
      extensions: cost({ upstream: 1 }),
      resolve: (m, _args, ctx, info) => (m.user === null ? null : placed(m.user, ctx, info)),
    }),
  }),
});

const CreateConsentRequestInput = builder.inputType("CreateConsentRequestInput", {
  description: "Where the user goes back to, and the DigiLocker sign-in options.",
  fields: (t) => ({
    redirectUrl: t.string({
      required: true,
      description:
        "Where the user lands after DigiLocker: an absolute URL on one of your partner's redirect origins (registered by the operator with `npm run partner -- set-origins`; in development mode, without a key, on ALLOWED_REDIRECT_ORIGINS or the gateway). Your own query parameters are kept.",
    }),
    ...authorizationFields(t),
  }),
});

const consentId = z.string().trim().pipe(z.uuid("must be a consent request id (a UUID)"));

builder.mutationField("createConsentRequest", (t) =>
  t.field({
    type: ConsentRequestRef,
    description:
      "Creates a consent request (status UNAUTHENTICATED) owned by your partner: send the user to its `url`, then read it by id with the same key. " +
      needsScope("consent-requests:create"),
    authScopes: { partner: "consent-requests:create" },
    extensions: cost({ writes: 1 }),
    args: { input: t.arg({ type: CreateConsentRequestInput, required: true }) },
    validate: {
      schema: z.object({
        input: z.looseObject({ redirectUrl: z.string().trim().min(1, "must not be empty").max(2000, "is too long"), ...authorizationChecks }),
      }),
    },
    resolve: async (_root, { input }, ctx) => {
      const { redirects, consentRequests } = ctx.services.auth;
      const redirectUrl = ctx.partner === null ? redirects.check(input.redirectUrl, "redirectUrl") : redirects.checkForPartner(input.redirectUrl, "redirectUrl", ctx.partner);
      const view = await consentRequests.create({
        redirectUrl: redirectUrl.toString(),
        partnerId: ownerOf(ctx),
        authorize: toAuthorizeOptions(input),
      });
      return model(view, ctx);
    },
  }),
);

builder.queryField("consentRequest", (t) =>
  t.field({
    type: ConsentRequestRef,
    nullable: true,
    description:
      "One of your partner's consent requests by id. NOT_FOUND (and null) when there is none with this id for you: another partner's id answers exactly as one that does not exist. " +
      needsScope("consent-requests:read"),
    authScopes: { partner: "consent-requests:read" },
    extensions: cost({}),
    args: { id: t.arg.id({ required: true, description: "The id createConsentRequest returned." }) },
    validate: { schema: z.object({ id: consentId }) },
    resolve: async (_root, args, ctx) => {
      const view = await ctx.services.auth.consentRequests.get(args.id.trim(), ownerOf(ctx), ctx.scope);
      if (view === null) throw notFound();
      return model(view, ctx);
    },
  }),
);

builder.mutationField("revokeConsentRequest", (t) =>
  t.field({
    type: ConsentRequestRef,
    description:
      "Ends one of your partner's consent requests: revokes its tokens at DigiLocker and stops its link. Revoking twice is harmless; NOT_FOUND for an id that is not yours. " +
      needsScope("consent-requests:revoke"),
    authScopes: { partner: "consent-requests:revoke" },
    // Revoke Token for the refresh token and the access token.
    extensions: cost({ upstream: 2 }),
    args: { id: t.arg.id({ required: true, description: "The consent request's id." }) },
    validate: { schema: z.object({ id: consentId }) },
    resolve: async (_root, args, ctx) => {
      const view = await ctx.services.auth.consentRequests.revoke(args.id.trim(), ownerOf(ctx), ctx.scope);
      if (view === null) throw notFound();
      return model(view, ctx);
    },
  }),
);
