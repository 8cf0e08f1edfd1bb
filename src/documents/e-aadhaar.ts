// e-Aadhaar's fields (spec: Get e-Aadhaar Data in XML Format), read from the signed part of the XML only:
// <Certificate><CertificateData><KycRes ts><UidData uid><Poi name dob gender/><Poa co house …/><Pht>…</Pht>,
// in the style of UIDAI's eKYC response. The full Aadhaar number never leaves this module.

/** The parts of a `Poa` (proof of address) element, as the commercial wrappers name them. */
export interface AadhaarAddressModel {
  house: string | null;
  street: string | null;
  landmark: string | null;
  locality: string | null;
  villageTownCity: string | null;
  subDistrict: string | null;
  district: string | null;
  state: string | null;
  postOffice: string | null;
  pinCode: string | null;
  country: string | null;
}

export interface EAadhaarFields {
  name: string | null;
  /** ISO 8601 calendar date (the XML has DD-MM-YYYY). */
  dateOfBirth: string | null;
  gender: "MALE" | "FEMALE" | "TRANSGENDER" | null;
  /** All but the last four digits masked: `xxxxxxxx1234`. */
  maskedAadhaar: string | null;
  careOf: string | null;
  address: AadhaarAddressModel;
  /** The photograph as a `data:image/jpeg;base64,…` URL. */
  photo: string | null;
  /** When UIDAI answered the eKYC (KycRes `ts`), ISO 8601 UTC. */
  issuedAt: string | null;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The first element named `name`, depth first (document order); a repeated element's first occurrence. */
export function findElement(node: unknown, name: string): Json | string | null {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findElement(child, name);
      if (found !== null) return found;
    }
    return null;
  }
  if (!isObject(node)) return null;
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("@") || key === "#text") continue;
    if (key === name || key.endsWith(`:${name}`)) {
      const first: unknown = Array.isArray(value) ? value[0] : value;
      if (isObject(first) || typeof first === "string") return first;
    }
    const found = findElement(value, name);
    if (found !== null) return found;
  }
  return null;
}

function attribute(element: Json | string | null, name: string): string | null {
  if (!isObject(element)) return null;
  const value = element[`@${name}`];
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

function text(element: Json | string | null): string | null {
  if (typeof element === "string") return element.trim() || null;
  if (isObject(element) && typeof element["#text"] === "string") return element["#text"].trim() || null;
  return null;
}

/** `DD-MM-YYYY` (also `DD/MM/YYYY`, `DDMMYYYY`, `YYYY-MM-DD`) → `YYYY-MM-DD`, when it is a real date. */
export function isoDateOf(value: string | null): string | null {
  if (value === null) return null;
  const dmy = /^(\d{2})[-/]?(\d{2})[-/]?(\d{4})$/.exec(value);
  const ymd = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const [year, month, day] = dmy ? [dmy[3], dmy[2], dmy[1]] : ymd ? [ymd[1], ymd[2], ymd[3]] : [];
  if (year === undefined || month === undefined || day === undefined) return null;
  const iso = `${year}-${month}-${day}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(iso) ? iso : null;
}

function genderOf(value: string | null): EAadhaarFields["gender"] {
  switch (value?.toUpperCase()) {
    case "M":
    case "MALE":
      return "MALE";
    case "F":
    case "FEMALE":
      return "FEMALE";
    case "T":
    case "TRANSGENDER":
      return "TRANSGENDER";
    default:
      return null;
  }
}

/**
 * `xxxxxxxx` and the last four digits, whatever the XML holds (UIDAI masks it; a full number is masked here).
 * Null when it does not end in four digits.
 */
export function maskAadhaar(value: string | null): string | null {
  const last4 = value === null ? undefined : /(\d{4})$/.exec(value.replace(/\s+/g, ""))?.[1];
  return last4 === undefined ? null : `xxxxxxxx${last4}`;
}

/** A base64 JPEG as a data URL; null when it is not plain base64. */
function photoUrl(value: string | null): string | null {
  if (value === null) return null;
  const base64 = value.replace(/\s+/g, "");
  return /^[A-Za-z0-9+/]+={0,2}$/.test(base64) && base64.length % 4 === 0 ? `data:image/jpeg;base64,${base64}` : null;
}

function instant(value: string | null): string | null {
  if (value === null) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

const EMPTY_ADDRESS: AadhaarAddressModel = {
  house: null,
  street: null,
  landmark: null,
  locality: null,
  villageTownCity: null,
  subDistrict: null,
  district: null,
  state: null,
  postOffice: null,
  pinCode: null,
  country: null,
};

export const NO_FIELDS: EAadhaarFields = {
  name: null,
  dateOfBirth: null,
  gender: null,
  maskedAadhaar: null,
  careOf: null,
  address: EMPTY_ADDRESS,
  photo: null,
  issuedAt: null,
};

/** The fields of an e-Aadhaar document already turned into JSON (xml-json.ts): absent ones are null. */
export function eAadhaarFields(json: Json): EAadhaarFields {
  const kyc = findElement(json, "KycRes");
  const uidData = findElement(kyc ?? json, "UidData");
  const poi = findElement(uidData, "Poi");
  const poa = findElement(uidData, "Poa");
  return {
    name: attribute(poi, "name"),
    dateOfBirth: isoDateOf(attribute(poi, "dob")),
    gender: genderOf(attribute(poi, "gender")),
    maskedAadhaar: maskAadhaar(attribute(uidData, "uid")),
    careOf: attribute(poa, "co"),
    address: {
      house: attribute(poa, "house"),
      street: attribute(poa, "street"),
      landmark: attribute(poa, "lm"),
      locality: attribute(poa, "loc"),
      villageTownCity: attribute(poa, "vtc"),
      subDistrict: attribute(poa, "subdist"),
      district: attribute(poa, "dist"),
      state: attribute(poa, "state"),
      postOffice: attribute(poa, "po"),
      pinCode: attribute(poa, "pc"),
      country: attribute(poa, "country"),
    },
    photo: photoUrl(text(findElement(uidData, "Pht"))),
    issuedAt: instant(attribute(kyc, "ts")),
  };
}
