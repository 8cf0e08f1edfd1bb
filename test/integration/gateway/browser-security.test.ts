// What a hostile page in the same browser can do with the session cookie: CORS lets only the gateway's own and
// allowed origins send it and read the answer, and requests a browser sends cross-site without a preflight
// (forms, text/plain) never carry it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

async function preflight(origin: string): Promise<Headers> {
  const res = await fetch(`${t.gateway.url}/graphql`, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
  });
  expect(res.status).toBe(204);
  return res.headers;
}

describe("CORS", () => {
  it("lets the gateway's own origin and allowed origins send credentials", async () => {
    for (const origin of [t.gateway.publicUrl, "https://app.example.in"]) {
      const headers = await preflight(origin);
      expect(headers.get("access-control-allow-origin"), origin).toBe(origin);
      expect(headers.get("access-control-allow-credentials"), origin).toBe("true");
    }
  });

  it("answers any other origin without credentials, so its credentialed requests are never sent or read", async () => {
    const headers = await preflight("https://evil.example");
    expect(headers.get("access-control-allow-credentials")).toBeNull();
    const res = await fetch(`${t.gateway.url}/graphql`, {
      method: "POST",
      headers: { origin: "https://evil.example", "content-type": "application/json", cookie },
      body: JSON.stringify({ query: "{ statistics { issuers } }" }),
    });
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });
});

describe("requests a browser sends cross-site without asking", () => {
  it("text/plain is refused outright (415)", async () => {
    const res = await fetch(`${t.gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "text/plain", accept: "application/json", cookie },
      body: JSON.stringify({ query: "{ viewer { name } }" }),
    });
    expect(res.status).toBe(415);
    expect(await res.text()).not.toContain("Ajit Kumar");
  });

  it("a form POST runs, but without the session: viewer is missing_token", async () => {
    const res = await fetch(`${t.gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", cookie },
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
