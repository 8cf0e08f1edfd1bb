// The eleven partner scopes of docs/partners.md, in its order, written out here rather than read from src/: tests
// compare the code's list with this one, and build partners lacking exactly one of them.
import type { PartnerScope } from "../../src/partners/scopes.js";

export const EVERY_PARTNER_SCOPE: readonly PartnerScope[] = [
  "catalogue:read",
  "consent-requests:create",
  "consent-requests:read",
  "consent-requests:revoke",
  "documents:contents",
  "tokens:revoke",
  "accounts:verify",
  "documents:pull",
  "files:upload",
  "uri:push",
  "credentials:manage",
];
