// verifyAccount (spec: Verify Account): whether an Aadhaar or mobile number has a DigiLocker account. The number's
// form (and an Aadhaar number's Verhoeff check digit) is checked before any DigiLocker call; the answer tells anyone
// whether a number is registered, so every call is charged to the caller's client budget (docs/limits.md).
// Neither number is ever put in a message: Problems say what is wrong in words, never with the digits.
import type { AccountVerification, DigiLockerApiError, VerifyAccountInput } from "../../digilocker/index.js";
import { isAadhaarNumber } from "../../digilocker/verhoeff.js";
import { builder } from "../builder.js";
import { cost } from "../cost.js";
import { needsScope } from "../scope-grants.js";
import { Problem, ProblemRef, withOutcomes } from "../outcomes.js";

export class OneOfAadhaarOrMobile extends Problem {
  readonly code = "ONE_OF_AADHAAR_OR_MOBILE";
  constructor(both: boolean) {
    super(
      both
        ? "Give either aadhaar or mobile, not both: DigiLocker looks up one number at a time"
        : "Give the number to look up: either aadhaar (12 digits) or mobile (10 digits)",
    );
  }
}

export class InvalidAadhaarNumber extends Problem {
  readonly code = "INVALID_AADHAAR_NUMBER";
  constructor(checksum: boolean) {
    super(
      checksum
        ? "aadhaar is not a valid Aadhaar number: its last digit does not match the others, so a digit is probably mistyped"
        : "aadhaar must be the 12 digits of an Aadhaar number (it never starts with 0 or 1)",
    );
  }
}

export class InvalidMobileNumber extends Problem {
  readonly code = "INVALID_MOBILE_NUMBER";
  constructor() {
    super("mobile must be a 10-digit Indian mobile number starting with 6, 7, 8 or 9, without +91 or a leading 0");
  }
}

builder.objectType(OneOfAadhaarOrMobile, {
  name: "OneOfAadhaarOrMobile",
  description: "Both numbers were given, or neither: give exactly one.",
  interfaces: [ProblemRef],
  fields: () => ({}),
});

builder.objectType(InvalidAadhaarNumber, {
  name: "InvalidAadhaarNumber",
  description: "The Aadhaar number is not 12 digits, starts with 0 or 1, or fails its Verhoeff check digit. DigiLocker was not asked.",
  interfaces: [ProblemRef],
  fields: () => ({}),
});

builder.objectType(InvalidMobileNumber, {
  name: "InvalidMobileNumber",
  description: "The mobile number is not a 10-digit Indian mobile number ([6-9] then nine digits). DigiLocker was not asked.",
  interfaces: [ProblemRef],
  fields: () => ({}),
});

const AccountVerificationRef = builder.objectRef<AccountVerification>("AccountVerification").implement({
  description: "Whether the number has a DigiLocker account.",
  fields: (t) => ({
    registered: t.exposeBoolean("registered", { description: "True when a DigiLocker account has this number." }),
    digilockerId: t.exposeString("digilockerId", {
      nullable: true,
      description: "The account's DigiLocker id (36 characters); null when the number is not registered.",
    }),
  }),
});

const VerifyAccountInputRef = builder.inputType("VerifyAccountInput", {
  description: "Exactly one of an Aadhaar number or a mobile number (spaces between digits are ignored).",
  fields: (t) => ({
    aadhaar: t.string({ description: "A 12-digit Aadhaar number, e.g. as printed: `2341 2341 2346`." }),
    mobile: t.string({ description: "A 10-digit Indian mobile number, without +91 or a leading 0." }),
  }),
});

/** What to send DigiLocker, or the Problem that stops the call: the checks every number passes first. */
function numberToLookUp(input: { aadhaar?: string | null; mobile?: string | null }): VerifyAccountInput {
  // A blank field counts as not given (forms send "" for an empty box).
  const aadhaar = input.aadhaar?.replace(/\s+/g, "") || null;
  const mobile = input.mobile?.replace(/\s+/g, "") || null;
  if ((aadhaar === null) === (mobile === null)) throw new OneOfAadhaarOrMobile(aadhaar !== null);
  if (aadhaar !== null) {
    if (!/^[2-9]\d{11}$/.test(aadhaar)) throw new InvalidAadhaarNumber(false);
    if (!isAadhaarNumber(aadhaar)) throw new InvalidAadhaarNumber(true);
    return { uid: aadhaar };
  }
  if (mobile === null || !/^[6-9]\d{9}$/.test(mobile)) throw new InvalidMobileNumber();
  return { mobile };
}

/**
 * Verify Account's documented codes (src/digilocker/error-codes.ts) a user could cause: none reaches DigiLocker.
 * Its one such answer, `invalid_parameter` "Either one of uid or mobile number is mandatory", is OneOfAadhaarOrMobile
 * above, before any call; the same code also says our hash or `ts` was refused, and `invalid_client_id` our client
 * id: those are ours and stay errors (INTERNAL_SERVER_ERROR, graphql/errors.ts), as `unexpected_error` does
 * (UPSTREAM_UNAVAILABLE). A code added here becomes an outcome of this field.
 */
const documentedOutcomes: Readonly<Record<string, (error: DigiLockerApiError) => Problem>> = {};

builder.mutationField("verifyAccount", (t) =>
  t.field({
    type: AccountVerificationRef,
    description:
      "Whether an Aadhaar or mobile number has a DigiLocker account (spec: Verify Account). Each call is charged to the caller's per-client budget, signed in or not. " +
      needsScope("accounts:verify"),
    authScopes: { partner: "accounts:verify" },
    args: { input: t.arg({ type: VerifyAccountInputRef, required: true }) },
    // Not cached: every answer is DigiLocker's own, one call; always charged, as it answers for any number.
    extensions: cost({ upstream: 1, alwaysCharged: true }),
    errors: {
      types: [OneOfAadhaarOrMobile, InvalidAadhaarNumber, InvalidMobileNumber],
      union: { description: "The account's verification, or why the number was not looked up." },
    },
    resolve: async (_root, { input }, ctx) => {
      const lookup = numberToLookUp(input);
      const found = await withOutcomes("meta.verifyAccount", documentedOutcomes, () => ctx.digilocker.client.meta.verifyAccount(lookup));
      return { registered: found.registered, digilockerId: found.registered ? found.digilockerId : null };
    },
  }),
);
