// The operation's DigiLocker (src/server/tenant-lease.ts): a partner with its own credentials gets its lease on the
// context and its loaders, released once the execution is done however it ends; a request without a key and a
// partner without credentials keep the gateway's at no cost; a secret that does not open fails each use with its error.
import type { ExecutionArgs, ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import type { Context, DigiLocker } from "../../../src/graphql/context.js";
import { useTenantLease } from "../../../src/server/tenant-lease.js";
import { SealedSecretUnreadable } from "../../../src/tenants/credential-sealing.js";

type Execute = (args: ExecutionArgs) => ExecutionResult | Promise<ExecutionResult>;

const gateway = { client: "gateway client", meta: "gateway meta", catalog: "gateway memo", identity: null, release: () => undefined } as unknown as DigiLocker;

/** One onExecute of the plugin, for a context whose partner's clientFor answers `answer`; what it left behind. */
async function execute(partnerId: string | null, answer: () => Promise<unknown>) {
  const released: string[] = [];
  const lease = {
    client: "partner client",
    meta: "partner meta",
    catalog: "partner memo",
    identity: { partnerId, clientId: "SANDBOX2", redirectUri: "http://localhost/auth/callback", tokenEndpoint: "openid", version: 1 },
    release: () => released.push("released"),
  };
  const asked: (string | null)[] = [];
  const services = {
    tenants: {
      clients: {
        gateway,
        // Nothing known yet: every operation asks clientFor (the shortcut is exercised over HTTP in tenants.test.ts).
        knownWithoutCredentials: () => false,
        clientFor: (id: string | null) => {
          asked.push(id);
          return answer().then((kind) => (kind === "lease" ? lease : gateway));
        },
      },
    },
  };
  const loaders = {};
  const ctx = { services, partner: partnerId === null ? null : { id: partnerId }, digilocker: gateway, loaders } as unknown as Context;
  const original: Execute = () => Promise.resolve({ data: { ok: true } });
  let executeFn = original;
  const hook = useTenantLease().onExecute as unknown as (payload: object) => Promise<void> | undefined;
  const returned = hook({
    args: { contextValue: ctx },
    executeFn,
    setExecuteFn: (fn: Execute) => {
      executeFn = fn;
    },
    setResultAndStopExecution: () => {
      throw new Error("not expected");
    },
  });
  const synchronous = returned === undefined;
  await returned;
  return { ctx, loaders, lease, released, asked, synchronous, original, executeFn: () => executeFn };
}

describe("useTenantLease", () => {
  it("leaves a request without a key alone, without a promise", async () => {
    const done = await execute(null, () => Promise.resolve("lease"));
    expect(done.synchronous).toBe(true);
    expect(done.asked).toEqual([]);
    expect(done.ctx.digilocker).toBe(gateway);
    expect(done.ctx.loaders).toBe(done.loaders);
    expect(done.executeFn()).toBe(done.original);
  });

  it("keeps the gateway's for a partner without credentials, with nothing to release", async () => {
    const done = await execute("ptn_bank", () => Promise.resolve("gateway"));
    expect(done.asked).toEqual(["ptn_bank"]);
    expect(done.ctx.digilocker).toBe(gateway);
    expect(done.ctx.loaders).toBe(done.loaders);
    expect(done.executeFn()).toBe(done.original);
  });

  it("puts the partner's lease on the context and new loaders, and releases it once the execution resolves", async () => {
    const done = await execute("ptn_acme", () => Promise.resolve("lease"));
    expect(done.ctx.digilocker).toBe(done.lease);
    expect(done.ctx.loaders).not.toBe(done.loaders);
    const running = done.executeFn()({ contextValue: done.ctx } as unknown as ExecutionArgs);
    expect(done.released).toEqual([]);
    expect(await running).toEqual({ data: { ok: true } });
    expect(done.released).toEqual(["released"]);
  });

  it.each([
    ["rejects", (): Promise<ExecutionResult> => Promise.reject(new Error("execution failed"))],
    ["throws", (): ExecutionResult => {
      throw new Error("execution failed");
    }],
    ["answers at once", (): ExecutionResult => ({ data: null })],
  ])("releases the lease when the execution %s", async (_how, inner) => {
    const released: string[] = [];
    const lease = { client: {}, meta: {}, catalog: {}, identity: { partnerId: "ptn_acme", clientId: "SANDBOX2" }, release: () => released.push("released") };
    const ctx = { services: { tenants: { clients: { gateway, knownWithoutCredentials: () => false, clientFor: () => Promise.resolve(lease) } } }, partner: { id: "ptn_acme" }, digilocker: gateway, loaders: {} };
    let executeFn: Execute = inner;
    const hook = useTenantLease().onExecute as unknown as (payload: object) => Promise<void>;
    await hook({ args: { contextValue: ctx }, executeFn, setExecuteFn: (fn: Execute) => { executeFn = fn; } });
    try {
      await executeFn({ contextValue: ctx } as unknown as ExecutionArgs);
    } catch (error) {
      expect((error as Error).message).toBe("execution failed");
    }
    expect(released).toEqual(["released"]);
  });

  it("gives a partner whose secret does not open a DigiLocker that fails each use with that error, never the gateway's", async () => {
    const unreadable = new SealedSecretUnreadable("ptn_acme", "k1", "unknown-key");
    const done = await execute("ptn_acme", () => Promise.reject(unreadable));
    // (Compared by identity: a matcher would read its members, which throw.)
    expect(done.ctx.digilocker === gateway).toBe(false);
    expect(() => done.ctx.digilocker.client).toThrow(unreadable);
    expect(() => done.ctx.digilocker.meta).toThrow(unreadable);
    expect(() => done.ctx.digilocker.catalog).toThrow(unreadable);
    expect(() => done.ctx.digilocker.identity).toThrow(unreadable);
    expect(done.executeFn()).toBe(done.original);
  });
});
