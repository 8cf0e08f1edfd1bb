// A token DigiLocker refuses (invalid_token) dies for the rest of the request: the loaders forget its cache and
// answer every later read with the refusal, without DigiLocker or the cache; a session holding it is ended once.
import { describe, expect, it } from "vitest";
import type { SessionRecord } from "../../../src/auth/records.js";
import { Sessions, type SessionsDeps } from "../../../src/auth/sessions.js";
import { bearerAccess, sessionAccess } from "../../../src/auth/user-access.js";
import type { UserData } from "../../../src/cache/user-data.js";
import { InvalidTokenError, type Account, type DigiLockerClient } from "../../../src/digilocker/index.js";
import type { DigiLocker, Services } from "../../../src/graphql/context.js";
import { createLoaders } from "../../../src/graphql/loaders.js";
import type { Vault } from "../../../src/store/index.js";

const refused = () => new InvalidTokenError({ endpoint: "files.issued", status: 401, code: "invalid_token", description: "Invalid token" });
const account = { digilockerId: "d-1", name: "Ajit Kumar" } as Account;

/** UserData whose account is cached (answers at once) and whose issued list DigiLocker refuses. */
function fakeUserData() {
  const calls: string[] = [];
  const userData = {
    account: (token: string) => {
      calls.push(`account ${token}`);
      return Promise.resolve(account);
    },
    issued: (token: string) => {
      calls.push(`issued ${token}`);
      return Promise.reject(refused());
    },
    folder: (token: string) => {
      calls.push(`folder ${token}`);
      return Promise.resolve({ directory: null, items: [] });
    },
    forget: (token: string) => {
      calls.push(`forget ${token}`);
    },
  } as unknown as UserData;
  return { userData, calls };
}

/** The request's DigiLocker: the gateway's (these fakes' UserData ignores which client a call names). */
const gateway = { identity: null } as unknown as DigiLocker;
const services = (userData: UserData) => ({ userData, upstreamBudget: 100, tenants: { clients: { gateway } } }) as unknown as Services;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

describe("a refused token within one request", () => {
  it("forgets the token's cache and refuses every later read, the account already read included, without a call", async () => {
    const { userData, calls } = fakeUserData();
    const loaders = createLoaders(services(userData), gateway);
    const access = bearerAccess("t1");
    const user = loaders.user(access);
    expect(await user.account()).toBe(account);

    const error = await rejection(user.issued());
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect(access.refusal).toBe(error);
    expect(calls).toEqual(["account t1", "issued t1", "forget t1"]);

    // The account promise shared earlier in the request is not handed out again.
    expect(await rejection(user.account())).toBe(error);
    expect(await rejection(user.folder(""))).toBe(error);
    expect(await rejection(access.token())).toBe(error);
    expect(await rejection(access.identity())).toBe(error);
    expect(calls).toEqual(["account t1", "issued t1", "forget t1"]);

    // Another request, with the same token, starts afresh (and will hear DigiLocker's answer itself).
    const next = createLoaders(services(userData), gateway).user(bearerAccess("t1"));
    expect(await next.account()).toBe(account);
  });

  it("ends the session holding the token once, however many of the request's reads were refused together", async () => {
    const { userData } = fakeUserData();
    const ended: string[] = [];
    const sessions = {
      get: () => Promise.resolve({ accessToken: "s-token", identity: null } as unknown as SessionRecord),
      accessToken: () => Promise.resolve("s-token"),
      endRefused: (id: string, token: string) => {
        ended.push(`${id} ${token}`);
        return Promise.resolve(true);
      },
    } as unknown as Sessions;
    const access = sessionAccess(sessions, "sid");
    const user = createLoaders(services(userData), gateway).user(access);
    // Two refusals at once: the issued list's, and another read's reported alongside it.
    const [error] = await Promise.all([rejection(user.issued()), access.refused("s-token", refused())]);
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect(ended).toEqual(["sid s-token"]);
    expect(await rejection(access.session())).toBe(access.refusal);
  });
});

describe("Sessions.endRefused", () => {
  const record = (accessToken: string, refreshToken: string | null): SessionRecord => ({
    accessToken,
    refreshToken,
    accessExpiresAt: 0,
    endsAt: Number.MAX_SAFE_INTEGER,
    consentValidTill: null,
    scopes: [],
    identity: null,
    account: null,
    createdAt: 0,
    refreshedAt: null,
    consentRequestId: null,
    tenant: null,
  });

  function sessionsWith(stored: SessionRecord | null, revoke: (token: string) => Promise<void> = () => Promise.resolve()) {
    const events: string[] = [];
    const warnings: Record<string, unknown>[] = [];
    const deps = {
      vault: {
        get: () => Promise.resolve(stored),
        delete: (_ns: string, id: string) => {
          events.push(`delete ${id}`);
          return Promise.resolve();
        },
      } as unknown as Vault,
      // The gateway's own client: these sessions have no tenant.
      tenants: {
        clientFor: () =>
          Promise.resolve({
            identity: null,
            release: () => undefined,
            client: {
              oauth: {
                revoke: (token: string, hint: string) => {
                  events.push(`revoke ${hint} ${token}`);
                  return revoke(token);
                },
              },
            } as unknown as DigiLockerClient,
          }),
      },
      userData: { forget: (token: string) => events.push(`forget ${token}`) } as unknown as UserData,
      now: () => 0,
      maxAgeMs: 1,
      log: { warn: (fields: Record<string, unknown>) => warnings.push(fields) },
    } satisfies SessionsDeps;
    return { sessions: new Sessions(deps), events, warnings };
  }

  it("deletes the session and forgets its cache; revokes its refresh token but not the refused access token", async () => {
    const { sessions, events } = sessionsWith(record("at-1", "rt-1"));
    expect(await sessions.endRefused("sid", "at-1")).toBe(true);
    expect(events).toEqual(["delete sid", "forget at-1", "revoke refresh_token rt-1"]);
  });

  it("makes no DigiLocker call for a session without a refresh token, and logs a refresh token DigiLocker would not revoke", async () => {
    const plain = sessionsWith(record("at-1", null));
    expect(await plain.sessions.endRefused("sid", "at-1")).toBe(true);
    expect(plain.events).toEqual(["delete sid", "forget at-1"]);

    const failing = sessionsWith(record("at-1", "rt-1"), () => Promise.reject(refused()));
    expect(await failing.sessions.endRefused("sid", "at-1")).toBe(true);
    expect(failing.warnings).toEqual([{ hint: "refresh_token", problem: "InvalidTokenError", status: 401, upstreamCode: "invalid_token" }]);
  });

  it("leaves a session that has moved on to another token (a refresh elsewhere) alone", async () => {
    const { sessions, events } = sessionsWith(record("at-2", "rt-2"));
    expect(await sessions.endRefused("sid", "at-1")).toBe(false);
    expect(events).toEqual([]);
  });
});
