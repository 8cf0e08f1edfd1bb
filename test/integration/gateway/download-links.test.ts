// Download links over real HTTP (docs/downloads.md): made by the service the GraphQL fields call, opened by a
// plain GET as a browser or a server would. The bytes are DigiLocker's, the headers are the documented ones, and
// a link dies with its expiry, its session, its consent request or its token; a file that fails DigiLocker's hmac
// never arrives whole.
import { createHash } from "node:crypto";
import { get as httpGet, type IncomingMessage } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { DigiLockerClient } from "../../../src/digilocker/index.js";
import type { LinkBinding, LinkRequest } from "../../../src/files/download-links.js";
import { LARGE_DOCUMENT_URI } from "../../../src/sandbox/seed/large-document.js";
import type { Sandbox } from "../../../src/sandbox/server.js";
import { startGateway, type Gateway } from "../../../src/server/gateway.js";
import { AJIT, ManualClock, PRIYA, startTestGateway, type TestGateway } from "../../helpers/gateway.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

const FILE_HEADERS = {
  "cache-control": "private, no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};
const ERROR_HEADERS = { "content-type": "application/json", "cache-control": "no-store" };

const BODIES = {
  link_invalid: { error: "link_invalid", message: "This download link is not valid. Ask the application for a new link." },
  link_expired: { error: "link_expired", message: "This download link has expired. Ask the application for a new link." },
  session_ended: {
    error: "session_ended",
    message: "The DigiLocker session this link was made for has ended. Sign in again, then ask for a new link.",
  },
  consent_revoked: {
    error: "consent_revoked",
    message: "The consent this link was made under has been revoked. A new consent request is needed to download this document.",
  },
  token_revoked: {
    error: "token_revoked",
    message: "DigiLocker no longer accepts the access token this link was made with. Get a new token, then ask for a new link.",
  },
  document_not_found: {
    error: "document_not_found",
    message: "DigiLocker has no such document in this locker. Check that it is still there, then ask for a new link.",
  },
  file_integrity_failed: {
    error: "file_integrity_failed",
    message: "The file DigiLocker sent failed its integrity check, so it was not delivered. Try again in a moment.",
  },
};

interface Running {
  gateway: Gateway;
  sandbox: Sandbox;
  clock: ManualClock;
}

/** A gateway as startTestGateway makes one, with sandbox settings that have no variable (a large document). */
async function startWithSandbox(sandbox: { largeDocumentBytes: number }, env: Record<string, string> = {}): Promise<Running> {
  const clock = new ManualClock();
  const config = loadConfig({ DATA_DIR: "memory", PORT: "0", SANDBOX_PORT: "0", LOG_LEVEL: "silent", DIGILOCKER_MAX_RETRIES: "0", ...env });
  const now = () => clock.epoch();
  const gateway = await startGateway({ ...config, sandbox: { ...config.sandbox, ...sandbox } }, { clock, now, sandbox: { now } });
  if (gateway.sandbox === null) throw new Error("expected the embedded sandbox");
  return { gateway, sandbox: gateway.sandbox, clock };
}

/** The link's path on the gateway's own address (links are built on PUBLIC_URL, http://localhost:<port> here). */
function onGateway(t: Running, url: string): string {
  return `${t.gateway.url}${new URL(url).pathname}`;
}

async function makeLink(t: Running, binding: LinkBinding, uri: string, extra: Partial<LinkRequest> = {}): Promise<string> {
  const link = await t.gateway.services.downloadLinks.create({
    binding,
    uri,
    format: "FILE",
    disposition: "ATTACHMENT",
    fileName: "document.pdf",
    mimeType: "application/pdf",
    ...extra,
  });
  return onGateway(t, link.url);
}

/** The file as DigiLocker's own REST route gives it to the same token. */
async function straightFromSandbox(sandbox: Sandbox, token: string, uri: string, route = "file"): Promise<Buffer> {
  const res = await fetch(`${sandbox.baseUrl}/oauth2/1/${route}/${encodeURIComponent(uri)}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

async function expectRefused(res: Response, status: number, body: { error: string; message: string }): Promise<void> {
  expect({ status: res.status, body: (await res.json()) as unknown }).toEqual({ status, body });
  for (const [name, value] of Object.entries(ERROR_HEADERS)) expect(res.headers.get(name)).toBe(value);
}

function issuedOf(sandbox: Sandbox, userId: string, withXml = false) {
  const doc = sandbox.state.issued.find((d) => d.ownerId === userId && (!withXml || d.xml !== null));
  if (doc === undefined) throw new Error(`no issued document for ${userId}`);
  return doc;
}

async function revokeAtDigiLocker(sandbox: Sandbox, token: string): Promise<void> {
  const client = new DigiLockerClient({ baseUrl: sandbox.baseUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, retry: { maxRetries: 0 } });
  try {
    await client.oauth.revoke(token, "access_token");
  } finally {
    await client.close();
  }
}

/** Replaces the character at `at` with another one of the base64url alphabet. */
function alter(text: string, at: number): string {
  const c = text[at];
  return `${text.slice(0, at)}${c === "A" ? "B" : "A"}${text.slice(at + 1)}`;
}

describe("download links", () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ ALLOWED_REDIRECT_ORIGINS: "https://partner.example.in" });
  });
  afterAll(async () => {
    await t.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("streams DigiLocker's bytes through a bearer link, with the documented headers, and puts nothing in the URL", async () => {
    const token = t.token(PRIYA);
    const doc = issuedOf(t.sandbox, PRIYA);
    const link = await t.gateway.services.downloadLinks.create({
      binding: { kind: "bearer", token },
      uri: doc.uri,
      format: "FILE",
      disposition: "ATTACHMENT",
      fileName: "marksheet.pdf",
      mimeType: "application/pdf",
    });
    const port = new URL(t.gateway.url).port;
    expect(link.url).toMatch(new RegExp(`^http://localhost:${port}/files/[A-Za-z0-9_-]{22}\\.\\d{10}\\.[A-Za-z0-9_-]{22}$`));
    for (const secret of [token, doc.uri, doc.uri.split("-").at(-1) ?? "", encodeURIComponent(doc.uri)]) expect(link.url).not.toContain(secret);
    expect(link).toMatchObject({ fileName: "marksheet.pdf", mimeType: "application/pdf" });
    expect(Math.abs(Date.parse(link.expiresAt) - (t.clock.epoch() + 300_000))).toBeLessThanOrEqual(1_000);
    expect(link.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);

    const res = await fetch(onGateway(t, link.url));
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.headers)).toMatchObject({
      ...FILE_HEADERS,
      "content-type": "application/pdf",
      "content-length": String(doc.pdf.length),
      "content-disposition": 'attachment; filename="marksheet.pdf"',
    });
    // No CSP sandbox on a PDF: Chromium's PDF viewer refuses to run in a sandboxed document (docs/downloads.md). An
    // attachment may not be framed either.
    expect(res.headers.get("content-security-policy")).toBe("frame-ancestors 'none'");
    expect(sha256(body)).toBe(sha256(await straightFromSandbox(t.sandbox, token, doc.uri)));
    expect(sha256(body)).toBe(sha256(doc.pdf));

    // A link works until it expires, not once.
    expect((await fetch(onGateway(t, link.url))).status).toBe(200);
  });

  it("names a non-ASCII file for every browser (RFC 6266 / 5987) and serves INLINE", async () => {
    const doc = issuedOf(t.sandbox, PRIYA);
    const url = await makeLink(t, { kind: "bearer", token: t.token(PRIYA) }, doc.uri, { fileName: "मार्कशीट 2024.pdf", disposition: "INLINE" });
    const res = await fetch(url);
    await res.arrayBuffer();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe(
      "inline; filename=\"_ 2024.pdf\"; filename*=UTF-8''%E0%A4%AE%E0%A4%BE%E0%A4%B0%E0%A5%8D%E0%A4%95%E0%A4%B6%E0%A5%80%E0%A4%9F%202024.pdf",
    );
    const hostile = await fetch(await makeLink(t, { kind: "bearer", token: t.token(PRIYA) }, doc.uri, { fileName: '..\\evil"\r\nSet-Cookie: x=1/.pdf' }));
    await hostile.arrayBuffer();
    expect(hostile.headers.get("content-disposition")).toBe('attachment; filename="_evilSet-Cookie: x=1_.pdf"');
    expect(hostile.headers.get("set-cookie")).toBeNull();
  });

  it("streams certificate XML (format XML) as DigiLocker's XML route gives it", async () => {
    const token = t.token(PRIYA);
    const doc = issuedOf(t.sandbox, PRIYA, true);
    const res = await fetch(await makeLink(t, { kind: "bearer", token }, doc.uri, { format: "XML", fileName: "marksheet.xml", mimeType: "application/xml" }));
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/xml");
    expect(res.headers.get("content-security-policy")).toBe("sandbox; frame-ancestors 'none'");
    expect(sha256(body)).toBe(sha256(await straightFromSandbox(t.sandbox, token, doc.uri, "xml")));
    expect(body.toString("utf8")).toBe(doc.xml);
  });

  it("answers HEAD with the headers only, without asking DigiLocker", async () => {
    const url = await makeLink(t, { kind: "bearer", token: t.token(PRIYA) }, issuedOf(t.sandbox, PRIYA).uri);
    t.gateway.upstreamCalls.reset();
    const res = await fetch(url, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="document.pdf"');
    expect(t.gateway.upstreamCalls.total()).toBe(0);
  });

  it("refuses other methods with 405 and Allow", async () => {
    const url = await makeLink(t, { kind: "bearer", token: t.token(PRIYA) }, issuedOf(t.sandbox, PRIYA).uri);
    for (const method of ["POST", "PUT", "DELETE"]) {
      const res = await fetch(url, { method, body: method === "DELETE" ? null : "x" });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("GET, HEAD");
      expect(await res.json()).toEqual({ error: "method_not_allowed", message: "Download links answer GET (and HEAD) only." });
    }
  });

  it("refuses a link altered anywhere (id, expiry or MAC) with 403, without reading the store", async () => {
    const url = await makeLink(t, { kind: "bearer", token: t.token(PRIYA) }, issuedOf(t.sandbox, PRIYA).uri);
    const base = url.slice(0, url.lastIndexOf("/") + 1);
    const opaque = url.slice(base.length);
    const [id = "", exp = "", mac = ""] = opaque.split(".");
    const reads = vi.spyOn(t.gateway.services.store, "get");
    const altered = [
      `${alter(id, 0)}.${exp}.${mac}`,
      `${alter(id, 21)}.${exp}.${mac}`,
      `${id}.${String(Number(exp) + 3600)}.${mac}`,
      `${id}.0${exp}.${mac}`,
      `${id}.${exp}.${alter(mac, 5)}`,
      // The last character of 16 bytes in base64url has 4 unused bits: still a different link.
      `${id}.${exp}.${alter(mac, 21)}`,
      `${id}.${exp}.${mac}x`,
      `${id}.${exp}`,
    ];
    for (const path of altered) await expectRefused(await fetch(base + path), 403, BODIES.link_invalid);
    expect(reads).not.toHaveBeenCalled();
  });

  it("refuses garbage quickly: 10 kB of junk, dot segments, an empty link", async () => {
    const reads = vi.spyOn(t.gateway.services.store, "get");
    const started = performance.now();
    for (const path of ["/files/" + "A".repeat(10_240), "/files/..%2f..%2fgraphql", "/files/..%2F", "/files/%00", "/files/", "/files", "/files/a/b.c.d"]) {
      await expectRefused(await fetch(`${t.gateway.url}${path}`), 403, BODIES.link_invalid);
    }
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(reads).not.toHaveBeenCalled();
  });

  it("a session link downloads while the session lives and answers 410 session_ended once it is signed out", async () => {
    const { cookie } = await signInThroughGateway(t, { userId: PRIYA });
    const sessionId = t.gateway.services.auth.cookie.read(cookie);
    if (sessionId === null) throw new Error("no session");
    const doc = issuedOf(t.sandbox, PRIYA);
    const url = await makeLink(t, { kind: "session", sessionId, consentRequestId: null }, doc.uri);
    expect(url).not.toContain(sessionId);
    const ok = await fetch(url);
    expect(sha256(Buffer.from(await ok.arrayBuffer()))).toBe(sha256(doc.pdf));

    const out = await t.query<{ signOut: { signedOut: boolean } }>(`mutation { signOut { signedOut } }`, { cookie });
    expect(out.data?.signOut.signedOut).toBe(true);
    await expectRefused(await fetch(url), 410, BODIES.session_ended);
  });

  it("a session whose token DigiLocker refuses ends, and its link answers 410 session_ended", async () => {
    const before = new Set(t.sandbox.state.accessTokens.keys());
    const { cookie } = await signInThroughGateway(t, { userId: PRIYA });
    const sessionId = t.gateway.services.auth.cookie.read(cookie);
    const accessToken = [...t.sandbox.state.accessTokens.keys()].find((token) => !before.has(token));
    if (sessionId === null || accessToken === undefined) throw new Error("no session");
    const url = await makeLink(t, { kind: "session", sessionId, consentRequestId: null }, issuedOf(t.sandbox, PRIYA).uri);
    await revokeAtDigiLocker(t.sandbox, accessToken);

    await expectRefused(await fetch(url), 410, BODIES.session_ended);
    expect(await t.gateway.services.auth.sessions.get(sessionId)).toBeNull();
  });

  it("a consent request's link answers 410 consent_revoked once the request is revoked", async () => {
    // Development mode (no partner registered): the request belongs to no partner, as the test reads it.
    const headers = {};
    const created = await t.query<{ createConsentRequest: { id: string; url: string } }>(
      `mutation ($input: CreateConsentRequestInput!) { createConsentRequest(input: $input) { id url } }`,
      { variables: { input: { redirectUrl: "https://partner.example.in/done" } }, headers },
    );
    const request = created.data?.createConsentRequest;
    if (!request) throw new Error(JSON.stringify(created.errors));
    await signInThroughGateway(t, { start: request.url, userId: PRIYA });
    const view = await t.gateway.services.auth.consentRequests.get(request.id, null);
    const sessionId = view?.sessionId;
    if (!sessionId) throw new Error("the consent request has no session");
    const doc = issuedOf(t.sandbox, PRIYA);
    const url = await makeLink(t, { kind: "session", sessionId, consentRequestId: request.id }, doc.uri);
    const ok = await fetch(url);
    expect(sha256(Buffer.from(await ok.arrayBuffer()))).toBe(sha256(doc.pdf));

    const revoked = await t.query(`mutation ($id: ID!) { revokeConsentRequest(id: $id) { status } }`, { variables: { id: request.id }, headers });
    expect(revoked.data).toEqual({ revokeConsentRequest: { status: "REVOKED" } });
    await expectRefused(await fetch(url), 410, BODIES.consent_revoked);
  });

  it("a bearer link answers 410 token_revoked once DigiLocker refuses its token", async () => {
    const token = t.token(PRIYA);
    const url = await makeLink(t, { kind: "bearer", token }, issuedOf(t.sandbox, PRIYA).uri);
    expect((await fetch(url)).status).toBe(200);
    await revokeAtDigiLocker(t.sandbox, token);
    await expectRefused(await fetch(url), 410, BODIES.token_revoked);
  });

  it("reads only the linked user's locker: another user's URI is DigiLocker's 404, without its words", async () => {
    const ajitDoc = issuedOf(t.sandbox, AJIT);
    const priyaDoc = issuedOf(t.sandbox, PRIYA);
    const token = t.token(PRIYA);
    const mine = await fetch(await makeLink(t, { kind: "bearer", token }, priyaDoc.uri));
    const bytes = Buffer.from(await mine.arrayBuffer());
    expect(sha256(bytes)).toBe(sha256(priyaDoc.pdf));
    expect(sha256(bytes)).not.toBe(sha256(ajitDoc.pdf));

    const theirs = await fetch(await makeLink(t, { kind: "bearer", token }, ajitDoc.uri));
    await expectRefused(theirs, 404, BODIES.document_not_found);
    const { cookie } = await signInThroughGateway(t, { userId: PRIYA });
    const sessionId = t.gateway.services.auth.cookie.read(cookie);
    if (sessionId === null) throw new Error("no session");
    await expectRefused(await fetch(await makeLink(t, { kind: "session", sessionId, consentRequestId: null }, ajitDoc.uri)), 404, BODIES.document_not_found);
  });

  it("answers a small file that fails its hmac with 502 file_integrity_failed: nothing of it was sent", async () => {
    const url = await makeLink(t, { kind: "bearer", token: t.token(PRIYA) }, issuedOf(t.sandbox, PRIYA).uri);
    t.sandbox.setFaults({ wrongHmac: true, endpoints: ["files.file"] });
    try {
      const res = await fetch(url);
      expect(res.status).toBe(502);
      expect(await res.json()).toEqual(BODIES.file_integrity_failed);
      expect(res.headers.get("content-disposition")).toBeNull();
    } finally {
      t.sandbox.setFaults({});
    }
    expect((await fetch(url)).status).toBe(200);
  });
});

describe("download links over time", () => {
  let t: Running;
  beforeAll(async () => {
    t = await startWithSandbox({ largeDocumentBytes: 0 }, { MEMORY_STORE_MAX_DOWNLOAD_LINKS: "2", DOWNLOAD_LINK_TTL_SECONDS: "60" });
  });
  afterAll(async () => {
    await t.gateway.close();
  });

  it("answers 410 link_expired past DOWNLOAD_LINK_TTL_SECONDS", async () => {
    const token = t.sandbox.issueToken({ userId: PRIYA, scopes: ["files.issueddocs"] }).accessToken;
    const url = await makeLink(t, { kind: "bearer", token }, issuedOf(t.sandbox, PRIYA).uri);
    t.clock.advance(59_000);
    expect((await fetch(url)).status).toBe(200);
    t.clock.advance(1_000);
    await expectRefused(await fetch(url), 410, BODIES.link_expired);
  });

  it("answers 410 link_expired for a signed link whose record is gone (evicted from a full memory store)", async () => {
    const token = t.sandbox.issueToken({ userId: PRIYA, scopes: ["files.issueddocs"] }).accessToken;
    const uri = issuedOf(t.sandbox, PRIYA).uri;
    const first = await makeLink(t, { kind: "bearer", token }, uri);
    await makeLink(t, { kind: "bearer", token }, uri);
    await makeLink(t, { kind: "bearer", token }, uri);
    await expectRefused(await fetch(first), 410, BODIES.link_expired);
  });
});

describe("download links: the client budget", () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ RATE_LIMIT_PER_CLIENT: "2" });
  });
  afterAll(async () => {
    await t.close();
  });

  it("charges a bearer link's download to the client budget (429 with Retry-After), not a session link's", async () => {
    const uri = issuedOf(t.sandbox, PRIYA).uri;
    const bearer = await makeLink(t, { kind: "bearer", token: t.token(PRIYA) }, uri);
    const { cookie } = await signInThroughGateway(t, { userId: PRIYA });
    const sessionId = t.gateway.services.auth.cookie.read(cookie);
    if (sessionId === null) throw new Error("no session");
    const session = await makeLink(t, { kind: "session", sessionId, consentRequestId: null }, uri);
    // The sign-in's callback took one point of the two.
    expect((await fetch(bearer)).status).toBe(200);
    const refused = await fetch(bearer);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: "rate_limited" });
    expect((await fetch(session)).status).toBe(200);
  });
});

describe("a large file that fails its hmac", () => {
  const SIZE = 20 * 1024 * 1024;
  let t: Running;
  beforeAll(async () => {
    t = await startWithSandbox({ largeDocumentBytes: SIZE });
  });
  afterAll(async () => {
    await t.gateway.close();
  });

  /** GETs with node:http and counts what arrives, however the response ends. */
  function download(url: string): Promise<{ status: number; length: number | null; received: number; complete: boolean; failed: boolean; digest: string }> {
    return new Promise((resolve, reject) => {
      const hash = createHash("sha256");
      httpGet(url, (res: IncomingMessage) => {
        let received = 0;
        let failed = false;
        res.on("data", (chunk: Buffer) => {
          received += chunk.length;
          hash.update(chunk);
        });
        res.on("aborted", () => { failed = true; });
        res.on("error", () => { failed = true; });
        res.on("close", () => {
          const length = res.headers["content-length"];
          resolve({ status: res.statusCode ?? 0, length: length === undefined ? null : Number(length), received, complete: res.complete, failed, digest: hash.digest("hex") });
        });
      }).on("error", reject);
    });
  }

  it("is cut short of its Content-Length, never delivered whole, and the gateway serves the next request", async () => {
    const unhandled = vi.fn();
    process.on("unhandledRejection", unhandled);
    try {
      const token = t.sandbox.issueToken({ userId: PRIYA, scopes: ["files.issueddocs"] }).accessToken;
      const url = await makeLink(t, { kind: "bearer", token }, LARGE_DOCUMENT_URI, { fileName: "large.pdf" });
      const large = t.sandbox.state.issued.find((d) => d.uri === LARGE_DOCUMENT_URI);
      expect(large?.pdf.length).toBe(SIZE);

      t.sandbox.setFaults({ wrongHmac: true, endpoints: ["files.file"] });
      let cut;
      try {
        cut = await download(url);
      } finally {
        t.sandbox.setFaults({});
      }
      expect(cut.status).toBe(200);
      expect(cut.length).toBe(SIZE);
      expect(cut.received).toBeGreaterThan(0);
      expect(cut.received).toBeLessThan(SIZE);
      expect(cut.complete).toBe(false);
      expect(cut.failed).toBe(true);

      const whole = await download(url);
      expect(whole).toMatchObject({ status: 200, length: SIZE, received: SIZE, complete: true, failed: false });
      expect(whole.digest).toBe(sha256(large?.pdf ?? Buffer.alloc(0)));
      expect((await fetch(`${t.gateway.url}/health`)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off("unhandledRejection", unhandled);
    }
  });

  it("ends DigiLocker's response when the client leaves mid-file, and the link still works", async () => {
    const token = t.sandbox.issueToken({ userId: PRIYA, scopes: ["files.issueddocs"] }).accessToken;
    const url = await makeLink(t, { kind: "bearer", token }, LARGE_DOCUMENT_URI);
    await new Promise<void>((resolve, reject) => {
      const req = httpGet(url, (res) => {
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.on("error", () => undefined);
      setTimeout(() => { reject(new Error("no data")); }, 5_000);
    });
    // The sandbox's file response closes once the gateway stops reading it.
    await vi.waitFor(() => { expect(t.sandbox.stats().inFlight["files.file"] ?? 0).toBe(0); }, { timeout: 5_000 });
    const again = await fetch(url);
    expect(Buffer.from(await again.arrayBuffer()).length).toBe(SIZE);
  });
});
