// DownloadLinks: what a link's URL holds (nothing but an id, an expiry and a MAC), what the store holds (nothing
// in clear), and which links open: only one we signed, unaltered, before its expiry, while its record lives.
import { describe, expect, it, vi } from "vitest";
import { DownloadLinks, isRefusal, type LinkRequest } from "../../../src/files/download-links.js";
import { MemoryStore, Vault } from "../../../src/store/index.js";

const SECRET = "a-session-secret-of-at-least-32-chars!";
const TOKEN = "bearer-token-1f2e3d4c5b6a";
const URI = "in.gov.cbse-HSCER-201412345678";
const START = Date.UTC(2026, 0, 15, 10, 0, 0);

const request: LinkRequest = {
  binding: { kind: "bearer", token: TOKEN },
  uri: URI,
  format: "FILE",
  disposition: "ATTACHMENT",
  fileName: "marksheet.pdf",
  mimeType: "application/pdf",
};

function setup(options: { maxEntries?: number; secret?: string } = {}) {
  let now = START;
  // Both clocks in step, as the gateway's are: the store expires what the links say has expired.
  const store = new MemoryStore({ partitions: { download: { maxEntries: options.maxEntries ?? 100, whenFull: "evict" } }, clock: { now: () => now - START + 1 } });
  const written: string[] = [];
  const set = store.set.bind(store);
  vi.spyOn(store, "set").mockImplementation((key, value, ttl) => {
    written.push(key, value);
    return set(key, value, ttl);
  });
  const reads = vi.spyOn(store, "get");
  const links = new DownloadLinks({ vault: new Vault(store, options.secret ?? SECRET), secret: options.secret ?? SECRET, publicUrl: "https://kyc.example.in/", ttlSeconds: 300, now: () => now });
  return { links, written, reads, advance: (ms: number) => { now += ms; } };
}

const opaqueOf = (url: string) => url.slice("https://kyc.example.in/files/".length);

describe("DownloadLinks", () => {
  it("makes a URL of an id, an expiry and a MAC, and keeps the rest encrypted", async () => {
    const { links, written } = setup();
    const link = await links.create(request);
    expect(link).toEqual({
      url: expect.stringMatching(/^https:\/\/kyc\.example\.in\/files\/[A-Za-z0-9_-]{22}\.1768471500\.[A-Za-z0-9_-]{22}$/) as string,
      expiresAt: "2026-01-15T10:05:00.000Z",
      fileName: "marksheet.pdf",
      mimeType: "application/pdf",
    });
    const [id = ""] = opaqueOf(link.url).split(".");
    expect(written).toHaveLength(2);
    for (const stored of written) for (const secret of [TOKEN, URI, "201412345678", id, "marksheet"]) expect(stored).not.toContain(secret);
    expect(written[0]).toMatch(/^download:/);
  });

  it("opens what it made, until it expires", async () => {
    const { links, advance } = setup();
    const link = await links.create(request);
    // A bearer binding made without a tenant is the gateway's client's (docs/tenants.md).
    expect(await links.open(opaqueOf(link.url))).toEqual({ ...request, binding: { ...request.binding, tenant: null }, expiresAt: Date.parse(link.expiresAt) });
    advance(299_999);
    expect(isRefusal(await links.open(opaqueOf(link.url)))).toBe(false);
    advance(1);
    expect(await links.open(opaqueOf(link.url))).toMatchObject({ status: 410, error: "link_expired" });
  });

  it("refuses every one-character change with 403 link_invalid before reading the store", async () => {
    const { links, reads } = setup();
    const opaque = opaqueOf((await links.create(request)).url);
    reads.mockClear();
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (let at = 0; at < opaque.length; at++) {
      if (opaque[at] === ".") continue;
      // A neighbour in the alphabet: for the MAC's last character, one that decodes to the same 16 bytes.
      const c = opaque[at] ?? "";
      const other = alphabet[(alphabet.indexOf(c) + 1) % alphabet.length] ?? "A";
      const changed = /\d/.test(c) && at > 22 && at < 33 ? String((Number(c) + 1) % 10) : other;
      expect(await links.open(`${opaque.slice(0, at)}${changed}${opaque.slice(at + 1)}`)).toMatchObject({ status: 403, error: "link_invalid" });
    }
    for (const junk of ["", ".", "..", "a".repeat(10_000), `${opaque}.`, opaque.replace(/\.(\d+)\./, ".0$1."), opaque.toUpperCase()]) {
      expect(await links.open(junk)).toMatchObject({ status: 403, error: "link_invalid" });
    }
    expect(reads).not.toHaveBeenCalled();
  });

  it("refuses a link made with another secret", async () => {
    const other = setup({ secret: "another-secret-of-at-least-32-chars!!" });
    const opaque = opaqueOf((await other.links.create(request)).url);
    expect(await setup().links.open(opaque)).toMatchObject({ status: 403, error: "link_invalid" });
  });

  it("answers 410 link_expired for a signed link whose record is gone", async () => {
    const { links } = setup({ maxEntries: 1 });
    const first = await links.create(request);
    await links.create(request);
    expect(await links.open(opaqueOf(first.url))).toMatchObject({ status: 410, error: "link_expired" });
  });

  it("keeps a session binding and its consent request", async () => {
    const { links } = setup();
    const binding = { kind: "session", sessionId: "session-id-9f8e7d", consentRequestId: "5d1f4f0e-8d2e-4c1e-9a59-0d6f2f3c1b7a" } as const;
    const link = await links.create({ ...request, binding, format: "XML", disposition: "INLINE" });
    expect(await links.open(opaqueOf(link.url))).toMatchObject({ binding, format: "XML", disposition: "INLINE" });
  });

  it("keeps the client a bearer token's link streams through (a partner's own, docs/tenants.md)", async () => {
    const { links } = setup();
    const binding = { kind: "bearer", token: TOKEN, tenant: { partnerId: "ptn_acmekycaaaa", clientId: "SANDBOX2" } } as const;
    const link = await links.create({ ...request, binding });
    expect(await links.open(opaqueOf(link.url))).toMatchObject({ binding });
  });

  it("refuses a malformed request without echoing its values, and a short secret", async () => {
    const { links } = setup();
    await expect(links.create({ ...request, uri: " " })).rejects.toThrow(new TypeError("invalid download link request: uri"));
    await expect(links.create({ ...request, binding: { kind: "bearer", token: "" } })).rejects.toThrow(/binding\.token/);
    const vault = new Vault(new MemoryStore({ partitions: { download: { maxEntries: 1, whenFull: "evict" } } }), SECRET);
    expect(() => new DownloadLinks({ vault, secret: "short", publicUrl: "https://x.in", ttlSeconds: 300, now: Date.now })).toThrow(RangeError);
  });
});
