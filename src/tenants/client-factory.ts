// A partner's DigiLocker client: the gateway's own client settings (base URL — the embedded sandbox's when it runs —
// encodings, timeouts, retries, pool) with the partner's client id and secret, so a tenant differs from the
// gateway in its credentials only.
import { DigiLockerClient, type ClientDeps, type ClientSettingsInput } from "../digilocker/index.js";

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

export type TenantClientFactory = (credentials: ClientCredentials, overrides?: Partial<ClientSettingsInput>) => DigiLockerClient;

/** `deps`: the gateway client's clock and call counter (services.ts passes the same ones). */
export function tenantClientFactory(gateway: DigiLockerClient, deps: ClientDeps = {}): TenantClientFactory {
  // The gateway's settings, whose credentials are replaced below; the logout URL derives from the base URL as for it.
  const shared = { ...gateway.settings };
  return (credentials, overrides = {}) =>
    new DigiLockerClient(
      {
        ...shared,
        ...overrides,
        // Nested settings are merged, so an override of one timeout keeps the gateway's others.
        timeouts: { ...shared.timeouts, ...overrides.timeouts },
        retry: { ...shared.retry, ...overrides.retry },
        pool: { ...shared.pool, ...overrides.pool },
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
      },
      deps,
    );
}
