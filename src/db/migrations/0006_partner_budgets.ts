// Partners' own rate budgets (issue #17, per-partner limits): requests and DigiLocker calls per window
// (RATE_LIMIT_WINDOW_SECONDS), set with `npm run partner -- set-limits`. Null: the gateway's default
// (PARTNER_REQUESTS_PER_WINDOW, PARTNER_DIGILOCKER_CALLS_PER_WINDOW); 0: unlimited.
import type { Migration } from "./index.js";

export const partnerBudgets: Migration = {
  version: "0006_partner_budgets",
  up: `
alter table partners
  add column requests_per_window integer check (requests_per_window between 0 and 1000000000),
  add column digilocker_calls_per_window integer check (digilocker_calls_per_window between 0 and 1000000000);
`,
};
