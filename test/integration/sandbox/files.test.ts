// File APIs (spec: listings, Get File from URI, certificate XML, e-Aadhaar) against the sandbox over real
// HTTP: the client reads and verifies every answer; raw requests reach what the client refuses to send.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSandbox, type TestSandbox } from "../../helpers/sandbox.js";

const AJIT = "123e4567-e89b-12d3-a456-426655440000";
const PRIYA = "6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f";
const RAHUL = "0b7e3d52-1c4a-4f6e-8d2b-7a9c5e1f3b20";
const ASHA = "c3d4e5f6-a7b8-4c9d-8e0f-112233445566";
const HSCER = "in.gov.cbse-HSCER-201412345678";
const DRVLC = "in.gov.transport-DRVLC-DL0120230100001";
const OFFLINE = "in.gov.sandbox.offline-OFCER-0001";
const MYFILE = "in.gov.digilocker-OTHER-39491058586222";
const ALL = ["userdetails", "files.issueddocs", "files.uploadeddocs"];

const hmacOf = (secret: string, data: Buffer) => createHmac("sha256", secret).update(data).digest("base64");

describe("sandbox: file routes", () => {
  let t: TestSandbox;
  let clock = Date.now();
  beforeAll(async () => {
    t = await startTestSandbox({ deps: { now: () => clock } });
  });
  afterAll(async () => {
    await t.close();
  });

  const token = (userId: string, scopes = ALL, clientId?: string) =>
    t.sandbox.issueToken({ userId, scopes, ...(clientId === undefined ? {} : { clientId }) }).accessToken;
  async function raw(path: string, bearer?: string) {
    const res = await fetch(`${t.sandbox.baseUrl}${path}`, bearer === undefined ? {} : { headers: { authorization: `Bearer ${bearer}` } });
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
  }
  const jsonOf = (r: { body: Buffer }) => JSON.parse(r.body.toString("utf8")) as unknown;
  const issued = (uri: string) => {
    const doc = t.sandbox.state.issued.find((d) => d.uri === uri);
    if (!doc) throw new Error(`seed has no ${uri}`);
    return doc;
  };
  const uploaded = (uri: string) => {
    const file = t.sandbox.state.uploads.find((u) => u.uri === uri);
    if (!file) throw new Error(`seed has no ${uri}`);
    return file;
  };
  const user = (id: string) => {
    const u = t.sandbox.state.users.get(id);
    if (!u) throw new Error(`seed has no user ${id}`);
    return u;
  };
  const err = (status: number, code: string) => ({ status, code });

  describe("GET /oauth2/1/files/{id} (uploaded documents)", () => {
    it("lists the root folder when no id is sent", async () => {
      const listing = await t.client.files.listUploaded(token(AJIT));
      expect(listing.directory).toBe("/");
      const byName = new Map(listing.items.map((i) => [i.name, i]));
      expect(byName.get("My Documents")).toMatchObject({ kind: "FOLDER", id: "5678", parentId: "1234", uri: null, mimeTypes: [] });
      expect(byName.get("myfile.pdf")).toMatchObject({
        kind: "FILE",
        id: null,
        parentId: "1234",
        mimeTypes: ["application/pdf"],
        uri: MYFILE,
        description: "Income Certificate",
        issuer: null,
        size: uploaded(MYFILE).data.length,
      });
      expect(byName.get("photo.jpg")).toMatchObject({ kind: "FILE", mimeTypes: [expect.stringMatching(/^image\/jpe?g$/)] });
    });

    it("sends every field as a string, as the spec's sample does", async () => {
      const res = await raw("/oauth2/1/files/", token(AJIT));
      expect(res.status).toBe(200);
      const body = jsonOf(res) as { directory: string; items: Record<string, unknown>[] };
      expect(body.directory).toBe("/");
      const keys = ["name", "type", "id", "size", "date", "parent", "mime", "uri", "description", "issuer"];
      for (const item of body.items) {
        expect(Object.keys(item)).toEqual(keys);
        expect(Object.values(item).every((v) => typeof v === "string")).toBe(true);
        expect(item.size).toMatch(/^\d+$/);
        expect(item.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      }
      const folder = body.items.find((i) => i.type === "dir");
      expect(folder).toMatchObject({ name: "My Documents", id: "5678", mime: "", uri: "", description: "", issuer: "" });
      const file = body.items.find((i) => i.name === "myfile.pdf");
      expect(file).toMatchObject({ type: "file", id: "", mime: "application/pdf", uri: MYFILE, issuer: "" });
      // The folder's size counts what is below it (degree.pdf, two levels down).
      expect(Number(folder?.size)).toBeGreaterThan(0);
    });

    it("lists nested folders with their path as `directory`", async () => {
      const tok = token(AJIT);
      const docs = await t.client.files.listUploaded(tok, "5678");
      expect(docs.directory).toBe("/My Documents");
      expect(docs.items).toContainEqual(expect.objectContaining({ kind: "FOLDER", name: "Education", id: "5679", parentId: "5678" }));
      const education = await t.client.files.listUploaded(tok, "5679");
      expect(education.directory).toBe("/My Documents/Education");
      expect(education.items).toContainEqual(expect.objectContaining({ kind: "FILE", name: "degree.pdf", parentId: "5679" }));
    });

    it("lists an empty root for a user with no uploads", async () => {
      expect(await t.client.files.listUploaded(token(RAHUL))).toEqual({ directory: "/", items: [] });
    });

    it("answers 404 invalid_id for an unknown folder and for another user's folder", async () => {
      await expect(t.client.files.listUploaded(token(AJIT), "999999")).rejects.toMatchObject(err(404, "invalid_id"));
      const priyas = [...t.sandbox.state.folders.values()].find((f) => f.ownerId === PRIYA);
      expect(priyas).toBeDefined();
      await expect(t.client.files.listUploaded(token(AJIT), priyas?.id ?? "")).rejects.toMatchObject(err(404, "invalid_id"));
    });
  });

  describe("GET /oauth2/2/files/issued and /oauth2/1/files/issued", () => {
    it("lists the user's issued documents with doctype, issuer id and mime types", async () => {
      const items = await t.client.files.listIssued(token(AJIT));
      expect(items.map((i) => i.uri).sort()).toEqual(
        t.sandbox.state.issued.filter((d) => d.ownerId === AJIT).map((d) => d.uri).sort(),
      );
      expect(items.find((i) => i.uri === HSCER)).toMatchObject({
        name: "Class XII Marksheet",
        docType: "HSCER",
        description: "Class XII Marksheet",
        issuerId: "in.gov.cbse",
        // The issuer's name as Get List of Issuers gives it (the spec's sample abbreviates it to "CBSE").
        issuer: t.sandbox.state.issuers.find((i) => i.orgid === "000018")?.name,
        mimeTypes: ["application/pdf", "application/xml"],
      });
      expect(items.find((i) => i.uri === DRVLC)).toMatchObject({ docType: "DRVLC", mimeTypes: ["application/pdf"] });
    });

    it("sends mime as a string for PDF only and as a list with XML (v2), a string on v1", async () => {
      const tok = token(AJIT);
      const v2 = jsonOf(await raw("/oauth2/2/files/issued", tok)) as { items: Record<string, unknown>[] };
      const v2hscer = v2.items.find((i) => i.uri === HSCER);
      expect(v2hscer).toMatchObject({ type: "file", size: "", parent: "", mime: ["application/pdf", "application/xml"] });
      expect(v2.items.find((i) => i.uri === DRVLC)?.mime).toBe("application/pdf");

      const v1res = await raw("/oauth2/1/files/issued", tok);
      expect(v1res.status).toBe(200);
      const v1 = jsonOf(v1res) as { items: Record<string, unknown>[] };
      expect(v1.items).toHaveLength(v2.items.length);
      expect(v1.items.find((i) => i.uri === HSCER)).toMatchObject({ ...v2hscer, mime: "application/pdf,application/xml" });
      expect(v1.items.every((i) => typeof i.mime === "string")).toBe(true);
    });

    it("lists nothing for a user with no issued documents, and Priya's from many issuers", async () => {
      expect(await t.client.files.listIssued(token(RAHUL))).toEqual([]);
      const priya = await t.client.files.listIssued(token(PRIYA));
      expect(priya.length).toBe(12);
      expect(new Set(priya.map((i) => i.issuerId)).size).toBeGreaterThanOrEqual(8);
    });
  });

  describe("GET /oauth2/1/file/{uri}", () => {
    it("returns an issued PDF byte for byte, with Content-Type, Content-Length and a valid hmac", async () => {
      const file = await t.client.files.downloadBuffer(token(AJIT), HSCER);
      expect(file.contentType).toBe("application/pdf");
      expect(file.data.equals(issued(HSCER).pdf)).toBe(true);
      expect(file.data.subarray(0, 5).toString("latin1")).toBe("%PDF-");

      const res = await raw(`/oauth2/1/file/${encodeURIComponent(HSCER)}`, token(AJIT));
      expect(res.headers.get("content-length")).toBe(String(issued(HSCER).pdf.length));
      expect(res.headers.get("hmac")).toBe(hmacOf(t.sandbox.clientSecret, issued(HSCER).pdf));
    });

    it("streams an uploaded file with its own mime type", async () => {
      const photo = t.sandbox.state.uploads.find((u) => u.ownerId === AJIT && u.name === "photo.jpg");
      if (!photo) throw new Error("seed has no photo.jpg");
      const download = await t.client.files.download(token(AJIT), photo.uri);
      expect(download.contentType).toBe(photo.mime);
      expect(download.contentLength).toBe(photo.data.length);
      const chunks: Buffer[] = [];
      for await (const chunk of download.body) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(photo.data)).toBe(true);
      expect(photo.data.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    });

    it("keys the hmac with the secret of the client the token was issued to", async () => {
      const res = await raw(`/oauth2/1/file/${encodeURIComponent(MYFILE)}`, token(AJIT, ALL, "SANDBOX2"));
      expect(res.status).toBe(200);
      expect(res.headers.get("hmac")).toBe(hmacOf("sandbox-second-secret", uploaded(MYFILE).data));
      expect(res.body.equals(uploaded(MYFILE).data)).toBe(true);
    });

    it("accepts the document's own issued/<uri> scope, and only for that document", async () => {
      const tok = token(AJIT, [`issued/${HSCER}`]);
      expect((await t.client.files.downloadBuffer(tok, HSCER)).data.equals(issued(HSCER).pdf)).toBe(true);
      await expect(t.client.files.downloadBuffer(tok, DRVLC)).rejects.toMatchObject(err(403, "insufficient_scope"));
      await expect(t.client.files.downloadBuffer(tok, MYFILE)).rejects.toMatchObject(err(403, "insufficient_scope"));
    });

    it("needs files.issueddocs for issued and files.uploadeddocs for uploaded documents: 403 insufficient_scope", async () => {
      const uploadedOnly = token(AJIT, ["files.uploadeddocs"]);
      const issuedOnly = token(AJIT, ["files.issueddocs"]);
      await expect(t.client.files.downloadBuffer(uploadedOnly, HSCER)).rejects.toMatchObject(err(403, "insufficient_scope"));
      await expect(t.client.files.downloadBuffer(issuedOnly, MYFILE)).rejects.toMatchObject(err(403, "insufficient_scope"));
      await expect(t.client.files.downloadBuffer(token(AJIT, ["userdetails"]), HSCER)).rejects.toMatchObject(
        err(403, "insufficient_scope"),
      );
      expect((await t.client.files.downloadBuffer(issuedOnly, HSCER)).contentType).toBe("application/pdf");
      expect((await t.client.files.downloadBuffer(uploadedOnly, MYFILE)).contentType).toBe("application/pdf");
    });

    it("answers 400 uri_missing for an empty URI (which the client refuses to send)", async () => {
      const res = await raw("/oauth2/1/file/", token(AJIT));
      expect(res.status).toBe(400);
      expect(jsonOf(res)).toEqual({ error: "uri_missing", error_description: "URI parameter missing" });
      expect((await raw("/oauth2/1/file", token(AJIT))).status).toBe(400);
    });

    it("answers 404 invalid_uri for an unknown URI and for another user's document", async () => {
      await expect(t.client.files.downloadBuffer(token(AJIT), "in.gov.cbse-HSCER-000000000000")).rejects.toMatchObject(
        err(404, "invalid_uri"),
      );
      const priyas = t.sandbox.state.issued.find((d) => d.ownerId === PRIYA);
      await expect(t.client.files.downloadBuffer(token(AJIT), priyas?.uri ?? "x")).rejects.toMatchObject(err(404, "invalid_uri"));
      const priyasUpload = t.sandbox.state.uploads.find((u) => u.ownerId === PRIYA);
      await expect(t.client.files.downloadBuffer(token(AJIT), priyasUpload?.uri ?? "x")).rejects.toMatchObject(
        err(404, "invalid_uri"),
      );
    });

    it("answers 530 repository_service_respperror for a document of an offline issuer", async () => {
      await expect(t.client.files.downloadBuffer(token(AJIT), OFFLINE)).rejects.toMatchObject({
        name: "UpstreamServerError",
        status: 530,
        code: "repository_service_respperror",
      });
    });
  });

  describe("GET /oauth2/1/xml/{uri}", () => {
    it("returns the certificate XML as application/xml with a valid hmac", async () => {
      const xml = await t.client.files.certificateXml(token(AJIT), HSCER);
      expect(xml).toBe(issued(HSCER).xml);
      const res = await raw(`/oauth2/1/xml/${encodeURIComponent(HSCER)}`, token(AJIT));
      expect(res.headers.get("content-type")).toBe("application/xml");
      expect(res.headers.get("content-length")).toBe(String(res.body.length));
      expect(res.headers.get("hmac")).toBe(hmacOf(t.sandbox.clientSecret, res.body));
    });

    it("accepts the document's issued/<uri> scope", async () => {
      expect(await t.client.files.certificateXml(token(AJIT, [`issued/${HSCER}`]), HSCER)).toBe(issued(HSCER).xml);
    });

    it("answers 404 invalid_uri for a PDF-only document, an uploaded file and an unknown URI", async () => {
      const tok = token(AJIT);
      for (const uri of [DRVLC, MYFILE, "in.gov.cbse-HSCER-000000000000"]) {
        await expect(t.client.files.certificateXml(tok, uri)).rejects.toMatchObject(err(404, "invalid_uri"));
      }
    });

    it("answers 400 uri_missing, 403 insufficient_scope and 530 repository_service_resperror", async () => {
      const res = await raw("/oauth2/1/xml/", token(AJIT));
      expect(res.status).toBe(400);
      expect(jsonOf(res)).toMatchObject({ error: "uri_missing" });
      await expect(t.client.files.certificateXml(token(AJIT, ["files.uploadeddocs", "userdetails"]), HSCER)).rejects.toMatchObject(
        err(403, "insufficient_scope"),
      );
      await expect(t.client.files.certificateXml(token(AJIT, [`issued/${HSCER}`]), "in.gov.delhi-INCER-98765432")).rejects.toMatchObject(
        err(403, "insufficient_scope"),
      );
      await expect(t.client.files.certificateXml(token(AJIT), OFFLINE)).rejects.toMatchObject(
        err(530, "repository_service_resperror"),
      );
    });
  });

  describe("GET /oauth2/3/xml/eaadhaar", () => {
    it("returns the user's e-Aadhaar XML with a valid hmac", async () => {
      const xml = await t.client.files.eAadhaarXml(token(AJIT));
      expect(xml).toBe(user(AJIT).eAadhaarXml);
      const res = await raw("/oauth2/3/xml/eaadhaar", token(PRIYA));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/xml");
      expect(res.body.toString("utf8")).toBe(user(PRIYA).eAadhaarXml);
      expect(res.headers.get("hmac")).toBe(hmacOf(t.sandbox.clientSecret, res.body));
    });

    it("answers 404 aadhaar_not_linked without Aadhaar and 404 aadhaar_not_available without its data", async () => {
      await expect(t.client.files.eAadhaarXml(token(RAHUL))).rejects.toMatchObject(err(404, "aadhaar_not_linked"));
      await expect(t.client.files.eAadhaarXml(token(ASHA))).rejects.toMatchObject(err(404, "aadhaar_not_available"));
    });

    it("needs files.issueddocs: 403 insufficient_scope", async () => {
      await expect(t.client.files.eAadhaarXml(token(AJIT, ["userdetails", "files.uploadeddocs"]))).rejects.toMatchObject(
        err(403, "insufficient_scope"),
      );
    });
  });

  describe("scopes of the listings", () => {
    it("answers 403 insufficient_scope on both listings without their scope", async () => {
      const details = token(AJIT, ["userdetails"]);
      await expect(t.client.files.listUploaded(details)).rejects.toMatchObject(err(403, "insufficient_scope"));
      await expect(t.client.files.listUploaded(token(AJIT, ["files.issueddocs"]), "5678")).rejects.toMatchObject(
        err(403, "insufficient_scope"),
      );
      await expect(t.client.files.listIssued(token(AJIT, ["files.uploadeddocs"]))).rejects.toMatchObject(
        err(403, "insufficient_scope"),
      );
      const v1 = await raw("/oauth2/1/files/issued", details);
      expect([v1.status, jsonOf(v1)]).toEqual([403, expect.objectContaining({ error: "insufficient_scope" })]);
    });
  });

  describe("codes only a failing repository produces (reached by fault injection)", () => {
    const cases = [
      ["files.uploaded", "unexpected_error", 530, () => t.client.files.listUploaded(token(AJIT))],
      ["files.issued", "partner_service_unresponsive", 530, () => t.client.files.listIssued(token(AJIT))],
      ["files.file", "repository_service_exception", 530, () => t.client.files.downloadBuffer(token(AJIT), HSCER)],
      ["files.xml", "repository_service_exception", 530, () => t.client.files.certificateXml(token(AJIT), HSCER)],
      ["files.eaadhaar", "repository_service_exception", 530, () => t.client.files.eAadhaarXml(token(AJIT))],
      ["files.eaadhaar", "unexpected_error", 530, () => t.client.files.eAadhaarXml(token(AJIT))],
      ["files.eaadhaar", "internal_server_error", 530, () => t.client.files.eAadhaarXml(token(AJIT))],
    ] as const;
    for (const [endpoint, code, status, call] of cases) {
      it(`${endpoint}: ${String(status)} ${code}`, async () => {
        t.sandbox.setFaults({ errorRate: 1, errorCode: code, endpoints: [endpoint] });
        try {
          await expect(call()).rejects.toMatchObject({ name: "UpstreamServerError", status, code });
        } finally {
          t.sandbox.setFaults({});
        }
      });
    }
  });

  describe("tokens", () => {
    const routes = [
      "/oauth2/1/files/",
      "/oauth2/1/files/5678",
      "/oauth2/1/files/issued",
      "/oauth2/2/files/issued",
      `/oauth2/1/file/${HSCER}`,
      `/oauth2/1/xml/${HSCER}`,
      "/oauth2/3/xml/eaadhaar",
    ];
    const invalid = { error: "invalid_token", error_description: "The access token is invalid" };

    it("answers 401 invalid_token for a missing or unknown token on every file read", async () => {
      for (const path of routes) {
        for (const bearer of [undefined, "0123456789abcdef0123456789abcdef01234567"]) {
          const res = await raw(path, bearer);
          expect([path, res.status, jsonOf(res)]).toEqual([path, 401, invalid]);
        }
      }
    });

    it("answers 401 invalid_token for a revoked token", async () => {
      const tok = token(AJIT);
      const stored = t.sandbox.state.accessTokens.get(tok);
      if (!stored) throw new Error("issued token not stored");
      stored.revoked = true;
      await expect(t.client.files.listIssued(tok)).rejects.toMatchObject({ name: "InvalidTokenError", status: 401 });
      for (const path of routes) expect((await raw(path, tok)).status).toBe(401);
    });

    it("answers 401 invalid_token once the token has expired (last: it moves the clock)", async () => {
      const tok = token(AJIT);
      expect((await raw("/oauth2/2/files/issued", tok)).status).toBe(200);
      clock += (t.sandbox.state.accessTokens.get(tok)?.expiresAt ?? 0) - clock;
      for (const path of routes) expect([path, (await raw(path, tok)).status]).toEqual([path, 401]);
    });
  });
});
