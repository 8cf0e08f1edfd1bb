// The store layer: one interface, two places to keep things, and the encrypted records sign-in keeps in them.
export { type Store, StoreFullError, StoreUnavailableError } from "./store.js";
export { MemoryStore, type MemoryStoreOptions, type MemoryStorePartition } from "./memory-store.js";
export { RedisStore, type RedisStoreOptions } from "./redis-store.js";
export { Vault } from "./vault.js";
