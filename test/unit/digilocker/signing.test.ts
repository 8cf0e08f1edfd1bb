import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fileHmac, fileHmacVerifier, metaHash } from "../../../src/digilocker/signing.js";

interface Vectors {
  metaHash: { endpoint: string; note: string; secret: string; parts: string[]; hex: string }[];
  fileHmac: { name: string; secret: string; dataHex: string; base64: string }[];
}

// Computed with shell tools (sha256sum, openssl), never with the code under test.
const vectors = JSON.parse(readFileSync(new URL("../../fixtures/vectors.json", import.meta.url), "utf8")) as Vectors;

describe("metaHash", () => {
  it("has vectors to check against", () => {
    expect(vectors.metaHash).toHaveLength(8);
    expect(vectors.fileHmac).toHaveLength(2);
  });

  it.each(vectors.metaHash.map((v) => [`${v.endpoint}: ${v.note}`, v] as const))("%s", (_, v) => {
    expect(metaHash(v.secret, v.parts)).toBe(v.hex);
  });

  it("is lower-case hex SHA-256 of the plain concatenation, not an HMAC", () => {
    expect(metaHash("s3cr3t-Key", ["ABCD1234", "1700000000"])).toBe(
      "919c7a31da8d994064e71cc1496ecdf84369958f25ece7085d27a0469be30f0e",
    );
    // Where the parts split does not matter: only the concatenation is hashed.
    expect(metaHash("s3cr3t-Key", ["ABCD", "12341700000000"])).toBe(
      "919c7a31da8d994064e71cc1496ecdf84369958f25ece7085d27a0469be30f0e",
    );
    expect(metaHash("s3cr3t-Key", ["ABCD1234", "1700000000", "", ""])).toBe(
      "919c7a31da8d994064e71cc1496ecdf84369958f25ece7085d27a0469be30f0e",
    );
  });

  it("depends on the secret", () => {
    expect(metaHash("s3cr3t-KeY", ["ABCD1234", "1700000000"])).not.toBe(
      "919c7a31da8d994064e71cc1496ecdf84369958f25ece7085d27a0469be30f0e",
    );
  });
});

describe("fileHmac", () => {
  it.each(vectors.fileHmac.map((v) => [v.name, v] as const))("%s", (_, v) => {
    expect(fileHmac(v.secret, Buffer.from(v.dataHex, "hex"))).toBe(v.base64);
  });

  it("hashes bytes, not text: 0x00 and 0xFF survive", () => {
    const v = vectors.fileHmac.find((x) => x.name === "pdf-header-binary")!;
    const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0x0a, 0x00, 0xff]);
    expect(fileHmac("s3cr3t-Key", bytes)).toBe(v.base64);
  });
});

describe("fileHmacVerifier", () => {
  it.each(vectors.fileHmac.map((v) => [v.name, v] as const))("accepts %s fed in one chunk", (_, v) => {
    const verifier = fileHmacVerifier(v.secret);
    verifier.update(Buffer.from(v.dataHex, "hex"));
    expect(verifier.matches(v.base64)).toBe(true);
  });

  it.each(vectors.fileHmac.map((v) => [v.name, v] as const))("accepts %s fed byte by byte", (_, v) => {
    const verifier = fileHmacVerifier(v.secret);
    for (const byte of Buffer.from(v.dataHex, "hex")) verifier.update(new Uint8Array([byte]));
    expect(verifier.matches(v.base64)).toBe(true);
  });

  it("accepts the expected value with surrounding white space (a padded header)", () => {
    const v = vectors.fileHmac[0]!;
    const verifier = fileHmacVerifier(v.secret);
    verifier.update(Buffer.from(v.dataHex, "hex"));
    expect(verifier.matches(` ${v.base64} `)).toBe(true);
  });

  const hello = vectors.fileHmac.find((x) => x.name === "hello-digilocker")!;
  const other = vectors.fileHmac.find((x) => x.name === "pdf-header-binary")!;

  it.each([
    ["another file's HMAC", other.base64],
    ["one character changed", "B" + hello.base64.slice(1)],
    ["truncated", hello.base64.slice(0, 20)],
    ["truncated by one byte", Buffer.from(hello.base64, "base64").subarray(0, 31).toString("base64")],
    ["one byte too many", Buffer.concat([Buffer.from(hello.base64, "base64"), Buffer.from([0])]).toString("base64")],
    ["not base64", "!!! not base64 at all !!!"],
    ["the hex digest instead of base64", Buffer.from(hello.base64, "base64").toString("hex")],
    ["empty", ""],
  ])("rejects %s without throwing", (_, expected) => {
    const verifier = fileHmacVerifier(hello.secret);
    verifier.update(Buffer.from(hello.dataHex, "hex"));
    // A throw here would fail the test: a bad header must be a plain mismatch.
    expect(verifier.matches(expected)).toBe(false);
  });

  it("rejects the right value under the wrong key", () => {
    const verifier = fileHmacVerifier("s3cr3t-KeY");
    verifier.update(Buffer.from(hello.dataHex, "hex"));
    expect(verifier.matches(hello.base64)).toBe(false);
  });

  it("rejects when the data differs by one byte", () => {
    const data = Buffer.from(hello.dataHex, "hex");
    data[0] = data[0]! ^ 1;
    const verifier = fileHmacVerifier(hello.secret);
    verifier.update(data);
    expect(verifier.matches(hello.base64)).toBe(false);
  });
});
