// Document types and their search parameters (spec: "Get List of Documents Provided by an Issuer" and
// "Get Search Parameters for a Document"). Codes repeat across issuers, as in DigiLocker: every state's
// revenue department issues INCER. Each parameter's `example` is a valid value (inside its valuelist when
// it has one); the pull route treats the examples as the one record the issuer holds.
import type { DocTypeSeed, SearchParameterSeed } from "../state.js";
import type { Rng } from "./random.js";

/** What a parameter's example may depend on: the issuing state's vehicle code ("MH"), if any. */
export interface IssuerContext {
  stateCode: string | null;
}

type ParamMaker = (rng: Rng, ctx: IssuerContext) => SearchParameterSeed;

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

function listParam(label: string, paramname: string, values: readonly string[]): ParamMaker {
  return (rng) => ({ label, paramname, valuelist: values.join(","), example: rng.pick(values) });
}

function textParam(label: string, paramname: string, example: (rng: Rng, ctx: IssuerContext) => string): ParamMaker {
  return (rng, ctx) => ({ label, paramname, valuelist: null, example: example(rng, ctx) });
}

/** DD-MM-YYYY, as DigiLocker's pull forms take a date of birth. */
function dobExample(rng: Rng): string {
  const day = String(rng.int(1, 28)).padStart(2, "0");
  const month = String(rng.int(1, 12)).padStart(2, "0");
  return `${day}-${month}-${rng.int(1960, 2004)}`;
}

const state = (ctx: IssuerContext) => ctx.stateCode ?? "DL";

const YEARS = range(2001, 2024);
const DEGREE_YEARS = range(1995, 2024);
const REGISTRATION_YEARS = range(1980, 2024);
const FINANCIAL_YEARS = range(2015, 2024).map((y) => `${y}-${String((Number(y) + 1) % 100).padStart(2, "0")}`);

export const params = {
  year: listParam("Year", "year", YEARS),
  passingYear: listParam("Year of Passing", "year", DEGREE_YEARS),
  rollno: textParam("Roll Number", "rollno", (r) => r.digits(8)),
  enrolno: textParam("Enrolment Number", "enrolno", (r) => `${r.letters(2)}${r.digits(7)}`),
  semester: listParam("Semester", "semester", range(1, 8)),
  certno: textParam("Certificate Number", "certno", (r) => r.digits(r.int(8, 10))),
  regno: textParam("Registration Number", "regno", (r) => r.digits(10)),
  registrationYear: listParam("Year of Registration", "regyear", REGISTRATION_YEARS),
  financialYear: listParam("Financial Year", "finyear", FINANCIAL_YEARS),
  casteCategory: listParam("Category", "category", ["SC", "ST", "OBC"]),
  dlno: textParam("Driving Licence Number", "dlno", (r, c) => `${state(c)}${r.digits(2)}${r.int(2005, 2023)}${r.digits(7)}`),
  dob: textParam("Date of Birth (DD-MM-YYYY)", "dob", (r) => dobExample(r)),
  vehicleRegno: textParam("Vehicle Registration Number", "regno", (r, c) => `${state(c)}${r.digits(2)}${r.letters(2)}${r.digits(4)}`),
  chassis: textParam("Last 5 Characters of Chassis Number", "chasis", (r) => `${r.letters(2)}${r.digits(3)}`),
  rationCard: textParam("Ration Card Number", "rcno", (r) => r.digits(12)),
  cardType: listParam("Card Type", "cardtype", ["AAY", "PHH", "NPHH"]),
  panno: textParam("PAN", "panno", (r) => `${r.letters(3)}P${r.letters(1)}${r.digits(4)}${r.letters(1)}`),
  policyno: textParam("Policy Number", "policyno", (r) => r.digits(r.int(9, 12))),
  policyType: listParam("Policy Type", "policytype", ["Individual", "Family Floater", "Group"]),
  vehicleType: listParam("Vehicle Type", "vehicletype", ["Private Car", "Two Wheeler", "Commercial Vehicle"]),
  passportFile: textParam("File Number", "fileno", (r) => `${r.letters(2)}${r.digits(10)}`),
  uan: textParam("UAN", "uan", (r) => `10${r.digits(10)}`),
  pmjayId: textParam("PM-JAY ID", "pmjayid", (r) => `${r.letters(1)}${r.digits(1)}${r.letters(2)}${r.digits(1)}${r.letters(1)}${r.digits(1)}${r.letters(1)}${r.digits(1)}`),
  abha: textParam("ABHA Number", "abhano", (r) => `91${r.digits(12)}`),
  epic: textParam("EPIC Number", "epicno", (r) => `${r.letters(3)}${r.digits(7)}`),
  din: textParam("DIN", "din", (r) => `0${r.digits(7)}`),
  licno: textParam("Licence Number", "licno", (r) => `1${r.digits(13)}`),
  gstin: textParam("GSTIN", "gstin", (r) => `${r.digits(2)}${r.letters(5)}${r.digits(4)}${r.letters(1)}1Z${r.digits(1)}`),
  cdcno: textParam("CDC Number", "cdcno", (r) => `MUM${r.digits(6)}`),
  udid: textParam("UDID Number", "udid", (r) => `${r.letters(2)}${r.digits(16)}`),
  accno: textParam("Account Number", "accno", (r) => r.digits(10)),
  ppono: textParam("PPO Number", "ppono", (r) => r.digits(12)),
  beneficiaryRef: textParam("Beneficiary Reference ID", "benref", (r) => r.digits(14)),
  soilCard: textParam("Soil Health Card Number", "shcno", (r) => `${r.letters(2)}${r.digits(12)}`),
  serviceNo: textParam("Service Number", "serviceno", (r) => `${r.digits(7)}${r.letters(1)}`),
  stateName: listParam("State", "state", [
    "Andhra Pradesh", "Assam", "Bihar", "Delhi", "Gujarat", "Karnataka", "Kerala", "Madhya Pradesh",
    "Maharashtra", "Odisha", "Punjab", "Rajasthan", "Tamil Nadu", "Telangana", "Uttar Pradesh", "West Bengal",
  ]),
} satisfies Record<string, ParamMaker>;

export interface DocTypeTemplate {
  doctype: string;
  description: string;
  params: ParamMaker[];
}

const t = (doctype: string, description: string, ...ps: ParamMaker[]): DocTypeTemplate => ({ doctype, description, params: ps });

/** Every document type the catalogue uses, by code. */
export const docTypes = {
  // State revenue departments and e-District portals.
  INCER: t("INCER", "Income Certificate", params.certno),
  CSCER: t("CSCER", "Caste Certificate", params.certno, params.casteCategory),
  DOMCR: t("DOMCR", "Domicile Certificate", params.certno),
  BTCER: t("BTCER", "Birth Certificate", params.regno, params.registrationYear),
  DTCER: t("DTCER", "Death Certificate", params.regno, params.registrationYear),
  RESCR: t("RESCR", "Residence Certificate", params.certno),
  EWSCR: t("EWSCR", "EWS Certificate", params.certno, params.financialYear),
  // Transport.
  DRVLC: t("DRVLC", "Driving License", params.dlno, params.dob),
  RVCER: t("RVCER", "Registration of Vehicles", params.vehicleRegno, params.chassis),
  // Food and civil supplies.
  RATCR: t("RATCR", "Ration Card", params.rationCard, params.cardType),
  // School boards.
  SSCER: t("SSCER", "Class X Marksheet", params.year, params.rollno),
  HSCER: t("HSCER", "Class XII Marksheet", params.year, params.rollno),
  SPCER: t("SPCER", "Class X Passing Certificate", params.year, params.rollno),
  HPCER: t("HPCER", "Class XII Passing Certificate", params.year, params.rollno),
  MGCER: t("MGCER", "Migration Certificate", params.year, params.rollno),
  // Universities.
  DGCER: t("DGCER", "Degree Certificate", params.passingYear, params.enrolno),
  PDCER: t("PDCER", "Provisional Degree Certificate", params.passingYear, params.enrolno),
  MRKSH: t("MRKSH", "Semester Marksheet", params.passingYear, params.enrolno, params.semester),
  DPCER: t("DPCER", "Diploma Certificate", params.passingYear, params.enrolno),
  ITICR: t("ITICR", "ITI Certificate", params.year, params.rollno),
  NEETS: t("NEETS", "NEET (UG) Scorecard", params.year, params.rollno),
  JEEMS: t("JEEMS", "JEE (Main) Scorecard", params.year, params.rollno),
  // Central government.
  PANCR: t("PANCR", "PAN Verification Record", params.panno),
  PSPRT: t("PSPRT", "Passport Verification Record", params.passportFile, params.dob),
  UANCD: t("UANCD", "UAN Card", params.uan),
  PPORD: t("PPORD", "Pension Payment Order", params.ppono),
  PMJAY: t("PMJAY", "Ayushman Bharat (PM-JAY) Card", params.pmjayId),
  ABHAC: t("ABHAC", "ABHA Card", params.abha),
  EPICD: t("EPICD", "Voter ID Card (EPIC)", params.epic, params.stateName),
  DINCR: t("DINCR", "Director Identification Number Letter", params.din),
  FSLIC: t("FSLIC", "FSSAI Licence", params.licno),
  GSTCR: t("GSTCR", "GST Registration Certificate", params.gstin),
  CDCRD: t("CDCRD", "Continuous Discharge Certificate", params.cdcno, params.dob),
  UDIDC: t("UDIDC", "Unique Disability ID Card", params.udid),
  POSAC: t("POSAC", "Savings Account Statement", params.accno),
  DLCER: t("DLCER", "Digital Life Certificate", params.ppono),
  VACER: t("VACER", "COVID-19 Vaccination Certificate", params.beneficiaryRef),
  SHCRD: t("SHCRD", "Soil Health Card", params.soilCard),
  ESHRM: t("ESHRM", "e-Shram Card", params.uan),
  ESMID: t("ESMID", "Ex-Servicemen Identity Card", params.serviceNo, params.dob),
  // Insurance.
  LIPOL: t("LIPOL", "Life Insurance Policy", params.policyno, params.dob),
  ULPOL: t("ULPOL", "Unit Linked Insurance Policy", params.policyno, params.dob),
  HLPOL: t("HLPOL", "Health Insurance Policy", params.policyno, params.policyType),
  MTPOL: t("MTPOL", "Motor Insurance Policy", params.policyno, params.vehicleType),
  HMPOL: t("HMPOL", "Home Insurance Policy", params.policyno),
  TRPOL: t("TRPOL", "Travel Insurance Policy", params.policyno),
  CRPOL: t("CRPOL", "Crop Insurance Policy", params.policyno, params.stateName),
} satisfies Record<string, DocTypeTemplate>;

export type DocTypeCode = keyof typeof docTypes;

/** A template made concrete for one issuer: examples drawn from that issuer's own stream. */
export function instantiate(code: DocTypeCode, rng: Rng, ctx: IssuerContext): DocTypeSeed {
  const template = docTypes[code];
  return {
    doctype: template.doctype,
    description: template.description,
    parameters: template.params.map((make) => make(rng, ctx)),
  };
}
