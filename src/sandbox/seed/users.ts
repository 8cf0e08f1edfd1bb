// The seeded users, their folders, uploads and issued documents (see docs/sandbox.md for what each user is
// for). Ajit Kumar is the spec's own sample user, with its ids, URIs and dates.
import { createHash } from "node:crypto";
import type { SandboxKeys } from "../keys.js";
import type { FolderNode, IssuedDocument, IssuerSeed, SandboxUser, UploadedFile } from "../state.js";
import { eAadhaarUnsigned, issueDocument } from "./documents.js";
import { tinyJpeg, tinyPng } from "./images.js";
import { defineLazy } from "./lazy.js";
import { renderPdf } from "./pdf.js";
import { signXml } from "./xml.js";

export const USER_IDS = {
  ajit: "123e4567-e89b-12d3-a456-426655440000",
  priya: "6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f",
  rahul: "0b7e3d52-1c4a-4f6e-8d2b-7a9c5e1f3b20",
  asha: "c3d4e5f6-a7b8-4c9d-8e0f-112233445566",
} as const;

type Person = Omit<SandboxUser, "eAadhaarXml" | "referenceKey"> & { hasEAadhaar: boolean; referenceKey?: string };

const PEOPLE: Person[] = [
  {
    digilockerId: USER_IDS.ajit,
    username: "ajit.kumar",
    name: "Ajit Kumar",
    dob: "31121970",
    gender: "M",
    mobile: "9876543210",
    email: "ajit.kumar@example.com",
    aadhaar: "999999990019",
    hasEAadhaar: true,
    pan: "ABCDE1234F",
    drivingLicence: "DL0120230100001",
    // The spec's sample reference_key (Get User Details).
    referenceKey: "2a33349e7e606a8ad2e30e3c84521f9377450cf09083e162e0a9b1480ce0f972",
    persona: "The spec's sample user: CBSE, Delhi, PAN and driving licence documents, nested uploads, e-Aadhaar.",
  },
  {
    digilockerId: USER_IDS.priya,
    username: "priya.sharma",
    name: "Priya Sharma",
    dob: "15081992",
    gender: "F",
    mobile: "9123456780",
    email: "priya.sharma@example.com",
    // Passes the Verhoeff check (it was 999999990027, which does not). By hand, digits right to left, position i,
    // c = D[c][P[i mod 8][digit]] from c = 0 (the tables in src/digilocker/verhoeff.ts):
    //   6→6, 2: P1=7 D[6][7]=4, 0: P2=5 D[4][5]=9, 0: P3=8 D[9][8]=1, 9: P4=0 D[1][0]=1, 9: P5=1 D[1][1]=2,
    //   9: P6=5 D[2][5]=7, 9: P7=8 D[7][8]=4, 9: P0=9 D[4][9]=8, 9: P1=4 D[8][4]=9, 9: P2=2 D[9][2]=7,
    //   9: P3=7 D[7][7]=0: c ends at 0, valid. test/unit/sandbox/seed-aadhaar.test.ts checks every seeded number.
    aadhaar: "999999990026",
    hasEAadhaar: true,
    pan: "BQWPS4821K",
    drivingLicence: "MH0220150012345",
    persona: "A full locker: 12 issued documents from 9 issuers, uploads in folders, e-Aadhaar.",
  },
  {
    digilockerId: USER_IDS.rahul,
    username: "rahul.verma",
    name: "Rahul Verma",
    dob: "01011985",
    gender: "M",
    mobile: "9000000001",
    email: "rahul.verma@example.com",
    aadhaar: null,
    hasEAadhaar: false,
    pan: null,
    drivingLicence: null,
    persona: "No Aadhaar linked: pull and e-Aadhaar answer aadhaar_not_linked. An empty locker.",
  },
  {
    digilockerId: USER_IDS.asha,
    username: "asha.devi",
    name: "Asha Devi",
    dob: "10101975",
    gender: "T",
    mobile: "9000000002",
    email: "asha.devi@example.com",
    aadhaar: "999999990035",
    hasEAadhaar: false,
    pan: null,
    drivingLicence: null,
    persona: "Aadhaar linked but no e-Aadhaar data (aadhaar_not_available). 2 issued documents, folders 3 levels deep.",
  },
];

interface IssuedPlan {
  issuerid: string;
  doctype: string;
  docId: string;
  date: string;
  xml: boolean;
}

const ISSUED: Record<string, IssuedPlan[]> = {
  [USER_IDS.ajit]: [
    // The spec's two sample documents (Get List of Issued Documents), with its date.
    { issuerid: "in.gov.cbse", doctype: "HSCER", docId: "201412345678", date: "2015-05-12T15:50:38Z", xml: true },
    { issuerid: "in.gov.delhi", doctype: "INCER", docId: "98765432", date: "2015-05-12T15:50:38Z", xml: true },
    { issuerid: "in.gov.pan", doctype: "PANCR", docId: "ABCDE1234F", date: "2019-07-01T10:15:00Z", xml: true },
    { issuerid: "in.gov.transport", doctype: "DRVLC", docId: "DL0120230100001", date: "2023-01-10T09:30:00Z", xml: false },
    // Its issuer is offline: reading it answers 530 (repository errors).
    { issuerid: "in.gov.sandbox.offline", doctype: "OFCER", docId: "0001", date: "2021-03-15T12:00:00Z", xml: true },
  ],
  [USER_IDS.priya]: [
    { issuerid: "in.gov.cbse", doctype: "SSCER", docId: "20088812345", date: "2008-05-28T10:00:00Z", xml: true },
    { issuerid: "in.gov.cbse", doctype: "HSCER", docId: "20109912345", date: "2010-05-24T10:00:00Z", xml: true },
    { issuerid: "in.ac.mu", doctype: "DGCER", docId: "2014MU0412345", date: "2014-08-20T11:30:00Z", xml: true },
    { issuerid: "in.gov.pan", doctype: "PANCR", docId: "BQWPS4821K", date: "2016-03-02T09:00:00Z", xml: true },
    { issuerid: "in.gov.transport", doctype: "DRVLC", docId: "MH0220150012345", date: "2015-09-14T12:00:00Z", xml: false },
    { issuerid: "in.gov.transport", doctype: "RVCER", docId: "MH02CK4521KL482", date: "2019-11-05T15:45:00Z", xml: false },
    { issuerid: "in.gov.maharashtra.revenue", doctype: "INCER", docId: "2023041234", date: "2023-04-18T10:20:00Z", xml: true },
    { issuerid: "in.gov.maharashtra.revenue", doctype: "DOMCR", docId: "2012067788", date: "2012-06-11T10:20:00Z", xml: true },
    { issuerid: "in.co.licindia", doctype: "LIPOL", docId: "912345678", date: "2018-02-01T08:00:00Z", xml: true },
    { issuerid: "in.co.newindia", doctype: "HLPOL", docId: "31010034220100001", date: "2022-04-01T08:00:00Z", xml: true },
    { issuerid: "in.gov.nha", doctype: "PMJAY", docId: "P8KQ2M7X1", date: "2020-01-20T13:10:00Z", xml: true },
    { issuerid: "in.gov.epfo", doctype: "UANCD", docId: "100987654321", date: "2017-07-07T07:07:00Z", xml: false },
  ],
  [USER_IDS.asha]: [
    { issuerid: "in.gov.delhi", doctype: "DOMCR", docId: "7700112233", date: "2019-02-14T10:00:00Z", xml: true },
    { issuerid: "in.gov.nha", doctype: "PMJAY", docId: "A3D9X2K7M", date: "2021-06-30T10:00:00Z", xml: false },
  ],
};

/** Folder ids are strings, unique across users; each user has one root (parentId null, name ""). */
const FOLDERS: FolderNode[] = [
  { id: "1234", ownerId: USER_IDS.ajit, name: "", parentId: null, date: "2015-05-12T15:50:38Z" },
  { id: "5678", ownerId: USER_IDS.ajit, name: "My Documents", parentId: "1234", date: "2015-05-12T15:50:38Z" },
  { id: "5679", ownerId: USER_IDS.ajit, name: "Education", parentId: "5678", date: "2016-01-20T09:12:44Z" },
  { id: "2100", ownerId: USER_IDS.priya, name: "", parentId: null, date: "2016-03-01T08:00:00Z" },
  { id: "2101", ownerId: USER_IDS.priya, name: "Certificates", parentId: "2100", date: "2016-03-01T08:05:00Z" },
  { id: "2102", ownerId: USER_IDS.priya, name: "Photos", parentId: "2100", date: "2016-03-01T08:06:00Z" },
  { id: "3100", ownerId: USER_IDS.rahul, name: "", parentId: null, date: "2020-10-02T10:00:00Z" },
  { id: "4100", ownerId: USER_IDS.asha, name: "", parentId: null, date: "2019-01-05T06:30:00Z" },
  { id: "4101", ownerId: USER_IDS.asha, name: "Family", parentId: "4100", date: "2019-01-05T06:31:00Z" },
  { id: "4102", ownerId: USER_IDS.asha, name: "Property", parentId: "4101", date: "2019-01-05T06:32:00Z" },
  { id: "4103", ownerId: USER_IDS.asha, name: "2019", parentId: "4102", date: "2019-01-05T06:33:00Z" },
];

interface UploadPlan {
  ownerId: string;
  folderId: string;
  name: string;
  description: string;
  uri: string;
  date: string;
  kind: "pdf" | "jpeg" | "png";
}

const UPLOADS: UploadPlan[] = [
  // The spec's sample root listing (Get List of Self Uploaded Documents).
  { ownerId: USER_IDS.ajit, folderId: "1234", name: "myfile.pdf", description: "Income Certificate", uri: "in.gov.digilocker-OTHER-39491058586222", date: "2015-05-12T15:50:38Z", kind: "pdf" },
  { ownerId: USER_IDS.ajit, folderId: "1234", name: "photo.jpg", description: "Photograph", uri: "in.gov.digilocker-OTHER-57209318846731", date: "2015-06-02T11:20:05Z", kind: "jpeg" },
  { ownerId: USER_IDS.ajit, folderId: "5679", name: "degree.pdf", description: "Degree Certificate", uri: "in.gov.digilocker-OTHER-48120937465512", date: "2016-01-20T09:15:10Z", kind: "pdf" },
  { ownerId: USER_IDS.priya, folderId: "2100", name: "resume.pdf", description: "Resume", uri: "in.gov.digilocker-OTHER-61834520917734", date: "2021-09-10T17:45:00Z", kind: "pdf" },
  { ownerId: USER_IDS.priya, folderId: "2101", name: "internship-letter.pdf", description: "Internship Certificate", uri: "in.gov.digilocker-OTHER-61834520917735", date: "2013-07-01T12:00:00Z", kind: "pdf" },
  { ownerId: USER_IDS.priya, folderId: "2102", name: "passport-photo.png", description: "Photograph", uri: "in.gov.digilocker-OTHER-61834520917736", date: "2016-03-01T08:10:00Z", kind: "png" },
  { ownerId: USER_IDS.asha, folderId: "4101", name: "ration-card.jpg", description: "Ration Card", uri: "in.gov.digilocker-OTHER-73310964452201", date: "2019-01-05T06:40:00Z", kind: "jpeg" },
  { ownerId: USER_IDS.asha, folderId: "4103", name: "sale-deed.pdf", description: "Sale Deed", uri: "in.gov.digilocker-OTHER-73310964452202", date: "2019-03-22T14:05:00Z", kind: "pdf" },
];

const MIME = { pdf: "application/pdf", jpeg: "image/jpeg", png: "image/png" } as const;

function uploadBytes(plan: UploadPlan, owner: SandboxUser): Buffer {
  if (plan.kind === "jpeg") return tinyJpeg();
  if (plan.kind === "png") return tinyPng();
  return renderPdf({
    title: plan.description,
    created: new Date(plan.date),
    lines: [`Uploaded by: ${owner.name}`, `File: ${plan.name}`, "A self-uploaded document: not verified by any issuer."],
  });
}

export interface SeededPeople {
  users: Map<string, SandboxUser>;
  folders: Map<string, FolderNode>;
  uploads: UploadedFile[];
  issued: IssuedDocument[];
}

export function seedPeople(issuers: readonly IssuerSeed[], keys: SandboxKeys): SeededPeople {
  const users = new Map<string, SandboxUser>();
  for (const { hasEAadhaar, referenceKey, ...person } of PEOPLE) {
    const user: SandboxUser = {
      ...person,
      referenceKey: referenceKey ?? createHash("sha256").update(`reference:${person.digilockerId}`).digest("hex"),
      eAadhaarXml: null,
    };
    if (hasEAadhaar) {
      const unsigned = eAadhaarUnsigned(user);
      defineLazy(user, "eAadhaarXml", () => signXml(unsigned, keys));
    }
    users.set(user.digilockerId, user);
  }
  const byIssuerId = new Map(issuers.map((i) => [i.issuerid, i]));
  const issued = Object.entries(ISSUED).flatMap(([userId, plans]) =>
    plans.map((plan) => {
      const issuer = byIssuerId.get(plan.issuerid);
      const docType = issuer?.docTypes.find((d) => d.doctype === plan.doctype);
      const user = users.get(userId);
      if (issuer === undefined || docType === undefined || user === undefined) {
        throw new Error(`seed: ${plan.issuerid} ${plan.doctype} is not in the catalogue`);
      }
      return issueDocument({ issuer, docType, user, docId: plan.docId, date: plan.date, withXml: plan.xml }, keys);
    }),
  );
  const uploads = UPLOADS.map((plan): UploadedFile => {
    const owner = users.get(plan.ownerId);
    if (owner === undefined) throw new Error(`seed: no user ${plan.ownerId}`);
    const { kind, ...rest } = plan;
    return { ...rest, mime: MIME[kind], data: uploadBytes(plan, owner) };
  });
  return {
    users,
    folders: new Map(FOLDERS.map((f) => [f.id, { ...f }])),
    uploads,
    issued,
  };
}
