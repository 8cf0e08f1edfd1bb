// The DigiLocker sign-in options startSignIn and createConsentRequest share (spec: Get Authorization Code's
// parameters), as GraphQL input fields, their zod checks, and their conversion to what is stored.
import { z } from "zod";
import type { AuthorizeOptions } from "../../auth/records.js";
import { builder } from "../builder.js";

export const IdentityProofEnum = builder.enumType("IdentityProof", {
  description: "A document DigiLocker verifies during sign-in (`acr`); its number then comes back in the id_token.",
  values: {
    PAN: { value: "pan", description: "PAN: the id_token carries the verified PAN." },
    AADHAAR: { value: "aadhaar", description: "Aadhaar." },
    DRIVING_LICENCE: { value: "driving_licence", description: "Driving licence: the id_token carries its number." },
  } as const,
});

export const ConsentPurposeEnum = builder.enumType("ConsentPurpose", {
  description: "Why the documents are asked for, shown to the user on the consent page (`purpose`).",
  values: {
    KYC: { value: "kyc" },
    VERIFICATION: { value: "verification" },
    COMPLIANCE: { value: "compliance" },
    AVAILING_SERVICES: { value: "availing_services" },
    EDUCATIONAL: { value: "educational" },
  } as const,
});

export interface AuthorizationInput {
  signup?: boolean | null;
  requestedDocTypes?: readonly string[] | null;
  purpose?: AuthorizeOptions["purpose"] | null;
  acr?: AuthorizeOptions["acr"] | null;
  consentValidTill?: string | null;
}

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** The shared fields, to spread into an input type's field map. */
export function authorizationFields(t: PothosSchemaTypes.InputFieldBuilder<Types, "InputObject">) {
  return {
    signup: t.boolean({ description: "Show DigiLocker's sign-up first, for users without an account (`dl_flow=signup`)." }),
    requestedDocTypes: t.stringList({
      description: "Doctype codes (5 characters, e.g. `PANCR`) whose pull the user is asked to allow (`req_doctype`).",
    }),
    purpose: t.field({ type: ConsentPurposeEnum, description: "Why the documents are asked for (`purpose`)." }),
    acr: t.field({ type: IdentityProofEnum, description: "A document DigiLocker verifies during sign-in (`acr`)." }),
    consentValidTill: t.field({
      type: "DateTime",
      description: "When the user's consent ends (`consent_valid_till`); a session never outlives it.",
    }),
  };
}

/** The checks on those fields, to merge into an input's zod schema. */
export const authorizationChecks = {
  requestedDocTypes: z
    .array(z.string().trim().regex(/^[A-Z0-9]{5}$/, "each must be a 5-character DigiLocker doctype code such as PANCR"))
    .min(1, "leave it out rather than send an empty list")
    .max(50, "at most 50 doctypes")
    .nullish(),
  consentValidTill: z
    .string()
    .refine((v) => Date.parse(v) > Date.now(), "must be in the future")
    .nullish(),
};

export function toAuthorizeOptions(input: AuthorizationInput): AuthorizeOptions {
  return {
    signup: input.signup ?? false,
    requestedDocTypes: input.requestedDocTypes?.map((d) => d.trim()) ?? null,
    purpose: input.purpose ?? null,
    acr: input.acr ?? null,
    consentValidTill: input.consentValidTill == null ? null : Date.parse(input.consentValidTill),
  };
}
