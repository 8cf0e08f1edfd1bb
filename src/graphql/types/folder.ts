// The viewer's self-uploaded documents (spec: Get List of Self Uploaded Documents): Folder, UploadedFile,
// the FolderItem union, and `User.rootFolder` / `User.folder(id)`.
//
// DigiLocker has no "get folder" call. A folder is known from its parent's listing (its id, name and
// parent id) or from its own listing (its `directory`, i.e. its path, and its contents). Hence:
// - The global id encodes DigiLocker's folder id only ("/" for the root, which DigiLocker lists without an
//   id), so a folder has one id however it was reached (Relay clients normalise by id) and `node(id)` costs
//   one listing: name and path come from the listing's `directory`.
// - The parent is not in the id. A folder reached through its parent's listing carries the parent along
//   (free); one reached by id alone finds its parent by walking its path from the root, one listing per
//   level above the parent, and only when `parent` is asked for.
import { GraphQLError } from "graphql";
import { completeValue, PothosValidationError } from "@pothos/core";
import { cursorToOffset, decodeGlobalID, resolveArrayConnection } from "@pothos/plugin-relay";
import { z } from "zod";
import type { UserAccess } from "../../auth/user-access.js";
import type { FolderListing, UploadedItem } from "../../digilocker/index.js";
import { builder } from "../builder.js";
import { cost } from "../cost.js";
import type { Context } from "../context.js";
import { requireViewer } from "../loaders.js";
import { UserRef } from "./user.js";

/** The local part of the root folder's global id: DigiLocker folder ids are path segments, never "/". */
const ROOT = "/";

export interface FolderModel {
  readonly kind: "FOLDER";
  /** Whose locker: the viewer's, or a consent request's user. */
  readonly owner: UserAccess;
  /** DigiLocker's folder id; null for the root listed without one. */
  readonly folderId: string | null;
  /** Known when reached through the parent's listing; otherwise read from the folder's own listing. */
  readonly name?: string;
  readonly path?: string;
  /** The parent when known (null: this is the root); undefined: found by walking the path on demand. */
  readonly parent?: FolderModel | null;
}

/** An uploaded file as DigiLocker lists it (`kind` "FILE"). */
export type UploadedFileModel = UploadedItem;

function rootFolder(owner: UserAccess): FolderModel {
  return { kind: "FOLDER", owner, folderId: null, name: "", path: "/", parent: null };
}

function listing(folder: FolderModel, ctx: Context): Promise<FolderListing> {
  return ctx.loaders.user(folder.owner).folder(folder.folderId ?? "");
}

/** "/" or "/My Documents/Education": trimmed, one leading slash, no trailing one. */
function normalisePath(directory: string): string {
  const names = directory.split("/").map((s) => s.trim()).filter((s) => s !== "");
  return `/${names.join("/")}`;
}

function childPath(path: string, name: string): string {
  return path === "/" ? `/${name}` : `${path}/${name}`;
}

// What a folder reached through its parent already knows (path, name, parent, id) is answered without a
// promise: these fields resolve once per item of a listing.

function pathOf(folder: FolderModel, ctx: Context): string | Promise<string> {
  return folder.path ?? pathFromListing(folder, ctx);
}

async function pathFromListing(folder: FolderModel, ctx: Context): Promise<string> {
  const { directory } = await listing(folder, ctx);
  if (directory === null) {
    if (folder.folderId === null) return "/";
    throw new GraphQLError("DigiLocker listed a folder without its directory", {
      extensions: { code: "UPSTREAM_INVALID_RESPONSE" },
    });
  }
  return normalisePath(directory);
}

function isRoot(folder: FolderModel, ctx: Context): boolean | Promise<boolean> {
  if (folder.folderId === null || folder.parent === null) return true;
  if (folder.parent !== undefined) return false;
  return completeValue(pathOf(folder, ctx), (path) => path === "/");
}

/** Folder and file items of a listing, in DigiLocker's order; sub-folders carry this folder as their parent. */
async function itemsOf(folder: FolderModel, ctx: Context): Promise<(FolderModel | UploadedFileModel)[]> {
  const list = await listing(folder, ctx);
  const path = await pathOf(folder, ctx);
  // Items name their parent by id: that is how the root, listed without one, learns its own.
  const self: FolderModel = {
    ...folder,
    folderId: folder.folderId ?? list.items.find((i) => i.parentId !== null)?.parentId ?? null,
    path,
    name: folder.name ?? nameOf(path),
    parent: folder.parent ?? (path === "/" ? null : undefined),
  };
  // A folder item without an id could not be listed; DigiLocker always sends one, so none is dropped in practice.
  return list.items.flatMap((item): (FolderModel | UploadedFileModel)[] => {
    if (item.kind === "FILE") return [item];
    if (item.id === null) return [];
    return [{ kind: "FOLDER", owner: folder.owner, folderId: item.id, name: item.name, path: childPath(path, item.name), parent: self }];
  });
}

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** The parent: known when reached through its listing, else found by walking the path from the root. */
function parentOf(folder: FolderModel, ctx: Context): FolderModel | null | Promise<FolderModel | null> {
  return folder.parent !== undefined ? folder.parent : parentFromPath(folder, ctx);
}

/** The parent of a folder reached by id alone: one listing per level above it. */
async function parentFromPath(folder: FolderModel, ctx: Context): Promise<FolderModel | null> {
  const path = await pathOf(folder, ctx);
  if (path === "/") return null;
  let current = rootFolder(folder.owner);
  for (const name of path.split("/").slice(1, -1)) {
    const next = (await itemsOf(current, ctx)).find((i): i is FolderModel => i.kind === "FOLDER" && i.name === name);
    if (next === undefined) return null;
    current = next;
  }
  return current;
}

/** A folder by DigiLocker id ("/" or "" for the root), read from its own listing: NOT_FOUND when not the viewer's. */
async function folderById(id: string, owner: UserAccess, ctx: Context): Promise<FolderModel> {
  const folderId = id === ROOT || id === "" ? null : id;
  const folder: FolderModel = { kind: "FOLDER", owner, folderId };
  const path = await pathOf(folder, ctx);
  return { ...folder, path, name: nameOf(path), ...(path === "/" ? { parent: null } : {}) };
}

export const FolderRef = builder.objectRef<FolderModel>("Folder");

/**
 * A folder's contents come from its one listing (Get List of Self Uploaded Documents), shared by these fields.
 * Plain lists are priced at 5 items (sub-folders per folder); a locker with more meets the loaders' run-time budget.
 */
const LISTING = cost({ upstream: 1, shared: "listing", items: 5 });
const LISTING_PAGE = cost({ upstream: 1, shared: "listing", items: "page" });
export const UploadedFileRef = builder.objectRef<UploadedFileModel>("UploadedFile");

const FolderItemRef = builder.unionType("FolderItem", {
  description: "What a folder holds: a sub-folder or an uploaded file.",
  types: [FolderRef, UploadedFileRef],
  resolveType: (item) => (item.kind === "FILE" ? UploadedFileRef : FolderRef),
});

/** Offset cursors from the relay plugin; a malformed one is the caller's mistake, not a server error. */
function connectionOf<T>(args: { first?: number | null; last?: number | null; before?: string | null; after?: string | null }, all: T[]) {
  try {
    return resolveArrayConnection({ args }, all);
  } catch (error) {
    if (error instanceof PothosValidationError) {
      throw new GraphQLError(error.message, { extensions: { code: "BAD_USER_INPUT" } });
    }
    throw error;
  }
}

// Checked before any listing is read, so a bad argument costs DigiLocker nothing. Page sizes as in the
// catalogue's connections (key-pagination.ts): 1 to 100, 20 when neither first nor last is given.
const pageSize = z.number().int().min(1, "must be from 1 to 100").max(100, "must be from 1 to 100").nullish();
const offsetCursor = z
  .string()
  .refine(
    (cursor) => {
      try {
        const offset = cursorToOffset(cursor);
        return Number.isSafeInteger(offset) && offset >= 0;
      } catch {
        return false;
      }
    },
    { message: "not a cursor of this list; pass an edge's cursor or pageInfo's startCursor/endCursor" },
  )
  .nullish();
const itemsArgs = z.looseObject({ first: pageSize, last: pageSize, after: offsetCursor, before: offsetCursor });

builder.node(FolderRef, {
  description:
    "A folder of the viewer's self-uploaded documents. Its id works with `node(id)` and `User.folder(id)`; DigiLocker's own id is `folderId`.",
  id: { resolve: (folder, _args, ctx) => completeValue(isRoot(folder, ctx), (root) => (root ? ROOT : (folder.folderId ?? ROOT))) },
  loadOne: (id, ctx) => folderById(id, requireViewer(ctx.viewer), ctx),
  fields: (t) => ({
    folderId: t.string({
      nullable: true,
      description:
        "DigiLocker's id for the folder. DigiLocker lists the root without one and reveals it only through what the root holds, so an empty root has none.",
      resolve: (folder, _args, ctx) =>
        folder.folderId ?? listing(folder, ctx).then(({ items }) => items.find((i) => i.parentId !== null)?.parentId ?? null),
    }),
    name: t.string({
      description: "The folder's name; empty for the root.",
      resolve: (folder, _args, ctx) => folder.name ?? completeValue(pathOf(folder, ctx), nameOf),
    }),
    path: t.string({
      description: "Where the folder sits, from the root: `/` for the root, `/My Documents/Education` below it.",
      resolve: (folder, _args, ctx) => pathOf(folder, ctx),
    }),
    parent: t.field({
      type: FolderRef,
      nullable: true,
      description: "The folder this one is in; null for the root.",
      // Free when reached through its parent's listing; for a folder reached by id, the walk from the root is priced
      // on User.folder and node (the listings it reads are shared by the whole request).
      extensions: cost({}),
      resolve: (folder, _args, ctx) => parentOf(folder, ctx),
    }),
    items: t.connection(
      {
        type: FolderItemRef,
        description: "Sub-folders and files in DigiLocker's order, as a cursor connection. first/last take 1 to 100 (20 when neither is given).",
        extensions: LISTING_PAGE,
        validate: { schema: itemsArgs },
        resolve: (folder, args, ctx) => itemsOf(folder, ctx).then((items) => connectionOf(args, items)),
      },
      {
        description: "A page of a folder's sub-folders and files.",
        fields: (c) => ({
          totalCount: c.int({
            description: "How many items the folder holds in all.",
            resolve: (connection) => connection.totalCount,
          }),
        }),
      },
      { description: "A sub-folder or file, with its cursor." },
    ),
    folders: t.field({
      type: [FolderRef],
      description: "The sub-folders, in DigiLocker's order.",
      extensions: LISTING,
      resolve: async (folder, _args, ctx) => (await itemsOf(folder, ctx)).filter((i): i is FolderModel => i.kind === "FOLDER"),
    }),
    files: t.field({
      type: [UploadedFileRef],
      description: "The files directly in this folder, in DigiLocker's order.",
      extensions: LISTING,
      resolve: async (folder, _args, ctx) =>
        (await itemsOf(folder, ctx)).filter((i): i is UploadedFileModel => i.kind === "FILE"),
    }),
  }),
});

UploadedFileRef.implement({
  description: "A document the viewer uploaded to DigiLocker (a JPG, PNG or PDF).",
  fields: (t) => ({
    name: t.exposeString("name", { description: "The file name, e.g. `degree.pdf`." }),
    uri: t.string({
      nullable: true,
      description: "DigiLocker's URI of the file, used to download it; null only if DigiLocker omitted it.",
      resolve: (file) => file.uri,
    }),
    size: t.field({
      type: "Count",
      nullable: true,
      description: "Size in bytes; null when DigiLocker does not say.",
      resolve: (file) => file.size,
    }),
    date: t.field({
      type: "DateTime",
      nullable: true,
      description: "When it was uploaded; null when DigiLocker does not say.",
      resolve: (file) => file.date,
    }),
    mimeTypes: t.exposeStringList("mimeTypes", { description: "Its format, e.g. `application/pdf` or `image/jpeg`." }),
    description: t.string({
      nullable: true,
      description: "The description given at upload, e.g. `Income Certificate`.",
      resolve: (file) => file.description,
    }),
  }),
});

/** A Folder global id (from `Folder.id`) → its local part; anything that does not decode as one is a DigiLocker id. */
function localFolderId(id: string): string {
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(id);
  } catch {
    return id;
  }
  if (decoded.typename === "Folder") return decoded.id;
  throw new GraphQLError(`id is a global id of a ${decoded.typename}, not of a Folder`, { extensions: { code: "BAD_USER_INPUT" } });
}

builder.objectFields(UserRef, (t) => ({
  rootFolder: t.field({
    type: FolderRef,
    nullable: true,
    description: "The top of this user's uploaded documents. Reading its contents needs the `files.uploadeddocs` scope.",
    extensions: cost({ upstream: 1 }),
    resolve: (user) => rootFolder(user.access),
  }),
  folder: t.field({
    type: FolderRef,
    nullable: true,
    description:
      "One of this user's folders by DigiLocker folder id (`folderId`) or by global id (`Folder.id`). Another user's folder is NOT_FOUND, as DigiLocker answers.",
    // Its own listing tells its path and name; its parent, if asked for, costs a walk from the root (priced at 2 levels).
    extensions: cost({ upstream: 3 }),
    args: {
      id: t.arg.id({
        required: true,
        description: "A DigiLocker folder id or a Folder's global id.",
        validate: { schema: z.string().trim().min(1, "must not be empty").max(200, "is too long") },
      }),
    },
    resolve: (user, args, ctx) => folderById(localFolderId(args.id.trim()), user.access, ctx),
  }),
}));
