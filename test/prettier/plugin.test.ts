import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import plugin, { languages, parsers, printers } from '../../src/prettier/index.js';
import { formatNet } from './format.js';
import { treeWithoutPositions } from './syntaxTree.js';

/* The plugin as Prettier sees it, and Prettier's options that it honours. */

describe('the plugin object', () => {
  it('declares the `netc` language for `.net` files', () => {
    expect(languages).toEqual([
      expect.objectContaining({ name: 'netc', parsers: ['netc'], extensions: ['.net'] }),
    ]);
  });

  it('has the `netc` parser producing the `netc-ast` format that its printer prints', () => {
    expect(parsers.netc.astFormat).toBe('netc-ast');
    expect(Object.keys(printers)).toEqual(['netc-ast']);
    expect(plugin).toEqual({ languages, parsers, printers });
  });

  it('takes node locations from spans', () => {
    const node = { kind: 'Name', name: 'relu', span: { file: 'a.net', start: 4, end: 8 } } as const;
    expect([parsers.netc.locStart(node), parsers.netc.locEnd(node)]).toEqual([4, 8]);
  });

  it('lets Prettier pick the parser from a `.net` file name', async () => {
    expect(await prettier.format('const  a=1', { filepath: 'model.net', plugins: [plugin] })).toBe(
      'const a = 1\n',
    );
  });
});

describe('formatting in an editor', () => {
  it('keeps the cursor on the same character (formatWithCursor)', async () => {
    const text = 'const a=1\nconst b=2\n';
    const result = await prettier.formatWithCursor(text, {
      parser: 'netc',
      plugins: [plugin],
      cursorOffset: text.indexOf('b='),
    });
    expect(result.formatted).toBe('const a = 1\nconst b = 2\n');
    expect(result.formatted.slice(result.cursorOffset)).toBe('b = 2\n');
  });

  it('leaves a file alone when asked to format only a range', async () => {
    const text = 'const a=1\nconst b=2\n';
    const options = { parser: 'netc', plugins: [plugin], rangeStart: 10, rangeEnd: 19 };
    expect(await prettier.format(text, options)).toBe(text);
  });
});

describe('formatting with Prettier options', () => {
  const chain =
    'network N(x: [784]) -> [10] {\n  dense(300) -> relu -> dropout(0.5) -> dense(10)\n}\n';

  it.each([
    [80, '  dense(300) -> relu -> dropout(0.5) -> dense(10)\n'],
    [40, '  dense(300)\n    -> relu\n    -> dropout(0.5)\n    -> dense(10)\n'],
  ])('at printWidth %i puts the chain as %j', async (printWidth, body) => {
    expect(await formatNet(chain, { printWidth })).toBe(
      `network N(x: [784]) -> [10] {\n${body}}\n`,
    );
  });

  it('indents with tabWidth spaces', async () => {
    expect(await formatNet(chain, { tabWidth: 4 })).toContain('\n    dense(300) -> relu');
  });

  it('indents with tabs under useTabs', async () => {
    expect(await formatNet(chain, { useTabs: true })).toContain('\n\tdense(300) -> relu');
  });

  it('writes line feeds for a file with CRLF line endings', async () => {
    expect(await formatNet('const a = 1\r\n\r\n\r\nconst b = 2  // two\r\n')).toBe(
      'const a = 1\n\nconst b = 2  // two\n',
    );
  });

  it.each([
    ['an empty file', '', ''],
    ['a file of blank lines', '\n\n  \n', ''],
    ['a file of comments only', '// one\n\n\n/* two */\n', '// one\n\n/* two */\n'],
  ])('formats %s', async (_what, source, expected) => {
    expect(await formatNet(source)).toBe(expected);
  });
});

describe('formatting at any width', () => {
  const casesDir = path.join(import.meta.dirname, 'cases');
  const expectedFiles = readdirSync(casesDir).filter((name) => name.endsWith('.expected.net'));

  describe.each([20, 40, 120])('printWidth %i', (printWidth) => {
    it.each(expectedFiles)('%s keeps its syntax tree and is idempotent', async (name) => {
      const source = readFileSync(path.join(casesDir, name), 'utf8');
      const once = await formatNet(source, { printWidth });
      expect(treeWithoutPositions(once)).toEqual(treeWithoutPositions(source));
      expect(await formatNet(once, { printWidth })).toBe(once);
    });
  });
});
