// Per-request loaders: everything one query asks of DigiLocker goes through here, batched and de-duplicated.
// Meta reads go on to the shared MetaCache; a user's reads to UserData (in-flight sharing per token).
import DataLoader from "dataloader";
import { GraphQLError } from "graphql";
import type { Account, DocType, FolderListing, IssuedItem, Issuer, SearchParameter } from "../digilocker/index.js";
import type { Services } from "./context.js";

export interface Loaders {
  issuerByOrgId: DataLoader<string, Issuer | null>;
  issuerByIssuerId: DataLoader<string, Issuer | null>;
  docTypes: DataLoader<string, DocType[]>;
  /** Key: `${orgId}\n${docType}`. */
  parameters: DataLoader<string, SearchParameter[]>;
  folder: DataLoader<string, FolderListing>;
  account(): Promise<Account>;
  issued(): Promise<IssuedItem[]>;
}

export function createLoaders(services: Services, accessToken: string | null): Loaders {
  const { meta, userData } = services;
  const once = <T>(load: (token: string) => Promise<T>) => {
    let promise: Promise<T> | undefined;
    return () => (promise ??= load(requireToken(accessToken)));
  };
  return {
    issuerByOrgId: new DataLoader(async (ids) => {
      const index = await meta.issuers();
      return ids.map((id) => index.byOrgId.get(id) ?? null);
    }),
    issuerByIssuerId: new DataLoader(async (ids) => {
      const index = await meta.issuers();
      return ids.map((id) => index.byIssuerId.get(id) ?? null);
    }),
    docTypes: new DataLoader((orgIds) => Promise.all(orgIds.map((id) => settle(meta.docTypes(id))))),
    parameters: new DataLoader((keys) =>
      Promise.all(
        keys.map((key) => {
          const [orgId = "", docType = ""] = key.split("\n");
          return settle(meta.parameters(orgId, docType));
        }),
      ),
    ),
    // Folder ids are DigiLocker's; "" is the root.
    folder: new DataLoader((ids) =>
      Promise.all(ids.map((id) => settle(userData.folder(requireToken(accessToken), id === "" ? null : id)))),
    ),
    account: once((token) => userData.account(token)),
    issued: once((token) => userData.issued(token)),
  };
}

/** A DataLoader batch must not reject as a whole: one key's failure becomes that key's error. */
async function settle<T>(promise: Promise<T>): Promise<T | Error> {
  try {
    return await promise;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

export function requireToken(token: string | null): string {
  if (token === null) {
    throw new GraphQLError("Sign in first: send Authorization: Bearer <DigiLocker access token>", {
      extensions: { code: "UNAUTHENTICATED", reason: "missing_token" },
    });
  }
  return token;
}
