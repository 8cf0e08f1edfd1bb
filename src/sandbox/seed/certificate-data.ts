// The <CertificateData> of each kind of document: marks for a marksheet, an amount for an income
// certificate, a policy for an insurance policy. Invented but consistent: drawn from the document's own
// stream, so the same URI always carries the same data.
import type { SandboxUser } from "../state.js";
import { rngFor, type Rng } from "./random.js";
import { element } from "./xml.js";

export interface CertificateDataInput {
  doctype: string;
  description: string;
  number: string;
  user: SandboxUser;
  issued: Date;
  /** The stream's label: the document's URI. */
  label: string;
}

const SUBJECTS = [
  ["301", "English Core"], ["041", "Mathematics"], ["042", "Physics"], ["043", "Chemistry"], ["044", "Biology"],
  ["083", "Computer Science"], ["030", "Economics"], ["302", "Hindi Core"], ["027", "History"], ["029", "Geography"],
] as const;

const DEGREES = ["Bachelor of Science", "Bachelor of Arts", "Bachelor of Commerce", "Bachelor of Technology", "Master of Science", "Master of Business Administration"];

function ddmmyyyy(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}`;
}

function addYears(date: Date, years: number): Date {
  const next = new Date(date);
  next.setUTCFullYear(next.getUTCFullYear() + years);
  return next;
}

function grade(marks: number): string {
  return marks >= 91 ? "A1" : marks >= 81 ? "A2" : marks >= 71 ? "B1" : marks >= 61 ? "B2" : marks >= 51 ? "C1" : "C2";
}

function marksheet(input: CertificateDataInput, rng: Rng): string {
  const results = rng.sample(SUBJECTS, 5).map(([code, name]) => ({ code, name, marks: rng.int(55, 98) }));
  const total = results.reduce((sum, r) => sum + r.marks, 0);
  const subjects = results.map((r) =>
    element("Subject", { code: r.code, name: r.name, maxMarks: "100", marks: String(r.marks), grade: grade(r.marks) }),
  );
  return element("Performance", { result: "PASS", totalMarks: String(total), maxMarks: "500" }, [
    element("Subjects", {}, subjects),
  ]);
}

function policy(input: CertificateDataInput, rng: Rng): string {
  return element("Policy", {
    number: input.number,
    type: input.description,
    sumAssured: String(rng.int(2, 50) * 100_000),
    premium: String(rng.int(40, 400) * 100),
    startDate: ddmmyyyy(input.issued),
    endDate: ddmmyyyy(addYears(input.issued, rng.pick([1, 1, 10, 20]))),
    holder: input.user.name,
  });
}

/** The inner XML of <CertificateData> for one document. */
export function certificateData(input: CertificateDataInput): string {
  const rng = rngFor(`certificate:${input.label}`);
  switch (input.doctype) {
    case "SSCER":
    case "HSCER":
    case "MRKSH":
      return marksheet(input, rng);
    case "DGCER":
    case "PDCER":
    case "DPCER":
      return element("Degree", { name: rng.pick(DEGREES), division: rng.pick(["First", "First with Distinction", "Second"]) });
    case "INCER":
      return element("Income", { annualIncome: String(rng.int(12, 180) * 10_000), currency: "INR", financialYear: `${input.issued.getUTCFullYear() - 1}-${String(input.issued.getUTCFullYear() % 100).padStart(2, "0")}` });
    case "PANCR":
      return element("PAN", { number: input.number, status: "Active", nameOnCard: input.user.name.toUpperCase() });
    case "DRVLC":
      return element("DrivingLicence", { number: input.number, classOfVehicle: "LMV,MCWG", validFrom: ddmmyyyy(input.issued), validTill: ddmmyyyy(addYears(input.issued, 20)) });
    case "RVCER":
      return element("Vehicle", { registrationNumber: input.number, maker: rng.pick(["MARUTI SUZUKI", "HYUNDAI", "TATA MOTORS", "HONDA"]), fuel: rng.pick(["PETROL", "DIESEL", "CNG"]) });
    case "LIPOL":
    case "ULPOL":
    case "HLPOL":
    case "MTPOL":
    case "HMPOL":
    case "TRPOL":
    case "CRPOL":
      return policy(input, rng);
    default:
      return element("Document", { type: input.doctype, description: input.description, number: input.number, issueDate: ddmmyyyy(input.issued) });
  }
}
