// The sandbox's own pages, outside the spec: the index, the "get a token without writing code" page and
// its callback, OpenID discovery and JWKS, the signing certificate, and the fault switches. No endpoint
// ids: fault injection never touches them.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { html as htmlReply, json, redirect, type Reply, type SandboxRequest } from "../http.js";
import { decodeJwt } from "../jwt.js";
import { sandboxSigningCertificates } from "../keys.js";
import { errorPage } from "../pages/error.js";
import { homePage } from "../pages/home.js";
import { pageHeaders } from "../pages/markup.js";
import { manualCodePage, tokenFormPage, tokenResultPage } from "../pages/token.js";
import type { Route, SandboxContext } from "../router.js";
import { clearCookie, FLOW_COOKIE, openValue, readSession, SESSION_COOKIE, sealValue, setCookie } from "../session.js";
import { faultSchema } from "../settings.js";
import { opaqueToken } from "../tokens.js";
import { ownCallback, requestOrigin } from "./oauth.js";

/** What the token page remembers between starting the flow and its callback (in a signed cookie). */
const flowSchema = z.object({
  state: z.string(),
  verifier: z.string(),
  version: z.union([z.literal(1), z.literal(2)]),
  clientId: z.string(),
  redirectUri: z.string(),
});
const FLOW_MAX_AGE_SECONDS = 15 * 60;

function pageReply(status: number, page: string, headers: Record<string, string | string[]> = {}): Reply {
  return htmlReply(status, page, { ...pageHeaders, ...headers });
}

function home(_req: SandboxRequest, ctx: SandboxContext): Reply {
  return pageReply(
    200,
    homePage({
      origin: ctx.origin,
      clients: [...ctx.state.clients.values()],
      users: [...ctx.state.users.values()],
      accessTokenTtlSeconds: ctx.settings.accessTokenTtlSeconds,
      issuerCount: ctx.state.issuers.length,
    }),
  );
}

function tokenForm(req: SandboxRequest, ctx: SandboxContext, status = 200, problem?: string): Reply {
  const session = readSession(ctx.keys, req.cookies[SESSION_COOKIE]);
  const view = {
    clients: [...ctx.state.clients.values()],
    defaultClientId: ctx.settings.clientId,
    users: [...ctx.state.users.values()],
    selectedUserId: session?.userId ?? null,
  };
  return pageReply(status, tokenFormPage(problem === undefined ? view : { ...view, problem }));
}

/** Starts the real flow: PKCE pair and state kept in a signed cookie, the user "signed in", then authorize. */
function tokenStart(req: SandboxRequest, ctx: SandboxContext): Reply {
  const form = new URLSearchParams(req.body.toString("utf8"));
  const client = ctx.state.clients.get(form.get("client_id") ?? ctx.settings.clientId);
  const user = ctx.state.users.get(form.get("user") ?? "");
  if (!client || !user) return tokenForm(req, ctx, 400, "Choose a seeded user and a client.");
  const version = form.get("version") === "2" ? 2 : 1;
  const origin = requestOrigin(req, ctx);
  const verifier = randomBytes(32).toString("base64url");
  const flow = { state: opaqueToken(), verifier, version, clientId: client.id, redirectUri: ownCallback(origin) };
  const url = new URL(`${origin}/public/oauth2/1/authorize`);
  const q = url.searchParams;
  q.set("response_type", "code");
  q.set("client_id", client.id);
  q.set("redirect_uri", flow.redirectUri);
  q.set("state", flow.state);
  q.set("code_challenge", createHash("sha256").update(verifier, "ascii").digest("base64url"));
  q.set("code_challenge_method", "S256");
  q.set("scope", "openid");
  for (const name of ["req_doctype", "acr", "purpose"]) {
    const value = form.get(name)?.trim() ?? "";
    if (value !== "") q.set(name, value);
  }
  return redirect(url.toString(), {
    "set-cookie": [
      setCookie(FLOW_COOKIE, sealValue(ctx.keys, flow), { path: "/sandbox", maxAgeSeconds: FLOW_MAX_AGE_SECONDS }),
      // Signing in on this page is signing in to the sandbox: the consent page pre-selects this user.
      setCookie(SESSION_COOKIE, sealValue(ctx.keys, { userId: user.digilockerId, clientId: client.id }), { maxAgeSeconds: 12 * 60 * 60 }),
    ],
  });
}

/** The redirect target of the token page's flow: exchanges the code server-side and shows the tokens. */
async function tokenCallback(req: SandboxRequest, ctx: SandboxContext): Promise<Reply> {
  const q = req.url.searchParams;
  const origin = requestOrigin(req, ctx);
  const flowParsed = flowSchema.safeParse(openValue(ctx.keys, req.cookies[FLOW_COOKIE]));
  const flow = flowParsed.success ? flowParsed.data : null;
  const done = { "set-cookie": clearCookie(FLOW_COOKIE, "/sandbox") };
  const error = q.get("error");
  if (error !== null) {
    return pageReply(200, errorPage("Sign-in ended", `DigiLocker answered ${error}: ${q.get("error_description") ?? ""}`, "Start again from the token page."), done);
  }
  const code = q.get("code");
  if (code === null || code === "") return pageReply(400, errorPage("No code", "The callback was reached without an authorization code."));
  if (flow === null) return pageReply(200, manualCodePage(origin, code, q.get("state")));
  if (q.get("state") !== flow.state) {
    return pageReply(400, errorPage("State mismatch", "The state does not match the sign-in this browser started."), done);
  }
  const client = ctx.state.clients.get(flow.clientId);
  if (!client) return pageReply(400, errorPage("Unknown client", "The client of this sign-in no longer exists."), done);

  // Over HTTP, like any partner's server would: the page shows exactly what the token endpoint answers.
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${ctx.origin}/public/oauth2/${flow.version}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: flow.redirectUri,
        code_verifier: flow.verifier,
        client_id: client.id,
        client_secret: client.secret,
      }).toString(),
    });
    text = await res.text();
  } catch (error) {
    // A dropped connection (fault injection) or a sandbox that cannot reach its own origin.
    const reason = error instanceof Error ? error.message : String(error);
    return pageReply(502, errorPage("Token exchange failed", `The token endpoint could not be reached: ${reason}`), done);
  }
  const answer = parseObject(text);
  const accessToken = answer?.access_token;
  if (!res.ok || typeof accessToken !== "string") {
    return pageReply(502, errorPage("Token exchange failed", `The token endpoint answered ${res.status}: ${text}`), done);
  }
  const expiresIn = Number(answer?.expires_in ?? 0);
  const idToken = typeof answer?.id_token === "string" ? answer.id_token : null;
  let idTokenJson: string | null = null;
  if (idToken !== null) {
    const decoded = decodeJwt(idToken);
    idTokenJson = JSON.stringify({ header: decoded.header, claims: decoded.payload }, null, 2);
  }
  return pageReply(
    200,
    tokenResultPage({
      origin,
      clientId: client.id,
      version: flow.version,
      accessToken,
      expiresIn,
      expiresAt: new Date(ctx.now() + expiresIn * 1000),
      scopes: typeof answer?.scope === "string" ? answer.scope.split(" ").filter((s) => s !== "") : [],
      refreshToken: typeof answer?.refresh_token === "string" ? answer.refresh_token : null,
      idToken,
      idTokenJson,
      responseJson: JSON.stringify(answer, null, 2),
    }),
    done,
  );
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function discovery(_req: SandboxRequest, ctx: SandboxContext): Reply {
  const o = ctx.origin;
  return json(200, {
    issuer: o,
    authorization_endpoint: `${o}/public/oauth2/1/authorize`,
    token_endpoint: `${o}/public/oauth2/2/token`,
    jwks_uri: `${o}/.well-known/jwks.json`,
    revocation_endpoint: `${o}/public/oauth2/1/revoke`,
    end_session_endpoint: `${o}/signin/logout/Y`,
    scopes_supported: ["openid", "userdetails", "files.issueddocs", "files.uploadeddocs"],
    response_types_supported: ["code"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
    revocation_endpoint_auth_methods_supported: ["client_secret_basic"],
    acr_values_supported: ["pan", "aadhaar", "driving_licence"],
    claims_supported: [
      "iss", "sub", "aud", "iat", "exp", "auth_time", "name", "preferred_username", "email", "birthdate", "gender",
      "phone_number", "jti", "user_sso_id", "pan_number", "driving_licence", "masked_aadhaar",
    ],
  });
}

function readFaults(_req: SandboxRequest, ctx: SandboxContext): Reply {
  return json(200, ctx.settings.faults);
}

/** Replaces every fault setting at once (omitted fields take their defaults, so `{}` switches faults off). */
function replaceFaults(req: SandboxRequest, ctx: SandboxContext): Reply {
  let input: unknown;
  try {
    input = JSON.parse(req.body.toString("utf8"));
  } catch {
    return json(400, { error: "invalid_json", error_description: "The body must be a JSON object of fault settings" });
  }
  const parsed = faultSchema.safeParse(input);
  if (!parsed.success) {
    return json(400, {
      error: "invalid_faults",
      error_description: "The fault settings are invalid",
      problems: parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
    });
  }
  ctx.settings.faults = parsed.data;
  return json(200, parsed.data);
}

export const pagesRoutes: Route[] = [
  { method: "GET", pattern: "/", handler: home },
  { method: "GET", pattern: "/sandbox/token", handler: (req, ctx) => tokenForm(req, ctx) },
  { method: "POST", pattern: "/sandbox/token", handler: tokenStart },
  { method: "GET", pattern: "/sandbox/callback", handler: tokenCallback },
  { method: "GET", pattern: "/.well-known/jwks.json", handler: (_req, ctx) => json(200, ctx.keys.jwks) },
  { method: "GET", pattern: "/.well-known/openid-configuration", handler: discovery },
  {
    method: "GET",
    pattern: "/sandbox/certificate.pem",
    // Both XML signing certificates, primary first (it also signs id_tokens): trust both to verify either profile.
    handler: () => ({ status: 200, headers: { "content-type": "application/x-pem-file" }, body: sandboxSigningCertificates().join("\n") }),
  },
  { method: "GET", pattern: "/sandbox/faults", handler: readFaults },
  { method: "PUT", pattern: "/sandbox/faults", handler: replaceFaults },
];
