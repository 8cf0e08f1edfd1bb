// Server-side sessions: DigiLocker tokens live here, encrypted in the store, never in a browser. A session
// id (an opaque 256-bit secret) is all a cookie or a consent request holds.
import { randomBytes } from "node:crypto";
import type { UserData } from "../cache/user-data.js";
import { SingleFlight } from "../cache/single-flight.js";
import { BadRequestError, InvalidTokenError, type DigiLockerClient, type TokenSet } from "../digilocker/index.js";
import type { Vault } from "../store/index.js";
import type { VerifiedIdentity } from "./id-token.js";
import { sessionRecord, type SessionRecord, type TenantRef } from "./records.js";
import { describeFailure, revokeTokens, type WarnLog } from "./revoke.js";
import { sameTenant, type HeldTenant, type TenantSource } from "./tenant-source.js";

const NAMESPACE = "session";
/** Refresh this long before expiry, so a token never expires between our check and DigiLocker's. */
const REFRESH_AHEAD_MS = 60_000;

export type SessionEndReason = "session_expired" | "refresh_rejected";

/** The session is gone (expired, signed out, revoked, or its refresh refused): the user must sign in again. */
export class SessionEndedError extends Error {
  override name = "SessionEndedError";
  constructor(readonly reason: SessionEndReason) {
    super(
      reason === "refresh_rejected"
        ? "DigiLocker refused to renew this session: sign in again"
        : "This DigiLocker session has ended: sign in again",
    );
  }
}

export interface SessionsDeps {
  vault: Vault;
  /** The clients sessions' tokens were issued to (docs/tenants.md): the gateway's, or a consent request's partner's. */
  tenants: TenantSource;
  userData: UserData;
  /** Epoch milliseconds. */
  now: () => number;
  /** Longest a refreshable session lives. */
  maxAgeMs: number;
  log: WarnLog;
}

export interface NewSession {
  id: string;
  record: SessionRecord;
}

export class Sessions {
  readonly #deps: SessionsDeps;
  /** One refresh per session in this process, however many requests find its token expired. */
  readonly #refreshes = new SingleFlight<string>();

  constructor(deps: SessionsDeps) {
    this.#deps = deps;
  }

  /** `tenant`: whose client issued the tokens (null: the gateway's); it refreshes and revokes them. */
  async create(tokens: TokenSet, identity: VerifiedIdentity | null, consentRequestId: string | null, tenant: TenantRef | null): Promise<NewSession> {
    const now = this.#deps.now();
    const id = randomBytes(32).toString("base64url");
    const consentValidTill = tokens.consentValidTill === null ? null : Date.parse(tokens.consentValidTill);
    const accessExpiresAt = now + tokens.expiresIn * 1000;
    const record: SessionRecord = {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      accessExpiresAt,
      endsAt: this.#endOf(now, accessExpiresAt, tokens.refreshToken !== null, consentValidTill),
      consentValidTill,
      scopes: tokens.scopes,
      identity,
      account: tokens.account,
      createdAt: now,
      refreshedAt: null,
      consentRequestId,
      tenant,
    };
    await this.#save(id, record);
    // v1 tokens carry the account: Get User Details need not be called for it (spec: "only once").
    if (tokens.account !== null) this.#deps.userData.prime(tokens.accessToken, tokens.account);
    return { id, record };
  }

  /**
   * The live session, or null when there is none or it has ended. A partner's session whose partner has since set
   * another client id ends here: its tokens belong to a client the gateway no longer holds, which can neither refresh
   * nor revoke them, and DigiLocker would sign its files with that client's secret. Rejects when the partner's stored
   * secret cannot be opened (SealedSecretUnreadable).
   */
  async get(id: string, log: WarnLog = this.#deps.log): Promise<SessionRecord | null> {
    const record = await this.#deps.vault.get(NAMESPACE, id, sessionRecord);
    if (record === null || record.endsAt <= this.#deps.now()) return null;
    if (record.tenant !== null) {
      const held = await this.#deps.tenants.clientFor(record.tenant.partnerId);
      const current = sameTenant(record.tenant, held.identity);
      held.release();
      if (!current) {
        await this.#delete(id, record);
        log.warn({ partner: record.tenant.partnerId }, "a session ended: its partner's DigiLocker client id changed after the user consented");
        return null;
      }
    }
    return record;
  }

  /**
   * A usable access token, refreshed first when it is about to expire; SessionEndedError when there is none.
   * `known` is the record the caller already read for this request (saves a store read).
   */
  async accessToken(id: string, known?: SessionRecord | null, log: WarnLog = this.#deps.log): Promise<string> {
    const record = known === undefined ? await this.get(id, log) : known;
    if (record === null) throw new SessionEndedError("session_expired");
    if (this.#deps.now() < record.accessExpiresAt - REFRESH_AHEAD_MS) return record.accessToken;
    if (record.refreshToken === null) {
      if (this.#deps.now() < record.accessExpiresAt) return record.accessToken;
      await this.#delete(id, record);
      throw new SessionEndedError("session_expired");
    }
    return this.#refreshes.run(id, () => this.#refresh(id, record, log));
  }

  /**
   * Ends a session: revokes its tokens at DigiLocker (the refresh token first, which revokes the grant), forgets
   * what was cached for them, and deletes it. False when there was no session. A failed revocation is logged and
   * the session deleted anyway: the user asked to be signed out.
   */
  async end(id: string, log: WarnLog = this.#deps.log): Promise<boolean> {
    const record = await this.#deps.vault.get(NAMESPACE, id, sessionRecord);
    if (record === null) return false;
    await this.#delete(id, record);
    await this.#withClient(record.tenant, (client) => revokeTokens(client, log, record), log);
    return true;
  }

  /**
   * Ends a session whose access token DigiLocker refused (`invalid_token`: revoked there, or expired early): deletes
   * it and forgets what was cached for it, without revoking that token again. Its refresh token, if it has one, is
   * revoked (best effort, logged), so no grant outlives the session. Nothing happens when the session has moved on
   * to another token meanwhile (a refresh elsewhere rotated the refused one away), or is gone; nor, beyond a log
   * line, when the store fails: the refused access is dead for its request either way. True when it ended it.
   */
  async endRefused(id: string, accessToken: string, log: WarnLog = this.#deps.log): Promise<boolean> {
    let record: SessionRecord | null;
    try {
      record = await this.#deps.vault.get(NAMESPACE, id, sessionRecord);
      if (record === null || record.accessToken !== accessToken) return false;
      await this.#delete(id, record);
    } catch (failure) {
      log.warn(describeFailure(failure), "could not end a session whose token DigiLocker refused");
      return false;
    }
    const { refreshToken } = record;
    if (refreshToken !== null) {
      await this.#withClient(record.tenant, async (client) => {
        try {
          await client.oauth.revoke(refreshToken, "refresh_token");
        } catch (failure) {
          log.warn({ hint: "refresh_token", ...describeFailure(failure) }, "DigiLocker did not confirm a revocation");
        }
      }, log);
    }
    return true;
  }

  /**
   * Runs a revocation with the client `tenant`'s tokens were issued to. Best effort, as every revocation here: when
   * that client cannot be had (the partner's client id changed, or its secret does not open) it is logged and skipped.
   */
  async #withClient(tenant: TenantRef | null, use: (client: DigiLockerClient) => Promise<void>, log: WarnLog): Promise<void> {
    let held: HeldTenant;
    try {
      held = await this.#deps.tenants.clientFor(tenant?.partnerId ?? null);
    } catch (failure) {
      log.warn({ partner: tenant?.partnerId, ...describeFailure(failure) }, "could not revoke a session's tokens: its partner's DigiLocker client is unavailable");
      return;
    }
    try {
      if (!sameTenant(tenant, held.identity)) {
        log.warn({ partner: tenant?.partnerId }, "could not revoke a session's tokens: its partner's DigiLocker client id has changed");
        return;
      }
      await use(held.client);
    } finally {
      held.release();
    }
  }

  async #refresh(id: string, seen: SessionRecord, log: WarnLog): Promise<string> {
    const held = await this.#deps.tenants.clientFor(seen.tenant?.partnerId ?? null);
    try {
      // The partner's client id changed since get() read the session: that client's refresh token cannot be used.
      if (!sameTenant(seen.tenant, held.identity)) {
        await this.#delete(id, seen);
        throw new SessionEndedError("session_expired");
      }
      return await this.#refreshWith(held.client, id, seen, log);
    } finally {
      held.release();
    }
  }

  async #refreshWith(client: DigiLockerClient, id: string, seen: SessionRecord, log: WarnLog): Promise<string> {
    const { now } = this.#deps;
    // A request that read the session just before another's refresh was stored would otherwise spend the
    // rotated-away refresh token; a server that detects reuse (RFC 9700 4.14.2) would revoke the grant.
    const record = await this.get(id, log);
    if (record === null) throw new SessionEndedError("session_expired");
    if (record.refreshToken !== seen.refreshToken) return record.accessToken;
    const used = record.refreshToken ?? "";
    let tokens: TokenSet;
    try {
      tokens = await client.oauth.refresh(used);
    } catch (error) {
      if (!(error instanceof BadRequestError || error instanceof InvalidTokenError)) {
        // DigiLocker unreachable: a token that has not yet expired still works.
        if (now() < record.accessExpiresAt) return record.accessToken;
        throw error;
      }
      // Another instance may have rotated the pair first: its refresh token replaced ours in the store.
      const current = await this.get(id, log);
      if (current !== null && current.refreshToken !== used) return current.accessToken;
      await this.#delete(id, record);
      throw new SessionEndedError("refresh_rejected");
    }
    const at = now();
    const accessExpiresAt = at + tokens.expiresIn * 1000;
    const consentValidTill = tokens.consentValidTill === null ? record.consentValidTill : Date.parse(tokens.consentValidTill);
    const next: SessionRecord = {
      ...record,
      accessToken: tokens.accessToken,
      // The pair is stored as one record: a reader sees the old pair or the new one, never half of each.
      refreshToken: tokens.refreshToken ?? record.refreshToken,
      accessExpiresAt,
      endsAt: Math.min(record.endsAt, consentValidTill ?? Number.POSITIVE_INFINITY),
      consentValidTill,
      scopes: tokens.scopes.length > 0 ? tokens.scopes : record.scopes,
      account: tokens.account ?? record.account,
      refreshedAt: at,
    };
    await this.#save(id, next);
    this.#deps.userData.forget(record.accessToken);
    if (next.account !== null) this.#deps.userData.prime(next.accessToken, next.account);
    return next.accessToken;
  }

  #endOf(now: number, accessExpiresAt: number, refreshable: boolean, consentValidTill: number | null): number {
    const end = refreshable ? now + this.#deps.maxAgeMs : accessExpiresAt;
    return Math.min(end, consentValidTill ?? Number.POSITIVE_INFINITY);
  }

  async #save(id: string, record: SessionRecord): Promise<void> {
    await this.#deps.vault.set(NAMESPACE, id, record, Math.max(1, record.endsAt - this.#deps.now()));
  }

  async #delete(id: string, record: SessionRecord): Promise<void> {
    await this.#deps.vault.delete(NAMESPACE, id);
    this.#deps.userData.forget(record.accessToken);
  }
}
