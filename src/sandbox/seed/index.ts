// The sandbox's starting state: deterministic, so every run (and every test) sees the same catalogue,
// users and documents. Built fresh per sandbox: uploads and pulls change it while it runs.
import type { SandboxKeys } from "../keys.js";
import type { SandboxSettings } from "../settings.js";
import type { SandboxState } from "../state.js";
import { buildCatalogue } from "./catalogue.js";
import { seedClients } from "./clients.js";
import { largeDocument } from "./large-document.js";
import { seedPeople, USER_IDS } from "./users.js";

export function seedState(settings: SandboxSettings, keys: SandboxKeys): SandboxState {
  const issuers = buildCatalogue();
  const people = seedPeople(issuers, keys);
  const priya = people.users.get(USER_IDS.priya);
  if (settings.largeDocumentBytes > 0 && priya !== undefined) people.issued.push(largeDocument(settings.largeDocumentBytes, issuers, priya));
  return {
    clients: seedClients(settings, issuers),
    issuers,
    users: people.users,
    folders: people.folders,
    uploads: people.uploads,
    issued: people.issued,
    authRequests: new Map(),
    grants: new Map(),
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
  };
}
