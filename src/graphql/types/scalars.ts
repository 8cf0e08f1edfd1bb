import { GraphQLError, Kind } from "graphql";
import { builder } from "../builder.js";

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

function parseDate(value: unknown): string {
  if (typeof value === "string" && isoDate.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    return value;
  }
  throw new GraphQLError("Date must be an ISO 8601 calendar date, YYYY-MM-DD", { extensions: { code: "BAD_USER_INPUT" } });
}

function parseDateTime(value: unknown): string {
  if (typeof value === "string" && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  throw new GraphQLError("DateTime must be an ISO 8601 instant", { extensions: { code: "BAD_USER_INPUT" } });
}

/** Epoch milliseconds as the DateTime scalar's ISO string. */
export function isoInstant(ms: number): string {
  return new Date(ms).toISOString();
}

function parseCount(value: unknown): number {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  throw new GraphQLError("Count must be a whole number from 0 to 2^53 - 1", { extensions: { code: "BAD_USER_INPUT" } });
}

builder.scalarType("Date", {
  description: "An ISO 8601 calendar date, YYYY-MM-DD (DigiLocker sends DDMMYYYY; the gateway converts).",
  serialize: (value) => value,
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : null),
});

builder.scalarType("DateTime", {
  description: "An ISO 8601 instant in UTC, e.g. 2015-05-12T15:50:38.000Z.",
  serialize: (value) => value,
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : null),
});

builder.scalarType("Count", {
  description:
    "A non-negative whole number up to 2^53 - 1, serialized as a JSON number. DigiLocker's counts pass GraphQL Int's 2^31 (3,520,475,277 documents in the spec's own sample).",
  serialize: (value) => value,
  parseValue: parseCount,
  parseLiteral: (ast) => parseCount(ast.kind === Kind.INT ? Number(ast.value) : null),
});

function refuseJsonInput(): never {
  throw new GraphQLError("JSON is an output type: no argument takes it", { extensions: { code: "BAD_USER_INPUT" } });
}

builder.scalarType("JSON", {
  description:
    "Any JSON value, as given (an object, a list, a string, …). Output only: certificate data, whose shape each issuer and document type defines.",
  serialize: (value) => value,
  parseValue: refuseJsonInput,
  parseLiteral: refuseJsonInput,
});
