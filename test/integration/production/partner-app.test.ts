// Issue #17's "done when", as docs/production.md walks it: a gateway with NODE_ENV=production on PostgreSQL; a
// partner created with the operators' CLI (`npm run partner`, in its own process); the partner's app built with
// graphql-codegen's client preset (test/fixtures/partner-app/operations.graphql); its manifest checked and
// published with `npm run operations`; its operations called by id with the key, exactly as the client preset's
// documents name them (`__meta__.hash`), within the budget `set-limits` gave it; and everything else refused with
// an answer that says why.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { generate } from "@graphql-codegen/cli";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayDatabase } from "../../helpers/databases.js";
import { startTestGateway, type TestGateway } from "../../helpers/gateway.js";

const run = promisify(execFile);
const ROOT = new URL("../../../", import.meta.url).pathname;

interface Answer {
  status: number;
  headers: Headers;
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

describe("a partner app built with the client preset, in production", () => {
  let t: TestGateway;
  let databaseUrl: string;
  let drop: () => Promise<void>;
  const appDir = mkdtempSync(join(tmpdir(), "dlg-partner-app-"));
  let key: string;
  let partnerId: string;
  let manifest: Record<string, string>;
  /** Operation name → the id the client preset put in its typed document's `__meta__.hash`. */
  const hashes = new Map<string, string>();

  /** `npm run <script> -- <args>` as the package scripts run them (tsx), on the gateway's database. */
  async function cli(script: "partners" | "operations", args: string[]): Promise<string> {
    const entry = script === "partners" ? "src/partners/cli.ts" : "src/operations/cli.ts";
    const { stdout } = await run(process.execPath, ["--import", "tsx", entry, ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: "production" },
      timeout: 60_000,
    });
    return stdout;
  }

  /** What the partner's backend sends: the id from the typed document, the key in X-API-Key. */
  async function call(body: Record<string, unknown>, headers: Record<string, string> = { "x-api-key": key }): Promise<Answer> {
    const res = await fetch(`${t.gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, ...((await res.json()) as Omit<Answer, "status" | "headers">) };
  }

  beforeAll(async () => {
    const db = await gatewayDatabase("postgres");
    databaseUrl = db.env.DATABASE_URL ?? "";
    drop = () => db.drop();
    t = await startTestGateway({ NODE_ENV: "production", ...db.env });

    // 1. The operator registers the partner.
    const created = await cli("partners", ["create", "--name", "Acme Web", "--scopes", "catalogue:read"]);
    partnerId = /Created partner (ptn_[a-z2-7]{12})/.exec(created)?.[1] ?? "";
    key = created.trim().split("\n").at(-1) ?? "";
    expect(key).toMatch(/^dlg_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/);

    // 2. The partner's build: the client preset with persisted documents, SHA-256.
    await generate(
      {
        schema: join(ROOT, "schema/schema.graphql"),
        documents: join(ROOT, "test/fixtures/partner-app/operations.graphql"),
        generates: { [`${appDir}/gql/`]: { preset: "client", presetConfig: { persistedDocuments: { hashAlgorithm: "sha256" } } } },
        silent: true,
      },
      true,
    );
    manifest = JSON.parse(readFileSync(join(appDir, "gql/persisted-documents.json"), "utf8")) as Record<string, string>;
    const typed = readFileSync(join(appDir, "gql/graphql.ts"), "utf8");
    for (const match of typed.matchAll(/export const (\w+)Document = \{"__meta__":\{"hash":"([^"]+)"\}/g)) hashes.set(match[1] ?? "", match[2] ?? "");

    // 3. The operator checks and publishes the app's manifest, and gives the partner a budget.
    const file = join(appDir, "gql/persisted-documents.json");
    expect(await cli("operations", ["check", file])).toBe(`${file}: all 2 operations pass (schema and operation limits)\n`);
    expect(await cli("operations", ["publish", "--partner", partnerId, "--app", "acme-web", "--app-version", "1.0.0", file])).toMatch(
      /^Published app acme-web version 1.0.0 of ptn_[a-z2-7]{12}: 2 operations/,
    );
    expect(await cli("partners", ["set-limits", partnerId, "--requests", "5"])).toBe(`Partner ${partnerId} now has the limits per window: requests 5, DigiLocker calls default\n`);
    // The gateway reads a partner's record again within 5 s (docs/partners.md): past that, the new budget holds.
    t.clock.advance(5_001);
  }, 120_000);

  afterAll(async () => {
    await t.close();
    await drop();
    rmSync(appDir, { recursive: true, force: true });
  });

  it("builds a manifest whose ids are the SHA-256 of each document, as its typed documents name them", () => {
    expect(Object.keys(manifest)).toHaveLength(2);
    for (const [id, text] of Object.entries(manifest)) expect(id).toBe(`sha256:${createHash("sha256").update(text, "utf8").digest("hex")}`);
    expect([...hashes.keys()].sort()).toEqual(["AcmeCatalogue", "AcmeIssuers"]);
    for (const hash of hashes.values()) expect(Object.keys(manifest)).toContain(hash);
  });

  it("answers its operations by id within its budget, then refuses with 429 naming the budget", async () => {
    const issuers = await call({ documentId: hashes.get("AcmeIssuers") });
    expect(issuers.status).toBe(200);
    expect(issuers.errors).toBeUndefined();
    expect(issuers.data).toEqual({ statistics: { issuers: expect.any(Number) as number, users: expect.any(Number) as number } });
    expect(issuers.headers.get("ratelimit-policy")).toContain("partner-requests");

    const catalogue = await call({ documentId: hashes.get("AcmeCatalogue"), variables: { search: "class" } });
    expect(catalogue.errors).toBeUndefined();
    expect((catalogue.data?.documentCatalog as { edges: unknown[] }).edges.length).toBeGreaterThan(0);

    // Refusals that say why, before anything runs (so they use none of the budget): a text, an id not in its manifest.
    const text = await call({ query: "query AcmeIssuers { statistics { issuers users } }" });
    expect(text.status).toBe(400);
    expect(text.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_ID_REQUIRED");
    const unknown = await call({ documentId: `sha256:${"0".repeat(64)}` });
    expect(unknown.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_IN_LIST");

    // Five requests in the window: two ran above, three more run, then a refusal that names the budget.
    const answers: Answer[] = [];
    for (let i = 0; i < 5; i++) answers.push(await call({ documentId: hashes.get("AcmeIssuers") }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429, 429]);
    const first = answers[3];
    expect(first?.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(first?.errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED", budget: "partner-requests", limit: 5 });
  });

  it("refuses another caller the partner's operations, and introspection, in production", async () => {
    const anonymous = await call({ documentId: hashes.get("AcmeIssuers") }, {});
    expect(anonymous.status).toBe(400);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_IN_LIST");
    const introspection = await call({ query: "{ __schema { types { name } } }" }, {});
    expect(introspection.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_ID_REQUIRED");
  });
});
