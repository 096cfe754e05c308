import type { SourceFile } from '../../source.js';
import type { Diagnostic, Severity } from '../diagnostic.js';
import { displayPath, rangeOf } from './location.js';

export interface JsonRenderOptions {
  /** Paths inside this directory are printed relative to it. */
  readonly cwd?: string;
}

/** One diagnostic in `netc check --format json`; keys in this order, `help` only when known. */
export interface JsonDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  /** Exclusive: the column just after the span's last character. */
  readonly endColumn: number;
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly help?: string;
}

/**
 * `{"diagnostics":[{"file","line","column","endLine","endColumn","severity","code","message","help"}]}`
 * with 1-based lines and columns (UTF-16 code units, as editors count them).
 */
export function renderJson(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, SourceFile>,
  options: JsonRenderOptions = {},
): string {
  const items = diagnostics.map((d) => toJsonDiagnostic(d, sources, options.cwd));
  return JSON.stringify({ diagnostics: items }, null, 2) + '\n';
}

export function toJsonDiagnostic(
  d: Diagnostic,
  sources: ReadonlyMap<string, SourceFile>,
  cwd: string | undefined,
): JsonDiagnostic {
  const range = rangeOf(d.span, sources);
  return {
    file: displayPath(d.span.file, cwd),
    line: range.line,
    column: range.column,
    endLine: range.endLine,
    endColumn: range.endColumn,
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.help === undefined ? {} : { help: d.help }),
  };
}
