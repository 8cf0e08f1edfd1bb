// consent_valid_till round trip under each `ts` convention (docs/spec-assumptions.md #2, #14): the client sends the
// instant shifted to IST under "unix-ist" (spec 137), the sandbox reads it back under its own convention, and the
// token response's value comes back to the same instant (spec 202, 264). Before issue 13, "unix-ist" ended such
// sessions 5.5 hours early.
import { describe, expect, it } from "vitest";
import { createPkcePair } from "../../../src/digilocker/index.js";
import { AJIT } from "../../helpers/gateway.js";
import { signInThroughConsent } from "../../helpers/consent.js";
import { startTestSandbox } from "../../helpers/sandbox.js";

/** 2030-01-01T00:00:00Z: 1,893,456,000 s since the epoch; under "unix-ist" sent as 1,893,456,000 + 19,800. */
const TILL = new Date("2030-01-01T00:00:00.000Z");

describe.each([
  { convention: "unix" as const, sent: "1893456000" },
  { convention: "unix-ist" as const, sent: "1893475800" },
])("consent_valid_till under $convention", ({ convention, sent }) => {
  it("is sent as the convention says and comes back from both token endpoints as the same instant", async () => {
    const t = await startTestSandbox({ sandbox: { timestamp: convention }, client: { timestamp: convention } });
    try {
      const redirectUri = `${t.sandbox.origin}/sandbox/callback`;
      for (const version of [1, 2] as const) {
        const pkce = createPkcePair();
        const url = new URL(t.client.oauth.authorizationUrl({ redirectUri, state: `s${version}`, codeChallenge: pkce.challenge, consentValidTill: TILL }));
        expect(url.searchParams.get("consent_valid_till")).toBe(sent);
        const back = await signInThroughConsent(t.sandbox, {
          redirectUri,
          state: `s${version}`,
          pkce: null,
          params: Object.fromEntries(url.searchParams),
          userId: AJIT,
        });
        const code = back.searchParams.get("code") ?? "";
        const tokens = await t.client.oauth.exchangeCode({ code, redirectUri, codeVerifier: pkce.verifier, version });
        expect(tokens.consentValidTill).toBe("2030-01-01T00:00:00.000Z");
        if (version === 1 && tokens.refreshToken !== null) {
          const refreshed = await t.client.oauth.refresh(tokens.refreshToken);
          expect(refreshed.consentValidTill).toBe("2030-01-01T00:00:00.000Z");
        }
      }
    } finally {
      await t.close();
    }
  });
});
