// The doctypes approved for each sandbox client (spec 131: req_doctype's types "are selected from the ones that
// are approved for your client ID"), over real HTTP: what the consent page offers without req_doctype and with
// it, what the token grants, what Pull then accepts, and a req_doctype the client is not approved for.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPkcePair, DigiLockerClient } from "../../../src/digilocker/index.js";
import { authorizeUrl, parseConsentForm, signInThroughConsent, type ConsentOptions } from "../../helpers/consent.js";
import { startTestSandbox, type TestSandbox } from "../../helpers/sandbox.js";

const REDIRECT = "http://localhost:4000/auth/callback";
const PRIYA = "6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f";
const ASHA = "c3d4e5f6-a7b8-4c9d-8e0f-112233445566";
const SECOND = { clientId: "SANDBOX2", clientSecret: "sandbox-second-secret" };

const ACCOUNT_SCOPES = ["openid", "userdetails", "files.issueddocs", "files.uploadeddocs"];
/** Every doctype of the seeded catalogue, sorted: what SANDBOX1 is approved for. */
const CATALOGUE_DOCTYPES = [
  "ABHAC", "BTCER", "CDCRD", "CRPOL", "CSCER", "DGCER", "DINCR", "DLCER", "DOMCR", "DPCER",
  "DRVLC", "DTCER", "EPICD", "ESHRM", "ESMID", "EWSCR", "FSLIC", "GSTCR", "HLPOL", "HMPOL",
  "HPCER", "HSCER", "INCER", "ITICR", "JEEMS", "LIPOL", "MGCER", "MRKSH", "MTPOL", "NEETS",
  "OFCER", "PANCR", "PDCER", "PMJAY", "POSAC", "PPORD", "PSPRT", "RATCR", "RESCR", "RVCER",
  "SBCER", "SHCRD", "SPCER", "SSCER", "TRPOL", "UANCD", "UDIDC", "ULPOL", "VACER",
];
// The values docs/sandbox.md lists for the fixed issuers ("Doctypes and the values that make a pull succeed").
const CBSE_HSCER = { orgId: "000018", docType: "HSCER", consent: true as const, parameters: { year: "2014", rollno: "12345678" } };
const SANDBOX_SBCER = { orgId: "000900", docType: "SBCER", consent: true as const, parameters: { year: "2024", certno: "SB0001" } };
const PAN = { orgId: "000100", docType: "PANCR", consent: true as const, parameters: { panno: "ABCDE1234F" } };

describe("sandbox: doctypes approved for the client (spec 131)", () => {
  let t: TestSandbox;
  let second: DigiLockerClient;
  beforeAll(async () => {
    t = await startTestSandbox();
    second = new DigiLockerClient({ baseUrl: t.sandbox.baseUrl, ...SECOND, retry: { maxRetries: 0 } });
  });
  afterAll(async () => {
    await second.close();
    await t.close();
  });

  async function consentPage(params: Record<string, string> = {}, clientId?: string): Promise<string> {
    const res = await fetch(authorizeUrl(t.sandbox, { clientId, redirectUri: REDIRECT, pkce: null, state: "s", params }));
    expect(res.status).toBe(200);
    return res.text();
  }

  /** Signs `userId` in through the consent page (all checked unless `scopes`), exchanges the code, returns the token. */
  async function signIn(options: Partial<ConsentOptions> & { userId: string }, client = t.client) {
    const pkce = createPkcePair();
    const url = await signInThroughConsent(t.sandbox, { redirectUri: REDIRECT, pkce, state: "s", ...options });
    const code = url.searchParams.get("code");
    if (code === null) throw new Error(`no code in ${url.href}`);
    return client.oauth.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: pkce.verifier, version: 1 });
  }

  async function refusal(params: Record<string, string>, clientId?: string): Promise<URL> {
    const res = await fetch(authorizeUrl(t.sandbox, { clientId, redirectUri: REDIRECT, pkce: null, state: "keep-me", params }), { redirect: "manual" });
    expect(res.status).toBe(302);
    return new URL(res.headers.get("location")!);
  }

  it("without req_doctype, offers partners.<DOCTYPE> for every approved doctype, checked, in one labelled fieldset", async () => {
    const page = await consentPage();
    expect(parseConsentForm(page).scopes).toEqual([
      ...ACCOUNT_SCOPES.map((scope) => ({ scope, checked: true })),
      ...CATALOGUE_DOCTYPES.map((d) => ({ scope: `partners.${d}`, checked: true })),
    ]);
    expect(page).toContain('<fieldset class="pulls" aria-describedby="pulls-hint">');
    expect(page).toContain("<legend>Fetch these documents from their issuers into your DigiLocker</legend>");
    expect(page).toContain('<p class="muted" id="pulls-hint">49 document types approved for this application. Uncheck any it should not fetch.</p>');
    // Each checkbox sits in its label, named by the doctype's description.
    expect(page).toContain('<input type="checkbox" name="scope" value="partners.HSCER" checked>\n  <span>Class XII Marksheet<br><code class="muted">partners.HSCER</code></span></label>');
    expect(page).toContain('<input type="checkbox" name="scope" value="partners.PANCR" checked>\n  <span>PAN Verification Record<br><code class="muted">partners.PANCR</code></span></label>');
    expect(page).toContain('<input type="checkbox" name="scope" value="partners.SBCER" checked>\n  <span>Sandbox Test Certificate<br><code class="muted">partners.SBCER</code></span></label>');
  });

  it("a sign-in without req_doctype grants them, and Pull then succeeds with the values docs/sandbox.md lists", async () => {
    const tokens = await signIn({ userId: PRIYA });
    expect(tokens.scopes).toEqual([...ACCOUNT_SCOPES, ...CATALOGUE_DOCTYPES.map((d) => `partners.${d}`)]);
    expect(tokens.scopes).toEqual(expect.arrayContaining(["partners.DRVLC", "partners.HSCER", "partners.PANCR", "partners.SBCER"]));
    expect(await t.client.pull.document(tokens.accessToken, CBSE_HSCER)).toEqual({ uri: "in.gov.cbse-HSCER-201412345678" });
  });

  it("grants no pull scope the user unchecked: Pull for it answers 403 insufficient_scope", async () => {
    const page = parseConsentForm(await consentPage());
    const kept = page.scopes.map((s) => s.scope).filter((s) => s !== "partners.PANCR");
    const tokens = await signIn({ userId: ASHA, scopes: kept });
    expect(tokens.scopes).not.toContain("partners.PANCR");
    expect(tokens.scopes).toHaveLength(ACCOUNT_SCOPES.length + 48);
    await expect(t.client.pull.document(tokens.accessToken, PAN)).rejects.toMatchObject({ status: 403, code: "insufficient_scope" });
  });

  it("with req_doctype, offers and grants only the doctypes named", async () => {
    const page = await consentPage({ req_doctype: "SBCER" });
    expect(parseConsentForm(page).scopes.map((s) => s.scope)).toEqual([...ACCOUNT_SCOPES, "partners.SBCER"]);
    expect(page).toContain('<p class="muted" id="pulls-hint">1 document type the application asked for. Uncheck any it should not fetch.</p>');

    const tokens = await signIn({ userId: ASHA, params: { req_doctype: "SBCER" } });
    expect(tokens.scopes).toEqual([...ACCOUNT_SCOPES, "partners.SBCER"]);
    expect(await t.client.pull.document(tokens.accessToken, SANDBOX_SBCER)).toEqual({ uri: "in.gov.sandbox-SBCER-2024SB0001" });
    await expect(t.client.pull.document(tokens.accessToken, CBSE_HSCER)).rejects.toMatchObject({ status: 403, code: "insufficient_scope" });
  });

  it("SANDBOX2 is approved for PANCR and DRVLC only (spec 131's example): offered without req_doctype, and Pull works", async () => {
    const page = await consentPage({}, SECOND.clientId);
    expect(parseConsentForm(page).scopes.map((s) => s.scope)).toEqual([...ACCOUNT_SCOPES, "partners.DRVLC", "partners.PANCR"]);
    expect(page).toContain('<p class="muted" id="pulls-hint">2 document types approved for this application. Uncheck any it should not fetch.</p>');
    const tokens = await signIn({ userId: ASHA, clientId: SECOND.clientId }, second);
    expect(tokens.scopes).toEqual([...ACCOUNT_SCOPES, "partners.DRVLC", "partners.PANCR"]);
    expect(await second.pull.document(tokens.accessToken, PAN)).toEqual({ uri: "in.gov.pan-PANCR-ABCDE1234F" });
  });

  it.each([
    ["HSCER", "req_doctype HSCER is not approved for client SANDBOX2"],
    ["PANCR,SBCER", "req_doctype SBCER is not approved for client SANDBOX2"],
  ])("refuses req_doctype=%s for SANDBOX2 with invalid_request naming the doctype", async (reqDocType, description) => {
    const location = await refusal({ req_doctype: reqDocType }, SECOND.clientId);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get("error")).toBe("invalid_request");
    expect(location.searchParams.get("error_description")).toBe(description);
    expect(location.searchParams.get("state")).toBe("keep-me");
  });

  it("still says so first when a doctype is in no issuer's catalogue at all", async () => {
    const location = await refusal({ req_doctype: "ZZZZZ" }, SECOND.clientId);
    expect(location.searchParams.get("error_description")).toBe("req_doctype ZZZZZ is not a document type of any issuer");
  });
});
