// User.eAadhaar: the account's e-Aadhaar (spec: Get e-Aadhaar Data in XML Format) as typed fields, its XML
// signature checked. Its expected failures (no Aadhaar linked, no e-Aadhaar data) are typed outcomes, as in
// docs/typed-outcomes.md, on an interface rather than a union (docs/typed-outcomes.md, "Reads"): every member
// answers the e-Aadhaar fields (null on a Problem), so `eAadhaar { name }` needs no fragment.
import type { EAadhaarModel } from "../../documents/document-contents.js";
import type { AadhaarAddressModel } from "../../documents/e-aadhaar.js";
import { builder } from "../builder.js";
import { cost } from "../cost.js";
import { needsScope } from "../scope-grants.js";
import { Problem, ProblemRef, withOutcomes } from "../outcomes.js";
import { XmlSignatureRef } from "./document-contents.js";
import { GenderEnum, UserRef } from "./user.js";

export class EAadhaarNotLinked extends Problem {
  readonly code = "AADHAAR_NOT_LINKED";
  constructor() {
    super("The user has not linked Aadhaar to their DigiLocker account: they link it in DigiLocker, then ask again");
  }
}

export class EAadhaarNotAvailable extends Problem {
  readonly code = "EAADHAAR_NOT_AVAILABLE";
  constructor() {
    super("DigiLocker holds no e-Aadhaar data for this user: they perform Aadhaar eKYC again in DigiLocker, then ask again");
  }
}

/**
 * A Problem as this field answers it: a plain object, because graphql-js takes any Error a resolver returns for a
 * thrown one (plugin-errors hides that behind a proxy for its unions; an interface has no such plugin).
 */
interface EAadhaarProblem {
  readonly kind: "EAadhaarNotLinked" | "EAadhaarNotAvailable";
  readonly name: string;
  readonly code: string;
  readonly message: string;
}

type EAadhaarOutcome = EAadhaarModel | EAadhaarProblem;

function answered(problem: EAadhaarNotLinked | EAadhaarNotAvailable): EAadhaarProblem {
  const kind = problem instanceof EAadhaarNotLinked ? "EAadhaarNotLinked" : "EAadhaarNotAvailable";
  return { kind, name: kind, code: problem.code, message: problem.message };
}

const fieldsOf = (value: EAadhaarOutcome): EAadhaarModel | null => (value.kind === "EAadhaar" ? value : null);

const AadhaarAddressRef = builder.objectRef<AadhaarAddressModel>("AadhaarAddress").implement({
  description: "The address on e-Aadhaar, in the parts UIDAI gives; each null when absent.",
  fields: (t) => ({
    house: t.string({ nullable: true, description: "House, building or apartment.", resolve: (a) => a.house }),
    street: t.string({ nullable: true, description: "Street, road or lane.", resolve: (a) => a.street }),
    landmark: t.string({ nullable: true, description: "Landmark.", resolve: (a) => a.landmark }),
    locality: t.string({ nullable: true, description: "Locality or area.", resolve: (a) => a.locality }),
    villageTownCity: t.string({ nullable: true, description: "Village, town or city.", resolve: (a) => a.villageTownCity }),
    subDistrict: t.string({ nullable: true, description: "Sub-district.", resolve: (a) => a.subDistrict }),
    district: t.string({ nullable: true, description: "District.", resolve: (a) => a.district }),
    state: t.string({ nullable: true, description: "State.", resolve: (a) => a.state }),
    postOffice: t.string({ nullable: true, description: "Post office.", resolve: (a) => a.postOffice }),
    pinCode: t.string({ nullable: true, description: "PIN code (six digits, kept as text).", resolve: (a) => a.pinCode }),
    country: t.string({ nullable: true, description: "Country.", resolve: (a) => a.country }),
  }),
});

export const EAadhaarResultRef = builder.interfaceRef<EAadhaarOutcome>("EAadhaarResult").implement({
  description:
    "User.eAadhaar's answer: `EAadhaar`, or a Problem (`EAadhaarNotLinked`, `EAadhaarNotAvailable`) whose e-Aadhaar fields are null. Switch on `__typename`, or read `... on Problem { code message }`.",
  resolveType: (value) => value.kind,
  fields: (t) => ({
    name: t.string({ nullable: true, description: "Name as on Aadhaar.", resolve: (v) => fieldsOf(v)?.name ?? null }),
    dateOfBirth: t.field({ type: "Date", nullable: true, description: "Date of birth.", resolve: (v) => fieldsOf(v)?.dateOfBirth ?? null }),
    gender: t.field({ type: GenderEnum, nullable: true, description: "Gender.", resolve: (v) => fieldsOf(v)?.gender ?? null }),
    maskedAadhaar: t.string({
      nullable: true,
      description: "The Aadhaar number with all but its last four digits masked (`xxxxxxxx1234`); the full number is never answered.",
      resolve: (v) => fieldsOf(v)?.maskedAadhaar ?? null,
    }),
    careOf: t.string({ nullable: true, description: "Care of (`S/O …`, `D/O …`, `W/O …`).", resolve: (v) => fieldsOf(v)?.careOf ?? null }),
    address: t.field({ type: AadhaarAddressRef, nullable: true, description: "The address, in parts.", resolve: (v) => fieldsOf(v)?.address ?? null }),
    photo: t.string({
      nullable: true,
      description: "The photograph as a `data:image/jpeg;base64,…` URL (a few kB), usable as an `<img src>`.",
      resolve: (v) => fieldsOf(v)?.photo ?? null,
    }),
    issuedAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When UIDAI produced this e-KYC data (its `ts`): the time its signer's validity is judged at.",
      resolve: (v) => fieldsOf(v)?.issuedAt ?? null,
    }),
    signature: t.field({
      type: XmlSignatureRef,
      nullable: true,
      description: "Whether the XML signature holds, and who signed. When INVALID, every other field is null: nothing is read from an altered document.",
      resolve: (v) => fieldsOf(v)?.signature ?? null,
    }),
  }),
});

builder.objectRef<EAadhaarModel>("EAadhaar").implement({
  description: "The account's e-Aadhaar, read from the signed XML only.",
  interfaces: [EAadhaarResultRef],
  fields: () => ({}),
});

builder.objectRef<EAadhaarProblem>("EAadhaarNotLinked").implement({
  description: "DigiLocker's aadhaar_not_linked: the account has no Aadhaar linked.",
  interfaces: [ProblemRef, EAadhaarResultRef],
  fields: () => ({}),
});
builder.objectRef<EAadhaarProblem>("EAadhaarNotAvailable").implement({
  description: "DigiLocker's aadhaar_not_available: Aadhaar is linked but DigiLocker holds no e-Aadhaar data.",
  interfaces: [ProblemRef, EAadhaarResultRef],
  fields: () => ({}),
});

builder.objectField(UserRef, "eAadhaar", (t) =>
  t.field({
    type: EAadhaarResultRef,
    nullable: true,
    description:
      "The account's e-Aadhaar as typed fields, its signature checked (the user must have granted DigiLocker's `files.issueddocs`). One DigiLocker call, shared within the request and not kept after it. " +
      needsScope("documents:contents"),
    authScopes: { partner: "documents:contents" },
    extensions: cost({ upstream: 1 }),
    resolve: async (user, _args, ctx): Promise<EAadhaarOutcome> => {
      try {
        const xml = await withOutcomes(
          "files.eaadhaar",
          { aadhaar_not_linked: () => new EAadhaarNotLinked(), aadhaar_not_available: () => new EAadhaarNotAvailable() },
          () => ctx.loaders.user(user.access).eAadhaarXml(),
        );
        return ctx.services.contents.eAadhaar(xml);
      } catch (error) {
        if (error instanceof EAadhaarNotLinked || error instanceof EAadhaarNotAvailable) return answered(error);
        throw error;
      }
    },
  }),
);
