// The gateway's browser cookies: each holds one opaque 256-bit random value, HttpOnly and SameSite=Lax (sent on
// top-level navigations, such as DigiLocker's redirect back, never on cross-site subrequests). On https the name
// has the __Host- prefix (Secure, Path=/, no Domain: no subdomain can set or shadow it); on plain-http loopback it
// cannot be Secure. Two of them: the session (`dlg_session`) and the sign-in binding (`dlg_signin`, sign-in.ts).
// Named apart from the sandbox's `dl_sandbox_session`: cookies ignore ports, so on localhost both share one jar.
import { randomBytes } from "node:crypto";

export class OpaqueCookie {
  readonly name: string;
  readonly #secure: boolean;

  constructor(baseName: string, secure: boolean) {
    this.#secure = secure;
    this.name = secure ? `__Host-${baseName}` : baseName;
  }

  /** A fresh value: 32 random bytes, base64url. */
  static value(): string {
    return randomBytes(32).toString("base64url");
  }

  /** The value from a Cookie header; null when absent or not shaped like one of ours. */
  read(header: string | null): string | null {
    if (header === null) return null;
    for (const part of header.split(";")) {
      const eq = part.indexOf("=");
      if (eq === -1 || part.slice(0, eq).trim() !== this.name) continue;
      const value = part.slice(eq + 1).trim();
      // 32 random bytes, base64url: anything else is not ours and costs no store read.
      return /^[A-Za-z0-9_-]{43}$/.test(value) ? value : null;
    }
    return null;
  }

  set(value: string, maxAgeSeconds: number): string {
    return this.#serialize(value, Math.max(0, Math.floor(maxAgeSeconds)));
  }

  clear(): string {
    return this.#serialize("", 0);
  }

  #serialize(value: string, maxAge: number): string {
    return `${this.name}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${this.#secure ? "; Secure" : ""}`;
  }
}
