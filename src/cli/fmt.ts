import * as fs from 'node:fs';
import type { Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { displayPath } from '../compiler/diagnostics/render/location.js';
import type { SourceFile } from '../compiler/source.js';
import { parseSource } from '../compiler/syntax/parse.js';
import { selectFiles } from './files.js';
import type { CliIO } from './io.js';
import { plural, reportText, usageError } from './report.js';

export interface FmtOptions {
  /** Report unformatted files instead of rewriting them. */
  readonly check: boolean;
}

type Format = (text: string, filepath: string) => Promise<string>;

/**
 * `netc fmt <files...>`: formats `.net` files with the Prettier plugin, rewriting only files
 * that change and listing them on stdout. With `--check` nothing is written; the files that
 * would change are listed and the exit code is 1 if there are any. A file with syntax errors
 * is left alone and its errors are printed as `netc check` prints them (exit code 1).
 */
export async function runFmt(
  args: readonly string[],
  options: FmtOptions,
  io: CliIO,
): Promise<number> {
  const selection = selectFiles(args, io.cwd);
  if (selection.kind === 'usage-error') return usageError(io, selection.message);

  const format = await loadFormatter();
  const problems: Diagnostic[] = [];
  const sources = new Map<string, SourceFile>();
  const changed: string[] = [];
  let unreadable = 0;
  for (const file of selection.files) {
    const source = readSource(file, io);
    if (source === undefined) {
      unreadable++;
      continue;
    }
    sources.set(file, source);
    const errors = parseSource(source).diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      problems.push(...errors);
      continue;
    }
    const formatted = await format(source.text, file);
    if (formatted === source.text) continue;
    changed.push(file);
    if (!options.check) fs.writeFileSync(file, formatted);
  }

  reportText(problems, sources, selection.files.length, io);
  for (const file of changed) io.stdout(displayPath(file, io.cwd) + '\n');
  if (options.check && changed.length > 0) {
    io.stderr(`${plural(changed.length, 'file')} not formatted; run \`netc fmt\` to format\n`);
  }
  const unformatted = options.check && changed.length > 0;
  return problems.length > 0 || unreadable > 0 || unformatted ? 1 : 0;
}

/** The file's text, or undefined after saying why it cannot be read. */
function readSource(file: string, io: CliIO): SourceFile | undefined {
  try {
    return { path: file, text: fs.readFileSync(file, 'utf8') };
  } catch (error) {
    const reason = error instanceof Error ? `: ${error.message}` : '';
    io.stderr(`error: cannot read \`${displayPath(file, io.cwd)}\`${reason}\n`);
    return undefined;
  }
}

/** Prettier and the plugin are loaded only for `fmt`, so `check` starts fast. */
async function loadFormatter(): Promise<Format> {
  const [prettier, plugin] = await Promise.all([
    import('prettier'),
    import('../prettier/index.js'),
  ]);
  return async (text, filepath) => {
    const config = (await prettier.resolveConfig(filepath)) ?? {};
    return prettier.format(text, {
      ...config,
      filepath,
      parser: 'netc',
      plugins: [plugin.default],
    });
  };
}
