// The partner applications the sandbox knows (spec: client_id / client_secret from the Partners Portal).
import type { SandboxSettings } from "../settings.js";
import type { SandboxClient } from "../state.js";

export const SECOND_CLIENT = { id: "SANDBOX2", secret: "sandbox-second-secret" } as const;

export function seedClients(settings: SandboxSettings): Map<string, SandboxClient> {
  const clients = new Map<string, SandboxClient>();
  // A requester that is not an issuer: Push URI answers it 403 insufficient_scope.
  clients.set(SECOND_CLIENT.id, {
    id: SECOND_CLIENT.id,
    secret: SECOND_CLIENT.secret,
    name: "Second sandbox partner (requester only)",
    redirectUris: [...settings.redirectUris],
    issuerId: null,
  });
  // The configured client, registered as the sandbox's own issuer so it may call Push URI. Set last, so
  // it wins if SANDBOX_CLIENT_ID is configured as SANDBOX2.
  clients.set(settings.clientId, {
    id: settings.clientId,
    secret: settings.clientSecret,
    name: "Sandbox partner",
    redirectUris: [...settings.redirectUris],
    issuerId: "in.gov.sandbox",
  });
  return clients;
}
