// Push URI to Account (spec 1405-1470): the gateway, as an issuer partner, adds, updates or deletes one document
// URI in a user's DigiLocker. Only a partner whose key has the scope uri:push may (development mode never grants it).
// Every field is checked here before the call, so a refusal names its field and nothing reaches DigiLocker.
import { GraphQLError } from "graphql";
import { z } from "zod";
import { InsufficientScopeError, type DigiLockerApiError, type PushUriInput as ClientPushInput } from "../../digilocker/index.js";
import { pushRefusals } from "../../digilocker/meta.js";
import { builder } from "../builder.js";
import { cost } from "../cost.js";
import { Problem, ProblemRef, withOutcomes } from "../outcomes.js";

export class UriAlreadyExists extends Problem {
  readonly code = "URI_ALREADY_EXISTS";
  constructor(
    readonly uri: string,
    readonly inThisAccount: boolean,
  ) {
    super(
      inThisAccount
        ? "This URI is already in this user's DigiLocker (an ADD retried after a lost answer ends here too): push it with UPDATE to change it"
        : "This URI is already in another user's DigiLocker: a URI names one document of one user, so give this one its own",
    );
  }
}

export class DigiLockerUserNotFound extends Problem {
  readonly code = "DIGILOCKER_USER_NOT_FOUND";
  constructor() {
    super("No DigiLocker account has this DigiLocker id: take it from the user's account (User.digilockerId)");
  }
}

export class InvalidPushInput extends Problem {
  readonly code = "INVALID_PUSH_INPUT";
  constructor(
    /** Every PushUriInput field at fault, in the input's order; empty when only DigiLocker can say. */
    readonly fields: readonly string[],
    message: string,
  ) {
    super(message);
  }
}

const problem = { interfaces: [ProblemRef] };
builder.objectType(UriAlreadyExists, {
  ...problem,
  name: "UriAlreadyExists",
  description: "ADD of a URI DigiLocker already holds, in this user's account or another's.",
  fields: (t) => ({
    uri: t.exposeString("uri", { description: "The URI, as pushed." }),
    inThisAccount: t.exposeBoolean("inThisAccount", { description: "True when it is in this user's account: UPDATE changes it there." }),
  }),
});
builder.objectType(DigiLockerUserNotFound, { ...problem, name: "DigiLockerUserNotFound", description: "No DigiLocker account has the digilockerId given." });
builder.objectType(InvalidPushInput, {
  ...problem,
  name: "InvalidPushInput",
  description: "A field breaks the spec's rules; the message says how to fix each one. Nothing was pushed.",
  fields: (t) => ({
    field: t.string({
      nullable: true,
      description: "The first PushUriInput field at fault (e.g. `issueDate`); null when DigiLocker refused a push every check here accepted.",
      resolve: (p) => p.fields[0] ?? null,
    }),
    fields: t.exposeStringList("fields", { description: "Every PushUriInput field at fault, in the input's order." }),
  }),
});

const ActionEnum = builder.enumType("PushUriAction", {
  description: "What to do with the URI in the user's account (the spec's A, U and D).",
  values: {
    ADD: { value: "A", description: "Add a URI that is in no account yet." },
    UPDATE: { value: "U", description: "Change the details of a URI this issuer pushed into this account." },
    DELETE: { value: "D", description: "Remove a URI this issuer pushed into this account." },
  } as const,
});

const PushUriInput = builder.inputType("PushUriInput", {
  description: "One document for a user's Issued Documents. Fields are trimmed; `doccontent` and `datacontent` are not taken yet.",
  fields: (t) => ({
    digilockerId: t.string({ required: true, description: "The user's DigiLocker id: 36 characters, a UUID (User.digilockerId)." }),
    uri: t.string({ required: true, description: "The document's URI, unique across DigiLocker (`<issuerId>-<docType>-<docId>`): up to 255 printable ASCII characters, no spaces." }),
    docType: t.string({ required: true, description: "DigiLocker's 5-character document type (e.g. `HSCER`); sent upper-cased." }),
    description: t.string({ required: true, description: "The document type's name as the user sees it: up to 255 characters, no control characters." }),
    docId: t.string({ required: true, description: "The document's number, unique within its type: up to 100 printable ASCII characters." }),
    issueDate: t.field({ type: "Date", required: true, description: "When it was issued (sent as DDMMYYYY)." }),
    validFrom: t.field({ type: "Date", description: "When it becomes valid, if not on issue." }),
    validTo: t.field({ type: "Date", description: "When it expires: not before issueDate or validFrom." }),
    action: t.field({ type: ActionEnum, required: true, description: "ADD, UPDATE or DELETE." }),
  }),
});

const PushedUriRef = builder.objectRef<{ uri: string; action: "A" | "U" | "D" }>("PushedUri").implement({
  description: "DigiLocker accepted the push (an HTTP 200; the spec returns nothing more).",
  fields: (t) => ({
    uri: t.exposeString("uri", { description: "The URI, as pushed." }),
    action: t.field({ type: ActionEnum, description: "What was done.", resolve: (p) => p.action }),
  }),
});

/** What a name may not hold: controls, line separators, bidirectional overrides, lone surrogates. */
const unprintable = /[\p{Cc}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069\p{Cs}]/u;
const required = z.string().trim().min(1, "is required");
const isoDate = z.iso.date("must be a calendar date").refine((d) => d >= "1900-01-01", "must be 1900-01-01 or later");
// The spec sets no lengths: these bounds are generous (its sample URI has 30 characters).
const checks = z
  .object({
    digilockerId: z
      .string()
      .trim()
      .regex(/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i, "must be a DigiLocker id: 36 characters, a UUID such as 123e4567-e89b-12d3-a456-426655440000"),
    uri: required
      .max(255, "must be at most 255 characters")
      .regex(/^[\x21-\x7E]*$/, "must be printable ASCII without spaces")
      .refine((u) => u !== "." && u !== "..", "must not be . or .."),
    docType: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{5}$/, "must be DigiLocker's 5-character document type, e.g. HSCER")
      .transform((d) => d.toUpperCase()),
    description: required.max(255, "must be at most 255 characters").refine((d) => !unprintable.test(d), "must not hold control characters"),
    docId: required.max(100, "must be at most 100 characters").regex(/^[\x20-\x7E]*$/, "must be printable ASCII"),
    issueDate: isoDate,
    validFrom: isoDate.nullish(),
    validTo: isoDate.nullish(),
    action: z.enum(["A", "U", "D"]),
  })
  .check((ctx) => {
    // Compared only when all three are dates (ISO dates compare as strings).
    if (ctx.issues.some((i) => ["issueDate", "validFrom", "validTo"].includes(String(i.path?.[0])))) return;
    const { issueDate, validFrom, validTo } = ctx.value;
    if (validTo != null && (validTo < issueDate || (validFrom != null && validTo < validFrom))) {
      ctx.issues.push({ code: "custom", path: ["validTo"], message: "must not be before issueDate or validFrom", input: validTo });
    }
  });
const fieldOrder = Object.keys(checks.shape);

/** The input as the client takes it, or InvalidPushInput naming every field at fault. */
function checked(input: unknown): ClientPushInput {
  const result = checks.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ field: String(i.path[0]), message: i.message }));
    issues.sort((a, b) => fieldOrder.indexOf(a.field) - fieldOrder.indexOf(b.field));
    const fields = [...new Set(issues.map((i) => i.field))];
    throw new InvalidPushInput(fields, issues.map((i) => `${i.field} ${i.message}`).join("; "));
  }
  const { validFrom, validTo, ...rest } = result.data;
  return { ...rest, ...(validFrom ? { validFrom } : {}), ...(validTo ? { validTo } : {}) };
}

/**
 * DigiLocker's 400 `invalid_parameter` after every check here passed: UriAlreadyExists, or a field DigiLocker
 * judges otherwise (UPDATE or DELETE of a URI that is not this issuer's). Our own signing refused (`ts`, `hmac`)
 * or a text the spec does not list is not an outcome: the error itself is thrown on, for errors.ts to report.
 */
function refusal(error: DigiLockerApiError, uri: string): Problem {
  const said = pushRefusals(error);
  if (said.length === 0 || said.includes("ts") || said.includes("hmac")) throw error;
  if (said.includes("uri_exists_here") || said.includes("uri_exists_elsewhere")) return new UriAlreadyExists(uri, said.includes("uri_exists_here"));
  return new InvalidPushInput([], "DigiLocker refused a field every check here accepted; UPDATE and DELETE need a URI this issuer pushed into this account");
}

builder.mutationField("pushUri", (t) =>
  t.field({
    type: PushedUriRef,
    description:
      "Adds, updates or deletes one document URI in a user's DigiLocker, as this gateway's issuer (spec: Push URI to Account). Needs the scope `uri:push`: an API key whose partner has it, always (development mode never grants it, nor does a session; docs/partners.md). Never retried: after a lost answer, an ADD sent again gives UriAlreadyExists with inThisAccount.",
    authScopes: { partner: "uri:push" },
    args: { input: t.arg({ type: PushUriInput, required: true }) },
    extensions: cost({ upstream: 1 }),
    errors: {
      types: [InvalidPushInput, UriAlreadyExists, DigiLockerUserNotFound],
      union: { description: "The URI pushed, or why DigiLocker was not asked or did not take it." },
    },
    resolve: async (_root, { input }, ctx) => {
      const push = checked(input);
      try {
        await withOutcomes(
          "meta.pushUri",
          { invalid_digilocker_id: () => new DigiLockerUserNotFound(), invalid_parameter: (e) => refusal(e, push.uri) },
          () => ctx.digilocker.client.meta.pushUri(push),
        );
      } catch (error) {
        // 403: DigiLocker does not know the client as an issuer. No token is involved: the client's owner must register it
        // as one (the gateway's operator, or the partner whose own client it is, docs/tenants.md).
        if (!(error instanceof InsufficientScopeError)) throw error;
        const tenant = ctx.digilocker.identity;
        const whose = tenant === null ? "This gateway's DigiLocker client is" : `This partner's own DigiLocker client (${tenant.clientId}) is`;
        throw new GraphQLError(`${whose} not registered as an issuer, so DigiLocker refuses its pushes`, {
          extensions: { code: "FORBIDDEN", reason: "not_an_issuer" },
        });
      }
      return { uri: push.uri, action: push.action };
    },
  }),
);
