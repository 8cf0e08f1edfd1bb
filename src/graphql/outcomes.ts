// The one pattern for expected failures (docs/typed-outcomes.md): an outcome a user can cause (a record not found,
// a file of the wrong type, an Aadhaar not linked) is a typed member of the field's result union, not an entry
// in `errors`. Each is a class extending Problem, registered once as an object type implementing the `Problem`
// interface (`builder.objectType(RecordNotFound, { name, interfaces: [ProblemRef], fields })` in the types/ file
// that owns it), and listed in the field's `errors: { types: [...] }` (@pothos/plugin-errors). A resolver throws it;
// the plugin answers it as that member. Anything else thrown (our bugs, DigiLocker outages) stays in `errors`.
import { DigiLockerApiError, type OperationId } from "../digilocker/index.js";
import { builder } from "./builder.js";

/** An expected outcome that is not a success: a stable code to switch on and a sentence a person can act on. */
export abstract class Problem extends Error {
  /** SCREAMING_SNAKE, stable across releases: what a client switches on. */
  abstract readonly code: string;
}

export const ProblemRef = builder.interfaceRef<Problem>("Problem").implement({
  description:
    "An expected outcome that is not a success: something the user or the calling app can act on (every mutation's result union lists the ones it can give). Our own faults and DigiLocker outages are not Problems: they come back in `errors`.",
  fields: (t) => ({
    code: t.exposeString("code", { description: "What happened, as a stable code to switch on (also the member's type, in words)." }),
    message: t.exposeString("message", { description: "What happened and what to do, in a sentence a person can act on." }),
  }),
});

/**
 * DigiLocker's documented answers, by endpoint and code (src/digilocker/error-codes.ts), turned into outcomes:
 * `map[code]` gives the Problem to answer with; any other failure is thrown on, to `errors`. Never matched by
 * description text.
 */
export async function withOutcomes<T>(
  endpoint: OperationId,
  map: Readonly<Record<string, (error: DigiLockerApiError) => Problem>>,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof DigiLockerApiError && error.endpoint === endpoint && error.code !== null) {
      const outcome = Object.hasOwn(map, error.code) ? map[error.code] : undefined;
      if (outcome !== undefined) throw outcome(error);
    }
    throw error;
  }
}
