// Everything the sandbox knows, in memory: the seeded catalogue and users, and what happens while it runs
// (sign-ins, codes, tokens, uploads, pulls, pushes). Nothing persists across restarts, by design.

export interface SandboxClient {
  id: string;
  secret: string;
  name: string;
  redirectUris: string[];
  /** Issuer partners may call Push URI (spec: "registered as an Issuer"); others get insufficient_scope. */
  issuerId: string | null;
  /**
   * The doctypes approved for this client (spec 131: req_doctype's types "are selected from the ones that are
   * approved for your client ID"), sorted. Without req_doctype the consent page offers partners.<DOCTYPE> for
   * each; with it, every doctype named must be one of these.
   */
  approvedDocTypes: string[];
}

export interface SearchParameterSeed {
  label: string;
  paramname: string;
  /** Comma-separated, or null for free text (as the spec sends it). */
  valuelist: string | null;
  example: string;
}

export interface DocTypeSeed {
  doctype: string;
  description: string;
  parameters: SearchParameterSeed[];
}

export interface IssuerSeed {
  orgid: string;
  issuerid: string;
  name: string;
  /** Comma-separated categories, as the spec sends them. */
  category: string;
  description: string;
  docTypes: DocTypeSeed[];
  /** A repository that is down: pulls answer repository_service_configerror, file reads 530. */
  offline: boolean;
}

export interface SandboxUser {
  digilockerId: string;
  username: string;
  name: string;
  /** DDMMYYYY, as DigiLocker sends it. */
  dob: string;
  gender: "M" | "F" | "T";
  mobile: string;
  email: string;
  /** 12-digit Aadhaar number, or null when none is linked (aadhaar_not_linked). */
  aadhaar: string | null;
  /** Whether e-Aadhaar XML exists (false with a linked Aadhaar → aadhaar_not_available). */
  eAadhaarXml: string | null;
  pan: string | null;
  drivingLicence: string | null;
  referenceKey: string;
  /** A one-line note shown on the sign-in page so a person knows what each user is for. */
  persona: string;
}

export interface FolderNode {
  id: string;
  ownerId: string;
  name: string;
  /** null for the root folder. */
  parentId: string | null;
  date: string;
}

export interface UploadedFile {
  ownerId: string;
  folderId: string;
  name: string;
  mime: string;
  uri: string;
  description: string;
  date: string;
  data: Buffer;
}

export interface IssuedDocument {
  ownerId: string;
  uri: string;
  name: string;
  doctype: string;
  description: string;
  issuerid: string;
  issuer: string;
  date: string;
  pdf: Buffer;
  /** Signed certificate XML, when the issuer provides machine-readable data. */
  xml: string | null;
}

export interface AuthorizationRequest {
  id: string;
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string | null;
  openid: boolean;
  acr: string | null;
  reqDocTypes: string[];
  purpose: string | null;
  consentValidTill: number | null;
  signup: boolean;
  expiresAt: number;
}

export interface Grant {
  id: string;
  clientId: string;
  userId: string;
  scopes: string[];
  acr: string | null;
  /** The consent's purpose as the user left it on the consent page (spec 136); null when none was asked. */
  purpose: string | null;
  consentValidTill: number | null;
  authTime: number;
  revoked: boolean;
  /** The user signed up during this authorization (dl_flow=signup): v1's `new_account`. */
  newAccount?: boolean;
}

export interface AuthorizationCode {
  code: string;
  grantId: string;
  redirectUri: string;
  codeChallenge: string | null;
  expiresAt: number;
  used: boolean;
}

export interface AccessToken {
  token: string;
  grantId: string;
  expiresAt: number;
  revoked: boolean;
}

export interface RefreshToken {
  token: string;
  grantId: string;
  revoked: boolean;
}

export interface SandboxState {
  clients: Map<string, SandboxClient>;
  issuers: IssuerSeed[];
  users: Map<string, SandboxUser>;
  folders: Map<string, FolderNode>;
  uploads: UploadedFile[];
  issued: IssuedDocument[];
  authRequests: Map<string, AuthorizationRequest>;
  grants: Map<string, Grant>;
  codes: Map<string, AuthorizationCode>;
  accessTokens: Map<string, AccessToken>;
  refreshTokens: Map<string, RefreshToken>;
}
