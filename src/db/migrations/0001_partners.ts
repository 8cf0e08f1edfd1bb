// Partners (issue #16) and their API keys; a key's secret is stored only as a hash.
import type { Migration } from "./index.js";

export const partners: Migration = {
  version: "0001_partners",
  up: `
create table partners (
  id text primary key,
  name text not null,
  status text not null default 'active' check (status in ('active', 'disabled')),
  scopes text[] not null default '{}',
  redirect_origins text[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index partners_name_key on partners (lower(name));
create table partner_keys (
  id text primary key,
  partner_id text not null references partners (id) on delete cascade,
  secret_hash bytea not null,
  label text,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  last_used_at timestamptz
);
create index partner_keys_partner_id on partner_keys (partner_id);
`,
};
