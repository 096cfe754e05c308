import type { DiagnosticCode } from '../../src/compiler/diagnostics/codes.js';
import type { Diagnostic, Label, Severity } from '../../src/compiler/diagnostics/diagnostic.js';
import type { SourceFile, Span } from '../../src/compiler/source.js';

/** Hand-built inputs for renderer tests: sources by path and spans found by searching text. */
export function sourcesOf(files: Record<string, string>): Map<string, SourceFile> {
  return new Map(Object.entries(files).map(([path, text]) => [path, { path, text }]));
}

/** The span of the `occurrence`-th (0-based) `needle` in `file`'s text. */
export function spanAt(
  sources: ReadonlyMap<string, SourceFile>,
  file: string,
  needle: string,
  occurrence = 0,
): Span {
  const text = sources.get(file)?.text ?? '';
  let start = -1;
  for (let i = 0; i <= occurrence; i++) start = text.indexOf(needle, start + 1);
  if (start < 0) throw new Error(`${needle} not in ${file}`);
  return { file, start, end: start + needle.length };
}

export interface DiagnosticParts {
  readonly code?: string;
  readonly severity?: Severity;
  readonly message?: string;
  readonly span: Span;
  readonly labels?: readonly Label[];
  readonly notes?: readonly string[];
  readonly help?: string;
  readonly callSites?: readonly Span[];
}

export function diagnostic(parts: DiagnosticParts): Diagnostic {
  return {
    severity: 'error',
    message: 'something is wrong',
    ...parts,
    code: (parts.code ?? 'NETC3001') as DiagnosticCode,
  };
}

export const lenet = [
  'network LeNet5(x: [1, 28, 28]) -> [10] {',
  '  conv2d(6, 5, pad=2) -> tanh -> avgpool(2)',
  '  conv2d(16, 5) -> tanh -> avgpool(2)',
  '  dense(120) -> relu',
  '  dense(10)',
  '}',
  '',
].join('\n');
