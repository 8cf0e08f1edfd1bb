// A user's DigiLocker data, keyed by a hash of their access token so it is never shared between tokens.
// Get User Details is cached for the token's life: the spec asks for one call per token ("the user
// details do not change"). Lists are only de-duplicated while in flight: they change when documents arrive.
// One cache for every client's tokens (a partner's own, docs/tenants.md): each call names the client the token was
// issued to, and a token belongs to one client, so entries never mix; USER_CACHE_MAX_ENTRIES bounds them all.
import { hash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { Account, DigiLockerClient, FolderListing, IssuedItem } from "../digilocker/index.js";
import type { Clock } from "./cached-fetcher.js";
import { SingleFlight } from "./single-flight.js";

export interface UserDataOptions {
  maxEntries: number;
  /** How long one token's account details are kept; DigiLocker tokens live 3600 s. */
  accountTtlMs: number;
  clock?: Clock;
}

/** What an account fetch needs: the token alone for the default client (no allocation), else the token's client too. */
type AccountFetch = string | { token: string; client: DigiLockerClient };

export class UserData {
  readonly #client: DigiLockerClient;
  readonly #accounts: LRUCache<string, Account, AccountFetch>;
  readonly #issued = new SingleFlight<IssuedItem[]>();
  readonly #folders = new SingleFlight<FolderListing>();
  /** Bumped when a document arrives for a token, so a list read from before it is not shared after it. */
  readonly #issuedGeneration: LRUCache<string, number>;

  /** `client`: the gateway's own, used for tokens whose calls name no other. */
  constructor(client: DigiLockerClient, options: UserDataOptions) {
    this.#client = client;
    this.#issuedGeneration = new LRUCache<string, number>({ max: options.maxEntries });
    this.#accounts = new LRUCache<string, Account, AccountFetch>({
      max: options.maxEntries,
      ttl: options.accountTtlMs,
      ...(options.clock ? { perf: options.clock } : {}),
      fetchMethod: (_key, _stale, { context }) =>
        typeof context === "string" ? client.account.user(context) : context.client.account.user(context.token),
    });
  }

  /** `client`: the one the token was issued to (a partner's, docs/tenants.md); the gateway's by default. */
  async account(token: string, client: DigiLockerClient = this.#client): Promise<Account> {
    const key = tokenKey(token);
    const account = await (client === this.#client
      ? this.#accounts.fetch(key, { context: token })
      : this.#accounts.fetch(key, { context: { token, client } }));
    if (account === undefined) throw new Error("account fetch produced no value");
    return account;
  }

  issued(token: string, client: DigiLockerClient = this.#client): Promise<IssuedItem[]> {
    const key = tokenKey(token);
    return this.#issued.run(`${key}\n${this.#issuedGeneration.get(key) ?? 0}`, () => client.files.listIssued(token));
  }

  /** A document arrived (Pull Document): later reads start a new list rather than join one already in flight. */
  issuedChanged(token: string): void {
    const key = tokenKey(token);
    this.#issuedGeneration.set(key, (this.#issuedGeneration.get(key) ?? 0) + 1);
  }

  /** A folder's listing; the root when `folderId` is null. */
  folder(token: string, folderId: string | null, client: DigiLockerClient = this.#client): Promise<FolderListing> {
    return this.#folders.run(`${tokenKey(token)}\n${folderId ?? ""}`, () => client.files.listUploaded(token, folderId ?? undefined));
  }

  /** Keeps account details that came with the token (`/oauth2/1/token` sends them), sparing Get User Details. */
  prime(token: string, account: Account): void {
    this.#accounts.set(tokenKey(token), account);
  }

  /** Drops what is kept for a token (sign-out, revocation). */
  forget(token: string): void {
    this.#accounts.delete(tokenKey(token));
  }
}

/** Tokens are never used as map keys as they are: a heap dump must not hold them twice. */
function tokenKey(token: string): string {
  return hash("sha256", token, "base64url");
}
