// Bearer tokens from the gateway's embedded sandbox, one per chaos connection, through the sandbox's real
// authorization-code flow over HTTP (the sandbox lives in the gateway's process, so its in-process
// `issueToken` is out of reach). The seeded users take turns, so the reads cover full, empty and deep lockers.
import { randomUUID } from "node:crypto";
import { USER_IDS } from "../src/sandbox/seed/users.js";

export interface TokenOptions {
  /** The sandbox's origin, e.g. http://127.0.0.1:4010 */
  origin: string;
  clientId: string;
  clientSecret: string;
}

const USERS = Object.values(USER_IDS);
const SCOPES = ["userdetails", "files.issueddocs", "files.uploadeddocs"];
/** The token endpoint is an API route, so the run's injected errors and drops hit it too: retried this often. */
const EXCHANGE_ATTEMPTS = 10;
const PARALLEL_SIGN_INS = 8;
const FORM = { "content-type": "application/x-www-form-urlencoded" };

/** The consent page: a fresh authorization request, whose id the page carries. */
async function consentRequestId(o: TokenOptions, redirectUri: string): Promise<string> {
  const url = new URL(`${o.origin}/public/oauth2/1/authorize`);
  url.search = new URLSearchParams({ response_type: "code", client_id: o.clientId, redirect_uri: redirectUri, state: randomUUID() }).toString();
  const page = await (await fetch(url)).text();
  const id = /name="request_id" value="([^"]+)"/.exec(page)?.[1];
  if (id === undefined) throw new Error("the sandbox's consent page has no request_id");
  return id;
}

/** Allow, as the user would press it: the redirect carries the code. */
async function allow(o: TokenOptions, requestId: string, userId: string): Promise<string> {
  const form = new URLSearchParams([["request_id", requestId], ["user", userId], ["decision", "allow"], ...SCOPES.map((s) => ["scope", s])]);
  const res = await fetch(`${o.origin}/public/oauth2/1/authorize`, { method: "POST", headers: FORM, body: form, redirect: "manual" });
  const code = new URL(res.headers.get("location") ?? "http://invalid/").searchParams.get("code");
  if (code === null) throw new Error(`consent answered ${res.status} without a code`);
  return code;
}

/** Exchanges the code; an injected fault answers before the code is looked at, so the same code is tried again. */
async function exchange(o: TokenOptions, code: string, redirectUri: string): Promise<string> {
  const form = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: o.clientId, client_secret: o.clientSecret });
  let last = "";
  for (let attempt = 0; attempt < EXCHANGE_ATTEMPTS; attempt++) {
    try {
      const res = await fetch(`${o.origin}/public/oauth2/1/token`, { method: "POST", headers: FORM, body: form });
      const body = (await res.json()) as { access_token?: unknown };
      if (res.ok && typeof body.access_token === "string") return body.access_token;
      last = `status ${res.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
  }
  throw new Error(`token exchange failed ${EXCHANGE_ATTEMPTS} times (last: ${last})`);
}

async function signIn(o: TokenOptions, userId: string): Promise<string> {
  // The sandbox's own callback is accepted for every client; it is never followed here.
  const redirectUri = `${o.origin}/sandbox/callback`;
  const code = await allow(o, await consentRequestId(o, redirectUri), userId);
  return exchange(o, code, redirectUri);
}

/** `count` tokens, each a separate sign-in, a few at a time. */
export async function issueTokens(o: TokenOptions, count: number): Promise<string[]> {
  const tokens: string[] = new Array<string>(count);
  for (let from = 0; from < count; from += PARALLEL_SIGN_INS) {
    const batch = Array.from({ length: Math.min(PARALLEL_SIGN_INS, count - from) }, (_, k) => from + k);
    await Promise.all(
      batch.map(async (i) => {
        tokens[i] = await signIn(o, USERS[i % USERS.length] ?? USER_IDS.priya);
      }),
    );
  }
  return tokens;
}
