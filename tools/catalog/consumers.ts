import * as ts from 'typescript';
import { repoPath, StaticValues, Unreadable, unwrap } from './static-values';

/** One entry of a service's `consumers: [...]` (PlatformModule.forRoot), as read from its source. */
export interface ConsumerDefinitionDoc {
  /** The consuming service. */
  service: string;
  /** The default consumer group: the service, or `<service>.<name>` (KAFKA_CONSUMER_GROUP replaces the service part). */
  group: string;
  handler: string;
  handlerFile: string;
  topics: string[];
  /** The event type strings its handler tests `event.type` against, in the order found. */
  handles: string[];
  /** What the catalogue could not read; the consumer may then handle more than `handles` says. */
  doubts: string[];
}

const COMPARISONS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/** How deep the catalogue follows `handle(event)` into the functions the event is handed to. */
const FOLLOW_DEPTH = 2;

/**
 * The consumers declared in each `services/<service>/src/app.module.ts`: the object literal with a
 * `consumers` array (`{ name?, topics: [TOPICS.x, …], handler: SomeConsumer }`), the topics read
 * through `TOPICS`, and for each handler class the event types its `handle` method picks.
 */
export function readConsumers(program: ts.Program, values: StaticValues, moduleFiles: string[]): ConsumerDefinitionDoc[] {
  const consumers: ConsumerDefinitionDoc[] = [];
  for (const file of moduleFiles) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`Not in the program: ${file}`);
    visit(source, (node) => {
      if (!ts.isObjectLiteralExpression(node)) return;
      const list = property(node, 'consumers');
      if (!list) return;
      const service = serviceOf(node, values, file);
      const definitions = unwrap(list);
      if (!ts.isArrayLiteralExpression(definitions)) throw new Unreadable(list, 'consumers is not a list');
      for (const definition of definitions.elements) {
        if (!ts.isObjectLiteralExpression(definition)) throw new Unreadable(definition, 'a consumer is not an object literal');
        consumers.push(readDefinition(definition, service, values));
      }
    });
  }
  return consumers;
}

function readDefinition(definition: ts.ObjectLiteralExpression, service: string, values: StaticValues): ConsumerDefinitionDoc {
  const doubts: string[] = [];
  const name = property(definition, 'name');
  const group = name ? `${service}.${values.single(name)}` : service;
  const topicsNode = property(definition, 'topics');
  const topics = topicsNode ? values.strings(topicsNode) : [];
  const handlerNode = property(definition, 'handler');
  if (!handlerNode) throw new Unreadable(definition, 'a consumer without a handler');
  const declaration = values.declarationOf(handlerNode);
  if (!declaration || !ts.isClassDeclaration(declaration)) throw new Unreadable(handlerNode, 'the handler is not a class');
  const handles = new Set<string>();
  const handle = declaration.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && m.name.getText() === 'handle');
  if (handle) readHandled(handle, 0, values, handles, doubts, 0);
  else doubts.push(`${declaration.name?.text} has no handle method the catalogue can read`);
  for (const member of declaration.members) {
    const initializer = ts.isPropertyDeclaration(member) && member.name.getText() === 'handles' ? member.initializer : undefined;
    if (initializer) collect(() => values.strings(initializer), handles, doubts);
  }
  if (!handles.size && !doubts.length) doubts.push(`${declaration.name?.text} tests no event type: it may handle every event of its topics`);
  return {
    service,
    group,
    handler: declaration.name?.text ?? '(anonymous)',
    handlerFile: repoPath(declaration.getSourceFile().fileName),
    topics,
    handles: [...handles],
    doubts,
  };
}

/**
 * The event types a function picks by its parameter's `type`: `event.type === 'X'` (or `!==`),
 * `case 'X'`, `LIST.has(event.type)` / `.includes(…)`, `TABLE[event.type]`; and, a level or two
 * down, the same in the functions it hands the event itself to.
 */
function readHandled(fn: ts.FunctionLikeDeclaration, parameterIndex: number, values: StaticValues, handles: Set<string>, doubts: string[], depth: number): void {
  const parameter = fn.parameters[parameterIndex];
  if (!parameter || !ts.isIdentifier(parameter.name) || !fn.body) {
    doubts.push(`cannot read the event parameter of ${describe(fn)}`);
    return;
  }
  const event = parameter.name.text;
  const isEventType = (node: ts.Node): node is ts.PropertyAccessExpression =>
    ts.isPropertyAccessExpression(node) && node.name.text === 'type' && ts.isIdentifier(node.expression) && node.expression.text === event;

  visit(fn.body, (node) => {
    if (isEventType(node)) {
      let use: ts.Expression = node; // `event.type as Kind`, `(event.type)`: the same value
      while (isWrapper(use.parent)) use = use.parent;
      const parent = use.parent;
      if (ts.isBinaryExpression(parent) && COMPARISONS.has(parent.operatorToken.kind)) {
        collect(() => values.strings(parent.left === use ? parent.right : parent.left), handles, doubts);
      } else if (ts.isSwitchStatement(parent)) {
        for (const clause of parent.caseBlock.clauses) if (ts.isCaseClause(clause)) collect(() => values.strings(clause.expression), handles, doubts);
      } else if (ts.isCallExpression(parent) && ts.isPropertyAccessExpression(parent.expression) && ['has', 'includes'].includes(parent.expression.name.text)) {
        const list = parent.expression.expression;
        collect(() => values.strings(list), handles, doubts);
      } else if (ts.isElementAccessExpression(parent) && parent.argumentExpression === use) {
        collect(() => values.keys(parent.expression), handles, doubts);
      } else {
        doubts.push(new Unreadable(parent, 'event.type used in a way the catalogue does not read').message);
      }
    }
    if (ts.isCallExpression(node) && depth < FOLLOW_DEPTH) {
      const index = node.arguments.findIndex((argument) => ts.isIdentifier(argument) && argument.text === event);
      if (index < 0) return;
      const callee = values.declarationOf(ts.isPropertyAccessExpression(node.expression) ? node.expression.name : node.expression);
      const target = callee && functionOf(callee);
      if (target && !target.getSourceFile().fileName.includes('/node_modules/')) readHandled(target, index, values, handles, doubts, depth + 1);
    }
  });
}

function isWrapper(node: ts.Node): node is ts.AsExpression | ts.ParenthesizedExpression | ts.NonNullExpression | ts.SatisfiesExpression {
  return ts.isAsExpression(node) || ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node);
}

function functionOf(declaration: ts.Declaration): ts.FunctionLikeDeclaration | undefined {
  if (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration)) return declaration;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
    const initializer = unwrap(declaration.initializer);
    if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) return initializer;
  }
  return undefined;
}

function collect(read: () => string[], into: Set<string>, doubts: string[]): void {
  try {
    for (const value of read()) into.add(value);
  } catch (error) {
    if (!(error instanceof Unreadable)) throw error;
    doubts.push(error.message);
  }
}

/** The `service` beside `consumers` (PlatformModule.forRoot's options); else the service's folder. */
function serviceOf(options: ts.ObjectLiteralExpression, values: StaticValues, file: string): string {
  const service = property(options, 'service');
  if (service) return values.single(service);
  const folder = /services\/([^/]+)\/src\//.exec(file.split('\\').join('/'));
  if (!folder) throw new Unreadable(options, 'no service name');
  return folder[1];
}

function property(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of object.properties) {
    if (ts.isPropertyAssignment(p) && p.name.getText() === name) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
  }
  return undefined;
}

function visit(node: ts.Node, each: (node: ts.Node) => void): void {
  each(node);
  ts.forEachChild(node, (child) => visit(child, each));
}

function describe(fn: ts.FunctionLikeDeclaration): string {
  return `${fn.name?.getText() ?? 'a function'} (${repoPath(fn.getSourceFile().fileName)})`;
}
