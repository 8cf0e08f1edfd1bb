// Neither number verifyAccount is given reaches a log line or an error message: over real HTTP, every line the
// gateway writes captured from debug up, on success and on every kind of failure, each request sent both ways (a
// server's JSON POST on the direct path, and yoga's adapter).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { startGateway, type Gateway } from "../../../src/server/gateway.js";
import { createLogger } from "../../../src/server/logger.js";

const WAYS = {
  direct: { "content-type": "application/json", accept: "application/json" },
  adapter: { "content-type": "application/json", accept: "application/graphql-response+json" },
} as const;

// Planted numbers: Ajit's seeded ones (registered), ones no account has, and ones refused before any call.
const AJIT_AADHAAR = "999999990019";
const AJIT_MOBILE = "9876543210";
// Passes the Verhoeff check (python-stdnum's stdnum/in_/aadhaar.py doctest); no seeded user has it.
const FREE_AADHAAR = "234123412346";
const FREE_MOBILE = "9111111111";
// Fails the Verhoeff check (Priya's old seeded number).
const BAD_AADHAAR = "999999990027";
const BAD_MOBILE = "5876543210";
const PLANTED = [AJIT_AADHAAR, AJIT_MOBILE, FREE_AADHAAR, FREE_MOBILE, BAD_AADHAAR, BAD_MOBILE];
/** The digits as a log might hold them: whole, in groups of four, or their last eight. */
const TRACES = PLANTED.flatMap((n) => [n, n.slice(-8), n.length === 12 ? `${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8)}` : n]);

const VERIFY = `mutation ($input: VerifyAccountInput!) {
  verifyAccount(input: $input) { __typename ... on AccountVerification { registered } ... on Problem { code message } }
}`;

interface Body {
  data?: { verifyAccount: { __typename: string; registered?: boolean; code?: string; message?: string } } | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function startLogged(env: Record<string, string>) {
  const raw: string[] = [];
  const logger = createLogger("debug", { write: (line: string) => { raw.push(line); } });
  const config = loadConfig({ DATA_DIR: "memory", PORT: "0", SANDBOX_PORT: "0", LOG_LEVEL: "debug", DIGILOCKER_MAX_RETRIES: "0", ...env });
  const gateway = await startGateway(config, { logger });
  return { gateway, take: () => raw.splice(0).join("") };
}

async function post(gateway: Gateway, way: keyof typeof WAYS, body: Record<string, unknown>): Promise<{ body: Body; text: string }> {
  const res = await fetch(`${gateway.url}/graphql`, { method: "POST", headers: WAYS[way], body: JSON.stringify(body) });
  const text = await res.text();
  return { body: JSON.parse(text) as Body, text };
}

function expectNoNumber(what: string, text: string): void {
  for (const trace of TRACES) expect(text, `${what} holds "${trace}"`).not.toContain(trace);
}

/** Sends the lookup both ways, in a variable and in the query text; checks the log and every error message. */
async function lookUp(g: Awaited<ReturnType<typeof startLogged>>, input: Record<string, string>): Promise<{ bodies: Body[]; log: string }> {
  const literal = Object.entries(input).map(([k, v]) => `${k}: "${v}"`).join(", ");
  const inline = `mutation { verifyAccount(input: { ${literal} }) { __typename ... on AccountVerification { registered } ... on Problem { code message } } }`;
  g.take();
  const bodies: Body[] = [];
  for (const way of ["direct", "adapter"] as const) {
    for (const request of [{ query: VERIFY, variables: { input } }, { query: inline }]) {
      const { body } = await post(g.gateway, way, request);
      bodies.push(body);
      for (const error of body.errors ?? []) expectNoNumber("an error", JSON.stringify(error));
      if (body.data?.verifyAccount.message !== undefined) expectNoNumber("a Problem's message", body.data.verifyAccount.message);
    }
  }
  const log = g.take();
  expectNoNumber("the log", log);
  return { bodies, log };
}

describe("verifyAccount's numbers stay out of logs and messages", () => {
  let g: Awaited<ReturnType<typeof startLogged>>;
  beforeAll(async () => { g = await startLogged({}); });
  afterAll(async () => { await g.gateway.close(); });

  it.each([
    ["a registered Aadhaar number", { aadhaar: AJIT_AADHAAR }, true],
    ["a registered mobile", { mobile: AJIT_MOBILE }, true],
    ["an unregistered Aadhaar number", { aadhaar: FREE_AADHAAR }, false],
    ["an unregistered mobile", { mobile: FREE_MOBILE }, false],
  ])("on success: %s", async (_what, input, registered) => {
    const { bodies } = await lookUp(g, input);
    for (const body of bodies) expect(body.data?.verifyAccount).toEqual({ __typename: "AccountVerification", registered });
  });

  it.each([
    ["an Aadhaar number failing the Verhoeff check", { aadhaar: BAD_AADHAAR }, "INVALID_AADHAAR_NUMBER"],
    ["a mobile that is not an Indian mobile", { mobile: BAD_MOBILE }, "INVALID_MOBILE_NUMBER"],
    ["both numbers", { aadhaar: AJIT_AADHAAR, mobile: AJIT_MOBILE }, "ONE_OF_AADHAAR_OR_MOBILE"],
  ])("on a Problem: %s", async (_what, input, code) => {
    const { bodies } = await lookUp(g, input);
    for (const body of bodies) expect(body.data?.verifyAccount).toMatchObject({ code });
  });

  it("on a variable of the wrong type (the log only: graphql-js's own message quotes the value back to its sender)", async () => {
    g.take();
    for (const way of ["direct", "adapter"] as const) {
      const { body } = await post(g.gateway, way, { query: VERIFY, variables: { input: { aadhaar: Number(AJIT_AADHAAR), mobile: [AJIT_MOBILE] } } });
      expect(body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    }
    expectNoNumber("the log", g.take());
  });
});

describe("verifyAccount's numbers stay out of logs and messages when DigiLocker fails", () => {
  let g: Awaited<ReturnType<typeof startLogged>>;
  beforeAll(async () => {
    g = await startLogged({ SANDBOX_ERROR_RATE: "1", SANDBOX_FAULT_ENDPOINTS: "meta.verifyAccount" });
  });
  afterAll(async () => { await g.gateway.close(); });

  it.each([
    // An outage (a warn line), our client id refused (an error line), and the parameters refused with the spec's
    // text, which names the hash: our signing, an error line that quotes DigiLocker's description.
    ["unexpected_error", "UPSTREAM_UNAVAILABLE"],
    ["invalid_client_id", "INTERNAL_SERVER_ERROR"],
    ["invalid_parameter", "INTERNAL_SERVER_ERROR"],
  ])("answered %s", async (errorCode, code) => {
    g.gateway.sandbox?.setFaults({ errorRate: 1, errorCode, endpoints: ["meta.verifyAccount"] });
    const inputs: Record<string, string>[] = [{ aadhaar: AJIT_AADHAAR }, { mobile: AJIT_MOBILE }, { aadhaar: FREE_AADHAAR }];
    for (const input of inputs) {
      const { bodies, log } = await lookUp(g, input);
      for (const body of bodies) expect(body.errors?.map((e) => e.extensions?.code)).toEqual([code]);
      // The failure was logged, naming the endpoint: the check above looked at real lines.
      expect(log).toContain("meta.verifyAccount");
    }
  });
});
