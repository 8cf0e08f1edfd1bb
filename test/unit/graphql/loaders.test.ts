// The loaders' run-time upstream budget: a locker with more folders than the operation limits' estimates still
// cannot make one request fan out past GRAPHQL_MAX_UPSTREAM_CALLS.
import { describe, expect, it } from "vitest";
import { GraphQLError } from "graphql";
import { bearerAccess } from "../../../src/auth/user-access.js";
import type { UserData } from "../../../src/cache/user-data.js";
import type { FolderListing } from "../../../src/digilocker/index.js";
import type { DigiLocker, Services } from "../../../src/graphql/context.js";
import { createLoaders } from "../../../src/graphql/loaders.js";

/** What serves the requests: the gateway's (the fake UserData ignores which client a call names). */
const gateway = { identity: null } as unknown as DigiLocker;

function loadersWithBudget(budget: number) {
  const calls: string[] = [];
  const userData = {
    folder: (_token: string, id: string | null) => {
      calls.push(`folder ${id ?? "root"}`);
      return Promise.resolve({ directory: null, items: [] } as unknown as FolderListing);
    },
    issued: () => {
      calls.push("issued");
      return Promise.resolve([]);
    },
    account: () => {
      calls.push("account");
      return Promise.reject(new Error("not needed"));
    },
  } as unknown as UserData;
  const services = { userData, upstreamBudget: budget } as unknown as Services;
  return { loaders: createLoaders(services, gateway), calls };
}

describe("the loaders' upstream budget", () => {
  it("starts at most the budget's calls per request, then refuses with the limit's code", async () => {
    const { loaders, calls } = loadersWithBudget(3);
    const user = loaders.user(bearerAccess("t"));
    await user.folder("a");
    await user.folder("b");
    await user.issued();
    let refused: unknown;
    try {
      await user.folder("c");
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(GraphQLError);
    expect((refused as GraphQLError).extensions).toEqual({ code: "OPERATION_LIMIT_EXCEEDED", limit: "upstreamCalls", max: 3 });
    expect(calls).toEqual(["folder a", "folder b", "issued"]);
  });

  it("counts a listing once however often the request asks for it, across users too", async () => {
    const { loaders, calls } = loadersWithBudget(2);
    const first = loaders.user(bearerAccess("t1"));
    await Promise.all([first.folder("a"), first.folder("a"), first.folder("a")]);
    await first.issued();
    await first.issued();
    expect(() => loaders.user(bearerAccess("t2")).folder("a")).toThrow(GraphQLError);
    expect(calls).toEqual(["folder a", "issued"]);
  });

  it("gives every request its own budget", async () => {
    const { calls } = loadersWithBudget(1);
    const services = { userData: { folder: () => { calls.push("x"); return Promise.resolve({}); } }, upstreamBudget: 1 } as unknown as Services;
    await createLoaders(services, gateway).user(bearerAccess("t")).folder("a");
    await createLoaders(services, gateway).user(bearerAccess("t")).folder("a");
    expect(calls).toEqual(["x", "x"]);
  });
});
