import * as ts from 'typescript';

export type JsonSchema = { [keyword: string]: unknown };

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/**
 * One event's payload type as JSON Schema (draft 2020-12), read from the checker's types so that
 * aliases, `Extract<…>`, intersections and `(typeof LIST)[number]` come out as what travels.
 * Interfaces and object aliases of the repository become `$defs`; literal unions become `enum`.
 * Objects stay open (no `additionalProperties: false`): a v1 payload grows by optional fields.
 */
export class SchemaBuilder {
  private readonly defs = new Map<string, JsonSchema | null>();

  constructor(
    private readonly checker: ts.TypeChecker,
    /** Whether a declaration belongs to the repository (not TypeScript's lib nor node_modules). */
    private readonly isOwn: (declaration: ts.Declaration) => boolean,
  ) {}

  /** The payload's own object at the root, everything it names in `$defs`. */
  root(type: ts.Type, head: JsonSchema): JsonSchema {
    const body = this.object(type);
    const defs = [...this.defs.entries()].sort(([a], [b]) => a.localeCompare(b));
    return { ...head, ...body, ...(defs.length ? { $defs: Object.fromEntries(defs) } : {}) };
  }

  /** `written`: the type as written where it is used, for the order of literal values. */
  private of(type: ts.Type, written?: ts.TypeNode): JsonSchema {
    const named = this.namedObject(type);
    if (named) {
      if (!this.defs.has(named.name)) {
        this.defs.set(named.name, null); // a recursive type refers to itself while being built
        const declaration = (type.aliasSymbol ?? type.getSymbol())?.declarations?.find(ts.isTypeAliasDeclaration);
        const body = type.flags & ts.TypeFlags.Union ? this.union((type as ts.UnionType).types, declaration?.type) : this.object(type);
        this.defs.set(named.name, withDescription(body, named.doc));
      }
      return { $ref: `#/$defs/${named.name}` };
    }
    const { flags } = type;
    if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (flags & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (flags & ts.TypeFlags.Union) return this.union((type as ts.UnionType).types, written);
    if (flags & ts.TypeFlags.String) return { type: 'string' };
    if (flags & ts.TypeFlags.Number) return { type: 'number' };
    if (flags & ts.TypeFlags.StringLiteral) return { type: 'string', const: (type as ts.StringLiteralType).value };
    if (flags & ts.TypeFlags.NumberLiteral) return { type: 'number', const: (type as ts.NumberLiteralType).value };
    if (flags & ts.TypeFlags.BooleanLiteral) return { type: 'boolean', const: this.checker.typeToString(type) === 'true' };
    if (flags & ts.TypeFlags.Null) return { type: 'null' };
    if (isStringLike(type)) return { type: 'string' }; // `string & {}`: any string, with completions for the literals beside it
    if (this.checker.isTupleType(type)) {
      const items = this.checker.getTypeArguments(type as ts.TypeReference).map((t) => this.of(t, written));
      return { type: 'array', prefixItems: items, minItems: items.length, maxItems: items.length };
    }
    if (this.checker.isArrayType(type)) return { type: 'array', items: this.of(this.checker.getTypeArguments(type as ts.TypeReference)[0], written) };
    if (flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) return this.object(type);
    throw new Error(`No JSON Schema for the type ${this.checker.typeToString(type)}`);
  }

  private union(members: readonly ts.Type[], written?: ts.TypeNode): JsonSchema {
    let rest = members.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
    const nullable = rest.some((t) => t.flags & ts.TypeFlags.Null);
    rest = rest.filter((t) => !(t.flags & ts.TypeFlags.Null));
    const booleans = rest.filter((t) => t.flags & ts.TypeFlags.BooleanLiteral);
    if (booleans.length === 2) rest = [...rest.filter((t) => !(t.flags & ts.TypeFlags.BooleanLiteral)), this.checker.getBooleanType()];
    if (rest.some(isStringLike)) {
      rest = [this.checker.getStringType(), ...rest.filter((t) => !isStringLike(t) && !(t.flags & ts.TypeFlags.StringLiteral))];
    }
    const nullValue = nullable ? [null] : [];
    for (const [flag, name] of [[ts.TypeFlags.StringLiteral, 'string'], [ts.TypeFlags.NumberLiteral, 'number']] as const) {
      if (rest.length > 0 && rest.every((t) => t.flags & flag)) {
        const values = inWrittenOrder(rest.map((t) => (t as ts.LiteralType).value as string | number), written, this.checker);
        return { type: nullable ? [name, 'null'] : name, enum: [...values, ...nullValue] };
      }
    }
    const schemas = rest.map((t) => this.of(t, written));
    if (schemas.length === 1) {
      const [only] = schemas;
      if (!nullable) return only;
      if (typeof only['type'] === 'string' && !('const' in only)) return { ...only, type: [only['type'], 'null'] };
    }
    return { anyOf: [...schemas, ...(nullable ? [{ type: 'null' }] : [])] };
  }

  private object(type: ts.Type): JsonSchema {
    if (type.flags & ts.TypeFlags.Union) return this.union((type as ts.UnionType).types);
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const property of this.checker.getPropertiesOfType(type)) {
      const doc = ts.displayPartsToString(property.getDocumentationComment(this.checker));
      const declaration = property.declarations?.[0];
      const written = declaration && ts.isPropertySignature(declaration) ? declaration.type : undefined;
      properties[property.name] = withDescription(this.of(this.checker.getTypeOfSymbol(property), written), doc);
      if (!(property.flags & ts.SymbolFlags.Optional)) required.push(property.name);
    }
    const index = this.checker.getIndexInfosOfType(type).find((info) => info.keyType.flags & ts.TypeFlags.String);
    return {
      type: 'object',
      properties,
      ...(required.length ? { required } : {}),
      ...(index ? { additionalProperties: this.of(index.type) } : {}),
    };
  }

  /** An interface of the repository, or an alias of one naming an object or a union of objects. */
  private namedObject(type: ts.Type): { name: string; doc: string } | undefined {
    const alias = type.aliasSymbol;
    if (alias && !type.aliasTypeArguments?.length && alias.declarations?.some(this.isOwn) && isObjectLike(type)) {
      return { name: alias.name, doc: ts.displayPartsToString(alias.getDocumentationComment(this.checker)) };
    }
    const symbol = type.getSymbol();
    if (type.flags & ts.TypeFlags.Object && symbol && symbol.flags & ts.SymbolFlags.Interface && symbol.declarations?.some(this.isOwn)) {
      return { name: symbol.name, doc: ts.displayPartsToString(symbol.getDocumentationComment(this.checker)) };
    }
    return undefined;
  }
}

/** An object type, or a union with one among its members. */
export function isObjectLike(type: ts.Type): boolean {
  if (type.flags & ts.TypeFlags.Union) return (type as ts.UnionType).types.some((t) => t.flags & ts.TypeFlags.Object);
  return !!(type.flags & ts.TypeFlags.Object);
}

function isStringLike(type: ts.Type): boolean {
  if (type.flags & ts.TypeFlags.String) return true;
  return !!(type.flags & ts.TypeFlags.Intersection) && (type as ts.IntersectionType).types.some((t) => t.flags & ts.TypeFlags.String);
}

function withDescription(schema: JsonSchema, doc: string): JsonSchema {
  const description = doc.replace(/\s+/g, ' ').trim();
  return description ? { ...schema, description } : schema;
}

/**
 * Literal values in the order the source writes them (the checker orders a union by when it first
 * met each literal): through aliases, `(typeof LIST)[number]` to the list, and type arguments.
 */
export function inWrittenOrder<T extends string | number>(values: T[], written: ts.TypeNode | undefined, checker: ts.TypeChecker): T[] {
  if (!written) return values;
  const order: (string | number)[] = [];
  const seen = new Set<ts.Node>();
  const walk = (node: ts.Node): void => {
    if (seen.has(node)) return;
    seen.add(node);
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) order.push(node.text);
    else if (ts.isNumericLiteral(node)) order.push(Number(node.text));
    else if (ts.isTypeReferenceNode(node) || ts.isTypeQueryNode(node)) {
      let symbol = checker.getSymbolAtLocation(ts.isTypeReferenceNode(node) ? node.typeName : node.exprName);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      for (const declaration of symbol?.declarations ?? []) {
        if (ts.isTypeAliasDeclaration(declaration)) walk(declaration.type);
        if (ts.isVariableDeclaration(declaration) && declaration.initializer) walk(declaration.initializer);
      }
    }
    ts.forEachChild(node, walk);
  };
  walk(written);
  const rank = (value: string | number) => {
    const at = order.indexOf(value);
    return at < 0 ? order.length : at;
  };
  return [...values].sort((a, b) => rank(a) - rank(b));
}
