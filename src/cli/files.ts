import * as fs from 'node:fs';
import * as path from 'node:path';

/** The files a command works on, or why the command line does not name any. */
export type FileSelection =
  | { readonly kind: 'files'; readonly files: readonly string[] }
  | { readonly kind: 'usage-error'; readonly message: string };

/** Directories that never hold sources of the project being checked. */
const skippedDirectories = new Set(['node_modules']);

/**
 * Absolute paths of the files named on the command line: a file as it is (whatever its
 * extension), a directory as every `.net` file below it, sorted, skipping `node_modules` and
 * hidden directories. A missing path, or a directory without `.net` files, is a usage error.
 */
export function selectFiles(args: readonly string[], cwd: string): FileSelection {
  const files: string[] = [];
  for (const arg of args) {
    const absolute = path.resolve(cwd, arg);
    const stat = statOrUndefined(absolute);
    if (stat === undefined) {
      return { kind: 'usage-error', message: `cannot find \`${arg}\`` };
    }
    if (!stat.isDirectory()) {
      files.push(absolute);
      continue;
    }
    const found = netFilesBelow(absolute);
    if (found.length === 0) {
      return { kind: 'usage-error', message: `no \`.net\` files in \`${arg}\`` };
    }
    files.push(...found);
  }
  return { kind: 'files', files: [...new Set(files)] };
}

function netFilesBelow(directory: string): string[] {
  const entries = fs.readdirSync(directory, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && !skippedDirectories.has(entry.name)) {
        found.push(...netFilesBelow(full));
      }
    } else if (entry.name.endsWith('.net') && (entry.isFile() || isFileLink(full))) {
      found.push(full);
    }
  }
  return found;
}

function isFileLink(file: string): boolean {
  return statOrUndefined(file)?.isFile() ?? false;
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
