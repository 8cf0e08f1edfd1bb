// verifyAccount over real HTTP against the sandbox: each outcome a client can get, no DigiLocker call for a number
// refused by its form, and the client budget charged on every lookup, a signed-in browser's included.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AJIT, PRIYA, startTestGateway, type GraphQLResult, type TestGateway } from "../../helpers/gateway.js";
import { signInThroughGateway } from "../../helpers/sign-in.js";

const VERIFY = `mutation Verify($input: VerifyAccountInput!) {
  verifyAccount(input: $input) {
    __typename
    ... on AccountVerification { registered digilockerId }
    ... on Problem { code message }
  }
}`;

type Answer =
  | { __typename: "AccountVerification"; registered: boolean; digilockerId: string | null }
  | { __typename: string; code: string; message: string };

interface Input {
  aadhaar?: string | null;
  mobile?: string | null;
}

function verify(t: TestGateway, input: Input, options: { cookie?: string | null; token?: string } = {}) {
  return t.query<{ verifyAccount: Answer }>(VERIFY, { variables: { input }, ...options });
}

describe("verifyAccount", () => {
  let t: TestGateway;
  beforeAll(async () => { t = await startTestGateway(); });
  afterAll(async () => { await t.close(); });
  beforeEach(() => { t.gateway.upstreamCalls.reset(); });

  const calls = () => t.gateway.upstreamCalls.count("meta.verifyAccount");

  it.each([
    ["Ajit's Aadhaar number", { aadhaar: "999999990019" }, AJIT],
    ["Priya's Aadhaar number, as printed in groups of four", { aadhaar: "9999 9999 0026" }, PRIYA],
    ["Ajit's mobile", { mobile: "9876543210" }, AJIT],
    ["Priya's mobile, with the other field null", { mobile: "9123456780", aadhaar: null }, PRIYA],
  ])("answers a seeded user's %s as registered, with the account's DigiLocker id", async (_what, input, id) => {
    const answer = await verify(t, input);
    expect(answer.status).toBe(200);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.verifyAccount).toEqual({ __typename: "AccountVerification", registered: true, digilockerId: id });
    // Not cached: every lookup is DigiLocker's own answer.
    expect(calls()).toBe(1);
  });

  it.each([
    // Passes the Verhoeff check (python-stdnum's stdnum/in_/aadhaar.py doctest), but no seeded user has it.
    ["an Aadhaar number", { aadhaar: "234123412346" }],
    ["a mobile", { mobile: "9111111111" }],
  ])("answers %s no account has as not registered, with no DigiLocker id", async (_what, input) => {
    const answer = await verify(t, input);
    expect(answer.data?.verifyAccount).toEqual({ __typename: "AccountVerification", registered: false, digilockerId: null });
    expect(calls()).toBe(1);
  });

  const problems: [string, Input, string][] = [
    ["both numbers", { aadhaar: "999999990019", mobile: "9876543210" }, "OneOfAadhaarOrMobile"],
    ["neither number", {}, "OneOfAadhaarOrMobile"],
    ["both fields null", { aadhaar: null, mobile: null }, "OneOfAadhaarOrMobile"],
    ["both fields blank", { aadhaar: " ", mobile: "" }, "OneOfAadhaarOrMobile"],
    // Priya's old seeded number: its check digit is wrong (999999990026 is right).
    ["an Aadhaar number failing the Verhoeff check", { aadhaar: "999999990027" }, "InvalidAadhaarNumber"],
    ["an Aadhaar number of 11 digits", { aadhaar: "99999999001" }, "InvalidAadhaarNumber"],
    ["an Aadhaar number of 13 digits", { aadhaar: "9999999900190" }, "InvalidAadhaarNumber"],
    // python-stdnum's doctest: passes the Verhoeff check, but no Aadhaar number starts with 0 or 1.
    ["an Aadhaar number starting with 1", { aadhaar: "123412341234" }, "InvalidAadhaarNumber"],
    ["an Aadhaar number with letters", { aadhaar: "99999999001X" }, "InvalidAadhaarNumber"],
    ["a mobile with +91", { mobile: "+919876543210" }, "InvalidMobileNumber"],
    ["a mobile with a leading 0", { mobile: "09876543210" }, "InvalidMobileNumber"],
    ["a mobile starting with 5", { mobile: "5876543210" }, "InvalidMobileNumber"],
    ["a mobile of 9 digits", { mobile: "987654321" }, "InvalidMobileNumber"],
  ];

  it.each(problems)("answers %s with its Problem, having called nothing", async (_what, input, typename) => {
    const answer = await verify(t, input);
    expect(answer.status).toBe(200);
    expect(answer.errors).toBeUndefined();
    const result = answer.data?.verifyAccount;
    const codes: Record<string, string> = {
      OneOfAadhaarOrMobile: "ONE_OF_AADHAAR_OR_MOBILE",
      InvalidAadhaarNumber: "INVALID_AADHAAR_NUMBER",
      InvalidMobileNumber: "INVALID_MOBILE_NUMBER",
    };
    expect(result).toMatchObject({ __typename: typename, code: codes[typename] });
    expect(result && "message" in result ? result.message : "").not.toBe("");
    expect(calls()).toBe(0);
  });

  it("says which fix a Problem needs in its message", async () => {
    const message = async (input: Input) => {
      const result = (await verify(t, input)).data?.verifyAccount;
      return result && "message" in result ? result.message : null;
    };
    expect(await message({ aadhaar: "999999990027" })).toMatch(/last digit does not match/);
    expect(await message({ aadhaar: "12345" })).toMatch(/12 digits/);
    expect(await message({ mobile: "+919876543210" })).toMatch(/without \+91/);
    expect(await message({ aadhaar: "999999990019", mobile: "9876543210" })).toMatch(/not both/);
    expect(await message({})).toMatch(/either aadhaar .* or mobile/);
    expect(calls()).toBe(0);
  });

  it("refuses a second lookup in one request, before any call (one upstream mutation per request)", async () => {
    const answer = await t.query(
      'mutation { a: verifyAccount(input: { mobile: "9876543210" }) { __typename } b: verifyAccount(input: { mobile: "9123456780" }) { __typename } }',
    );
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: "OPERATION_LIMIT_EXCEEDED", limit: "upstreamMutations", found: 2 });
    expect(calls()).toBe(0);
  });
});

describe("verifyAccount when DigiLocker fails (SANDBOX_ERROR_RATE=1 for meta.verifyAccount)", () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ SANDBOX_ERROR_RATE: "1", SANDBOX_FAULT_ENDPOINTS: "meta.verifyAccount" });
  });
  afterAll(async () => { await t.close(); });
  afterEach(() => { t.sandbox.setFaults({ errorRate: 1, endpoints: ["meta.verifyAccount"] }); });

  it.each([
    ["unexpected_error", "UPSTREAM_UNAVAILABLE"],
    // Our client id refused: the operator's to fix, not the user's.
    ["invalid_client_id", "INTERNAL_SERVER_ERROR"],
  ])("answers DigiLocker's %s as an error (%s), not a Problem", async (errorCode, code) => {
    t.sandbox.setFaults({ errorRate: 1, errorCode, endpoints: ["meta.verifyAccount"] });
    const answer = await verify(t, { mobile: "9876543210" });
    expect(answer.data).toBeNull();
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors?.[0]).toMatchObject({ path: ["verifyAccount"], extensions: { code } });
  });

  it("still answers a refused number with its Problem, calling nothing", async () => {
    t.gateway.upstreamCalls.reset();
    const answer = await verify(t, { aadhaar: "999999990027" });
    expect(answer.data?.verifyAccount).toMatchObject({ __typename: "InvalidAadhaarNumber" });
    expect(t.gateway.upstreamCalls.count("meta.verifyAccount")).toBe(0);
  });
});

describe("verifyAccount and the client budget", () => {
  let t: TestGateway | undefined;
  afterEach(async () => { await t?.close(); });

  function expectRefused(result: GraphQLResult<unknown>, limit: number) {
    expect(result.status).toBe(429);
    expect(Number(result.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED", budget: "client", limit });
  }

  it("charges a signed-in browser's lookups, though its own reads stay free", async () => {
    t = await startTestGateway({ RATE_LIMIT_PER_CLIENT: "3" });
    // The sign-in's callback costs one (it exchanges the code at DigiLocker).
    const { cookie } = await signInThroughGateway(t);
    expect(cookie).not.toBeNull();
    for (let i = 0; i < 3; i++) expect((await t.query("{ viewer { name } }", { cookie })).status).toBe(200);
    t.gateway.upstreamCalls.reset();
    expect((await verify(t, { mobile: "9876543210" }, { cookie })).data?.verifyAccount).toMatchObject({ registered: true });
    expect((await verify(t, { aadhaar: "999999990026" }, { cookie })).data?.verifyAccount).toMatchObject({ registered: true });
    expectRefused(await verify(t, { mobile: "9123456780" }, { cookie }), 3);
    // The refused lookup reached nothing.
    expect(t.gateway.upstreamCalls.count("meta.verifyAccount")).toBe(2);
    // The session's own reads are still its user's, and still free.
    const viewer = await t.query<{ viewer: { name: string } | null }>("{ viewer { name } }", { cookie });
    expect(viewer.status).toBe(200);
    expect(viewer.data?.viewer?.name).toBe("Ajit Kumar");
  });

  it("charges anonymous and bearer-token lookups, a refused number's too", async () => {
    t = await startTestGateway({ RATE_LIMIT_PER_CLIENT: "3" });
    expect((await verify(t, { aadhaar: "999999990027" })).data?.verifyAccount).toMatchObject({ __typename: "InvalidAadhaarNumber" });
    expect((await verify(t, { mobile: "9876543210" })).status).toBe(200);
    expect((await verify(t, { mobile: "9876543210" }, { token: t.token() })).status).toBe(200);
    expectRefused(await verify(t, { mobile: "9876543210" }), 3);
    expectRefused(await verify(t, { mobile: "9876543210" }, { token: t.token() }), 3);
    expect(t.gateway.upstreamCalls.count("meta.verifyAccount")).toBe(2);
  });
});
