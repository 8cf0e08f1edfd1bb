// Best-effort revocation of a token pair, and failures described for logs without anything secret.
import { DigiLockerApiError, type DigiLockerClient } from "../digilocker/index.js";

export interface WarnLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

/** A failure as a log line may carry it: class and DigiLocker code, never a message that could quote a token. */
export function describeFailure(failure: unknown): Record<string, unknown> {
  if (failure instanceof DigiLockerApiError) return { problem: failure.name, status: failure.status, upstreamCode: failure.code };
  if (failure instanceof Error) return { problem: failure.name, reason: "reason" in failure ? failure.reason : undefined };
  return { problem: "unknown" };
}

/**
 * Revokes the refresh token first (spec: it revokes the grant), then the access token. A refusal or an outage is
 * logged, not thrown: the callers (sign-out, tokens the gateway will not use) end their side regardless.
 */
export async function revokeTokens(
  client: DigiLockerClient,
  log: WarnLog,
  tokens: { accessToken: string; refreshToken: string | null },
): Promise<void> {
  for (const [token, hint] of [[tokens.refreshToken, "refresh_token"], [tokens.accessToken, "access_token"]] as const) {
    if (token === null) continue;
    try {
      await client.oauth.revoke(token, hint);
    } catch (failure) {
      log.warn({ hint, ...describeFailure(failure) }, "DigiLocker did not confirm a revocation");
    }
  }
}
