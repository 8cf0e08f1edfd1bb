// The viewer's uploaded documents over real HTTP: the folder tree, node(id) and folder(id) round trips,
// another user's folder, pagination, and the listings each costs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AJIT, PRIYA, RAHUL, startTestGateway, type TestGateway } from "../../helpers/gateway.js";

interface FolderView {
  id: string;
  folderId: string | null;
  name: string;
  path: string;
}

const FOLDER_FIELDS = `id folderId name path`;
const NODE = `query ($id: ID!) { node(id: $id) { __typename id ... on Folder { ${FOLDER_FIELDS} parent { ${FOLDER_FIELDS} parent { ${FOLDER_FIELDS} parent { id } } } } } }`;

describe("folders", () => {
  let t: TestGateway;
  let ajit: string;
  beforeAll(async () => {
    t = await startTestGateway();
    ajit = t.token(AJIT);
  });
  afterAll(async () => { await t.close(); });

  it("lists the root's items in DigiLocker's order, folders and files in one connection", async () => {
    t.gateway.upstreamCalls.reset();
    const res = await t.query(
      `{ viewer { rootFolder { ${FOLDER_FIELDS} parent { id } items {
          totalCount
          pageInfo { hasNextPage hasPreviousPage }
          edges { node { __typename
            ... on Folder { folderId name path }
            ... on UploadedFile { name uri size date mimeTypes description } } } } } } }`,
      { token: ajit },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      viewer: {
        rootFolder: {
          id: expect.any(String) as unknown,
          folderId: "1234",
          name: "",
          path: "/",
          parent: null,
          items: {
            totalCount: 3,
            pageInfo: { hasNextPage: false, hasPreviousPage: false },
            edges: [
              { node: { __typename: "Folder", folderId: "5678", name: "My Documents", path: "/My Documents" } },
              {
                node: {
                  __typename: "UploadedFile",
                  name: "myfile.pdf",
                  uri: "in.gov.digilocker-OTHER-39491058586222",
                  size: expect.any(Number) as unknown,
                  date: expect.stringMatching(/Z$/) as unknown,
                  mimeTypes: ["application/pdf"],
                  description: "Income Certificate",
                },
              },
              {
                node: expect.objectContaining({ __typename: "UploadedFile", name: "photo.jpg", mimeTypes: ["image/jpeg"] }) as unknown,
              },
            ],
          },
        },
      },
    });
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "files.uploaded": 1 });
  });

  it("walks root → My Documents → Education → degree.pdf, one listing per folder", async () => {
    t.gateway.upstreamCalls.reset();
    type R = {
      viewer: {
        rootFolder: {
          folders: (FolderView & {
            folders: (FolderView & { files: { name: string; uri: string; mimeTypes: string[] }[]; parent: { name: string } })[];
          })[];
        };
      };
    };
    const res = await t.query<R>(
      `{ viewer { rootFolder { folders { ${FOLDER_FIELDS} folders { ${FOLDER_FIELDS} parent { name } files { name uri mimeTypes } } } } } }`,
      { token: ajit },
    );
    expect(res.errors).toBeUndefined();
    const [myDocuments] = res.data!.viewer.rootFolder.folders;
    expect(myDocuments).toMatchObject({ folderId: "5678", name: "My Documents", path: "/My Documents" });
    expect(myDocuments!.folders).toEqual([
      {
        id: expect.any(String) as unknown,
        folderId: "5679",
        name: "Education",
        path: "/My Documents/Education",
        parent: { name: "My Documents" },
        files: [{ name: "degree.pdf", uri: expect.any(String) as unknown, mimeTypes: ["application/pdf"] }],
      },
    ]);
    // root, My Documents, Education; the parent was known from the way down.
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "files.uploaded": 3 });
  });

  it("round-trips a Folder through node(id): one listing, and the parent found by walking the path", async () => {
    const tree = await t.query<{ viewer: { rootFolder: { id: string; folders: { id: string; folders: { id: string }[] }[] } } }>(
      `{ viewer { rootFolder { id folders { id folders { id } } } } }`,
      { token: ajit },
    );
    const root = tree.data!.viewer.rootFolder;
    const education = root.folders[0]!.folders[0]!;

    t.gateway.upstreamCalls.reset();
    const bare = await t.query(`query ($id: ID!) { node(id: $id) { id ... on Folder { folderId name path } } }`, {
      token: ajit,
      variables: { id: education.id },
    });
    expect(bare.data).toEqual({ node: { id: education.id, folderId: "5679", name: "Education", path: "/My Documents/Education" } });
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "files.uploaded": 1 });

    t.gateway.upstreamCalls.reset();
    const res = await t.query(NODE, { token: ajit, variables: { id: education.id } });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      node: {
        __typename: "Folder",
        id: education.id,
        folderId: "5679",
        name: "Education",
        path: "/My Documents/Education",
        parent: {
          id: root.folders[0]!.id,
          folderId: "5678",
          name: "My Documents",
          path: "/My Documents",
          parent: { id: root.id, folderId: "1234", name: "", path: "/", parent: null },
        },
      },
    });
    // Education's own listing, then the root's to find My Documents (whose parent, the root, is then known).
    expect(t.gateway.upstreamCalls.snapshot()).toEqual({ "files.uploaded": 2 });

    const rootAgain = await t.query(`query ($id: ID!) { node(id: $id) { id ... on Folder { path parent { id } } } }`, {
      token: ajit,
      variables: { id: root.id },
    });
    expect(rootAgain.data).toEqual({ node: { id: root.id, path: "/", parent: null } });
  });

  it("finds a folder by DigiLocker id or by global id, with one id however it was reached", async () => {
    type R = { viewer: { folder: FolderView | null; rootFolder: { id: string } } };
    const byDigiLockerId = await t.query<R>(`{ viewer { folder(id: "5679") { ${FOLDER_FIELDS} } rootFolder { id } } }`, {
      token: ajit,
    });
    expect(byDigiLockerId.errors).toBeUndefined();
    const education = byDigiLockerId.data!.viewer.folder!;
    expect(education).toMatchObject({ folderId: "5679", name: "Education", path: "/My Documents/Education" });

    const byGlobalId = await t.query<R, { id: string }>(`query ($id: ID!) { viewer { folder(id: $id) { ${FOLDER_FIELDS} } rootFolder { id } } }`, {
      token: ajit,
      variables: { id: education.id },
    });
    expect(byGlobalId.data!.viewer.folder).toEqual(education);

    // The root listed by its DigiLocker id is the same node as rootFolder.
    const rootById = await t.query<R>(`{ viewer { folder(id: "1234") { ${FOLDER_FIELDS} } rootFolder { id } } }`, { token: ajit });
    expect(rootById.data!.viewer.folder).toEqual({
      id: rootById.data!.viewer.rootFolder.id,
      folderId: "1234",
      name: "",
      path: "/",
    });
  });

  it("answers NOT_FOUND for another user's folder, by DigiLocker id or by node(id)", async () => {
    const res = await t.query(`{ viewer { name folder(id: "2101") { name } } }`, { token: ajit });
    expect(res.data).toEqual({ viewer: { name: "Ajit Kumar", folder: null } });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({
      path: ["viewer", "folder"],
      extensions: { code: "NOT_FOUND", reason: "invalid_id" },
    });

    const priya = t.token(PRIYA);
    const theirs = await t.query<{ viewer: { folder: { id: string } } }>(`{ viewer { folder(id: "2101") { id name } } }`, {
      token: priya,
    });
    expect(theirs.data!.viewer.folder).toMatchObject({ name: "Certificates" });
    const viaNode = await t.query(`query ($id: ID!) { node(id: $id) { id } }`, {
      token: ajit,
      variables: { id: theirs.data!.viewer.folder.id },
    });
    expect(viaNode.data).toEqual({ node: null });
    expect(viaNode.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND" });
  });

  it("pages through a folder's items with cursors", async () => {
    type Page = { viewer: { rootFolder: { items: { edges: { cursor: string; node: { name: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } } };
    const page = `query ($after: String) { viewer { rootFolder { items(first: 2, after: $after) {
      edges { cursor node { ... on Folder { name } ... on UploadedFile { name } } } pageInfo { hasNextPage endCursor } } } } }`;
    const first = await t.query<Page>(page, { token: ajit });
    expect(first.data!.viewer.rootFolder.items.edges.map((e) => e.node.name)).toEqual(["My Documents", "myfile.pdf"]);
    expect(first.data!.viewer.rootFolder.items.pageInfo.hasNextPage).toBe(true);
    const second = await t.query<Page, { after: string }>(page, {
      token: ajit,
      variables: { after: first.data!.viewer.rootFolder.items.pageInfo.endCursor },
    });
    expect(second.data!.viewer.rootFolder.items.edges.map((e) => e.node.name)).toEqual(["photo.jpg"]);
    expect(second.data!.viewer.rootFolder.items.pageInfo.hasNextPage).toBe(false);
  });

  it("refuses bad page sizes, cursors and ids as BAD_USER_INPUT", async () => {
    t.gateway.upstreamCalls.reset();
    for (const args of [`first: 0`, `first: -1`, `last: 101`, `after: "not-a-cursor"`, `before: "T2Zmc2V0Q29ubmVjdGlvbjp4"`]) {
      const res = await t.query(`{ viewer { rootFolder { items(${args}) { totalCount } } } }`, { token: ajit });
      expect(res.errors?.[0]?.extensions, args).toMatchObject({ code: "BAD_USER_INPUT" });
    }
    // Refused before any listing is read.
    expect(t.gateway.upstreamCalls.total()).toBe(0);
    const docs = await t.query<{ viewer: { issuedDocuments: { id: string }[] } }>(`{ viewer { issuedDocuments { id } } }`, {
      token: ajit,
    });
    const notAFolder = await t.query(`query ($id: ID!) { viewer { folder(id: $id) { name } } }`, {
      token: ajit,
      variables: { id: docs.data!.viewer.issuedDocuments[0]!.id },
    });
    expect(notAFolder.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
    const blank = await t.query(`{ viewer { folder(id: " ") { name } } }`, { token: ajit });
    expect(blank.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
  });

  it("shows an empty root (Rahul) with no DigiLocker id to reveal", async () => {
    const res = await t.query(`{ viewer { rootFolder { folderId name path items { totalCount edges { cursor } } folders { name } files { name } } } }`, {
      token: t.token(RAHUL),
    });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      viewer: { rootFolder: { folderId: null, name: "", path: "/", items: { totalCount: 0, edges: [] }, folders: [], files: [] } },
    });
  });
});
