// A user's folder tree of self-uploaded documents (spec: Get List of Self Uploaded Documents). Folders
// are matched by name along a path; "/" is the user's root folder.
import type { FolderNode, SandboxState, UploadedFile } from "../state.js";

export function findRoot(state: SandboxState, ownerId: string): FolderNode | undefined {
  for (const f of state.folders.values()) if (f.ownerId === ownerId && f.parentId === null) return f;
  return undefined;
}

/** The user's root folder, created on first need for a user the seed gave none (uploads to "/"). */
export function ensureRoot(state: SandboxState, ownerId: string, date: string): FolderNode {
  const existing = findRoot(state, ownerId);
  if (existing) return existing;
  let n = state.folders.size + 1;
  while (state.folders.has(String(n))) n++;
  const root: FolderNode = { id: String(n), ownerId, name: "", parentId: null, date };
  state.folders.set(root.id, root);
  return root;
}

/** A folder of this user by id; another user's folder is as unknown as a missing one (invalid_id). */
export function ownFolder(state: SandboxState, ownerId: string, id: string): FolderNode | undefined {
  const folder = state.folders.get(id);
  return folder?.ownerId === ownerId ? folder : undefined;
}

export function childFolders(state: SandboxState, folder: FolderNode): FolderNode[] {
  return [...state.folders.values()].filter((f) => f.parentId === folder.id && f.ownerId === folder.ownerId);
}

export function filesIn(state: SandboxState, folder: FolderNode): UploadedFile[] {
  return state.uploads.filter((u) => u.folderId === folder.id && u.ownerId === folder.ownerId);
}

/** "/" for the root, else "/My Documents/Education": the `directory` of a listing. */
export function folderPath(state: SandboxState, folder: FolderNode): string {
  const names: string[] = [];
  for (let f: FolderNode | undefined = folder; f && f.parentId !== null; f = state.folders.get(f.parentId)) names.unshift(f.name);
  return `/${names.join("/")}`;
}

/** The folder at `names` below the user's root (exact names, one per level), or undefined. */
export function resolveFolder(state: SandboxState, root: FolderNode, names: string[]): FolderNode | undefined {
  let current = root;
  for (const name of names) {
    const next = childFolders(state, current).find((f) => f.name === name);
    if (!next) return undefined;
    current = next;
  }
  return current;
}

/** Bytes held in a folder and all folders below it (the spec gives folders a `size` too). */
export function folderSize(state: SandboxState, folder: FolderNode): number {
  const own = filesIn(state, folder).reduce((sum, f) => sum + f.data.length, 0);
  return childFolders(state, folder).reduce((sum, child) => sum + folderSize(state, child), own);
}
