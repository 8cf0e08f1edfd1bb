// Upload File to DigiLocker: request shape, the literal HMAC vector, client-side refusals, error table, no retries.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  BadRequestError,
  DigiLockerInputError,
  DigiLockerResponseError,
  errorTables,
  InsufficientScopeError,
  InvalidTokenError,
  MAX_UPLOAD_BYTES,
  UpstreamServerError,
  type UploadInput,
} from "../../../src/digilocker/index.js";
import { JSON_HEADERS, mockClient, specSample } from "../../helpers/digilocker.js";

type Pool = ReturnType<typeof mockClient>["pool"];
interface Seen {
  headers: Record<string, string>;
  body: Buffer;
}

const TOKEN = "access-token-1";
const UPLOAD = { path: "/public/oauth2/1/file/upload", method: "POST" } as const;

function answer(pool: Pool, statusCode: number, data: string): Seen[] {
  const seen: Seen[] = [];
  pool.intercept(UPLOAD).reply((opts) => {
    const h: unknown = opts.headers;
    // The transport sends headers as a plain object.
    const headers = h instanceof Headers ? Object.fromEntries(h.entries()) : { ...(h as Record<string, string>) };
    if (!(opts.body instanceof Uint8Array)) throw new Error("upload must send the file's bytes as the body");
    seen.push({ headers, body: Buffer.from(opts.body) });
    return { statusCode, data, responseOptions: { headers: JSON_HEADERS } };
  });
  return seen;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

interface FileVector {
  name: string;
  file: string;
  secret: string;
  base64: string;
}
const vectors = JSON.parse(readFileSync(new URL("../../fixtures/vectors.json", import.meta.url), "utf8")) as {
  fileHmac: FileVector[];
};
const pdfVector = vectors.fileHmac.find((v) => v.name === "pdf-header-binary")!;
const PDF = readFileSync(new URL(`../../../${pdfVector.file}`, import.meta.url));
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);

const ok = (path: string, size: string | number) => JSON.stringify({ path, size });

describe("files.upload", () => {
  it("POSTs the bytes with content-type, path, the literal-vector hmac and the bearer token", async () => {
    expect(PDF.subarray(0, 4).toString("latin1")).toBe("%PDF");
    const { client, pool, agent } = mockClient({ clientSecret: pdfVector.secret });
    const seen = answer(pool, 200, ok("/Education/marksheet.pdf", "11"));
    const result = await client.files.upload(TOKEN, { path: "/Education/marksheet.pdf", contentType: "application/pdf", data: PDF });
    expect(result).toEqual({ path: "/Education/marksheet.pdf", size: 11 });
    expect(seen).toEqual([
      {
        headers: {
          "content-type": "application/pdf",
          path: "/Education/marksheet.pdf",
          hmac: "Icen9ZzsOe1XevTVI/WQnF5aIzj8GbD7AuKs+IwaTkc=",
          authorization: `Bearer ${TOKEN}`,
        },
        body: PDF,
      },
    ]);
    expect(seen[0]?.headers.hmac).toBe(pdfVector.base64);
    agent.assertNoPendingInterceptors();
  });

  it("takes a plain Uint8Array as well as a Buffer", async () => {
    const data: Uint8Array = new Uint8Array(PNG);
    const { client, pool } = mockClient();
    const seen = answer(pool, 200, ok("/Photos/me.png", data.length));
    await client.files.upload(TOKEN, { path: "/Photos/me.png", contentType: "image/png", data });
    expect(seen[0]?.body).toEqual(PNG);
  });

  it("adds the leading / to the path", async () => {
    const { client, pool } = mockClient();
    const seen = answer(pool, 200, ok("/marksheet.pdf", 11));
    await client.files.upload(TOKEN, { path: "marksheet.pdf", contentType: "application/pdf", data: PDF });
    expect(seen[0]?.headers.path).toBe("/marksheet.pdf");
  });

  it.each([
    ["image/png", PNG],
    ["image/jpeg", JPEG],
    ["image/jpg", JPEG],
  ] as const)("uploads %s with that content-type", async (contentType, data) => {
    const { client, pool } = mockClient();
    const seen = answer(pool, 200, ok("/Photos/me", data.length));
    await client.files.upload(TOKEN, { path: "/Photos/me", contentType, data });
    expect(seen[0]?.headers["content-type"]).toBe(contentType);
    expect(seen[0]?.body).toEqual(data);
  });

  it("accepts a file of exactly 10 MB", async () => {
    const data = Buffer.alloc(MAX_UPLOAD_BYTES);
    PDF.copy(data);
    const { client, pool } = mockClient();
    const seen = answer(pool, 200, ok("/big.pdf", MAX_UPLOAD_BYTES));
    expect(await client.files.upload(TOKEN, { path: "/big.pdf", contentType: "application/pdf", data })).toEqual({
      path: "/big.pdf",
      size: 10_485_760,
    });
    expect(seen[0]?.body.length).toBe(10_485_760);
  });

  it("rejects a success body without a numeric size as an unexpected response", async () => {
    const { client, pool } = mockClient();
    answer(pool, 200, JSON.stringify({ path: "/a.pdf", size: "11 bytes" }));
    const err = await rejectionOf(client.files.upload(TOKEN, { path: "/a.pdf", contentType: "application/pdf", data: PDF }));
    expect(err).toBeInstanceOf(DigiLockerResponseError);
    expect(err).toMatchObject({ endpoint: "files.upload", status: 200 });
  });

  describe("refuses before sending anything", () => {
    const base: UploadInput = { path: "/Education/marksheet.pdf", contentType: "application/pdf", data: PDF };
    const tooBig = Buffer.alloc(MAX_UPLOAD_BYTES + 1);
    PDF.copy(tooBig);

    const cases: [string, Partial<UploadInput>, string][] = [
      ["empty data", { data: new Uint8Array(0) }, "data"],
      ["a file over 10 MB", { data: tooBig }, "data"],
      ["a content type that is not allowed", { contentType: "image/gif" as UploadInput["contentType"] }, "contentType"],
      ["data that is not bytes", { data: "%PDF-1.4" as unknown as UploadInput["data"] }, "data"],
      ["a path ending in /", { path: "/Education/" }, "path"],
      ["a path that is only /", { path: "/" }, "path"],
      ["an empty path", { path: "  " }, "path"],
      ["a file name of ..", { path: "/Education/.." }, "path"],
      ["a .. folder segment", { path: "/Education/../marksheet.pdf" }, "path"],
      ["an empty folder segment", { path: "/Education//marksheet.pdf" }, "path"],
      ["a non-ASCII path", { path: "/शिक्षा/marksheet.pdf" }, "path"],
      ["a control character in the path", { path: "/Education/mark\nsheet.pdf" }, "path"],
      ["PNG bytes declared as application/pdf", { data: PNG }, "data"],
      ["PDF bytes declared as image/png", { contentType: "image/png" }, "data"],
      ["bytes of no allowed type", { data: Buffer.from("hello") }, "data"],
    ];
    for (const ch of ["\\", ":", "*", "?", "<", ">", "'", "^", "~"]) {
      cases.push([`${ch} in the file name`, { path: `/Education/mark${ch}sheet.pdf` }, "path"]);
    }

    it.each(cases)("%s", async (_what, change, field) => {
      const { client, calls } = mockClient();
      const err = await rejectionOf(client.files.upload(TOKEN, { ...base, ...change }));
      expect(err).toBeInstanceOf(DigiLockerInputError);
      expect(err).toMatchObject({ endpoint: "files.upload", retryable: false });
      expect((err as DigiLockerInputError).issues.map((i) => i.path)).toContain(field);
      expect(calls).toHaveLength(0);
    });

    it("names the restricted characters in the message", async () => {
      const { client } = mockClient();
      const err = await rejectionOf(client.files.upload(TOKEN, { ...base, path: "/a~b.pdf" }));
      expect((err as Error).message).toBe(
        "Invalid input for DigiLocker files.upload: path: the file name may not contain \\ / : * ? < > ' ^ ~",
      );
    });

    it("accepts spaces, parentheses, - and _ in folder and file names", async () => {
      const { client, pool } = mockClient();
      const seen = answer(pool, 200, ok("/My Documents (2024)/mark-sheet_v1.pdf", 11));
      await client.files.upload(TOKEN, { ...base, path: "/My Documents (2024)/mark-sheet_v1.pdf" });
      expect(seen[0]?.headers.path).toBe("/My Documents (2024)/mark-sheet_v1.pdf");
    });
  });

  it("is never retried: a 530 makes exactly one call", async () => {
    const { client, pool, calls, sleeps } = mockClient();
    answer(pool, 530, JSON.stringify({ error: "unexpected_error", error_description: "Internal server error" }));
    const err = await rejectionOf(
      client.files.upload(TOKEN, { path: "/a.pdf", contentType: "application/pdf", data: PDF }, { maxRetries: 5 }),
    );
    expect(err).toBeInstanceOf(UpstreamServerError);
    expect(err).toMatchObject({ status: 530, code: "unexpected_error", endpoint: "files.upload", retryable: true });
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("maps the spec's 400 contenttype_missing sample to BadRequestError", async () => {
    const { client, pool } = mockClient();
    answer(pool, 400, specSample("upload-error.json"));
    const err = await rejectionOf(client.files.upload(TOKEN, { path: "/a.pdf", contentType: "application/pdf", data: PDF }));
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err).toMatchObject({
      status: 400,
      code: "contenttype_missing",
      description: "Content-Type parameter is missing",
      endpoint: "files.upload",
    });
  });

  // The spec's table for Upload File to DigiLocker (spec 980–994), copied by hand: [code, HTTP status, the error class
  // its meaning calls for].
  const specTable: [string, number, typeof BadRequestError][] = [
    ["invalid_token", 401, InvalidTokenError],
    ["insufficient_scope", 403, InsufficientScopeError],
    ["path_missing", 400, BadRequestError],
    ["contenttype_missing", 400, BadRequestError],
    ["hmac_missing", 400, BadRequestError],
    ["filename_missing", 400, BadRequestError],
    ["hmac_mismatch", 400, BadRequestError],
    ["invalid_filename", 400, BadRequestError],
    ["invalid_filesize", 400, BadRequestError],
    ["invalid_filetype", 400, BadRequestError],
    ["invalid_path", 400, BadRequestError],
    ["file_data_missing", 400, BadRequestError],
    ["mimetype_mismatch", 400, BadRequestError],
    ["unexpected_error", 530, UpstreamServerError],
  ];

  it("has the spec's error table for upload", () => {
    const table = Object.entries(errorTables["files.upload"]).map(([code, row]) => [code, row.status]);
    expect(table.sort()).toEqual(specTable.map(([code, status]) => [code, status]).sort());
  });

  it.each(specTable)("maps %s (HTTP %i) to its error class with that code", async (code, status, errorClass) => {
    const { client, pool, calls } = mockClient();
    const description = `DigiLocker's text for ${code}`;
    answer(pool, status, JSON.stringify({ error: code, error_description: description }));
    const err = await rejectionOf(client.files.upload(TOKEN, { path: "/a.pdf", contentType: "application/pdf", data: PDF }));
    expect(err).toBeInstanceOf(errorClass);
    expect(err).toMatchObject({ status, code, description, endpoint: "files.upload" });
    expect(calls).toHaveLength(1);
  });
});
