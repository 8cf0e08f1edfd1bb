// The operation limits price a query from what its fields declare (src/graphql/cost.ts). A field added later
// without a declaration would be priced as free: these checks make that a failing test that names the field.
import { describe, expect, it } from "vitest";
import { getNamedType, isCompositeType, isListType, isNonNullType, isObjectType, type GraphQLOutputType } from "graphql";
import { declaredCost } from "../../../src/graphql/cost.js";
import { schema } from "../../../src/graphql/schema.js";

function isListOfObjects(type: GraphQLOutputType): boolean {
  const unwrapped = isNonNullType(type) ? type.ofType : type;
  return isListType(unwrapped) && isCompositeType(getNamedType(unwrapped));
}

/** Objects whose fields read a user's data: every one of their fields must say what it costs. */
const USER_TYPES = ["User", "Folder"];

describe("cost declarations", () => {
  it("every root field says what it costs upstream", () => {
    const undeclared: string[] = [];
    for (const root of [schema.getQueryType(), schema.getMutationType()]) {
      for (const field of Object.values(root?.getFields() ?? {})) {
        if (declaredCost(field) === undefined) undeclared.push(`${root?.name}.${field.name}`);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it("every field of a user's types says what it costs, except the ones read from the object itself", () => {
    // Read from the object a listing or the id gave: no DigiLocker call, nothing to declare.
    const free = ["Folder.id", "Folder.folderId", "Folder.name", "Folder.path"];
    const undeclared: string[] = [];
    for (const name of USER_TYPES) {
      const type = schema.getType(name);
      if (!isObjectType(type)) throw new Error(`${name} is not an object type`);
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${name}.${field.name}`;
        if (!free.includes(coordinate) && declaredCost(field) === undefined) undeclared.push(coordinate);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it("every list of objects says how many items to price it at (a connection's edges are priced by the connection)", () => {
    const undeclared: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith("__")) continue;
      for (const field of Object.values(type.getFields())) {
        if (!isListOfObjects(field.type)) continue;
        if (field.name === "edges" && type.name.endsWith("Connection")) continue;
        if (declaredCost(field)?.items === undefined) undeclared.push(`${type.name}.${field.name}`);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it("the fields that reach DigiLocker on a caller's behalf are these (docs/limits.md lists them)", () => {
    const declared: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith("__")) continue;
      for (const field of Object.values(type.getFields())) {
        const calls = declaredCost(field)?.upstream ?? 0;
        if (calls > 0) declared.push(`${type.name}.${field.name} ${calls}${declaredCost(field)?.shared ? ` shared:${declaredCost(field)?.shared}` : ""}`);
      }
    }
    expect(declared.sort()).toEqual([
      "ConsentRequest.user 1",
      "Folder.files 1 shared:listing",
      "Folder.folders 1 shared:listing",
      "Folder.items 1 shared:listing",
      "IssuedDocument.certificate 1",
      "Mutation.pullDocument 1",
      "Mutation.pushUri 1",
      "Mutation.revokeConsentRequest 2",
      "Mutation.revokeToken 1",
      "Mutation.signOut 2",
      "Mutation.updateDigiLockerCredentials 1",
      "Mutation.uploadFile 1",
      "Mutation.verifyAccount 1",
      "Query.node 3",
      "Query.viewer 1",
      "User.dateOfBirth 1 shared:account",
      "User.digilockerId 1 shared:account",
      "User.eAadhaar 1",
      "User.eAadhaarAvailable 1 shared:account",
      "User.folder 3",
      "User.gender 1 shared:account",
      "User.issuedDocuments 1",
      "User.name 1 shared:account",
      "User.referenceKey 1 shared:account",
      "User.rootFolder 1",
    ]);
  });

  it("the fields that create records for any caller are these, charged to the writes budget (docs/limits.md)", () => {
    const declared: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith("__")) continue;
      for (const field of Object.values(type.getFields())) {
        const writes = declaredCost(field)?.writes ?? 0;
        if (writes > 0) declared.push(`${type.name}.${field.name} ${writes}`);
      }
    }
    expect(declared.sort()).toEqual(["Mutation.createConsentRequest 1", "Mutation.startSignIn 1", "Mutation.updateDigiLockerCredentials 1"]);
  });
});
