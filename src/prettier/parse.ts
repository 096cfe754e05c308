import type { Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { lineColumnAt, type SourceFile } from '../compiler/source.js';
import { parseSource } from '../compiler/syntax/parse.js';
import type { NetcFile } from './nodes.js';

/*
 * The Prettier parser: the compiler's own parser, and no formatting of a file that has
 * syntax errors (a recovered AST could lose the user's text).
 */

/** A parse failure in Prettier's convention: `loc` makes Prettier print a code frame. */
export interface NetcSyntaxError extends SyntaxError {
  readonly loc: { readonly start: { readonly line: number; readonly column: number } };
  readonly diagnostic: Diagnostic;
}

export function parseNetc(
  text: string,
  options: { readonly filepath?: string | undefined },
): NetcFile {
  const source: SourceFile = { path: options.filepath ?? '<input>', text };
  const { program, diagnostics } = parseSource(source);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const first = errors.reduce<Diagnostic | undefined>(
    (earliest, d) => (earliest === undefined || d.span.start < earliest.span.start ? d : earliest),
    undefined,
  );
  if (first) throw syntaxError(source, first);
  return {
    kind: 'NetcFile',
    program,
    text,
    span: { file: source.path, start: 0, end: text.length },
  };
}

function syntaxError(source: SourceFile, diagnostic: Diagnostic): NetcSyntaxError {
  const { line, column } = lineColumnAt(source, diagnostic.span.start);
  const error = new SyntaxError(`${diagnostic.code}: ${diagnostic.message} (${line}:${column})`);
  return Object.assign(error, { loc: { start: { line, column } }, diagnostic });
}
