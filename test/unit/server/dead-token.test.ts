// The rewrite behind "one answer for a dead token", on hand-written results: a User with an UNAUTHENTICATED error
// under it becomes null with that one error at its own path; everything else stays as it was.
import { GraphQLError, parse, type ExecutionResult, type FieldNode, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { collapseDeadUsers } from "../../../src/server/dead-token.js";

const UNAUTH = { code: "UNAUTHENTICATED", reason: "invalid_token", upstream: { endpoint: "files.issued", status: 401, upstreamCode: "invalid_token" } };
const unauthenticated = (path: (string | number)[], endpoint = "files.issued") =>
  new GraphQLError("The DigiLocker access token is invalid or expired: sign in again", {
    path,
    extensions: { ...UNAUTH, upstream: { ...UNAUTH.upstream, endpoint } },
  });
const failed = (path: (string | number)[] | undefined, code: string) => new GraphQLError(`${code} here`, { path, extensions: { code } });

/** What a client reads: the result as JSON. */
const json = (result: ExecutionResult) => JSON.parse(JSON.stringify(result)) as unknown;

describe("collapseDeadUsers", () => {
  it("makes a User null with the first UNAUTHENTICATED error's message and extensions, at the User's path", () => {
    const result: ExecutionResult = {
      data: { viewer: { name: "Ajit Kumar", issuedDocuments: null, folders: null } },
      errors: [unauthenticated(["viewer", "issuedDocuments"]), unauthenticated(["viewer", "folders"], "files.uploaded")],
    };
    expect(json(collapseDeadUsers(result, [{ path: ["viewer"] }]))).toEqual({
      data: { viewer: null },
      errors: [{ message: "The DigiLocker access token is invalid or expired: sign in again", path: ["viewer"], extensions: UNAUTH }],
    });
  });

  it("drops every other error under the dead User, keeps errors elsewhere, and leaves the input unchanged", () => {
    const input = {
      data: { statistics: null, viewer: { name: null, rootFolder: { items: [{ name: "a" }, null] } }, issuers: [] },
      errors: [
        failed(["statistics"], "UPSTREAM_UNAVAILABLE"),
        failed(["viewer", "name"], "FORBIDDEN"),
        unauthenticated(["viewer", "rootFolder", "items", 1, "name"], "files.uploaded"),
        failed(["viewer", "rootFolder", "items", 0, "size"], "UPSTREAM_INVALID_RESPONSE"),
      ],
    };
    const before = json(input);
    const out = collapseDeadUsers(input, [{ path: ["viewer"] }]);
    expect(json(out)).toEqual({
      data: { statistics: null, viewer: null, issuers: [] },
      errors: [
        { message: "UPSTREAM_UNAVAILABLE here", path: ["statistics"], extensions: { code: "UPSTREAM_UNAVAILABLE" } },
        // Where the first error under the User stood.
        {
          message: "The DigiLocker access token is invalid or expired: sign in again",
          path: ["viewer"],
          extensions: { ...UNAUTH, upstream: { ...UNAUTH.upstream, endpoint: "files.uploaded" } },
        },
      ],
    });
    expect(json(input)).toEqual(before);
  });

  it("follows aliases and nested places, and collapses each dead User on its own", () => {
    const result: ExecutionResult = {
      data: {
        a: { name: "Ajit Kumar", issuedDocuments: null },
        b: { name: "Ajit Kumar" },
        requests: [{ id: "1", user: { name: "Priya", folders: [] } }, { id: "2", user: { name: null } }],
      },
      errors: [unauthenticated(["a", "issuedDocuments"]), failed(["requests", 1, "user", "name"], "UNAUTHENTICATED")],
    };
    const out = collapseDeadUsers(result, [
      { path: ["a"] },
      { path: ["b"] },
      { path: ["requests", 0, "user"] },
      { path: ["requests", 1, "user"] },
    ]);
    expect(json(out)).toEqual({
      data: {
        a: null,
        b: { name: "Ajit Kumar" },
        requests: [{ id: "1", user: { name: "Priya", folders: [] } }, { id: "2", user: null }],
      },
      errors: [
        { message: "The DigiLocker access token is invalid or expired: sign in again", path: ["a"], extensions: UNAUTH },
        { message: "UNAUTHENTICATED here", path: ["requests", 1, "user"], extensions: { code: "UNAUTHENTICATED" } },
      ],
    });
  });

  it("leaves a result alone when no User has an UNAUTHENTICATED error, even beside one elsewhere", () => {
    const result: ExecutionResult = {
      data: { node: null, viewer: { name: "Ajit Kumar", issuedDocuments: null } },
      errors: [failed(["viewer", "issuedDocuments"], "UPSTREAM_UNAVAILABLE"), unauthenticated(["node"])],
    };
    expect(collapseDeadUsers(result, [{ path: ["viewer"] }])).toBe(result);
    // No token at all: `viewer` itself failed, so no User was placed and nothing is rewritten.
    const missing: ExecutionResult = { data: { viewer: null }, errors: [failed(["viewer"], "UNAUTHENTICATED")] };
    expect(collapseDeadUsers(missing, [])).toBe(missing);
  });

  it("collapses a User whose token died after its fields were answered, with the death's error and its field's location", () => {
    const document = parse("{\n  a: viewer { issuedDocuments { name } }\n  b: viewer { name }\n}");
    const fields = (document.definitions[0] as OperationDefinitionNode).selectionSet.selections as FieldNode[];
    const result: ExecutionResult = {
      data: { a: { issuedDocuments: null }, b: { name: "Ajit Kumar" } },
      errors: [unauthenticated(["a", "issuedDocuments"])],
    };
    const diedOf = new GraphQLError("The DigiLocker access token is invalid or expired: sign in again", { extensions: UNAUTH });
    const out = collapseDeadUsers(result, [
      { path: ["a"], nodes: [fields[0] as FieldNode], diedOf },
      { path: ["b"], nodes: [fields[1] as FieldNode], diedOf },
    ]);
    expect(json(out)).toEqual({
      data: { a: null, b: null },
      errors: [
        { message: diedOf.message, path: ["a"], locations: [{ line: 2, column: 3 }], extensions: UNAUTH },
        { message: diedOf.message, path: ["b"], locations: [{ line: 3, column: 3 }], extensions: UNAUTH },
      ],
    });
  });

  it("keeps what the serialiser needs: the result's own members, and a result without data as it is", () => {
    const stringify = (r: ExecutionResult) => JSON.stringify(r);
    const result = Object.assign({ data: { viewer: { name: null } }, errors: [unauthenticated(["viewer", "name"])] }, { stringify });
    expect((collapseDeadUsers(result, [{ path: ["viewer"] }]) as typeof result).stringify).toBe(stringify);
    const timedOut: ExecutionResult = { errors: [failed(undefined, "OPERATION_TIMEOUT")] };
    expect(collapseDeadUsers(timedOut, [{ path: ["viewer"], diedOf: unauthenticated([]) }])).toBe(timedOut);
  });
});
