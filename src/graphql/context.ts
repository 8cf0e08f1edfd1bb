// A fresh context per request: the caller's DigiLocker token, the shared services, and this request's loaders.
import type { MetaCache } from "../cache/meta-cache.js";
import type { UserData } from "../cache/user-data.js";
import type { DigiLockerClient } from "../digilocker/index.js";
import { createLoaders, type Loaders } from "./loaders.js";

/** Long-lived pieces shared by every request. */
export interface Services {
  client: DigiLockerClient;
  meta: MetaCache;
  userData: UserData;
}

export interface Context {
  services: Services;
  /** `Authorization: Bearer <DigiLocker access token>`, for server-to-server callers; null when absent. */
  accessToken: string | null;
  loaders: Loaders;
}

export function createContext(services: Services, authorization: string | null): Context {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  const accessToken = match?.[1] ?? null;
  return { services, accessToken, loaders: createLoaders(services, accessToken) };
}
