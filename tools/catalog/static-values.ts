import { relative, resolve } from 'node:path';
import * as ts from 'typescript';

/** The repository's root, for paths in what the catalogue writes (the same on every machine). */
export const REPO_ROOT = resolve(__dirname, '../..');

export function repoPath(file: string): string {
  return relative(REPO_ROOT, file).split('\\').join('/');
}

/** An expression the catalogue cannot reduce to strings without running the code. */
export class Unreadable extends Error {
  constructor(node: ts.Node, why: string) {
    const file = node.getSourceFile();
    const { line } = file.getLineAndCharacterOfPosition(node.getStart());
    super(`${why}: \`${oneLine(node.getText())}\` (${repoPath(file.fileName)}:${line + 1})`);
  }
}

/**
 * Reads string values from source without running it: literals, `as const` lists, constants and the
 * identifiers they are imported as, `new Set(list)`, `Object.keys(table)`, and calls of the few pure
 * functions given (`eventsTopic`). Anything else is Unreadable, never guessed.
 */
export class StaticValues {
  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly functions: Record<string, (...args: string[]) => string> = {},
  ) {}

  strings(node: ts.Expression, depth = 0): string[] {
    if (depth > 20) throw new Unreadable(node, 'too deep');
    const expression = unwrap(node);
    if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) return [expression.text];
    if (ts.isArrayLiteralExpression(expression)) {
      return expression.elements.flatMap((element) => this.strings(ts.isSpreadElement(element) ? element.expression : element, depth + 1));
    }
    if (ts.isNewExpression(expression) && expression.expression.getText() === 'Set') {
      return expression.arguments?.length ? this.strings(expression.arguments[0], depth + 1) : [];
    }
    if (ts.isCallExpression(expression)) {
      if (expression.expression.getText() === 'Object.keys' && expression.arguments.length === 1) return this.keys(expression.arguments[0], depth + 1);
      const callee = this.declarationOf(expression.expression);
      const name = callee && ts.isFunctionDeclaration(callee) ? callee.name?.text : undefined;
      const fn = name ? this.functions[name] : undefined;
      if (fn) {
        const args = expression.arguments.map((argument) => this.single(argument, depth + 1));
        return [fn(...args)];
      }
      throw new Unreadable(expression, 'a call the catalogue does not evaluate');
    }
    if (ts.isIdentifier(expression) || ts.isPropertyAccessExpression(expression)) {
      const declaration = this.declarationOf(expression);
      const initializer = declaration && initializerOf(declaration);
      if (initializer) return this.strings(initializer, depth + 1);
      throw new Unreadable(expression, 'not a constant');
    }
    throw new Unreadable(expression, 'not a string, a list or a constant');
  }

  /** The property names of an object literal, or of the constant holding one. */
  keys(node: ts.Expression, depth = 0): string[] {
    if (depth > 20) throw new Unreadable(node, 'too deep');
    const expression = unwrap(node);
    if (ts.isObjectLiteralExpression(expression)) {
      return expression.properties.flatMap((property) => {
        if (ts.isSpreadAssignment(property)) return this.keys(property.expression, depth + 1);
        const name = property.name;
        if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name))) return [name.text];
        throw new Unreadable(property, 'a computed key');
      });
    }
    if (ts.isIdentifier(expression) || ts.isPropertyAccessExpression(expression)) {
      const declaration = this.declarationOf(expression);
      const initializer = declaration && initializerOf(declaration);
      if (initializer) return this.keys(initializer, depth + 1);
    }
    throw new Unreadable(expression, 'not an object literal');
  }

  single(node: ts.Expression, depth = 0): string {
    const values = this.strings(node, depth);
    if (values.length !== 1) throw new Unreadable(node, 'not a single string');
    return values[0];
  }

  /** Where an identifier (or `a.b`) is declared, through imports. */
  declarationOf(node: ts.Node): ts.Declaration | undefined {
    let symbol = ts.isShorthandPropertyAssignment(node.parent)
      ? this.checker.getShorthandAssignmentValueSymbol(node.parent)
      : this.checker.getSymbolAtLocation(node);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    return symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  }
}

export function unwrap(node: ts.Expression): ts.Expression {
  let expression = node;
  while (
    ts.isParenthesizedExpression(expression) ||
    ts.isAsExpression(expression) ||
    ts.isSatisfiesExpression(expression) ||
    ts.isTypeAssertionExpression(expression) ||
    ts.isNonNullExpression(expression)
  ) {
    expression = expression.expression;
  }
  return expression;
}

function initializerOf(declaration: ts.Declaration): ts.Expression | undefined {
  if (ts.isVariableDeclaration(declaration)) {
    const isConst = ts.isVariableDeclarationList(declaration.parent) && declaration.parent.flags & ts.NodeFlags.Const;
    return isConst ? declaration.initializer : undefined;
  }
  if (ts.isPropertyAssignment(declaration)) return declaration.initializer;
  if (ts.isPropertyDeclaration(declaration) && declaration.modifiers?.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword)) {
    return declaration.initializer;
  }
  return undefined;
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
