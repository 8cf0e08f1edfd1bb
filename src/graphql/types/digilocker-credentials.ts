// updateDigiLockerCredentials (docs/tenants.md): a partner sets its own DigiLocker client credentials, checked live with
// one signed meta call before anything is stored. Wrong credentials, DigiLocker not answering, or a gateway that cannot
// store secrets are typed outcomes, each saying that nothing changed. The secret is never part of an answer.
import { GraphQLError } from "graphql";
import { z } from "zod";
import { credentialsInputSchema, InvalidCredentialsInput } from "../../tenants/credentials-input.js";
import type { CredentialsRefusal, CredentialsUpdate } from "../../tenants/credentials-service.js";
import type { StoredCredentials } from "../../tenants/tenant-credentials.js";
import { builder } from "../builder.js";
import { cost } from "../cost.js";
import { Problem, ProblemRef } from "../outcomes.js";
import { needsScope } from "../scope-grants.js";
import { isoInstant } from "./scalars.js";

export class CredentialsStorageNotConfigured extends Problem {
  readonly code = "CREDENTIALS_STORAGE_NOT_CONFIGURED";
  constructor() {
    super(
      "This gateway cannot store DigiLocker credentials: its operator must set CREDENTIALS_ENCRYPTION_KEYS (docs/tenants.md). DigiLocker was not asked and nothing changed.",
    );
  }
}

export class DigiLockerClientIdUnknown extends Problem {
  readonly code = "DIGILOCKER_CLIENT_ID_UNKNOWN";
  constructor() {
    super("DigiLocker knows no client with this clientId (invalid_client_id): copy it again from DigiLocker's Partners Portal. Nothing changed.");
  }
}

export class DigiLockerClientSecretRejected extends Problem {
  readonly code = "DIGILOCKER_CLIENT_SECRET_REJECTED";
  constructor() {
    super(
      "DigiLocker knows this clientId but refused a request signed with this clientSecret (HMAC parameter invalid): copy the secret again from DigiLocker's Partners Portal. Nothing changed.",
    );
  }
}

export class DigiLockerUnreachable extends Problem {
  readonly code = "DIGILOCKER_UNREACHABLE";
  constructor() {
    super("DigiLocker did not answer the check, or answered that it failed, so the credentials could not be checked: try again later. Nothing changed.");
  }
}

const problem = { interfaces: [ProblemRef], fields: () => ({}) };
builder.objectType(CredentialsStorageNotConfigured, {
  ...problem,
  name: "CredentialsStorageNotConfigured",
  description: "The gateway has no key to encrypt client secrets with (CREDENTIALS_ENCRYPTION_KEYS); nothing was checked or stored.",
});
builder.objectType(DigiLockerClientIdUnknown, {
  ...problem,
  name: "DigiLockerClientIdUnknown",
  description: "DigiLocker answered that it knows no client with this id; nothing was stored.",
});
builder.objectType(DigiLockerClientSecretRejected, {
  ...problem,
  name: "DigiLockerClientSecretRejected",
  description: "DigiLocker knows the client id but refused the request signed with the secret; nothing was stored.",
});
builder.objectType(DigiLockerUnreachable, {
  ...problem,
  name: "DigiLockerUnreachable",
  description: "DigiLocker did not answer the check (or answered that it failed): the credentials are unchecked and nothing was stored.",
});

const outcomes: Record<CredentialsRefusal, () => Problem> = {
  storage_not_configured: () => new CredentialsStorageNotConfigured(),
  client_id_unknown: () => new DigiLockerClientIdUnknown(),
  client_secret_rejected: () => new DigiLockerClientSecretRejected(),
  digilocker_unreachable: () => new DigiLockerUnreachable(),
};

const TokenEndpointEnum = builder.enumType("DigiLockerTokenEndpoint", {
  description: "Which DigiLocker token endpoint exchanges a sign-in's code for this client.",
  values: {
    V1: { value: "v1", description: "`/oauth2/1/token`: a rotating refresh token and the account fields." },
    OPENID: { value: "openid", description: "`/oauth2/2/token` (OpenID Connect): an id_token, no refresh token." },
  } as const,
});

const DigiLockerCredentialsRef = builder.objectRef<StoredCredentials>("DigiLockerCredentials").implement({
  description: "The partner's DigiLocker client credentials as stored, after DigiLocker accepted them. The secret is never shown.",
  fields: (t) => ({
    clientId: t.exposeString("clientId", { description: "The client id from DigiLocker's Partners Portal." }),
    redirectUri: t.exposeString("redirectUri", { description: "The redirect URI registered with DigiLocker for this client." }),
    tokenEndpoint: t.field({ type: TokenEndpointEnum, description: "Which token endpoint sign-ins use.", resolve: (c) => c.tokenEndpoint }),
    version: t.exposeInt("version", { description: "1 for the first credentials, one more at each change." }),
    checkedAt: t.field({ type: "DateTime", description: "When DigiLocker accepted them.", resolve: (c) => isoInstant(c.checkedAt.getTime()) }),
  }),
});

const UpdateDigiLockerCredentialsInput = builder.inputType("UpdateDigiLockerCredentialsInput", {
  description: "The partner's own DigiLocker client, as registered on DigiLocker's Partners Portal.",
  fields: (t) => ({
    clientId: t.string({ required: true, description: "The client id (letters, digits, . _ or -; up to 64 characters)." }),
    clientSecret: t.string({ required: true, description: "The client secret (up to 256 characters). Stored encrypted; never shown again or logged." }),
    redirectUri: t.string({
      required: true,
      description:
        "The redirect URI registered with DigiLocker for this client: exactly this gateway's callback, `<its public URL>/auth/callback` (anything else is refused), where the code is exchanged with these credentials.",
    }),
    tokenEndpoint: t.field({ type: TokenEndpointEnum, required: true, description: "Which token endpoint sign-ins use." }),
  }),
});

builder.mutationField("updateDigiLockerCredentials", (t) =>
  t.field({
    type: DigiLockerCredentialsRef,
    description:
      "Sets the calling partner's own DigiLocker client credentials, so its consent requests, its users' documents, pulls and the catalogue use its client rather than the gateway's, from its next request on. They are checked first with one signed DigiLocker call and stored (encrypted) only when DigiLocker accepts them; otherwise the answer says which check failed and nothing changes. " +
      needsScope("credentials:manage"),
    authScopes: { partner: "credentials:manage" },
    args: { input: t.arg({ type: UpdateDigiLockerCredentialsInput, required: true }) },
    validate: { schema: z.object({ input: credentialsInputSchema }) },
    // The check's one meta call, on the partner's behalf; a stored row, charged to the writes budget.
    extensions: cost({ upstream: 1, writes: 1 }),
    errors: {
      types: [CredentialsStorageNotConfigured, DigiLockerClientIdUnknown, DigiLockerClientSecretRejected, DigiLockerUnreachable],
      union: { description: "The credentials as stored, or why they were not (nothing changed)." },
    },
    resolve: async (_root, { input }, ctx) => {
      // The scope is never granted without a key (scope-grants.ts); credentials belong to a partner.
      if (ctx.partner === null) throw new GraphQLError("Only a partner sets DigiLocker credentials: send its API key in X-API-Key", { extensions: { code: "FORBIDDEN" } });
      let update: CredentialsUpdate;
      try {
        update = await ctx.services.tenants.service.updateDigiLockerCredentials(ctx.partner.id, input);
      } catch (error) {
        // The form passed `validate` above; what the service adds (the redirect URI must be this gateway's callback) is
        // answered the same way, naming the field.
        if (!(error instanceof InvalidCredentialsInput)) throw error;
        throw new GraphQLError(error.issues.map((i) => `input.${i.field}: ${i.message}`).join("; "), {
          extensions: { code: "BAD_USER_INPUT", field: error.issues[0]?.field },
        });
      }
      if (!update.ok) throw outcomes[update.reason]();
      return update.credentials;
    },
  }),
);
