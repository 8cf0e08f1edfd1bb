// When a document says it was signed, read from the signed canonical XML (XmlVerification.signedXml), for
// VerifyOptions.signingTime: a certificate that has expired since still vouches for what it signed while valid.
// Canonical XML has no comments, CDATA or DTD and quotes every attribute with `"`, so the start tag can be read
// with a pattern; single quotes are accepted too, for raw XML.

const ATTRIBUTE = /\s+([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/.source;

/** The attributes of the first start tag named `name` (anywhere, or only as the root), or null. */
function startTagAttributes(xml: string, name: string, rootOnly: boolean): Map<string, string> | null {
  const open = rootOnly ? new RegExp(`^(?:\\uFEFF)?(?:<\\?xml[^?]*\\?>)?\\s*<${name}(?=[\\s/>])`) : new RegExp(`<${name}(?=[\\s/>])`);
  const match = open.exec(xml);
  if (match === null) return null;
  const attributes = new Map<string, string>();
  const attribute = new RegExp(ATTRIBUTE, "gy");
  attribute.lastIndex = match.index + match[0].length;
  for (let m = attribute.exec(xml); m !== null; m = attribute.exec(xml)) {
    const [, key, double, single] = m;
    if (key !== undefined) attributes.set(key, double ?? single ?? "");
  }
  return attributes;
}

const IST_OFFSET_MS = 5.5 * 60 * 60 * 1000;

/** Whether the calendar has this day: Date would roll 31-02 over into March. */
function isCalendarDate(year: number, month: number, day: number): boolean {
  const check = new Date(Date.UTC(year, month - 1, day));
  return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day;
}

/** Midnight in India (UTC+05:30) on a calendar date, or null when the date does not exist (31-02-2024). */
function istMidnight(year: number, month: number, day: number): Date | null {
  return isCalendarDate(year, month, day) ? new Date(Date.UTC(year, month - 1, day) - IST_OFFSET_MS) : null;
}

/**
 * DigiLocker certificate XML: the root `<Certificate issueDate="…">` attribute, as DD-MM-YYYY (what
 * certificates print), DDMMYYYY or ISO YYYY-MM-DD, read as midnight IST. Null when the root is not
 * `<Certificate>`, or the attribute is absent or not one of those dates.
 */
export function certificateSigningTime(signedXml: string): Date | null {
  const value = startTagAttributes(signedXml, "Certificate", true)?.get("issueDate")?.trim();
  if (value === undefined) return null;
  let m = /^(\d{2})-?(\d{2})-?(\d{4})$/.exec(value);
  if (m !== null) return istMidnight(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m !== null) return istMidnight(Number(m[1]), Number(m[2]), Number(m[3]));
  return null;
}

/** ISO 8601 date-time with a Z or ±hh:mm offset, as UIDAI writes `ts` ("2024-03-05T10:11:12.000+05:30"). */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * e-Aadhaar (UIDAI eKYC) XML: the `ts` attribute of the first `<KycRes>` element (the root in UIDAI's own
 * response, inside `<Certificate><CertificateData>` in DigiLocker's), ISO 8601 with an offset. Null when
 * there is no KycRes, no ts, or ts lacks an offset (the instant would be a guess).
 */
export function eAadhaarSigningTime(signedXml: string): Date | null {
  const value = startTagAttributes(signedXml, "KycRes", false)?.get("ts")?.trim();
  if (value === undefined || !ISO_WITH_OFFSET.test(value)) return null;
  if (!isCalendarDate(Number(value.slice(0, 4)), Number(value.slice(5, 7)), Number(value.slice(8, 10)))) return null;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : time;
}
