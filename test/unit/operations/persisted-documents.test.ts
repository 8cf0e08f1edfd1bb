// PersistedDocuments: what it asks the database and when, with a store that counts its calls.
import { createHash } from "node:crypto";
import { GraphQLError, Kind, OperationTypeNode, parse, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import type { ManifestDocument } from "../../../src/operations/manifest.js";
import { PersistedDocuments } from "../../../src/operations/persisted-documents.js";
import type { AppVersion } from "../../../src/operations/persisted-operations.js";

const sha = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex")}`;
const OWN = "query Own { statistics { users } }";
const PARTNERS = "query Theirs { statistics { issuers } }";

function read(id: string, text: string): ManifestDocument {
  const document = parse(text);
  return { id, text, document, operation: document.definitions[0] as OperationDefinitionNode };
}

function setup(options: { empty?: boolean } = {}) {
  let now = 1_000_000;
  const calls = { document: 0, allows: 0, app: 0, prepare: 0 };
  const texts = new Map([[sha(PARTNERS), PARTNERS]]);
  let allowed = true;
  let retiredAt: Date | null = null;
  const documents = new PersistedDocuments({
    store: {
      document: async (id: string) => {
        calls.document++;
        await new Promise((r) => setTimeout(r, 5));
        return texts.get(id) ?? null;
      },
      allows: (): Promise<boolean> => {
        calls.allows++;
        return Promise.resolve(allowed);
      },
      app: (): Promise<AppVersion | null> => {
        calls.app++;
        return Promise.resolve({ partnerId: "ptn_aaaaaaaaaaaa", retiredAt });
      },
    },
    builtIn: [read(sha(OWN), OWN)],
    read,
    prepare: (d) => {
      calls.prepare++;
      return { id: d.id, text: d.text, document: d.document, operationName: d.operation.name?.value ?? null, operationType: d.operation.operation, errors: [] };
    },
    now: () => now,
    empty: () => options.empty === true,
  });
  return {
    documents,
    calls,
    advance: (ms: number) => (now += ms),
    disallow: () => (allowed = false),
    retire: () => (retiredAt = new Date("2026-01-01T00:00:00Z")),
  };
}

describe("PersistedDocuments", () => {
  it("prepares the built-in documents at start, answers them synchronously and opens them to anyone", () => {
    const { documents, calls } = setup();
    expect(calls.prepare).toBe(1);
    const own = documents.document(sha(OWN));
    expect(own).toMatchObject({ id: sha(OWN), operationName: "Own", operationType: OperationTypeNode.QUERY });
    expect(documents.allows("anyone", sha(OWN))).toBe(true);
    expect(calls).toEqual({ document: 0, allows: 0, app: 0, prepare: 1 });
  });

  it("loads a document once, however many requests ask at once, and then answers synchronously", async () => {
    const { documents, calls } = setup();
    const first = documents.document(sha(PARTNERS));
    const second = documents.document(sha(PARTNERS));
    expect(first).toBeInstanceOf(Promise);
    const [a, b] = await Promise.all([first, second]);
    expect(a).toBe(b);
    expect(a?.document.kind).toBe(Kind.DOCUMENT);
    expect(documents.document(sha(PARTNERS))).toBe(a);
    expect(calls.document).toBe(1);
    expect(calls.prepare).toBe(2);
  });

  it("asks again for an unknown id only once the refresh period has passed", async () => {
    const { documents, calls, advance } = setup();
    const unknown = sha("query Nope { statistics { users } }");
    expect(await documents.document(unknown)).toBeNull();
    expect(documents.document(unknown)).toBeNull();
    expect(calls.document).toBe(1);
    advance(5_001);
    expect(await documents.document(unknown)).toBeNull();
    expect(calls.document).toBe(2);
  });

  it("reuses whether a caller may run a document for the refresh period, per caller", async () => {
    const { documents, calls, advance, disallow } = setup();
    const caller = { partnerId: "ptn_aaaaaaaaaaaa" };
    expect(await documents.allows(caller, sha(PARTNERS))).toBe(true);
    expect(documents.allows(caller, sha(PARTNERS))).toBe(true);
    expect(await documents.allows({ partnerId: "ptn_bbbbbbbbbbbb" }, sha(PARTNERS))).toBe(true);
    expect(calls.allows).toBe(2);
    disallow();
    expect(documents.allows(caller, sha(PARTNERS))).toBe(true);
    advance(5_001);
    expect(await documents.allows(caller, sha(PARTNERS))).toBe(false);
  });

  it("sees an app's retirement after the refresh period", async () => {
    const { documents, advance, retire, calls } = setup();
    expect(await documents.app("web", "1")).toEqual({ partnerId: "ptn_aaaaaaaaaaaa", retiredAt: null });
    retire();
    expect(documents.app("web", "1")).toEqual({ partnerId: "ptn_aaaaaaaaaaaa", retiredAt: null });
    advance(5_001);
    expect(await documents.app("web", "1")).toEqual({ partnerId: "ptn_aaaaaaaaaaaa", retiredAt: new Date("2026-01-01T00:00:00Z") });
    expect(calls.app).toBe(2);
  });

  it("asks nothing of a database that cannot hold a manifest (an in-memory one never opened)", () => {
    const { documents, calls } = setup({ empty: true });
    expect(documents.document(sha(PARTNERS))).toBeNull();
    expect(documents.allows({ partnerId: "ptn_aaaaaaaaaaaa" }, sha(PARTNERS))).toBe(false);
    expect(documents.app("web", "1")).toBeNull();
    expect(calls).toEqual({ document: 0, allows: 0, app: 0, prepare: 1 });
  });

  it("keeps a document's errors from preparation", async () => {
    const documents = new PersistedDocuments({
      store: { document: () => Promise.resolve(PARTNERS), allows: () => Promise.resolve(true), app: () => Promise.resolve(null) },
      builtIn: [],
      read,
      prepare: (d) => ({ id: d.id, text: d.text, document: d.document, operationName: null, operationType: d.operation.operation, errors: [new GraphQLError("gone")] }),
      now: () => 0,
    });
    expect((await documents.document(sha(PARTNERS)))?.errors.map((e) => e.message)).toEqual(["gone"]);
  });
});
