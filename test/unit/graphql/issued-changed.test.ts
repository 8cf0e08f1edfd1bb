// After pullDocument, the user's issued list is read again: in the same request (the per-request loader drops its
// promise) and in others (UserData starts a new list rather than join one already in flight from before the pull).
import { describe, expect, it } from "vitest";
import { bearerAccess } from "../../../src/auth/user-access.js";
import { UserData } from "../../../src/cache/user-data.js";
import type { DigiLockerClient, IssuedItem } from "../../../src/digilocker/index.js";
import type { DigiLocker, Services } from "../../../src/graphql/context.js";
import { createLoaders } from "../../../src/graphql/loaders.js";

function fakeUserData() {
  let lists = 0;
  const client = {
    files: { listIssued: () => Promise.resolve([{ uri: `list-${++lists}` } as IssuedItem]) },
  } as unknown as DigiLockerClient;
  return new UserData(client, { maxEntries: 10, accountTtlMs: 60_000 });
}

describe("issuedChanged", () => {
  it("makes the request's next issued() read the list again", async () => {
    // The request's DigiLocker names no client of its own: UserData uses the one it was made with.
    const loaders = createLoaders({ userData: fakeUserData(), upstreamBudget: 10 } as unknown as Services, { identity: null } as unknown as DigiLocker);
    const user = loaders.user(bearerAccess("t"));
    expect(await user.issued()).toEqual([{ uri: "list-1" }]);
    expect(await user.issued()).toEqual([{ uri: "list-1" }]);
    user.issuedChanged("t");
    expect(await user.issued()).toEqual([{ uri: "list-2" }]);
  });

  it("does not let a later read join a list started before the change", async () => {
    const userData = fakeUserData();
    const before = userData.issued("t");
    expect(userData.issued("t")).toBe(before);
    userData.issuedChanged("t");
    const after = userData.issued("t");
    expect(after).not.toBe(before);
    expect(await before).toEqual([{ uri: "list-1" }]);
    expect(await after).toEqual([{ uri: "list-2" }]);
    // Another token's reads are untouched.
    const other = userData.issued("u");
    expect(userData.issued("u")).toBe(other);
  });
});
