import { describe, expect, it } from 'vitest';
import { bodyText, codesAt, definitionsOf } from './helpers.js';

/* LANGUAGE §1: where statements end. */

describe('a statement', () => {
  it.each([
    ['ends at a newline', 'a\nb', ['a', 'b']],
    ['ends at `;`', 'a; b', ['a', 'b']],
    ['ends at a newline after `\\r\\n`', 'a\r\nb', ['a', 'b']],
    ['continues after a line ending with `->`', 'a ->\n  b ->\n  c', ['(-> a b c)']],
    ['continues on a line starting with `->`', 'a\n  -> b\n  -> c', ['(-> a b c)']],
    ['continues across blank lines before a leading `->`', 'a\n\n  -> b', ['(-> a b)']],
    ['continues across a comment line', 'a ->\n  // why\n  b', ['(-> a b)']],
    ['continues inside `( )`', 'conv2d(6,\n  5,\n  pad=2)', ['(conv2d 6 5 pad=2)']],
    ['continues inside `[ ]`', 'x : [1,\n  28,\n  28]', ['(:: x [1 28 28])']],
    ['continues inside a group', '(a\n  -> b\n  -> c)', ['(group (-> a b c))']],
    ['ends inside `{ }` of a call', 'concat {\n  a\n  b\n}', ['concat{a; b}']],
    [
      'continues around an `if` inside parentheses',
      'residual(shortcut = if s == 1 then identity\n  else conv2d(c, 1) -> batchnorm) {\n  relu\n}',
      ['(residual shortcut=(if (== s 1) identity (-> (conv2d c 1) batchnorm))){relu}'],
    ],
    ['may be followed by blank lines and `;`s', 'a\n\n;;\n\nb\n', ['a', 'b']],
    ['continues on a line starting with `{`', 'concat\n{\n  a\n}', ['concat{a}']],
    [
      'continues on lines starting with `then` and `else`',
      'if a\n  then b\n  else c -> d',
      ['(if a b (-> c d))'],
    ],
  ])('%s', (_, body, expected) => {
    expect(bodyText(body)).toEqual(expected);
  });
});

describe('a definition', () => {
  it.each([
    ['ends at a newline', 'const a = 1\nconst b = 2', ['(const a 1)', '(const b 2)']],
    ['ends at `;`', 'const a = 1; const b = 2', ['(const a 1)', '(const b 2)']],
    ['continues inside parentheses', 'const a = f(\n  1,\n  2\n)', ['(const a (f 1 2))']],
    ['continues on a line starting with `->`', 'const a = x\n  -> relu', ['(const a (-> x relu))']],
    ['may follow blank lines and comments', '\n\n// c\n\nconst a = 1\n\n', ['(const a 1)']],
    ['continues on a line starting with `{`', 'block B\n{\n  relu\n}', ['(block B () {relu})']],
  ])('%s', (_, text, expected) => {
    expect(definitionsOf(text)).toEqual(expected);
  });
});

describe('layout errors', () => {
  it.each([
    ['a body starting with `->`', 'network N(x: [1]) {\n  -> relu\n}', ['NETC1015@2:3']],
    ['`->` after `(`', 'const a = f(-> b)', ['NETC1015@1:13']],
    ['`->` doubled', 'const a = b -> -> c', ['NETC1015@1:16']],
    ['`->` at the start of a file', '-> relu', ['NETC1015@1:1', 'NETC1012@1:4']],
    ['a stray `)`', 'const a = 1)', ['NETC1020@1:12']],
    ['a stray `}` at top level', '}\nconst a = 1', ['NETC1020@1:1']],
    ['a `]` closing a `(`', 'const a = f(1]', ['NETC1020@1:14', 'NETC1011@1:15']],
  ])('%s', (_, text, expected) => {
    expect(codesAt(text)).toEqual(expected);
  });
});
