import { describe, expect, it } from 'vitest';
import { formatNet } from './format.js';

/* A file with a syntax error is not formatted: Prettier rejects with the error's line:col. */

const badFiles: readonly (readonly [what: string, source: string, at: string])[] = [
  ['an unclosed argument list', 'network N(x: [1]) -> [1] {\n  dense(1\n}\n', '2:10'],
  ['a stray closing bracket', 'network N(x: [1]) -> [1] {\n  dense(1))\n}\n', '2:11'],
  ['a missing `=` in a constant', 'const a 1\n', '1:9'],
  ['an unterminated string', 'import "./x.net\n', '1:8'],
  ['a malformed number', 'const a = 1e\n', '1:11'],
  ['an unexpected character', 'network N(x: [1]) -> [1] {\n  dense(1) # comment\n}\n', '2:12'],
  ['an arrow with no step before it', 'network N(x: [1]) -> [1] {\n  -> relu\n}\n', '2:3'],
  ['an unterminated block comment', 'const a = 1 /* never closed\n', '1:13'],
];

describe('formatting a file with a syntax error', () => {
  it.each(badFiles)('rejects %s, naming line:col', async (_what, source, at) => {
    await expect(formatNet(source, { filepath: 'bad.net' })).rejects.toThrow(`(${at})`);
  });

  it('reports the first error of the file when there are several', async () => {
    const source = 'const a = 1e\nconst b = 2x\n';
    await expect(formatNet(source)).rejects.toThrow(/\(1:11\)/);
  });

  it('attaches a Prettier code frame to the error', async () => {
    const error: unknown = await formatNet('const a 1\n').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyntaxError);
    expect(String((error as Error).message)).toMatch(/> 1 \| const a 1/);
  });
});
