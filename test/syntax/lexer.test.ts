import { describe, expect, it } from 'vitest';
import { lex } from '../../src/compiler/syntax/lexer.js';
import { source } from './helpers.js';

function tokenTypes(text: string): string[] {
  return lex(source(text)).tokens.map((t) => `${t.tokenType.name}:${t.image}`);
}

describe('the lexer', () => {
  it.each([
    [
      'keywords',
      'import from const block network train let return',
      [
        'Import:import',
        'From:from',
        'Const:const',
        'Block:block',
        'Network:network',
        'Train:train',
        'Let:let',
        'Return:return',
      ],
    ],
    [
      'more keywords',
      'if then else true false and or not noise phase',
      [
        'If:if',
        'Then:then',
        'Else:else',
        'True:true',
        'False:false',
        'And:and',
        'Or:or',
        'Not:not',
        'Noise:noise',
        'Phase:phase',
      ],
    ],
    [
      'names that start with a keyword',
      'train_size thenx iffy notable _x x1',
      [
        'Identifier:train_size',
        'Identifier:thenx',
        'Identifier:iffy',
        'Identifier:notable',
        'Identifier:_x',
        'Identifier:x1',
      ],
    ],
    [
      'numbers',
      '3 0.5 1e-3 2E+4 .5 10',
      ['Number:3', 'Number:0.5', 'Number:1e-3', 'Number:2E+4', 'Number:.5', 'Number:10'],
    ],
    [
      'a minus before a number as its own token',
      '-1 3-1',
      ['Minus:-', 'Number:1', 'Number:3', 'Minus:-', 'Number:1'],
    ],
    ['strings with escapes', '"a\\"b\\\\c\\n\\t"', ['String:"a\\"b\\\\c\\n\\t"']],
    [
      'punctuation, longest first',
      '-> == != <= >= < > = + - * / % ~ : ; ,',
      [
        'Arrow:->',
        'EqualsEquals:==',
        'NotEquals:!=',
        'LessEquals:<=',
        'GreaterEquals:>=',
        'Less:<',
        'Greater:>',
        'Equals:=',
        'Plus:+',
        'Minus:-',
        'Star:*',
        'Slash:/',
        'Percent:%',
        'Tilde:~',
        'Colon::',
        'Semicolon:;',
        'Comma:,',
      ],
    ],
    [
      'brackets',
      '( ) [ ] { }',
      ['LParen:(', 'RParen:)', 'LBracket:[', 'RBracket:]', 'LCurly:{', 'RCurly:}'],
    ],
    [
      'newlines of every style',
      'a\nb\r\nc\rd',
      [
        'Identifier:a',
        'Newline:\n',
        'Identifier:b',
        'Newline:\r\n',
        'Identifier:c',
        'Newline:\r',
        'Identifier:d',
      ],
    ],
    [
      'a byte order mark, tabs and form feeds as blanks',
      '\uFEFFa\tb\fc',
      ['Identifier:a', 'Identifier:b', 'Identifier:c'],
    ],
  ])('reads %s', (_, text, expected) => {
    expect(tokenTypes(text)).toEqual(expected);
  });

  it('keeps comments apart from the tokens the parser sees', () => {
    const { tokens, comments } = lex(source('a // line\n/* block */ b /// doc\n//// rule'));
    expect(tokens.map((t) => t.image)).toEqual(['a', '\n', 'b', '\n']);
    expect(comments.map((c) => `${c.tokenType.name}:${c.image}`)).toEqual([
      'LineComment:// line',
      'BlockComment:/* block */',
      'DocComment:/// doc',
      'LineComment://// rule',
    ]);
  });

  it('does not mistake `/` for a comment', () => {
    expect(tokenTypes('a / b')).toEqual(['Identifier:a', 'Slash:/', 'Identifier:b']);
  });

  it('keeps lexing after an error', () => {
    const { tokens, diagnostics } = lex(source('a @ b $ c'));
    expect(tokens.map((t) => t.image)).toEqual(['a', 'b', 'c']);
    expect(diagnostics.map((d) => [d.code, d.span.start, d.span.end])).toEqual([
      ['NETC1001', 2, 3],
      ['NETC1001', 6, 7],
    ]);
  });

  it.each([
    ['an unexpected character', 'a ? b', 'NETC1001', 'unexpected character `?`'],
    ['a run of unexpected characters', 'a ??? b', 'NETC1001', 'unexpected characters `???`'],
    ['an unterminated string', '"abc', 'NETC1002', 'unterminated string'],
    ['a string broken by a newline', '"abc\ndef"', 'NETC1002', 'unterminated string'],
    ['an unterminated block comment', '/* abc', 'NETC1003', 'unterminated block comment'],
    ['a malformed exponent', '1e+', 'NETC1004', 'malformed number `1e+`'],
    ['a number with two dots', '1.2.3', 'NETC1004', 'malformed number `1.2.3`'],
    ['an unknown escape', '"\\x"', 'NETC1005', 'unknown escape sequence `\\x`'],
  ])('reports %s', (_, text, code, message) => {
    const [first] = lex(source(text)).diagnostics;
    expect(first).toMatchObject({ code, message, severity: 'error' });
  });

  it('reads an unterminated string up to the end of its line', () => {
    const { tokens } = lex(source('"abc\nd'));
    expect(tokens.map((t) => `${t.tokenType.name}:${t.image}`)).toEqual([
      'UnterminatedString:"abc',
      'Newline:\n',
      'Identifier:d',
    ]);
  });
});
