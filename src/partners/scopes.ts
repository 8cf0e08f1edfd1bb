// What a partner may do, one scope per capability. A partner's scopes are checked in the schema; this list is
// the only place the names are spelled, and the CLI and docs/partners.md print it with each description.
import { z } from "zod";

export const partnerScopes = [
  { name: "catalogue:read", description: "Read DigiLocker's catalogue: issuers, document types, their parameters and statistics" },
  { name: "consent-requests:create", description: "Create consent requests and send users to DigiLocker to consent" },
  { name: "consent-requests:read", description: "Read the partner's own consent requests: status and the user's document list" },
  { name: "consent-requests:revoke", description: "Revoke the partner's own consent requests" },
  { name: "documents:contents", description: "Read documents' contents: download links, certificate data, e-Aadhaar" },
  { name: "tokens:revoke", description: "Revoke a user's DigiLocker tokens" },
  { name: "accounts:verify", description: "Check whether a DigiLocker account exists for a mobile or Aadhaar number" },
  { name: "documents:pull", description: "Pull a document from an issuer into a user's DigiLocker" },
  { name: "files:upload", description: "Upload files into a user's DigiLocker" },
  { name: "uri:push", description: "Push document URIs into users' DigiLockers in the gateway's issuer name (issuers only)" },
  { name: "credentials:manage", description: "Set the partner's own DigiLocker client credentials" },
] as const;

export type PartnerScope = (typeof partnerScopes)[number]["name"];

export const partnerScopeNames: readonly PartnerScope[] = partnerScopes.map((s) => s.name);

export const partnerScopeSchema = z.enum(partnerScopeNames, {
  message: `must be one of: ${partnerScopeNames.join(", ")}`,
});

const known: ReadonlySet<string> = new Set(partnerScopeNames);

export function isPartnerScope(value: string): value is PartnerScope {
  return known.has(value);
}
