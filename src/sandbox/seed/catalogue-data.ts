// Names behind the generated part of the catalogue: states and union territories, school boards,
// universities, central bodies and insurers. Real institutions' names make the data look like
// DigiLocker's; everything they "issue" in the sandbox is invented.
import type { DocTypeCode } from "./doctypes.js";

export interface StateInfo {
  name: string;
  /** Used in issuer ids: in.gov.<slug>.revenue */
  slug: string;
  /** Vehicle registration code, the prefix of driving licence and registration numbers. */
  code: string;
}

export const STATES: readonly StateInfo[] = [
  { name: "Andhra Pradesh", slug: "ap", code: "AP" },
  { name: "Arunachal Pradesh", slug: "arunachal", code: "AR" },
  { name: "Assam", slug: "assam", code: "AS" },
  { name: "Bihar", slug: "bihar", code: "BR" },
  { name: "Chhattisgarh", slug: "cg", code: "CG" },
  { name: "Goa", slug: "goa", code: "GA" },
  { name: "Gujarat", slug: "gujarat", code: "GJ" },
  { name: "Haryana", slug: "haryana", code: "HR" },
  { name: "Himachal Pradesh", slug: "hp", code: "HP" },
  { name: "Jharkhand", slug: "jharkhand", code: "JH" },
  { name: "Karnataka", slug: "karnataka", code: "KA" },
  { name: "Kerala", slug: "kerala", code: "KL" },
  { name: "Madhya Pradesh", slug: "mp", code: "MP" },
  { name: "Maharashtra", slug: "maharashtra", code: "MH" },
  { name: "Manipur", slug: "manipur", code: "MN" },
  { name: "Meghalaya", slug: "meghalaya", code: "ML" },
  { name: "Mizoram", slug: "mizoram", code: "MZ" },
  { name: "Nagaland", slug: "nagaland", code: "NL" },
  { name: "Odisha", slug: "odisha", code: "OD" },
  { name: "Punjab", slug: "punjab", code: "PB" },
  { name: "Rajasthan", slug: "rajasthan", code: "RJ" },
  { name: "Sikkim", slug: "sikkim", code: "SK" },
  { name: "Tamil Nadu", slug: "tn", code: "TN" },
  { name: "Telangana", slug: "telangana", code: "TS" },
  { name: "Tripura", slug: "tripura", code: "TR" },
  { name: "Uttar Pradesh", slug: "up", code: "UP" },
  { name: "Uttarakhand", slug: "uk", code: "UK" },
  { name: "West Bengal", slug: "wb", code: "WB" },
  { name: "Andaman and Nicobar Islands", slug: "andaman", code: "AN" },
  { name: "Chandigarh", slug: "chandigarh", code: "CH" },
  { name: "Dadra and Nagar Haveli and Daman and Diu", slug: "dnhdd", code: "DD" },
  { name: "Delhi", slug: "delhi", code: "DL" },
  { name: "Jammu and Kashmir", slug: "jk", code: "JK" },
  { name: "Ladakh", slug: "ladakh", code: "LA" },
  { name: "Lakshadweep", slug: "lakshadweep", code: "LD" },
  { name: "Puducherry", slug: "puducherry", code: "PY" },
];

export interface NamedIssuer {
  name: string;
  slug: string;
  /** Vehicle code of the state it belongs to, for examples that carry it. */
  state?: string;
}

/** Which classes a board examines: Class X, Class XII, or both. */
export interface Board extends NamedIssuer {
  levels: "10" | "12" | "10+12";
}

export const BOARDS: readonly Board[] = [
  { name: "Council for the Indian School Certificate Examinations", slug: "cisce", levels: "10+12" },
  { name: "Board of Secondary Education, Rajasthan", slug: "rajeduboard", state: "RJ", levels: "10+12" },
  { name: "Maharashtra State Board of Secondary and Higher Secondary Education", slug: "mahahsscboard", state: "MH", levels: "10+12" },
  { name: "Bihar School Examination Board", slug: "biharboard", state: "BR", levels: "10+12" },
  { name: "Uttar Pradesh Madhyamik Shiksha Parishad", slug: "upmsp", state: "UP", levels: "10+12" },
  { name: "Karnataka School Examination and Assessment Board", slug: "kseab", state: "KA", levels: "10+12" },
  { name: "Kerala Board of Public Examinations", slug: "keralapareekshabhavan", state: "KL", levels: "10" },
  { name: "Directorate of Government Examinations, Tamil Nadu", slug: "dgetn", state: "TN", levels: "10+12" },
  { name: "West Bengal Board of Secondary Education", slug: "wbbse", state: "WB", levels: "10" },
  { name: "West Bengal Council of Higher Secondary Education", slug: "wbchse", state: "WB", levels: "12" },
  { name: "Gujarat Secondary and Higher Secondary Education Board", slug: "gseb", state: "GJ", levels: "10+12" },
  { name: "Punjab School Education Board", slug: "pseb", state: "PB", levels: "10+12" },
  { name: "Board of School Education, Haryana", slug: "bseh", state: "HR", levels: "10+12" },
  { name: "Himachal Pradesh Board of School Education", slug: "hpbose", state: "HP", levels: "10+12" },
  { name: "Board of Secondary Education, Odisha", slug: "bseodisha", state: "OD", levels: "10" },
  { name: "Council of Higher Secondary Education, Odisha", slug: "chseodisha", state: "OD", levels: "12" },
  { name: "Board of Secondary Education, Madhya Pradesh", slug: "mpbse", state: "MP", levels: "10+12" },
  { name: "Chhattisgarh Board of Secondary Education", slug: "cgbse", state: "CG", levels: "10+12" },
  { name: "Jharkhand Academic Council", slug: "jac", state: "JH", levels: "10+12" },
  { name: "Board of Secondary Education, Andhra Pradesh", slug: "bseap", state: "AP", levels: "10" },
  { name: "Board of Intermediate Education, Andhra Pradesh", slug: "bieap", state: "AP", levels: "12" },
  { name: "Board of Secondary Education, Telangana", slug: "bsetelangana", state: "TS", levels: "10" },
  { name: "Telangana State Board of Intermediate Education", slug: "tsbie", state: "TS", levels: "12" },
  { name: "Board of Secondary Education, Assam", slug: "seba", state: "AS", levels: "10" },
  { name: "Assam Higher Secondary Education Council", slug: "ahsec", state: "AS", levels: "12" },
  { name: "Goa Board of Secondary and Higher Secondary Education", slug: "gbshse", state: "GA", levels: "10+12" },
  { name: "Uttarakhand Board of School Education", slug: "ubse", state: "UK", levels: "10+12" },
  { name: "Jammu and Kashmir Board of School Education", slug: "jkbose", state: "JK", levels: "10+12" },
  { name: "Board of Secondary Education, Manipur", slug: "bosem", state: "MN", levels: "10" },
  { name: "Meghalaya Board of School Education", slug: "mbose", state: "ML", levels: "10+12" },
  { name: "Mizoram Board of School Education", slug: "mbse", state: "MZ", levels: "10+12" },
  { name: "Nagaland Board of School Education", slug: "nbse", state: "NL", levels: "10+12" },
  { name: "Tripura Board of Secondary Education", slug: "tbse", state: "TR", levels: "10+12" },
];

export interface University extends NamedIssuer {
  /** Run by the central government, a state, or privately (category "Education" alone). */
  owner: "central" | "state" | "private";
}

export const UNIVERSITIES: readonly University[] = [
  { name: "University of Delhi", slug: "du", owner: "central" },
  { name: "Jawaharlal Nehru University, New Delhi", slug: "jnu", owner: "central" },
  { name: "Banaras Hindu University, Varanasi", slug: "bhu", owner: "central" },
  { name: "Aligarh Muslim University", slug: "amu", owner: "central" },
  { name: "Jamia Millia Islamia, New Delhi", slug: "jmi", owner: "central" },
  { name: "University of Hyderabad", slug: "uohyd", owner: "central" },
  { name: "Visva-Bharati, Santiniketan", slug: "visvabharati", owner: "central" },
  { name: "Pondicherry University", slug: "pondiuni", owner: "central" },
  { name: "Indira Gandhi National Open University", slug: "ignou", owner: "central" },
  { name: "Indian Institute of Technology Delhi", slug: "iitd", owner: "central" },
  { name: "Indian Institute of Technology Bombay", slug: "iitb", owner: "central" },
  { name: "Indian Institute of Technology Madras", slug: "iitm", owner: "central" },
  { name: "Indian Institute of Technology Kanpur", slug: "iitk", owner: "central" },
  { name: "Indian Institute of Technology Kharagpur", slug: "iitkgp", owner: "central" },
  { name: "Indian Institute of Technology Roorkee", slug: "iitr", owner: "central" },
  { name: "National Institute of Technology Tiruchirappalli", slug: "nitt", owner: "central" },
  { name: "National Institute of Technology Warangal", slug: "nitw", owner: "central" },
  { name: "University of Mumbai", slug: "mu", owner: "state", state: "MH" },
  { name: "Savitribai Phule Pune University", slug: "unipune", owner: "state", state: "MH" },
  { name: "University of Calcutta", slug: "caluniv", owner: "state", state: "WB" },
  { name: "Anna University, Chennai", slug: "annauniv", owner: "state", state: "TN" },
  { name: "University of Madras", slug: "unom", owner: "state", state: "TN" },
  { name: "Osmania University, Hyderabad", slug: "osmania", owner: "state", state: "TS" },
  { name: "Gujarat University, Ahmedabad", slug: "gujaratuniversity", owner: "state", state: "GJ" },
  { name: "University of Rajasthan, Jaipur", slug: "uniraj", owner: "state", state: "RJ" },
  { name: "Panjab University, Chandigarh", slug: "puchd", owner: "state", state: "CH" },
  { name: "Andhra University, Visakhapatnam", slug: "andhrauniversity", owner: "state", state: "AP" },
  { name: "Bangalore University", slug: "bangaloreuniversity", owner: "state", state: "KA" },
  { name: "University of Kerala, Thiruvananthapuram", slug: "keralauniversity", owner: "state", state: "KL" },
  { name: "Utkal University, Bhubaneswar", slug: "utkaluniversity", owner: "state", state: "OD" },
  { name: "Gauhati University", slug: "gauhati", owner: "state", state: "AS" },
  { name: "Patna University", slug: "patnauniversity", owner: "state", state: "BR" },
  { name: "University of Lucknow", slug: "lkouniv", owner: "state", state: "UP" },
  { name: "Visvesvaraya Technological University, Belagavi", slug: "vtu", owner: "state", state: "KA" },
  { name: "Jawaharlal Nehru Technological University Hyderabad", slug: "jntuh", owner: "state", state: "TS" },
  { name: "Rajasthan Technical University, Kota", slug: "rtu", owner: "state", state: "RJ" },
  { name: "Gujarat Technological University", slug: "gtu", owner: "state", state: "GJ" },
  { name: "Maulana Abul Kalam Azad University of Technology, West Bengal", slug: "makautwb", owner: "state", state: "WB" },
  { name: "Dr. Babasaheb Ambedkar Technological University, Lonere", slug: "dbatu", owner: "state", state: "MH" },
  { name: "Mahatma Gandhi University, Kottayam", slug: "mgu", owner: "state", state: "KL" },
  { name: "Manipal Academy of Higher Education", slug: "manipal", owner: "private", state: "KA" },
  { name: "Amity University, Noida", slug: "amity", owner: "private", state: "UP" },
  { name: "Vellore Institute of Technology", slug: "vit", owner: "private", state: "TN" },
  { name: "Birla Institute of Technology and Science, Pilani", slug: "bitspilani", owner: "private", state: "RJ" },
  { name: "SRM Institute of Science and Technology", slug: "srmist", owner: "private", state: "TN" },
  { name: "Symbiosis International University, Pune", slug: "siu", owner: "private", state: "MH" },
];

export interface CentralBody extends NamedIssuer {
  docTypes: DocTypeCode[];
  /** "Education,Central Government" for examining bodies. */
  education?: boolean;
}

export const CENTRAL_BODIES: readonly CentralBody[] = [
  { name: "Passport Seva, Ministry of External Affairs", slug: "passport", docTypes: ["PSPRT"] },
  { name: "Employees' Provident Fund Organisation", slug: "epfo", docTypes: ["UANCD", "PPORD"] },
  { name: "National Health Authority", slug: "nha", docTypes: ["PMJAY", "ABHAC"] },
  { name: "Election Commission of India", slug: "eci", docTypes: ["EPICD"] },
  { name: "Ministry of Corporate Affairs", slug: "mca", docTypes: ["DINCR"] },
  { name: "Food Safety and Standards Authority of India", slug: "fssai", docTypes: ["FSLIC"] },
  { name: "Goods and Services Tax Network", slug: "gstn", docTypes: ["GSTCR"] },
  { name: "Directorate General of Shipping", slug: "dgshipping", docTypes: ["CDCRD"] },
  { name: "Department of Empowerment of Persons with Disabilities", slug: "swavlambancard", docTypes: ["UDIDC"] },
  { name: "Department of Posts", slug: "indiapost", docTypes: ["POSAC"] },
  { name: "Department of Pension and Pensioners' Welfare", slug: "jeevanpramaan", docTypes: ["DLCER"] },
  { name: "Ministry of Health and Family Welfare (CoWIN)", slug: "cowin", docTypes: ["VACER"] },
  { name: "Department of Agriculture and Farmers Welfare", slug: "soilhealth", docTypes: ["SHCRD"] },
  { name: "Ministry of Labour and Employment (e-Shram)", slug: "eshram", docTypes: ["ESHRM"] },
  { name: "Kendriya Sainik Board", slug: "ksb", docTypes: ["ESMID"] },
  { name: "National Institute of Open Schooling", slug: "nios", docTypes: ["SSCER", "HSCER", "MGCER"], education: true },
  { name: "National Testing Agency", slug: "nta", docTypes: ["NEETS", "JEEMS"], education: true },
  { name: "Directorate General of Training (NCVT)", slug: "ncvt", docTypes: ["ITICR"], education: true },
  { name: "Kendriya Vidyalaya Sangathan", slug: "kvs", docTypes: ["SPCER", "HPCER"], education: true },
  { name: "Navodaya Vidyalaya Samiti", slug: "nvs", docTypes: ["SPCER", "HPCER"], education: true },
];

export interface Insurer extends NamedIssuer {
  kind: "life" | "general" | "health";
  /** Public-sector insurers are listed under Central Government too. */
  publicSector?: boolean;
}

export const INSURERS: readonly Insurer[] = [
  { name: "Life Insurance Corporation of India", slug: "licindia", kind: "life", publicSector: true },
  { name: "The New India Assurance Company Limited", slug: "newindia", kind: "general", publicSector: true },
  { name: "United India Insurance Company Limited", slug: "uiic", kind: "general", publicSector: true },
  { name: "National Insurance Company Limited", slug: "nationalinsurance", kind: "general", publicSector: true },
  { name: "The Oriental Insurance Company Limited", slug: "orientalinsurance", kind: "general", publicSector: true },
  { name: "Agriculture Insurance Company of India", slug: "aicofindia", kind: "general", publicSector: true },
  { name: "HDFC Life Insurance Company Limited", slug: "hdfclife", kind: "life" },
  { name: "ICICI Prudential Life Insurance Company Limited", slug: "iciciprulife", kind: "life" },
  { name: "SBI Life Insurance Company Limited", slug: "sbilife", kind: "life" },
  { name: "Max Life Insurance Company Limited", slug: "maxlife", kind: "life" },
  { name: "Bajaj Allianz Life Insurance Company Limited", slug: "bajajallianzlife", kind: "life" },
  { name: "Tata AIA Life Insurance Company Limited", slug: "tataaia", kind: "life" },
  { name: "Kotak Mahindra Life Insurance Company Limited", slug: "kotaklife", kind: "life" },
  { name: "Aditya Birla Sun Life Insurance Company Limited", slug: "adityabirlasunlife", kind: "life" },
  { name: "PNB MetLife India Insurance Company Limited", slug: "pnbmetlife", kind: "life" },
  { name: "Bajaj Allianz General Insurance Company Limited", slug: "bajajallianz", kind: "general" },
  { name: "ICICI Lombard General Insurance Company Limited", slug: "icicilombard", kind: "general" },
  { name: "HDFC ERGO General Insurance Company Limited", slug: "hdfcergo", kind: "general" },
  { name: "Tata AIG General Insurance Company Limited", slug: "tataaig", kind: "general" },
  { name: "SBI General Insurance Company Limited", slug: "sbigeneral", kind: "general" },
  { name: "IFFCO Tokio General Insurance Company Limited", slug: "iffcotokio", kind: "general" },
  { name: "Cholamandalam MS General Insurance Company Limited", slug: "cholams", kind: "general" },
  { name: "Royal Sundaram General Insurance Company Limited", slug: "royalsundaram", kind: "general" },
  { name: "Go Digit General Insurance Limited", slug: "godigit", kind: "general" },
  { name: "Star Health and Allied Insurance Company Limited", slug: "starhealth", kind: "health" },
  { name: "Care Health Insurance Limited", slug: "careinsurance", kind: "health" },
  { name: "Niva Bupa Health Insurance Company Limited", slug: "nivabupa", kind: "health" },
  { name: "Aditya Birla Health Insurance Company Limited", slug: "adityabirlahealth", kind: "health" },
];
