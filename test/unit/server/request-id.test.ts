import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { withRequestId } from "../../../src/graphql/errors.js";
import { createLogger } from "../../../src/server/logger.js";
import { requestIdFrom, requestScope } from "../../../src/server/request-id.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("requestIdFrom", () => {
  it.each(["abc", "0f8fad5b-d9cb-469f-a165-70867728950e", "01ARZ3NDEKTSV4RRFFQ69G5FAV", "host:1234:42", "a.b_c-d", "x".repeat(128)])(
    "keeps a well-formed id: %s",
    (id) => { expect(requestIdFrom(id)).toBe(id); },
  );

  it.each([
    ["empty", ""],
    ["129 characters", "x".repeat(129)],
    ["CR/LF", "abc\r\nSet-Cookie: x=1"],
    ["a space", "abc def"],
    ["unicode", "abcé"],
    ["10 kB", "a".repeat(10_240)],
    ["repeated (node joins with ', ')", "a, b"],
  ])("replaces a malformed one (%s) with a UUID", (_name, id) => {
    const made = requestIdFrom(id);
    expect(made).toMatch(UUID);
    expect(made).not.toBe(id);
  });

  it("makes a fresh one for each request without", () => {
    expect(requestIdFrom(undefined)).toMatch(UUID);
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
    expect(requestIdFrom(["a", "b"])).toMatch(UUID);
  });
});

describe("requestScope", () => {
  it("puts the id on every line, with a child logger made once, on first use", () => {
    const lines: string[] = [];
    const logger = createLogger("info", { write: (line: string) => { lines.push(line); } });
    const scope = requestScope(logger, "req-1");
    expect(scope.log).toBe(scope.log);
    scope.log.info({ n: 1 }, "one");
    scope.log.warn("two");
    expect(lines.map((l) => JSON.parse(l) as { requestId: string }).map((l) => l.requestId)).toEqual(["req-1", "req-1"]);
  });
});

describe("withRequestId", () => {
  it("copies the error with the id in its extensions, leaving the original as it was", () => {
    const error = new GraphQLError("Unexpected error", { path: ["a"], extensions: { code: "INTERNAL_SERVER_ERROR" } });
    const tagged = withRequestId(error, "req-2");
    expect(tagged.toJSON()).toEqual({ message: "Unexpected error", path: ["a"], extensions: { code: "INTERNAL_SERVER_ERROR", requestId: "req-2" } });
    expect(error.extensions).toEqual({ code: "INTERNAL_SERVER_ERROR" });
  });
});
