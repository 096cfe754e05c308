import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { netc, project } from '../cli/harness.js';

/*
 * examples/app/ is an app built on a generated module: `MLP.ts` (and `MLP.wgsl`) are what
 * `netc build examples/mlp.net -o examples/app` writes, checked in. They must be exactly
 * what netc builds now (`UPDATE_GOLDEN=1 npx vitest run test/examples/app.test.ts`
 * rewrites them), the app must type-check against `netc/runtime`, and it must train.
 */

const root = path.resolve(import.meta.dirname, '../..');
const app = path.join(root, 'examples/app');
const generated = ['MLP.ts', 'MLP.wgsl'];

describe('the example app', () => {
  it('holds what `netc build examples/mlp.net` writes now', async () => {
    const out = project({});
    const { code } = await netc(root, ['build', 'examples/mlp.net', '-o', out]);
    expect(code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(generated);
    for (const file of generated) {
      const text = fs.readFileSync(path.join(out, file), 'utf8');
      if (process.env['UPDATE_GOLDEN'] === '1') fs.writeFileSync(path.join(app, file), text);
      expect(fs.readFileSync(path.join(app, file), 'utf8'), `examples/app/${file}`).toBe(text);
    }
  });

  it('type-checks against netc/runtime', () => {
    // Errors in netc's own sources are the type check's to report; these are the app's.
    const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
    let output = '';
    try {
      execFileSync(
        process.execPath,
        [tsc, '-p', path.join(app, 'tsconfig.json'), '--pretty', 'false'],
        {
          cwd: root,
          encoding: 'utf8',
        },
      );
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
      if (!/error TS\d+/.test(output)) throw error;
    }
    expect(output.split('\n').filter((line) => line.startsWith('examples/app/'))).toEqual([]);
  }, 180_000);

  it('trains the generated module and prints the loss', () => {
    const tsx = path.join(root, 'node_modules/tsx/dist/cli.mjs');
    const stdout = execFileSync(
      process.execPath,
      [
        tsx,
        '--tsconfig',
        path.join(app, 'tsconfig.json'),
        path.join(app, 'train-mlp.ts'),
        '20',
        'cpu',
      ],
      { encoding: 'utf8', cwd: root },
    );
    const losses = [...stdout.matchAll(/^step (\d+): loss (\d+\.\d+)$/gm)].map((m) => Number(m[2]));
    expect(losses).toHaveLength(3);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    expect(stdout).toMatch(/^trained 20 steps; the weights take \d+ bytes as safetensors$/m);
  }, 120_000);
});
