// The browser's session cookie: an opaque session id only, HttpOnly and SameSite=Lax. On https its name has the
// __Host- prefix (Secure, Path=/, no Domain: no subdomain can set or shadow it); on plain-http loopback it
// cannot be Secure. Named apart from the sandbox's `dl_sandbox_session`: cookies ignore ports, so on
// localhost both share one jar.
export class SessionCookie {
  readonly name: string;
  readonly #secure: boolean;

  constructor(secure: boolean) {
    this.#secure = secure;
    this.name = secure ? "__Host-dlg_session" : "dlg_session";
  }

  /** The session id from a Cookie header; null when absent or not shaped like one of ours. */
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

  set(sessionId: string, maxAgeSeconds: number): string {
    return this.#serialize(sessionId, Math.max(0, Math.floor(maxAgeSeconds)));
  }

  clear(): string {
    return this.#serialize("", 0);
  }

  #serialize(value: string, maxAge: number): string {
    return `${this.name}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${this.#secure ? "; Secure" : ""}`;
  }
}
