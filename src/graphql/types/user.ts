// The signed-in DigiLocker account (`Query.viewer`). The User object is a handle, not data: each field
// loads only what it needs, so `viewer { issuedDocuments }` never calls Get User Details, and the fields
// that do share one call per token (ctx.loaders.account → UserData). Documents and folders add their
// User fields in issued-document.ts and folder.ts.
import { builder } from "../builder.js";
import { requireToken } from "../loaders.js";

/** The viewer is whoever the request's access token belongs to: everything else comes from loaders. */
export interface ViewerModel {
  readonly kind: "viewer";
}

export const UserRef = builder.objectRef<ViewerModel>("User");

const GenderEnum = builder.enumType("Gender", {
  description: "Gender as recorded in DigiLocker (from Aadhaar).",
  values: {
    MALE: { description: "Male (DigiLocker: M)." },
    FEMALE: { description: "Female (DigiLocker: F)." },
    TRANSGENDER: { description: "Transgender (DigiLocker: T)." },
  } as const,
});

UserRef.implement({
  description:
    "The DigiLocker account whose access token the request carries. Account fields come from DigiLocker's Get User Details, called at most once per token; they are nullable so that a missing `userdetails` scope fails only those fields, never their siblings.",
  fields: (t) => ({
    digilockerId: t.string({
      nullable: true,
      description: "DigiLocker's id for the account (a UUID). Needs the `userdetails` scope.",
      resolve: async (_user, _args, ctx) => (await ctx.loaders.account()).digilockerId,
    }),
    name: t.string({
      nullable: true,
      description: "The account holder's name as in Aadhaar. Needs the `userdetails` scope.",
      resolve: async (_user, _args, ctx) => (await ctx.loaders.account()).name,
    }),
    dateOfBirth: t.field({
      type: "Date",
      nullable: true,
      description: "Date of birth (DigiLocker sends DDMMYYYY); null when DigiLocker has none. Needs the `userdetails` scope.",
      resolve: async (_user, _args, ctx) => (await ctx.loaders.account()).dateOfBirth,
    }),
    gender: t.field({
      type: GenderEnum,
      nullable: true,
      description: "Gender; null when DigiLocker sends none or a value it does not document. Needs the `userdetails` scope.",
      resolve: async (_user, _args, ctx) => (await ctx.loaders.account()).gender,
    }),
    eAadhaarAvailable: t.boolean({
      nullable: true,
      description:
        "Whether e-Aadhaar data is available for the account (DigiLocker's Y/N flag); null when it does not say. Needs the `userdetails` scope.",
      resolve: async (_user, _args, ctx) => (await ctx.loaders.account()).eAadhaar,
    }),
    referenceKey: t.string({
      nullable: true,
      description:
        "DigiLocker's account reference key, a transient reference for tracing (spec: Get User Details); null when not sent. Needs the `userdetails` scope.",
      resolve: async (_user, _args, ctx) => (await ctx.loaders.account()).referenceKey,
    }),
  }),
});

builder.queryField("viewer", (t) =>
  t.field({
    type: UserRef,
    // Nullable: a viewer that fails (no token, a revoked one) must not take `statistics` or `issuers` down with it.
    nullable: true,
    description:
      "The DigiLocker account of the access token sent as `Authorization: Bearer <token>`. Without a token this is null with an UNAUTHENTICATED error (reason `missing_token`).",
    resolve: (_root, _args, ctx): ViewerModel => {
      requireToken(ctx.accessToken);
      return { kind: "viewer" };
    },
  }),
);
