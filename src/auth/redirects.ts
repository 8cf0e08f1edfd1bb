// Where the gateway may send a browser: its own origins and the configured allowlist (ALLOWED_REDIRECT_ORIGINS),
// nothing else (no open redirect), and the callback URL to register with DigiLocker for each of its own origins.
// A partner's consent requests go back to the partner's own registered origins instead (checkForPartner).
import { GraphQLError } from "graphql";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** The redirect URI on the gateway's public origin: DigiLocker sends codes there (auth-routes.ts answers it). */
export function publicCallbackUrl(publicUrl: string): string {
  return `${new URL(publicUrl).origin}/auth/callback`;
}

export class RedirectPolicy {
  /** The public URL's origin: links the gateway hands out (consent requests' urls) are on it. */
  readonly origin: string;
  /** The gateway's own origins: the public one first, and on loopback the localhost and 127.0.0.1 spellings too. */
  readonly ownOrigins: readonly string[];
  readonly #allowed: ReadonlySet<string>;
  readonly #publicUrl: URL;

  constructor(publicUrl: string, allowedOrigins: readonly string[]) {
    this.#publicUrl = new URL(publicUrl);
    this.origin = this.#publicUrl.origin;
    const { protocol, hostname, port } = this.#publicUrl;
    const spellings = LOOPBACK.has(hostname)
      ? ["localhost", "127.0.0.1"].map((host) => `${protocol}//${host}${port === "" ? "" : `:${port}`}`)
      : [];
    this.ownOrigins = [...new Set([this.origin, ...spellings])];
    this.#allowed = new Set([...this.ownOrigins, ...allowedOrigins]);
  }

  /** Whether a browser origin may send the session cookie with credentialed requests (CORS). */
  isAllowedOrigin(origin: string): boolean {
    return this.#allowed.has(origin);
  }

  /** Cookies can be Secure everywhere but plain-http loopback development. */
  get secureCookies(): boolean {
    return this.#publicUrl.protocol === "https:" || !LOOPBACK.has(this.#publicUrl.hostname);
  }

  /** The redirect URI for DigiLocker: on the origin the browser started from when that is ours, so the cookie lands where it is read. */
  callbackUrl(returnTo: URL | null): string {
    if (returnTo === null || !this.ownOrigins.includes(returnTo.origin)) return publicCallbackUrl(this.origin);
    return publicCallbackUrl(returnTo.origin);
  }

  /** Every callback URL the gateway may use (the embedded sandbox registers them all). */
  callbackUrls(): string[] {
    return this.ownOrigins.map((origin) => `${origin}/auth/callback`);
  }

  /**
   * An absolute URL on an allowed origin. A path ("/graphql") is taken as on `base` when that is one of the
   * gateway's own origins (the one the browser is on), else on the public origin.
   */
  check(value: string, field: string, base?: string): URL {
    const trimmed = value.trim();
    let url: URL;
    try {
      // "//evil.example" is a path to URL() but a host to a browser: refused as not absolute.
      const origin = base !== undefined && this.ownOrigins.includes(base) ? base : this.origin;
      url = trimmed.startsWith("/") && !trimmed.startsWith("//") ? new URL(trimmed, origin) : new URL(trimmed);
    } catch {
      throw badRedirect(field, `${field} must be an absolute http(s) URL or a path on this gateway such as /graphql`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw badRedirect(field, `${field} must be an http(s) URL`);
    }
    if (url.username !== "" || url.password !== "") throw badRedirect(field, `${field} must not carry credentials`);
    if (!this.#allowed.has(url.origin)) {
      throw badRedirect(
        field,
        `${field} points at ${url.origin}, which is not an allowed origin; add it to ALLOWED_REDIRECT_ORIGINS (allowed now: ${[...this.#allowed].join(", ")})`,
      );
    }
    return url;
  }

  /**
   * A partner's consent request's redirect URL: absolute, http(s), without credentials, and on exactly one of the
   * origins registered for the partner (`npm run partner -- set-origins`); neither the gateway's own origins nor
   * ALLOWED_REDIRECT_ORIGINS count. The message names only the partner's own origins.
   */
  checkForPartner(value: string, field: string, partner: { id: string; redirectOrigins: readonly string[] }): URL {
    const setOrigins = `npm run partner -- set-origins ${partner.id} https://your-app.example`;
    if (partner.redirectOrigins.length === 0) {
      throw badRedirect(
        field,
        `this partner has no redirect origins registered, so its consent requests cannot send users anywhere: ask the gateway's operator to run \`${setOrigins}\``,
        "no_redirect_origins",
      );
    }
    let url: URL;
    try {
      url = new URL(value.trim());
    } catch {
      throw badRedirect(field, `${field} must be an absolute http(s) URL on one of this partner's redirect origins`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw badRedirect(field, `${field} must be an http(s) URL`);
    if (url.username !== "" || url.password !== "") throw badRedirect(field, `${field} must not carry credentials`);
    if (!partner.redirectOrigins.includes(url.origin)) {
      throw badRedirect(
        field,
        `${field} points at ${url.origin}, which is not one of this partner's redirect origins (${partner.redirectOrigins.join(", ")}); ` +
          `ask the gateway's operator to add it: \`npm run partner -- set-origins ${partner.id} <all its origins, comma-separated>\` (the list is replaced)`,
      );
    }
    return url;
  }

  /** Where DigiLocker's logout lands when no post-logout URL is configured. */
  signedOutPage(): string {
    return `${this.origin}/auth/signed-out`;
  }
}

function badRedirect(field: string, message: string, reason: "redirect_not_allowed" | "no_redirect_origins" = "redirect_not_allowed"): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", reason, field } });
}
