// Upload File to DigiLocker (spec 930-994): a file sent over the GraphQL multipart request spec (yoga's `File`),
// saved among the viewer's uploaded documents. The body is capped while it streams (app.ts, formDataLimits), so a
// file past 10 MB is refused with HTTP 413 before it is read whole. What is left is checked here before the call:
// the type from the file's magic bytes against the declared one, and the file and folder names.
import { ScalarRef, type PothosScalarTypeConfig, type SchemaTypes } from "@pothos/core";
import { GraphQLError, valueFromASTUntyped } from "graphql";
import { MAX_UPLOAD_BYTES, type DigiLockerApiError } from "../../digilocker/index.js";
import { builder } from "../builder.js";
import { cost } from "../cost.js";
import { needsScope } from "../scope-grants.js";
import { requireViewer, withToken } from "../loaders.js";
import { Problem, ProblemRef, withOutcomes } from "../outcomes.js";
import type { UploadedFileModel } from "./folder.js";
import { UploadedFileRef } from "./folder.js";

const ALLOWED = ["application/pdf", "image/png", "image/jpeg"] as const;
type Allowed = (typeof ALLOWED)[number];

export class FileTooLarge extends Problem {
  readonly code = "FILE_TOO_LARGE";
  constructor(readonly size: number) {
    super(`The file has ${size} bytes; DigiLocker takes at most 10 MB (${MAX_UPLOAD_BYTES} bytes): compress or split it`);
  }
}

export class FileTypeNotAllowed extends Problem {
  readonly code = "FILE_TYPE_NOT_ALLOWED";
  constructor(readonly declared: string) {
    super(`DigiLocker takes PDF, PNG and JPEG files only (declared ${declared || "no type"}, and the content must be one of them too)`);
  }
}

export class FileTypeMismatch extends Problem {
  readonly code = "FILE_TYPE_MISMATCH";
  constructor(
    readonly declared: string,
    readonly detected: Allowed | null,
  ) {
    super(
      detected === null
        ? `The file is declared ${declared} but its content is not a PDF, PNG or JPEG file`
        : `The file is declared ${declared} but its content is ${detected}: send it with its real type`,
    );
  }
}

export class InvalidFileName extends Problem {
  readonly code = "INVALID_FILE_NAME";
  constructor(
    readonly field: "fileName" | "folder",
    message: string,
  ) {
    super(`${field} ${message}`);
  }
}

export class FolderNotFound extends Problem {
  readonly code = "FOLDER_NOT_FOUND";
  constructor(readonly folder: string) {
    super(`There is no folder ${folder} among the uploaded documents: create it in DigiLocker first, or upload to "/"`);
  }
}

const problem = { interfaces: [ProblemRef] };
builder.objectType(FileTooLarge, {
  ...problem,
  name: "FileTooLarge",
  description: "The file is over 10 MB. (A body past the limit is refused with HTTP 413 while it streams, before any GraphQL runs.)",
  fields: (t) => ({ size: t.exposeInt("size", { description: "The file's size in bytes." }) }),
});
builder.objectType(FileTypeNotAllowed, {
  ...problem,
  name: "FileTypeNotAllowed",
  description: "The declared type is not PDF, PNG or JPEG (DigiLocker's `invalid_filetype`), or the file is empty. Nothing was sent.",
  fields: (t) => ({ declared: t.exposeString("declared", { description: "The type the upload declared (its multipart part's Content-Type)." }) }),
});
builder.objectType(FileTypeMismatch, {
  ...problem,
  name: "FileTypeMismatch",
  description: "The file's content (its magic bytes) is not the type it declares (DigiLocker's `mimetype_mismatch`). Nothing was sent.",
  fields: (t) => ({
    declared: t.exposeString("declared", { description: "The type the upload declared." }),
    detected: t.string({ nullable: true, description: "The type its bytes show; null when neither PDF, PNG nor JPEG.", resolve: (p) => p.detected }),
  }),
});
builder.objectType(InvalidFileName, {
  ...problem,
  name: "InvalidFileName",
  description: "The file name or folder breaks the spec's rules (DigiLocker's `invalid_filename`, `filename_missing`) or ours (no `..`, control or non-ASCII characters). Nothing was sent.",
  fields: (t) => ({ field: t.exposeString("field", { description: "`fileName` or `folder`." }) }),
});
builder.objectType(FolderNotFound, {
  ...problem,
  name: "FolderNotFound",
  description: "The destination folder does not exist (DigiLocker's `invalid_path`).",
  fields: (t) => ({ folder: t.exposeString("folder", { description: "The folder's path, as sent." }) }),
});

/** Duck-typed: yoga's fetch API (@whatwg-node) gives its own File, not Node's. */
function isFile(value: unknown): value is File {
  const f = value as Partial<File> | null;
  return typeof f?.name === "string" && typeof f.size === "number" && typeof f.type === "string" && typeof f.arrayBuffer === "function";
}

const notAFile = () =>
  new GraphQLError("File cannot be written in the query: send it as a part of a multipart request (the GraphQL multipart request spec)", {
    extensions: { code: "BAD_USER_INPUT" },
  });

// yoga's multipart parser puts a File (the fetch API's) where the map points; it is never an output. builder.ts types
// its own scalars by name (Scalars), so this one is made as builder.scalarType makes them: a ref with its config.
const ScalarWithConfig = ScalarRef as unknown as new (name: string, config: PothosScalarTypeConfig) => ScalarRef<SchemaTypes, never, File>;
const FileScalar = new ScalarWithConfig("File", {
  kind: "Scalar",
  graphqlKind: "Scalar",
  name: "File",
  description: "A file sent over the GraphQL multipart request spec (`operations`, `map` and the file's own part).",
  parseValue: (value: unknown) => {
    if (isFile(value)) return value;
    throw notAFile();
  },
  // A literal passes validation, as in yoga's own `scalar File`; the resolver refuses it (notAFile).
  parseLiteral: (ast) => valueFromASTUntyped(ast),
  serialize: () => {
    throw new GraphQLError("File is an input-only scalar");
  },
  pothosOptions: {},
  extensions: undefined,
});
builder.configStore.addTypeRef(FileScalar);

const UploadFileInput = builder.inputType("UploadFileInput", {
  description: "The file and where it goes: DigiLocker's `path` is `folder` and `fileName` joined (`/Education/marksheet.pdf`).",
  fields: (t) => ({
    file: t.field({ type: FileScalar, required: true, description: "The file: a PDF, PNG or JPEG of at most 10 MB, its part's Content-Type its real type." }),
    folder: t.string({
      description: 'The destination folder\'s path from the root: "/" (the default) or e.g. "/Education". It must exist already.',
    }),
    fileName: t.string({
      description: "The name to save it under (default: the uploaded file's own name): printable ASCII, without \\ / : * ? < > ' ^ ~.",
    }),
  }),
});

/** Printable ASCII only: DigiLocker's `path` travels in an HTTP header (docs/spec-assumptions.md, row 11). */
const PRINTABLE = /^[\x20-\x7e]*$/;
const RESTRICTED = /[\\/:*?<>'^~]/;

function checkedName(name: string): string {
  const n = name.trim();
  if (n === "") throw new InvalidFileName("fileName", "is required: give fileName, or a file with a name");
  if (!PRINTABLE.test(n)) throw new InvalidFileName("fileName", "must be printable ASCII, without control characters (DigiLocker takes the path in an HTTP header)");
  if (RESTRICTED.test(n)) throw new InvalidFileName("fileName", "may not contain \\ / : * ? < > ' ^ ~ (a name, not a path: put the folder in folder)");
  if (n === "." || n === "..") throw new InvalidFileName("fileName", "must be a file name, not . or ..");
  if (n.length > 255) throw new InvalidFileName("fileName", "must be at most 255 characters");
  return n;
}

/** "/" or "/Education/2024": segments trimmed, one leading slash, no trailing one, no `.` or `..` or empty segment. */
function checkedFolder(folder: string | null | undefined): string {
  const f = (folder ?? "/").trim();
  if (!PRINTABLE.test(f)) throw new InvalidFileName("folder", "must be printable ASCII, without control characters");
  const segments = f.split("/").map((s) => s.trim());
  if (segments[0] === "") segments.shift();
  if (segments.at(-1) === "") segments.pop();
  if (segments.some((s) => s === "" || s === "." || s === ".." || /[\\:*?<>'^~]/.test(s))) {
    throw new InvalidFileName("folder", "must be a path of folder names from the root (e.g. /Education): no empty, . or .. segment, nor \\ : * ? < > ' ^ ~");
  }
  const path = `/${segments.join("/")}`;
  if (path.length > 1024) throw new InvalidFileName("folder", "must be at most 1024 characters");
  return path;
}

function sniff(data: Uint8Array): Allowed | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => data[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46)) return "application/pdf";
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  return null;
}

/** The declared type, normalised (`image/jpg` is JPEG), when it is one DigiLocker takes. */
function allowedType(declared: string): Allowed | null {
  const t = (declared.split(";")[0] ?? "").trim().toLowerCase();
  const type = t === "image/jpg" ? "image/jpeg" : t;
  return (ALLOWED as readonly string[]).includes(type) ? (type as Allowed) : null;
}

/**
 * Upload File's documented codes a user can cause. `hmac_missing` / `hmac_mismatch` (and the header codes) would be
 * our own bug: not mapped, so errors.ts logs and masks them.
 */
function outcomes(folder: string, declared: string, size: number): Readonly<Record<string, (e: DigiLockerApiError) => Problem>> {
  return {
    invalid_path: () => new FolderNotFound(folder),
    invalid_filename: () => new InvalidFileName("fileName", "may not contain \\ / : * ? < > ' ^ ~"),
    filename_missing: () => new InvalidFileName("fileName", "is required"),
    invalid_filetype: () => new FileTypeNotAllowed(declared),
    mimetype_mismatch: () => new FileTypeMismatch(declared, null),
    invalid_filesize: () => new FileTooLarge(size),
    file_data_missing: () => new FileTypeNotAllowed(declared),
  };
}

builder.mutationField("uploadFile", (t) =>
  t.field({
    type: UploadedFileRef,
    description:
      "Saves a PDF, PNG or JPEG of at most 10 MB among the viewer's uploaded documents (spec: Upload File; needs the `files.uploadeddocs` scope). Send it as a multipart request (GraphQL multipart request spec) with an `x-graphql-yoga-csrf` header; a body past the limit is refused with HTTP 413 while it streams. The answer's `uri` and `description` are null (Upload File answers only the path and size): list the folder for them. Never retried. " +
      needsScope("files:upload"),
    authScopes: { partner: "files:upload" },
    args: { input: t.arg({ type: UploadFileInput, required: true }) },
    extensions: cost({ upstream: 1 }),
    errors: {
      types: [FileTooLarge, FileTypeNotAllowed, FileTypeMismatch, InvalidFileName, FolderNotFound],
      union: { description: "The uploaded file, or why DigiLocker was not sent it or did not take it." },
    },
    resolve: async (_root, { input }, ctx): Promise<UploadedFileModel> => {
      const access = requireViewer(ctx.viewer);
      const { file } = input;
      if (!isFile(file)) throw notAFile();
      const name = checkedName(input.fileName ?? file.name);
      const folder = checkedFolder(input.folder);
      if (file.size > MAX_UPLOAD_BYTES) throw new FileTooLarge(file.size);
      const declared = file.type;
      const type = allowedType(declared);
      if (type === null || file.size === 0) throw new FileTypeNotAllowed(declared);
      const data = new Uint8Array(await file.arrayBuffer());
      const detected = sniff(data);
      if (detected !== type) throw new FileTypeMismatch(declared, detected);
      const path = folder === "/" ? `/${name}` : `${folder}/${name}`;
      // withToken: an invalid_token answer ends the session holding it, as for every user call (loaders.ts).
      const saved = await withToken(ctx, access, (token, digilocker) =>
        withOutcomes("files.upload", outcomes(folder, declared, file.size), () =>
          digilocker.client.files.upload(token, { path, contentType: type, data }),
        ),
      );
      return {
        kind: "FILE",
        name: saved.path.slice(saved.path.lastIndexOf("/") + 1) || name,
        id: null,
        size: saved.size,
        date: new Date().toISOString(),
        parentId: null,
        mimeTypes: [type],
        uri: null,
        description: null,
        issuer: null,
      };
    },
  }),
);
