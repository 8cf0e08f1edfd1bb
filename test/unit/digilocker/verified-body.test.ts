// The HMAC check on file bodies, on its own: chunked input, header forms, size ceiling, teardown both ways.
import { readFileSync } from "node:fs";
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { DigiLockerResponseError, FileIntegrityError } from "../../../src/digilocker/index.js";
import type { OpenResponse } from "../../../src/digilocker/transport.js";
import { verifiedBuffer, verifiedStream, type VerifyOptions } from "../../../src/digilocker/verified-body.js";

interface FileVector {
  name: string;
  file: string;
  secret: string;
  base64: string;
}
const vectors = JSON.parse(readFileSync(new URL("../../fixtures/vectors.json", import.meta.url), "utf8")) as {
  fileHmac: FileVector[];
};
const vector = vectors.fileHmac.find((v) => v.name === "hello-digilocker")!;
const DATA = readFileSync(new URL(`../../../${vector.file}`, import.meta.url));

const options = (over: Partial<VerifyOptions> = {}): VerifyOptions => ({
  endpoint: "files.file",
  clientSecret: vector.secret,
  requireHmac: true,
  maxBytes: 1024,
  ...over,
});

/** A response whose body yields `chunks` one by one, as a socket would. */
function response(chunks: Buffer[], headers: OpenResponse["headers"] = { hmac: vector.base64 }) {
  const body = Readable.from(chunks, { objectMode: false });
  return { res: { status: 200, headers, body: body as unknown as OpenResponse["body"] }, body };
}

/** Splits the vector's bytes into 1-, 5- and rest-byte chunks. */
const split = () => [DATA.subarray(0, 1), DATA.subarray(1, 6), DATA.subarray(6)];

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

describe("verifiedBuffer", () => {
  it("returns the bytes when the HMAC over all chunks matches the literal vector", async () => {
    const { res } = response(split());
    expect(await verifiedBuffer(res, options())).toEqual(DATA);
  });

  it("reads the first value of a repeated hmac header and ignores surrounding spaces", async () => {
    const { res } = response(split(), { hmac: [`  ${vector.base64} `, "AAAA"] });
    expect(await verifiedBuffer(res, options())).toEqual(DATA);
  });

  it("rejects with hmac_mismatch when one byte differs", async () => {
    const tampered = Buffer.from(DATA);
    tampered[0] = 0x48; // "H"
    const { res } = response([tampered]);
    const err = await rejectionOf(verifiedBuffer(res, options({ endpoint: "files.xml" })));
    expect(err).toBeInstanceOf(FileIntegrityError);
    expect(err).toMatchObject({ reason: "hmac_mismatch", endpoint: "files.xml", retryable: false });
  });

  it.each(["not base64 at all!", "AAAA", ""])("treats the malformed hmac %j as a mismatch (or missing), never a crash", async (hmac) => {
    const { res } = response(split(), { hmac });
    const err = await rejectionOf(verifiedBuffer(res, options()));
    expect(err).toMatchObject({ name: "FileIntegrityError", reason: hmac === "" ? "hmac_missing" : "hmac_mismatch" });
  });

  it("throws hmac_missing before reading, and discards the body, when the header is required", async () => {
    const { res, body } = response(split(), {});
    const err = await rejectionOf(verifiedBuffer(res, options()));
    expect(err).toBeInstanceOf(FileIntegrityError);
    expect(err).toMatchObject({ reason: "hmac_missing", endpoint: "files.file" });
    expect(body.destroyed).toBe(true);
  });

  it("passes an unsigned body through when the header is optional", async () => {
    const { res } = response([Buffer.from("unsigned")], {});
    expect((await verifiedBuffer(res, options({ requireHmac: false }))).toString()).toBe("unsigned");
  });

  it("refuses a body that passes maxBytes across chunks", async () => {
    const { res, body } = response(split());
    const err = await rejectionOf(verifiedBuffer(res, options({ maxBytes: DATA.length - 1 })));
    expect(err).toBeInstanceOf(DigiLockerResponseError);
    expect(err).toMatchObject({ endpoint: "files.file", status: 200, problem: "the file exceeds maxDownloadBytes" });
    expect(body.destroyed).toBe(true);
  });

  it("accepts a body of exactly maxBytes", async () => {
    const { res } = response(split());
    expect(await verifiedBuffer(res, options({ maxBytes: DATA.length }))).toEqual(DATA);
  });

  it("passes on an error of the upstream body", async () => {
    const upstream = new PassThrough();
    const res = { status: 200, headers: { hmac: vector.base64 }, body: upstream as unknown as OpenResponse["body"] };
    const pending = rejectionOf(verifiedBuffer(res, options()));
    upstream.write(DATA.subarray(0, 4));
    upstream.destroy(new Error("socket hang up"));
    expect(await pending).toMatchObject({ message: "socket hang up" });
  });
});

describe("verifiedStream", () => {
  it("streams every chunk, then ends without error when the HMAC matches", async () => {
    const { res } = response(split());
    const stream = verifiedStream(res, options());
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks)).toEqual(DATA);
    expect(stream.readableEnded).toBe(true);
  });

  it("destroys the upstream body when the consumer abandons the stream", async () => {
    const upstream = new PassThrough();
    const res = { status: 200, headers: { hmac: vector.base64 }, body: upstream as unknown as OpenResponse["body"] };
    const stream = verifiedStream(res, options());
    const first = new Promise((resolve) => stream.once("data", resolve));
    upstream.write(DATA.subarray(0, 4));
    expect(await first).toEqual(DATA.subarray(0, 4));
    stream.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    expect(upstream.destroyed).toBe(true);
  });
});
