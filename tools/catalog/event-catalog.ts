import { eventsTopic, SERVICES } from '@thihanh/contracts';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as ts from 'typescript';
import { ConsumerDefinitionDoc, readConsumers } from './consumers';
import { inWrittenOrder, isObjectLike, JSON_SCHEMA_DIALECT, JsonSchema, SchemaBuilder } from './json-schema';
import { oneLine, REPO_ROOT, repoPath, StaticValues, Unreadable } from './static-values';

/*
 * The event catalogue, read from the code so that it cannot drift from it: the events are the
 * `*_EVENT_TYPES` lists of the contracts lib (and of a lib whose list a service registers, the
 * agency directory), their payloads the `<Type>V<n>` interfaces beside them, their consumers the
 * `consumers` of each service's app.module.ts and the event types their handlers test.
 */

export interface FieldDoc {
  /** `draft.title`, `cases[].status` for the members of an inline object. */
  name: string;
  /** The TypeScript type as written (inline objects shown as `{…}` and listed below it). */
  type: string;
  optional: boolean;
  doc: string;
  /** The values of a literal union named by an alias (`RoundKind` → yearly, …). */
  values: (string | number)[];
}

/** A named type a payload uses, in its own section. */
export interface TypeDoc {
  name: string;
  file: string;
  doc: string;
  fields: FieldDoc[];
  /** For an alias of a union of objects, its text instead of fields. */
  union?: string;
}

export interface PayloadDoc {
  version: number;
  /** `PlanIssuedV1`; `ProvinceAdded.data` for an event typed as `{ type, data }`. */
  typeName: string;
  doc: string;
  fields: FieldDoc[];
  schema: JsonSchema;
  schemaFile: string;
}

export interface ConsumerRef {
  service: string;
  group: string;
  handler: string;
  handlerFile: string;
}

export interface EventDoc {
  type: string;
  producer: string;
  topic: string;
  file: string;
  /** The `*_EVENT_TYPES` list naming it. */
  list: string;
  payloads: PayloadDoc[];
  consumers: ConsumerRef[];
}

export interface SourceDoc {
  file: string;
  intro: string;
  lists: string[];
}

export interface ServiceDoc {
  service: string;
  topic: string;
  sources: SourceDoc[];
  events: EventDoc[];
}

export interface Catalog {
  services: ServiceDoc[];
  consumers: ConsumerDefinitionDoc[];
  types: TypeDoc[];
  /** What could not be derived, or was assumed; printed in the catalogue. */
  notes: string[];
}

export const CONTRACTS_DIR = 'libs/contracts/src';
export const SCHEMAS_DIR = 'docs/event-schemas';

type Declared = ts.InterfaceDeclaration | ts.TypeAliasDeclaration;

export function readCatalog(): Catalog {
  const notes: string[] = [];
  const contractFiles = readdirSync(join(REPO_ROOT, CONTRACTS_DIR))
    .filter((name) => name.endsWith('.events.ts'))
    .map((name) => `${CONTRACTS_DIR}/${name}`)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const libFiles = readdirSync(join(REPO_ROOT, 'libs'))
    .filter((lib) => lib !== 'contracts' && existsSync(join(REPO_ROOT, 'libs', lib, 'src')))
    .flatMap((lib) => readdirSync(join(REPO_ROOT, 'libs', lib, 'src')).filter((name) => name.endsWith('.events.ts')).map((name) => `libs/${lib}/src/${name}`))
    .sort();
  const moduleFiles = SERVICES.map((service) => `services/${service}/src/app.module.ts`).filter((file) => existsSync(join(REPO_ROOT, file)));

  const program = createProgram([...contractFiles, ...libFiles, ...moduleFiles]);
  const checker = program.getTypeChecker();
  const values = new StaticValues(checker, { eventsTopic: (service) => eventsTopic(service) });
  const source = (file: string) => {
    const sf = program.getSourceFile(join(REPO_ROOT, file));
    if (!sf) throw new Error(`Not in the program: ${file}`);
    return sf;
  };

  const services: ServiceDoc[] = SERVICES.map((service) => ({ service, topic: eventsTopic(service), sources: [], events: [] }));
  const payloadNodes: ts.TypeNode[] = [];

  for (const file of [...contractFiles, ...libFiles]) {
    const sf = source(file);
    const lists = eventTypeLists(sf, values);
    if (!lists.length) continue;
    const producer = file.startsWith(CONTRACTS_DIR) ? basename(file, '.events.ts') : registeringService(lists.map((l) => l.name), file, notes);
    const service = services.find((s) => s.service === producer);
    if (!service) {
      if (producer) notes.push(`\`${file}\` names no service (${producer} is not in SERVICES); its events are left out.`);
      continue;
    }
    service.sources.push({ file, intro: fileIntro(sf), lists: lists.map((l) => l.name) });
    const declared = declarationsOf(sf);
    for (const list of lists) {
      for (const type of list.types) {
        const payloads = payloadsOf(type, declared, checker, { file, producer: service.service, topic: service.topic }, payloadNodes, notes);
        service.events.push({ type, producer: service.service, topic: service.topic, file, list: list.name, payloads, consumers: [] });
      }
    }
  }

  const consumers = readConsumers(program, values, moduleFiles.map((file) => join(REPO_ROOT, file)));
  linkConsumers(services, consumers, notes);

  const undocumented = services.flatMap((s) => s.events).filter((e) => !e.payloads.some((p) => p.doc)).map((e) => `\`${e.type}\``);
  if (undocumented.length) notes.push(`No JSDoc on the payload type, so no "when": ${undocumented.join(', ')}.`);

  return { services, consumers, types: namedTypes(payloadNodes, checker, services), notes };

  function rank(file: string): number {
    const at = SERVICES.indexOf(basename(file, '.events.ts') as (typeof SERVICES)[number]);
    return at < 0 ? SERVICES.length : at;
  }
}

function createProgram(files: string[]): ts.Program {
  const configFile = join(REPO_ROOT, 'tsconfig.base.json');
  const { config, error } = ts.readConfigFile(configFile, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, REPO_ROOT);
  return ts.createProgram(
    files.map((file) => join(REPO_ROOT, file)),
    { ...options, noEmit: true },
  );
}

/** `export const X_EVENT_TYPES = [...]` of a file. */
function eventTypeLists(sf: ts.SourceFile, values: StaticValues): { name: string; types: string[] }[] {
  const lists: { name: string; types: string[] }[] = [];
  for (const statement of sf.statements) {
    if (!ts.isVariableStatement(statement) || !statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && /_EVENT_TYPES$/.test(declaration.name.text) && declaration.initializer) {
        lists.push({ name: declaration.name.text, types: values.strings(declaration.initializer) });
      }
    }
  }
  return lists;
}

/** Outside the contracts lib, the producer is the one service whose code names the list. */
function registeringService(lists: string[], file: string, notes: string[]): string | undefined {
  const pattern = new RegExp(`\\b(${lists.join('|')})\\b`);
  const services = SERVICES.filter((service) => sourceFiles(join(REPO_ROOT, 'services', service, 'src')).some((f) => pattern.test(readFileSync(f, 'utf8'))));
  if (services.length === 1) return services[0];
  notes.push(`\`${file}\`: ${services.length ? `several services name ${lists.join(', ')} (${services.join(', ')})` : `no service names ${lists.join(', ')}`}, so its producer is unknown; its events are left out.`);
  return undefined;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The file's opening block comment (after its imports). */
function fileIntro(sf: ts.SourceFile): string {
  const first = sf.statements.find((s) => !ts.isImportDeclaration(s));
  if (!first) return '';
  const [comment] = (ts.getLeadingCommentRanges(sf.text, first.getFullStart()) ?? []).filter((c) => c.kind === ts.SyntaxKind.MultiLineCommentTrivia);
  if (!comment) return '';
  return oneLine(
    sf.text
      .slice(comment.pos, comment.end)
      .replace(/^\/\*\*?/, '')
      .replace(/\*\/$/, '')
      .replace(/^\s*\* ?/gm, ''),
  );
}

function declarationsOf(sf: ts.SourceFile): Map<string, Declared> {
  const declared = new Map<string, Declared>();
  for (const statement of sf.statements) {
    if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) declared.set(statement.name.text, statement);
  }
  return declared;
}

/**
 * `PlanIssued` → `PlanIssuedV1`, `PlanIssuedV2`, … beside the list; an event declared as
 * `type ProvinceAdded = { type: 'ProvinceAdded'; data: {…} }` (the agency directory) carries its
 * payload in `data` and has no version suffix: version 1, the first of a type.
 */
function payloadsOf(
  type: string,
  declared: Map<string, Declared>,
  checker: ts.TypeChecker,
  at: { file: string; producer: string; topic: string },
  payloadNodes: ts.TypeNode[],
  notes: string[],
): PayloadDoc[] {
  const versioned = [...declared.entries()]
    .map(([name, declaration]) => ({ version: Number(new RegExp(`^${type}V(\\d+)$`).exec(name)?.[1]), name, declaration }))
    .filter((v) => v.version > 0)
    .sort((a, b) => a.version - b.version);
  const unversioned = declared.get(type);
  const found = versioned.length ? versioned : unversioned ? [{ version: 1, name: type, declaration: unversioned }] : [];
  if (!found.length) notes.push(`\`${type}\` (${at.file}): no payload type \`${type}V<n>\` beside its list.`);
  return found.map(({ version, name, declaration }) => {
    const symbol = checker.getSymbolAtLocation(declaration.name);
    if (!symbol) throw new Unreadable(declaration, 'no symbol');
    let payload = checker.getDeclaredTypeOfSymbol(symbol);
    let typeName = name;
    const data = versioned.length ? undefined : payload.getProperty('data');
    if (data) {
      payload = checker.getTypeOfSymbol(data);
      typeName = `${name}.data`;
    }
    for (const property of checker.getPropertiesOfType(payload)) {
      const node = propertyTypeNode(property);
      if (node) payloadNodes.push(node);
    }
    const doc = docOf(symbol, checker);
    const schema = new SchemaBuilder(checker, isOwn).root(payload, {
      $schema: JSON_SCHEMA_DIALECT,
      $id: `urn:thihanh:event:${type}:v${version}`,
      title: `${type} v${version}`,
      ...(doc ? { description: doc } : {}),
      $comment: `Generated from ${at.file} (${typeName}) by npm run catalog; do not edit.`,
      'x-producer': at.producer,
      'x-topic': at.topic,
    });
    return { version, typeName, doc, fields: fieldsOf(payload, checker, ''), schema, schemaFile: `${SCHEMAS_DIR}/${type}.v${version}.json` };
  });
}

function linkConsumers(services: ServiceDoc[], consumers: ConsumerDefinitionDoc[], notes: string[]): void {
  for (const consumer of consumers) {
    const where = `${consumer.handler} (${consumer.service}, group \`${consumer.group}\`)`;
    const producers = consumer.topics.map((topic) => {
      const producer = services.find((s) => s.topic === topic);
      if (!producer) notes.push(`${where} reads \`${topic}\`, which no service produces.`);
      return producer;
    });
    const events = producers.flatMap((p) => p?.events ?? []);
    for (const type of consumer.handles) {
      const event = events.find((e) => e.type === type);
      if (event) event.consumers.push({ service: consumer.service, group: consumer.group, handler: consumer.handler, handlerFile: consumer.handlerFile });
      else notes.push(`${where} tests for \`${type}\`, which none of its topics carries.`);
    }
    for (const doubt of consumer.doubts) notes.push(`${where}: ${doubt}; it may consume more than listed.`);
  }
}

function fieldsOf(type: ts.Type, checker: ts.TypeChecker, prefix: string): FieldDoc[] {
  return checker.getPropertiesOfType(type).flatMap((property) => {
    const node = propertyTypeNode(property);
    const propertyType = checker.getTypeOfSymbol(property);
    const field: FieldDoc = {
      name: prefix + property.name,
      type: node ? typeText(node) : checker.typeToString(propertyType),
      optional: !!(property.flags & ts.SymbolFlags.Optional),
      doc: docOf(property, checker),
      values: node && namesAType(node) ? inWrittenOrder(literalValues(propertyType, checker), node, checker) : [],
    };
    if (!node || !hasInlineObject(node)) return [field];
    const inner = withoutNull(propertyType);
    const element = checker.isArrayType(inner) ? withoutNull(checker.getTypeArguments(inner as ts.TypeReference)[0]) : undefined;
    const object = element ?? inner;
    if (object.flags & ts.TypeFlags.Union) return [field];
    return [field, ...fieldsOf(object, checker, `${field.name}${element ? '[]' : ''}.`)];
  });
}

/** Every interface (or alias of objects) of the repository the payloads reach, each once. */
function namedTypes(roots: ts.TypeNode[], checker: ts.TypeChecker, services: ServiceDoc[]): TypeDoc[] {
  const found = new Map<string, { declaration: Declared; symbol: ts.Symbol }>();
  const queue = [...roots];
  for (let next = queue.shift(); next; next = queue.shift()) {
    visitTypeReferences(next, (reference) => {
      let symbol = checker.getSymbolAtLocation(reference.typeName);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      const declaration = symbol?.declarations?.[0];
      if (!symbol || !declaration || !isOwn(declaration) || !(ts.isInterfaceDeclaration(declaration) || ts.isTypeAliasDeclaration(declaration))) return;
      if (ts.isTypeAliasDeclaration(declaration) && !isObjectLike(checker.getDeclaredTypeOfSymbol(symbol))) return;
      const known = found.get(symbol.name);
      if (known) {
        if (known.declaration !== declaration) throw new Unreadable(declaration, `two payload types named ${symbol.name}`);
        return;
      }
      found.set(symbol.name, { declaration, symbol });
      if (ts.isTypeAliasDeclaration(declaration)) queue.push(declaration.type);
      else for (const member of declaration.members) if (ts.isPropertySignature(member) && member.type) queue.push(member.type);
    });
  }
  const fileOrder = [...new Set(services.flatMap((s) => s.sources.map((source) => source.file)))];
  const rank = (file: string) => (fileOrder.includes(file) ? fileOrder.indexOf(file) : fileOrder.length);
  return [...found.values()]
    .map(({ declaration, symbol }) => ({ declaration, symbol, file: repoPath(declaration.getSourceFile().fileName) }))
    .sort((a, b) => rank(a.file) - rank(b.file) || a.file.localeCompare(b.file) || a.declaration.pos - b.declaration.pos)
    .map(({ declaration, symbol, file }) => {
      const type = checker.getDeclaredTypeOfSymbol(symbol);
      const union = ts.isTypeAliasDeclaration(declaration) && type.flags & ts.TypeFlags.Union ? typeText(declaration.type, false).replace(/^\|\s*/, '') : undefined;
      return { name: symbol.name, file, doc: docOf(symbol, checker), fields: union ? [] : fieldsOf(type, checker, ''), ...(union ? { union } : {}) };
    });
}

function visitTypeReferences(node: ts.Node, each: (reference: ts.TypeReferenceNode) => void): void {
  if (ts.isTypeReferenceNode(node)) each(node);
  ts.forEachChild(node, (child) => {
    visitTypeReferences(child, each);
  });
}

function propertyTypeNode(property: ts.Symbol): ts.TypeNode | undefined {
  const declaration = property.declarations?.[0];
  return declaration && ts.isPropertySignature(declaration) ? declaration.type : undefined;
}

/** The type as written, inline objects as `{…}` (their members get rows of their own); no `readonly`. */
function typeText(node: ts.TypeNode, collapseObjects = true): string {
  if (collapseObjects && ts.isTypeLiteralNode(node)) return '{…}';
  const text = node.getSourceFile().text;
  const literals: ts.TypeLiteralNode[] = [];
  const find = (child: ts.Node): void => {
    if (ts.isTypeLiteralNode(child)) literals.push(child);
    else ts.forEachChild(child, find);
  };
  if (collapseObjects) ts.forEachChild(node, find);
  let out = '';
  let at = node.getStart();
  for (const literal of literals) {
    out += `${text.slice(at, literal.getStart())}{…}`;
    at = literal.getEnd();
  }
  out += text.slice(at, node.getEnd());
  return oneLine(out.replace(/\/\*[\s\S]*?\*\//g, '')).replace(/\breadonly /g, '');
}

function hasInlineObject(node: ts.TypeNode): boolean {
  if (ts.isTypeLiteralNode(node)) return true;
  let found = false;
  ts.forEachChild(node, (child) => {
    if (!found && ts.isTypeNode(child)) found = hasInlineObject(child);
  });
  return found;
}

function namesAType(node: ts.TypeNode): boolean {
  let found = false;
  visitTypeReferences(node, () => (found = true));
  return found;
}

function literalValues(type: ts.Type, checker: ts.TypeChecker): (string | number)[] {
  let members = nonNull(type);
  if (members.length === 1 && checker.isArrayType(members[0])) members = nonNull(checker.getTypeArguments(members[0] as ts.TypeReference)[0]);
  if (!members.length || !members.every((m) => m.flags & (ts.TypeFlags.StringLiteral | ts.TypeFlags.NumberLiteral))) return [];
  return members.map((m) => (m as ts.LiteralType).value as string | number);
}

function nonNull(type: ts.Type): ts.Type[] {
  const members = type.flags & ts.TypeFlags.Union ? (type as ts.UnionType).types : [type];
  return members.filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)));
}

function withoutNull(type: ts.Type): ts.Type {
  const rest = nonNull(type);
  return rest.length === 1 ? rest[0] : type;
}

/** The JSDoc text, one line per paragraph (paragraphs apart by a blank line). */
function docOf(symbol: ts.Symbol, checker: ts.TypeChecker): string {
  return ts
    .displayPartsToString(symbol.getDocumentationComment(checker))
    .split(/\n\s*\n/)
    .map(oneLine)
    .filter(Boolean)
    .join('\n\n');
}

function isOwn(declaration: ts.Declaration): boolean {
  const file = declaration.getSourceFile();
  return !file.isDeclarationFile && !file.fileName.includes('/node_modules/');
}
