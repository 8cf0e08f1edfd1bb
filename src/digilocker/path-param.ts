import type { EndpointId } from "./endpoints.js";
import { DigiLockerInputError } from "./errors.js";

/**
 * Encodes one path segment taken from a user (a folder id, a document URI). Dot segments and empty
 * values are refused: they would change which route the request reaches.
 */
export function pathParam(endpoint: EndpointId, name: string, value: string): string {
  const v = value.trim();
  if (v === "" || v === "." || v === "..") {
    throw new DigiLockerInputError(endpoint, [{ path: name, message: `${name} must be a non-empty identifier` }]);
  }
  return encodeURIComponent(v);
}
