// Which DigiLocker client a sign-in, a session or a download link works with (docs/tenants.md): the gateway's own, or
// the partner's whose consent request it came from. The auth layer sees TenantClients (src/tenants/tenant-clients.ts)
// through this narrow view: a client held while it is used, and what it was built from.
import type { DigiLockerClient } from "../digilocker/index.js";
import type { TenantRef } from "./records.js";

/** A client held until release() (once; more calls do nothing). */
export interface HeldTenant {
  readonly client: DigiLockerClient;
  /** What a partner's client was built from; null for the gateway's own. */
  readonly identity: { partnerId: string; clientId: string; redirectUri: string; tokenEndpoint: "v1" | "openid" } | null;
  release(): void;
}

export interface TenantSource {
  /**
   * The partner's client (the gateway's for null, or for a partner without credentials). Rejects when the partner's
   * stored secret cannot be opened: never the gateway's client in its place.
   */
  clientFor(partnerId: string | null): Promise<HeldTenant>;
}

/** What a record keeps of a held client: the partner and its client id; null for the gateway's. */
export function tenantRef(identity: HeldTenant["identity"]): TenantRef | null {
  return identity === null ? null : { partnerId: identity.partnerId, clientId: identity.clientId };
}

/** Whether `held` is the client `tenant` names: the same partner with the same client id (the secret may have changed). */
export function sameTenant(tenant: TenantRef | null, held: HeldTenant["identity"]): boolean {
  if (tenant === null || held === null) return tenant === held;
  return held.partnerId === tenant.partnerId && held.clientId === tenant.clientId;
}

/** Runs `use` with the client serving `tenant`'s partner now, released however `use` ends. */
export async function withTenantClient<T>(source: TenantSource, tenant: TenantRef | null, use: (client: DigiLockerClient) => Promise<T>): Promise<T> {
  const held = await source.clientFor(tenant?.partnerId ?? null);
  try {
    return await use(held.client);
  } finally {
    held.release();
  }
}
