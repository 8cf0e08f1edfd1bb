// What a client sees when the viewer's data cannot be read: codes to switch on, failing fields that leave
// their siblings intact, and nothing secret (token, client secret, raw upstream body) anywhere in the answer.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AJIT, startTestGateway, type GraphQLResult, type TestGateway } from "../../helpers/gateway.js";

describe("viewer errors", () => {
  let t: TestGateway;
  beforeAll(async () => { t = await startTestGateway(); });
  afterAll(async () => { await t.close(); });
  afterEach(() => { t.sandbox.setFaults({}); });

  /** The whole answer as a client receives it must not carry any of these. */
  function expectNoLeak(res: GraphQLResult<unknown>, token: string | null): void {
    const text = JSON.stringify(res);
    if (token !== null) expect(text).not.toContain(token);
    expect(text).not.toContain(t.sandbox.clientSecret);
    // A raw DigiLocker body is JSON with `error` and `error_description`; only our own mapping may show.
    expect(text).not.toContain("error_description");
    expect(text).not.toMatch(/\\?"error\\?"\s*:/);
    expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/); // no stack traces
  }

  it("answers UNAUTHENTICATED (missing_token) without a token, and null for the viewer only", async () => {
    t.gateway.upstreamCalls.reset();
    const res = await t.query(`{ viewer { name issuedDocuments { uri } } }`);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ viewer: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ["viewer"], extensions: { code: "UNAUTHENTICATED", reason: "missing_token" } });
    expect(t.gateway.upstreamCalls.total()).toBe(0);
    expectNoLeak(res, null);
  });

  it("answers UNAUTHENTICATED (invalid_token) for an unknown token and for a revoked one: viewer null, one error", async () => {
    const unknown = "not-a-token-the-sandbox-issued";
    const res = await t.query(`{ viewer { name } }`, { token: unknown });
    expect(res.data).toEqual({ viewer: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ["viewer"], extensions: { code: "UNAUTHENTICATED", reason: "invalid_token" } });
    expectNoLeak(res, unknown);

    const revoked = t.token(AJIT);
    await t.gateway.services.client.oauth.revoke(revoked, "access_token");
    const after = await t.query(`{ viewer { name issuedDocuments { uri } } }`, { token: revoked });
    expect(after.data).toEqual({ viewer: null });
    expect(after.errors).toHaveLength(1);
    expect(after.errors![0]).toMatchObject({ path: ["viewer"], extensions: { code: "UNAUTHENTICATED", reason: "invalid_token" } });
    expectNoLeak(after, revoked);
  });

  it("fails only the account fields with FORBIDDEN naming userdetails; issued documents in the same query still arrive", async () => {
    const token = t.token(AJIT, ["files.issueddocs", "files.uploadeddocs"]);
    type R = { viewer: { name: string | null; dateOfBirth: string | null; issuedDocuments: { uri: string }[] } };
    const res = await t.query<R>(`{ viewer { name dateOfBirth issuedDocuments { uri } } }`, { token });
    expect(res.data!.viewer.name).toBeNull();
    expect(res.data!.viewer.dateOfBirth).toBeNull();
    expect(res.data!.viewer.issuedDocuments).toHaveLength(5);
    expect(res.errors).toHaveLength(2);
    for (const error of res.errors!) {
      expect(error.message).toContain('"userdetails"');
      expect(error.extensions).toMatchObject({ code: "FORBIDDEN", reason: "insufficient_scope", scope: "userdetails" });
    }
    expect(res.errors!.map((e) => e.path)).toEqual(expect.arrayContaining([["viewer", "name"], ["viewer", "dateOfBirth"]]));
    expectNoLeak(res, token);
  });

  it("keeps statistics beside a failing viewer", async () => {
    type R = { statistics: { users: number } | null; viewer: unknown };
    const res = await t.query<R>(`{ statistics { users } viewer { name } }`);
    expect(res.data!.viewer).toBeNull();
    expect(res.data!.statistics?.users).toBeGreaterThan(0);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ["viewer"], extensions: { code: "UNAUTHENTICATED" } });
  });

  it("answers UPSTREAM_UNAVAILABLE when DigiLocker's issued list is down, leaving the account fields intact", async () => {
    const token = t.token(AJIT);
    t.sandbox.setFaults({ errorRate: 1, errorCode: "unexpected_error", endpoints: ["files.issued"] });
    const res = await t.query(`{ viewer { name rootFolder { path } issuedDocuments { uri } } }`, { token });
    // issuedDocuments is non-null, so its failure nulls the viewer, and only the viewer.
    expect(res.data).toEqual({ viewer: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({
      path: ["viewer", "issuedDocuments"],
      extensions: { code: "UPSTREAM_UNAVAILABLE", upstream: { endpoint: "files.issued", status: 530, upstreamCode: "unexpected_error" } },
    });
    expectNoLeak(res, token);

    const folder = await t.query(`{ viewer { name rootFolder { items { totalCount } } } }`, { token });
    expect(folder.errors).toBeUndefined();
    expect(folder.data).toEqual({ viewer: { name: "Ajit Kumar", rootFolder: { items: { totalCount: 3 } } } });
  });

  it("maps a down account route and a down folder listing the same way, field by field", async () => {
    const token = t.token(AJIT);
    t.sandbox.setFaults({ errorRate: 1, errorCode: "partner_service_unresponsive", endpoints: ["account.user", "files.uploaded"] });
    const res = await t.query(`{ viewer { name rootFolder { folders { name } } issuedDocuments { uri } } }`, { token });
    expect(res.data).toEqual({ viewer: { name: null, rootFolder: null, issuedDocuments: expect.any(Array) as unknown } });
    expect(res.errors!.map((e) => [e.path, e.extensions?.code])).toEqual(
      expect.arrayContaining([
        [["viewer", "name"], "UPSTREAM_UNAVAILABLE"],
        [["viewer", "rootFolder", "folders"], "UPSTREAM_UNAVAILABLE"],
      ]),
    );
    expectNoLeak(res, token);
  });
});
