import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeFile, type CompileOptions } from '../../src/compiler/compile.js';
import { renderText } from '../../src/compiler/diagnostics/render/text.js';

/*
 * Golden diagnostic cases: every `cases/*.net` is compiled from disk and its rendered
 * diagnostics are compared with `cases/<name>.expected`. Helper files that cases import live in
 * `cases/imports/` and are not cases themselves. A few inputs cannot sensibly live in the
 * repository (a file over the size limit); they are generated in code (`generatedCases`) and
 * their expected output lives in `cases/generated/`.
 */

export const casesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cases');
export const generatedDir = path.join(casesDir, 'generated');

/** When set, the harness writes `.expected` files instead of comparing with them. */
export const updating = process.env['UPDATE_GOLDEN'] === '1';

/** A case whose source is built in code and compiled in memory as `<name>.net`. */
export interface GeneratedCase {
  readonly name: string;
  /** Files by path relative to the entry's directory; `<name>.net` is the entry. */
  readonly files: () => Readonly<Record<string, string>>;
}

/** Names of the `.net` cases at the top level of `casesDir` (directories named `*.net` included). */
export function caseNames(): string[] {
  return fs
    .readdirSync(casesDir)
    .filter((entry) => entry.endsWith('.net'))
    .map((entry) => entry.slice(0, -'.net'.length))
    .sort();
}

/**
 * Renders the diagnostics of one on-disk case exactly as `netc check <name>.net` prints them
 * when run inside `casesDir`: paths in spans and messages are relative to it, so the
 * expected files do not depend on where the repository is checked out.
 */
export function renderCase(name: string): string {
  return renderEntry(`${name}.net`, (file) =>
    fs.readFileSync(path.resolve(casesDir, file), 'utf8'),
  );
}

/** Renders a generated case, reading its files from memory. */
export function renderGenerated(generated: GeneratedCase): string {
  const files = generated.files();
  return renderEntry(`${generated.name}.net`, (file) => {
    const text = files[path.normalize(file).split(path.sep).join('/')];
    if (text === undefined) throw new Error(`ENOENT: ${file}`);
    return text;
  });
}

function renderEntry(entry: string, readFile: NonNullable<CompileOptions['readFile']>): string {
  const result = analyzeFile(entry, { readFile });
  return renderText(result.diagnostics, result.sources, { cwd: casesDir });
}

export function expectedPath(name: string, dir = casesDir): string {
  return path.join(dir, `${name}.expected`);
}

export function readExpected(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

/** Names of the `.expected` files in `dir`, without the extension. */
export function expectedNames(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((entry) => entry.endsWith('.expected'))
    .map((entry) => entry.slice(0, -'.expected'.length))
    .sort();
}

/** Every `.expected` file of the suite: on-disk cases and generated ones. */
export function allExpectedFiles(): string[] {
  return [
    ...expectedNames(casesDir).map((name) => expectedPath(name)),
    ...expectedNames(generatedDir).map((name) => expectedPath(name, generatedDir)),
  ];
}

/** Codes of the diagnostics in a rendered text: the code of each `file:line:col severity CODE:` header. */
export function codesIn(rendered: string): string[] {
  const header = /^\S+:\d+:\d+ (?:error|warning|note) (NETC\d{4}):/gm;
  return [...rendered.matchAll(header)].map((match) => match[1]!);
}

/** The code a case is named after: `NETC3001-dense-on-image` shows NETC3001. */
export function codeInName(name: string): string | undefined {
  return /^(NETC\d{4})-/.exec(name)?.[1];
}
