// Account Detail API (spec: Get User Details). The spec asks callers to fetch this once per token.
import { endpoints } from "./endpoints.js";
import type { CallOptions } from "./settings.js";
import { accountFields, toAccount, type Account } from "./tokens.js";
import type { Transport } from "./transport.js";
import { bearer } from "./bearer.js";

const userResponse = accountFields.transform(toAccount);

export class AccountApi {
  constructor(private readonly transport: Transport) {}

  /** Async so that a bad token rejects the returned promise rather than throwing synchronously. */
  async user(accessToken: string, options?: CallOptions): Promise<Account> {
    return this.transport.json(
      { endpoint: "account.user", path: endpoints["account.user"].path, ...bearer("account.user", accessToken) },
      userResponse,
      options,
    );
  }
}

export type { Account };
