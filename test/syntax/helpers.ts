import { parseSource } from '../../src/compiler/syntax/parse.js';
import { lineColumnAt, type SourceFile } from '../../src/compiler/source.js';
import type { Diagnostic } from '../../src/compiler/diagnostics/diagnostic.js';
import type { Definition, Expr, Program, Statement } from '../../src/compiler/syntax/ast.js';
import { definitionText, exprText, statementText } from './sexpr.js';

export function source(text: string, path = 'test.net'): SourceFile {
  return { path, text };
}

export function parse(text: string): { program: Program; diagnostics: Diagnostic[] } {
  return parseSource(source(text));
}

/** `CODE@line:column` for every diagnostic, in order. */
export function codesAt(text: string): string[] {
  const file = source(text);
  return parseSource(file).diagnostics.map((d) => {
    const { line, column } = lineColumnAt(file, d.span.start);
    return `${d.code}@${line}:${column}`;
  });
}

/** The one diagnostic of `text` (fails the test if there is not exactly one). */
export function onlyDiagnostic(text: string): Diagnostic {
  const { diagnostics } = parse(text);
  if (diagnostics.length !== 1) {
    throw new Error(
      `expected one diagnostic, got ${diagnostics.length}:\n` +
        diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'),
    );
  }
  return diagnostics[0]!;
}

/** Parses `text`, requires no diagnostics, and returns its definitions as text. */
export function definitionsOf(text: string): string[] {
  const { program, diagnostics } = parse(text);
  if (diagnostics.length > 0) {
    throw new Error(diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  }
  return program.definitions.map(definitionText);
}

/** The statements of the body of the first definition (a network or block). */
export function statementsOf(text: string): Statement[] {
  const { program, diagnostics } = parse(text);
  if (diagnostics.length > 0) {
    throw new Error(diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  }
  const first: Definition | undefined = program.definitions[0];
  if (!first || (first.kind !== 'Network' && first.kind !== 'Block')) {
    throw new Error('expected a network or block');
  }
  return [...first.body.statements];
}

/** The statements of `network N(x: [1]) { body }` as text. */
export function bodyText(body: string): string[] {
  return statementsOf(`network N(x: [1]) {\n${body}\n}`).map(statementText);
}

/** The expression of `const c = <expr>` as text. */
export function expressionText(expr: string): string {
  return exprText(constValue(expr));
}

export function constValue(expr: string): Expr {
  const { program, diagnostics } = parse(`const c = ${expr}`);
  if (diagnostics.length > 0) {
    throw new Error(diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  }
  const first = program.definitions[0];
  if (first?.kind !== 'Const') throw new Error('expected a const');
  return first.value;
}

/** The source text a span covers. */
export function spanText(text: string, span: { start: number; end: number }): string {
  return text.slice(span.start, span.end);
}
