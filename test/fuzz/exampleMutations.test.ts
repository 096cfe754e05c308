import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertCompilesSafely, hasErrors, seed } from './harness.js';
import { mutate, mutation, tokenize } from './mutations.js';

/*
 * (c) Every example, with a few tokens deleted, duplicated, swapped, replaced or punctuation
 * inserted: the compiler never throws, and its diagnostics always point at valid spans.
 */

const examplesDir = path.resolve(import.meta.dirname, '../../examples');
const examples = fs
  .readdirSync(examplesDir)
  .filter((file) => file.endsWith('.net'))
  .sort()
  .map((file) => [file, fs.readFileSync(path.join(examplesDir, file), 'utf8')] as const);

describe('token-level mutations of the examples', () => {
  it('finds every example of the language brief', () => {
    expect(examples.length).toBeGreaterThanOrEqual(12);
  });

  it.each(examples)('%s compiles without errors before it is mutated', (_file, text) => {
    const { result } = assertCompilesSafely(text);
    expect(hasErrors(result)).toBe(false);
  });

  it.each(examples)('%s never crashes the compiler when mutated', (_file, text) => {
    expect(tokenize(text).length).toBeGreaterThan(10);
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        assertCompilesSafely(mutate(text, mutations));
      }),
      { seed, numRuns: 60 },
    );
  });
});

describe('the mutations themselves', () => {
  const text = 'network N(x: [4]) { dense(2) } // done';

  it('tokenize skips comments and keeps punctuation and numbers whole', () => {
    expect(tokenize(text).map((t) => t.text)).toEqual([
      'network',
      'N',
      '(',
      'x',
      ':',
      '[',
      '4',
      ']',
      ')',
      '{',
      'dense',
      '(',
      '2',
      ')',
      '}',
    ]);
  });

  it.each([
    [{ kind: 'delete', at: 1 }, 'network (x: [4]) { dense(2) } // done'],
    [{ kind: 'duplicate', at: 10 }, 'network N(x: [4]) { dense dense(2) } // done'],
    [{ kind: 'swap', at: 2, with: 1 }, 'network Nx(: [4]) { dense(2) } // done'],
    [{ kind: 'replace', at: 6, by: 12 }, 'network N(x: [2]) { dense(2) } // done'],
    [{ kind: 'insert', at: 9, text: '->' }, 'network N(x: [4]) ->{ dense(2) } // done'],
  ] as const)('%o changes only the tokens it names', (m, expected) => {
    expect(mutate(text, [m])).toBe(expected);
  });
});
