// A plain type check compiled from a zod schema, for the hot listings' happy path. zod v4 allocates a result per
// field it checks: for the 12 items of an issued listing that is about 30 µs of the gateway's CPU per request,
// against a few µs for this check (bench/RESULTS.md, "Upstream call cost, caller's side"). The guard only answers
// "plainly valid": whatever it does not accept is left to zod, which decides and names the problem, so it may be
// stricter than zod but never more lenient (test/unit/digilocker/shape-guard.test.ts checks that on generated inputs).
import type { z } from "zod";

type Guard = (value: unknown) => boolean;

interface Def {
  type: string;
  checks?: readonly unknown[];
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  options?: readonly z.ZodType[];
  innerType?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/**
 * Compiles `schema` into a guard. Supports what DigiLocker's listings use: objects (unknown keys stripped), arrays,
 * unions, optional and nullable, and strings and numbers without checks; anything else throws here, at start-up.
 */
export function shapeGuard(schema: z.ZodType): Guard {
  const def = defOf(schema);
  if (def.checks !== undefined && def.checks.length > 0) throw new Error(`shapeGuard: ${def.type} with checks is not supported`);
  switch (def.type) {
    case "string":
      return (v) => typeof v === "string";
    case "number":
      // zod's number refuses NaN and the infinities.
      return (v) => typeof v === "number" && Number.isFinite(v);
    case "optional": {
      const inner = shapeGuard(def.innerType as z.ZodType);
      return (v) => v === undefined || inner(v);
    }
    case "nullable": {
      const inner = shapeGuard(def.innerType as z.ZodType);
      return (v) => v === null || inner(v);
    }
    case "union": {
      const options = (def.options ?? []).map(shapeGuard);
      return (v) => options.some((guard) => guard(v));
    }
    case "array": {
      const element = shapeGuard(def.element as z.ZodType);
      // An index loop, not every(): every() skips holes, which zod checks as undefined.
      return (v) => {
        if (!Array.isArray(v)) return false;
        for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
        return true;
      };
    }
    case "object": {
      if (def.catchall !== undefined) throw new Error("shapeGuard: objects with a catchall are not supported");
      const fields = Object.entries(def.shape ?? {}).map(([key, field]) => [key, shapeGuard(field)] as const);
      return (v) => isPlainObject(v) && fields.every(([key, guard]) => guard(v[key]));
    }
    default:
      throw new Error(`shapeGuard: zod type ${def.type} is not supported`);
  }
}
