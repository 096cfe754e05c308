import type { SourceFile } from '../../source.js';
import type { Diagnostic, Severity } from '../diagnostic.js';
import { displayPath, rangeOf } from './location.js';

export interface GithubRenderOptions {
  /** Paths inside this directory are printed relative to it (GitHub wants repository paths). */
  readonly cwd?: string;
}

const commands: Readonly<Record<Severity, string>> = {
  error: 'error',
  warning: 'warning',
  note: 'notice',
};

/**
 * GitHub Actions workflow commands, one line per diagnostic:
 * `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=CODE::message`.
 * GitHub's `endColumn` is inclusive and only meaningful on one line, so columns are given
 * only for single-line spans. `help` follows the message on a second line.
 */
export function renderGithub(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, SourceFile>,
  options: GithubRenderOptions = {},
): string {
  return diagnostics.map((d) => githubCommand(d, sources, options.cwd) + '\n').join('');
}

function githubCommand(
  d: Diagnostic,
  sources: ReadonlyMap<string, SourceFile>,
  cwd: string | undefined,
): string {
  const range = rangeOf(d.span, sources);
  const oneLine = range.endLine === range.line;
  const properties: (readonly [string, string | number])[] = [
    ['file', displayPath(d.span.file, cwd).split('\\').join('/')],
    ['line', range.line],
  ];
  if (oneLine) properties.push(['col', range.column]);
  properties.push(['endLine', range.endLine]);
  if (oneLine) properties.push(['endColumn', Math.max(range.column, range.endColumn - 1)]);
  properties.push(['title', d.code]);
  const message = d.help === undefined ? d.message : `${d.message}\nhelp: ${d.help}`;
  const list = properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`);
  return `::${commands[d.severity]} ${list.join(',')}::${escapeData(message)}`;
}

/** Escaping of a command's message, as GitHub's toolkit does it. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of a property value: the message escapes plus the separators `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
