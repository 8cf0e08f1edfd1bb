// Checks of what an operator types for a partner, each refusal an InvalidPartnerInput saying what to fix.
import { InvalidPartnerInput } from "./errors.js";
import { isPartnerScope, partnerScopeNames, type PartnerScope } from "./scopes.js";

const MAX_NAME_CHARS = 100;
/** The largest budget a partner may be given per window; 0 is unlimited. */
export const MAX_LIMIT = 1_000_000_000;
const MAX_LABEL_CHARS = 100;
const MAX_ORIGINS = 50;
/** Longer than any real origin; bounds the work and the message on nonsense input. */
const MAX_ORIGIN_CHARS = 300;
/** Control characters would garble the CLI's table and log lines. */
const CONTROL = /\p{Cc}/u;

export function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_NAME_CHARS) {
    throw new InvalidPartnerInput("name", `a partner's name must be 1 to ${MAX_NAME_CHARS} characters (not counting spaces around it)`);
  }
  if (CONTROL.test(trimmed)) throw new InvalidPartnerInput("name", "a partner's name must not contain control characters (tabs, line breaks)");
  return trimmed;
}

/** Null for no label (absent or blank). */
export function checkLabel(label: string | null | undefined): string | null {
  const trimmed = label?.trim() ?? "";
  if (trimmed === "") return null;
  if (trimmed.length > MAX_LABEL_CHARS) throw new InvalidPartnerInput("label", `a key's label must be at most ${MAX_LABEL_CHARS} characters`);
  if (CONTROL.test(trimmed)) throw new InvalidPartnerInput("label", "a key's label must not contain control characters (tabs, line breaks)");
  return trimmed;
}

/** Known scope names, each once, in the order given. An empty list is allowed: such a partner can call nothing. */
export function checkScopes(scopes: readonly string[]): PartnerScope[] {
  const unknown = scopes.filter((s) => !isPartnerScope(s));
  if (unknown.length > 0) {
    throw new InvalidPartnerInput(
      "scopes",
      `unknown scope ${unknown.map((s) => JSON.stringify(s.slice(0, 60))).join(", ")}: the scopes are ${partnerScopeNames.join(", ")}`,
    );
  }
  return [...new Set(scopes as readonly PartnerScope[])];
}

/**
 * http(s) origins, normalized as browsers spell them (`new URL(o).origin`: lower-case host, default port dropped),
 * each once. Anything more than an origin (a path, a query, a fragment, credentials) is refused rather than cut
 * off: an operator who typed `https://x.in/app` may believe only that path is allowed, and it would not be.
 */
export function checkRedirectOrigins(origins: readonly string[]): string[] {
  if (origins.length > MAX_ORIGINS) throw new InvalidPartnerInput("redirectOrigins", `a partner may have at most ${MAX_ORIGINS} redirect origins`);
  return [...new Set(origins.map(checkOrigin))];
}

function checkOrigin(text: string): string {
  const trimmed = text.trim();
  const shown = JSON.stringify(trimmed.slice(0, 80));
  const refuse = (why: string) => new InvalidPartnerInput("redirectOrigins", `redirect origin ${shown} ${why}`);
  if (trimmed.length > MAX_ORIGIN_CHARS) throw refuse(`is longer than ${MAX_ORIGIN_CHARS} characters: an origin is scheme, host and port only`);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw refuse("is not a URL: write it as https://host or https://host:port");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw refuse("must be http or https, written as https://host");
  if (url.username !== "" || url.password !== "") throw refuse("must not contain a user name or password");
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "" || trimmed.endsWith("?") || trimmed.endsWith("#")) {
    throw refuse(`must be an origin only (scheme, host and port), without a path, query or fragment: use ${url.origin}`);
  }
  return url.origin;
}

/** A budget per window: a whole number from 0 (unlimited) to MAX_LIMIT, or null (the gateway's default). */
export function checkLimit(field: "requests" | "digilockerCalls", limit: number | null): number | null {
  if (limit === null) return null;
  if (!Number.isSafeInteger(limit) || limit < 0 || limit > MAX_LIMIT) {
    throw new InvalidPartnerInput(field, `a partner's ${limitName(field)} limit must be a whole number from 0 (unlimited) to ${MAX_LIMIT}, got ${String(limit).slice(0, 40)}`);
  }
  return limit;
}

/**
 * What an operator typed for a limit (`set-limits --requests …`): a whole number from 0 to MAX_LIMIT, written in
 * digits only; "unlimited" (stored as 0); or "default" (null: the gateway's setting).
 */
export function parseLimit(field: "requests" | "digilockerCalls", text: string): number | null {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === "default") return null;
  if (trimmed === "unlimited") return 0;
  if (!/^\d{1,10}$/.test(trimmed)) {
    throw new InvalidPartnerInput(
      field,
      `${JSON.stringify(text.slice(0, 40))} is not a ${limitName(field)} limit: write a whole number from 0 to ${MAX_LIMIT} (digits only), "unlimited" or "default"`,
    );
  }
  return checkLimit(field, Number(trimmed));
}

function limitName(field: "requests" | "digilockerCalls"): string {
  return field === "requests" ? "requests" : "DigiLocker calls";
}
