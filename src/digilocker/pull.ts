// Pull Document: fetch a certificate from an issuer's repository into the user's issued documents.
import { z } from "zod";
import { bearer } from "./bearer.js";
import { endpoints } from "./endpoints.js";
import { parseInput } from "./input.js";
import { trimmed } from "./normalize.js";
import type { CallOptions } from "./settings.js";
import type { Transport } from "./transport.js";

/** The consent text the spec requires the partner to show before a pull, with its two blanks filled. */
export function pullConsentText(issuerName: string, certificateName: string): string {
  return (
    `I provide my consent to share my Aadhaar Number, Date of Birth and Name from my Aadhaar eKYC information ` +
    `with the ${issuerName} for the purpose of fetching my ${certificateName} into DigiLocker.`
  );
}

const reserved = new Set(["orgid", "doctype", "consent"]);

const pullInput = z.object({
  orgId: z.string().trim().min(1, "orgId is required (from the issuer list)"),
  docType: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{5}$/, "docType is DigiLocker's 5-character document type"),
  consent: z.literal(true, {
    message: "consent must be true: the user has to accept pullConsentText(issuer, document) first",
  }),
  /** The issuer's search parameters by `paramname`, as Get Search Parameters lists them. */
  parameters: z
    .record(z.string().regex(/^[A-Za-z0-9_.-]+$/, "parameter names are DigiLocker paramnames"), z.string())
    .default({})
    .refine((p) => Object.keys(p).every((k) => !reserved.has(k.toLowerCase())), {
      message: "orgid, doctype and consent are set by the client, not as parameters",
    }),
});
export type PullInput = z.input<typeof pullInput>;

/** The v2.3 sample returns `{uri}`; the older OpenAPI file `{details: {uri}}`. Both are read. */
const pullResponse = z
  .union([z.object({ uri: trimmed }), z.object({ details: z.object({ uri: trimmed }) })])
  .transform((r) => ({ uri: "uri" in r ? r.uri : r.details.uri }));

export class PullApi {
  constructor(private readonly transport: Transport) {}

  /** Never retried: a repeated pull can land twice or answer `uri_exists`. Async so a bad input rejects. */
  async document(accessToken: string, input: PullInput, options?: CallOptions): Promise<{ uri: string }> {
    const v = parseInput("pull.document", pullInput, input);
    const form = new URLSearchParams({ orgid: v.orgId, doctype: v.docType.toUpperCase(), consent: "Y" });
    for (const [name, value] of Object.entries(v.parameters)) form.set(name, value);
    const auth = bearer("pull.document", accessToken, { "content-type": "application/x-www-form-urlencoded" });
    return await this.transport.json(
      {
        endpoint: "pull.document",
        path: endpoints["pull.document"].path,
        build: () => ({ ...auth.build(), body: form.toString() }),
        secrets: auth.secrets,
      },
      pullResponse,
      options,
    );
  }
}
