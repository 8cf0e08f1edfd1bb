// Consent requests (issue #16): owned by the partner that created them, their transitions durable. The user's
// browser opens `link`, a value of its own: the id a partner reads with never appears in a browser URL. No
// session id or token is kept here: `session_ref` names the sealed Store record that holds the session id
// (src/auth/consent-requests.ts), and is useless without the Store and SESSION_SECRET. An AUTHENTICATED row
// always has one; a REVOKED row keeps it, so a revocation that failed half-way ends the session when repeated.
import type { Migration } from "./index.js";

export const consentRequests: Migration = {
  version: "0002_consent_requests",
  up: `
create table consent_requests (
  id uuid primary key,
  link text not null unique,
  partner_id text references partners (id) on delete cascade,
  redirect_url text not null,
  authorize jsonb not null,
  status text not null check (status in ('UNAUTHENTICATED', 'AUTHENTICATED', 'REVOKED')),
  last_error jsonb,
  session_ref text,
  created_at timestamptz not null,
  link_valid_until timestamptz not null,
  authenticated_at timestamptz,
  access_until timestamptz,
  revoked_at timestamptz,
  updated_at timestamptz not null,
  check (status <> 'AUTHENTICATED' or session_ref is not null)
);
create index consent_requests_partner_id on consent_requests (partner_id, created_at);
`,
};
