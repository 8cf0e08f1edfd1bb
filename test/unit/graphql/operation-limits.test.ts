// Pricing operations against the real schema. Every expected number is worked out by hand from the declarations
// in docs/limits.md (a point per field; lists priced at their declared size: docTypes 50, a page at first/last
// or 20; upstream calls as each field declares them), never read back from the code under test.
import { describe, expect, it } from "vitest";
import { Kind, parse, type OperationDefinitionNode } from "graphql";
import { limitErrors, priceOperation, type OperationLimits } from "../../../src/graphql/operation-limits.js";
import { schema } from "../../../src/graphql/schema.js";

function price(query: string, variables: Record<string, unknown> | null = null) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) throw new Error("no operation");
  return priceOperation(schema, document, operation, variables);
}

/** `fragment F0 on Stats { users }` and n − 1 more, each spreading the one before twice: 2^(n−1) `users` fields. */
function doublingFragments(n: number): string {
  let text = "fragment F0 on Stats { users }";
  for (let i = 1; i < n; i++) text += ` fragment F${i} on Stats { ...F${i - 1} ...F${i - 1} }`;
  return `{ statistics { ...F${n - 1} } } ${text}`;
}

describe("priceOperation", () => {
  it("prices a flat read: a point per field, no upstream call for a cached list", () => {
    expect(price("{ statistics { users issuers } }")).toEqual({
      depth: 2,
      aliases: 0,
      rootFields: 1,
      directives: 0,
      cost: 3,
      upstreamCalls: 0,
      upstreamMutations: 0,
      pagedByVariable: false,
      writes: 0,
      // statistics reaches DigiLocker through the shared meta cache: an anonymous caller is charged for it.
      reachesDigiLocker: true,
      alwaysCharged: false,
    });
  });

  it("marks an account lookup as charged whoever calls, and as one upstream mutation", () => {
    const verify = 'mutation { verifyAccount(input: { mobile: "9876543210" }) { __typename } }';
    expect(price(verify)).toMatchObject({ upstreamCalls: 1, upstreamMutations: 1, reachesDigiLocker: true, alwaysCharged: true });
    // Through a fragment too; and nothing else is.
    expect(price(`mutation { ...V } fragment V on Mutation { verifyAccount(input: { mobile: "9876543210" }) { __typename } }`).alwaysCharged).toBe(true);
    expect(price("{ viewer { name } statistics { users } }").alwaysCharged).toBe(false);
    expect(price('mutation { revokeToken(input: { token: "t" }) { revoked } }').alwaysCharged).toBe(false);
  });

  it("counts the records an operation creates, and whether anything reaches DigiLocker", () => {
    const input = '{ redirectUrl: "/graphql" }';
    expect(price(`mutation { a: createConsentRequest(input: ${input}) { id } b: createConsentRequest(input: ${input}) { id } }`)).toMatchObject({
      writes: 2,
      reachesDigiLocker: false,
    });
    expect(price('mutation { startSignIn(input: { returnTo: "/graphql" }) { authorizationUrl } }')).toMatchObject({ writes: 1, reachesDigiLocker: false });
    expect(price(`mutation { ...C } fragment C on Mutation { x: createConsentRequest(input: ${input}) { id } }`).writes).toBe(1);
    expect(price("{ session { expiresAt } }")).toMatchObject({ writes: 0, reachesDigiLocker: false });
    expect(price("{ viewer { issuedDocuments { name } } }")).toMatchObject({ writes: 0, reachesDigiLocker: true });
  });

  it("counts a user's account fields as one Get User Details, plus the viewer's possible token refresh", () => {
    expect(price("{ viewer { name gender dateOfBirth digilockerId } }").upstreamCalls).toBe(2);
    // Two aliased viewers are priced as two users: the analysis does not assume they share a token.
    expect(price("{ a: viewer { name } b: viewer { name gender } }").upstreamCalls).toBe(4);
  });

  it("multiplies by the page size asked for, or 20 without one", () => {
    // issuers 1 + 7 × (edges 1 + node 1 + docTypes (1 + 50 × code 1)) = 1 + 7 × 53
    expect(price("{ issuers(first: 7) { edges { node { docTypes { code } } } } }").cost).toBe(372);
    expect(price("{ issuers { edges { node { name } } } }").cost).toBe(1 + 20 * 3);
    expect(price("{ issuers(last: 500) { edges { node { name } } } }").cost).toBe(1 + 100 * 3);
  });

  it("prices a page size from a variable at 1 without variables, and exactly with them", () => {
    const query = "query Q($n: Int) { issuers(first: $n) { edges { node { name } } } }";
    expect(price(query)).toMatchObject({ cost: 1 + 1 * 3, pagedByVariable: true });
    expect(price(query, { n: 40 }).cost).toBe(1 + 40 * 3);
    expect(price(query, {}).cost).toBe(1 + 20 * 3);
    expect(price("query Q($n: Int = 9) { issuers(first: $n) { edges { node { name } } } }", {}).cost).toBe(1 + 9 * 3);
  });

  it("multiplies the calls below a list: each sub-folder's listing counts", () => {
    // rootFolder 1 + its listing 1 + 5 folders × their listing 1, plus the viewer's refresh 1
    expect(price("{ viewer { rootFolder { folders { files { name } } } } }").upstreamCalls).toBe(8);
    // 1 + 10 × (its listing 1 + 5 sub-folders × their listing 1)
    expect(price("{ viewer { rootFolder { items(first: 10) { edges { node { ... on Folder { folders { files { name } } } } } } } } }").upstreamCalls).toBe(
      1 + 1 + 1 + 10 * (1 + 5),
    );
    // Each folder by id: its listing and a walk from the root priced at 2 levels.
    expect(price("{ viewer { a: folder(id: \"1\") { name } b: folder(id: \"2\") { name } } }").upstreamCalls).toBe(7);
  });

  it("expands fragments: aliases and directives inside a fragment count at every spread", () => {
    const query = `{ statistics { ...A ...A ...A } } fragment A on Stats { x: users y: issuers @include(if: true) }`;
    expect(price(query)).toMatchObject({ aliases: 6, directives: 3, cost: 1 + 6 });
  });

  it("prices each fragment once: 40 fragments that each spread the next twice are priced without walking 2^39 fields", () => {
    expect(price(doublingFragments(24)).cost).toBe(1 + 2 ** 23);
    expect(price(doublingFragments(40)).cost).toBe(1 + 2 ** 39);
  });

  it("survives fragment cycles and unknown fragments, which graphql-js's own rules report", () => {
    expect(price("{ statistics { ...A } } fragment A on Stats { ...B } fragment B on Stats { users ...A }").cost).toBe(2);
    expect(price("{ statistics { ...Missing } }").cost).toBe(1);
  });

  it("leaves introspection to graphql-js's MaxIntrospectionDepthRule", () => {
    expect(price("{ __schema { types { fields { name } } } statistics { __typename users } }")).toMatchObject({ cost: 2, depth: 2 });
  });

  it("counts depth through nested lists and fragments, and root fields through fragments", () => {
    expect(price('{ issuer(orgId: "1") { docTypes { issuer { name } } } }').depth).toBe(4);
    expect(price("{ ...Q statistics { users } } fragment Q on Query { statistics { issuers } session { expiresAt } }").rootFields).toBe(3);
  });

  it("counts mutations that reach DigiLocker, and their calls", () => {
    const two = 'mutation { a: revokeToken(input: {token: "t1"}) { revoked } b: revokeToken(input: {token: "t2"}) { revoked } }';
    expect(price(two)).toMatchObject({ upstreamMutations: 2, upstreamCalls: 2 });
    expect(price('mutation { startSignIn(input: {returnTo: "/"}) { expiresAt } }')).toMatchObject({ upstreamMutations: 0, upstreamCalls: 0 });
    expect(price("mutation { signOut { signedOut } }")).toMatchObject({ upstreamMutations: 1, upstreamCalls: 2 });
  });
});

describe("limitErrors", () => {
  const limits: OperationLimits = {
    maxDepth: 3,
    maxAliases: 1,
    maxRootFields: 2,
    maxDirectives: 0,
    maxCost: 10,
    maxUpstreamCalls: 1,
    maxUpstreamMutations: 0,
  };

  it("passes an operation within every limit", () => {
    expect(limitErrors(price("{ statistics { users } }"), limits, undefined)).toEqual([]);
  });

  it("names each limit passed, its maximum and what was found", () => {
    const errors = limitErrors(price('mutation M { a: revokeToken(input: {token: "t"}) { revoked @skip(if: false) } }'), limits, "M");
    expect(errors.map((e) => e.extensions)).toEqual([
      { code: "OPERATION_LIMIT_EXCEEDED", limit: "directives", max: 0, found: 1 },
      { code: "OPERATION_LIMIT_EXCEEDED", limit: "upstreamMutations", max: 0, found: 1 },
    ]);
    expect(errors[0]?.message).toBe("Operation M uses 1 directives: send fewer; the limit is 0.");
  });

  it("states an astronomically large cost plainly", () => {
    const [error] = limitErrors(price(doublingFragments(60)), { ...limits, maxDepth: 99, maxRootFields: 99 }, undefined);
    expect(error?.message).toContain("costs more than 10^15 points");
    expect(error?.extensions).toMatchObject({ limit: "cost", max: 10 });
  });
});
