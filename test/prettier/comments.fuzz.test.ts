import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNet } from './format.js';
import { treeWithoutPositions } from './syntaxTree.js';
import { codeTokenSpans, tokenStreams } from './tokens.js';

/*
 * Comments in random places of real files: before any token (`/* c *\/`), at the end of any
 * line that ends in code (`// c`), on a line of their own above any line that starts with
 * code. Each placement is legal `.net`; formatting must keep every comment, keep the code
 * (tokens and syntax tree) and be idempotent. Fixed seed, so a failure reproduces.
 */

const root = path.join(import.meta.dirname, '..', '..');
const sources = [
  ...readdirSync(path.join(root, 'examples'))
    .filter((name) => name.endsWith('.net'))
    .map((name) => path.join(root, 'examples', name)),
  ...readdirSync(path.join(import.meta.dirname, 'cases'))
    .filter((name) => name.endsWith('.net') && !name.endsWith('.expected.net'))
    .map((name) => path.join(import.meta.dirname, 'cases', name)),
].map((file) => readFileSync(file, 'utf8'));

interface Insertion {
  readonly at: number;
  readonly text: string;
}

/** Every place a comment may go in `source`, as a function of the comment's number. */
function commentSlots(source: string): ((n: number) => Insertion)[] {
  const slots: ((n: number) => Insertion)[] = [];
  for (const token of codeTokenSpans(source)) {
    slots.push((n) => ({ at: token.start, text: `/* c${n} */ ` }));
    if (/^[ \t]*(\r?\n|$)/.test(source.slice(token.end)))
      slots.push((n) => ({ at: token.end, text: `  // c${n}` }));
    const lineStart = source.lastIndexOf('\n', token.start - 1) + 1;
    if (/^[ \t]*$/.test(source.slice(lineStart, token.start))) {
      slots.push((n) => ({ at: lineStart, text: `// c${n}\n` }));
    }
  }
  return slots;
}

function insertAll(source: string, insertions: readonly Insertion[]): string {
  // From the end, so earlier offsets stay valid; equal offsets keep their drawn order.
  const ordered = insertions
    .map((insertion, i) => ({ ...insertion, i }))
    .sort((a, b) => b.at - a.at || b.i - a.i);
  return ordered.reduce(
    (text, { at, text: comment }) => text.slice(0, at) + comment + text.slice(at),
    source,
  );
}

const commentedSource = fc.constantFrom(...sources).chain((source) => {
  const slots = commentSlots(source);
  return fc
    .array(fc.integer({ min: 0, max: slots.length - 1 }), { minLength: 1, maxLength: 10 })
    .map((picks) =>
      insertAll(
        source,
        picks.map((pick, n) => slots[pick]!(n)),
      ),
    );
});

describe('formatting files with comments in random places', () => {
  it('keeps every comment, keeps the code and is idempotent', async () => {
    await fc.assert(
      fc.asyncProperty(
        commentedSource,
        fc.constantFrom(20, 40, 80, 120),
        async (source, printWidth) => {
          const once = await formatNet(source, { printWidth });
          expect(tokenStreams(once)).toEqual(tokenStreams(source));
          expect(treeWithoutPositions(once)).toEqual(treeWithoutPositions(source));
          expect(await formatNet(once, { printWidth })).toBe(once);
        },
      ),
      { seed: 20240601, numRuns: 300 },
    );
  });
});
