// UserData: a user's DigiLocker reads keyed by a hash of their token. Account details are kept per token
// (the spec: once per token); lists are only shared while in flight; nothing is ever shared between tokens.
import { afterEach, describe, expect, it, vi } from "vitest";
import { UserData } from "../../../src/cache/user-data.js";
import type { Account, DigiLockerClient, FolderListing, IssuedItem } from "../../../src/digilocker/index.js";

/** A stand-in for the client's three user reads: answers per token, counts calls, resolves when told. */
function fakeClient() {
  const calls = { account: [] as string[], issued: [] as string[], folder: [] as [string, string | undefined][] };
  const pending: (() => void)[] = [];
  let hold = false;
  const later = <T>(value: T): Promise<T> =>
    hold ? new Promise((resolve) => pending.push(() => { resolve(value); })) : Promise.resolve(value);
  const client = {
    account: {
      user: (token: string): Promise<Account> => {
        calls.account.push(token);
        if (token === "bad") return Promise.reject(new Error("refused"));
        return later({ digilockerId: `id-of-${token}`, name: `name of ${token}`, dateOfBirth: null, gender: null, eAadhaar: null, referenceKey: null });
      },
    },
    files: {
      listIssued: (token: string): Promise<IssuedItem[]> => {
        calls.issued.push(token);
        return later([{ name: "doc", date: null, mimeTypes: [], uri: `uri-of-${token}`, docType: null, description: null, issuerId: null, issuer: null }]);
      },
      listUploaded: (token: string, folderId?: string): Promise<FolderListing> => {
        calls.folder.push([token, folderId]);
        return later({ directory: `/${token}/${folderId ?? ""}`, items: [] });
      },
    },
  };
  return {
    client: client as unknown as DigiLockerClient,
    calls,
    hold(): void { hold = true; },
    release(): void {
      hold = false;
      for (const resolve of pending.splice(0)) resolve();
    },
  };
}

/**
 * A clock for the account cache. lru-cache reads a start time of 0 as "no TTL", and remembers the time it
 * read for 1 ms of timer time (ttlResolution), so advancing also runs that (fake) timer.
 */
function clock() {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  let now = 1_000_000;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
      vi.advanceTimersByTime(2);
    },
  };
}

describe("UserData", () => {
  afterEach(() => { vi.useRealTimers(); });

  it("keeps a token's account and calls DigiLocker once for it", async () => {
    const fake = fakeClient();
    const data = new UserData(fake.client, { maxEntries: 10, accountTtlMs: 3_600_000 });
    const first = await data.account("tok-a");
    const second = await data.account("tok-a");
    expect(second).toBe(first);
    expect(first.name).toBe("name of tok-a");
    expect(fake.calls.account).toEqual(["tok-a"]);
  });

  it("shares one account call among concurrent requests of a token", async () => {
    const fake = fakeClient();
    const data = new UserData(fake.client, { maxEntries: 10, accountTtlMs: 3_600_000 });
    fake.hold();
    const all = Promise.all([data.account("tok-a"), data.account("tok-a"), data.account("tok-a")]);
    fake.release();
    const [a, b, c] = await all;
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(fake.calls.account).toEqual(["tok-a"]);
  });

  it("never shares between tokens, even for the same person", async () => {
    const fake = fakeClient();
    const data = new UserData(fake.client, { maxEntries: 10, accountTtlMs: 3_600_000 });
    fake.hold();
    const pending = Promise.all([
      data.account("tok-a"),
      data.account("tok-b"),
      data.issued("tok-a"),
      data.issued("tok-b"),
      data.folder("tok-a", null),
      data.folder("tok-b", null),
    ]);
    fake.release();
    const [accountA, accountB, issuedA, issuedB, folderA, folderB] = await pending;
    expect([accountA.name, accountB.name]).toEqual(["name of tok-a", "name of tok-b"]);
    expect([issuedA[0]?.uri, issuedB[0]?.uri]).toEqual(["uri-of-tok-a", "uri-of-tok-b"]);
    expect([folderA.directory, folderB.directory]).toEqual(["/tok-a/", "/tok-b/"]);
    expect(fake.calls.account).toEqual(["tok-a", "tok-b"]);
    expect(fake.calls.issued).toEqual(["tok-a", "tok-b"]);
  });

  it("shares lists only while in flight: a later read asks DigiLocker again", async () => {
    const fake = fakeClient();
    const data = new UserData(fake.client, { maxEntries: 10, accountTtlMs: 3_600_000 });
    fake.hold();
    const together = Promise.all([data.issued("tok-a"), data.issued("tok-a"), data.folder("tok-a", "7"), data.folder("tok-a", "7")]);
    fake.release();
    const [one, two, f1, f2] = await together;
    expect(two).toBe(one);
    expect(f2).toBe(f1);
    expect(fake.calls.issued).toEqual(["tok-a"]);
    expect(fake.calls.folder).toEqual([["tok-a", "7"]]);

    await data.issued("tok-a");
    await data.folder("tok-a", "7");
    await data.folder("tok-a", null);
    expect(fake.calls.issued).toEqual(["tok-a", "tok-a"]);
    expect(fake.calls.folder).toEqual([["tok-a", "7"], ["tok-a", "7"], ["tok-a", undefined]]);
  });

  it("calls through the client a call names (the one its token was issued to), keeping one cache for all", async () => {
    const gateway = fakeClient();
    const partner = fakeClient();
    const data = new UserData(gateway.client, { maxEntries: 10, accountTtlMs: 3_600_000 });
    await data.account("tok-p", partner.client);
    await data.account("tok-p", partner.client);
    await data.issued("tok-p", partner.client);
    await data.folder("tok-p", "7", partner.client);
    await data.account("tok-g");
    expect(partner.calls).toEqual({ account: ["tok-p"], issued: ["tok-p"], folder: [["tok-p", "7"]] });
    expect(gateway.calls).toEqual({ account: ["tok-g"], issued: [], folder: [] });
    data.forget("tok-p");
    await data.account("tok-p", partner.client);
    expect(partner.calls.account).toEqual(["tok-p", "tok-p"]);
  });

  it("forget() drops a token's account, so the next read calls DigiLocker again", async () => {
    const fake = fakeClient();
    const data = new UserData(fake.client, { maxEntries: 10, accountTtlMs: 3_600_000 });
    await data.account("tok-a");
    await data.account("tok-b");
    data.forget("tok-a");
    await data.account("tok-a");
    await data.account("tok-b");
    expect(fake.calls.account).toEqual(["tok-a", "tok-b", "tok-a"]);
  });

  it("keeps an account for the token's life only, and never keeps a failure", async () => {
    const fake = fakeClient();
    const time = clock();
    const data = new UserData(fake.client, { maxEntries: 10, accountTtlMs: 1000, clock: time });
    await data.account("tok-a");
    time.advance(999);
    await data.account("tok-a");
    expect(fake.calls.account).toEqual(["tok-a"]);
    time.advance(2);
    await data.account("tok-a");
    expect(fake.calls.account).toEqual(["tok-a", "tok-a"]);

    await expect(data.account("bad")).rejects.toThrow("refused");
    await expect(data.account("bad")).rejects.toThrow("refused");
    expect(fake.calls.account.filter((t) => t === "bad")).toHaveLength(2);
  });
});
