// The issuer catalogue (spec: "Get List of Issuers"): the fixed issuers that docs and tests name, at fixed
// orgids, then a generated catalogue at the real service's scale: every state's revenue, transport and
// food departments, school boards, universities, central bodies and insurers.
import type { DocTypeSeed, IssuerSeed } from "../state.js";
import { BOARDS, CENTRAL_BODIES, INSURERS, STATES, UNIVERSITIES } from "./catalogue-data.js";
import { instantiate, type DocTypeCode, type IssuerContext } from "./doctypes.js";
import { rngFor, type Rng } from "./random.js";

export const CATEGORIES = ["Central Government", "State Government", "Education", "Insurance"] as const;

/** Orgids that docs/sandbox.md and tests rely on. */
export const ORGIDS = {
  cbse: "000018",
  incomeTax: "000100",
  transport: "000110",
  delhi: "000120",
  aktu: "000201",
  sandbox: "000900",
  offline: "000999",
} as const;

interface IssuerDraft {
  issuerid: string;
  name: string;
  category: string;
  description?: string;
  codes: DocTypeCode[];
  ctx?: IssuerContext;
  /** Examples to use instead of drawn ones, by doctype then paramname. */
  examples?: Partial<Record<DocTypeCode, Record<string, string>>>;
}

function describe(name: string, docTypes: DocTypeSeed[]): string {
  const names = docTypes.map((d) => d.description);
  const list = names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1) ?? ""}` : (names[0] ?? "");
  return `${name} issues ${list} through DigiLocker. Residents can pull them into their DigiLocker accounts.`;
}

function build(orgid: string, draft: IssuerDraft): IssuerSeed {
  const rng = rngFor(draft.issuerid);
  const ctx = draft.ctx ?? { stateCode: null };
  const docTypes = draft.codes.map((code) => {
    const docType = instantiate(code, rng, ctx);
    const fixed = draft.examples?.[code] ?? {};
    for (const name of Object.keys(fixed)) {
      if (!docType.parameters.some((p) => p.paramname === name)) throw new Error(`${draft.issuerid} ${code}: no parameter ${name}`);
    }
    for (const p of docType.parameters) {
      const example = fixed[p.paramname];
      if (example === undefined) continue;
      if (p.valuelist !== null && !p.valuelist.split(",").includes(example)) {
        throw new Error(`${draft.issuerid} ${code}: example ${example} is not in ${p.paramname}'s valuelist`);
      }
      p.example = example;
    }
    return docType;
  });
  return {
    orgid,
    issuerid: draft.issuerid,
    name: draft.name,
    category: draft.category,
    description: draft.description ?? describe(draft.name, docTypes),
    docTypes,
    offline: false,
  };
}

function fixedIssuers(): IssuerSeed[] {
  const cbseExamples = { year: "2014", rollno: "12345678" };
  return [
    build(ORGIDS.cbse, {
      issuerid: "in.gov.cbse",
      name: "Central Board of Secondary Education, Delhi",
      category: "Education,Central Government",
      // The spec's sample description (Get List of Issuers), its line breaks joined.
      description:
        "CBSE (http://www.cbse.nic.in/) is issuing marksheets, passing certificates, migration certificates etc. " +
        "through DigiLocker. These are either pushed, or can be pulled by students into their DigiLocker accounts.",
      codes: ["HSCER", "SSCER", "MGCER"],
      examples: { HSCER: cbseExamples, SSCER: cbseExamples, MGCER: cbseExamples },
    }),
    build(ORGIDS.incomeTax, {
      issuerid: "in.gov.pan",
      name: "Income Tax Department",
      category: "Central Government",
      codes: ["PANCR"],
      examples: { PANCR: { panno: "ABCDE1234F" } },
    }),
    build(ORGIDS.transport, {
      issuerid: "in.gov.transport",
      name: "Ministry of Road Transport and Highways",
      category: "Central Government",
      codes: ["DRVLC", "RVCER"],
      ctx: { stateCode: "DL" },
      examples: {
        DRVLC: { dlno: "DL0120230100001", dob: "31-12-1970" },
        RVCER: { regno: "DL01AB1234", chasis: "AB123" },
      },
    }),
    build(ORGIDS.delhi, {
      issuerid: "in.gov.delhi",
      name: "Delhi eDistrict",
      category: "State Government",
      codes: ["INCER", "BTCER", "DOMCR"],
      ctx: { stateCode: "DL" },
      examples: {
        INCER: { certno: "98765432" },
        BTCER: { regno: "2015000123", regyear: "2015" },
        DOMCR: { certno: "5566778899" },
      },
    }),
    build(ORGIDS.aktu, {
      issuerid: "in.gov.aktu",
      name: "APJ Abdul Kalam Technical University, UP",
      category: "Education,State Government",
      description:
        "APJ Abdul Kalam Technical University, Uttar Pradesh provides the mark sheets and degree certificates of " +
        "various technical programs.",
      codes: ["DGCER", "MRKSH"],
      ctx: { stateCode: "UP" },
      examples: {
        DGCER: { year: "2016", enrolno: "1600270100045" },
        MRKSH: { year: "2016", enrolno: "1600270100045", semester: "8" },
      },
    }),
    ...sandboxIssuers(),
  ];
}

/**
 * The sandbox's own issuers, written out whole. in.gov.sandbox is the primary client's issuer id (so it may
 * call Push URI); in.gov.sandbox.offline is a repository that is always down.
 */
function sandboxIssuers(): IssuerSeed[] {
  return [
    {
      orgid: ORGIDS.sandbox,
      issuerid: "in.gov.sandbox",
      name: "DigiLocker Sandbox Issuer",
      category: "Central Government",
      description:
        "The sandbox's own issuer, for trying Pull and Push URI. Its certificates are test data with no legal value.",
      docTypes: [
        {
          doctype: "SBCER",
          description: "Sandbox Test Certificate",
          parameters: [
            { label: "Year", paramname: "year", valuelist: "2020,2021,2022,2023,2024,2025", example: "2024" },
            { label: "Certificate Number", paramname: "certno", valuelist: null, example: "SB0001" },
          ],
        },
      ],
      offline: false,
    },
    {
      orgid: ORGIDS.offline,
      issuerid: "in.gov.sandbox.offline",
      name: "Sandbox Offline Issuer",
      category: "Central Government",
      description:
        "An issuer whose repository is always down: pulls answer repository_service_configerror and reading its " +
        "documents answers 530.",
      docTypes: [
        {
          doctype: "OFCER",
          description: "Offline Issuer Certificate",
          parameters: [{ label: "Certificate Number", paramname: "certno", valuelist: null, example: "0001" }],
        },
      ],
      offline: true,
    },
  ];
}

/** `count` more codes from `optional`, drawn with the issuer's stream, after the ones every such issuer has. */
function some(rng: Rng, always: DocTypeCode[], optional: DocTypeCode[], min: number, max: number): DocTypeCode[] {
  return [...always, ...rng.sample(optional, rng.int(min, max))];
}

function generatedDrafts(): IssuerDraft[][] {
  const states: IssuerDraft[] = STATES.flatMap((s) => {
    const rng = rngFor(`state:${s.slug}`);
    const ctx = { stateCode: s.code };
    const revenue: IssuerDraft = {
      issuerid: `in.gov.${s.slug}.revenue`,
      name: `Revenue Department, Government of ${s.name}`,
      category: "State Government",
      codes: some(rng, ["INCER", "CSCER", "DOMCR"], ["BTCER", "DTCER", "RESCR", "EWSCR"], 1, 3),
      ctx,
    };
    const rest: IssuerDraft[] = [
      {
        issuerid: `in.gov.${s.slug}.transport`,
        name: `Transport Department, Government of ${s.name}`,
        category: "State Government",
        codes: ["DRVLC", "RVCER"],
        ctx,
      },
      {
        issuerid: `in.gov.${s.slug}.food`,
        name: `Department of Food and Civil Supplies, ${s.name}`,
        category: "State Government",
        codes: ["RATCR"],
        ctx,
      },
    ];
    // Delhi's certificates come from the fixed Delhi eDistrict issuer (000120).
    return s.slug === "delhi" ? rest : [revenue, ...rest];
  });

  const boards: IssuerDraft[] = BOARDS.map((b) => {
    const rng = rngFor(`board:${b.slug}`);
    const codes: DocTypeCode[] =
      b.levels === "10"
        ? ["SSCER", "SPCER", "MGCER"]
        : b.levels === "12"
          ? ["HSCER", "HPCER", "MGCER"]
          : some(rng, ["SSCER", "HSCER"], ["SPCER", "HPCER", "MGCER"], 1, 2);
    return {
      issuerid: `in.gov.${b.slug}`,
      name: b.name,
      category: b.state === undefined ? "Education" : "Education,State Government",
      codes,
      ctx: { stateCode: b.state ?? null },
    };
  });

  const universities: IssuerDraft[] = UNIVERSITIES.map((u) => {
    const rng = rngFor(`university:${u.slug}`);
    return {
      issuerid: `in.ac.${u.slug}`,
      name: u.name,
      category: { central: "Education,Central Government", state: "Education,State Government", private: "Education" }[u.owner],
      codes: u.owner === "private" ? ["DGCER", "PDCER"] : some(rng, ["DGCER"], ["PDCER", "MRKSH", "MGCER", "DPCER"], 1, 3),
      ctx: { stateCode: u.state ?? null },
    };
  });

  const central: IssuerDraft[] = CENTRAL_BODIES.map((c) => ({
    issuerid: `in.gov.${c.slug}`,
    name: c.name,
    category: c.education === true ? "Education,Central Government" : "Central Government",
    codes: c.docTypes,
  }));

  const insurers: IssuerDraft[] = INSURERS.map((i) => {
    const rng = rngFor(`insurer:${i.slug}`);
    const codes: DocTypeCode[] =
      i.slug === "aicofindia"
        ? ["CRPOL"]
        : i.kind === "life"
          ? some(rng, ["LIPOL"], ["ULPOL"], 0, 1)
          : i.kind === "health"
            ? some(rng, ["HLPOL"], ["TRPOL"], 0, 1)
            : some(rng, ["HLPOL", "MTPOL"], ["HMPOL", "TRPOL"], 1, 2);
    return {
      issuerid: `in.co.${i.slug}`,
      name: i.name,
      category: i.publicSector === true ? "Insurance,Central Government" : "Insurance",
      codes,
    };
  });

  return [states, boards, universities, central, insurers];
}

/** The whole catalogue, ordered by orgid. Generated groups take orgids 001001…, 002001…, and so on. */
export function buildCatalogue(): IssuerSeed[] {
  const generated = generatedDrafts().flatMap((group, g) =>
    group.map((draft, i) => build(String((g + 1) * 1000 + i + 1).padStart(6, "0"), draft)),
  );
  return [...fixedIssuers(), ...generated].sort((a, b) => a.orgid.localeCompare(b.orgid));
}
