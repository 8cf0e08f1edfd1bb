// The sign-in and consent page of Get Authorization Code: pick a seeded user (no credentials), review
// the scopes, Allow or Deny. The form carries only the stored request's id, never the raw parameters.
import type { AuthorizationRequest, SandboxClient, SandboxUser } from "../state.js";
import { html, maskAadhaar, page, type Markup } from "./markup.js";

export interface ScopeChoice {
  scope: string;
  label: string;
  /** Set for a pull scope (partners.<DOCTYPE>): the page groups those apart, as there may be dozens. */
  doctype?: string;
}

export interface ConsentView {
  client: SandboxClient;
  request: AuthorizationRequest;
  users: SandboxUser[];
  /** Pre-selected user: the one of the session cookie. */
  selectedUserId: string | null;
  scopes: ScopeChoice[];
  /** The purpose selected in the choice; the request's own by default. */
  purpose?: string | null;
  /** Shown above the form when a submission was refused (no user picked). */
  problem?: string;
}

const acrNames: Record<string, string> = { pan: "PAN", aadhaar: "Aadhaar", driving_licence: "Driving Licence" };
/** The spec's purposes (spec 136: "either kyc, verification, compliance, availing_services, or educational"), in its order, with the names the page shows. */
export const purposeNames: Record<string, string> = {
  kyc: "KYC",
  verification: "Verification",
  compliance: "Compliance",
  availing_services: "Availing services",
  educational: "Educational",
};

export function consentPage(view: ConsentView): string {
  const { client, request, users } = view;
  const selected = users.some((u) => u.digilockerId === view.selectedUserId) ? view.selectedUserId : null;
  const details: Markup[] = [];
  if (request.consentValidTill !== null) {
    details.push(html`<p>Consent valid till: <strong>${new Date(request.consentValidTill * 1000).toISOString()}</strong></p>`);
  }
  if (request.acr !== null) {
    details.push(
      html`<p>The app asks you to verify your <strong>${acrNames[request.acr] ?? request.acr}</strong>; its number goes into the id_token.</p>`,
    );
  }
  if (request.signup) details.push(html`<p class="warn">Sign-up flow: the chosen user is treated as newly signed up (new_account=Y).</p>`);

  const body = html`
<div class="card">
  <h1>Sign in to DigiLocker</h1>
  <p><strong>${client.name}</strong> <span class="muted">(${client.id})</span> wants to access your DigiLocker.</p>
  ${details}
  ${view.problem === undefined ? null : html`<p class="warn" role="alert">${view.problem}</p>`}
</div>
<form method="post" action="/public/oauth2/1/authorize" class="card">
  <input type="hidden" name="request_id" value="${request.id}">
  <h2>Who are you?</h2>
  <p class="muted">Seeded test users: no password or OTP in the sandbox.</p>
  ${
    users.length === 0
      ? html`<p class="warn">No test users are seeded.</p>`
      : users.map(
          (u) => html`<label class="choice"><input type="radio" name="user" value="${u.digilockerId}"${selected === u.digilockerId ? html` checked` : null} required>
  <span><strong>${u.name}</strong> · Aadhaar ${u.aadhaar === null ? "not linked" : maskAadhaar(u.aadhaar)}<br><span class="muted">${u.persona}</span></span></label>`,
        )
  }
  ${purposeChoice(request, view.purpose ?? request.purpose)}
  <h2>Allow ${client.name} to</h2>
  ${view.scopes.filter((s) => s.doctype === undefined).map(scopeBox)}
  ${pullChoices(request, view.scopes.filter((s) => s.doctype !== undefined))}
  <div class="buttons">
    <button type="submit" name="decision" value="allow"${users.length === 0 ? html` disabled` : null}>Allow</button>
    <button type="submit" name="decision" value="deny" class="secondary" formnovalidate>Deny</button>
  </div>
</form>`;
  return page("Sign in", body);
}

function scopeBox(s: ScopeChoice): Markup {
  return html`<label class="choice"><input type="checkbox" name="scope" value="${s.scope}" checked>
  <span>${s.label}<br><code class="muted">${s.scope}</code></span></label>`;
}

/**
 * The pull scopes, one fieldset: the doctypes of req_doctype, or without it every doctype approved for the
 * client (spec 131), which may be dozens, so they sit in a grid under one legend. All checked, as the other
 * scopes: the user unchecks what the application may not fetch.
 */
function pullChoices(request: AuthorizationRequest, pulls: ScopeChoice[]): Markup | null {
  if (pulls.length === 0) return null;
  const count = pulls.length === 1 ? "1 document type" : `${pulls.length} document types`;
  const source = request.reqDocTypes.length > 0 ? "the application asked for" : "approved for this application";
  return html`<fieldset class="pulls" aria-describedby="pulls-hint">
  <legend>Fetch these documents from their issuers into your DigiLocker</legend>
  <p class="muted" id="pulls-hint">${count} ${source}. Uncheck any it should not fetch.</p>
  <div class="grid">
  ${pulls.map(scopeBox)}
  </div>
</fieldset>`;
}

/**
 * Spec 136: the purpose "allows the user to change it on the consent screen": a labelled select of the spec's
 * values, preselected with the request's. Shown only when the request named a purpose.
 */
function purposeChoice(request: AuthorizationRequest, selected: string | null): Markup | null {
  if (request.purpose === null) return null;
  const asked = purposeNames[request.purpose] ?? request.purpose;
  return html`<h2><label for="purpose">Purpose of this consent</label></h2>
  <p class="muted" id="purpose-hint">The application asked for ${asked}; you may change it.</p>
  <select id="purpose" name="purpose" aria-describedby="purpose-hint" required>
    ${Object.entries(purposeNames).map(([value, name]) => html`<option value="${value}"${value === selected ? html` selected` : null}>${name}</option>`)}
  </select>`;
}
