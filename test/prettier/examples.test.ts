import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatNet } from './format.js';
import { treeWithoutPositions } from './syntaxTree.js';
import { tokenStreams } from './tokens.js';

/* Every shipped example (listed when the tests run) survives formatting. */

const examplesDir = path.join(import.meta.dirname, '..', '..', 'examples');
const examples = readdirSync(examplesDir)
  .filter((name) => name.endsWith('.net'))
  .sort();

describe('formatting the examples', () => {
  it('finds the examples', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  describe.each(examples)('%s', (name) => {
    const source = readFileSync(path.join(examplesDir, name), 'utf8');

    it('is idempotent: formatting the formatted file changes nothing', async () => {
      const once = await formatNet(source, { filepath: name });
      expect(await formatNet(once, { filepath: name })).toBe(once);
    });

    it('keeps every token and every comment', async () => {
      const once = await formatNet(source, { filepath: name });
      expect(tokenStreams(once)).toEqual(tokenStreams(source));
    });

    it('keeps the syntax tree', async () => {
      const once = await formatNet(source, { filepath: name });
      expect(treeWithoutPositions(once)).toEqual(treeWithoutPositions(source));
    });
  });
});
