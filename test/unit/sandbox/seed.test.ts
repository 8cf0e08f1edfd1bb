// seedState (seed/index.ts): the same state on every call, fresh objects each time (uploads and pulls
// change it while a sandbox runs), and exactly the users, folders, documents and clients the shared brief
// and docs/sandbox.md promise.
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadSandboxKeys } from "../../../src/sandbox/keys.js";
import { seedState } from "../../../src/sandbox/seed/index.js";
import { sandboxSettingsSchema } from "../../../src/sandbox/settings.js";
import type { FolderNode, SandboxState } from "../../../src/sandbox/state.js";

const keys = loadSandboxKeys();
const settings = sandboxSettingsSchema.parse({});
const state = seedState(settings, keys);

const AJIT = "123e4567-e89b-12d3-a456-426655440000";
const PRIYA = "6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f";
const RAHUL = "0b7e3d52-1c4a-4f6e-8d2b-7a9c5e1f3b20";
const ASHA = "c3d4e5f6-a7b8-4c9d-8e0f-112233445566";

const issuedOf = (s: SandboxState, id: string) => s.issued.filter((d) => d.ownerId === id);
const uploadsOf = (s: SandboxState, id: string) => s.uploads.filter((u) => u.ownerId === id);
const foldersOf = (s: SandboxState, id: string) => [...s.folders.values()].filter((f) => f.ownerId === id);
const rootOf = (s: SandboxState, id: string): FolderNode => {
  const roots = foldersOf(s, id).filter((f) => f.parentId === null);
  expect(roots).toHaveLength(1);
  return roots[0]!;
};

function depth(s: SandboxState, folder: FolderNode): number {
  return folder.parentId === null ? 0 : 1 + depth(s, s.folders.get(folder.parentId)!);
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("determinism", () => {
  it("two calls give deep-equal states", () => {
    expect(seedState(settings, keys)).toEqual(state);
  });

  it("does not depend on the clock or Math.random", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2031-02-03T04:05:06Z"));
    vi.spyOn(Math, "random").mockReturnValue(0.999);
    expect(seedState(settings, keys)).toEqual(state);
  });

  it("returns fresh collections each time, so one sandbox's uploads never reach another", () => {
    const a = seedState(settings, keys);
    const b = seedState(settings, keys);
    a.uploads.push({ ...a.uploads[0]!, name: "new.pdf" });
    a.issued.pop();
    a.folders.get("5678")!.name = "Renamed";
    a.users.get(AJIT)!.name = "Changed";
    a.issuers[0]!.docTypes.pop();
    expect(b).toEqual(state);
  });

  it("starts with no sign-ins, codes or tokens", () => {
    for (const map of [state.authRequests, state.grants, state.codes, state.accessTokens, state.refreshTokens]) expect(map.size).toBe(0);
  });
});

describe("users", () => {
  it("are exactly the four seeded users", () => {
    expect([...state.users.keys()].sort()).toEqual([AJIT, PRIYA, RAHUL, ASHA].sort());
    expect(state.users.get(AJIT)).toMatchObject({
      username: "ajit.kumar",
      name: "Ajit Kumar",
      dob: "31121970",
      gender: "M",
      mobile: "9876543210",
      aadhaar: "999999990019",
      pan: "ABCDE1234F",
      drivingLicence: "DL0120230100001",
      referenceKey: "2a33349e7e606a8ad2e30e3c84521f9377450cf09083e162e0a9b1480ce0f972",
    });
    expect(state.users.get(PRIYA)).toMatchObject({ name: "Priya Sharma", gender: "F", dob: "15081992", mobile: "9123456780", aadhaar: "999999990026" });
    expect(state.users.get(RAHUL)).toMatchObject({ name: "Rahul Verma", gender: "M", dob: "01011985", mobile: "9000000001", aadhaar: null });
    expect(state.users.get(ASHA)).toMatchObject({ name: "Asha Devi", gender: "T", dob: "10101975", mobile: "9000000002", aadhaar: "999999990035" });
    for (const user of state.users.values()) {
      expect(user.digilockerId).toHaveLength(36);
      expect(user.referenceKey).toMatch(/^[0-9a-f]{64}$/);
      expect(user.email).toMatch(/@example\.com$/);
      expect(user.persona.length).toBeGreaterThan(10);
      expect(user.username).toMatch(/^[a-z]+\.[a-z]+$/);
    }
  });

  it("have e-Aadhaar XML for Ajit and Priya only (Rahul: not linked; Asha: linked, not available)", () => {
    expect(state.users.get(AJIT)!.eAadhaarXml).toContain('uid="xxxxxxxx0019"');
    expect(state.users.get(PRIYA)!.eAadhaarXml).toContain('uid="xxxxxxxx0026"');
    expect(state.users.get(PRIYA)!.eAadhaarXml).toContain('<Poi dob="15-08-1992" gender="F" name="Priya Sharma"/>');
    expect(state.users.get(RAHUL)!.eAadhaarXml).toBeNull();
    expect(state.users.get(ASHA)!.eAadhaarXml).toBeNull();
  });
});

describe("issued documents", () => {
  it("Ajit holds the spec's sample documents, PAN, driving licence and one from the offline issuer", () => {
    const docs = issuedOf(state, AJIT);
    expect(docs.map((d) => [d.uri, d.xml !== null])).toEqual([
      ["in.gov.cbse-HSCER-201412345678", true],
      ["in.gov.delhi-INCER-98765432", true],
      ["in.gov.pan-PANCR-ABCDE1234F", true],
      ["in.gov.transport-DRVLC-DL0120230100001", false],
      ["in.gov.sandbox.offline-OFCER-0001", true],
    ]);
    expect(docs[0]).toMatchObject({
      name: "Class XII Marksheet",
      doctype: "HSCER",
      description: "Class XII Marksheet",
      issuerid: "in.gov.cbse",
      issuer: "Central Board of Secondary Education, Delhi",
      date: "2015-05-12T15:50:38Z",
    });
    expect(docs[1]).toMatchObject({ name: "Income Certificate", issuer: "Delhi eDistrict", date: "2015-05-12T15:50:38Z" });
  });

  it("Priya holds 12 documents from at least 8 issuers; Asha 2; Rahul none", () => {
    const priya = issuedOf(state, PRIYA);
    expect(priya).toHaveLength(12);
    expect(new Set(priya.map((d) => d.issuerid)).size).toBeGreaterThanOrEqual(8);
    expect(issuedOf(state, ASHA)).toHaveLength(2);
    expect(issuedOf(state, RAHUL)).toHaveLength(0);
  });

  it("each is a catalogue doctype, with a URI of issuerid-doctype-number, a PDF, and XML where listed", () => {
    const uris = new Set<string>();
    for (const doc of state.issued) {
      const issuer = state.issuers.find((i) => i.issuerid === doc.issuerid);
      const docType = issuer?.docTypes.find((d) => d.doctype === doc.doctype);
      expect(docType, doc.uri).toBeDefined();
      expect(doc.uri.startsWith(`${doc.issuerid}-${doc.doctype}-`)).toBe(true);
      expect(doc.uri.slice(`${doc.issuerid}-${doc.doctype}-`.length)).toMatch(/^[A-Z0-9]+$/);
      expect(doc).toMatchObject({ name: docType!.description, description: docType!.description, issuer: issuer!.name });
      expect(Number.isNaN(Date.parse(doc.date))).toBe(false);
      expect(doc.pdf.subarray(0, 8).toString("latin1")).toBe("%PDF-1.4");
      if (doc.xml !== null) expect(doc.xml).toContain(`type="${doc.doctype}"`);
      expect(uris.has(`${doc.ownerId} ${doc.uri}`)).toBe(false);
      uris.add(`${doc.ownerId} ${doc.uri}`);
    }
  });
});

describe("folders and uploads", () => {
  it("Ajit: root 1234 › My Documents 5678 › Education 5679 › degree.pdf; myfile.pdf and photo.jpg at the root", () => {
    const root = rootOf(state, AJIT);
    expect(root.id).toBe("1234");
    expect(state.folders.get("5678")).toMatchObject({ ownerId: AJIT, name: "My Documents", parentId: "1234" });
    expect(state.folders.get("5679")).toMatchObject({ ownerId: AJIT, name: "Education", parentId: "5678" });
    const uploads = uploadsOf(state, AJIT);
    expect(uploads.map((u) => [u.folderId, u.name, u.mime])).toEqual([
      ["1234", "myfile.pdf", "application/pdf"],
      ["1234", "photo.jpg", "image/jpeg"],
      ["5679", "degree.pdf", "application/pdf"],
    ]);
    expect(uploads[0]).toMatchObject({ uri: "in.gov.digilocker-OTHER-39491058586222", description: "Income Certificate", date: "2015-05-12T15:50:38Z" });
    expect(state.folders.get("5678")!.date).toBe("2015-05-12T15:50:38Z");
  });

  it("Priya has a few uploads, Rahul an empty root, Asha folders three levels deep with a file at the bottom", () => {
    expect(uploadsOf(state, PRIYA).length).toBeGreaterThanOrEqual(2);
    const rahulRoot = rootOf(state, RAHUL);
    expect(foldersOf(state, RAHUL)).toEqual([rahulRoot]);
    expect(uploadsOf(state, RAHUL)).toEqual([]);
    const deepest = Math.max(...foldersOf(state, ASHA).map((f) => depth(state, f)));
    expect(deepest).toBe(3);
    const bottom = foldersOf(state, ASHA).find((f) => depth(state, f) === 3)!;
    expect(uploadsOf(state, ASHA).some((u) => u.folderId === bottom.id)).toBe(true);
  });

  it("every folder's parent and every upload's folder belong to the same user; ids and URIs are unique", () => {
    for (const folder of state.folders.values()) {
      if (folder.parentId !== null) expect(state.folders.get(folder.parentId)?.ownerId, folder.id).toBe(folder.ownerId);
    }
    for (const user of state.users.values()) rootOf(state, user.digilockerId);
    for (const upload of state.uploads) {
      expect(state.folders.get(upload.folderId)?.ownerId, upload.name).toBe(upload.ownerId);
      expect(upload.uri).toMatch(/^in\.gov\.digilocker-OTHER-\d{14}$/);
    }
    expect(new Set(state.uploads.map((u) => u.uri)).size).toBe(state.uploads.length);
  });

  it("have real bytes matching their mime type", () => {
    const magic: Record<string, number[]> = {
      "application/pdf": [0x25, 0x50, 0x44, 0x46],
      "image/jpeg": [0xff, 0xd8, 0xff],
      "image/png": [0x89, 0x50, 0x4e, 0x47],
    };
    expect(new Set(state.uploads.map((u) => u.mime))).toEqual(new Set(Object.keys(magic)));
    for (const upload of state.uploads) {
      const expected = magic[upload.mime]!;
      expect([...upload.data.subarray(0, expected.length)], upload.name).toEqual(expected);
    }
  });
});

describe("clients", () => {
  /** Every doctype of the seeded catalogue, sorted. */
  const CATALOGUE_DOCTYPES = [
    "ABHAC", "BTCER", "CDCRD", "CRPOL", "CSCER", "DGCER", "DINCR", "DLCER", "DOMCR", "DPCER",
    "DRVLC", "DTCER", "EPICD", "ESHRM", "ESMID", "EWSCR", "FSLIC", "GSTCR", "HLPOL", "HMPOL",
    "HPCER", "HSCER", "INCER", "ITICR", "JEEMS", "LIPOL", "MGCER", "MRKSH", "MTPOL", "NEETS",
    "OFCER", "PANCR", "PDCER", "PMJAY", "POSAC", "PPORD", "PSPRT", "RATCR", "RESCR", "RVCER",
    "SBCER", "SHCRD", "SPCER", "SSCER", "TRPOL", "UANCD", "UDIDC", "ULPOL", "VACER",
  ];

  it("are the configured client (issuer in.gov.sandbox) and SANDBOX2 (not an issuer)", () => {
    expect([...state.clients.keys()].sort()).toEqual(["SANDBOX1", "SANDBOX2"]);
    expect(state.clients.get("SANDBOX1")).toEqual({
      id: "SANDBOX1",
      secret: "sandbox-client-secret",
      name: "Sandbox partner",
      redirectUris: settings.redirectUris,
      issuerId: "in.gov.sandbox",
      approvedDocTypes: CATALOGUE_DOCTYPES,
    });
    expect(state.clients.get("SANDBOX2")).toMatchObject({
      secret: "sandbox-second-secret",
      redirectUris: settings.redirectUris,
      issuerId: null,
      approvedDocTypes: ["DRVLC", "PANCR"],
    });
  });

  it("approve by default every doctype of every issuer Pull serves, the offline one's too, once each and sorted (spec 131)", () => {
    const catalogue = new Set(state.issuers.flatMap((i) => i.docTypes.map((d) => d.doctype)));
    expect(new Set(CATALOGUE_DOCTYPES)).toEqual(catalogue);
    expect(CATALOGUE_DOCTYPES).toContain("OFCER");
    // Every SANDBOX2 doctype is in the catalogue, so req_doctype for it passes the "no issuer" check first.
    expect(state.clients.get("SANDBOX2")?.approvedDocTypes.every((d) => catalogue.has(d))).toBe(true);
    // Fresh arrays per seed: approving another doctype at run time touches one sandbox only.
    expect(seedState(settings, keys).clients.get("SANDBOX1")?.approvedDocTypes).not.toBe(state.clients.get("SANDBOX1")?.approvedDocTypes);
  });

  it("take the primary client's id, secret and redirect URIs from the settings", () => {
    const custom = sandboxSettingsSchema.parse({ clientId: "MYAPP", clientSecret: "a-long-secret", redirectUris: ["https://app.example/cb"] });
    const clients = seedState(custom, keys).clients;
    expect(clients.get("MYAPP")).toMatchObject({ secret: "a-long-secret", redirectUris: ["https://app.example/cb"], issuerId: "in.gov.sandbox" });
    expect(clients.get("SANDBOX2")?.redirectUris).toEqual(["https://app.example/cb"]);
  });
});
