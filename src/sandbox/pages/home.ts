// The sandbox's index page: what it is, where things are, who can sign in.
import type { SandboxClient, SandboxUser } from "../state.js";
import { html, maskAadhaar, page } from "./markup.js";

export interface HomeView {
  origin: string;
  clients: SandboxClient[];
  users: SandboxUser[];
  accessTokenTtlSeconds: number;
  issuerCount: number;
}

export function homePage(view: HomeView): string {
  const { origin } = view;
  const body = html`
<div class="card">
  <h1>DigiLocker sandbox</h1>
  <p>A stand-in for DigiLocker's Requester API v2.3 with seeded test users and documents. It serves the
  spec's paths under <code>/public</code> (and <code>/signin/logout/Y</code>), so a client only changes its base URL.
  Nothing here is real: no real credentials, no real documents, and it forgets everything when it stops.</p>
  <p><a href="/sandbox/token"><strong>Get an access token for a test user</strong></a> (no code needed): sign in through the
  consent page and the sandbox shows the token.</p>
</div>
<div class="card">
  <h2>Configuration</h2>
  <table>
    <tr><th>Base URL</th><td><code>${origin}/public</code></td></tr>
    <tr><th>Authorize</th><td><code>${origin}/public/oauth2/1/authorize</code></td></tr>
    <tr><th>Token</th><td><code>${origin}/public/oauth2/1/token</code>, <code>${origin}/public/oauth2/2/token</code> (OpenID Connect)</td></tr>
    <tr><th>Logout</th><td><code>${origin}/signin/logout/Y</code></td></tr>
    <tr><th>Access tokens live</th><td>${view.accessTokenTtlSeconds} s</td></tr>
    <tr><th>Issuers seeded</th><td>${view.issuerCount}</td></tr>
  </table>
  <h2>Clients</h2>
  <table>
    <tr><th>client_id</th><th>Redirect URIs</th><th>Approved doctypes</th></tr>
    ${view.clients.map((c) => html`<tr><td><code>${c.id}</code><br><span class="muted">${c.name}</span></td><td>${c.redirectUris.map((u) => html`<code>${u}</code><br>`)}<code>${origin}/sandbox/callback</code> <span class="muted">(the token page)</span></td><td>${c.approvedDocTypes.length}: <code>${c.approvedDocTypes.join(", ")}</code></td></tr>`)}
  </table>
  <p class="muted">Client secrets are set with <code>SANDBOX_CLIENT_SECRET</code>; see the README for the defaults.</p>
</div>
<div class="card">
  <h2>Test users</h2>
  <table>
    <tr><th>Name</th><th>DigiLocker id</th><th>Aadhaar</th></tr>
    ${view.users.map((u) => html`<tr><td><strong>${u.name}</strong><br><span class="muted">${u.persona}</span></td><td><code>${u.digilockerId}</code></td><td>${u.aadhaar === null ? "not linked" : maskAadhaar(u.aadhaar)}</td></tr>`)}
  </table>
</div>
<div class="card">
  <h2>For tools and tests</h2>
  <ul>
    <li><a href="/.well-known/openid-configuration"><code>/.well-known/openid-configuration</code></a>: OpenID discovery</li>
    <li><a href="/.well-known/jwks.json"><code>/.well-known/jwks.json</code></a>: the key that signs id_tokens</li>
    <li><a href="/sandbox/certificate.pem"><code>/sandbox/certificate.pem</code></a>: the certificate that signs certificate and e-Aadhaar XML</li>
    <li><a href="/sandbox/faults"><code>/sandbox/faults</code></a>: fault injection settings (GET to read, PUT JSON to replace)</li>
  </ul>
</div>`;
  return page("Home", body);
}
