import type { Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { renderText } from '../compiler/diagnostics/render/text.js';
import type { SourceFile } from '../compiler/source.js';
import { useColor, type CliIO } from './io.js';

/** `1 error`, `2 warnings`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function countErrors(diagnostics: readonly Diagnostic[]): number {
  return diagnostics.filter((d) => d.severity === 'error').length;
}

export function countWarnings(diagnostics: readonly Diagnostic[]): number {
  return diagnostics.filter((d) => d.severity === 'warning').length;
}

/** `checked 3 files: 1 error, 2 warnings`. */
export function countLine(files: number, diagnostics: readonly Diagnostic[]): string {
  const errors = plural(countErrors(diagnostics), 'error');
  const warnings = plural(countWarnings(diagnostics), 'warning');
  return `checked ${plural(files, 'file')}: ${errors}, ${warnings}\n`;
}

/**
 * Diagnostics in the text format on stderr, followed by the count line; nothing at all when
 * there are none, so a clean run is silent.
 */
export function reportText(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, SourceFile>,
  files: number,
  io: CliIO,
): void {
  if (diagnostics.length === 0) return;
  io.stderr(renderText(diagnostics, sources, { color: useColor(io), cwd: io.cwd }));
  io.stderr('\n' + countLine(files, diagnostics));
}

/** A usage problem: `error: ...` on stderr, as commander reports its own. */
export function usageError(io: CliIO, message: string): 2 {
  io.stderr(`error: ${message}\n`);
  return 2;
}
