// Per-request loaders: everything one query asks of DigiLocker goes through here, batched and de-duplicated.
// Meta reads go on to the request's MetaCache (its partner's own, docs/tenants.md, or the gateway's); a user's reads to
// UserData (in-flight sharing per token), through the client the user's token was issued to.
import DataLoader from "dataloader";
import { GraphQLError } from "graphql";
import type { UserAccess } from "../auth/user-access.js";
import { InvalidTokenError, type Account, type DocType, type FolderListing, type IssuedItem, type Issuer, type SearchParameter } from "../digilocker/index.js";
import type { DigiLocker, Services } from "./context.js";

/**
 * What a user call needs of its request: the services, and the DigiLocker the request is served by (its partner's
 * tenant or the gateway's), which a bearer token's calls use. The Context is one; so are the request's loaders.
 */
export interface RequestScope {
  readonly services: Services;
  readonly digilocker: DigiLocker;
}

/** One user's reads within a request: the viewer's, or a consent request's user. */
export interface UserLoaders {
  account(): Promise<Account>;
  issued(): Promise<IssuedItem[]>;
  /** A document arrived for `token` (pullDocument): the next issued() reads the list again, here and in other requests. */
  issuedChanged(token: string): void;
  /** A folder's listing by DigiLocker's folder id ("" is the root), read once per request. */
  folder(folderId: string): Promise<FolderListing>;
  /** An issued document's certificate XML, read once per request and URI; never cached beyond the request. */
  certificateXml(uri: string): Promise<string>;
  /** The account's e-Aadhaar XML, read once per request; never cached beyond the request. */
  eAadhaarXml(): Promise<string>;
}

export interface Loaders {
  issuerByOrgId: DataLoader<string, Issuer | null>;
  issuerByIssuerId: DataLoader<string, Issuer | null>;
  /**
   * An issuer by orgId or issuerId: from a fresh cached issuer list without a promise (a page of documents asks
   * once per item), else through the loader above, which loads or refreshes the list as needed.
   */
  issuer(by: "orgId" | "issuerId", id: string): Issuer | null | Promise<Issuer | null>;
  docTypes: DataLoader<string, DocType[]>;
  /** Key: `${orgId}\n${docType}`. */
  parameters: DataLoader<string, SearchParameter[]>;
  /** The same loaders for the same access object throughout the request. */
  user(access: UserAccess): UserLoaders;
}

/** `digilocker`: what serves the request (server/tenant-lease.ts makes the loaders again once it knows the partner's). */
export function createLoaders(services: Services, digilocker: DigiLocker): Loaders {
  return new RequestLoaders(services, digilocker);
}

/**
 * The run-time side of the upstream budget. The operation limits price a query from declared list sizes before it
 * runs; a user whose folders outnumber those estimates could still fan out further, so the loaders count the
 * calls they start on a caller's behalf and refuse past the same budget.
 */
class UpstreamBudget {
  #left: number;
  constructor(readonly max: number) {
    this.#left = max;
  }

  spend(): void {
    if (this.#left <= 0) {
      throw new GraphQLError(
        `This request reached its budget of ${this.max} DigiLocker calls; ask for fewer folders or users per request, or page with items(first: …).`,
        { extensions: { code: "OPERATION_LIMIT_EXCEEDED", limit: "upstreamCalls", max: this.max } },
      );
    }
    this.#left--;
  }
}

/** Each loader is built on first use: most requests need one or two of them, and every request builds this. */
class RequestLoaders implements Loaders, RequestScope {
  readonly services: Services;
  readonly digilocker: DigiLocker;
  #users: WeakMap<UserAccess, UserLoaders> | undefined;
  #issuerByOrgId: DataLoader<string, Issuer | null> | undefined;
  #issuerByIssuerId: DataLoader<string, Issuer | null> | undefined;
  #docTypes: DataLoader<string, DocType[]> | undefined;
  #parameters: DataLoader<string, SearchParameter[]> | undefined;
  #budget: UpstreamBudget | undefined;

  constructor(services: Services, digilocker: DigiLocker) {
    this.services = services;
    this.digilocker = digilocker;
  }

  get issuerByOrgId(): DataLoader<string, Issuer | null> {
    return (this.#issuerByOrgId ??= this.#issuerLoader("byOrgId"));
  }

  get issuerByIssuerId(): DataLoader<string, Issuer | null> {
    return (this.#issuerByIssuerId ??= this.#issuerLoader("byIssuerId"));
  }

  /** Issuers by one of the issuer index's keys, from the cached list (loaded or refreshed as needed). */
  #issuerLoader(by: "byOrgId" | "byIssuerId"): DataLoader<string, Issuer | null> {
    const { meta } = this.digilocker;
    return new DataLoader(async (ids) => {
      const index = await meta.issuers();
      return ids.map((id) => index[by].get(id) ?? null);
    });
  }

  issuer(by: "orgId" | "issuerId", id: string): Issuer | null | Promise<Issuer | null> {
    const index = this.digilocker.meta.freshIssuers();
    if (index !== undefined) return (by === "orgId" ? index.byOrgId : index.byIssuerId).get(id) ?? null;
    return (by === "orgId" ? this.issuerByOrgId : this.issuerByIssuerId).load(id);
  }

  get docTypes(): DataLoader<string, DocType[]> {
    const { meta } = this.digilocker;
    return (this.#docTypes ??= new DataLoader((orgIds) => Promise.all(orgIds.map((id) => settle(meta.docTypes(id))))));
  }

  get parameters(): DataLoader<string, SearchParameter[]> {
    const { meta } = this.digilocker;
    return (this.#parameters ??= new DataLoader((keys) =>
      Promise.all(
        keys.map((key) => {
          const [orgId = "", docType = ""] = key.split("\n");
          return settle(meta.parameters(orgId, docType));
        }),
      ),
    ));
  }

  user(access: UserAccess): UserLoaders {
    this.#users ??= new WeakMap();
    let loaders = this.#users.get(access);
    if (loaders === undefined) {
      this.#budget ??= new UpstreamBudget(this.services.upstreamBudget);
      loaders = userLoaders(this, access, this.#budget);
      this.#users.set(access, loaders);
    }
    return loaders;
  }
}

function userLoaders(scope: RequestScope, access: UserAccess, budget: UpstreamBudget): UserLoaders {
  const { userData } = scope.services;
  const once = <T>(load: (token: string, digilocker: DigiLocker) => Promise<T>) => {
    let promise: Promise<T> | undefined;
    return () => {
      // A read shared earlier in the request (an account from the cache) is not handed out once the token is dead.
      if (access.refusal !== null) return Promise.reject(access.refusal);
      if (promise === undefined) {
        budget.spend();
        promise = withToken(scope, access, load);
      }
      return promise;
    };
  };
  // DigiLocker lists one folder per call, so batching gains nothing: a promise per folder id gives what a
  // DataLoader would (each listing once per request, a failure included) without its scheduling and promises.
  const folders = new Map<string, Promise<FolderListing>>();
  // A user's documents are personal data: their contents are kept for the request only, not in UserData.
  const certificates = new Map<string, Promise<string>>();
  let issued = once((token, dl) => userData.issued(token, dl.client));
  return {
    account: once((token, dl) => userData.account(token, dl.client)),
    issued: () => issued(),
    issuedChanged: (token) => {
      userData.issuedChanged(token);
      issued = once((t, dl) => userData.issued(t, dl.client));
    },
    folder: (id) => {
      if (access.refusal !== null) return Promise.reject(access.refusal);
      let listing = folders.get(id);
      if (listing === undefined) {
        budget.spend();
        listing = withToken(scope, access, (token, dl) => userData.folder(token, id === "" ? null : id, dl.client));
        folders.set(id, listing);
      }
      return listing;
    },
    certificateXml: (uri) => {
      if (access.refusal !== null) return Promise.reject(access.refusal);
      let xml = certificates.get(uri);
      if (xml === undefined) {
        budget.spend();
        xml = withToken(scope, access, (token, dl) => dl.client.files.certificateXml(token, uri));
        certificates.set(uri, xml);
      }
      return xml;
    },
    eAadhaarXml: once((token, dl) => dl.client.files.eAadhaarXml(token)),
  };
}

/**
 * Every user call (the loaders', and the mutations' own): the access's token, then the call, through the DigiLocker
 * client the token was issued to (digilockerFor). When DigiLocker answers `invalid_token`, what was cached for the
 * token is dropped and the access dies for the rest of the request (a session holding it ends): no later field reads
 * DigiLocker or the cache with it, and src/server/dead-token.ts turns its User into one error.
 */
export async function withToken<T>(scope: RequestScope, access: UserAccess, load: (token: string, digilocker: DigiLocker) => Promise<T>): Promise<T> {
  const token = await access.token();
  try {
    return await load(token, digilockerFor(scope, access));
  } catch (error) {
    if (error instanceof InvalidTokenError) {
      scope.services.userData.forget(token);
      await access.refused(token, error);
    }
    throw error;
  }
}

/**
 * The DigiLocker serving a user's token (docs/tenants.md), once its token has been read: a bearer token's is the
 * request's (its partner's, else the gateway's); a session's is the one it was made with: the gateway's (a browser's,
 * a development-mode consent request's) or its consent request's partner's, which is the request's, since only that
 * partner's key reads the request. The request holds no other partner's client, so a session made through another
 * is refused rather than served through a client its tokens were not issued to.
 */
function digilockerFor(scope: RequestScope, access: UserAccess): DigiLocker {
  const tenant = access.tenant;
  if (tenant === "caller") return scope.digilocker;
  if (tenant === null) return scope.services.tenants.clients.gateway;
  const current = scope.digilocker.identity;
  if (current !== null && current.partnerId === tenant.partnerId && current.clientId === tenant.clientId) return scope.digilocker;
  throw new GraphQLError(
    "This DigiLocker session was made through another DigiLocker client than the one serving this request: read it with the API key of the partner that created it.",
    { extensions: { code: "FORBIDDEN", reason: "other_digilocker_client" } },
  );
}

/** A DataLoader batch must not reject as a whole: one key's failure becomes that key's error. */
async function settle<T>(promise: Promise<T>): Promise<T | Error> {
  try {
    return await promise;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** The request's signed-in user, or UNAUTHENTICATED saying how to sign in. */
export function requireViewer(viewer: UserAccess | null): UserAccess {
  if (viewer === null) {
    throw new GraphQLError(
      "Sign in first: open /auth/sign-in in this browser or run the startSignIn mutation; server callers send Authorization: Bearer <DigiLocker access token>",
      { extensions: { code: "UNAUTHENTICATED", reason: "missing_token" } },
    );
  }
  return viewer;
}
