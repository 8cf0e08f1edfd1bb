// The live check of a partner's DigiLocker credentials: one signed meta call (Get List of Issuers: clientid, ts and
// hmac = SHA-256 of secret + clientid + ts, spec 1098-1100) made with a client built from them, and what its answer
// says about them. DigiLocker tells the two apart (spec 1168-1169): an unknown client id is 401 `invalid_client_id`;
// a hash made with the wrong secret is 400 `invalid_parameter` whose description "will contain" the text "HMAC
// parameter is missing or invalid". The hash covers our own `ts`, so the right secret matches whatever the clock
// says: the HMAC text means the secret, and a Timestamp text alone means our clock, which is the operator's problem.
import {
  DigiLockerApiError,
  DigiLockerConnectionError,
  DigiLockerTimeoutError,
  UpstreamServerError,
  type DigiLockerClient,
} from "../digilocker/index.js";

export type CredentialsCheck =
  | { ok: true }
  /** DigiLocker knows no client with this id. */
  | { ok: false; failed: "client_id" }
  /** The client id is known; the hash made with this secret is not accepted. */
  | { ok: false; failed: "client_secret" }
  /** DigiLocker did not answer, or answered that it failed: nothing is known about the credentials. */
  | { ok: false; failed: "unreachable" };

const HMAC_TEXT = "hmac parameter is missing or invalid";

/**
 * Asks DigiLocker once, without retries (a refusal is an answer, and a partner waits for it). Anything that says
 * nothing about the credentials (our clock refused, an answer outside the spec) is thrown on, to be reported as ours.
 */
export async function checkCredentials(client: DigiLockerClient, options: { timeoutMs?: number } = {}): Promise<CredentialsCheck> {
  try {
    await client.meta.issuers({ maxRetries: 0, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) });
    return { ok: true };
  } catch (error) {
    const failed = whatFailed(error);
    if (failed === null) throw error;
    return { ok: false, failed };
  }
}

function whatFailed(error: unknown): "client_id" | "client_secret" | "unreachable" | null {
  if (error instanceof DigiLockerConnectionError || error instanceof DigiLockerTimeoutError || error instanceof UpstreamServerError) {
    return "unreachable";
  }
  if (!(error instanceof DigiLockerApiError)) return null;
  if (error.status === 429) return "unreachable";
  if (error.code === "invalid_client_id") return "client_id";
  if (error.code === "invalid_parameter" && error.description?.toLowerCase().includes(HMAC_TEXT) === true) return "client_secret";
  return null;
}
