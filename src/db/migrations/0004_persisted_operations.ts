// Persisted operations (issue #17, trusted documents): a manifest of documents per partner (null: the gateway's
// own) and app version, published with `npm run operations`. A version is immutable once published; retiring it
// keeps the rows (and the version taken) but hides its documents from lookups.
import type { Migration } from "./index.js";

export const persistedOperations: Migration = {
  version: "0004_persisted_operations",
  up: `
create table persisted_manifests (
  id integer generated always as identity primary key,
  partner_id text references partners (id) on delete cascade,
  app_name text not null,
  app_version text not null,
  published_at timestamptz not null,
  retired_at timestamptz
);
-- One manifest per (partner, app, version); the gateway's own (partner_id null) counts as one partner.
create unique index persisted_manifests_version_key on persisted_manifests (coalesce(partner_id, ''), app_name, app_version);
create table persisted_documents (
  manifest_id integer not null references persisted_manifests (id) on delete cascade,
  document_id text not null check (document_id ~ '^sha256:[0-9a-f]{64}$'),
  document text not null,
  primary key (manifest_id, document_id)
);
`,
};
