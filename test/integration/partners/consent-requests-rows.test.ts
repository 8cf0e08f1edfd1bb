// Consent requests' rows on PostgreSQL and PGlite: create, read by owner / id / link, each transition, the races
// between them (a revocation against a completing consent, two consents at once), and another partner's id
// asked with exactly the query an unknown id is.
import { randomUUID } from "node:crypto";
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConsentRequestRows, type NewConsentRequest } from "../../../src/auth/consent-request-rows.js";
import type { AuthorizeOptions } from "../../../src/auth/records.js";
import { Partners } from "../../../src/partners/partners.js";
import { BACKENDS, openTestDatabase, type TestDatabase } from "../../helpers/databases.js";

const T0 = Date.parse("2025-06-01T10:00:00Z");
const HOUR = 3_600_000;
const AUTHORIZE: AuthorizeOptions = { signup: false, requestedDocTypes: ["PANCR"], purpose: "kyc", acr: null, consentValidTill: null };
const LINK = "a".repeat(43);

/** Every statement a Kysely instance runs, as SQL with its parameters. */
class StatementLog implements KyselyPlugin {
  readonly statements: { sql: string; parameters: readonly unknown[] }[] = [];
  constructor(readonly compile: (node: RootOperationNode) => { sql: string; parameters: readonly unknown[] }) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const { sql, parameters } = this.compile(args.node);
    this.statements.push({ sql, parameters });
    return args.node;
  }
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

describe.each(BACKENDS)("consent request rows on %s", (kind) => {
  let database: TestDatabase;
  let rows: ConsentRequestRows;
  let acme: string;
  let other: string;
  let n = 0;

  function request(partnerId: string | null, overrides: Partial<NewConsentRequest> = {}): NewConsentRequest {
    n++;
    return {
      id: randomUUID(),
      link: `${String(n).padStart(3, "0")}${"L".repeat(40)}`,
      partnerId,
      redirectUrl: "https://kyc.acme.example/done?ref=7",
      authorize: AUTHORIZE,
      createdAt: T0,
      linkValidUntil: T0 + HOUR,
      ...overrides,
    };
  }

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  }, 60_000);
  afterAll(async () => {
    await database.close();
  });
  beforeEach(async () => {
    await database.reset();
    rows = new ConsentRequestRows(database.db);
    const partners = new Partners({ db: database.db, now: () => new Date(T0) });
    acme = (await partners.create({ name: "Acme KYC" })).partner.id;
    other = (await partners.create({ name: "Other Bank" })).partner.id;
  });

  it("creates a request and reads it back whole, by owner, by id and by link", async () => {
    const input = request(acme);
    const created = await rows.insert(input);
    const expected = {
      id: input.id,
      link: input.link,
      partnerId: acme,
      redirectUrl: "https://kyc.acme.example/done?ref=7",
      authorize: AUTHORIZE,
      status: "UNAUTHENTICATED",
      lastError: null,
      sessionRef: null,
      createdAt: T0,
      linkValidUntil: T0 + HOUR,
      authenticatedAt: null,
      accessUntil: null,
      revokedAt: null,
      updatedAt: T0,
    };
    expect(created).toEqual(expected);
    expect(await rows.find(input.id, acme)).toEqual(expected);
    expect(await rows.find(input.id.toUpperCase(), acme)).toEqual(expected);
    expect(await rows.findById(input.id)).toEqual(expected);
    expect(await rows.findByLink(input.link)).toEqual(expected);
    expect(await rows.isRevoked(input.id)).toBe(false);
  });

  it("finds a request only for its owner: another partner, no key, a development-mode row with a key", async () => {
    const owned = await rows.insert(request(acme));
    const anonymous = await rows.insert(request(null));
    expect(await rows.find(owned.id, other)).toBeNull();
    expect(await rows.find(owned.id, null)).toBeNull();
    expect((await rows.find(anonymous.id, null))?.id).toBe(anonymous.id);
    expect(await rows.find(anonymous.id, acme)).toBeNull();
    expect(await rows.markRevoked(owned.id, other, T0 + 1)).toBeNull();
    expect(await rows.markRevoked(anonymous.id, acme, T0 + 1)).toBeNull();
    // Refused revocations changed nothing.
    expect((await rows.findById(owned.id))?.status).toBe("UNAUTHENTICATED");
    expect((await rows.findById(anonymous.id))?.status).toBe("UNAUTHENTICATED");
  });

  it("asks for another partner's id with the very statement it asks for an unknown one", async () => {
    const owned = await rows.insert(request(acme));
    const log = new StatementLog((node) => database.db.getExecutor().compileQuery(node, { queryId: "log" }));
    const logged = new ConsentRequestRows(database.db.withPlugin(log));
    const unknown = randomUUID();
    expect(await logged.find(owned.id, other)).toBeNull();
    expect(await logged.find(unknown, other)).toBeNull();
    expect(await logged.markRevoked(owned.id, other, T0)).toBeNull();
    expect(await logged.markRevoked(unknown, other, T0)).toBeNull();
    const [readTheirs, readUnknown, revokeTheirs, revokeUnknown] = log.statements;
    expect(log.statements).toHaveLength(4);
    expect(readTheirs).toEqual({ sql: readUnknown?.sql, parameters: [owned.id, other] });
    expect(readUnknown?.parameters).toEqual([unknown, other]);
    expect(readTheirs?.sql).toBe('select * from "consent_requests" where "id" = $1 and "partner_id" is not distinct from $2');
    expect(revokeTheirs?.sql).toBe(revokeUnknown?.sql);
    expect(revokeTheirs?.parameters.slice(-2)).toEqual([owned.id, other]);
    expect(revokeUnknown?.parameters.slice(-2)).toEqual([unknown, other]);
  });

  it("answers null for ids and links of the wrong shape without asking the database", async () => {
    const log = new StatementLog((node) => database.db.getExecutor().compileQuery(node, { queryId: "log" }));
    const logged = new ConsentRequestRows(database.db.withPlugin(log));
    for (const id of ["", "not-a-uuid", "00000000-0000-4000-8000-00000000000", "'; drop table consent_requests; --", "\u0000".repeat(36)]) {
      expect(await logged.find(id, acme)).toBeNull();
      expect(await logged.findById(id)).toBeNull();
      expect(await logged.markRevoked(id, acme, T0)).toBeNull();
      expect(await logged.markAuthenticated(id, { sessionRef: "r", at: T0, accessUntil: T0 + HOUR })).toBeNull();
      expect(await logged.recordFailure(id, { code: "access_denied", message: "no" }, T0)).toBeNull();
      expect(await logged.isRevoked(id)).toBe(false);
    }
    for (const link of ["", "short", `${LINK}a`, `${"a".repeat(42)}=`, `${"a".repeat(42)}/`, "a".repeat(10_000)]) {
      expect(await logged.findByLink(link)).toBeNull();
    }
    expect(log.statements).toEqual([]);
    // A well-formed link nobody was given is asked, and not found.
    expect(await rows.findByLink(LINK)).toBeNull();
  });

  it("records a failure while UNAUTHENTICATED, then authenticates (clearing it), then revokes keeping the first revokedAt", async () => {
    const { id } = await rows.insert(request(acme));
    const failed = await rows.recordFailure(id, { code: "access_denied", message: "The user did not give consent on DigiLocker" }, T0 + 1_000);
    expect(failed).toMatchObject({ status: "UNAUTHENTICATED", lastError: { code: "access_denied", message: "The user did not give consent on DigiLocker" }, updatedAt: T0 + 1_000 });

    const done = await rows.markAuthenticated(id, { sessionRef: "ref-1", at: T0 + 2_000, accessUntil: T0 + 2_000 + HOUR });
    expect(done).toMatchObject({ status: "AUTHENTICATED", sessionRef: "ref-1", lastError: null, authenticatedAt: T0 + 2_000, accessUntil: T0 + 2_000 + HOUR, updatedAt: T0 + 2_000 });
    // A second consent (another browser) finds it taken and changes nothing.
    expect(await rows.markAuthenticated(id, { sessionRef: "ref-2", at: T0 + 3_000, accessUntil: T0 + 3_000 + HOUR })).toBeNull();
    // A late failure from another browser leaves an authenticated request as it is.
    const late = await rows.recordFailure(id, { code: "sign_in_failed", message: "x" }, T0 + 3_500);
    expect(late).toMatchObject({ status: "AUTHENTICATED", sessionRef: "ref-1", lastError: null, updatedAt: T0 + 2_000 });

    const revoked = await rows.markRevoked(id, acme, T0 + 4_000);
    expect(revoked).toMatchObject({ status: "REVOKED", sessionRef: "ref-1", revokedAt: T0 + 4_000, updatedAt: T0 + 4_000 });
    const twice = await rows.markRevoked(id, acme, T0 + 5_000);
    expect(twice).toMatchObject({ status: "REVOKED", sessionRef: "ref-1", revokedAt: T0 + 4_000 });
    expect(await rows.isRevoked(id)).toBe(true);
    expect(await rows.markAuthenticated(id, { sessionRef: "ref-3", at: T0 + 6_000, accessUntil: T0 + HOUR })).toBeNull();
    expect((await rows.findById(id))?.status).toBe("REVOKED");
  });

  it("does not authenticate a request whose link expired", async () => {
    const { id } = await rows.insert(request(acme));
    expect(await rows.markAuthenticated(id, { sessionRef: "r", at: T0 + HOUR, accessUntil: T0 + 2 * HOUR })).toBeNull();
    expect(await rows.findById(id)).toMatchObject({ status: "UNAUTHENTICATED", sessionRef: null });
  });

  it("refuses an AUTHENTICATED row without a session_ref (the table's own check)", async () => {
    const { id } = await rows.insert(request(acme));
    await expect(database.db.updateTable("consent_requests").set({ status: "AUTHENTICATED" }).where("id", "=", id).execute()).rejects.toThrow(/check constraint/);
  });

  it("a revocation racing a completing consent never leaves AUTHENTICATED after REVOKED", async () => {
    const outcomes = { consentFirst: 0, revokeFirst: 0 };
    for (let i = 0; i < 30; i++) {
      const { id } = await rows.insert(request(acme));
      const ref = `ref-${i}`;
      const racers = [
        () => rows.markAuthenticated(id, { sessionRef: ref, at: T0 + 1_000, accessUntil: T0 + HOUR }),
        () => rows.markRevoked(id, acme, T0 + 1_000),
      ] as const;
      const [authenticated, revoked] = i % 2 === 0
        ? await Promise.all([racers[0](), racers[1]()])
        : await Promise.all([racers[1](), racers[0]()]).then(([r, a]) => [a, r] as const);
      const final = await rows.findById(id);
      expect(final?.status).toBe("REVOKED");
      expect(revoked?.status).toBe("REVOKED");
      if (authenticated !== null) {
        // The consent committed first: the revocation saw its session_ref, so it can end that session.
        outcomes.consentFirst++;
        expect(revoked?.sessionRef).toBe(ref);
        expect(final?.sessionRef).toBe(ref);
      } else {
        // The revocation committed first: the consent changed nothing (its caller ends the session it made).
        outcomes.revokeFirst++;
        expect(revoked?.sessionRef).toBeNull();
        expect(final?.sessionRef).toBeNull();
      }
    }
    expect(outcomes.consentFirst + outcomes.revokeFirst).toBe(30);
  });

  it("of two consents completing at once, exactly one takes the request", async () => {
    for (let i = 0; i < 20; i++) {
      const { id } = await rows.insert(request(acme));
      const results = await Promise.all(
        ["first", "second", "third"].map((ref) => rows.markAuthenticated(id, { sessionRef: ref, at: T0 + 1_000, accessUntil: T0 + HOUR })),
      );
      const winners = results.filter((r) => r !== null);
      expect(winners).toHaveLength(1);
      expect((await rows.findById(id))?.sessionRef).toBe(winners[0]?.sessionRef);
    }
  });

  it("keeps rows: an ended request is still there to read", async () => {
    const { id } = await rows.insert(request(acme, { linkValidUntil: T0 + 1 }));
    await rows.markRevoked(id, acme, T0 + 10 * 24 * HOUR);
    expect(await rows.find(id, acme)).toMatchObject({ status: "REVOKED", revokedAt: T0 + 10 * 24 * HOUR });
  });
});
