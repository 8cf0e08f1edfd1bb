// Get User Details (spec: Account Detail API) against the sandbox over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSandbox, type TestSandbox } from "../../helpers/sandbox.js";

const AJIT = "123e4567-e89b-12d3-a456-426655440000";
const RAHUL = "0b7e3d52-1c4a-4f6e-8d2b-7a9c5e1f3b20";
const ASHA = "c3d4e5f6-a7b8-4c9d-8e0f-112233445566";

describe("sandbox: GET /oauth2/1/user", () => {
  let t: TestSandbox;
  let clock = Date.now();
  beforeAll(async () => {
    t = await startTestSandbox({ deps: { now: () => clock } });
  });
  afterAll(async () => {
    await t.close();
  });
  const token = (userId: string, scopes = ["userdetails"]) => t.sandbox.issueToken({ userId, scopes }).accessToken;

  it("answers the token's user with the spec's fields", async () => {
    const account = await t.client.account.user(token(AJIT));
    expect(account).toEqual({
      digilockerId: AJIT,
      name: "Ajit Kumar",
      dateOfBirth: "1970-12-31",
      gender: "MALE",
      eAadhaar: true,
      referenceKey: t.sandbox.state.users.get(AJIT)?.referenceKey,
    });
  });

  it("sends the field list's `eaadhaar` flag as Y or N, every value a string", async () => {
    const res = await fetch(`${t.sandbox.baseUrl}/oauth2/1/user`, { headers: { authorization: `Bearer ${token(RAHUL)}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["digilockerid", "dob", "eaadhaar", "gender", "name", "reference_key"]);
    expect(body).toMatchObject({ digilockerid: RAHUL, dob: "01011985", gender: "M", eaadhaar: "N" });
    expect(Object.values(body).every((v) => typeof v === "string")).toBe(true);
  });

  it("says N for a linked Aadhaar without e-Aadhaar data, and T for transgender", async () => {
    const account = await t.client.account.user(token(ASHA));
    expect(account).toMatchObject({ digilockerId: ASHA, gender: "TRANSGENDER", eAadhaar: false, dateOfBirth: "1975-10-10" });
  });

  it("refuses a token without userdetails: 403 insufficient_scope", async () => {
    await expect(t.client.account.user(token(AJIT, ["files.issueddocs", "files.uploadeddocs"]))).rejects.toMatchObject({
      name: "InsufficientScopeError",
      status: 403,
      code: "insufficient_scope",
    });
  });

  it("answers 530 unexpected_error when the service fails (fault injection)", async () => {
    t.sandbox.setFaults({ errorRate: 1, errorCode: "unexpected_error", endpoints: ["account.user"] });
    try {
      await expect(t.client.account.user(token(AJIT))).rejects.toMatchObject({ status: 530, code: "unexpected_error" });
    } finally {
      t.sandbox.setFaults({});
    }
  });

  it("refuses unknown, missing, revoked and expired tokens: 401 invalid_token", async () => {
    const invalid = { name: "InvalidTokenError", status: 401, code: "invalid_token" };
    await expect(t.client.account.user("0123456789abcdef0123456789abcdef01234567")).rejects.toMatchObject(invalid);

    const missing = await fetch(`${t.sandbox.baseUrl}/oauth2/1/user`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: "invalid_token", error_description: "The access token is invalid" });

    const revoked = token(AJIT);
    const stored = t.sandbox.state.accessTokens.get(revoked);
    if (!stored) throw new Error("issued token not stored");
    stored.revoked = true;
    await expect(t.client.account.user(revoked)).rejects.toMatchObject(invalid);

    const expiring = token(AJIT);
    clock += 3601 * 1000;
    await expect(t.client.account.user(expiring)).rejects.toMatchObject(invalid);
  });
});
