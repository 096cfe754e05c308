import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatNet } from './format.js';
import { treeWithoutPositions } from './syntaxTree.js';
import { tokenStreams } from './tokens.js';

/*
 * Input/output pairs: `cases/<name>.net` formats to `cases/<name>.expected.net`.
 * `UPDATE_GOLDENS=1 npx vitest run test/prettier` rewrites the expected files (review the diff).
 */

const casesDir = path.join(import.meta.dirname, 'cases');
const inputs = readdirSync(casesDir)
  .filter((name) => name.endsWith('.net') && !name.endsWith('.expected.net'))
  .sort();

describe('formatting the cases', () => {
  it('has at least fifteen input/output pairs', () => {
    expect(inputs.length).toBeGreaterThanOrEqual(15);
  });

  describe.each(inputs)('%s', (name) => {
    const input = readFileSync(path.join(casesDir, name), 'utf8');
    const expectedPath = path.join(casesDir, name.replace(/\.net$/, '.expected.net'));

    it('formats to its expected output', async () => {
      const output = await formatNet(input, { filepath: name });
      if (process.env['UPDATE_GOLDENS']) writeFileSync(expectedPath, output);
      expect(output).toBe(readFileSync(expectedPath, 'utf8'));
    });

    it('leaves its expected output unchanged', async () => {
      const expected = readFileSync(expectedPath, 'utf8');
      expect(await formatNet(expected, { filepath: name })).toBe(expected);
    });

    it('keeps every token and every comment', async () => {
      const output = await formatNet(input, { filepath: name });
      expect(tokenStreams(output)).toEqual(tokenStreams(input));
    });

    it('keeps the syntax tree', async () => {
      const output = await formatNet(input, { filepath: name });
      expect(treeWithoutPositions(output)).toEqual(treeWithoutPositions(input));
    });
  });
});
