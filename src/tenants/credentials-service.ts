// updateDigiLockerCredentials: a partner sets its own DigiLocker client credentials (docs/tenants.md). In order: the
// input's form, whether this gateway can store a secret at all, one live meta call with a throwaway client built from
// the credentials, and only when DigiLocker accepts them, the store (version + 1). Any refusal leaves what was stored
// as it was. The secret appears in no answer, no log line and no error message.
import type { CredentialsCheck } from "./credentials-check.js";
import { checkCredentials } from "./credentials-check.js";
import { checkCredentialsInput, InvalidCredentialsInput, type CredentialsInput } from "./credentials-input.js";
import type { TenantClientFactory } from "./client-factory.js";
import type { StoredCredentials, TenantCredentials } from "./tenant-credentials.js";

/** Why nothing was stored. */
export type CredentialsRefusal =
  /** CREDENTIALS_ENCRYPTION_KEYS is not set: DigiLocker was not asked. */
  | "storage_not_configured"
  | "client_id_unknown"
  | "client_secret_rejected"
  | "digilocker_unreachable";

export type CredentialsUpdate = { ok: true; credentials: StoredCredentials } | { ok: false; reason: CredentialsRefusal };

export interface CredentialsLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface TenantCredentialsServiceDeps {
  credentials: TenantCredentials;
  /** Builds the throwaway client of the check (client-factory.ts: the gateway's settings, the partner's credentials). */
  createClient: TenantClientFactory;
  now: () => Date;
  log: CredentialsLog;
  /** Ceiling on the check's one call (default 10 s): a partner is waiting for the answer. */
  checkTimeoutMs?: number;
  /**
   * This gateway's callback (`${PUBLIC_URL origin}/auth/callback`): the only redirect URI a partner may register, since
   * the code comes back there and the browser's sign-in binding cookie is on that origin. Unset: any (tests).
   */
  callbackUrl?: string;
}

const refusals: Record<Exclude<CredentialsCheck, { ok: true }>["failed"], CredentialsRefusal> = {
  client_id: "client_id_unknown",
  client_secret: "client_secret_rejected",
  unreachable: "digilocker_unreachable",
};

export class TenantCredentialsService {
  readonly #deps: TenantCredentialsServiceDeps;

  constructor(deps: TenantCredentialsServiceDeps) {
    this.#deps = deps;
  }

  /** The partner's credentials without the secret; null when it uses the gateway's. */
  get(partnerId: string): Promise<StoredCredentials | null> {
    return this.#deps.credentials.get(partnerId);
  }

  /**
   * Throws InvalidCredentialsInput for a malformed input or a redirect URI other than this gateway's callback,
   * PartnerNotFound for an unknown partner.
   */
  async updateDigiLockerCredentials(partnerId: string, input: CredentialsInput): Promise<CredentialsUpdate> {
    const checked = checkCredentialsInput(input);
    const { callbackUrl } = this.#deps;
    if (callbackUrl !== undefined && checked.redirectUri !== callbackUrl) {
      // The gateway's own URL, not what was sent: the message may quote it.
      throw new InvalidCredentialsInput([
        {
          field: "redirectUri",
          message: `must be this gateway's callback, ${callbackUrl}: register exactly that redirect URI for this client on DigiLocker's Partners Portal`,
        },
      ]);
    }
    const { credentials, log } = this.#deps;
    // The client id goes into log lines only once DigiLocker has accepted it as one: until then it may be the secret,
    // pasted into the wrong field.
    const fields = { partner: partnerId };
    if (!credentials.canStore) {
      log.warn(fields, "DigiLocker credentials not stored: CREDENTIALS_ENCRYPTION_KEYS is not set");
      return { ok: false, reason: "storage_not_configured" };
    }
    // One connection, no retries: it makes one call and is closed after it.
    const client = this.#deps.createClient(checked, { retry: { maxRetries: 0 }, pool: { connections: 1 } });
    let check: CredentialsCheck;
    try {
      check = await checkCredentials(client, { timeoutMs: this.#deps.checkTimeoutMs ?? 10_000 });
    } catch (error) {
      // What says nothing of the credentials (our clock refused, an answer outside the spec) is ours: named, not echoed.
      log.warn({ ...fields, error: error instanceof Error ? error.name : "unknown" }, "DigiLocker credentials could not be checked");
      throw error;
    } finally {
      await client.close();
    }
    if (!check.ok) {
      const reason = refusals[check.failed];
      // DigiLocker failing is the operator's to watch; a partner's wrong credentials are routine.
      if (reason === "digilocker_unreachable") log.warn({ ...fields, reason }, "DigiLocker credentials not stored");
      else log.info({ ...fields, reason }, "DigiLocker credentials not stored");
      return { ok: false, reason };
    }
    const stored = await credentials.put(partnerId, checked, this.#deps.now());
    log.info({ ...fields, clientId: stored.clientId, version: stored.version, keyId: stored.keyId }, "DigiLocker credentials stored");
    return { ok: true, credentials: stored };
  }
}
