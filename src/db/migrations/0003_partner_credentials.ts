// A partner's own DigiLocker client credentials (issue #16, tenants). The secret is sealed with AES-256-GCM under
// the key named by key_id (CREDENTIALS_ENCRYPTION_KEYS), so keys can rotate; version grows with every change, so
// each gateway instance sees that its cached client is stale.
import type { Migration } from "./index.js";

export const partnerCredentials: Migration = {
  version: "0003_partner_credentials",
  up: `
create table partner_credentials (
  partner_id text primary key references partners (id) on delete cascade,
  client_id text not null,
  client_secret_sealed bytea not null,
  key_id text not null,
  redirect_uri text not null,
  token_endpoint text not null check (token_endpoint in ('v1', 'openid')),
  version integer not null,
  checked_at timestamptz not null,
  updated_at timestamptz not null
);
`,
};
