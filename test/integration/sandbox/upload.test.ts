// Upload File to DigiLocker against the sandbox over real HTTP: uploads through the client land in the
// listings and download byte-identical; raw requests reach every error the client would refuse to send.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSandbox, type TestSandbox } from "../../helpers/sandbox.js";

const AJIT = "123e4567-e89b-12d3-a456-426655440000";
const PRIYA = "6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f";
const RAHUL = "0b7e3d52-1c4a-4f6e-8d2b-7a9c5e1f3b20";
const SCOPES = ["files.uploadeddocs", "files.issueddocs"];

const PDF = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "latin1");
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("IHDR-not-really")]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("JFIF-ish")]);
const MB10 = 10 * 1024 * 1024;

describe("sandbox: POST /oauth2/1/file/upload", () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(async () => {
    await t.close();
  });

  const token = (userId = AJIT, scopes = SCOPES, clientId?: string) =>
    t.sandbox.issueToken({ userId, scopes, ...(clientId === undefined ? {} : { clientId }) }).accessToken;
  const hmacOf = (data: Buffer, secret = t.sandbox.clientSecret) => createHmac("sha256", secret).update(data).digest("base64");

  /** An upload with exactly these headers (no defaults beyond the bearer token), as a non-validating caller sends it. */
  async function rawUpload(headers: Record<string, string>, body: Buffer, bearer: string | null = token()) {
    const res = await fetch(`${t.sandbox.baseUrl}/oauth2/1/file/upload`, {
      method: "POST",
      headers: { ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }), ...headers },
      body: new Uint8Array(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  const good = (data: Buffer, path: string, type = "application/pdf") => ({ path, "content-type": type, hmac: hmacOf(data) });
  const expectCode = (res: { status: number; body: Record<string, unknown> }, status: number, code: string) => {
    expect([res.status, res.body.error]).toEqual([status, code]);
  };

  describe("success", () => {
    it("stores a PDF in a nested folder; it is listed there and downloads byte-identical", async () => {
      const tok = token();
      const result = await t.client.files.upload(tok, { path: "/My Documents/Education/transcript.pdf", contentType: "application/pdf", data: PDF });
      expect(result).toEqual({ path: "/My Documents/Education/transcript.pdf", size: PDF.length });

      const listing = await t.client.files.listUploaded(tok, "5679");
      const item = listing.items.find((i) => i.name === "transcript.pdf");
      expect(item).toMatchObject({ kind: "FILE", size: PDF.length, parentId: "5679", mimeTypes: ["application/pdf"], issuer: null });
      expect(item?.uri).toMatch(/^in\.gov\.digilocker-OTHER-\d{14}$/);
      expect(item?.date).not.toBeNull();

      const file = await t.client.files.downloadBuffer(tok, item?.uri ?? "");
      expect(file.contentType).toBe("application/pdf");
      expect(file.data.equals(PDF)).toBe(true);
    });

    it("answers path and size as strings, as every size in the API", async () => {
      const res = await rawUpload(good(PNG, "/scan.png", "image/png"), PNG);
      expect(res).toEqual({ status: 200, body: { path: "/scan.png", size: String(PNG.length) } });
    });

    it("reads a relative path from the root and accepts image/jpg and image/jpeg for JPEG bytes", async () => {
      expect(await rawUpload(good(JPEG, "face.jpg", "image/jpg"), JPEG)).toEqual({ status: 200, body: { path: "/face.jpg", size: String(JPEG.length) } });
      const tok = token();
      await t.client.files.upload(tok, { path: "/face2.jpeg", contentType: "image/jpeg", data: JPEG });
      const root = await t.client.files.listUploaded(tok);
      expect(root.items.find((i) => i.name === "face.jpg")?.mimeTypes).toEqual(["image/jpg"]);
      expect(root.items.find((i) => i.name === "face2.jpeg")?.mimeTypes).toEqual(["image/jpeg"]);
    });

    it("replaces a file of the same name in the same folder, keeping its URI", async () => {
      const tok = token();
      await t.client.files.upload(tok, { path: "/My Documents/notes.pdf", contentType: "application/pdf", data: PDF });
      const first = (await t.client.files.listUploaded(tok, "5678")).items.filter((i) => i.name === "notes.pdf");
      const second = Buffer.concat([PDF, Buffer.from("% revised\n")]);
      await t.client.files.upload(tok, { path: "/My Documents/notes.pdf", contentType: "application/pdf", data: second });
      const after = (await t.client.files.listUploaded(tok, "5678")).items.filter((i) => i.name === "notes.pdf");
      expect(first).toHaveLength(1);
      expect(after).toHaveLength(1);
      expect(after[0]?.uri).toBe(first[0]?.uri);
      expect(after[0]?.size).toBe(second.length);
      expect((await t.client.files.downloadBuffer(tok, after[0]?.uri ?? "")).data.equals(second)).toBe(true);
    });

    it("persists for later tokens of the same user, and no other user sees it", async () => {
      await t.client.files.upload(token(), { path: "/persist.pdf", contentType: "application/pdf", data: PDF });
      const later = await t.client.files.listUploaded(token());
      const item = later.items.find((i) => i.name === "persist.pdf");
      expect(item).toBeDefined();
      expect((await t.client.files.listUploaded(token(PRIYA))).items.some((i) => i.name === "persist.pdf")).toBe(false);
      await expect(t.client.files.downloadBuffer(token(PRIYA), item?.uri ?? "")).rejects.toMatchObject({ status: 404, code: "invalid_uri" });
    });

    it("gives a user with no folders yet a root to upload to", async () => {
      const tok = token(RAHUL);
      await t.client.files.upload(tok, { path: "/first.pdf", contentType: "application/pdf", data: PDF });
      const root = await t.client.files.listUploaded(tok);
      expect(root.items.map((i) => i.name)).toEqual(["first.pdf"]);
    });

    it("checks the hmac with the secret of the client the token was issued to", async () => {
      const second = token(AJIT, SCOPES, "SANDBOX2");
      const headers = { path: "/second.pdf", "content-type": "application/pdf" };
      expectCode(await rawUpload({ ...headers, hmac: hmacOf(PDF) }, PDF, second), 400, "hmac_mismatch");
      expect((await rawUpload({ ...headers, hmac: hmacOf(PDF, "sandbox-second-secret") }, PDF, second)).status).toBe(200);
    });
  });

  describe("the spec's errors, in the order the sandbox checks them", () => {
    it("path_missing", async () => {
      const res = await rawUpload({ "content-type": "application/pdf", hmac: hmacOf(PDF) }, PDF);
      expect(res).toEqual({ status: 400, body: { error: "path_missing", error_description: "Path parameter is missing" } });
      // Nothing at all: the path is checked first.
      expectCode(await rawUpload({}, Buffer.alloc(0)), 400, "path_missing");
    });

    it("contenttype_missing", async () => {
      expectCode(await rawUpload({ path: "/a.pdf", hmac: hmacOf(PDF) }, PDF), 400, "contenttype_missing");
    });

    it("hmac_missing", async () => {
      expectCode(await rawUpload({ path: "/a.pdf", "content-type": "application/pdf" }, PDF), 400, "hmac_missing");
    });

    it("filename_missing when the path ends with a folder", async () => {
      for (const path of ["/", "/My Documents/", "/My Documents/.."]) {
        expectCode(await rawUpload(good(PDF, path), PDF), 400, "filename_missing");
      }
    });

    it("invalid_filename for each restricted character", async () => {
      for (const c of ["\\", ":", "*", "?", "<", ">", "'", "^", "~"]) {
        const res = await rawUpload(good(PDF, `/My Documents/bad${c}name.pdf`), PDF);
        expect([c, res.status, res.body.error]).toEqual([c, 400, "invalid_filename"]);
      }
    });

    it("invalid_filetype for anything but JPG, JPEG, PNG and PDF", async () => {
      for (const type of ["text/plain", "image/gif", "application/xml"]) {
        expectCode(await rawUpload(good(PDF, "/a.pdf", type), PDF), 400, "invalid_filetype");
      }
    });

    it("file_data_missing for an empty body", async () => {
      expectCode(await rawUpload(good(Buffer.alloc(0), "/a.pdf"), Buffer.alloc(0)), 400, "file_data_missing");
    });

    it("invalid_filesize past 10 MB (10 × 1024 × 1024 bytes), and for a body too large to read", async () => {
      const justOver = Buffer.alloc(MB10 + 1);
      PDF.copy(justOver);
      expectCode(await rawUpload(good(justOver, "/big.pdf"), justOver), 400, "invalid_filesize");
      const huge = Buffer.alloc(13 * 1024 * 1024);
      expectCode(await rawUpload({ path: "/huge.pdf", "content-type": "application/pdf", hmac: "x" }, huge), 400, "invalid_filesize");
      // Exactly 10 MB is allowed.
      const limit = Buffer.alloc(MB10);
      PDF.copy(limit);
      expect((await rawUpload(good(limit, "/limit.pdf"), limit)).status).toBe(200);
    });

    it("hmac_mismatch for a wrong or malformed hmac", async () => {
      expectCode(await rawUpload({ ...good(PDF, "/a.pdf"), hmac: hmacOf(PNG) }, PDF), 400, "hmac_mismatch");
      expectCode(await rawUpload({ ...good(PDF, "/a.pdf"), hmac: "not base64 at all" }, PDF), 400, "hmac_mismatch");
    });

    it("mimetype_mismatch when the bytes are not what Content-Type says", async () => {
      expectCode(await rawUpload(good(PNG, "/a.pdf", "application/pdf"), PNG), 400, "mimetype_mismatch");
      expectCode(await rawUpload(good(PDF, "/a.png", "image/png"), PDF), 400, "mimetype_mismatch");
      const text = Buffer.from("plain text");
      expectCode(await rawUpload(good(text, "/a.jpg", "image/jpeg"), text), 400, "mimetype_mismatch");
    });

    it("invalid_path for a folder that does not exist for this user", async () => {
      const priyaFolder = [...t.sandbox.state.folders.values()].find((f) => f.ownerId === PRIYA && f.parentId !== null);
      expect(priyaFolder).toBeDefined();
      for (const path of ["/Nope/a.pdf", "/Education/a.pdf", "/My Documents/Nope/a.pdf", "//a.pdf", `/${priyaFolder?.name ?? ""}/a.pdf`]) {
        const res = await rawUpload(good(PDF, path), PDF);
        expect([path, res.status, res.body.error]).toEqual([path, 400, "invalid_path"]);
      }
      await expect(
        t.client.files.upload(token(), { path: "/Missing/a.pdf", contentType: "application/pdf", data: PDF }),
      ).rejects.toMatchObject({ name: "BadRequestError", status: 400, code: "invalid_path" });
    });

    it("insufficient_scope without files.uploadeddocs", async () => {
      await expect(
        t.client.files.upload(token(AJIT, ["files.issueddocs", "userdetails"]), { path: "/a.pdf", contentType: "application/pdf", data: PDF }),
      ).rejects.toMatchObject({ name: "InsufficientScopeError", status: 403, code: "insufficient_scope" });
    });

    it("invalid_token for a missing, unknown or revoked token", async () => {
      expectCode(await rawUpload(good(PDF, "/a.pdf"), PDF, null), 401, "invalid_token");
      expectCode(await rawUpload(good(PDF, "/a.pdf"), PDF, "0123456789abcdef0123456789abcdef01234567"), 401, "invalid_token");
      const revoked = token();
      const stored = t.sandbox.state.accessTokens.get(revoked);
      if (!stored) throw new Error("issued token not stored");
      stored.revoked = true;
      await expect(
        t.client.files.upload(revoked, { path: "/a.pdf", contentType: "application/pdf", data: PDF }),
      ).rejects.toMatchObject({ name: "InvalidTokenError", status: 401, code: "invalid_token" });
    });

    it("unexpected_error 530 when the service fails (fault injection)", async () => {
      t.sandbox.setFaults({ errorRate: 1, errorCode: "unexpected_error", endpoints: ["files.upload"] });
      try {
        expectCode(await rawUpload(good(PDF, "/a.pdf"), PDF), 530, "unexpected_error");
      } finally {
        t.sandbox.setFaults({});
      }
    });

    it("stores nothing when an upload is refused", async () => {
      const before = t.sandbox.state.uploads.length;
      await rawUpload(good(PDF, "/Nope/a.pdf"), PDF);
      await rawUpload({ ...good(PDF, "/refused.pdf"), hmac: hmacOf(PNG) }, PDF);
      expect(t.sandbox.state.uploads.length).toBe(before);
    });
  });
});
