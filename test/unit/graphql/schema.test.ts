// The printed schema is an artifact: it must match the code. And every DigiLocker call the client offers
// must be reachable from the schema, or be named here with where it is used or which issue it belongs to.
import { readFile } from "node:fs/promises";
import { buildSchema, getNamedType, isInterfaceType, isObjectType, isUnionType, type GraphQLNamedType, type GraphQLSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { DigiLockerClient } from "../../../src/digilocker/index.js";
import { printedSchema } from "../../../src/graphql/schema.js";

describe("schema/schema.graphql", () => {
  it("matches the schema the code builds", async () => {
    const committed = await readFile(new URL("../../../schema/schema.graphql", import.meta.url), "utf8");
    expect(committed, "schema/schema.graphql is out of date: run `npm run schema` and commit it").toBe(printedSchema());
  });
});

/** Each read method of the client (`area.method`) → the schema coordinate whose resolver calls it. */
const reads: Record<string, string> = {
  "account.user": "User.name",
  "files.listIssued": "User.issuedDocuments",
  "files.listUploaded": "Folder.items",
  "files.certificateXml": "IssuedDocument.certificate",
  "files.eAadhaarXml": "User.eAadhaar",
  "files.upload": "Mutation.uploadFile",
  "pull.document": "Mutation.pullDocument",
  "meta.issuers": "Query.issuers",
  "meta.docTypes": "Issuer.docTypes",
  "meta.parameters": "DocType.searchParameters",
  "meta.statistics": "Query.statistics",
  "meta.verifyAccount": "Mutation.verifyAccount",
  "meta.pushUri": "Mutation.pushUri",
  "oauth.authorizationUrl": "Mutation.startSignIn",
  "oauth.logoutUrl": "SignOutResult.digilockerLogoutUrl",
  "oauth.revoke": "Mutation.revokeToken",
};

/** Client methods no resolver calls, and where they are used instead. */
const elsewhere: Record<string, string> = {
  "files.download": "GET /files/<link> (src/server/file-route.ts), the links IssuedDocument.download and UploadedFile.download make",
  "files.downloadXml": "GET /files/<link> for IssuedDocument.download(format: XML) (src/server/file-route.ts)",
  "files.downloadBuffer": "direct users of the client; the gateway streams instead (src/server/file-route.ts)",
  "oauth.exchangeCode": "GET /auth/callback, where startSignIn and consent requests come back (src/server/auth-routes.ts)",
  "oauth.refresh": "sessions, on demand before an access token expires (src/auth/sessions.ts)",
};

/** Every public method on the client's resource groups, as `area.method`. */
function clientMethods(): string[] {
  const client = new DigiLockerClient({ clientId: "UNITTEST", clientSecret: "unit-test-secret" });
  const areas = { oauth: client.oauth, account: client.account, files: client.files, pull: client.pull, meta: client.meta };
  const names: string[] = [];
  for (const [area, api] of Object.entries(areas)) {
    const proto = Object.getPrototypeOf(api) as object;
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name !== "constructor") names.push(`${area}.${name}`);
    }
  }
  void client.close();
  return names.sort();
}

/** The names of every type an operation can reach from Query or Mutation, through fields, interfaces' implementations and unions. */
function reachableTypes(schema: GraphQLSchema): Set<string> {
  const seen = new Set<string>();
  const queue: GraphQLNamedType[] = [schema.getQueryType(), schema.getMutationType()].filter((t) => t != null);
  for (let type = queue.shift(); type !== undefined; type = queue.shift()) {
    if (seen.has(type.name)) continue;
    seen.add(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) queue.push(getNamedType(field.type));
    }
    if (isInterfaceType(type)) queue.push(...schema.getPossibleTypes(type));
    if (isUnionType(type)) queue.push(...type.getTypes());
  }
  return seen;
}

describe("every DigiLocker read is reachable from the schema", () => {
  // Read back from the printed text, as a client sees it.
  const schema = buildSchema(printedSchema());

  it("classifies every client method: exposed here, or named as belonging elsewhere", () => {
    const methods = clientMethods();
    const unclassified = methods.filter((m) => !(m in reads) && !(m in elsewhere));
    expect(unclassified, "a new client method: map it to the schema field that uses it, or say where it belongs").toEqual([]);
    const stale = [...Object.keys(reads), ...Object.keys(elsewhere)].filter((m) => !methods.includes(m));
    expect(stale, "listed here but no longer on the client").toEqual([]);
  });

  it.each(Object.entries(reads))("%s is reached through %s", (_method, coordinate) => {
    const [typeName = "", fieldName = ""] = coordinate.split(".");
    const type = schema.getType(typeName);
    expect(type && (isObjectType(type) || isInterfaceType(type)) ? Object.keys(type.getFields()) : [], `${typeName} has no field ${fieldName}`).toContain(fieldName);
    expect(reachableTypes(schema).has(typeName), `${typeName} cannot be reached from Query or Mutation`).toBe(true);
  });
});
