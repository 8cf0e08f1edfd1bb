// What a hostile page in the same browser can do with the session cookie: CORS lets only the gateway's own and
// allowed origins send it and read the answer (any other origin gets `*`, never its own Origin back), and a POST a
// browser sends cross-site without a preflight (a form, text/plain) is refused unless it carries a CSRF header no
// cross-site form can set; with the header it runs, still without the cookie.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestGateway, type TestGateway } from "../../helpers/gateway.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

let t: TestGateway;
let cookie: string;

beforeAll(async () => {
  t = await startTestGateway({ ALLOWED_REDIRECT_ORIGINS: "https://app.example.in" });
  const signIn = await signInThroughGateway(t);
  if (signIn.cookie === null) throw new Error("no session cookie");
  cookie = signIn.cookie;
});
afterAll(() => t.close());

const ALLOWED_HEADERS = "content-type, authorization, x-graphql-yoga-csrf, apollo-require-preflight, x-graphql-client-name, x-graphql-client-version";

function sendPreflight(origin: string): Promise<Response> {
  return fetch(`${t.gateway.url}/graphql`, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
  });
}

/** A browser's CORS preflight for a JSON POST: what it may send, for how long, varying by Origin (its status: its own test). */
async function preflight(origin: string): Promise<Headers> {
  const res = await sendPreflight(origin);
  await res.body?.cancel();
  expect(res.headers.get("access-control-allow-methods")).toBe("GET, POST");
  expect(res.headers.get("access-control-allow-headers")).toBe(ALLOWED_HEADERS);
  expect(res.headers.get("access-control-max-age")).toBe("600");
  expect(res.headers.get("vary")).toMatch(/\bOrigin\b/);
  return res.headers;
}

/** A JSON POST as a page on `origin` sends it (with Origin, so through yoga's adapter). */
function postFrom(origin: string | null, extra: Record<string, string> = {}): Promise<Response> {
  return fetch(`${t.gateway.url}/graphql`, {
    method: "POST",
    headers: { ...(origin === null ? {} : { origin }), "content-type": "application/json", accept: "application/json", ...extra },
    body: JSON.stringify({ query: "{ statistics { issuers } }" }),
  });
}

/** A refusal by csrf.ts: 403 and one CSRF_REFUSED error, whatever the request asked for. */
async function expectCsrfRefused(res: Response): Promise<void> {
  expect(res.status).toBe(403);
  const body = (await res.json()) as { data?: unknown; errors: { message: string; extensions: { code: string } }[] };
  expect(body.data).toBeUndefined();
  expect(body.errors).toHaveLength(1);
  expect(body.errors[0]?.extensions.code).toBe("CSRF_REFUSED");
  expect(body.errors[0]?.message).toMatch(/^POST requests must be sent as Content-Type: application\/json/);
}

describe("CORS", () => {
  it("answers a preflight with 204 for every origin (a browser fails a preflight whose status is not 2xx)", async () => {
    for (const origin of [t.gateway.publicUrl, "https://app.example.in", "https://evil.example"]) {
      const res = await sendPreflight(origin);
      await res.body?.cancel();
      expect(res.status, `preflight from ${origin}`).toBe(204);
    }
  });

  it("lets the gateway's own origins and allowed origins send credentials", async () => {
    for (const origin of [t.gateway.publicUrl, t.gateway.url, "https://app.example.in"]) {
      const headers = await preflight(origin);
      expect(headers.get("access-control-allow-origin"), origin).toBe(origin);
      expect(headers.get("access-control-allow-credentials"), origin).toBe("true");

      const res = await postFrom(origin, { cookie });
      expect(res.status, origin).toBe(200);
      await res.body?.cancel();
      expect(res.headers.get("access-control-allow-origin"), origin).toBe(origin);
      expect(res.headers.get("access-control-allow-credentials"), origin).toBe("true");
      expect(res.headers.get("access-control-expose-headers"), origin).toBe("retry-after, ratelimit, ratelimit-policy, x-request-id");
      expect(res.headers.get("vary"), origin).toMatch(/\bOrigin\b/);
    }
  });

  it("answers any other origin with * and no credentials, never its own Origin reflected", async () => {
    for (const origin of ["https://evil.example", "null", "http://localhost:1"]) {
      const headers = await preflight(origin);
      expect(headers.get("access-control-allow-origin"), origin).toBe("*");
      expect(headers.get("access-control-allow-credentials"), origin).toBeNull();

      const res = await postFrom(origin, { cookie });
      await res.body?.cancel();
      expect(res.headers.get("access-control-allow-origin"), origin).toBe("*");
      expect(res.headers.get("access-control-allow-credentials"), origin).toBeNull();
      expect(res.headers.get("access-control-expose-headers"), origin).toBe("retry-after, ratelimit, ratelimit-policy, x-request-id");
      expect(res.headers.get("vary"), origin).toMatch(/\bOrigin\b/);
    }
  });

  it("varies by Origin even without one, so no cache hands that answer to a browser that sent one", async () => {
    // Without Origin a JSON POST takes the direct path (json-post.ts); asking for graphql-response+json, yoga's adapter.
    for (const res of [await postFrom(null), await postFrom(null, { accept: "application/graphql-response+json" })]) {
      expect(res.status).toBe(200);
      await res.body?.cancel();
      expect(res.headers.get("vary")).toMatch(/\bOrigin\b/);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
    }
  });
});

describe("requests a browser sends cross-site without asking", () => {
  const CREATE = `mutation { createConsentRequest(input: { redirectUrl: "https://app.example.in/done" }) { id } }`;
  /** Consent requests are rows in the database (development mode here: no partner, no key). */
  const requests = async () => Number((await t.gateway.services.database.db.selectFrom("consent_requests").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirst())?.n);
  // The in-memory database starts on its first query (seconds): here, not inside a test's time.
  beforeAll(async () => {
    await requests();
  }, 60_000);

  it.each([
    ["form (urlencoded)", () => ({ "content-type": "application/x-www-form-urlencoded" }), () => new URLSearchParams({ query: CREATE })],
    ["multipart form", () => ({}), () => { const form = new FormData(); form.set("query", CREATE); return form; }],
    ["text/plain", () => ({ "content-type": "text/plain" }), () => JSON.stringify({ query: CREATE })],
    ["content-type-less", () => ({}), () => new TextEncoder().encode(JSON.stringify({ query: CREATE }))],
  ] as const)("a %s POST without a CSRF header is refused (403 CSRF_REFUSED) before anything runs: no record is written", async (_type, headers, body) => {
    const before = await requests();
    const writes = vi.spyOn(t.gateway.services.store, "set");
    try {
      const res = await fetch(`${t.gateway.url}/graphql`, {
        method: "POST",
        headers: { accept: "application/json", cookie, ...headers() },
        body: body(),
      });
      await expectCsrfRefused(res);
      expect(writes).not.toHaveBeenCalled();
    } finally {
      writes.mockRestore();
    }
    expect(await requests()).toBe(before);
  });

  it.each(["x-graphql-yoga-csrf", "apollo-require-preflight"])("a form POST with %s runs (the control: it writes the record)", async (header) => {
    const before = await requests();
    const res = await fetch(`${t.gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", [header]: "1" },
      body: new URLSearchParams({ query: CREATE }).toString(),
    });
    expect(res.status).toBe(200);
    const result = (await res.json()) as { data: { createConsentRequest: { id: string } | null }; errors?: unknown };
    expect(result.errors).toBeUndefined();
    expect(result.data.createConsentRequest?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await requests()).toBe(before + 1);
  });

  it("a form POST with the CSRF header runs, but without the session: viewer is missing_token", async () => {
    const res = await fetch(`${t.gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", "x-graphql-yoga-csrf": "1", cookie },
      body: new URLSearchParams({ query: "{ viewer { name } }" }).toString(),
    });
    expect(res.status).toBe(200);
    const result = (await res.json()) as { data: { viewer: null }; errors: { extensions: { reason: string } }[] };
    expect(result.data.viewer).toBeNull();
    expect(result.errors[0]?.extensions.reason).toBe("missing_token");
  });

  it("JSON with the cookie is signed in (the control)", async () => {
    const result = await t.query<{ viewer: { name: string } }>("{ viewer { name } }", { cookie });
    expect(result.data?.viewer.name).toBe("Ajit Kumar");
  });

  it("a mutation over GET is refused, cookie or not", async () => {
    const res = await fetch(`${t.gateway.url}/graphql?query=${encodeURIComponent("mutation { signOut { signedOut } }")}`, {
      headers: { accept: "application/json", cookie },
    });
    expect(res.status).toBe(405);
    const after = await t.query<{ session: { expiresAt: string } | null }>("{ session { expiresAt } }", { cookie });
    expect(after.data?.session).not.toBeNull();
  });
});
