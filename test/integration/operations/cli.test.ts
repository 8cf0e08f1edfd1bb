import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { PersistedOperations } from "../../../src/operations/persisted-operations.js";
import { operationsCliUsage, runOperationsCli } from "../../../src/operations/run-cli.js";
import { Partners } from "../../../src/partners/partners.js";
import { BACKENDS, openTestDatabase, type TestDatabase } from "../../helpers/databases.js";

const sha = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex")}`;
const GOOD = "query Users { statistics { users } }";
const GONE = "query Gone { statistics { noSuchField } }";

describe.each(BACKENDS)("npm run operations on %s", (kind) => {
  let database: TestDatabase;
  let dir: string;
  let partnerId: string;
  let opened: number;
  const now = () => new Date("2025-06-01T10:00:00Z");

  function manifest(name: string, content: Record<string, string>): string {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(content));
    return file;
  }

  async function operations(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await runOperationsCli(argv, {
      database: () => {
        opened++;
        return Promise.resolve(database);
      },
      limits: loadConfig({}).limits,
      out: { write: (text: string) => (out += text) },
      err: { write: (text: string) => (err += text) },
      now,
    });
    return { code, out, err };
  }

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    dir = mkdtempSync(join(tmpdir(), "operations-cli-"));
  });
  afterAll(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await database.reset();
    opened = 0;
    partnerId = (await new Partners({ db: database.db, now }, { authCacheTtlMs: 0 }).create({ name: "Acme", scopes: [], redirectOrigins: [] })).partner.id;
  });

  it("checks the gateway's own manifest without opening the database", async () => {
    const result = await operations("check", "schema/persisted-documents.json");
    expect(result).toMatchObject({ code: 0, err: "" });
    expect(result.out).toMatch(/^schema\/persisted-documents\.json: all \d+ operations pass \(schema and operation limits\)\n$/);
    expect(opened).toBe(0);
  });

  it("check names each operation that breaks: a field gone from the schema, a wrong hash, two operations", async () => {
    const two = "query One { statistics { users } } query Two { statistics { users } }";
    const wrongKey = sha("something else");
    const file = manifest("broken.json", { [sha(GOOD)]: GOOD, [sha(GONE)]: GONE, [wrongKey]: GOOD.replace("Users", "Wrong"), [sha(two)]: two });
    const result = await operations("check", file);
    expect(result.code).toBe(1);
    expect(result.out).toBe("");
    const lines = result.err.trimEnd().split("\n");
    expect(lines[0]).toBe(`${file}: 3 of 4 operations break`);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^ {2}\(unnamed\) \(sha256:[0-9a-f]{12}…\): the key sha256:[0-9a-f]{64} is not the SHA-256 of its document/),
      expect.stringMatching(/^ {2}\(unnamed\) \(sha256:[0-9a-f]{12}…\): the document must hold exactly one operation; it holds 2 \(One, Two\)$/),
      expect.stringMatching(/^ {2}Gone \(sha256:[0-9a-f]{12}…\): Cannot query field "noSuchField" on type "Stats"/),
    ]);
  });

  it("publishes after check, lists, refuses a changed version, retires", async () => {
    const file = manifest("good.json", { [sha(GOOD)]: GOOD });
    const published = await operations("publish", "--partner", partnerId, "--app", "web", "--app-version", "1.0.0", file);
    expect(published).toEqual({ code: 0, out: `Published app web version 1.0.0 of ${partnerId}: 1 operation\n`, err: "" });
    const again = await operations("publish", "--partner", partnerId, "--app", "web", "--app-version", "1.0.0", file);
    expect(again.out).toBe(`Unchanged: app web version 1.0.0 of ${partnerId} is published already with these 1 operations (at 2025-06-01T10:00:00Z)\n`);
    const other = manifest("other.json", { [sha(GOOD)]: GOOD, [sha("query S { statistics { issuers } }")]: "query S { statistics { issuers } }" });
    const changed = await operations("publish", "--partner", partnerId, "--app", "web", "--app-version", "1.0.0", other);
    expect(changed).toEqual({ code: 1, out: "", err: `app web version 1.0.0 of ${partnerId} is published already with other documents: versions are immutable, publish this manifest as a new version\n` });
    expect((await operations("publish", "--partner", "gateway", "--app", "gateway", "--app-version", "1", "schema/persisted-documents.json")).code).toBe(0);

    const listed = await operations("list");
    expect(listed.out.split("\n")[0]).toBe("PARTNER           APP      VERSION  OPERATIONS  PUBLISHED             RETIRED");
    expect(listed.out).toContain(`${partnerId}  web      1.0.0    1           2025-06-01T10:00:00Z  -`);
    expect((await operations("list", "--partner", "gateway")).out).not.toContain(partnerId);

    const retired = await operations("retire", "--partner", partnerId, "--app", "web", "--app-version", "1.0.0");
    expect(retired).toEqual({ code: 0, out: `Retired app web version 1.0.0 of ${partnerId} at 2025-06-01T10:00:00Z: its 1 operations are no longer served\n`, err: "" });
    expect(await new PersistedOperations({ db: database.db }).allows({ partnerId }, sha(GOOD))).toBe(false);
    const [ownId, ownText] = Object.entries(JSON.parse(readFileSync("schema/persisted-documents.json", "utf8")) as Record<string, string>)[0]!;
    expect(await new PersistedOperations({ db: database.db }).document(ownId)).toBe(ownText);
    expect(await new PersistedOperations({ db: database.db }).allows("anyone", ownId)).toBe(true);
  });

  it("refuses to publish a manifest that breaks, for an unknown partner, or without its options", async () => {
    const broken = manifest("gone.json", { [sha(GONE)]: GONE });
    const refused = await operations("publish", "--partner", partnerId, "--app", "web", "--app-version", "1", broken);
    expect(refused.code).toBe(1);
    expect(refused.err.split("\n")[0]).toBe(`${broken}: 1 of 1 operations break: nothing published`);
    expect(opened).toBe(0);
    const good = manifest("good.json", { [sha(GOOD)]: GOOD });
    const unknown = await operations("publish", "--partner", "ptn_aaaaaaaaaaaa", "--app", "web", "--app-version", "1", good);
    expect(unknown).toEqual({ code: 1, out: "", err: 'no partner has the id "ptn_aaaaaaaaaaaa": see the ids with `npm run partner -- list`\n' });
    expect((await operations("publish", "--app", "web", good)).err).toContain("--partner, --app and --app-version are required");
    expect((await operations("check", join(dir, "missing.json"))).err).toBe(`${join(dir, "missing.json")}: cannot read the manifest (ENOENT)\n`);
    expect((await operations("retire", "--partner", "gateway", "--app", "x", "--app-version", "1")).err).toContain("app x version 1 of the gateway is not published");
    expect((await operations("nope")).err).toContain('unknown command "nope"');
    expect((await operations("help")).out).toBe(operationsCliUsage);
  });
});
