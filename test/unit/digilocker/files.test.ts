// File APIs: folder and issued listings, downloads with HMAC checks, certificate and e-Aadhaar XML.
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  BadRequestError,
  DigiLockerInputError,
  DigiLockerResponseError,
  FileIntegrityError,
  InsufficientScopeError,
  InvalidTokenError,
  NotFoundError,
  UpstreamServerError,
} from "../../../src/digilocker/index.js";
import { CLIENT_SECRET, JSON_HEADERS, mockClient, specSample } from "../../helpers/digilocker.js";

type Pool = ReturnType<typeof mockClient>["pool"];
interface Seen {
  path: string;
  method: string;
  headers: Record<string, string>;
}

const TOKEN = "access-token-1";

/** One intercept that records the request it answers. */
function answer(
  pool: Pool,
  route: { path: string; method: "GET" | "POST" },
  statusCode: number,
  data: string | Buffer,
  headers: Record<string, string> = JSON_HEADERS,
): Seen[] {
  const seen: Seen[] = [];
  pool.intercept(route).reply((opts) => {
    seen.push({ path: opts.path, method: opts.method, headers: headersOf(opts.headers) });
    return { statusCode, data, responseOptions: { headers } };
  });
  return seen;
}

/** Request headers as the reply callback sees them (the transport sends a plain object). */
function headersOf(h: unknown): Record<string, string> {
  if (h === undefined || h === null) return {};
  return h instanceof Headers ? Object.fromEntries(h.entries()) : { ...(h as Record<string, string>) };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

/** Reads a stream to its end: the chunks that flowed and the error it ended with, if any. */
function drain(stream: Readable): Promise<{ data: Buffer; error: unknown }> {
  const chunks: Buffer[] = [];
  return new Promise((resolve) => {
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      resolve({ data: Buffer.concat(chunks), error: null });
    });
    stream.on("error", (error) => {
      resolve({ data: Buffer.concat(chunks), error });
    });
  });
}

interface FileVector {
  name: string;
  file: string;
  secret: string;
  dataHex: string;
  base64: string;
}
const vectors = JSON.parse(readFileSync(new URL("../../fixtures/vectors.json", import.meta.url), "utf8")) as {
  fileHmac: FileVector[];
};
function fileVector(name: string): FileVector & { data: Buffer } {
  const v = vectors.fileHmac.find((x) => x.name === name);
  if (v === undefined) throw new Error(`no file-HMAC vector ${name}`);
  return { ...v, data: readFileSync(new URL(`../../../${v.file}`, import.meta.url)) };
}

/** HMAC computed here with node:crypto, for bodies that have no literal vector. */
function hmacOf(body: string | Buffer, secret = CLIENT_SECRET): string {
  return createHmac("sha256", secret).update(body).digest("base64");
}

const UPLOADED = { path: "/public/oauth2/1/files/", method: "GET" } as const;
const ISSUED = { path: "/public/oauth2/2/files/issued", method: "GET" } as const;
const fileRoute = (uri: string) => ({ path: `/public/oauth2/1/file/${uri}`, method: "GET" }) as const;
const xmlRoute = (uri: string) => ({ path: `/public/oauth2/1/xml/${uri}`, method: "GET" }) as const;
const EAADHAAR = { path: "/public/oauth2/3/xml/eaadhaar", method: "GET" } as const;

const error = (code: string, description: string) => JSON.stringify({ error: code, error_description: description });

describe("files.listUploaded", () => {
  it("lists the root folder with GET /public/oauth2/1/files/ and the bearer token", async () => {
    const { client, pool, agent } = mockClient();
    const seen = answer(pool, UPLOADED, 200, specSample("files-uploaded.json"));
    await client.files.listUploaded(TOKEN);
    expect(seen).toEqual([{ path: "/public/oauth2/1/files/", method: "GET", headers: { authorization: `Bearer ${TOKEN}` } }]);
    agent.assertNoPendingInterceptors();
  });

  it("normalises every field of the spec's sample", async () => {
    const { client, pool } = mockClient();
    answer(pool, UPLOADED, 200, specSample("files-uploaded.json"));
    const listing = await client.files.listUploaded(TOKEN);
    expect(listing).toEqual({
      directory: "/",
      items: [
        {
          kind: "FOLDER",
          name: "My Documents",
          id: "5678",
          size: 366481,
          date: "2015-05-12T15:50:38.000Z",
          parentId: "1234",
          mimeTypes: [],
          uri: null,
          description: null,
          issuer: null,
        },
        {
          kind: "FILE",
          name: "myfile.pdf",
          id: null,
          size: 366481,
          date: "2015-05-12T15:50:38.000Z",
          parentId: "1234",
          mimeTypes: ["application/pdf"],
          uri: "in.gov.digilocker-OTHER-39491058586222",
          description: "Income Certificate",
          issuer: null,
        },
      ],
    });
  });

  it.each([
    ["an item type other than dir or file", { type: "link" }, 'items.0.type: expected "dir" or "file"'],
    ["a size that is not a count", { size: "12 KB" }, "items.0.size: expected a non-negative integer below 2^53"],
    ["a date that is not a timestamp", { date: "yesterday" }, "items.0.date: expected an ISO 8601 timestamp"],
  ])("refuses a folder listing with %s", async (_what, change, problem) => {
    const { client, pool } = mockClient();
    answer(pool, UPLOADED, 200, JSON.stringify({ items: [{ name: "a.pdf", type: "file", size: "10", date: "", ...change }] }));
    const err = await rejectionOf(client.files.listUploaded(TOKEN));
    expect(err).toBeInstanceOf(DigiLockerResponseError);
    expect((err as DigiLockerResponseError).problem).toBe(problem);
  });

  it("reads the sample's date without its Z as IST (15:50:38 in India is 10:20:38 UTC)", async () => {
    const { client, pool } = mockClient();
    const sample = specSample("files-uploaded.json").replaceAll('" 2015-05-12T15:50:38Z"', '" 2015-05-12T15:50:38"');
    expect(sample).toContain('"date": " 2015-05-12T15:50:38",');
    answer(pool, UPLOADED, 200, sample);
    const listing = await client.files.listUploaded(TOKEN);
    expect(listing.items.map((i) => i.date)).toEqual(["2015-05-12T10:20:38.000Z", "2015-05-12T10:20:38.000Z"]);
  });

  it("reads an item type in any case and padding (' DIR ')", async () => {
    const { client, pool } = mockClient();
    answer(pool, UPLOADED, 200, JSON.stringify({ items: [{ name: " x ", type: " DIR ", id: "7" }] }));
    const listing = await client.files.listUploaded(TOKEN);
    expect(listing.items).toMatchObject([{ kind: "FOLDER", name: "x", id: "7", size: null, date: null, mimeTypes: [] }]);
  });

  it("lists a folder by id: /public/oauth2/1/files/5678", async () => {
    const { client, pool, agent } = mockClient();
    const seen = answer(pool, { path: "/public/oauth2/1/files/5678", method: "GET" }, 200, '{"directory":"/My Documents","items":[]}');
    expect(await client.files.listUploaded(TOKEN, "5678")).toEqual({ directory: "/My Documents", items: [] });
    expect(seen.map((s) => s.path)).toEqual(["/public/oauth2/1/files/5678"]);
    agent.assertNoPendingInterceptors();
  });

  it("percent-encodes a folder id so it stays one path segment", async () => {
    const { client, pool, agent } = mockClient();
    const seen = answer(pool, { path: "/public/oauth2/1/files/a%20b%2Fc", method: "GET" }, 200, '{"items":[]}');
    await client.files.listUploaded(TOKEN, "a b/c");
    expect(seen.map((s) => s.path)).toEqual(["/public/oauth2/1/files/a%20b%2Fc"]);
    agent.assertNoPendingInterceptors();
  });

  it.each([".", "..", "", "  "])("refuses the folder id %j before any request", async (id) => {
    const { client, calls } = mockClient();
    const err = await rejectionOf(client.files.listUploaded(TOKEN, id));
    expect(err).toBeInstanceOf(DigiLockerInputError);
    expect(err).toMatchObject({ endpoint: "files.uploaded", issues: [{ path: "folderId" }] });
    expect(calls).toHaveLength(0);
  });

  it("maps the spec's 404 invalid_id sample to NotFoundError", async () => {
    const { client, pool, calls } = mockClient();
    answer(pool, { path: "/public/oauth2/1/files/9999", method: "GET" }, 404, specSample("files-uploaded-error.json"));
    const err = await rejectionOf(client.files.listUploaded(TOKEN, "9999"));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({
      status: 404,
      code: "invalid_id",
      description: "The folder does not exist",
      endpoint: "files.uploaded",
      retryable: false,
    });
    expect(calls).toHaveLength(1);
  });

  it("reads a folder listing with no items as an empty list", async () => {
    const { client, pool } = mockClient();
    answer(pool, UPLOADED, 200, '{"directory":"/","items":null}');
    expect(await client.files.listUploaded(TOKEN)).toEqual({ directory: "/", items: [] });
  });

  it("rejects an item of unknown type as an unexpected response", async () => {
    const { client, pool } = mockClient();
    answer(pool, UPLOADED, 200, '{"items":[{"name":"x","type":"link"}]}');
    const err = await rejectionOf(client.files.listUploaded(TOKEN));
    expect(err).toBeInstanceOf(DigiLockerResponseError);
    expect(err).toMatchObject({ endpoint: "files.uploaded", status: 200 });
  });
});

describe("access token (bearer)", () => {
  it.each(["", "   ", "two words"])("refuses the access token %j before any request", async (token) => {
    const { client, calls } = mockClient();
    const err = await rejectionOf(client.files.listIssued(token));
    expect(err).toBeInstanceOf(DigiLockerInputError);
    expect(err).toMatchObject({ endpoint: "files.issued", issues: [{ path: "accessToken" }] });
    expect(calls).toHaveLength(0);
  });

  it("trims the token it sends", async () => {
    const { client, pool } = mockClient();
    const seen = answer(pool, ISSUED, 200, '{"items":[]}');
    await client.files.listIssued(`  ${TOKEN}\n`);
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("maps 401 invalid_token and 403 insufficient_scope", async () => {
    const { client, pool } = mockClient();
    answer(pool, ISSUED, 401, error("invalid_token", "The access token is invalid"));
    answer(pool, ISSUED, 403, error("insufficient_scope", "The request requires higher privileges than provided by the access token"));
    const expired = await rejectionOf(client.files.listIssued(TOKEN));
    expect(expired).toBeInstanceOf(InvalidTokenError);
    expect(expired).toMatchObject({ status: 401, code: "invalid_token", endpoint: "files.issued", retryable: false });
    const scope = await rejectionOf(client.files.listIssued(TOKEN));
    expect(scope).toBeInstanceOf(InsufficientScopeError);
    expect(scope).toMatchObject({ status: 403, code: "insufficient_scope", endpoint: "files.issued" });
  });
});

describe("files.listIssued", () => {
  it("lists issued documents with GET /public/oauth2/2/files/issued, normalising the sample", async () => {
    const { client, pool, agent } = mockClient();
    const seen = answer(pool, ISSUED, 200, specSample("files-issued.json"));
    const items = await client.files.listIssued(TOKEN);
    expect(seen).toEqual([{ path: "/public/oauth2/2/files/issued", method: "GET", headers: { authorization: `Bearer ${TOKEN}` } }]);
    expect(items).toEqual([
      {
        name: "Class XII Marksheet",
        date: "2015-05-12T15:50:38.000Z",
        mimeTypes: ["application/pdf"],
        uri: "in.gov.cbse-HSCER-201412345678",
        docType: "HSCER",
        description: "Class XII Marksheet",
        issuerId: "in.gov.cbse",
        issuer: "CBSE",
      },
      {
        name: "Income Certificate",
        date: "2015-05-12T15:50:38.000Z",
        mimeTypes: ["application/pdf", "application/xml"],
        uri: "in.gov.delhi-INCER-98765432",
        docType: "INCER",
        description: "Income Certificate",
        issuerId: "in.gov.delhi",
        issuer: "Delhi eDistrict",
      },
    ]);
    agent.assertNoPendingInterceptors();
  });

  it("lower-cases the spec prose's application/PDF and drops duplicates", async () => {
    const { client, pool } = mockClient();
    const body = { items: [{ name: "A", mime: ["application/PDF", "application/pdf", " application/xml "], uri: "in.gov.x-ABCDE-1" }] };
    answer(pool, ISSUED, 200, JSON.stringify(body));
    const [item] = await client.files.listIssued(TOKEN);
    expect(item?.mimeTypes).toEqual(["application/pdf", "application/xml"]);
  });

  it.each([
    ["a date that is not a timestamp", { date: "on 12 May" }, "items.1.date: expected an ISO 8601 timestamp"],
    ["a blank uri", { uri: "   " }, "items.1.uri: uri is empty"],
    ["a name that is not a string", { name: 5 }, "items.1.name"],
  ])("refuses the whole listing for %s in one item, naming the item and field", async (_what, change, problem) => {
    const { client, pool } = mockClient();
    const good = { name: "A", date: "2015-05-12T15:50:38Z", mime: "application/pdf", uri: "in.gov.x-ABCDE-1" };
    answer(pool, ISSUED, 200, JSON.stringify({ items: [good, { ...good, ...change }] }));
    const err = await rejectionOf(client.files.listIssued(TOKEN));
    expect(err).toBeInstanceOf(DigiLockerResponseError);
    expect((err as DigiLockerResponseError).problem).toContain(problem);
    // Paths and messages only: the bad value itself (personal data) is never quoted.
    expect((err as DigiLockerResponseError).problem).not.toContain("on 12 May");
  });

  it("refuses the printed (invalid JSON) sample as an unexpected response", async () => {
    const { client, pool } = mockClient();
    answer(pool, ISSUED, 200, specSample("verbatim/files-issued.txt"));
    const err = await rejectionOf(client.files.listIssued(TOKEN));
    expect(err).toBeInstanceOf(DigiLockerResponseError);
    expect(err).toMatchObject({ endpoint: "files.issued", status: 200, problem: "the body is not valid JSON", retryable: false });
  });

  it("maps the spec's 500 sample, trimming its padded code, to a retryable UpstreamServerError", async () => {
    const { client, pool, calls } = mockClient();
    answer(pool, ISSUED, 500, specSample("files-issued-error.json"));
    const err = await rejectionOf(client.files.listIssued(TOKEN, { maxRetries: 0 }));
    expect(err).toBeInstanceOf(UpstreamServerError);
    expect(err).toMatchObject({
      status: 500,
      code: "partner_service_unresponsive",
      description: "Internal server error",
      endpoint: "files.issued",
      retryable: true,
    });
    expect(calls).toHaveLength(1);
  });

  it("retries a 530 partner_service_unresponsive and succeeds on the second call", async () => {
    const { client, pool, calls, sleeps, agent } = mockClient();
    answer(pool, ISSUED, 530, specSample("files-issued-error.json"));
    answer(pool, ISSUED, 200, specSample("files-issued.json"));
    const items = await client.files.listIssued(TOKEN);
    expect(items.map((i) => i.uri)).toEqual(["in.gov.cbse-HSCER-201412345678", "in.gov.delhi-INCER-98765432"]);
    expect(calls.map((c) => [c.attempt, c.status])).toEqual([
      [1, 530],
      [2, 200],
    ]);
    expect(sleeps).toHaveLength(1);
    agent.assertNoPendingInterceptors();
  });

  it("gives up after the configured retries", async () => {
    const { client, pool, calls } = mockClient();
    pool.intercept(ISSUED).reply(530, specSample("files-issued-error.json"), { headers: JSON_HEADERS }).times(3);
    const err = await rejectionOf(client.files.listIssued(TOKEN));
    expect(err).toBeInstanceOf(UpstreamServerError);
    expect(err).toMatchObject({ status: 530, code: "partner_service_unresponsive" });
    expect(calls).toHaveLength(3);
  });
});

describe("files.download and files.downloadBuffer", () => {
  const hello = fileVector("hello-digilocker");
  const pdf = fileVector("pdf-header-binary");

  it("uses the literal vectors' bytes (sanity check of the fixtures)", () => {
    expect(hello.data).toEqual(Buffer.from(hello.dataHex, "hex"));
    expect(pdf.data).toEqual(Buffer.from(pdf.dataHex, "hex"));
    expect(hello.secret).toBe("s3cr3t-Key");
  });

  it("downloads a file with GET /public/oauth2/1/file/<uri> when its hmac matches the literal vector", async () => {
    const { client, pool, agent } = mockClient({ clientSecret: hello.secret });
    const uri = "in.gov.digilocker-OTHER-39491058586222";
    const seen = answer(pool, fileRoute(uri), 200, hello.data, {
      "content-type": "text/plain",
      "content-length": String(hello.data.length),
      hmac: hello.base64,
    });
    const file = await client.files.downloadBuffer(TOKEN, uri);
    expect(file).toEqual({ contentType: "text/plain", data: hello.data });
    expect(seen).toEqual([{ path: `/public/oauth2/1/file/${uri}`, method: "GET", headers: { authorization: `Bearer ${TOKEN}` } }]);
    agent.assertNoPendingInterceptors();
  });

  it("streams a binary PDF whose hmac matches, with its Content-Type and Content-Length", async () => {
    const { client, pool } = mockClient({ clientSecret: pdf.secret });
    const uri = "in.gov.cbse-HSCER-201412345678";
    answer(pool, fileRoute(uri), 200, pdf.data, {
      "content-type": "application/pdf",
      "content-length": String(pdf.data.length),
      hmac: pdf.base64,
    });
    const file = await client.files.download(TOKEN, uri);
    expect(file.contentType).toBe("application/pdf");
    expect(file.contentLength).toBe(11);
    expect(await drain(file.body)).toEqual({ data: pdf.data, error: null });
  });

  it("reports contentLength null and application/octet-stream when the headers are absent", async () => {
    const { client, pool } = mockClient({ clientSecret: pdf.secret });
    answer(pool, fileRoute("x-1"), 200, pdf.data, { hmac: pdf.base64 });
    const file = await client.files.download(TOKEN, "x-1");
    expect([file.contentType, file.contentLength]).toEqual(["application/octet-stream", null]);
    expect((await drain(file.body)).data).toEqual(pdf.data);
  });

  it.each(["", "-5", "12abc"])("reports contentLength null for a Content-Length of %j", async (value) => {
    const { client, pool } = mockClient({ clientSecret: pdf.secret });
    answer(pool, fileRoute("x-2"), 200, pdf.data, { hmac: pdf.base64, "content-length": value });
    const file = await client.files.download(TOKEN, "x-2");
    expect(file.contentLength).toBeNull();
    await drain(file.body);
  });

  it("percent-encodes the URI and trims the listing's leading space", async () => {
    const { client, pool, agent } = mockClient({ clientSecret: hello.secret });
    const headers = { "content-type": "text/plain", hmac: hello.base64 };
    const a = answer(pool, fileRoute("in.gov.delhi-INCER-98765432"), 200, hello.data, headers);
    const b = answer(pool, fileRoute("a%20b%2Fc%3Fd"), 200, hello.data, headers);
    await client.files.downloadBuffer(TOKEN, " in.gov.delhi-INCER-98765432");
    await client.files.downloadBuffer(TOKEN, "a b/c?d");
    expect([...a, ...b].map((s) => s.path)).toEqual([
      "/public/oauth2/1/file/in.gov.delhi-INCER-98765432",
      "/public/oauth2/1/file/a%20b%2Fc%3Fd",
    ]);
    agent.assertNoPendingInterceptors();
  });

  it.each([".", "..", ""])("refuses the URI %j before any request", async (uri) => {
    const { client, calls } = mockClient();
    for (const call of [client.files.download(TOKEN, uri), client.files.downloadBuffer(TOKEN, uri)]) {
      const err = await rejectionOf(call);
      expect(err).toBeInstanceOf(DigiLockerInputError);
      expect(err).toMatchObject({ endpoint: "files.file", issues: [{ path: "uri" }] });
    }
    expect(calls).toHaveLength(0);
  });

  it("rejects a body whose hmac does not match (downloadBuffer)", async () => {
    const { client, pool } = mockClient({ clientSecret: hello.secret });
    answer(pool, fileRoute("x-1"), 200, Buffer.from("hello digilocker!\n"), { "content-type": "text/plain", hmac: hello.base64 });
    const err = await rejectionOf(client.files.downloadBuffer(TOKEN, "x-1"));
    expect(err).toBeInstanceOf(FileIntegrityError);
    expect(err).toMatchObject({ reason: "hmac_mismatch", endpoint: "files.file", retryable: false });
  });

  it("rejects when the client secret differs from the one DigiLocker signed with", async () => {
    const { client, pool } = mockClient();
    answer(pool, fileRoute("x-1"), 200, hello.data, { hmac: hello.base64 });
    const err = await rejectionOf(client.files.downloadBuffer(TOKEN, "x-1"));
    expect(err).toMatchObject({ name: "FileIntegrityError", reason: "hmac_mismatch" });
  });

  it("lets a mismatching stream's bytes flow, then errors at its end", async () => {
    const { client, pool } = mockClient({ clientSecret: hello.secret });
    const tampered = Buffer.from("hello digilockeR\n");
    answer(pool, fileRoute("x-1"), 200, tampered, { hmac: hello.base64 });
    const file = await client.files.download(TOKEN, "x-1");
    const { data, error: err } = await drain(file.body);
    expect(data).toEqual(tampered);
    expect(err).toBeInstanceOf(FileIntegrityError);
    expect(err).toMatchObject({ reason: "hmac_mismatch", endpoint: "files.file" });
  });

  it("refuses a file without an hmac header by default", async () => {
    const { client, pool } = mockClient({ clientSecret: hello.secret });
    answer(pool, fileRoute("x-1"), 200, hello.data, { "content-type": "text/plain" });
    answer(pool, fileRoute("x-1"), 200, hello.data, { "content-type": "text/plain", hmac: "  " });
    for (const call of [client.files.downloadBuffer(TOKEN, "x-1"), client.files.download(TOKEN, "x-1")]) {
      const err = await rejectionOf(call);
      expect(err).toBeInstanceOf(FileIntegrityError);
      expect(err).toMatchObject({ reason: "hmac_missing", endpoint: "files.file" });
    }
  });

  it('accepts a file without an hmac header with fileHmac: "verify-if-present", and still checks one that is present', async () => {
    const { client, pool } = mockClient({ clientSecret: hello.secret, fileHmac: "verify-if-present" });
    answer(pool, fileRoute("x-1"), 200, hello.data, { "content-type": "text/plain" });
    answer(pool, fileRoute("x-1"), 200, hello.data, { "content-type": "text/plain", hmac: pdf.base64 });
    expect(await client.files.downloadBuffer(TOKEN, "x-1")).toEqual({ contentType: "text/plain", data: hello.data });
    const err = await rejectionOf(client.files.downloadBuffer(TOKEN, "x-1"));
    expect(err).toMatchObject({ name: "FileIntegrityError", reason: "hmac_mismatch" });
  });

  it("refuses a body larger than maxDownloadBytes", async () => {
    const { client, pool } = mockClient({ clientSecret: hello.secret, maxDownloadBytes: 16 });
    answer(pool, fileRoute("x-1"), 200, hello.data, { hmac: hello.base64 });
    answer(pool, fileRoute("x-1"), 200, hello.data, { hmac: hello.base64 });
    const err = await rejectionOf(client.files.downloadBuffer(TOKEN, "x-1"));
    expect(err).toBeInstanceOf(DigiLockerResponseError);
    expect(err).toMatchObject({ endpoint: "files.file", status: 200, problem: "the file exceeds maxDownloadBytes" });
    const streamed = await drain((await client.files.download(TOKEN, "x-1")).body);
    expect(streamed.error).toBeInstanceOf(DigiLockerResponseError);
    expect(streamed.data).toHaveLength(0);
  });

  it("accepts a body of exactly maxDownloadBytes", async () => {
    const { client, pool } = mockClient({ clientSecret: hello.secret, maxDownloadBytes: hello.data.length });
    answer(pool, fileRoute("x-1"), 200, hello.data, { hmac: hello.base64 });
    expect((await client.files.downloadBuffer(TOKEN, "x-1")).data).toEqual(hello.data);
  });

  it("maps the spec's 400 uri_missing sample to BadRequestError, not retried", async () => {
    const { client, pool, calls } = mockClient();
    answer(pool, fileRoute("x-1"), 400, specSample("file-error.json"));
    const err = await rejectionOf(client.files.downloadBuffer(TOKEN, "x-1"));
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err).toMatchObject({ status: 400, code: "uri_missing", description: "URI parameter missing", endpoint: "files.file" });
    expect(calls).toHaveLength(1);
  });

  it("maps 404 invalid_uri to NotFoundError", async () => {
    const { client, pool } = mockClient();
    answer(pool, fileRoute("x-1"), 404, error("invalid_uri", "No file found for given URI"));
    const err = await rejectionOf(client.files.download(TOKEN, "x-1"));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({ status: 404, code: "invalid_uri", endpoint: "files.file" });
  });

  it.each(["repository_service_respperror", "repository_service_exception"])(
    "maps 530 %s to UpstreamServerError after retrying",
    async (code) => {
      const { client, pool, calls } = mockClient();
      pool.intercept(fileRoute("x-1")).reply(530, error(code, "Internal server error"), { headers: JSON_HEADERS }).times(3);
      const err = await rejectionOf(client.files.downloadBuffer(TOKEN, "x-1"));
      expect(err).toBeInstanceOf(UpstreamServerError);
      expect(err).toMatchObject({ status: 530, code, endpoint: "files.file", retryable: true });
      expect(calls).toHaveLength(3);
    },
  );
});

describe("files.certificateXml", () => {
  const xml = '<?xml version="1.0" encoding="UTF-8"?><Certificate name="Income Certificate">आय</Certificate>';

  it("returns the verified XML from GET /public/oauth2/1/xml/<uri>", async () => {
    const { client, pool, agent } = mockClient();
    const seen = answer(pool, xmlRoute("in.gov.delhi-INCER-98765432"), 200, xml, {
      "content-type": "application/xml",
      hmac: hmacOf(xml),
    });
    expect(await client.files.certificateXml(TOKEN, " in.gov.delhi-INCER-98765432")).toBe(xml);
    expect(seen).toEqual([
      { path: "/public/oauth2/1/xml/in.gov.delhi-INCER-98765432", method: "GET", headers: { authorization: `Bearer ${TOKEN}` } },
    ]);
    agent.assertNoPendingInterceptors();
  });

  it("rejects XML whose hmac does not match", async () => {
    const { client, pool } = mockClient();
    answer(pool, xmlRoute("x-1"), 200, xml, { hmac: hmacOf(`${xml} `) });
    const err = await rejectionOf(client.files.certificateXml(TOKEN, "x-1"));
    expect(err).toBeInstanceOf(FileIntegrityError);
    expect(err).toMatchObject({ reason: "hmac_mismatch", endpoint: "files.xml" });
  });

  it("refuses a dot-segment URI before any request", async () => {
    const { client, calls } = mockClient();
    const err = await rejectionOf(client.files.certificateXml(TOKEN, ".."));
    expect(err).toMatchObject({ name: "DigiLockerInputError", endpoint: "files.xml" });
    expect(calls).toHaveLength(0);
  });

  it("maps the spec's 400 uri_missing sample to BadRequestError", async () => {
    const { client, pool } = mockClient();
    answer(pool, xmlRoute("x-1"), 400, specSample("xml-error.json"));
    const err = await rejectionOf(client.files.certificateXml(TOKEN, "x-1"));
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err).toMatchObject({ status: 400, code: "uri_missing", endpoint: "files.xml" });
  });

  it("maps 404 invalid_uri and 530 repository_service_resperror", async () => {
    const { client, pool } = mockClient();
    answer(pool, xmlRoute("x-1"), 404, error("invalid_uri", "No file found for given URI"));
    answer(pool, xmlRoute("x-1"), 530, error("repository_service_resperror", "Internal server error"));
    const missing = await rejectionOf(client.files.certificateXml(TOKEN, "x-1"));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toMatchObject({ code: "invalid_uri", endpoint: "files.xml" });
    const down = await rejectionOf(client.files.certificateXml(TOKEN, "x-1", { maxRetries: 0 }));
    expect(down).toBeInstanceOf(UpstreamServerError);
    expect(down).toMatchObject({ status: 530, code: "repository_service_resperror", endpoint: "files.xml" });
  });
});

describe("files.eAadhaarXml", () => {
  const xml = '<Certificate><CertificateData><KycRes ret="Y"/></CertificateData></Certificate>';

  it("returns the verified XML from GET /public/oauth2/3/xml/eaadhaar", async () => {
    const { client, pool, agent } = mockClient();
    const seen = answer(pool, EAADHAAR, 200, xml, { "content-type": "application/xml", hmac: hmacOf(xml) });
    expect(await client.files.eAadhaarXml(TOKEN)).toBe(xml);
    expect(seen).toEqual([{ path: "/public/oauth2/3/xml/eaadhaar", method: "GET", headers: { authorization: `Bearer ${TOKEN}` } }]);
    agent.assertNoPendingInterceptors();
  });

  it("refuses e-Aadhaar XML without an hmac header", async () => {
    const { client, pool } = mockClient();
    answer(pool, EAADHAAR, 200, xml, { "content-type": "application/xml" });
    const err = await rejectionOf(client.files.eAadhaarXml(TOKEN));
    expect(err).toBeInstanceOf(FileIntegrityError);
    expect(err).toMatchObject({ reason: "hmac_missing", endpoint: "files.eaadhaar" });
  });

  it("maps the spec's printed 400 sample to BadRequestError", async () => {
    const { client, pool } = mockClient();
    answer(pool, EAADHAAR, 400, specSample("eaadhaar-error.json"));
    const err = await rejectionOf(client.files.eAadhaarXml(TOKEN));
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err).toMatchObject({ status: 400, code: "uri_missing", endpoint: "files.eaadhaar" });
  });

  it.each([
    ["aadhaar_not_linked", "Aadhaar is not linked to the account"],
    ["aadhaar_not_available", "Aadhaar data is not available for this user. Please perform Aadhaar eKYC again."],
  ])("maps 404 %s to NotFoundError, not retried", async (code, description) => {
    const { client, pool, calls } = mockClient();
    answer(pool, EAADHAAR, 404, error(code, description));
    const err = await rejectionOf(client.files.eAadhaarXml(TOKEN));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({ status: 404, code, description, endpoint: "files.eaadhaar", retryable: false });
    expect(calls).toHaveLength(1);
  });

  it("maps 530 internal_server_error to UpstreamServerError", async () => {
    const { client, pool } = mockClient();
    answer(pool, EAADHAAR, 530, error("internal_server_error", "Internal server error"));
    const err = await rejectionOf(client.files.eAadhaarXml(TOKEN, { maxRetries: 0 }));
    expect(err).toBeInstanceOf(UpstreamServerError);
    expect(err).toMatchObject({ status: 530, code: "internal_server_error", endpoint: "files.eaadhaar" });
  });
});
