// The three ways a request names a persisted document, and the app header pair, read without a server.
import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { requestedApp, requestedDocumentId } from "../../../src/server/persisted-requests.js";

const HEX = "2ed0d2f6cfcba0bd6988ff57ea3a85c2ea744a1b9c7cb13670a087e8c13734ea";
const OTHER = "db7e293c94c46b2d20ee4cebb68a0403dbf946bfbd7f3e677bd77f3ae8b4f463";
const message = (v: unknown) => (v instanceof GraphQLError ? v.message : v);

describe("requestedDocumentId", () => {
  it("reads each form into sha256:<lowercase hex>", () => {
    expect(requestedDocumentId({ documentId: `sha256:${HEX}` }, null)).toBe(`sha256:${HEX}`);
    expect(requestedDocumentId({ doc_id: HEX }, null)).toBe(`sha256:${HEX}`);
    expect(requestedDocumentId({ doc_id: HEX.toUpperCase() }, null)).toBe(`sha256:${HEX}`);
    expect(requestedDocumentId({ doc_id: `sha256:${HEX}` }, null)).toBe(`sha256:${HEX}`);
    expect(requestedDocumentId({ extensions: { persistedQuery: { version: 1, sha256Hash: HEX.toUpperCase() } } }, null)).toBe(`sha256:${HEX}`);
    expect(requestedDocumentId({}, new URLSearchParams(`documentId=sha256:${HEX}`))).toBe(`sha256:${HEX}`);
    expect(requestedDocumentId({}, new URLSearchParams(`doc_id=${HEX}`))).toBe(`sha256:${HEX}`);
  });

  it("gives back an id of another shape as sent, to be answered as not in the list", () => {
    expect(requestedDocumentId({ documentId: "x-custom:123" }, null)).toBe("x-custom:123");
    expect(requestedDocumentId({ documentId: HEX }, null)).toBe(HEX);
  });

  it("is null when nothing names a document", () => {
    expect(requestedDocumentId({ query: "{ __typename }" }, null)).toBeNull();
    expect(requestedDocumentId({ documentId: null, extensions: {} }, new URLSearchParams("query=x"))).toBeNull();
  });

  it("refuses unusable and contradictory ids", () => {
    expect(message(requestedDocumentId({ documentId: "" }, null))).toBe('documentId must be a document id such as "sha256:<64 hex digits>".');
    expect(message(requestedDocumentId({ doc_id: ["a"] }, null))).toBe('doc_id must be a document id such as "sha256:<64 hex digits>".');
    expect(message(requestedDocumentId({ extensions: { persistedQuery: "x" } }, null))).toBe('extensions.persistedQuery must be { "version": 1, "sha256Hash": "<64 hex digits>" }.');
    expect(message(requestedDocumentId({ extensions: { persistedQuery: { version: 1, sha256Hash: `${HEX}0` } } }, null))).toBe(
      'extensions.persistedQuery must be { "version": 1, "sha256Hash": "<64 hex digits>" }.',
    );
    expect(message(requestedDocumentId({ documentId: `sha256:${HEX}`, doc_id: OTHER }, null))).toBe("documentId and doc_id name different documents: name one.");
    // The same document named twice is fine.
    expect(requestedDocumentId({ documentId: `sha256:${HEX}`, extensions: { persistedQuery: { version: 1, sha256Hash: HEX } } }, null)).toBe(`sha256:${HEX}`);
  });
});

describe("requestedApp", () => {
  const headers = (h: Record<string, string>) => ({ get: (name: string) => h[name] ?? null });
  it("reads the pair, or nothing", () => {
    expect(requestedApp(headers({ "x-graphql-client-name": "acme-web", "x-graphql-client-version": "1.2.3" }))).toEqual({ name: "acme-web", version: "1.2.3" });
    expect(requestedApp(headers({}))).toBeNull();
  });
  it("refuses half a pair and names no manifest could have", () => {
    expect(message(requestedApp(headers({ "x-graphql-client-version": "1" })))).toBe(
      "Send X-GraphQL-Client-Name and X-GraphQL-Client-Version together: an app is found by its name and version.",
    );
    for (const name of ["my app", "", "a".repeat(101), "naïve"]) {
      expect(message(requestedApp(headers({ "x-graphql-client-name": name, "x-graphql-client-version": "1" }))), name).toBe(
        "X-GraphQL-Client-Name and X-GraphQL-Client-Version are each 1 to 100 printable ASCII characters without spaces, as published.",
      );
    }
  });
});
