// Response shapes of the meta APIs, normalised (spec: "DigiLocker Meta APIs").
import { z } from "zod";
import { commaList, count, ddmmyyyy, optionalText, stringBoolean, trimmed } from "./normalize.js";

export interface Issuer {
  /** Numeric id as a string: leading zeros ("000018") are part of it. */
  orgId: string;
  /** The id used in document URIs (`in.gov.cbse`). */
  issuerId: string | null;
  name: string;
  categories: string[];
  description: string | null;
}

/** Descriptions wrap across lines in the samples; runs of white space become one space. */
const prose = optionalText.transform((s) => (s === null ? null : s.replace(/\s+/g, " ")));

export const issuersResponse = z
  .object({
    issuers: z
      .array(
        z.object({
          orgid: z.union([z.string(), z.number()]).transform((v) => String(v).trim()),
          issuerid: optionalText,
          name: trimmed,
          category: commaList,
          description: prose,
        }),
      )
      .nullish(),
  })
  .transform((r) =>
    (r.issuers ?? []).map(
      (i): Issuer => ({
        orgId: i.orgid,
        issuerId: i.issuerid,
        name: i.name,
        categories: i.category ?? [],
        description: i.description,
      }),
    ),
  );

export interface DocType {
  docType: string;
  description: string;
}

export const docTypesResponse = z
  .object({ documents: z.array(z.object({ doctype: trimmed, description: trimmed })).nullish() })
  .transform((r) => (r.documents ?? []).map((d): DocType => ({ docType: d.doctype, description: d.description })));

export interface SearchParameter {
  label: string;
  paramName: string;
  /** The allowed values when the parameter is a dropdown (`valuelist`); null for free text. */
  options: string[] | null;
  example: string | null;
}

export const parametersResponse = z
  .object({
    parameters: z
      .array(
        z.object({
          label: trimmed,
          paramname: trimmed,
          valuelist: commaList,
          example: z
            .union([z.string(), z.number()])
            .nullish()
            .transform((v) => (v === null || v === undefined || String(v).trim() === "" ? null : String(v).trim())),
        }),
      )
      .nullish(),
  })
  .transform((r) =>
    (r.parameters ?? []).map(
      (p): SearchParameter => ({ label: p.label, paramName: p.paramname, options: p.valuelist, example: p.example }),
    ),
  );

export interface AccountVerification {
  registered: boolean;
  digilockerId: string | null;
}

export const verifyResponse = z
  .object({ registered: stringBoolean, digilockerid: optionalText })
  .transform((r): AccountVerification => ({ registered: r.registered, digilockerId: r.digilockerid }));

export interface Statistics {
  users: number;
  authenticDocuments: number;
  issuers: number;
  requesters: number;
  /** ISO date the counts were taken. */
  countAsOn: string | null;
  monthwiseRegistrations: { id: string; month: number; year: number; count: number }[];
  yearwiseAuthenticDocuments: { id: string; year: number; count: number }[];
}

const id = z.union([z.string(), z.number()]).transform((v) => String(v).trim());

export const statisticsResponse = z
  .object({
    users: count,
    authentic_documents: count,
    issuers: count,
    // The field list says `requestors`, the sample `requesters`.
    requesters: count.optional(),
    requestors: count.optional(),
    count_as_on: ddmmyyyy.nullish(),
    monthwise_registrations: z
      .array(z.object({ id, month: count.pipe(z.number().min(1).max(12)), year: count, count }))
      .nullish(),
    yearwise_authentic_documents: z.array(z.object({ id, year: count, count })).nullish(),
  })
  .refine((s) => s.requesters !== undefined || s.requestors !== undefined, {
    message: "requesters (or requestors) is missing",
  })
  .transform(
    (s): Statistics => ({
      users: s.users,
      authenticDocuments: s.authentic_documents,
      issuers: s.issuers,
      requesters: s.requesters ?? s.requestors ?? 0,
      countAsOn: s.count_as_on ?? null,
      monthwiseRegistrations: s.monthwise_registrations ?? [],
      yearwiseAuthenticDocuments: s.yearwise_authentic_documents ?? [],
    }),
  );
