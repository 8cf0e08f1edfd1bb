// The gateway's own persisted documents: schema/persisted-documents.json, which `npm run codegen` writes from
// schema/operations/ (a test fails when it drifts), shipped with the code (the build copies it beside dist/) and
// open to every caller, whose own rights they run with. The app name it answers to is the package's.
import { readFileSync } from "node:fs";
import { readManifest, type ManifestDocument } from "./manifest.js";

export const BUILT_IN_APP = "digilocker-graphql";
const MANIFEST = new URL("../../schema/persisted-documents.json", import.meta.url);

/** Reads the built-in manifest; a problem in it is a broken build, so it fails the start naming what is wrong. */
export function builtInDocuments(): ManifestDocument[] {
  const { documents, problems } = readManifest(readFileSync(MANIFEST, "utf8"));
  if (problems.length > 0) {
    throw new Error(
      `schema/persisted-documents.json: ${problems.map((p) => `${p.id ?? "manifest"}: ${p.message}`).join("; ")} (run npm run codegen)`,
    );
  }
  return documents;
}
