// fast-check generators for the fuzz suite (test/integration/gateway/fuzz.test.ts): GraphQL documents built from
// the gateway's own schema, edits that break valid ones, odd request bodies and the credentials a request carries.
// Documents are generated as a small tree and printed afterwards, so that a failing case shrinks field by field
// (fast-check shrinks the tree) instead of character by character.
import fc from "fast-check";
import {
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from "graphql";

// ---------------------------------------------------------------------------------------------------------------
// Values: one tree printed either as a GraphQL literal or as JSON (for `variables`).

/** Numbers keep their text, so that 1e999 or twenty nines reach the gateway as written, not as a rounded double. */
export type Value =
  | { kind: "null" }
  | { kind: "boolean"; value: boolean }
  | { kind: "number"; text: string }
  | { kind: "string"; value: string; block: boolean }
  | { kind: "enum"; name: string }
  | { kind: "list"; items: Value[] }
  | { kind: "object"; fields: [string, Value][] }
  | { kind: "variable"; variable: VariableUse };

/** A `$variable` in a document, with what its definition says and what the request's `variables` holds. */
export interface VariableUse {
  /** null: a fresh name when printed. A fixed name (wrong documents only) lets uses and definitions collide. */
  name: string | null;
  /** The type in its definition (`Int!`); null: used but never defined. */
  declared: string | null;
  /** What `variables` holds for it; null: nothing, so the default (if any) or null applies. */
  value: Value | null;
  defaultValue: Value | null;
}

const NULL: Value = { kind: "null" };

/** The number texts GraphQL and JSON both accept (their number grammars are the same). */
const NUMBER_TEXT = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

function jsonText(v: Value): string {
  switch (v.kind) {
    case "null":
      return "null";
    case "boolean":
      return String(v.value);
    // A number the fuzzer garbled on purpose ("0x10") would make the whole body invalid JSON: send it as a string.
    case "number":
      return NUMBER_TEXT.test(v.text) ? v.text : JSON.stringify(v.text);
    case "string":
      return JSON.stringify(v.value);
    case "enum":
      return JSON.stringify(v.name);
    case "list":
      return `[${v.items.map(jsonText).join(",")}]`;
    case "object":
      return `{${v.fields.map(([k, f]) => `${JSON.stringify(k)}:${jsonText(f)}`).join(",")}}`;
    case "variable":
      // A variable's value cannot hold a variable; the generators never build one.
      return "null";
  }
}

function graphqlString(value: string, block: boolean): string {
  // JSON's escapes are a subset of GraphQL's, so JSON.stringify gives a valid GraphQL string for any input.
  return block ? `"""${value.replaceAll('"""', '\\"""')}"""` : JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Documents as trees.

export interface Argument {
  name: string;
  value: Value;
}

export interface Directive {
  name: string;
  args: Argument[];
}

export type Selection =
  | { kind: "field"; name: string; alias: string | null; args: Argument[]; directives: Directive[]; selections: Selection[] | null }
  /** `... on T { }`, or `... { }` when `on` is null. */
  | { kind: "inline"; on: string | null; directives: Directive[]; selections: Selection[] }
  /** A named fragment: printed as `...Fn` with `fragment Fn on T { }` at the end of the document. */
  | { kind: "spread"; on: string; directives: Directive[]; selections: Selection[] }
  /** A spread of a fragment no document defines. */
  | { kind: "unknownSpread"; name: string }
  /** Two fragments that spread each other. */
  | { kind: "cycle"; on: string }
  /** An introspection field with its arguments and selections already written. */
  | { kind: "meta"; name: string; alias: string | null; rest: string };

export interface Operation {
  type: "query" | "mutation" | "subscription";
  name: string | null;
  directives: Directive[];
  selections: Selection[];
}

export type OperationNameChoice = { kind: "omit" } | { kind: "null" } | { kind: "index"; index: number } | { kind: "text"; text: string };

export interface DocumentTree {
  operations: Operation[];
  operationName: OperationNameChoice;
  /** Text appended to the document: an unused or duplicated fragment (wrong documents only). */
  extra: string;
}

/** What a GraphQL request carries, however it is sent. */
export interface GraphQLParams {
  query: string;
  /** The JSON text of `variables` ("{}" when none). */
  variables: string;
  /** undefined: not sent. */
  operationName: string | null | undefined;
}

/** Most fields printed in one document, fragments included: keeps a run within its time (the brief says ≤ 20). */
export const MAX_FIELDS = 20;

class Printer {
  fields = 0;
  fragments: string[] = [];
  variables: [string, string][] = [];
  #fragmentCount = 0;
  #variableCount = 0;
  #responseNames = new Set<string>();
  /** Definitions of the operation being printed. */
  definitions: string[] = [];

  constructor(readonly valid: boolean) {}

  /** In a valid document no two fields share a response name, so no two can conflict when selections merge. */
  responseName(name: string, alias: string | null): string | null {
    if (!this.valid) return alias;
    let response = alias ?? name;
    for (let n = 2; this.#responseNames.has(response); n++) response = `${alias ?? name}_${n}`;
    this.#responseNames.add(response);
    return response === name ? null : response;
  }

  variable(use: VariableUse): string {
    const name = use.name ?? `v${this.#variableCount++}`;
    if (use.declared !== null) {
      this.definitions.push(`$${name}: ${use.declared}${use.defaultValue === null ? "" : ` = ${this.literal(use.defaultValue)}`}`);
    }
    if (use.value !== null) this.variables.push([name, jsonText(use.value)]);
    return name;
  }

  fragmentName(): string {
    return `F${this.#fragmentCount++}`;
  }

  literal(v: Value): string {
    switch (v.kind) {
      case "null":
        return "null";
      case "boolean":
        return String(v.value);
      case "number":
        return v.text;
      case "string":
        return graphqlString(v.value, v.block);
      case "enum":
        return v.name;
      case "list":
        return `[${v.items.map((i) => this.literal(i)).join(", ")}]`;
      case "object":
        return `{${v.fields.map(([k, f]) => `${k}: ${this.literal(f)}`).join(", ")}}`;
      case "variable":
        return `$${this.variable(v.variable)}`;
    }
  }

  args(args: Argument[]): string {
    return args.length === 0 ? "" : `(${args.map((a) => `${a.name}: ${this.literal(a.value)}`).join(", ")})`;
  }

  directives(directives: Directive[]): string {
    return directives.map((d) => ` @${d.name}${this.args(d.args)}`).join("");
  }

  selectionSet(selections: Selection[]): string {
    const printed = selections.map((s) => this.selection(s)).filter((s) => s !== null);
    // Past the field budget a selection set may come out empty, which is a syntax error: ask for __typename.
    return `{ ${printed.length > 0 ? printed.join(" ") : "__typename"} }`;
  }

  selection(s: Selection): string | null {
    switch (s.kind) {
      case "field": {
        if (this.fields >= MAX_FIELDS) return null;
        this.fields++;
        const alias = this.responseName(s.name, s.alias);
        const sub = s.selections === null ? "" : ` ${this.selectionSet(s.selections)}`;
        return `${alias === null ? "" : `${alias}: `}${s.name}${this.args(s.args)}${this.directives(s.directives)}${sub}`;
      }
      case "meta": {
        if (this.fields >= MAX_FIELDS) return null;
        this.fields++;
        const alias = this.responseName(s.name, s.alias);
        return `${alias === null ? "" : `${alias}: `}${s.name}${s.rest}`;
      }
      case "inline":
        return `...${s.on === null ? "" : ` on ${s.on}`}${this.directives(s.directives)} ${this.selectionSet(s.selections)}`;
      case "spread": {
        const name = this.fragmentName();
        this.fragments.push(`fragment ${name} on ${s.on} ${this.selectionSet(s.selections)}`);
        return `...${name}${this.directives(s.directives)}`;
      }
      case "unknownSpread":
        return `...${s.name}`;
      case "cycle": {
        const a = this.fragmentName();
        const b = this.fragmentName();
        this.fragments.push(`fragment ${a} on ${s.on} { __typename ...${b} }`, `fragment ${b} on ${s.on} { __typename ...${a} }`);
        return `...${a}`;
      }
    }
  }

  operation(op: Operation): string {
    this.definitions = [];
    const body = this.selectionSet(op.selections);
    const directives = this.directives(op.directives);
    const definitions = this.definitions.length > 0 ? `(${this.definitions.join(", ")})` : "";
    // The shorthand `{ … }` only when nothing needs the keyword.
    if (op.type === "query" && op.name === null && definitions === "" && directives === "") return body;
    return `${op.type}${op.name === null ? "" : ` ${op.name}`}${definitions}${directives} ${body}`;
  }
}

/** Prints a document tree as the request parameters a client would send. */
export function printDocument(tree: DocumentTree, valid: boolean): GraphQLParams {
  const p = new Printer(valid);
  const operations = tree.operations.map((op) => p.operation(op));
  const query = [...operations, ...p.fragments, tree.extra].filter((s) => s !== "").join("\n");
  const choice = tree.operationName;
  const operationName =
    choice.kind === "omit" ? undefined
    : choice.kind === "null" ? null
    : choice.kind === "text" ? choice.text
    : (tree.operations[choice.index % tree.operations.length]?.name ?? undefined);
  const variables = `{${p.variables.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`;
  return { query, variables, operationName };
}

// ---------------------------------------------------------------------------------------------------------------
// Leaf generators.

/** `arb` one time in `n`, null otherwise; shrinks to null. (fc.option's `freq` is the odds of nil, the other way.) */
export function oneIn<T>(n: number, arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: n - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });
}

/** GraphQL names, some of them keywords (`on`, `null`), which are names too except where the grammar says not. */
export const nameArb = fc.oneof(
  fc.stringMatching(/^[_A-Za-z][_0-9A-Za-z]{0,10}$/),
  fc.constantFrom("on", "null", "true", "fragment", "query", "__typename", "__schema", "_", "Query", "id", "name"),
);

/**
 * Strings a user might type, and the ones that break naive code: empty, control characters, unicode, markup. No
 * lone surrogate: GraphQL cannot write one, and valid documents must stay valid (the edits insert them instead).
 */
export const textArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 8 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "", " ", "cbse", "maharashtra", "marksheet", "road transport", "a\u0000b", "\u202Eevil", "🙂", "ﬁle",
      "' OR 1=1 --", "${jndi:ldap://x}", "<script>alert(1)</script>", "%00", "../..", "\\", "\n", "null", "undefined",
    ),
  },
);

/** Values for arguments whose name says what they hold: the gateway's own validation is worth reaching. */
function hintedStrings(hint: string): fc.Arbitrary<string> | null {
  switch (hint) {
    case "redirectUrl":
    case "returnTo":
      return fc.constantFrom(
        "https://partner.example.in/done", "https://app.example.in/after?x=1", "/graphql", "//evil.example/x",
        "javascript:alert(1)", "http://localhost:4000/graphql", "https://evil.example/", "", "relative", `https://x.example/${"a".repeat(2100)}`,
      );
    case "orgId":
      return fc.oneof(fc.constantFrom("000018", "000001", "18", "999999", ""), fc.stringMatching(/^\d{1,8}$/));
    case "issuerId":
      return fc.constantFrom("in.gov.cbse", "in.gov.transport", "in.gov.uidai", "nope", "", "in.gov.cbse/../x");
    case "after":
    case "before":
      // Cursors are opaque; some decode to offsets, some to nothing.
      return fc.oneof(
        fc.nat({ max: 700 }).map((n) => Buffer.from(`arrayconnection:${n}`).toString("base64")),
        fc.nat({ max: 700 }).map(String),
        textArb.map((s) => Buffer.from(s).toString("base64")),
        textArb,
      );
    case "requestedDocTypes":
      return fc.oneof(fc.constantFrom("PANCR", "DRVLC", "HSCER", "ADHAR"), fc.stringMatching(/^[A-Z0-9]{4,6}$/));
    case "token":
      return fc.oneof(fc.stringMatching(/^[A-Za-z0-9._-]{8,40}$/), textArb);
    default:
      return null;
  }
}

const NODE_TYPES = ["Issuer", "DocType", "Folder", "IssuedDocument", "Stats", "User", "Nope", ""] as const;

/** IDs: global ids of real and unreal types (base64 of `Type:id`), UUIDs, DigiLocker folder ids, and anything. */
const idArb: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom(...NODE_TYPES), fc.oneof(fc.constantFrom("000018", "000018:HSCER", "5678", "root", "in.gov.cbse-HSCER-2019"), textArb)).map(
    ([type, id]) => Buffer.from(`${type}:${id}`).toString("base64"),
  ),
  fc.uuid(),
  fc.constantFrom("5678", "root", "123e4567-e89b-12d3-a456-426655440000"),
  textArb,
);

const dateArb = fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true });
/** Strings a date scalar must refuse (its parseLiteral fails validation, so valid documents never hold them). */
const badInstantArb = fc.constantFrom("2015-05-12", "not a date", "9999-99-99T99:99:99Z", "+275760-09-13T00:00:00.000Z", "", "2015-05-12T15:50:38Z junk");

const intTextArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -3, max: 120 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom("0", "1", "100", "101", "2147483647", "-2147483648") },
);

/** Numbers past every limit: above Int's 2^31, past a double's precision and range, and very long. */
export const hugeNumberArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("2147483648", "-2147483649", "9007199254740993", "1e999", "-1e-999", "1.7976931348623157e309", "0.0000000000000000000001", "-0"),
  fc.integer({ min: 20, max: 1200 }).map((n) => "9".repeat(n)),
);

/** `valid`: only what the scalar accepts; otherwise its near misses too (bad dates, negative counts). */
function scalarValue(name: string, hint: string, valid: boolean): fc.Arbitrary<Value> {
  // One string in five as a block string (`"""…"""`), which the lexer reads by other rules; not with a quote or a
  // backslash in it, which could close it early or escape its end (the edits cover such breakage).
  const str = (arb: fc.Arbitrary<string>): fc.Arbitrary<Value> =>
    fc.tuple(arb, fc.nat({ max: 4 })).map(([value, n]) => ({ kind: "string", value, block: n === 0 && !/["\\]/.test(value) }));
  const hinted = hintedStrings(hint);
  switch (name) {
    case "Int":
      return intTextArb.map((text) => ({ kind: "number", text }));
    case "Count":
      return (valid ? fc.nat({ max: 1000 }).map(String) : intTextArb).map((text) => ({ kind: "number", text }));
    case "Float":
      return fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => ({ kind: "number", text: String(d) }));
    case "Boolean":
      return fc.boolean().map((value) => ({ kind: "boolean", value }));
    case "ID":
      return fc.oneof({ weight: 4, arbitrary: str(hinted ?? idArb) }, { weight: 1, arbitrary: fc.nat().map((n): Value => ({ kind: "number", text: String(n) })) });
    case "DateTime": {
      const right = dateArb.map((d) => d.toISOString());
      return str(valid ? right : fc.oneof(right, badInstantArb));
    }
    case "Date": {
      const right = dateArb.map((d) => d.toISOString().slice(0, 10));
      return str(valid ? right : fc.oneof(right, badInstantArb));
    }
    default:
      return str(hinted ?? textArb);
  }
}

/** Any value at all, for the wrong-type cases: every kind, nested a little. */
const anyValueArb: fc.Arbitrary<Value> = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(NULL),
    fc.boolean().map((value): Value => ({ kind: "boolean", value })),
    fc.oneof(intTextArb, hugeNumberArb, fc.constantFrom("1.5", "-0.0", "1e3")).map((text): Value => ({ kind: "number", text })),
    textArb.map((value): Value => ({ kind: "string", value, block: false })),
    nameArb.filter((n) => n !== "true" && n !== "null" && n !== "false").map((name): Value => ({ kind: "enum", name })),
    fc.array(tie("value"), { maxLength: 3 }).map((items): Value => ({ kind: "list", items })),
    fc.array(fc.tuple(nameArb, tie("value")), { maxLength: 3 }).map((fields): Value => ({ kind: "object", fields })),
  ),
})).value;

// ---------------------------------------------------------------------------------------------------------------
// Values of an input type, right and wrong.

export interface DocumentOptions {
  /**
   * true: documents graphql-js validates without error (the suite checks it), with variables that match.
   * false: the same, salted with wrong fields, arguments, types, fragments, directives and variables.
   */
  valid: boolean;
  /** Levels of selection below the root (the root is one more). */
  maxDepth: number;
}

const typeString = (type: GraphQLInputType): string => String(type);

class DocumentArbitraries {
  readonly #schema: GraphQLSchema;
  readonly #valid: boolean;
  readonly #selections = new Map<string, fc.Arbitrary<Selection[]>>();

  constructor(schema: GraphQLSchema, valid: boolean) {
    this.#schema = schema;
    this.#valid = valid;
  }

  /** A value of `type` that is right for it (though the gateway's own validation may still refuse it). */
  right(type: GraphQLInputType, hint: string, variables: boolean): fc.Arbitrary<Value> {
    const literal = this.#rightLiteral(type, hint);
    if (!variables) return literal;
    // The same value through a variable declared with the position's exact type: always allowed.
    const viaVariable = this.#rightLiteral(type, hint).map(
      (value): Value => ({ kind: "variable", variable: { name: null, declared: typeString(type), value, defaultValue: null } }),
    );
    return fc.oneof({ weight: 3, arbitrary: literal }, { weight: 1, arbitrary: viaVariable });
  }

  #rightLiteral(type: GraphQLInputType, hint: string): fc.Arbitrary<Value> {
    if (isNonNullType(type)) return this.#rightNonNull(type.ofType, hint);
    return fc.oneof({ weight: 1, arbitrary: fc.constant(NULL) }, { weight: 5, arbitrary: this.#rightNonNull(type, hint) });
  }

  #rightNonNull(type: GraphQLInputType, hint: string): fc.Arbitrary<Value> {
    if (isNonNullType(type)) return this.#rightNonNull(type.ofType, hint);
    if (isListType(type)) {
      const item = this.#rightLiteral(type.ofType, hint);
      // A single item where a list is expected is valid input coercion.
      return fc.oneof(fc.array(item, { maxLength: 3 }).map((items): Value => ({ kind: "list", items })), item);
    }
    if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.name)).map((name): Value => ({ kind: "enum", name }));
    if (isInputObjectType(type)) {
      const fields = Object.values(type.getFields()).map((f) => {
        const value = this.#rightLiteral(f.type, f.name).map((v): [string, Value] => [f.name, v]);
        const required = isNonNullType(f.type) && f.defaultValue === undefined;
        return required ? value : fc.option(value, { freq: 2, nil: null });
      });
      return fc.tuple(...fields).map((fs): Value => ({ kind: "object", fields: fs.filter((f) => f !== null) }));
    }
    return scalarValue(type.name, hint, this.#valid);
  }

  /** A value `type` must refuse: another kind, null where null is not allowed, an unknown or missing field. */
  wrong(type: GraphQLInputType, hint: string): fc.Arbitrary<Value> {
    const named = getNamedType(type);
    const options: fc.Arbitrary<Value>[] = [anyValueArb];
    if (isNonNullType(type)) options.push(fc.constant(NULL));
    if (isEnumType(named)) {
      // An enum's name as a string, and names in the wrong case.
      const names = named.getValues().map((v) => v.name);
      options.push(fc.constantFrom(...names).map((n): Value => ({ kind: "string", value: n, block: false })));
      options.push(fc.constantFrom(...names).map((n): Value => ({ kind: "enum", name: n.toLowerCase() })));
    }
    if (isInputObjectType(named)) {
      const right = this.#rightNonNull(named, hint);
      // Drop a field (maybe a required one) or add one the type does not have.
      options.push(
        fc.tuple(right, fc.nat()).map(([v, n]): Value => (v.kind === "object" ? { ...v, fields: v.fields.filter((_, i) => i !== n % Math.max(1, v.fields.length)) } : v)),
        fc.tuple(right, nameArb, anyValueArb).map(([v, k, x]): Value => (v.kind === "object" ? { ...v, fields: [...v.fields, [k, x]] } : v)),
      );
    }
    if (named.name === "Int" || named.name === "Count") options.push(hugeNumberArb.map((text): Value => ({ kind: "number", text })));
    if (isListType(isNonNullType(type) ? type.ofType : type)) {
      options.push(this.#rightNonNull(type, hint).map((v): Value => ({ kind: "list", items: [{ kind: "list", items: [v] }] })));
    }
    return fc.oneof(...options);
  }

  /** A variable whose definition, value or use is off: wrong type, undefined, missing, mistyped value. */
  wrongVariable(type: GraphQLInputType, hint: string): fc.Arbitrary<Value> {
    const declared = fc.oneof(
      fc.constant(typeString(type)),
      fc.constantFrom("Int", "Int!", "String", "String!", "[Int]", "[String!]!", "Boolean!", "ID", "Nope", "Issuer", "Int!!", "[Int", "DateTime"),
      fc.constant(null),
    );
    const value = fc.oneof(this.#rightLiteral(type, hint), this.wrong(type, hint), fc.constant(null));
    const name = fc.option(fc.constantFrom("a", "b", "v0", "first"), { freq: 2, nil: null });
    const defaultValue = oneIn(5, fc.oneof(this.#rightLiteral(type, hint), anyValueArb));
    return fc.record({ name, declared, value, defaultValue }).map((variable): Value => ({ kind: "variable", variable }));
  }

  argValue(arg: GraphQLArgument): fc.Arbitrary<Value> {
    const right = this.right(arg.type, arg.name, true);
    if (this.#valid) return right;
    return fc.oneof(
      { weight: 5, arbitrary: right },
      { weight: 2, arbitrary: this.wrong(arg.type, arg.name) },
      { weight: 1, arbitrary: this.wrongVariable(arg.type, arg.name) },
    );
  }

  args(field: GraphQLField<unknown, unknown>): fc.Arbitrary<Argument[]> {
    const each = field.args.map((arg) => {
      const present = this.argValue(arg).map((value): Argument => ({ name: arg.name, value }));
      const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
      // A valid document always has its required arguments; a wrong one sometimes leaves them out.
      if (required && this.#valid) return present;
      return fc.option(present, { freq: required ? 8 : 2, nil: null });
    });
    const known = fc.tuple(...each).map((as) => as.filter((a) => a !== null));
    if (this.#valid) return known;
    const unknown = fc.array(fc.record({ name: nameArb, value: anyValueArb }), { maxLength: 1 });
    return fc.tuple(known, unknown, fc.boolean()).map(([k, u, duplicate]) => {
      const first = k[0];
      return [...k, ...u, ...(duplicate && first !== undefined ? [first] : [])];
    });
  }

  directives(): fc.Arbitrary<Directive[]> {
    const condition: fc.Arbitrary<Value> = fc.oneof(
      fc.boolean().map((value): Value => ({ kind: "boolean", value })),
      fc.boolean().map((value): Value => ({ kind: "variable", variable: { name: null, declared: "Boolean!", value: { kind: "boolean", value }, defaultValue: null } })),
    );
    const right = fc.tuple(fc.constantFrom("include", "skip"), condition).map(([name, value]): Directive => ({ name, args: [{ name: "if", value }] }));
    // Mostly none: a directive on every other field buries the rest of the document under variables.
    if (this.#valid) return oneIn(6, right).map((d) => (d === null ? [] : [d]));
    const wrong = fc.oneof(
      nameArb.map((name): Directive => ({ name, args: [] })),
      fc.constantFrom("include", "skip", "deprecated", "specifiedBy", "oneOf").map((name): Directive => ({ name, args: [] })),
      fc.tuple(fc.constantFrom("include", "skip"), anyValueArb).map(([name, value]): Directive => ({ name, args: [{ name: "if", value }] })),
      fc.tuple(fc.constantFrom("include", "skip"), this.wrongVariable(this.#schema.getType("Boolean") as GraphQLInputType, "if")).map(
        ([name, value]): Directive => ({ name, args: [{ name: "if", value }] }),
      ),
    );
    const some = fc.array(fc.oneof({ weight: 3, arbitrary: right }, { weight: 1, arbitrary: wrong }), { minLength: 1, maxLength: 2 });
    return fc.oneof({ weight: 4, arbitrary: fc.constant<Directive[]>([]) }, { weight: 1, arbitrary: some });
  }

  alias(): fc.Arbitrary<string | null> {
    const names = this.#valid ? nameArb.filter((n) => !n.startsWith("__")) : nameArb;
    return oneIn(5, names);
  }

  field(field: GraphQLField<unknown, unknown>, depth: number): fc.Arbitrary<Selection> {
    const named = getNamedType(field.type);
    const typename: Selection[] = [{ kind: "field", name: "__typename", alias: null, args: [], directives: [], selections: null }];
    let sub: fc.Arbitrary<Selection[] | null> = fc.constant(null);
    if (isCompositeType(named)) sub = depth > 0 ? this.selections(named, depth - 1) : fc.constant(typename);
    if (!this.#valid) {
      // A composite field without a selection set, or a leaf with one.
      sub = fc.oneof({ weight: 6, arbitrary: sub }, { weight: 1, arbitrary: isCompositeType(named) ? fc.constant(null) : fc.constant(typename) });
    }
    return fc
      .record({ alias: this.alias(), args: this.args(field), directives: this.directives(), selections: sub })
      .map((r): Selection => ({ kind: "field", name: field.name, ...r }));
  }

  /** Types a fragment inside `type` may name: itself, what it implements, what may stand for it. */
  #conditions(type: GraphQLCompositeType): string[] {
    if (isObjectType(type)) return [type.name, ...type.getInterfaces().map((i) => i.name)];
    return [type.name, ...this.#schema.getPossibleTypes(type).map((t) => t.name)];
  }

  #introspection(): fc.Arbitrary<Selection> {
    const typeName = fc.oneof(fc.constantFrom(...Object.keys(this.#schema.getTypeMap())), this.#valid ? fc.constantFrom("Query") : nameArb);
    return fc.oneof(
      fc.constant<Selection>({ kind: "meta", name: "__schema", alias: null, rest: " { queryType { name } mutationType { name } types { name kind } }" }),
      fc.constant<Selection>({ kind: "meta", name: "__schema", alias: null, rest: " { directives { name locations args { name defaultValue } } }" }),
      typeName.map((name): Selection => ({
        kind: "meta",
        name: "__type",
        alias: null,
        rest: `(name: ${JSON.stringify(name)}) { name kind fields(includeDeprecated: true) { name args { name type { name kind ofType { name } } } } enumValues { name } inputFields { name } }`,
      })),
    );
  }

  /** The selections of a selection set on `type`, `depth` levels above the deepest allowed. */
  selections(type: GraphQLCompositeType, depth: number, root = false): fc.Arbitrary<Selection[]> {
    const key = `${type.name}:${depth}:${root}`;
    const cached = this.#selections.get(key);
    if (cached) return cached;
    const options: fc.WeightedArbitrary<Selection>[] = [];
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) options.push({ weight: 4, arbitrary: this.field(field, depth) });
    }
    options.push({ weight: 1, arbitrary: fc.constant<Selection>({ kind: "field", name: "__typename", alias: null, args: [], directives: [], selections: null }) });
    if (depth > 0 || isUnionType(type)) {
      // Fragments do not deepen the answer, but they recurse here: count them as a level so generation stays finite.
      const inner = Math.max(0, depth - 1);
      // At the last level a union still needs its members' fragments, but not one on itself (that would never end).
      const conditions = this.#conditions(type).filter((on) => depth > 0 || on !== type.name);
      const fragmentWeight = isUnionType(type) || isInterfaceType(type) ? 4 : 1;
      for (const on of conditions) {
        const onType = this.#schema.getType(on) as GraphQLCompositeType;
        options.push({
          weight: fragmentWeight,
          arbitrary: fc
            .record({ typed: fc.boolean(), directives: this.directives(), selections: this.selections(onType, inner) })
            .map(({ typed, directives, selections }): Selection => ({ kind: "inline", on: typed || on !== type.name ? on : null, directives, selections })),
        });
        options.push({
          weight: 1,
          arbitrary: fc
            .record({ directives: this.directives(), selections: this.selections(onType, inner) })
            .map(({ directives, selections }): Selection => ({ kind: "spread", on, directives, selections })),
        });
      }
    }
    if (root && type === this.#schema.getQueryType()) options.push({ weight: 1, arbitrary: this.#introspection() });
    if (!this.#valid) {
      const other = fc.constantFrom(...Object.keys(this.#schema.getTypeMap()).filter((n) => !n.startsWith("__")), "Nope");
      options.push(
        { weight: 1, arbitrary: fc.tuple(nameArb, this.alias()).map(([name, alias]): Selection => ({ kind: "field", name, alias, args: [], directives: [], selections: null })) },
        { weight: 1, arbitrary: nameArb.map((name): Selection => ({ kind: "unknownSpread", name })) },
        { weight: 1, arbitrary: fc.constantFrom(...this.#conditions(type)).map((on): Selection => ({ kind: "cycle", on })) },
        { weight: 1, arbitrary: other.map((on): Selection => ({ kind: "inline", on, directives: [], selections: [{ kind: "field", name: "__typename", alias: null, args: [], directives: [], selections: null }] })) },
      );
    }
    // Narrow below the root: with three selections a level, a tree six levels deep grows to hundreds of fields
    // before the printer's budget cuts it, and generating those costs more than sending them.
    const arb = fc.array(fc.oneof(...options), { minLength: this.#valid ? 1 : 0, maxLength: root ? 4 : 2 });
    this.#selections.set(key, arb);
    return arb;
  }

  operation(type: "query" | "mutation" | "subscription", depth: number): fc.Arbitrary<Omit<Operation, "name">> {
    const rootType = type === "mutation" ? this.#schema.getMutationType() : this.#schema.getQueryType();
    if (!rootType) throw new Error(`the schema has no ${type} type`);
    const none = fc.constant<Directive[]>([]);
    const directives = this.#valid ? none : fc.oneof({ weight: 4, arbitrary: none }, { weight: 1, arbitrary: this.directives() });
    return fc.record({ directives, selections: this.selections(rootType, depth, true) }).map((r) => ({ type, ...r }));
  }

  document(depth: number): fc.Arbitrary<DocumentTree> {
    // oneof, not chain: fast-check shrinks inside each branch, and across them toward the first (a query).
    const op = fc.oneof(
      { weight: 3, arbitrary: this.operation("query", depth) },
      { weight: 1, arbitrary: this.operation("mutation", depth) },
      ...(this.#valid ? [] : [{ weight: 1, arbitrary: this.operation("subscription", depth) }]),
    );
    const single = fc.tuple(op, fc.option(fc.constantFrom("Q", "Fuzz", "Op_1"), { freq: 2, nil: null }), fc.boolean()).map(
      ([o, name, sendName]): DocumentTree => ({
        operations: [{ ...o, name }],
        operationName: sendName && name !== null ? { kind: "index", index: 0 } : { kind: "omit" },
        extra: "",
      }),
    );
    // Two named operations; operationName says which runs.
    const pair = fc.tuple(op, op, fc.nat({ max: 1 })).map(
      ([a, b, index]): DocumentTree => ({ operations: [{ ...a, name: "A" }, { ...b, name: "B" }], operationName: { kind: "index", index }, extra: "" }),
    );
    const plain = fc.oneof({ weight: 4, arbitrary: single }, { weight: 1, arbitrary: pair });
    if (this.#valid) return plain;
    // Wrong documents also get wrong shapes: duplicate or anonymous operations beside others, unknown names.
    const names = fc.option(fc.oneof(fc.constantFrom("A", "B", "Q"), nameArb), { freq: 3, nil: null });
    const operationName: fc.Arbitrary<OperationNameChoice> = fc.oneof(
      fc.constant<OperationNameChoice>({ kind: "omit" }),
      fc.constant<OperationNameChoice>({ kind: "null" }),
      fc.nat({ max: 2 }).map((index): OperationNameChoice => ({ kind: "index", index })),
      nameArb.map((text): OperationNameChoice => ({ kind: "text", text })),
    );
    const extra = fc.constantFrom("", "", "", "fragment Unused on Query { __typename }", "fragment F0 on Query { __typename }", "fragment X on Nope { a }", "query A { __typename }");
    const messy = fc
      .record({ operations: fc.array(fc.tuple(op, names).map(([o, name]) => ({ ...o, name })), { minLength: 1, maxLength: 3 }), operationName, extra })
      .map((r): DocumentTree => r);
    return fc.oneof({ weight: 2, arbitrary: plain }, { weight: 3, arbitrary: messy });
  }
}

/** Documents built from `schema`'s own types and fields, printed with their variables and operation name. */
export function documentArbitrary(schema: GraphQLSchema, options: DocumentOptions): fc.Arbitrary<GraphQLParams> {
  return new DocumentArbitraries(schema, options.valid).document(options.maxDepth).map((tree) => printDocument(tree, options.valid));
}

type VariableEdit = { kind: "keep" } | { kind: "drop" } | { kind: "set"; value: fc.JsonValue };

/**
 * Valid documents whose variables are dropped or replaced by any JSON, plus unknown ones: a document that passes
 * validation and fails only when its variables are coerced, which wrong documents rarely reach.
 */
export function withOddVariables(docs: fc.Arbitrary<GraphQLParams>): fc.Arbitrary<GraphQLParams> {
  const edit = fc.oneof(
    fc.constant<VariableEdit>({ kind: "keep" }),
    fc.constant<VariableEdit>({ kind: "drop" }),
    fc.jsonValue({ maxDepth: 2 }).map((value): VariableEdit => ({ kind: "set", value })),
  );
  return fc
    .record({ doc: docs, edits: fc.array(edit, { minLength: 6, maxLength: 6 }), extra: fc.dictionary(nameArb, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 1 }) })
    .map(({ doc, edits, extra }) => {
      const entries = Object.entries(JSON.parse(doc.variables) as Record<string, unknown>).flatMap(([key, value], i): [string, unknown][] => {
        const e = edits[i % edits.length] ?? { kind: "keep" };
        return e.kind === "drop" ? [] : [[key, e.kind === "set" ? e.value : value]];
      });
      return { ...doc, variables: JSON.stringify({ ...extra, ...Object.fromEntries(entries) }) };
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Edits of a valid document.

export type Edit =
  | { kind: "truncate"; at: number }
  | { kind: "splice"; at: number; remove: number; insert: string };

/** Brackets opened deep, closed or not: `{ a { a { …` is valid syntax as deep as it goes. */
const deepArb = fc.tuple(fc.constantFrom("{", "[", "(", "{ a ", "[[", "... on Query { ", "f(a: ["), fc.integer({ min: 10, max: 1500 }), fc.boolean()).map(
  ([open, n, close]) => {
    // The closing brackets of `open`, innermost first (all ASCII, so reversing by code unit is safe).
    const closer = open.replace(/[^[{(]/g, "").replace(/\[/g, "]").replace(/\{/g, "}").replace(/\(/g, ")").split("").reverse().join("");
    return open.repeat(n) + (close ? closer.repeat(n) : "");
  },
);

/** Up to a few KB: a long string token, a long name, a long block string. */
const longArb = fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), fc.integer({ min: 100, max: 4000 }), fc.constantFrom("string", "name", "block")).map(([s, n, as]) => {
  if (as === "name") return "a".repeat(n);
  const text = s.repeat(Math.ceil(n / s.length)).slice(0, n);
  return as === "block" ? graphqlString(text.replaceAll("\\", ""), true) : JSON.stringify(text);
});

export const insertionArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("{", "}", "(", ")", "[", "]", ":", "$", "@", "!", "...", ".", ",", '"', '"""', "\\", "#", "=", "|", "&", " ", "\n", "\r", "\t", "\u0000", "\uFEFF", "\u00A0", "\u2028") },
  { weight: 2, arbitrary: fc.oneof(fc.constantFrom("é", "\u0301", "😀", "\uD83D", "\uDE00", "\u202E", "\u200D", "𝔊"), fc.string({ unit: "grapheme", minLength: 1, maxLength: 4 }), fc.string({ unit: "binary", minLength: 1, maxLength: 4 })) },
  { weight: 2, arbitrary: fc.constantFrom("query", "mutation", "subscription", "fragment", "on", "null", "true", "__typename", "__schema { types { name } }", "$v", "@include(if: $v)", "@skip(if: true)", "@nope", "... on Query", "...F0", "viewer", "node(id: 1)", "first: 1") },
  { weight: 1, arbitrary: hugeNumberArb },
  { weight: 1, arbitrary: longArb },
  { weight: 1, arbitrary: deepArb },
);

export const editsArbitrary: fc.Arbitrary<Edit[]> = fc.array(
  fc.oneof(
    { weight: 1, arbitrary: fc.nat().map((at): Edit => ({ kind: "truncate", at })) },
    { weight: 6, arbitrary: fc.record({ at: fc.nat(), remove: fc.nat({ max: 6 }), insert: fc.oneof({ weight: 1, arbitrary: fc.constant("") }, { weight: 4, arbitrary: insertionArb }) }).map((r): Edit => ({ kind: "splice", ...r })) },
  ),
  { minLength: 1, maxLength: 3 },
);

export function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const e of edits) {
    const at = e.at % (out.length + 1);
    out = e.kind === "truncate" ? out.slice(0, at) : out.slice(0, at) + e.insert + out.slice(at + e.remove);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Credentials.

/** A credential of the request: a valid token is chosen from the pool the test minted, by index. */
export type Credential =
  | { kind: "none" }
  | { kind: "token"; index: number; scheme: string }
  | { kind: "bearer"; header: string; garbage: string }
  | { kind: "cookie"; header: string; garbage: string };

/** Long and without `/` or `:`, so that an echo is unmistakable and never looks like a file path. */
const garbageArb = fc.stringMatching(/^[A-Za-z0-9._~+=-]{16,48}$/);

export const credentialArbitrary: fc.Arbitrary<Credential> = fc.oneof(
  fc.constant<Credential>({ kind: "none" }),
  fc.record({ index: fc.nat({ max: 15 }), scheme: fc.constantFrom("Bearer ", "Bearer ", "bearer ", "Bearer  ") }).map((r): Credential => ({ kind: "token", ...r })),
  fc.tuple(garbageArb, fc.constantFrom("Bearer %", "bearer %", "Basic %", "%", "Bearer %.%.%", "Bearer %, Bearer x", "Bearer  %  ")).map(
    ([garbage, shape]): Credential => ({ kind: "bearer", header: shape.replaceAll("%", garbage), garbage }),
  ),
  fc.tuple(garbageArb, fc.constantFrom("dlg_session=%", "dlg_session=%; theme=dark", "__Host-dlg_session=%", 'dlg_session="%"', "dlg_session=%; dlg_session=%", "%", "other=%")).map(
    ([garbage, shape]): Credential => ({ kind: "cookie", header: shape.replaceAll("%", garbage), garbage }),
  ),
);

// ---------------------------------------------------------------------------------------------------------------
// HTTP requests.

/** A request as the suite sends it. */
export interface HttpRequest {
  method: string;
  /** Path and query string. */
  path: string;
  headers: Record<string, string>;
  body: string | Uint8Array | null;
}

/**
 * How a GraphQL request travels: `direct` is a server's JSON POST (no Origin; Accept absent, `*\/*` or
 * application/json), which src/server/json-post.ts serves on node:http; `adapter` is the same POST asking for
 * application/graphql-response+json, which goes through yoga's fetch adapter; `get` and `form` are the other two
 * ways the GraphQL-over-HTTP spec allows.
 */
export type Transport = "direct" | "adapter" | "get" | "form";

export const transportArbitrary = fc.constantFrom<Transport>("direct", "direct", "direct", "adapter", "adapter", "get", "form");

const directAccept = fc.constantFrom<string | null>(null, "application/json", "*/*");
const getAccept = fc.constantFrom("application/json", "application/graphql-response+json", "application/graphql-response+json, application/json;q=0.9");

/** `params` sent by `transport`, with headers that choice implies. */
export function requestFor(params: GraphQLParams, transport: Transport, accept: string | null): HttpRequest {
  const fields: [string, string][] = [["query", params.query]];
  if (params.variables !== "{}") fields.push(["variables", params.variables]);
  if (typeof params.operationName === "string") fields.push(["operationName", params.operationName]);
  if (transport === "get") {
    return { method: "GET", path: `/graphql?${new URLSearchParams(fields).toString()}`, headers: { accept: accept ?? "application/json" }, body: null };
  }
  if (transport === "form") {
    return {
      method: "POST",
      path: "/graphql",
      // The CSRF header (src/server/csrf.ts): without it every form is refused before yoga parses it.
      headers: { "content-type": "application/x-www-form-urlencoded", "x-graphql-yoga-csrf": "1", accept: accept ?? "application/json" },
      body: new URLSearchParams(fields).toString(),
    };
  }
  // Variables and a null operationName keep their exact JSON text (huge numbers stay as written).
  const parts = [`"query":${JSON.stringify(params.query)}`, `"variables":${params.variables}`];
  if (params.operationName !== undefined) parts.push(`"operationName":${JSON.stringify(params.operationName)}`);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (transport === "adapter") headers.accept = "application/graphql-response+json";
  else if (accept !== null) headers.accept = accept;
  return { method: "POST", path: "/graphql", headers, body: `{${parts.join(",")}}` };
}

/** Browsers send Origin: the gateway's own, an allowed one, or any other (CORS without credentials). */
const originArb = oneIn(4, fc.constantFrom("http://evil.example", "http://localhost:4000", "https://app.example.in", "null"));

/**
 * A GraphQL request and a way to send it, with the Accept header the way implies; the ways through yoga carry
 * an Origin at times (the direct path takes no request with one).
 */
export function sentArbitrary(params: fc.Arbitrary<GraphQLParams>): fc.Arbitrary<HttpRequest> {
  return fc.record({ params, transport: transportArbitrary, direct: directAccept, get: getAccept, origin: originArb }).map(({ params: p, transport, direct, get, origin }) => {
    const req = requestFor(p, transport, transport === "direct" ? direct : transport === "adapter" ? null : get);
    return origin === null || transport === "direct" ? req : { ...req, headers: { ...req.headers, origin } };
  });
}

const jsonValueArb = fc.jsonValue({ maxDepth: 3 });

/** Bodies a careless or hostile client sends: odd parameters, non-objects, broken JSON, bytes, wrong media types. */
export function oddRequestArbitrary(docs: fc.Arbitrary<GraphQLParams>): fc.Arbitrary<HttpRequest> {
  const paramsObject = fc
    .record(
      {
        query: fc.oneof({ weight: 3, arbitrary: docs.map((d) => d.query) }, { weight: 1, arbitrary: jsonValueArb }),
        variables: fc.oneof(docs.map((d): unknown => JSON.parse(d.variables)), jsonValueArb, docs.map((d) => d.variables)),
        operationName: fc.oneof(jsonValueArb, fc.constantFrom("A", "B", "Q", "")),
        extensions: fc.oneof(
          jsonValueArb,
          fc.stringMatching(/^[0-9a-f]{64}$/).map((sha256Hash) => ({ persistedQuery: { version: 1, sha256Hash } })),
        ),
      },
      { requiredKeys: [] },
    )
    .chain((p) => fc.dictionary(nameArb, jsonValueArb, { maxKeys: 2 }).map((extra) => ({ ...extra, ...p })));
  const body: fc.Arbitrary<string | Uint8Array> = fc.oneof(
    { weight: 5, arbitrary: paramsObject.map((p) => JSON.stringify(p)) },
    // Batches, bare strings, numbers, null.
    { weight: 2, arbitrary: jsonValueArb.map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.array(paramsObject, { maxLength: 3 }).map((ps) => JSON.stringify(ps)) },
    { weight: 1, arbitrary: fc.constantFrom("", " ", "null", "{", "{}", '{"query":', "\uFEFF{}", '{"query":"{ __typename }","query":5}') },
    { weight: 1, arbitrary: fc.tuple(paramsObject, fc.nat()).map(([p, n]) => { const t = JSON.stringify(p); return t.slice(0, n % (t.length + 1)); }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 4000 }).map((n) => `${"[".repeat(n)}${"]".repeat(n)}`) },
    { weight: 1, arbitrary: docs.map((d) => d.query) },
  );
  const contentType = fc.oneof(
    { weight: 6, arbitrary: fc.constant<string | null>("application/json") },
    {
      weight: 3,
      arbitrary: fc.constantFrom<string | null>(
        null, "", "application/json; charset=utf-8", "application/json; charset=latin1", "APPLICATION/JSON", "application/graphql",
        "application/graphql+json", "application/graphql-response+json", "text/plain", "application/x-www-form-urlencoded",
        "multipart/form-data", "multipart/form-data; boundary=xyz", "application/json, text/html", "application/octet-stream",
      ),
    },
  );
  const accept = fc.constantFrom<string | null>(
    null, null, "application/json", "application/graphql-response+json", "*/*", "text/html", "text/event-stream", "multipart/mixed",
    "application/xml", "application/graphql-response+json;q=0.5, application/json", "application/json;q=0",
  );
  const method = fc.constantFrom("POST", "POST", "POST", "POST", "POST", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
  return fc.record({ body, contentType, accept, method }).map(({ body: b, contentType: ct, accept: a, method: m }) => {
    const headers: Record<string, string> = {};
    if (ct !== null) headers["content-type"] = ct;
    if (a !== null) headers.accept = a;
    return { method: m, path: "/graphql", headers, body: b };
  });
}

/** GET and form-urlencoded requests with parameters as strings: broken JSON, duplicates, unknown ones. */
export function paramsRequestArbitrary(docs: fc.Arbitrary<GraphQLParams>): fc.Arbitrary<HttpRequest> {
  const param = fc.oneof(
    { weight: 4, arbitrary: docs.map((d): [string, string][] => [["query", d.query], ...(d.variables === "{}" ? [] : [["variables", d.variables] as [string, string]])]) },
    { weight: 1, arbitrary: textArb.map((s): [string, string][] => [["query", s]]) },
    { weight: 1, arbitrary: jsonValueArb.map((v): [string, string][] => [["variables", JSON.stringify(v)]]) },
    { weight: 1, arbitrary: textArb.map((s): [string, string][] => [["variables", s]]) },
    { weight: 1, arbitrary: fc.oneof(textArb, fc.constantFrom("A", "B")).map((s): [string, string][] => [["operationName", s]]) },
    { weight: 1, arbitrary: fc.oneof(jsonValueArb.map((v) => JSON.stringify(v)), textArb).map((s): [string, string][] => [["extensions", s]]) },
    { weight: 1, arbitrary: fc.tuple(nameArb, textArb).map((kv): [string, string][] => [kv]) },
  );
  return fc
    .record({
      fields: fc.array(param, { minLength: 1, maxLength: 4 }).map((ps) => ps.flat()),
      asForm: fc.boolean(),
      accept: fc.constantFrom("application/json", "application/graphql-response+json", "*/*", "text/html", "text/event-stream"),
    })
    .map(({ fields, asForm, accept }): HttpRequest => {
      const encoded = new URLSearchParams(fields).toString();
      return asForm
        ? { method: "POST", path: "/graphql", headers: { "content-type": "application/x-www-form-urlencoded", "x-graphql-yoga-csrf": "1", accept }, body: encoded }
        : { method: "GET", path: `/graphql?${encoded}`, headers: { accept }, body: null };
    });
}
