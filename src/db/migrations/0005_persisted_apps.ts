// Apps own their names (issue #17): a browser app names itself in X-GraphQL-Client-Name and -Version, without a
// key, so a name must lead to one partner's manifests. The first publisher of a name owns it (partner_id null: the
// gateway's own). And lookups by document id alone, which the request path makes, get an index.
import type { Migration } from "./index.js";

export const persistedApps: Migration = {
  version: "0005_persisted_apps",
  up: `
create table persisted_apps (
  app_name text primary key,
  partner_id text references partners (id) on delete cascade
);
insert into persisted_apps (app_name, partner_id)
  select distinct on (app_name) app_name, partner_id from persisted_manifests order by app_name, published_at, id;
create index persisted_documents_document_id on persisted_documents (document_id);
`,
};
