// Prices an operation before it runs: depth, aliases, root fields, directives, cost points and DigiLocker calls,
// in one pass that is linear in the document. Each named fragment is priced once and reused at every spread:
// a naive analyser of 24 fragments that each spread the next twice walks 2^24 selections, which is itself the
// attack (docs/limits.md).
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  getNamedType,
  isInterfaceType,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, declaredCost, type FieldCost } from "./cost.js";

/** What one operation may ask for (docs/limits.md); GRAPHQL_MAX_* in src/config.ts. */
export interface OperationLimits {
  /** Deepest field nesting, fragments expanded. */
  maxDepth: number;
  /** Most aliased fields in an operation, fragments expanded. */
  maxAliases: number;
  /** Most fields at the top of an operation. */
  maxRootFields: number;
  /** Most directives in an operation. */
  maxDirectives: number;
  /** Most cost points: one per field, multiplied by the sizes of the lists around it. */
  maxCost: number;
  /** Most DigiLocker calls one request may make on a caller's behalf (reads through the shared meta cache excluded). */
  maxUpstreamCalls: number;
  /** Most root mutation fields that reach DigiLocker in one request. */
  maxUpstreamMutations: number;
}

/** What one operation asks for, fragments expanded. */
export interface OperationPrice {
  depth: number;
  aliases: number;
  rootFields: number;
  directives: number;
  /** One point per field, times the sizes of the lists around it. */
  cost: number;
  /** DigiLocker calls on the caller's behalf, at most. */
  upstreamCalls: number;
  /** Root mutation fields that reach DigiLocker. */
  upstreamMutations: number;
  /** A page size comes from a variable: cost and upstreamCalls were priced with the variables given (or 1 without). */
  pagedByVariable: boolean;
  /** Records the operation creates in the store (FieldCost.writes), times the lists around them. */
  writes: number;
  /** Some field reaches DigiLocker, on a user's behalf or through the shared meta cache. */
  reachesDigiLocker: boolean;
  /** Some field is charged to the client budget whoever calls, a live session included (FieldCost.alwaysCharged). */
  alwaysCharged: boolean;
}

/** The price of one selection set, fragments expanded. */
interface Tally {
  depth: number;
  aliases: number;
  directives: number;
  cost: number;
  upstream: number;
  /** Shared-call keys of this object (counted once), from its own fields and the fragments spread into it. */
  shared: ReadonlySet<string>;
  /** Fields at this level, fragments expanded. */
  fields: number;
  /** Fields at this level whose subtree reaches DigiLocker. */
  upstreamFields: number;
  pagedByVariable: boolean;
  writes: number;
  reachesDigiLocker: boolean;
  alwaysCharged: boolean;
}

const NOTHING: Tally = {
  depth: 0,
  aliases: 0,
  directives: 0,
  cost: 0,
  upstream: 0,
  shared: new Set(),
  fields: 0,
  upstreamFields: 0,
  pagedByVariable: false,
  writes: 0,
  reachesDigiLocker: false,
  alwaysCharged: false,
};

/**
 * Prices one operation. `variables` null: page sizes given by variables are priced at 1 (the least they can be),
 * for the check that runs once per document; the request's own variables price them exactly.
 */
export function priceOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | null,
): OperationPrice {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const defaults = new Map<string, ValueNode>();
  for (const v of operation.variableDefinitions ?? []) if (v.defaultValue) defaults.set(v.variable.name.value, v.defaultValue);
  const priced = new Map<string, Tally>();
  const pricing = new Set<string>();

  function pageSize(field: FieldNode): { size: number; variable: boolean } {
    const arg = field.arguments?.find((a) => a.name.value === "first") ?? field.arguments?.find((a) => a.name.value === "last");
    if (arg === undefined) return { size: DEFAULT_PAGE_SIZE, variable: false };
    let value: unknown = arg.value.kind === Kind.INT ? Number(arg.value.value) : null;
    let variable = false;
    if (arg.value.kind === Kind.VARIABLE) {
      variable = true;
      const name = arg.value.name.value;
      const fallback = defaults.get(name);
      value = variables === null ? 1 : (variables[name] ?? (fallback?.kind === Kind.INT ? Number(fallback.value) : DEFAULT_PAGE_SIZE));
    }
    // Anything else (a string, a negative number) is refused by the argument's own validation before any call.
    const size = typeof value === "number" && Number.isFinite(value) ? Math.min(Math.max(Math.trunc(value), 1), MAX_PAGE_SIZE) : 1;
    return { size, variable };
  }

  function multiplier(declared: FieldCost | undefined, field: FieldNode): { size: number; variable: boolean } {
    const items = declared?.items;
    if (items === undefined) return { size: 1, variable: false };
    return items === "page" ? pageSize(field) : { size: items, variable: false };
  }

  function fragment(name: string): Tally {
    const done = priced.get(name);
    if (done !== undefined) return done;
    const definition = fragments.get(name);
    // Unknown or cyclic fragments are reported by graphql-js's own rules; they add nothing here.
    if (definition === undefined || pricing.has(name)) return NOTHING;
    pricing.add(name);
    const tally = selectionSet(definition.selectionSet, schema.getType(definition.typeCondition.name.value));
    pricing.delete(name);
    priced.set(name, tally);
    return tally;
  }

  function selectionSet(set: SelectionSetNode, type: GraphQLNamedType | undefined): Tally {
    const t = { depth: 0, aliases: 0, directives: 0, cost: 0, upstream: 0, fields: 0, upstreamFields: 0, pagedByVariable: false, writes: 0, reachesDigiLocker: false, alwaysCharged: false };
    const shared = new Set<string>();
    const add = (inner: Tally): void => {
      t.depth = Math.max(t.depth, inner.depth);
      t.aliases += inner.aliases;
      t.directives += inner.directives;
      t.cost += inner.cost;
      t.upstream += inner.upstream;
      t.fields += inner.fields;
      t.upstreamFields += inner.upstreamFields;
      t.pagedByVariable ||= inner.pagedByVariable;
      t.writes += inner.writes;
      t.reachesDigiLocker ||= inner.reachesDigiLocker;
      t.alwaysCharged ||= inner.alwaysCharged;
      for (const key of inner.shared) shared.add(key);
    };
    for (const selection of set.selections) {
      t.directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        add(fragment(selection.name.value));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        add(selectionSet(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type));
      } else {
        t.fields++;
        if (selection.alias !== undefined) t.aliases++;
        // Introspection is answered from the schema alone; graphql-js's MaxIntrospectionDepthRule bounds it.
        if (selection.name.value.startsWith("__")) continue;
        const field = isObjectType(type) || isInterfaceType(type) ? type.getFields()[selection.name.value] : undefined;
        const declared = field === undefined ? undefined : declaredCost(field);
        const inner = selection.selectionSet && field ? selectionSet(selection.selectionSet, getNamedType(field.type)) : NOTHING;
        const { size, variable } = multiplier(declared, selection);
        const calls = declared?.upstream ?? 0;
        // A shared call is counted once per object, by its key; any other is counted per field.
        const sharedKey = calls > 0 ? declared?.shared : undefined;
        if (sharedKey !== undefined) shared.add(sharedKey);
        const own = sharedKey === undefined ? calls : 0;
        const below = size * (inner.upstream + inner.shared.size);
        t.depth = Math.max(t.depth, 1 + inner.depth);
        t.aliases += inner.aliases;
        t.directives += inner.directives;
        t.cost += 1 + size * inner.cost;
        t.upstream += own + below;
        if (calls + below > 0) t.upstreamFields++;
        t.pagedByVariable ||= variable || inner.pagedByVariable;
        t.writes += (declared?.writes ?? 0) + size * inner.writes;
        t.reachesDigiLocker ||= calls > 0 || declared?.viaMetaCache === true || inner.reachesDigiLocker;
        t.alwaysCharged ||= declared?.alwaysCharged === true || inner.alwaysCharged;
      }
    }
    return { ...t, shared };
  }

  const root = selectionSet(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined);
  return {
    depth: root.depth,
    aliases: root.aliases,
    rootFields: root.fields,
    directives: root.directives,
    cost: root.cost,
    upstreamCalls: root.upstream + root.shared.size,
    upstreamMutations: operation.operation === OperationTypeNode.MUTATION ? root.upstreamFields : 0,
    pagedByVariable: root.pagedByVariable,
    writes: root.writes,
    reachesDigiLocker: root.reachesDigiLocker,
    alwaysCharged: root.alwaysCharged,
  };
}

export type LimitName = "depth" | "aliases" | "rootFields" | "directives" | "cost" | "upstreamCalls" | "upstreamMutations";

const checks: readonly { limit: LimitName; max: keyof OperationLimits; what: string; fix: string }[] = [
  { limit: "depth", max: "maxDepth", what: "nests fields", fix: "levels deep (fragments expanded): ask for fewer nested levels" },
  { limit: "aliases", max: "maxAliases", what: "uses", fix: "aliases (fragments expanded): send fewer aliased fields" },
  { limit: "rootFields", max: "maxRootFields", what: "asks for", fix: "root fields: split it into several requests" },
  { limit: "directives", max: "maxDirectives", what: "uses", fix: "directives: send fewer" },
  { limit: "cost", max: "maxCost", what: "costs", fix: "points (a point per field, times the sizes of the lists around it): ask for smaller pages or fewer fields" },
  { limit: "upstreamCalls", max: "maxUpstreamCalls", what: "may make", fix: "DigiLocker calls: ask for fewer folders or users per request" },
  { limit: "upstreamMutations", max: "maxUpstreamMutations", what: "has", fix: "mutations that reach DigiLocker: send one per request" },
];

/** The limits an operation passes, as GraphQL errors that name the limit, its maximum and what was found. */
export function limitErrors(price: OperationPrice, limits: OperationLimits, name: string | undefined): GraphQLError[] {
  const errors: GraphQLError[] = [];
  for (const check of checks) {
    const found = price[check.limit];
    const max = limits[check.max];
    if (found <= max) continue;
    const shown = Number.isFinite(found) && found < 1e15 ? String(found) : "more than 10^15";
    errors.push(
      new GraphQLError(`Operation${name ? ` ${name}` : ""} ${check.what} ${shown} ${check.fix}; the limit is ${max}.`, {
        extensions: { code: "OPERATION_LIMIT_EXCEEDED", limit: check.limit, max, found: Number.isFinite(found) ? found : null },
      }),
    );
  }
  return errors;
}
