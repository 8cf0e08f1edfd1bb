// Issue #17: every answer of /auth/* and /files/* carries the browser security headers (src/server/security-headers.ts,
// docs/sign-in.md "Browser security", docs/downloads.md "Headers"), each checked here by its literal value.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LinkRequest } from "../../../src/files/download-links.js";
import { PRIYA, startTestGateway, type TestGateway } from "../../helpers/gateway.js";

const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
const AUTH = {
  "content-security-policy": PAGE_CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};
const NOT_FRAMED = { "x-content-type-options": "nosniff", "referrer-policy": "no-referrer", "x-frame-options": "DENY" };
const FILE_ERROR = { ...NOT_FRAMED, "content-security-policy": "default-src 'none'; frame-ancestors 'none'; sandbox" };

const headersOf = (res: Response) => Object.fromEntries(res.headers);

describe("security headers", () => {
  let t: TestGateway;
  beforeAll(async () => { t = await startTestGateway(); });
  afterAll(async () => { await t.close(); });

  const open = (path: string, init: RequestInit = {}) => fetch(`${t.gateway.url}${path}`, { redirect: "manual", ...init });

  describe("/auth/*", () => {
    it("on the sign-in link's redirect to DigiLocker", async () => {
      const res = await open("/auth/sign-in?returnTo=/graphql");
      expect(res.status).toBe(303);
      expect(headersOf(res)).toMatchObject({ ...AUTH, "cache-control": "no-store" });
    });

    it("on startSignIn's link, and on the page once its ticket is spent", async () => {
      const started = await t.query<{ startSignIn: { authorizationUrl: string } | null }>(
        `mutation { startSignIn(input: { returnTo: "/graphql" }) { authorizationUrl } }`,
      );
      const path = new URL(started.data?.startSignIn?.authorizationUrl ?? "").pathname;
      expect(path).toMatch(/^\/auth\/start\//);
      const first = await open(path);
      expect(first.status).toBe(303);
      expect(headersOf(first)).toMatchObject(AUTH);
      const again = await open(path);
      expect(again.status).toBe(400);
      expect(headersOf(again)).toMatchObject({ ...AUTH, "content-type": "text/html; charset=utf-8" });
      expect(await again.text()).toContain("<h1>Sign-in link expired</h1>");
    });

    it("on an unknown consent link's page, a failed callback's page, an unknown page and a refused method", async () => {
      const cases = [
        ["/auth/consent/nope", 404, "<h1>Link not found</h1>"],
        ["/auth/callback?code=x&state=y", 400, "<h1>Sign-in did not complete</h1>"],
        ["/auth/nothing-here", 404, "<h1>Not found</h1>"],
        ["/auth/signed-out", 200, "<h1>Signed out</h1>"],
      ] as const;
      for (const [path, status, heading] of cases) {
        const res = await open(path);
        expect({ path, status: res.status }).toEqual({ path, status });
        expect(headersOf(res)).toMatchObject({ ...AUTH, "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
        expect(await res.text()).toContain(heading);
      }
      const post = await open("/auth/sign-in", { method: "POST" });
      expect(post.status).toBe(405);
      expect(headersOf(post)).toMatchObject(AUTH);
    });

    it("lets the pages' one inline <style> through, and nothing else: no script, no form elsewhere", async () => {
      const html = await (await open("/auth/consent/nope")).text();
      // style-src 'unsafe-inline' covers the <style> element; default-src 'none' is all a page without script needs.
      expect(html).toMatch(/<style>body\{[^<]*\}<\/style>/);
      expect(html).not.toMatch(/<script|<form|<img|<link|<iframe| style=/i);
    });
  });

  describe("/files/*", () => {
    async function link(extra: Partial<LinkRequest>): Promise<string> {
      const doc = t.sandbox.state.issued.find((d) => d.ownerId === PRIYA && d.xml !== null);
      if (doc === undefined) throw new Error("no issued document with XML for Priya");
      const made = await t.gateway.services.downloadLinks.create({
        binding: { kind: "bearer", token: t.token(PRIYA) },
        uri: doc.uri,
        format: "FILE",
        disposition: "ATTACHMENT",
        fileName: "marksheet.pdf",
        mimeType: "application/pdf",
        ...extra,
      });
      return new URL(made.url).pathname;
    }

    it("on a PDF downloaded as an attachment: never framed, no sandbox (Chromium's PDF viewer)", async () => {
      const res = await open(await link({}));
      await res.arrayBuffer();
      expect(res.status).toBe(200);
      expect(headersOf(res)).toMatchObject({ ...NOT_FRAMED, "content-type": "application/pdf", "content-security-policy": "frame-ancestors 'none'" });
    });

    it("on XML downloaded as an attachment: sandboxed and never framed", async () => {
      const res = await open(await link({ format: "XML", fileName: "marksheet.xml", mimeType: "application/xml" }));
      await res.arrayBuffer();
      expect(res.status).toBe(200);
      expect(headersOf(res)).toMatchObject({ ...NOT_FRAMED, "content-type": "application/xml", "content-security-policy": "sandbox; frame-ancestors 'none'" });
    });

    it("on INLINE files, which partners show in an iframe: no frame-ancestors, the sandbox kept for XML", async () => {
      const pdf = await open(await link({ disposition: "INLINE" }));
      await pdf.arrayBuffer();
      expect(pdf.status).toBe(200);
      expect(headersOf(pdf)).toMatchObject({ "x-content-type-options": "nosniff", "referrer-policy": "no-referrer" });
      expect(pdf.headers.get("content-security-policy")).toBeNull();
      expect(pdf.headers.get("x-frame-options")).toBeNull();
      const xml = await open(await link({ disposition: "INLINE", format: "XML", fileName: "m.xml", mimeType: "application/xml" }));
      await xml.arrayBuffer();
      expect(headersOf(xml)).toMatchObject({ "x-content-type-options": "nosniff", "referrer-policy": "no-referrer", "content-security-policy": "sandbox" });
      expect(xml.headers.get("x-frame-options")).toBeNull();
    });

    it("on a HEAD of a link", async () => {
      const res = await open(await link({}), { method: "HEAD" });
      expect(res.status).toBe(200);
      expect(headersOf(res)).toMatchObject({ ...NOT_FRAMED, "content-security-policy": "frame-ancestors 'none'" });
    });

    it("on refusals: 403 for a link that is not one, 410 for an expired one, 405 for a method", async () => {
      const invalid = await open("/files/not-a-link");
      expect({ status: invalid.status, body: (await invalid.json()) as unknown }).toMatchObject({ status: 403, body: { error: "link_invalid" } });
      expect(headersOf(invalid)).toMatchObject({ ...FILE_ERROR, "content-type": "application/json", "cache-control": "no-store" });

      const path = await link({});
      t.clock.advance(24 * 3600 * 1000);
      const expired = await open(path);
      expect({ status: expired.status, body: (await expired.json()) as unknown }).toMatchObject({ status: 410, body: { error: "link_expired" } });
      expect(headersOf(expired)).toMatchObject(FILE_ERROR);

      const post = await open("/files/x", { method: "POST" });
      await post.arrayBuffer();
      expect(post.status).toBe(405);
      expect(headersOf(post)).toMatchObject(FILE_ERROR);
    });
  });
});
