// Every migration, in the order they apply. A migration is never edited once released: a change is a new one.
// SQL in TypeScript modules rather than .sql files, so the compiled gateway needs nothing copied beside it.
import { partners } from "./0001_partners.js";
import { consentRequests } from "./0002_consent_requests.js";
import { partnerCredentials } from "./0003_partner_credentials.js";
import { persistedOperations } from "./0004_persisted_operations.js";
import { persistedApps } from "./0005_persisted_apps.js";
import { partnerBudgets } from "./0006_partner_budgets.js";

export interface Migration {
  /** Recorded in schema_migrations; sorts in the order of the list. */
  version: string;
  /** Run in one transaction with its schema_migrations row. */
  up: string;
}

export const migrations: readonly Migration[] = [partners, consentRequests, partnerCredentials, persistedOperations, persistedApps, partnerBudgets];
