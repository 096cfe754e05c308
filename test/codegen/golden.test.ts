import * as fs from 'node:fs';
import * as path from 'node:path';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../src/compiler/api.js';
import { buildNetwork, type BuiltNetwork } from '../../src/compiler/codegen/build.js';

/*
 * Golden snapshots of what `netc build` makes of every example, under
 * test/golden/build/<example>/: the final IR of every network (`<network>.ir`) and, for the
 * networks a train section trains, the WGSL listing (`<network>.wgsl`) and the generated
 * module (`<network>.ts`). The ImageNet-sized inference-only networks keep only their IR:
 * their listings run to megabytes, one module per layer geometry.
 * A change to lowering, a pass or a kernel shows up here as a reviewable diff.
 *
 *   UPDATE_GOLDEN=1 npx vitest run test/codegen/golden.test.ts
 *
 * rewrites them (and removes snapshots of networks that no longer exist).
 */

const root = path.resolve(import.meta.dirname, '../..');
const goldenRoot = path.join(root, 'test/golden/build');
const update = process.env['UPDATE_GOLDEN'] === '1';
const examples = fs
  .readdirSync(path.join(root, 'examples'))
  .filter((f) => f.endsWith('.net'))
  .sort();

/** The snapshot files of one network: name → text. */
function snapshots(built: BuiltNetwork): Record<string, string> {
  const files: Record<string, string> = { [`${built.network}.ir`]: built.ir };
  if (built.plan.train) {
    files[`${built.network}.wgsl`] = built.wgsl;
    files[`${built.network}.ts`] = built.module;
  }
  return files;
}

function buildExample(example: string): BuiltNetwork[] {
  const file = path.join(root, 'examples', example);
  const compiled = compileFile(file);
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return Object.keys(compiled.networks).map((name) => buildNetwork(compiled.analysis, name, file));
}

describe('golden build outputs', () => {
  it.each(examples)('%s', (example) => {
    const dir = path.join(goldenRoot, example.replace(/\.net$/, ''));
    const expected: Record<string, string> = {};
    for (const built of buildExample(example)) Object.assign(expected, snapshots(built));
    if (update) {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      for (const [name, text] of Object.entries(expected))
        fs.writeFileSync(path.join(dir, name), text);
      return;
    }
    const present = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
    expect(present, `snapshot files in ${path.relative(root, dir)}`).toEqual(
      Object.keys(expected).sort(),
    );
    for (const [name, text] of Object.entries(expected)) {
      const golden = fs.readFileSync(path.join(dir, name), 'utf8');
      expect(
        text,
        `${path.relative(root, path.join(dir, name))} (UPDATE_GOLDEN=1 rewrites it)`,
      ).toBe(golden);
    }
  });

  it('has no snapshots of examples that are gone', () => {
    const dirs = fs.existsSync(goldenRoot) ? fs.readdirSync(goldenRoot).sort() : [];
    const wanted = examples.map((e) => e.replace(/\.net$/, ''));
    if (update) {
      for (const d of dirs)
        if (!wanted.includes(d)) fs.rmSync(path.join(goldenRoot, d), { recursive: true });
      return;
    }
    expect(dirs).toEqual(wanted);
  });

  it('generates modules that prettier leaves as they are and that import only netc/runtime', async () => {
    const options = { parser: 'typescript', singleQuote: true, printWidth: 100 } as const;
    for (const example of examples) {
      for (const built of buildExample(example)) {
        const imports = [...built.module.matchAll(/^(?:import|export)[^;]*?from '([^']+)'/gm)].map(
          (m) => m[1],
        );
        expect(imports, built.network).toEqual(['netc/runtime']);
        expect(await prettier.format(built.module, options), built.network).toBe(built.module);
      }
    }
  });

  it('keeps the snapshots reviewable in size', () => {
    let total = 0;
    for (const dir of fs.existsSync(goldenRoot) ? fs.readdirSync(goldenRoot) : []) {
      for (const file of fs.readdirSync(path.join(goldenRoot, dir)))
        total += fs.statSync(path.join(goldenRoot, dir, file)).size;
    }
    expect(total).toBeLessThan(3 * 1024 * 1024);
  });
});
