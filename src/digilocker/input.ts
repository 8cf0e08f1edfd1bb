import type { z } from "zod";
import type { OperationId } from "./endpoints.js";
import { DigiLockerInputError } from "./errors.js";

/** Validates a method's input at the client's edge; a failure lists every problem and sends nothing. */
export function parseInput<S extends z.ZodType>(operation: OperationId, schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new DigiLockerInputError(
    operation,
    parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
  );
}
