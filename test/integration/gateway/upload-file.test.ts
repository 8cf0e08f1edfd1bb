// uploadFile over real HTTP, sent as clients send it: the GraphQL multipart request spec with Node's fetch,
// FormData and Blob (`operations`, `map`, then the file's part).
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMALL_PDF } from "../../helpers/endpoint-calls.js";
import { AJIT, startTestGateway, type TestGateway } from "../../helpers/gateway.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

/** What a scoped field's answer carries while no partner is registered (docs/partners.md, "Development mode"). */
const DEVELOPMENT_NOTICE: unknown = expect.stringMatching(/^Development mode: /);
const DEVELOPMENT_MODE = { developmentMode: DEVELOPMENT_NOTICE };

const UPLOAD = `mutation Upload($input: UploadFileInput!) {
  uploadFile(input: $input) {
    __typename
    ... on UploadedFile { name size mimeTypes }
    ... on Problem { code message }
    ... on InvalidFileName { field }
    ... on FileTypeMismatch { declared detected }
  }
}`;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32)]);

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t.close());

interface Upload {
  data?: Uint8Array<ArrayBuffer>;
  type?: string;
  name?: string;
  input?: Record<string, unknown>;
  headers?: Record<string, string>;
}

async function upload(u: Upload = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData();
  form.append("operations", JSON.stringify({ query: UPLOAD, variables: { input: { file: null, ...u.input } } }));
  form.append("map", JSON.stringify({ 0: ["variables.input.file"] }));
  form.append("0", new Blob([u.data ?? SMALL_PDF], { type: u.type ?? "application/pdf" }), u.name ?? "report.pdf");
  const headers = u.headers ?? { "x-graphql-yoga-csrf": "1", authorization: `Bearer ${t.token(AJIT)}` };
  const res = await fetch(`${t.gateway.url}/graphql`, { method: "POST", headers, body: form });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const result = (body: Record<string, unknown>) => (body.data as { uploadFile: Record<string, unknown> } | null)?.uploadFile;
const uploads = () => t.gateway.upstreamCalls.count("files.upload");

describe("uploadFile", () => {
  it("uploads a PDF to the root, and the root lists it", async () => {
    const { status, body } = await upload({ name: "marksheet.pdf" });
    expect(status).toBe(200);
    expect(result(body)).toEqual({ __typename: "UploadedFile", name: "marksheet.pdf", size: SMALL_PDF.length, mimeTypes: ["application/pdf"] });
    const listed = await t.query<{ viewer: { rootFolder: { files: { name: string }[] } } }>(
      "{ viewer { rootFolder { files { name } } } }",
      { token: t.token(AJIT) },
    );
    expect(listed.data?.viewer.rootFolder.files.map((f) => f.name)).toContain("marksheet.pdf");
  });

  it("uploads into a folder by path, under the name given", async () => {
    const { body } = await upload({ data: PNG, type: "image/png", input: { folder: "/My Documents/Education", fileName: "photo.png" } });
    expect(result(body)).toMatchObject({ __typename: "UploadedFile", name: "photo.png", mimeTypes: ["image/png"] });
  });

  it("refuses an 11 MB file while it streams: 413, promptly, nothing sent upstream", async () => {
    const before = uploads();
    const started = performance.now();
    const big = new Uint8Array(11 * 1024 * 1024);
    big.set(SMALL_PDF);
    const { status, body } = await upload({ data: big });
    expect(status).toBe(413);
    expect((body.errors as { extensions: { code: string } }[])[0]?.extensions.code).toBe("REQUEST_ENTITY_TOO_LARGE");
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(uploads()).toBe(before);
  });

  it.each([
    ["mislabelled: PNG bytes declared application/pdf", { data: PNG, type: "application/pdf" }, "FILE_TYPE_MISMATCH"],
    ["a type DigiLocker does not take", { data: Buffer.from("hello"), type: "text/plain", name: "notes.txt" }, "FILE_TYPE_NOT_ALLOWED"],
    ["restricted characters", { input: { fileName: "what?.pdf" } }, "INVALID_FILE_NAME"],
    ["traversal in the name", { input: { fileName: "../x.pdf" } }, "INVALID_FILE_NAME"],
    ["an absolute path as the name", { input: { fileName: "/abs/x.pdf" } }, "INVALID_FILE_NAME"],
    ["control characters", { input: { fileName: "a\u0000b.pdf" } }, "INVALID_FILE_NAME"],
    ["traversal in the folder", { input: { folder: "/My Documents/../.." } }, "INVALID_FILE_NAME"],
    ["a non-ASCII name (the path travels in a header)", { name: "résumé.pdf" }, "INVALID_FILE_NAME"],
  ] as [string, Upload, string][])("refuses %s before any call", async (_what, u, code) => {
    const before = uploads();
    const { status, body } = await upload(u);
    expect(status).toBe(200);
    expect(result(body)).toMatchObject({ code });
    expect(uploads()).toBe(before);
  });

  it("answers FolderNotFound for a folder DigiLocker does not have (invalid_path)", async () => {
    const { body } = await upload({ input: { folder: "/Nowhere" } });
    expect(result(body)).toMatchObject({ __typename: "FolderNotFound", code: "FOLDER_NOT_FOUND" });
  });
});

describe("the README's curl upload", () => {
  it("runs as written, against this gateway with a sandbox token", async () => {
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    const script = /```sh\n(TOKEN=paste-the-access-token-here\n[\s\S]*?)```/.exec(readme)?.[1];
    expect(script).toBeDefined();
    const runnable = (script ?? "")
      .replace("TOKEN=paste-the-access-token-here", `TOKEN=${t.token(AJIT)}`)
      .replace("localhost:4000", new URL(t.gateway.url).host);
    const dir = await mkdtemp(join(tmpdir(), "upload-readme-"));
    try {
      const { stdout } = await promisify(execFile)("bash", ["-euc", runnable], { cwd: dir });
      // A fresh gateway has no partner: development mode grants files:upload to the bearer token, and says so.
      expect(JSON.parse(stdout)).toEqual({
        data: { uploadFile: { __typename: "UploadedFile", name: "marksheet.pdf", size: 15 } },
        extensions: DEVELOPMENT_MODE,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("uploadFile from a browser (session cookie)", () => {
  let cookie: string;
  beforeAll(async () => {
    const signIn = await signInThroughGateway(t, { userId: AJIT });
    cookie = signIn.cookie ?? "";
    expect(cookie).not.toBe("");
  });

  it("uploads with the cookie and the CSRF-prevention header", async () => {
    const { body } = await upload({ name: "browser.pdf", headers: { cookie, "x-graphql-yoga-csrf": "1" } });
    expect(result(body)).toMatchObject({ __typename: "UploadedFile", name: "browser.pdf" });
  });

  it("refuses the cookie without the header: 403, nothing uploaded", async () => {
    const before = uploads();
    const { status, body } = await upload({ name: "forged.pdf", headers: { cookie } });
    expect(status).toBe(403);
    expect((body.errors as { extensions: { code: string } }[])[0]?.extensions.code).toBe("CSRF_REFUSED");
    expect(uploads()).toBe(before);
  });
});

// Last: the refused request's connection is closed mid-body, which a pooled client may only learn on its next request.
describe("uploadFile, streamed", () => {
  it("refuses an 11 MB file sent without a Content-Length (chunked) as it streams", async () => {
    const before = uploads();
    const form = new FormData();
    form.append("operations", JSON.stringify({ query: UPLOAD, variables: { input: { file: null } } }));
    form.append("map", JSON.stringify({ 0: ["variables.input.file"] }));
    const big = new Uint8Array(11 * 1024 * 1024);
    big.set(SMALL_PDF);
    form.append("0", new Blob([big], { type: "application/pdf" }), "big.pdf");
    const encoded = new Response(form);
    const res = await fetch(`${t.gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": encoded.headers.get("content-type") ?? "", "x-graphql-yoga-csrf": "1", authorization: `Bearer ${t.token(AJIT)}` },
      body: encoded.body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe("REQUEST_ENTITY_TOO_LARGE");
    expect(uploads()).toBe(before);
  });
});
