// The partner's own DigiLocker client for the operation (docs/tenants.md). Once the partner's key is accepted
// (api-keys.ts) and the rate limits have let the operation run, the partner's tenant (its client, meta cache and
// catalogue memo) is leased and put on the context; the lease is released when the execution is done, however it
// ends (an answer, a thrown error, the execution deadline), so a client replaced meanwhile closes once its last
// operation is over. Requests without a key, and partners without credentials, keep the gateway's, which costs
// nothing here: no lease, no promise. A partner whose stored secret does not open gets a tenant that fails each use
// with that error, never the gateway's client in its place; what needs no DigiLocker (setting its credentials again,
// reading a consent request's status) still works.
import type { ExecutionArgs, ExecutionResult } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { Context, DigiLocker } from "../graphql/context.js";
import { createLoaders } from "../graphql/loaders.js";

type Execute = (args: ExecutionArgs) => ExecutionResult | Promise<ExecutionResult>;

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

/** A tenant that cannot be had: every use throws why (SealedSecretUnreadable, errors.ts words it for the caller). */
function unavailable(error: unknown): DigiLocker {
  const fail = (): never => {
    throw error;
  };
  return {
    get client() {
      return fail();
    },
    get meta() {
      return fail();
    },
    get catalog() {
      return fail();
    },
    get identity() {
      return fail();
    },
  };
}

/** The plugin: after useExecutionBounds in app.ts, whose deadline it wraps (the lease is released when the answer is). */
export function useTenantLease(): Plugin {
  /** The lease each operation holds, by its context; only operations of partners with their own credentials are here. */
  const leases = new WeakMap<object, { release(): void }>();
  const release = (context: unknown) => {
    if (typeof context !== "object" || context === null) return;
    leases.get(context)?.release();
    leases.delete(context);
  };
  // One wrapper per execute function the plugins before this one chose, as execution-bounds.ts does.
  const wrappers = new WeakMap<Execute, Execute>();
  const wrap = (execute: Execute): Execute => {
    let wrapper = wrappers.get(execute);
    if (wrapper === undefined) {
      wrapper = (args) => {
        let result: ExecutionResult | Promise<ExecutionResult>;
        try {
          result = execute(args);
        } catch (error) {
          release(args.contextValue);
          throw error;
        }
        if (!isPromise(result)) {
          release(args.contextValue);
          return result;
        }
        return result.finally(() => {
          release(args.contextValue);
        });
      };
      wrappers.set(execute, wrapper);
    }
    return wrapper;
  };

  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const ctx = args.contextValue as unknown as Context;
      if (ctx.partner === null) return;
      // Most partners use the gateway's client: known so for the version interval, decided without a promise.
      if (ctx.services.tenants.clients.knownWithoutCredentials(ctx.partner.id)) return;
      return ctx.services.tenants.clients.clientFor(ctx.partner.id).then(
        (lease) => {
          // No credentials: the gateway's, which the context has already and which needs no release.
          if (lease.identity === null) return;
          serveWith(ctx, lease);
          leases.set(ctx, lease);
          setExecuteFn(wrap(executeFn as Execute));
        },
        (error: unknown) => {
          serveWith(ctx, unavailable(error));
        },
      );
    },
  };
}

/** The operation's DigiLocker: on the context (resolvers) and its loaders, which were made before the partner was known. */
function serveWith(ctx: Context, digilocker: DigiLocker): void {
  ctx.digilocker = digilocker;
  ctx.loaders = createLoaders(ctx.services, digilocker);
}
