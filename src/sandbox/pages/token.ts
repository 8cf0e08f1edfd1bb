// "Get a token without writing code": the form that starts the real authorize flow against the sandbox
// itself, and the callback page that shows what the token endpoint returned.
import type { SandboxClient, SandboxUser } from "../state.js";
import { html, maskAadhaar, page, type Markup } from "./markup.js";

export interface TokenFormView {
  clients: SandboxClient[];
  /** The configured client, preselected: the second one is a requester-only test double. */
  defaultClientId: string;
  users: SandboxUser[];
  selectedUserId: string | null;
  problem?: string;
}

export function tokenFormPage(view: TokenFormView): string {
  const selected = view.selectedUserId ?? view.users[0]?.digilockerId ?? null;
  const body = html`
<form method="post" action="/sandbox/token" class="card">
  <h1>Get an access token</h1>
  <p>Runs the real sign-in against this sandbox: PKCE (S256), the consent page, then the code exchange with the
  client's credentials on the server. The next page is DigiLocker's consent page: choose the scopes there and press Allow.</p>
  ${view.problem === undefined ? null : html`<p class="warn" role="alert">${view.problem}</p>`}
  <h2>User</h2>
  ${view.users.length === 0 ? html`<p class="warn">No test users are seeded.</p>` : null}
  ${view.users.map(
    (u) => html`<label class="choice"><input type="radio" name="user" value="${u.digilockerId}"${u.digilockerId === selected ? html` checked` : null} required>
  <span><strong>${u.name}</strong> · Aadhaar ${u.aadhaar === null ? "not linked" : maskAadhaar(u.aadhaar)}<br><span class="muted">${u.persona}</span></span></label>`,
  )}
  <h2>Token endpoint</h2>
  <label class="choice"><input type="radio" name="version" value="1" checked><span><code>/oauth2/1/token</code>: access and refresh token, account fields</span></label>
  <label class="choice"><input type="radio" name="version" value="2"><span><code>/oauth2/2/token</code>: access token and an OpenID Connect id_token (no refresh token)</span></label>
  <h2>Options</h2>
  <table>
    <tr><th><label for="client">Client</label></th><td><select id="client" name="client_id">${view.clients.map((c) => html`<option value="${c.id}"${c.id === view.defaultClientId ? html` selected` : null}>${c.id} (${c.name})</option>`)}</select></td></tr>
    <tr><th><label for="req_doctype">req_doctype</label></th><td><input type="text" id="req_doctype" name="req_doctype" placeholder="PANCR,DRVLC"><br><span class="muted">Document types to pull, in upper case, among those approved for the client: offers only their partners.&lt;DOCTYPE&gt; scopes. Left empty, every approved doctype is offered.</span></td></tr>
    <tr><th><label for="acr">acr</label></th><td><select id="acr" name="acr"><option value="">none</option><option value="pan">pan</option><option value="aadhaar">aadhaar</option><option value="driving_licence">driving_licence</option></select><br><span class="muted">Adds the verified number to the id_token (version 2).</span></td></tr>
    <tr><th><label for="purpose">purpose</label></th><td><select id="purpose" name="purpose"><option value="">none</option><option value="kyc">kyc</option><option value="verification">verification</option><option value="compliance">compliance</option><option value="availing_services">availing_services</option><option value="educational">educational</option></select></td></tr>
  </table>
  <div class="buttons"><button type="submit"${view.users.length === 0 ? html` disabled` : null}>Sign in and get a token</button></div>
</form>`;
  return page("Get a token", body);
}

export interface TokenResultView {
  origin: string;
  clientId: string;
  version: 1 | 2;
  accessToken: string;
  expiresIn: number;
  expiresAt: Date;
  scopes: string[];
  refreshToken: string | null;
  idToken: string | null;
  /** Decoded id_token header and claims, pretty-printed. */
  idTokenJson: string | null;
  /** The token endpoint's whole JSON answer, pretty-printed. */
  responseJson: string;
}

export function tokenResultPage(v: TokenResultView): string {
  const curlUser = `curl -H "Authorization: Bearer ${v.accessToken}" ${v.origin}/public/oauth2/1/user`;
  const curlIssued = `curl -H "Authorization: Bearer ${v.accessToken}" ${v.origin}/public/oauth2/2/files/issued`;
  const curlRefresh =
    v.refreshToken === null
      ? null
      : `curl -u "${v.clientId}:$SANDBOX_CLIENT_SECRET" -d grant_type=refresh_token -d refresh_token=${v.refreshToken} ${v.origin}/public/oauth2/1/token`;
  const extra: Markup[] = [];
  if (v.refreshToken !== null) {
    extra.push(html`<h2>Refresh token</h2><pre class="token" id="refresh-token">${v.refreshToken}</pre>`);
  }
  if (v.idToken !== null) {
    extra.push(html`<h2>id_token</h2><pre class="token" id="id-token">${v.idToken}</pre>
<p class="muted">Decoded (verify it against <a href="/.well-known/jwks.json">/.well-known/jwks.json</a>):</p><pre>${v.idTokenJson}</pre>`);
  }
  const body = html`
<div class="card">
  <h1>Your access token</h1>
  <pre class="token" id="access-token">${v.accessToken}</pre>
  <table>
    <tr><th>Expires</th><td>in ${v.expiresIn} s, at <span id="expires-at">${v.expiresAt.toISOString()}</span></td></tr>
    <tr><th>Scopes</th><td id="scopes">${v.scopes.length === 0 ? "(none)" : v.scopes.map((s) => html`<code>${s}</code> `)}</td></tr>
    <tr><th>From</th><td><code>/oauth2/${v.version}/token</code> as client <code>${v.clientId}</code></td></tr>
  </table>
  ${extra}
</div>
<div class="card">
  <h2>Try it</h2>
  <pre>${curlUser}</pre>
  <pre>${curlIssued}</pre>
  ${curlRefresh === null ? null : html`<p class="muted">Refresh (the refresh token rotates: this one stops working after use):</p><pre>${curlRefresh}</pre>`}
  <h2>Token endpoint response</h2>
  <pre>${v.responseJson}</pre>
  <p><a href="/sandbox/token">Get another token</a> · <a href="/signin/logout/Y">Sign out</a></p>
</div>`;
  return page("Your token", body);
}

/** The callback reached without a flow this sandbox started (someone ran the authorize URL by hand). */
export function manualCodePage(origin: string, code: string, state: string | null): string {
  const curl = `curl -d grant_type=authorization_code -d code=${code} -d redirect_uri=${origin}/sandbox/callback -d client_id=<client id> -d client_secret=<client secret> -d code_verifier=<your verifier> ${origin}/public/oauth2/1/token`;
  return page(
    "Authorization code",
    html`<div class="card">
  <h1>Authorization code</h1>
  <p>This sign-in was not started from <a href="/sandbox/token">the token page</a>, so the sandbox cannot exchange the code for you.
  Exchange it yourself within its lifetime (leave out code_verifier if you sent no code_challenge):</p>
  <pre class="token" id="code">${code}</pre>
  ${state === null ? null : html`<p>state: <code>${state}</code></p>`}
  <pre>${curl}</pre>
</div>`,
  );
}
