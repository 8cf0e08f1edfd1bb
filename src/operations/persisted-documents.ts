// Persisted documents as the request path sees them (docs/production.md): a document by id, prepared once (parsed,
// validated, priced) when first loaded and kept; whether a caller may run it; and the app a request names. The
// gateway's own manifest (schema/persisted-documents.json, built in) is prepared at start-up and open to every
// caller; partners' manifests come from the database (persisted-operations.ts). Answers are synchronous once
// cached, so steady traffic makes no promise here; what the database said is reused for `refreshMs`, which is how
// long a manifest retired elsewhere (the CLI, another instance) may still be served here.
import type { DocumentNode, GraphQLError, OperationTypeNode } from "graphql";
import { LRUCache } from "lru-cache";
import type { ManifestDocument } from "./manifest.js";
import type { AppVersion, DocumentCaller, PersistedOperations } from "./persisted-operations.js";

/** A document ready to run: parsed once, with what validation and the operation limits found wrong at load. */
export interface PreparedDocument {
  id: string;
  text: string;
  document: DocumentNode;
  operationName: string | null;
  operationType: OperationTypeNode;
  /** Empty when the document runs; else why not (a schema change since it was published, a lowered limit). */
  errors: readonly GraphQLError[];
}

/** Turns a manifest document into one ready to run: validation against the schema and the operation limits. */
export type Prepare = (document: ManifestDocument) => PreparedDocument;

/** Reads a document's text into a ManifestDocument (parse, one operation); null when it is not one. */
export type Read = (id: string, text: string) => ManifestDocument | null;

export interface PersistedDocumentsDeps {
  /** The database's manifests. */
  store: Pick<PersistedOperations, "document" | "allows" | "app">;
  /** The gateway's own documents, shipped with it. */
  builtIn: readonly ManifestDocument[];
  read: Read;
  prepare: Prepare;
  /** Epoch ms; the refresh period runs on it (a test's clock). */
  now: () => number;
  /** True while the database cannot hold a manifest (an in-memory PGlite never opened): nothing is asked of it. */
  empty?: () => boolean;
}

export interface PersistedDocumentsOptions {
  /** How long the database's answers are reused (default 5000 ms). */
  refreshMs?: number;
  /** Documents kept prepared (default 5000). */
  maxDocuments?: number;
}

const MAX_REMEMBERED = 10_000;

export class PersistedDocuments {
  readonly #store: PersistedDocumentsDeps["store"];
  readonly #read: Read;
  readonly #prepare: Prepare;
  readonly #empty: () => boolean;
  readonly #builtIn: ReadonlyMap<string, PreparedDocument>;
  /** By id. A document's text is its id's preimage, so what was prepared stays right; whether it may run does not. */
  readonly #prepared: LRUCache<string, PreparedDocument>;
  /** Ids the database did not have, for refreshMs: a flood of made-up ids asks it once per id and period. */
  readonly #absent: LRUCache<string, true>;
  readonly #loading = new Map<string, Promise<PreparedDocument | null>>();
  /** `<caller>\n<id>` → whether it may run. */
  readonly #allowed: LRUCache<string, boolean>;
  /** `<name>\n<version>` → the published version, or "none". */
  readonly #apps: LRUCache<string, AppVersion | "none">;

  constructor(deps: PersistedDocumentsDeps, options: PersistedDocumentsOptions = {}) {
    this.#store = deps.store;
    this.#read = deps.read;
    this.#prepare = deps.prepare;
    this.#empty = deps.empty ?? (() => false);
    this.#builtIn = new Map(deps.builtIn.map((d) => [d.id, deps.prepare(d)]));
    const ttl = options.refreshMs ?? 5_000;
    const timed = {
      ttl: Math.max(ttl, 1),
      perf: { now: deps.now },
      ttlResolution: 0,
    };
    this.#prepared = new LRUCache({ max: options.maxDocuments ?? 5_000 });
    this.#absent = new LRUCache({ max: MAX_REMEMBERED, ...timed });
    this.#allowed = new LRUCache({ max: MAX_REMEMBERED, ...timed });
    this.#apps = new LRUCache({ max: 1_000, ...timed });
  }

  /** The gateway's own documents, prepared: what `operations list` and the start-up log report. */
  builtIn(): readonly PreparedDocument[] {
    return [...this.#builtIn.values()];
  }

  /** The document with this id in the gateway's own manifest or any unretired one in the database; null if none. */
  document(id: string): PreparedDocument | null | Promise<PreparedDocument | null> {
    const known = this.#builtIn.get(id) ?? this.#prepared.get(id);
    if (known !== undefined) return known;
    if (this.#absent.has(id) || this.#empty()) return null;
    let loading = this.#loading.get(id);
    if (loading === undefined) {
      loading = this.#load(id).finally(() => this.#loading.delete(id));
      this.#loading.set(id, loading);
    }
    return loading;
  }

  async #load(id: string): Promise<PreparedDocument | null> {
    const text = await this.#store.document(id);
    const read = text === null ? null : this.#read(id, text);
    if (read === null) {
      this.#absent.set(id, true);
      return null;
    }
    const prepared = this.#prepare(read);
    this.#prepared.set(id, prepared);
    return prepared;
  }

  /** Whether `caller` may run the document: the gateway's own to anyone; a partner's to its key and its apps. */
  allows(caller: DocumentCaller, id: string): boolean | Promise<boolean> {
    if (this.#builtIn.has(id)) return true;
    if (this.#empty()) return false;
    const key = `${callerKey(caller)}\n${id}`;
    const known = this.#allowed.get(key);
    if (known !== undefined) return known;
    return this.#store.allows(caller, id).then((allowed) => {
      this.#allowed.set(key, allowed);
      return allowed;
    });
  }

  /** A published version of an app (retired or not), or null. */
  app(name: string, version: string): AppVersion | null | Promise<AppVersion | null> {
    if (this.#empty()) return null;
    const key = `${name}\n${version}`;
    const known = this.#apps.get(key);
    if (known !== undefined) return known === "none" ? null : known;
    return this.#store.app(name, version).then((found) => {
      this.#apps.set(key, found ?? "none");
      return found;
    });
  }
}

function callerKey(caller: DocumentCaller): string {
  if (caller === "anyone") return "*";
  if ("partnerId" in caller) return `p:${caller.partnerId}`;
  return `a:${caller.app.partnerId ?? ""}\n${caller.app.name}\n${caller.app.version}`;
}
