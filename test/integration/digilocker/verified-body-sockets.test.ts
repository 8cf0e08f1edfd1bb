// File bodies over real sockets, through the real client: a missing or wrong hmac, a body over the limit, a
// connection dropped mid-body and a consumer that gives up each end in a typed error, leave nothing unhandled
// behind, and free their connection (the pool has one, so a wedged one would stall the next request).
import { createHmac } from "node:crypto";
import { once } from "node:events";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DigiLockerClient,
  DigiLockerConnectionError,
  DigiLockerResponseError,
  FileIntegrityError,
  type ClientSettingsInput,
} from "../../../src/digilocker/index.js";
import { CLIENT_ID, CLIENT_SECRET } from "../../helpers/digilocker.js";
import { ACCESS_TOKEN, DOC_URI, failure } from "../../helpers/endpoint-calls.js";

const FILE = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "latin1");
/** Several socket reads long, so a consumer can stop, or a limit can trip, in the middle of it. */
const BIG = Buffer.alloc(256 * 1024, "%PDF-1.4 big\n");
const hmacOf = (data: Buffer) => createHmac("sha256", CLIENT_SECRET).update(data).digest("base64");
/** The follow-up request of every case asks for this URI; it is always answered with FILE, correctly signed. */
const OK_URI = "in.gov.cbse-HSCER-OK";

type Reply = (res: ServerResponse) => void;
const sends =
  (body: Buffer, hmac: string | null): Reply =>
  (res) => {
    res.writeHead(200, { "content-type": "application/pdf", "content-length": body.length, ...(hmac === null ? {} : { hmac }) });
    res.end(body);
  };
/** Headers for all of `body` and its first KiB, then nothing: only the client can end this response. */
const stallsAfterFirstChunk =
  (body: Buffer, hmac: string | null): Reply =>
  (res) => {
    res.writeHead(200, { "content-type": "application/pdf", "content-length": body.length, ...(hmac === null ? {} : { hmac }) });
    res.write(body.subarray(0, 1024));
  };

let reply: Reply = sends(FILE, hmacOf(FILE));
/** Responses the server has not finished or seen closed: one left here is a connection the client holds. */
const inFlight = new Set<ServerResponse>();
const server = createServer((req, res) => {
  inFlight.add(res);
  res.once("close", () => inFlight.delete(res));
  (req.url?.endsWith(`/${OK_URI}`) ? sends(FILE, hmacOf(FILE)) : reply)(res);
});
const connections = () =>
  new Promise<number>((resolve, reject) => {
    server.getConnections((err, n) => {
      if (err) reject(err);
      else resolve(n);
    });
  });

const unhandled: unknown[] = [];
const record = (error: unknown) => unhandled.push(error);
let baseUrl = "";
let client: DigiLockerClient;

beforeAll(async () => {
  process.on("unhandledRejection", record);
  process.on("uncaughtException", record);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/public`;
});
afterAll(async () => {
  process.off("unhandledRejection", record);
  process.off("uncaughtException", record);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  unhandled.length = 0;
  reply = sends(FILE, hmacOf(FILE));
  client = connect();
});
afterEach(async () => {
  server.closeAllConnections();
  await client.close();
});

/** A client with its own pool of one connection, as a caller builds it. */
function connect(settings: Partial<ClientSettingsInput> = {}): DigiLockerClient {
  return new DigiLockerClient({
    baseUrl,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    retry: { maxRetries: 0 },
    pool: { connections: 1 },
    timeouts: { bodyMs: 5_000, requestMs: 2_000 },
    ...settings,
  });
}

async function until(what: string, ok: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 1_000;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Lets a late error (undici emits a destroyed body's error from setImmediate) reach the process. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 20));
}

/** What every case must leave: nothing unhandled, no response held open, a pool that still serves, no socket after close. */
async function expectReleased(): Promise<void> {
  await settle();
  expect(unhandled).toEqual([]);
  await until("the server to see every response closed", () => inFlight.size === 0);
  expect((await client.files.downloadBuffer(ACCESS_TOKEN, OK_URI)).data).toEqual(FILE);
  await client.close();
  await until("the server to have no connection left", async () => (await connections()) === 0);
  await settle();
  expect(unhandled).toEqual([]);
}

/** Reads a stream to its end or its error, keeping the bytes that flowed either way. */
async function drain(stream: Readable): Promise<{ bytes: Buffer; error: unknown }> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return { bytes: Buffer.concat(chunks), error: null };
  } catch (error) {
    return { bytes: Buffer.concat(chunks), error };
  }
}

const fileCalls = {
  download: () => client.files.download(ACCESS_TOKEN, DOC_URI),
  downloadBuffer: () => client.files.downloadBuffer(ACCESS_TOKEN, DOC_URI),
  certificateXml: () => client.files.certificateXml(ACCESS_TOKEN, DOC_URI),
  eAadhaarXml: () => client.files.eAadhaarXml(ACCESS_TOKEN),
};
const endpointOf = { download: "files.file", downloadBuffer: "files.file", certificateXml: "files.xml", eAadhaarXml: "files.eaadhaar" };

describe("no hmac header (fileHmac: require)", () => {
  it.each([
    ["the whole body sent", sends(FILE, null)],
    ["the body still being sent", stallsAfterFirstChunk(BIG, null)],
  ])("download, downloadBuffer, certificateXml and eAadhaarXml reject with hmac_missing (%s)", async (_case, missing) => {
    reply = missing;
    for (const [name, call] of Object.entries(fileCalls)) {
      const error = await failure(call());
      expect(error, name).toBeInstanceOf(FileIntegrityError);
      expect(error, name).toMatchObject({ reason: "hmac_missing", endpoint: endpointOf[name as keyof typeof fileCalls] });
      await settle();
      expect(unhandled, name).toEqual([]);
    }
    await expectReleased();
  });
});

describe("a wrong hmac header", () => {
  const wrong = hmacOf(Buffer.from("%PDF-1.4 another file\n", "latin1"));

  it("the stream errors with hmac_mismatch instead of ending", async () => {
    reply = sends(FILE, wrong);
    const download = await client.files.download(ACCESS_TOKEN, DOC_URI);
    let ended = false;
    download.body.once("end", () => (ended = true));
    const { error } = await drain(download.body);
    expect(error).toBeInstanceOf(FileIntegrityError);
    expect(error).toMatchObject({ reason: "hmac_mismatch", endpoint: "files.file" });
    expect(ended).toBe(false);
    await expectReleased();
  });

  it("downloadBuffer, certificateXml and eAadhaarXml reject with hmac_mismatch and return no bytes", async () => {
    reply = sends(FILE, wrong);
    const { downloadBuffer, certificateXml, eAadhaarXml } = fileCalls;
    for (const [name, call] of Object.entries({ downloadBuffer, certificateXml, eAadhaarXml })) {
      const error = await failure(call());
      expect(error, name).toBeInstanceOf(FileIntegrityError);
      expect(error, name).toMatchObject({ reason: "hmac_mismatch", endpoint: endpointOf[name as keyof typeof fileCalls] });
    }
    await expectReleased();
  });
});

describe("a body over maxDownloadBytes", () => {
  it("rejects with DigiLockerResponseError while the server is still sending", async () => {
    await client.close();
    client = connect({ maxDownloadBytes: 4 * 1024 });
    reply = sends(BIG, hmacOf(BIG));
    const error = await failure(client.files.downloadBuffer(ACCESS_TOKEN, DOC_URI));
    expect(error).toBeInstanceOf(DigiLockerResponseError);
    expect(error).toMatchObject({ endpoint: "files.file", status: 200, problem: "the file exceeds maxDownloadBytes" });
    await expectReleased();
  });
});

describe("the connection dropped mid-body", () => {
  const drops: Reply = (res) => {
    res.writeHead(200, { "content-type": "application/pdf", "content-length": FILE.length, hmac: hmacOf(FILE) });
    res.write(FILE.subarray(0, 10));
    setTimeout(() => res.destroy(), 20);
  };
  const dropped = { endpoint: "files.file", message: "DigiLocker files.file: connection failed (UND_ERR_SOCKET)" };

  it("downloadBuffer rejects with DigiLockerConnectionError", async () => {
    reply = drops;
    const error = await failure(client.files.downloadBuffer(ACCESS_TOKEN, DOC_URI));
    expect(error).toBeInstanceOf(DigiLockerConnectionError);
    expect(error).toMatchObject(dropped);
    await expectReleased();
  });

  it("the stream errors with DigiLockerConnectionError after the bytes that arrived", async () => {
    reply = drops;
    const download = await client.files.download(ACCESS_TOKEN, DOC_URI);
    const { bytes, error } = await drain(download.body);
    expect(error).toBeInstanceOf(DigiLockerConnectionError);
    expect(error).toMatchObject(dropped);
    expect(bytes).toEqual(FILE.subarray(0, 10));
    await expectReleased();
  });
});

describe("a consumer that abandons the stream", () => {
  it("destroying it after the first chunk closes the upstream response and raises nothing", async () => {
    reply = stallsAfterFirstChunk(BIG, hmacOf(BIG));
    const download = await client.files.download(ACCESS_TOKEN, DOC_URI);
    const errors: unknown[] = [];
    download.body.on("error", (error) => errors.push(error));
    const [first] = (await once(download.body, "data")) as [Buffer];
    expect(first).toEqual(BIG.subarray(0, first.length));
    download.body.destroy();
    await settle();
    expect(download.body.destroyed).toBe(true);
    expect(errors).toEqual([]);
    await expectReleased();
  });

  it("destroying it unread once the whole body has arrived raises nothing", async () => {
    const download = await client.files.download(ACCESS_TOKEN, DOC_URI);
    const errors: unknown[] = [];
    download.body.on("error", (error) => errors.push(error));
    await until("the server to finish the response", () => inFlight.size === 0);
    download.body.destroy();
    await settle();
    expect(download.body.destroyed).toBe(true);
    expect(errors).toEqual([]);
    await expectReleased();
  });
});
