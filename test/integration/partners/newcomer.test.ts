// Issue #16's "done when", as a newcomer does it on the embedded default (PGlite in a folder): the operators' CLI
// creates two partners (the real `npm run partner` entry point, in its own process, before the gateway holds the
// folder), a gateway starts on that folder, the first partner creates a consent request with its key exactly as
// README's curl does, a user completes the sandbox's consent in a browser, the partner reads the user's documents
// with its key, and the second partner's key gets NOT_FOUND for the same request.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRIYA, startTestGateway, type TestGateway } from "../../helpers/gateway.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

const run = promisify(execFile);
const ROOT = new URL("../../../", import.meta.url).pathname;

/** `npm run partner -- <args>`, as the package script runs it (tsx), with DATA_DIR set: its stdout. */
async function partnerCli(dataDir: string, args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", "src/partners/cli.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "" },
    timeout: 60_000,
  });
  return stdout;
}

/** The key is the last line `create` prints. */
function keyOf(stdout: string): string {
  const key = stdout.trim().split("\n").at(-1) ?? "";
  expect(key).toMatch(/^dlg_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/);
  return key;
}

async function graphql(t: TestGateway, key: string, body: { query: string; variables?: Record<string, unknown> }) {
  // What README's curl sends: a JSON POST with the key in X-API-Key.
  const res = await fetch(`${t.gateway.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": key },
    body: JSON.stringify(body),
  });
  return { status: res.status, ...((await res.json()) as { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: unknown }[] }) };
}

describe("a newcomer's partner, from the CLI to the user's documents", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "dlg-newcomer-"));
  let t: TestGateway;
  let acmeKey: string;
  let bankKey: string;

  beforeAll(async () => {
    const acme = await partnerCli(dataDir, [
      "create",
      "--name",
      "Acme KYC",
      "--scopes",
      "consent-requests:create,consent-requests:read,consent-requests:revoke,documents:contents",
      "--origins",
      "http://localhost:3000",
    ]);
    expect(acme).toContain("Created partner ptn_");
    acmeKey = keyOf(acme);
    bankKey = keyOf(await partnerCli(dataDir, ["create", "--name", "Other Bank", "--scopes", "consent-requests:read", "--origins", "https://bank.example.in"]));
    t = await startTestGateway({ DATA_DIR: dataDir });
  }, 120_000);

  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("creates with the key, the user consents, the key reads the documents, another partner's key gets NOT_FOUND", async () => {
    const created = await graphql(t, acmeKey, {
      query: `mutation { createConsentRequest(input: { redirectUrl: "http://localhost:3000/done", purpose: KYC }) { id url status } }`,
    });
    expect(created.errors).toBeUndefined();
    const request = created.data?.createConsentRequest as { id: string; url: string; status: string };
    expect(request.status).toBe("UNAUTHENTICATED");
    // The browser's link is not the id: the id alone opens nothing.
    expect(request.url).not.toContain(request.id);

    const consent = await signInThroughGateway(t, { start: request.url, userId: PRIYA });
    expect(consent.callback.status).toBe(303);
    expect(consent.location).toBe(`http://localhost:3000/done?success=true&id=${request.id}`);

    const read = { query: `query ($id: ID!) { consentRequest(id: $id) { status user { name issuedDocuments { name issuer { name } } } } }`, variables: { id: request.id } };
    const mine = await graphql(t, acmeKey, read);
    expect(mine.errors).toBeUndefined();
    const status = mine.data?.consentRequest as { status: string; user: { name: string; issuedDocuments: { name: string }[] } };
    expect(status.status).toBe("AUTHENTICATED");
    expect(status.user.name).toBe("Priya Sharma");
    expect(status.user.issuedDocuments.length).toBeGreaterThan(0);

    const theirs = await graphql(t, bankKey, read);
    expect(theirs).toEqual({
      status: 200,
      data: { consentRequest: null },
      errors: [{ message: "No consent request has this id", path: ["consentRequest"], extensions: { code: "NOT_FOUND", reason: "consent_request_not_found" } }],
    });
  });
});
