// Vault: typed records sealed with AES-256-GCM under HMAC'd keys. What matters is what a reader or writer
// of the raw store can and cannot do, so most tests look at the MemoryStore underneath.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MemoryStore, type Store, Vault } from "../../../src/store/index.js";

const secret = "a-session-secret-of-at-least-32-chars!";
const record = z.object({ accessToken: z.string(), expiresAt: z.number() });
const value = { accessToken: "access-token-7f3a9c", expiresAt: 1_750_000_000_000 };
const sessionId = "session-id-4be1d0c8a2f5";

/** A MemoryStore with the namespaces these tests use. */
function memoryStore(maxEntries: number) {
  return new MemoryStore({ partitions: { session: { maxEntries, whenFull: "evict" }, state: { maxEntries, whenFull: "evict" } } });
}

/** A MemoryStore that also records every raw write, to look at what the Vault stores. */
function rawStore() {
  const store = memoryStore(100);
  const written: { key: string; value: string }[] = [];
  const recording: Store = {
    get: (key) => store.get(key),
    set: (key, sealed, ttlMs) => {
      written.push({ key, value: sealed });
      return store.set(key, sealed, ttlMs);
    },
    take: (key) => store.take(key),
    delete: (key) => store.delete(key),
    ping: () => store.ping(),
    close: () => store.close(),
  };
  return { store: recording, written, last: () => written.at(-1)! };
}

describe("Vault", () => {
  it("round-trips a record through get, take and delete", async () => {
    const vault = new Vault(memoryStore(10), secret);
    await vault.set("session", sessionId, value, 60_000);
    expect(await vault.get("session", sessionId, record)).toEqual(value);
    expect(await vault.get("session", "another-id", record)).toBeNull();
    expect(await vault.take("session", sessionId, record)).toEqual(value);
    expect(await vault.take("session", sessionId, record)).toBeNull();
    await vault.set("session", sessionId, value, 60_000);
    await vault.delete("session", sessionId);
    expect(await vault.get("session", sessionId, record)).toBeNull();
  });

  it("keeps namespaces apart", async () => {
    const vault = new Vault(memoryStore(10), secret);
    await vault.set("session", sessionId, value, 60_000);
    expect(await vault.get("state", sessionId, record)).toBeNull();
  });

  it("stores neither the id nor the value in clear, in the documented format", async () => {
    const raw = rawStore();
    const vault = new Vault(raw.store, secret);
    await vault.set("session", sessionId, value, 60_000);
    const stored = raw.last();
    expect(stored.key).toMatch(/^session:[A-Za-z0-9_-]{43}$/); // HMAC-SHA256, base64url
    expect(stored.value).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    const sealed = Buffer.from(stored.value.slice(3), "base64url");
    expect(sealed.length).toBe(12 + 16 + JSON.stringify(value).length); // IV, tag, ciphertext
    for (const clear of [sessionId, value.accessToken, "accessToken"]) {
      expect(stored.key).not.toContain(clear);
      expect(stored.value).not.toContain(clear);
      expect(sealed.toString("latin1")).not.toContain(clear);
    }
  });

  it("uses a fresh IV each time: the same record seals differently", async () => {
    const raw = rawStore();
    const vault = new Vault(raw.store, secret);
    for (let i = 0; i < 3; i += 1) await vault.set("session", sessionId, value, 60_000);
    expect(new Set(raw.written.map((write) => write.key)).size).toBe(1);
    expect(new Set(raw.written.map((write) => write.value)).size).toBe(3);
  });

  it("reads a tampered value as null", async () => {
    const raw = rawStore();
    const vault = new Vault(raw.store, secret);
    await vault.set("session", sessionId, value, 60_000);
    const { key, value: sealed } = raw.last();
    const bytes = Buffer.from(sealed.slice(3), "base64url");
    for (const at of [0, 12, 28, bytes.length - 1]) {
      const altered = Buffer.from(bytes);
      altered[at]! ^= 1; // the IV, the tag, the first and the last ciphertext byte
      await raw.store.set(key, `v1.${altered.toString("base64url")}`, 60_000);
      expect(await vault.get("session", sessionId, record)).toBeNull();
    }
    for (const garbage of ["", "v1.", "v1.AAAA", `v2.${sealed.slice(3)}`, sealed.slice(3), "v1.!!!", sealed.slice(0, -4)]) {
      await raw.store.set(key, garbage, 60_000);
      expect(await vault.get("session", sessionId, record)).toBeNull();
    }
    await raw.store.set(key, sealed, 60_000);
    expect(await vault.get("session", sessionId, record)).toEqual(value); // the untouched value still opens
  });

  it("reads a value moved under another key (another id or namespace) as null", async () => {
    const raw = rawStore();
    const vault = new Vault(raw.store, secret);
    await vault.set("session", "victim", value, 60_000);
    const victim = raw.last();
    await vault.set("session", "attacker", { accessToken: "theirs", expiresAt: 0 }, 60_000);
    const attacker = raw.last();
    await vault.set("state", "victim", { accessToken: "other", expiresAt: 0 }, 60_000);
    const otherNamespace = raw.last();
    // Someone who can write to the store copies the victim's sealed record under keys they can read through.
    await raw.store.set(attacker.key, victim.value, 60_000);
    await raw.store.set(otherNamespace.key, victim.value, 60_000);
    expect(await vault.get("session", "attacker", record)).toBeNull();
    expect(await vault.get("state", "victim", record)).toBeNull();
    expect(await vault.get("session", "victim", record)).toEqual(value);
  });

  it("reads a record sealed under another secret as null (after rotation)", async () => {
    const store = memoryStore(10);
    await new Vault(store, secret).set("session", sessionId, value, 60_000);
    expect(await new Vault(store, "another-secret-that-is-32-chars-long").get("session", sessionId, record)).toBeNull();
  });

  it("reads a record that does not match the schema as null", async () => {
    const vault = new Vault(memoryStore(10), secret);
    await vault.set("session", sessionId, { accessToken: 42 }, 60_000);
    expect(await vault.get("session", sessionId, record)).toBeNull();
    expect(await vault.take("session", sessionId, record)).toBeNull();
  });

  it("returns what the schema makes of the record", async () => {
    const vault = new Vault(memoryStore(10), secret);
    await vault.set("session", sessionId, { ...value, extra: "dropped" }, 60_000);
    const withDate = record.transform((r) => ({ ...r, expiresAt: new Date(r.expiresAt) }));
    expect(await vault.get("session", sessionId, withDate)).toEqual({ accessToken: value.accessToken, expiresAt: new Date(value.expiresAt) });
  });

  it("refuses a secret shorter than 32 characters", () => {
    const store = memoryStore(10);
    expect(() => new Vault(store, "x".repeat(31))).toThrow(RangeError);
    expect(() => new Vault(store, "x".repeat(31))).not.toThrow(/x{31}/);
    expect(() => new Vault(store, "x".repeat(32))).not.toThrow();
  });

  it("refuses a TTL that is not positive (a caller bug), a value that is not JSON, and an empty namespace", async () => {
    const raw = rawStore();
    const vault = new Vault(raw.store, secret);
    await expect(vault.set("session", sessionId, value, 0)).rejects.toThrow(RangeError);
    await expect(vault.set("session", sessionId, value, -5)).rejects.toThrow(RangeError);
    await expect(vault.set("session", sessionId, undefined, 60_000)).rejects.toThrow(TypeError);
    await expect(vault.set("", sessionId, value, 60_000)).rejects.toThrow(RangeError);
  });
});
