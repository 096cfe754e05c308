import * as path from 'node:path';
import { lineColumnAt, type SourceFile, type Span } from '../../source.js';

/** A span as people and tools count: 1-based lines and columns, `endColumn` exclusive. */
export interface Range {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  /** The column just after the last character of the span (equal to `column` when empty). */
  readonly endColumn: number;
}

/**
 * Line and column of both ends of `span`. A file missing from `sources` (it could not be
 * read) has no lines to count, so its spans are placed at 1:1.
 */
export function rangeOf(span: Span, sources: ReadonlyMap<string, SourceFile>): Range {
  const source = sources.get(span.file) ?? { path: span.file, text: '' };
  const start = lineColumnAt(source, span.start);
  const end = lineColumnAt(source, Math.max(span.start, span.end));
  return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

/**
 * The path to print for `file`: relative to `cwd` when the file lies inside it, otherwise as
 * the compiler was given it. Without `cwd` the path is printed as given.
 */
export function displayPath(file: string, cwd: string | undefined): string {
  if (cwd === undefined) return file;
  const relative = path.relative(cwd, path.resolve(cwd, file));
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  return inside ? relative : file;
}

/** `file:line:column` of the start of `span`. */
export function locationText(
  span: Span,
  sources: ReadonlyMap<string, SourceFile>,
  cwd: string | undefined,
): string {
  const { line, column } = rangeOf(span, sources);
  return `${displayPath(span.file, cwd)}:${line}:${column}`;
}
