// The schema builder and its plugins; no types live here. Modules under types/ add to it.
import SchemaBuilder from "@pothos/core";
import RelayPlugin from "@pothos/plugin-relay";
import ZodPlugin from "@pothos/plugin-zod";
import { GraphQLError } from "graphql";
import type { Context } from "./context.js";

export type Scalars = {
  /** ISO 8601 calendar date, YYYY-MM-DD. */
  Date: { Input: string; Output: string };
  /** ISO 8601 instant in UTC. */
  DateTime: { Input: string; Output: string };
  /** A non-negative whole number up to 2^53 − 1: DigiLocker's counts pass GraphQL Int's 2^31. */
  Count: { Input: number; Output: number };
};

export const builder = new SchemaBuilder<{
  Context: Context;
  Scalars: Scalars;
  DefaultFieldNullability: false;
}>({
  plugins: [RelayPlugin, ZodPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: "omit",
    cursorType: "String",
    nodesQueryOptions: false,
  },
  zod: {
    // Bad arguments are the caller's to fix: say which and why, as BAD_USER_INPUT.
    validationError: (error) =>
      new GraphQLError(error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "), {
        extensions: { code: "BAD_USER_INPUT" },
      }),
  },
});

builder.queryType({});
