import type { EndpointId } from "./endpoints.js";
import { DigiLockerInputError } from "./errors.js";

/** Headers and redaction list for a call made with the user's access token. */
export function bearer(
  endpoint: EndpointId,
  accessToken: string,
  extraHeaders: Record<string, string> = {},
): { build: () => { headers: Record<string, string> }; secrets: string[] } {
  const token = accessToken.trim();
  if (token === "" || /\s/.test(token)) {
    throw new DigiLockerInputError(endpoint, [{ path: "accessToken", message: "a DigiLocker access token is required" }]);
  }
  const headers = { ...extraHeaders, authorization: `Bearer ${token}` };
  return { build: () => ({ headers }), secrets: [token] };
}
