// Public surface of the DigiLocker client.
export { DigiLockerClient } from "./client.js";
export { endpoints, type EndpointId, type OperationId } from "./endpoints.js";
export { errorTables, isKnownCode, type EndpointErrorCode, type ErrorCode } from "./error-codes.js";
export * from "./errors.js";
export type { FileDownload, FolderListing, IssuedItem, UploadedItem, VerifiedFile } from "./files.js";
export type { AccountVerification, DocType, Issuer, SearchParameter, Statistics } from "./meta-schemas.js";
export type { PushUriInput, VerifyAccountInput } from "./meta.js";
export type { Gender } from "./normalize.js";
export type { AuthorizeInput, ExchangeInput } from "./oauth.js";
export { createPkcePair, pkceChallenge, type PkcePair } from "./pkce.js";
export { pullConsentText, type PullInput } from "./pull.js";
export {
  PRODUCTION_BASE_URL,
  type CallEvent,
  type CallOptions,
  type ClientDeps,
  type ClientSettings,
  type ClientSettingsInput,
  type TimestampConvention,
} from "./settings.js";
export { fileHmac, metaHash } from "./signing.js";
export type { Account, TokenSet } from "./tokens.js";
export { MAX_UPLOAD_BYTES, type UploadInput, type UploadResult } from "./upload.js";
