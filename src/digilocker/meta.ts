// Meta APIs: authenticated by `ts` + a SHA-256 over the client secret and the fields, not by user tokens.
import { FormData } from "undici";
import { z } from "zod";
import { endpoints, type EndpointId } from "./endpoints.js";
import type { DigiLockerApiError } from "./errors.js";
import { parseInput } from "./input.js";
import {
  docTypesResponse,
  issuersResponse,
  parametersResponse,
  statisticsResponse,
  verifyResponse,
  type AccountVerification,
  type DocType,
  type Issuer,
  type SearchParameter,
  type Statistics,
} from "./meta-schemas.js";
import { isoDateFromDdmmyyyy } from "./normalize.js";
import type { CallOptions, ClientSettings } from "./settings.js";
import { metaHash } from "./signing.js";
import { metaTimestamp } from "./timestamp.js";
import type { OutgoingRequest, Transport } from "./transport.js";

type MetaEndpoint = Extract<EndpointId, `meta.${string}`>;

/**
 * The request body's content type per endpoint in the older OpenAPI file (digilocker-authpartner.openapi.yaml),
 * used under `metaEncoding: "openapi"`; the v2.3 spec names none (docs/spec-assumptions.md, row 3):
 *   /oauth2/1/pull/issuers     requestBody.content: application/x-www-form-urlencoded (openapi 904-910)
 *   /oauth2/1/pull/doctype     requestBody.content: application/x-www-form-urlencoded (openapi 848-854)
 *   /oauth2/1/pull/parameters  requestBody.content: application/x-www-form-urlencoded (openapi 962-968)
 *   /account/2/verify          requestBody.content: multipart/form-data (openapi 108-114)
 *   /account/1/pushuri         requestBody.content: multipart/form-data (openapi 35-41)
 *   /statistics/1/counts       requestBody.content: multipart/form-data (openapi 1571-1577)
 */
const openApiEncoding: Record<MetaEndpoint, "form" | "multipart"> = {
  "meta.issuers": "form",
  "meta.docTypes": "form",
  "meta.parameters": "form",
  "meta.verifyAccount": "multipart",
  "meta.pushUri": "multipart",
  "meta.statistics": "multipart",
};

const orgId = z.string().trim().min(1, "orgId is required (from the issuer list)");
const docType = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{5}$/, "docType is DigiLocker's 5-character document type");

const verifyInput = z.union(
  [
    // zod 4: a bare z.undefined() key is required (missing fails); .optional() lets the key be absent.
    z.object({ uid: z.string().regex(/^\d{12}$/, "uid is a 12-digit Aadhaar number"), mobile: z.undefined().optional() }),
    z.object({ mobile: z.string().regex(/^\d{10}$/, "mobile is a 10-digit number"), uid: z.undefined().optional() }),
  ],
  { message: "give exactly one of uid (12-digit Aadhaar number) or mobile (10 digits)" },
);
export type VerifyAccountInput = { uid: string; mobile?: undefined } | { mobile: string; uid?: undefined };

/** ISO date (YYYY-MM-DD) → DDMMYYYY, as Push URI wants its dates. */
const pushDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD")
  .transform((iso) => iso.slice(8, 10) + iso.slice(5, 7) + iso.slice(0, 4))
  .refine((d) => isoDateFromDdmmyyyy(d) !== null, "not a calendar date");

const pushInput = z.object({
  digilockerId: z.string().trim().min(1, "digilockerId is required (from Get User Details)"),
  uri: z.string().trim().min(1, "uri is required"),
  docType,
  description: z.string().trim().min(1, "description is required"),
  docId: z.string().trim().min(1, "docId is required"),
  issueDate: pushDate,
  validFrom: pushDate.optional(),
  validTo: pushDate.optional(),
  /** A: add the URI, U: update it, D: delete it. */
  action: z.enum(["A", "U", "D"]),
  /** The PDF certificate (sent base64-encoded as `doccontent`). */
  docContent: z.instanceof(Uint8Array).optional(),
  /** The XML certificate data (sent base64-encoded as `datacontent`). */
  dataContent: z.union([z.string(), z.instanceof(Uint8Array)]).optional(),
});
export type PushUriInput = z.input<typeof pushInput>;

/** The most of a push's success body drained (it carries nothing; spec 1435). */
const PUSH_BODY_LIMIT = 64 * 1024;

/**
 * What a Push URI 400 `invalid_parameter` says. The spec gives this code one meaning per text and lists them
 * all: "The error description text will contain one or more of the following error texts" (spec 1468).
 * No other code says that a URI already exists, so these texts, matched whole, are where that answer is read.
 */
const pushRefusalTexts = [
  ["uri already exists in this account", "uri_exists_here"],
  ["uri already exists in another account", "uri_exists_elsewhere"],
  ["uri parameter is missing or invalid", "uri"],
  ["doctype parameter is missing or invalid", "doctype"],
  ["description parameter is missing or invalid", "description"],
  ["docid parameter is missing or invalid", "docid"],
  ["issuedate parameter is missing or invalid", "issuedate"],
  ["timestamp parameter is missing or invalid", "ts"],
  ["hmac parameter is missing or invalid", "hmac"],
] as const;
export type PushRefusal = (typeof pushRefusalTexts)[number][1];

/** The spec's texts a Push URI refusal names, in the spec's order; empty for any other error or text. */
export function pushRefusals(error: DigiLockerApiError): PushRefusal[] {
  if (error.endpoint !== "meta.pushUri" || error.code !== "invalid_parameter" || error.description === null) return [];
  const text = error.description.toLowerCase();
  return pushRefusalTexts.filter(([said]) => text.includes(said)).map(([, refusal]) => refusal);
}

export class MetaApi {
  constructor(
    private readonly transport: Transport,
    private readonly settings: ClientSettings,
  ) {}

  /** Every issuer registered with DigiLocker. */
  issuers(options?: CallOptions): Promise<Issuer[]> {
    return this.transport.json(this.#signed("meta.issuers", [], (ts) => [ts]), issuersResponse, options);
  }

  // Methods that validate input are async so a bad input rejects the promise rather than throwing synchronously.

  /** Document types one issuer provides. */
  async docTypes(issuerOrgId: string, options?: CallOptions): Promise<DocType[]> {
    const org = parseInput("meta.docTypes", orgId, issuerOrgId);
    return await this.transport.json(
      this.#signed("meta.docTypes", [["orgid", org]], (ts) => [org, ts]),
      docTypesResponse,
      options,
    );
  }

  /** The search parameters a pull of (issuer, doctype) needs. */
  async parameters(issuerOrgId: string, documentType: string, options?: CallOptions): Promise<SearchParameter[]> {
    const v = parseInput("meta.parameters", z.object({ orgId, docType }), { orgId: issuerOrgId, docType: documentType });
    const doctype = v.docType.toUpperCase();
    return await this.transport.json(
      this.#signed("meta.parameters", [["orgid", v.orgId], ["doctype", doctype]], (ts) => [v.orgId, doctype, ts]),
      parametersResponse,
      options,
    );
  }

  /** Whether an Aadhaar or mobile number has a DigiLocker account. */
  async verifyAccount(input: VerifyAccountInput, options?: CallOptions): Promise<AccountVerification> {
    const v = parseInput("meta.verifyAccount", verifyInput, input);
    const [name, value] = v.uid !== undefined ? (["uid", v.uid] as const) : (["mobile", v.mobile] as const);
    return await this.transport.json(
      this.#signed("meta.verifyAccount", [[name, value]], (ts) => [value, ts]),
      verifyResponse,
      options,
    );
  }

  /**
   * Adds, updates or deletes one URI in a user's account (issuer partners only). Never retried. Success is the
   * HTTP 200 itself: "This API does not return any specific values" (spec 1435), so whatever body comes with it
   * (none, "OK", `{}`) is read and dropped, never parsed (docs/spec-assumptions.md, push success row).
   */
  async pushUri(input: PushUriInput, options?: CallOptions): Promise<void> {
    const v = parseInput("meta.pushUri", pushInput, input);
    const base64 = (d: string | Uint8Array | undefined) =>
      d === undefined ? "" : Buffer.from(typeof d === "string" ? Buffer.from(d, "utf8") : d).toString("base64");
    const doccontent = base64(v.docContent);
    const datacontent = base64(v.dataContent);
    const doctype = v.docType.toUpperCase();
    const validfrom = v.validFrom ?? "";
    const validto = v.validTo ?? "";
    // Optional fields travel only when set, but always count in the hash (as empty strings).
    const optional = (pairs: [string, string][]) => pairs.filter(([, x]) => x !== "");
    const fields: [string, string][] = [
      ["digilockerid", v.digilockerId],
      ["uri", v.uri],
      ["doctype", doctype],
      ["description", v.description],
      ["docid", v.docId],
      ["issuedate", v.issueDate],
      ...optional([["validfrom", validfrom], ["validto", validto]]),
      ["action", v.action],
    ];
    const tail = optional([["doccontent", doccontent], ["datacontent", datacontent]]);
    // The spec's list puts ts before doccontent and datacontent (docs/spec-assumptions.md).
    const hashParts = (ts: string) => [
      v.digilockerId, v.uri, doctype, v.description, v.docId, v.issueDate, validfrom, validto, v.action, ts, doccontent, datacontent,
    ];
    const request = this.#signed("meta.pushUri", fields, hashParts, tail);
    const response = await this.transport.open(request, options);
    // Drained so the connection can be reused; past the limit it is closed instead. Resolves on a body that
    // fails part-way too: the 200 has already said the push was done.
    await response.body.dump({ limit: PUSH_BODY_LIMIT });
  }

  /** DigiLocker's published counts. */
  statistics(options?: CallOptions): Promise<Statistics> {
    return this.transport.json(this.#signed("meta.statistics", [], (ts) => [ts]), statisticsResponse, options);
  }

  /**
   * A meta POST: clientid, the endpoint's fields, ts and hmac = SHA-256(secret + clientid + hashParts(ts)).
   * Built per attempt, so a retry carries a fresh ts and hash.
   */
  #signed(
    endpoint: MetaEndpoint,
    fields: readonly (readonly [string, string])[],
    hashParts: (ts: string) => string[],
    tail: readonly (readonly [string, string])[] = [],
  ): OutgoingRequest {
    const { clientId, clientSecret, metaEncoding } = this.settings;
    const encoding = metaEncoding === "openapi" ? openApiEncoding[endpoint] : metaEncoding;
    return {
      endpoint,
      path: endpoints[endpoint].path,
      secrets: [],
      build: () => {
        const ts = metaTimestamp(this.transport.now, this.settings.timestamp);
        const hmac = metaHash(clientSecret, [clientId, ...hashParts(ts)]);
        const all: (readonly [string, string])[] = [["clientid", clientId], ...fields, ["ts", ts], ...tail, ["hmac", hmac]];
        if (encoding === "multipart") {
          const body = new FormData();
          for (const [k, x] of all) body.append(k, x);
          return { body };
        }
        const body = new URLSearchParams(all.map(([k, x]): [string, string] => [k, x])).toString();
        return { headers: { "content-type": "application/x-www-form-urlencoded" }, body };
      },
    };
  }
}
