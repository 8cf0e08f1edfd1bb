// A gateway on a free port with its embedded sandbox (also on a free port), and helpers to query it over
// real HTTP as a frontend would.
import { performance } from "node:perf_hooks";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print, type DocumentNode } from "graphql";
import { loadConfig } from "../../src/config.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { startGateway, type Gateway } from "../../src/server/gateway.js";

export const AJIT = "123e4567-e89b-12d3-a456-426655440000";
export const PRIYA = "6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f";
export const RAHUL = "0b7e3d52-1c4a-4f6e-8d2b-7a9c5e1f3b20";
export const ASHA = "c3d4e5f6-a7b8-4c9d-8e0f-112233445566";
export const ALL_USER_SCOPES = ["userdetails", "files.issueddocs", "files.uploadeddocs"];

/** A clock the caches read; tests move it to make entries stale. */
export class ManualClock {
  #offset = 0;
  now(): number {
    return performance.now() + this.#offset;
  }
  /** Wall-clock time moved by the same offset: what sessions and sign-in read. */
  epoch(): number {
    return Date.now() + this.#offset;
  }
  advance(ms: number): void {
    this.#offset += ms;
  }
}

export interface GraphQLResult<T> {
  status: number;
  /** The response's headers (not enumerable, so toEqual on a result ignores them). */
  headers: Headers;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestGateway {
  gateway: Gateway;
  sandbox: Sandbox;
  clock: ManualClock;
  /** A fresh token for a seeded user (all read scopes unless given). */
  token(userId?: string, scopes?: string[]): string;
  query<TResult, TVars extends Record<string, unknown> = Record<string, unknown>>(
    document: TypedDocumentNode<TResult, TVars> | DocumentNode | string,
    options?: { variables?: TVars; token?: string | null; cookie?: string | null; headers?: Record<string, string> },
  ): Promise<GraphQLResult<TResult>>;
  close(): Promise<void>;
}

/** `env` adds to the test defaults: ports 0, silent logs, no DigiLocker credentials (the sandbox). */
export async function startTestGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  const clock = new ManualClock();
  const config = loadConfig({ DATA_DIR: "memory", PORT: "0", SANDBOX_PORT: "0", LOG_LEVEL: "silent", DIGILOCKER_MAX_RETRIES: "0", ...env });
  // One clock for the gateway and its sandbox: moving it expires sessions, codes and tokens alike.
  const now = () => clock.epoch();
  const gateway = await startGateway(config, { clock, now, sandbox: { now } });
  const { sandbox } = gateway;
  if (!sandbox) throw new Error("the test gateway expects the embedded sandbox");
  return {
    gateway,
    sandbox,
    clock,
    token: (userId = AJIT, scopes = ALL_USER_SCOPES) => sandbox.issueToken({ userId, scopes }).accessToken,
    async query(document, options = {}) {
      const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      if (options.cookie) headers.cookie = options.cookie;
      Object.assign(headers, options.headers);
      const res = await fetch(`${gateway.url}/graphql`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          query: typeof document === "string" ? document : print(document),
          variables: options.variables ?? {},
        }),
      });
      const body = (await res.json()) as Omit<GraphQLResult<never>, "status" | "headers">;
      // Not enumerable: tests compare whole results with toEqual, and the headers are there to be asked for.
      return Object.defineProperty({ status: res.status, ...body }, "headers", { value: res.headers, enumerable: false }) as GraphQLResult<never>;
    },
    close: () => gateway.close(),
  };
}
