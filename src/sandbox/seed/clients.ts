// The partner applications the sandbox knows (spec: client_id / client_secret from the Partners Portal), each
// with the doctypes approved for it: "the ones that are approved for your client ID" (spec 131).
import type { SandboxSettings } from "../settings.js";
import type { IssuerSeed, SandboxClient } from "../state.js";

/**
 * A second registered client (public test values). Besides Push URI's insufficient_scope, it is the credentials a
 * partner tries updateDigiLockerCredentials with against the embedded sandbox: a tenant (docs/tenants.md).
 */
export const SECOND_CLIENT = { id: "SANDBOX2", secret: "sandbox-second-secret" } as const;

/**
 * What SANDBOX2 is approved for: the spec's own req_doctype example, "PANCR,DRVLC" (spec 131), sorted. A
 * narrower list than the default, so a doctype the catalogue has but the client may not pull can be tried.
 */
export const SECOND_CLIENT_DOCTYPES: readonly string[] = ["DRVLC", "PANCR"];

/**
 * Every doctype of every issuer, once each, sorted: the default approval. Pull serves every issuer of the
 * catalogue, the offline one too (its repository is down, which is a failure of the moment, not of approval:
 * Pull answers it repository_service_configerror after the scope check), so all of them are pullable.
 */
export function pullableDocTypes(issuers: readonly IssuerSeed[]): string[] {
  return [...new Set(issuers.flatMap((i) => i.docTypes.map((d) => d.doctype)))].sort();
}

export function seedClients(settings: SandboxSettings, issuers: readonly IssuerSeed[]): Map<string, SandboxClient> {
  const clients = new Map<string, SandboxClient>();
  // A requester that is not an issuer: Push URI answers it 403 insufficient_scope.
  clients.set(SECOND_CLIENT.id, {
    id: SECOND_CLIENT.id,
    secret: SECOND_CLIENT.secret,
    name: "Second sandbox partner (requester only)",
    redirectUris: [...settings.redirectUris],
    issuerId: null,
    approvedDocTypes: [...SECOND_CLIENT_DOCTYPES],
  });
  // The configured client, registered as the sandbox's own issuer so it may call Push URI. Set last, so
  // it wins if SANDBOX_CLIENT_ID is configured as SANDBOX2.
  clients.set(settings.clientId, {
    id: settings.clientId,
    secret: settings.clientSecret,
    name: "Sandbox partner",
    redirectUris: [...settings.redirectUris],
    issuerId: "in.gov.sandbox",
    approvedDocTypes: pullableDocTypes(issuers),
  });
  return clients;
}
