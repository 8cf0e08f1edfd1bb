// A signed-in DigiLocker account: `Query.viewer`, or a consent request's user. The User object is a handle,
// not data: each field loads only what it needs, so `viewer { issuedDocuments }` never calls Get User
// Details, and the fields that do share one call per token (ctx.loaders.user(access).account → UserData).
// Documents, folders and the verified identity add their User fields in their own modules.
import { responsePathAsArray, type GraphQLResolveInfo } from "graphql";
import { SessionEndedError } from "../../auth/sessions.js";
import type { UserAccess } from "../../auth/user-access.js";
import { builder } from "../builder.js";
import type { Context } from "../context.js";
import { cost } from "../cost.js";
import { requireViewer } from "../loaders.js";

/** Whose data: a bearer token or a session. Everything else comes from loaders. */
export interface UserModel {
  readonly access: UserAccess;
}

export const UserRef = builder.objectRef<UserModel>("User");

/** The account fields share one Get User Details per user (UserData keeps it an hour per token). */
const ACCOUNT = cost({ upstream: 1, shared: "account" });

export const GenderEnum = builder.enumType("Gender", {
  description: "Gender as recorded in DigiLocker (from Aadhaar).",
  values: {
    MALE: { description: "Male (DigiLocker: M)." },
    FEMALE: { description: "Female (DigiLocker: F)." },
    TRANSGENDER: { description: "Transgender (DigiLocker: T)." },
  } as const,
});

UserRef.implement({
  description:
    "A DigiLocker account: the one signed in (`viewer`) or a consent request's. Account fields come from DigiLocker's Get User Details, called at most once per token; they are nullable so that a missing `userdetails` scope fails only those fields, never their siblings.",
  fields: (t) => ({
    digilockerId: t.string({
      nullable: true,
      description: "DigiLocker's id for the account (a UUID). Needs the `userdetails` scope.",
      extensions: ACCOUNT,
      resolve: async (user, _args, ctx) => (await ctx.loaders.user(user.access).account()).digilockerId,
    }),
    name: t.string({
      nullable: true,
      description: "The account holder's name as in Aadhaar. Needs the `userdetails` scope.",
      extensions: ACCOUNT,
      resolve: async (user, _args, ctx) => (await ctx.loaders.user(user.access).account()).name,
    }),
    dateOfBirth: t.field({
      type: "Date",
      nullable: true,
      description: "Date of birth (DigiLocker sends DDMMYYYY); null when DigiLocker has none. Needs the `userdetails` scope.",
      extensions: ACCOUNT,
      resolve: async (user, _args, ctx) => (await ctx.loaders.user(user.access).account()).dateOfBirth,
    }),
    gender: t.field({
      type: GenderEnum,
      nullable: true,
      description: "Gender; null when DigiLocker sends none or a value it does not document. Needs the `userdetails` scope.",
      extensions: ACCOUNT,
      resolve: async (user, _args, ctx) => (await ctx.loaders.user(user.access).account()).gender,
    }),
    eAadhaarAvailable: t.boolean({
      nullable: true,
      description:
        "Whether e-Aadhaar data is available for the account (DigiLocker's Y/N flag); null when it does not say. Needs the `userdetails` scope.",
      extensions: ACCOUNT,
      resolve: async (user, _args, ctx) => (await ctx.loaders.user(user.access).account()).eAadhaar,
    }),
    referenceKey: t.string({
      nullable: true,
      description:
        "DigiLocker's account reference key, a transient reference for tracing (spec: Get User Details); null when not sent. Needs the `userdetails` scope.",
      extensions: ACCOUNT,
      resolve: async (user, _args, ctx) => (await ctx.loaders.user(user.access).account()).referenceKey,
    }),
  }),
});

builder.queryField("viewer", (t) =>
  t.field({
    type: UserRef,
    // A session's Refresh Access Token, when its token is due; a bearer token costs nothing here.
    extensions: cost({ upstream: 1 }),
    // Nullable: a viewer that fails (no token, a revoked one) must not take `statistics` or `issuers` down with it.
    nullable: true,
    description:
      "The signed-in DigiLocker account: the browser's session (see `startSignIn`), or the access token sent as `Authorization: Bearer <token>`, which wins when both are present. Without either this is null with an UNAUTHENTICATED error (reason `missing_token`); an ended session gives reason `session_expired`, a token DigiLocker refuses (revoked or expired) reason `invalid_token`. A dead token always answers `viewer: null` with one UNAUTHENTICATED error, whichever fields were asked.",
    resolve: (_root, _args, ctx, info) => {
      const access = requireViewer(ctx.viewer);
      // A bearer token has no session to check, so its viewer needs no promise.
      return access.kind === "session" ? liveSession(access).then((user) => placed(user, ctx, info)) : placed({ access }, ctx, info);
    },
  }),
);

/** An ended session fails the whole viewer once, not each field; the read is shared with the fields below. */
async function liveSession(access: UserAccess): Promise<UserModel> {
  if ((await access.session()) === null) throw new SessionEndedError("session_expired");
  return { access };
}

/**
 * A User as it goes into the answer, its place noted: should its token die during the request (DigiLocker answers
 * invalid_token, or its session ends), src/server/dead-token.ts makes it null with a single UNAUTHENTICATED error,
 * whichever of its fields failed or had already been answered.
 */
export function placed(user: UserModel, ctx: Context, info: GraphQLResolveInfo): UserModel {
  ctx.users.push({ path: responsePathAsArray(info.path), access: user.access, nodes: info.fieldNodes });
  return user;
}

/**
 * Whose locker the object being resolved belongs to: the nearest User above it in the answer (`viewer`, a consent
 * request's `user`), else the viewer (an object reached by `node(id)` or a mutation's answer is the viewer's). Found
 * from the response path only when a field needs it, so listed documents carry no owner of their own.
 */
export function ownerAt(ctx: Context, info: GraphQLResolveInfo): UserAccess {
  if (ctx.users.length > 0) {
    const path = responsePathAsArray(info.path);
    let best: { length: number; access: UserAccess } | null = null;
    for (const user of ctx.users) {
      const n = user.path.length;
      if (n < path.length && (best === null || n > best.length) && user.path.every((key, i) => path[i] === key)) best = { length: n, access: user.access };
    }
    if (best !== null) return best.access;
  }
  return requireViewer(ctx.viewer);
}
