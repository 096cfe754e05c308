import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** Module specifiers a file loads at run time (type-only imports and exports are erased). */
function runtimeImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  const pattern = /^\s*(import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const match of text.matchAll(pattern)) {
    if (!match[2]) specifiers.push(match[3]!);
  }
  return specifiers;
}

/** Every file and package reachable from `entry` through run-time imports. */
function closure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of runtimeImports(file)) {
      if (specifier.startsWith('.'))
        pending.push(path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  }
  return { files, packages };
}

describe('package entry points', () => {
  it('keeps `netc/runtime` free of the parser, the formatter and the CLI', () => {
    const { files, packages } = closure(path.join(root, 'src/runtime/index.ts'));
    const heavy = [...packages].filter((p) =>
      ['chevrotain', 'prettier', 'commander'].some((h) => p === h || p.startsWith(`${h}/`)),
    );
    expect(heavy).toEqual([]);
    const frontEnd = [...files].filter((f) =>
      /src\/(compiler\/(syntax|resolve)|cli|prettier)\//.test(f),
    );
    expect(frontEnd).toEqual([]);
  });

  it('keeps `netc/runtime` free of the file system, which generated modules never need', () => {
    const { packages } = closure(path.join(root, 'src/runtime/index.ts'));
    expect([...packages].filter((p) => p === 'fs' || p.startsWith('node:fs'))).toEqual([]);
  });

  it('declares both entry points in package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.exports)).toEqual(expect.arrayContaining(['.', './runtime']));
    expect(pkg.type).toBe('module');
    expect(pkg.bin.netc).toBe('./bin/netc.js');
  });

  it('sees the compiler entry point load the parser', () => {
    const { packages } = closure(path.join(root, 'src/compiler/index.ts'));
    expect(packages.has('chevrotain')).toBe(true);
  });
});
