import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Partners } from "../../../src/partners/partners.js";
import { partnerCliUsage, runPartnerCli } from "../../../src/partners/run-cli.js";
import { BACKENDS, openTestDatabase } from "../../helpers/databases.js";

type TestDatabase = Awaited<ReturnType<typeof openTestDatabase>>;

const KEY = /^dlg_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/;

describe.each(BACKENDS)("npm run partner on %s", (kind) => {
  let database: TestDatabase;
  let opened: number;
  let clock: string;
  const now = () => new Date(clock);

  /** Runs one command as the operator would, with what it printed. */
  async function partner(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await runPartnerCli(argv, {
      database: () => {
        opened++;
        return Promise.resolve(database);
      },
      out: { write: (text: string) => (out += text) },
      err: { write: (text: string) => (err += text) },
      now,
    });
    return { code, out, err };
  }

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });

  afterAll(async () => {
    await database.close();
  });

  beforeEach(async () => {
    await database.reset();
    opened = 0;
    clock = "2025-06-01T10:00:00Z";
  });

  it("creates, lists, adds and revokes keys, sets scopes and origins, disables", async () => {
    const created = await partner(
      "create",
      "--name",
      "Acme KYC",
      "--scopes",
      "consent-requests:create,consent-requests:read",
      "--origins",
      "https://kyc.acme.example",
    );
    expect(created.err).toBe("");
    expect(created.code).toBe(0);
    const lines = created.out.trimEnd().split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^Created partner ptn_[a-z2-7]{12} \(Acme KYC\)$/);
    expect(lines.slice(1, 4)).toEqual([
      "  scopes: consent-requests:create, consent-requests:read",
      "  redirect origins: https://kyc.acme.example",
      "API key below, shown this once: only its hash is stored, so copy it to the partner's secret store now.",
    ]);
    const key = lines[4]!;
    expect(key).toMatch(KEY);
    const partnerId = lines[0]!.slice("Created partner ".length, "Created partner ".length + 16);
    const firstKeyId = key.slice(4, 16);
    const listed = await partner("list");
    expect(listed.code).toBe(0);
    expect(listed.out).not.toContain(key.slice(17));
    expect(listed.out).toBe(
      [
        "PARTNER           NAME      STATUS  SCOPES                                         REDIRECT ORIGINS          REQUESTS  DL CALLS  CREATED",
        `${partnerId}  Acme KYC  active  consent-requests:create,consent-requests:read  https://kyc.acme.example  default   default   2025-06-01T10:00:00Z`,
        "",
        "KEY           PARTNER           LABEL  CREATED               LAST USED  REVOKED",
        `${firstKeyId}  ${partnerId}  -      2025-06-01T10:00:00Z  -          -`,
        "",
      ].join("\n"),
    );

    const partners = new Partners({ db: database.db, now }, { authCacheTtlMs: 0 });
    expect(await partners.authenticate(key)).toMatchObject({ ok: true, partner: { id: partnerId } });

    clock = "2025-06-01T10:05:00Z";
    const added = await partner("add-key", partnerId, "--label", "rotation");
    expect(added.code).toBe(0);
    const [addedLine, shownOnce, newKey] = added.out.trimEnd().split("\n");
    expect(addedLine).toMatch(new RegExp(`^Added key [a-z2-7]{12} to partner ${partnerId}$`));
    expect(shownOnce).toBe("API key below, shown this once: only its hash is stored, so copy it to the partner's secret store now.");
    expect(newKey).toMatch(KEY);
    expect(addedLine).toBe(`Added key ${newKey!.slice(4, 16)} to partner ${partnerId}`);

    const revoked = await partner("revoke-key", partnerId, firstKeyId);
    expect(revoked).toEqual({ code: 0, out: `Revoked key ${firstKeyId} of partner ${partnerId} at 2025-06-01T10:05:00Z\n`, err: "" });
    expect(await partners.authenticate(key)).toMatchObject({ ok: false, reason: "revoked" });
    expect(await partners.authenticate(newKey!)).toMatchObject({ ok: true });

    const scoped = await partner("set-scopes", partnerId, "catalogue:read, documents:contents");
    expect(scoped).toEqual({ code: 0, out: `Partner ${partnerId} now has the scopes: catalogue:read, documents:contents\n`, err: "" });
    const origins = await partner("set-origins", partnerId, "https://a.example,http://localhost:3000");
    expect(origins).toEqual({ code: 0, out: `Partner ${partnerId} now has the redirect origins: https://a.example, http://localhost:3000\n`, err: "" });
    expect(await partners.get(partnerId)).toMatchObject({
      scopes: ["catalogue:read", "documents:contents"],
      redirectOrigins: ["https://a.example", "http://localhost:3000"],
    });

    const disabled = await partner("disable", partnerId);
    expect(disabled).toEqual({ code: 0, out: `Disabled partner ${partnerId} (Acme KYC): its keys are refused\n`, err: "" });
    expect(await partners.authenticate(newKey!)).toMatchObject({ ok: false, reason: "disabled" });
    const enabled = await partner("enable", partnerId);
    expect(enabled).toEqual({ code: 0, out: `Enabled partner ${partnerId} (Acme KYC): its unrevoked keys are accepted\n`, err: "" });
    expect(await partners.authenticate(newKey!)).toMatchObject({ ok: true });

    const limited = await partner("set-limits", partnerId, "--requests", "1200", "--digilocker-calls", "unlimited");
    expect(limited).toEqual({ code: 0, out: `Partner ${partnerId} now has the limits per window: requests 1200, DigiLocker calls unlimited\n`, err: "" });
    expect(await partners.authenticate(newKey!)).toMatchObject({ ok: true, partner: { limits: { requests: 1200, digilockerCalls: 0 } } });
    const relisted = await partner("list");
    expect(relisted.out).toBe(
      [
        "PARTNER           NAME      STATUS  SCOPES                             REDIRECT ORIGINS                         REQUESTS  DL CALLS   CREATED",
        `${partnerId}  Acme KYC  active  catalogue:read,documents:contents  https://a.example,http://localhost:3000  1200      unlimited  2025-06-01T10:00:00Z`,
        "",
        "KEY           PARTNER           LABEL     CREATED               LAST USED             REVOKED",
        `${firstKeyId}  ${partnerId}  -         2025-06-01T10:00:00Z  2025-06-01T10:00:00Z  2025-06-01T10:05:00Z`,
        `${newKey!.slice(4, 16)}  ${partnerId}  rotation  2025-06-01T10:05:00Z  2025-06-01T10:05:00Z  -`,
        "",
      ].join("\n"),
    );
    expect(relisted.out).not.toContain(newKey!.slice(17));
  });

  it("sets limits one at a time, back to the default, and 0 as unlimited", async () => {
    const created = await partner("create", "--name", "Acme KYC");
    const partnerId = created.out.slice("Created partner ".length, "Created partner ".length + 16);
    const said = (limits: string) => ({ code: 0, out: `Partner ${partnerId} now has the limits per window: ${limits}\n`, err: "" });
    expect(await partner("set-limits", partnerId, "--requests", "3")).toEqual(said("requests 3, DigiLocker calls default"));
    expect(await partner("set-limits", partnerId, "--digilocker-calls", " 1000000000 ")).toEqual(said("requests 3, DigiLocker calls 1000000000"));
    expect(await partner("set-limits", partnerId, "--requests", "Default", "--digilocker-calls", "0")).toEqual(said("requests default, DigiLocker calls unlimited"));
    const partners = new Partners({ db: database.db, now }, { authCacheTtlMs: 0 });
    expect(await partners.get(partnerId)).toMatchObject({ limits: { requests: null, digilockerCalls: 0 } });
  });

  it.each([
    [["set-limits", "ptn_abcdefgh2345"], "partner set-limits: give --requests, --digilocker-calls or both, each a number, default or unlimited"],
    [["set-limits", "ptn_abcdefgh2345", "--requests", "-1"], "partner set-limits: Option '--requests' argument is ambiguous; expected: set-limits <partnerId> [--requests <n|default|unlimited>] [--digilocker-calls <n|default|unlimited>]"],
    [["set-limits", "ptn_abcdefgh2345", "--requests=-1"], '"-1" is not a requests limit: write a whole number from 0 to 1000000000 (digits only), "unlimited" or "default"'],
    [["set-limits", "ptn_abcdefgh2345", "--requests", "1e3"], '"1e3" is not a requests limit: write a whole number from 0 to 1000000000 (digits only), "unlimited" or "default"'],
    [["set-limits", "ptn_abcdefgh2345", "--requests", "2.5"], '"2.5" is not a requests limit: write a whole number from 0 to 1000000000 (digits only), "unlimited" or "default"'],
    [["set-limits", "ptn_abcdefgh2345", "--requests", ""], '"" is not a requests limit: write a whole number from 0 to 1000000000 (digits only), "unlimited" or "default"'],
    [["set-limits", "ptn_abcdefgh2345", "--digilocker-calls", "1000000001"], "a partner's DigiLocker calls limit must be a whole number from 0 (unlimited) to 1000000000, got 1000000001"],
    [["set-limits", "ptn_abcdefgh2345", "--digilocker-calls", "99999999999999999999"], '"99999999999999999999" is not a DigiLocker calls limit: write a whole number from 0 to 1000000000 (digits only), "unlimited" or "default"'],
    [["set-limits", "ptn_abcdefgh2345", "--requests", "5", "--digilocker-calls", "lots"], '"lots" is not a DigiLocker calls limit: write a whole number from 0 to 1000000000 (digits only), "unlimited" or "default"'],
    [["set-limits", "ptn_abcdefgh2345", "--requests", "5"], 'no partner has the id "ptn_abcdefgh2345": see the ids with `npm run partner -- list`'],
    [["set-limits", "ptn_abcdefgh2345", "--calls", "5"], "partner set-limits: Unknown option '--calls'; expected: set-limits <partnerId> [--requests <n|default|unlimited>] [--digilocker-calls <n|default|unlimited>]"],
  ])("refuses set-limits %j with one line and exit code 1, writing nothing", async (argv, message) => {
    expect(await partner(...argv)).toEqual({ code: 1, out: "", err: `${message}\n` });
  });

  it("says how to start when there are no partners", async () => {
    expect(await partner("list")).toEqual({ code: 0, out: 'No partners yet. Create one with: npm run partner -- create --name "<name>"\n', err: "" });
  });

  it.each([
    [["create"], 'partner create: --name is required, e.g. --name "Acme KYC"'],
    [["create", "--name", "A", "--scopes", "documents:read"], 'unknown scope "documents:read": the scopes are catalogue:read, consent-requests:create, consent-requests:read, consent-requests:revoke, documents:contents, tokens:revoke, accounts:verify, documents:pull, files:upload, uri:push, credentials:manage'],
    [["create", "--name", "A", "--origins", "https://a.example/callback"], 'redirect origin "https://a.example/callback" must be an origin only (scheme, host and port), without a path, query or fragment: use https://a.example'],
    [["create", "--nme", "A"], "partner create: Unknown option '--nme'; expected: create --name <name> [--scopes <a,b,...>] [--origins <https://x,...>]"],
    [["create", "--name"], "partner create: Option '--name <value>' argument missing; expected: create --name <name> [--scopes <a,b,...>] [--origins <https://x,...>]"],
    [["revoke-key", "ptn_abcdefgh2345"], "partner revoke-key: expected: revoke-key <partnerId> <keyId>"],
    [["revoke-key", "ptn_abcdefgh2345", "dlg_abcdefgh2345_xyz"], '"dlg_abcdefgh2345_xyz" is not a key id: a key id is the 12 characters after dlg_ (see `npm run partner -- list`)'],
    [["revoke-key", "ptn_abcdefgh2345", "abcdefgh2345"], "partner ptn_abcdefgh2345 has no key with the id \"abcdefgh2345\": see its keys with `npm run partner -- list`"],
    [["disable", "ptn_nobody"], 'no partner has the id "ptn_nobody": see the ids with `npm run partner -- list`'],
    [["disable"], "partner disable: expected: disable <partnerId>"],
    [["list", "extra"], "partner list: expected: list"],
    [["frobnicate"], 'partner: unknown command "frobnicate": run `npm run partner -- help` for the list'],
    [[], "partner: a command is required: run `npm run partner -- help` for the list"],
  ])("refuses %j with one line and exit code 1", async (argv, message) => {
    const result = await partner(...argv);
    expect(result).toEqual({ code: 1, out: "", err: `${message}\n` });
  });

  it("refuses a duplicate name with one line", async () => {
    await partner("create", "--name", "Acme KYC");
    expect(await partner("create", "--name", "ACME KYC")).toEqual({
      code: 1,
      out: "",
      err: 'a partner named "ACME KYC" exists already (names are compared ignoring case): choose another name\n',
    });
  });

  it("reports an unreachable database in one line", async () => {
    let err = "";
    const code = await runPartnerCli(["list"], {
      database: () => Promise.reject(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5999"), { code: "ECONNREFUSED" })),
      out: { write: () => true },
      err: { write: (text: string) => (err += text) },
    });
    expect({ code, err }).toEqual({ code: 1, err: "partner list: connect ECONNREFUSED 127.0.0.1:5999 (ECONNREFUSED)\n" });
  });

  it("prints help and the scopes without opening the database", async () => {
    const help = await partner("help");
    expect(help).toEqual({ code: 0, out: partnerCliUsage, err: "" });
    expect(help.out).toContain("  create --name <name> [--scopes <a,b,...>] [--origins <https://x,https://y>]\n");
    expect(await partner("--help")).toEqual(help);

    const scopes = await partner("scopes");
    expect(scopes.code).toBe(0);
    const lines = scopes.out.trimEnd().split("\n");
    expect(lines).toHaveLength(12);
    expect(lines[0]).toBe("SCOPE                    ALLOWS");
    expect(lines[1]).toBe("catalogue:read           Read DigiLocker's catalogue: issuers, document types, their parameters and statistics");
    expect(lines[10]).toBe("uri:push                 Push document URIs into users' DigiLockers in the gateway's issuer name (issuers only)");
    expect(opened).toBe(0);
  });
});
