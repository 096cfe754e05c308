import { analyzeFile } from '../compiler/compile.js';
import { dedupeDiagnostics, sortDiagnostics } from '../compiler/diagnostics/diagnostic.js';
import type { Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { renderGithub } from '../compiler/diagnostics/render/github.js';
import { renderJson } from '../compiler/diagnostics/render/json.js';
import { renderSarif } from '../compiler/diagnostics/render/sarif.js';
import type { SourceFile } from '../compiler/source.js';
import { selectFiles } from './files.js';
import type { CliIO } from './io.js';
import { countErrors, reportText, usageError } from './report.js';

export const checkFormats = ['text', 'json', 'github', 'sarif'] as const;
export type CheckFormat = (typeof checkFormats)[number];

export interface CheckOptions {
  readonly format: CheckFormat;
  /** netc's version, for the SARIF driver. */
  readonly version: string;
}

/**
 * `netc check <files...>`: compiles every file (directories: every `.net` file below) and
 * prints all diagnostics. Text goes to stderr; the machine formats go to stdout. A file
 * imported by several of the files checked reports its problems once.
 * Returns 1 when there are errors, 0 otherwise, 2 for a bad command line.
 */
export function runCheck(args: readonly string[], options: CheckOptions, io: CliIO): number {
  const selection = selectFiles(args, io.cwd);
  if (selection.kind === 'usage-error') return usageError(io, selection.message);

  const all: Diagnostic[] = [];
  const sources = new Map<string, SourceFile>();
  for (const file of selection.files) {
    const result = analyzeFile(file);
    all.push(...result.diagnostics);
    for (const [path, source] of result.sources) sources.set(path, source);
  }
  const diagnostics = sortDiagnostics(dedupeDiagnostics(all));

  const cwd = io.cwd;
  switch (options.format) {
    case 'text':
      reportText(diagnostics, sources, selection.files.length, io);
      break;
    case 'json':
      io.stdout(renderJson(diagnostics, sources, { cwd }));
      break;
    case 'github':
      io.stdout(renderGithub(diagnostics, sources, { cwd }));
      break;
    case 'sarif':
      io.stdout(renderSarif(diagnostics, sources, { cwd, toolVersion: options.version }));
      break;
  }
  return countErrors(diagnostics) > 0 ? 1 : 0;
}
