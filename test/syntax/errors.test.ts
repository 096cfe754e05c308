import { describe, expect, it } from 'vitest';
import { diagnosticCodes } from '../../src/compiler/diagnostics/codes.js';
import { syntaxCodes } from '../../src/compiler/diagnostics/codes/syntax.js';
import { codesAt, onlyDiagnostic, parse, spanText } from './helpers.js';
import { definitionText } from './sexpr.js';

const net = (body: string) => `network N(x: [1]) {\n${body}\n}`;

describe('a bad input is reported with the right code at the right place', () => {
  it.each([
    // lexing
    ['an unexpected character', 'const a = @', ['NETC1001@1:11']],
    ['single quotes', "const s = 'abc'", ['NETC1001@1:11', 'NETC1001@1:15']],
    ['a `#` comment', 'const a = 1 # comment', ['NETC1001@1:13']],
    ['`&&`', 'const a = 1 && 2', ['NETC1001@1:13']],
    ['a non-ASCII name', 'const größe = 1', ['NETC1001@1:9']],
    ['an unterminated string', 'const a = "abc', ['NETC1002@1:11']],
    ['an unterminated string before more lines', 'const a = "abc\nconst b = 1', ['NETC1002@1:11']],
    ['an unterminated block comment', 'const a = 1 /* never closed', ['NETC1003@1:13']],
    ['two dots in a number', 'const a = 1..2', ['NETC1004@1:11']],
    ['an exponent without digits', 'const a = 1e', ['NETC1004@1:11']],
    ['a number running into a name', 'const a = 12abc', ['NETC1004@1:11']],
    ['a number ending with a dot', 'const a = 1.', ['NETC1004@1:11']],
    ['a number starting with a dot', 'const a = .5', ['NETC1004@1:11']],
    ['an unknown escape', 'const a = "a\\qb"', ['NETC1005@1:13']],
    // brackets
    ['a missing `,` between arguments', 'const a = f(1 2)', ['NETC1011@1:15']],
    ['an unclosed `(` at end of file', 'const a = f(1,', ['NETC1010@1:15']],
    ['an unclosed `(` at end of line', net('  dense(10\n  relu'), ['NETC1011@2:11']],
    ['an unclosed `{` at end of file', 'network N(x: [1]) {\n  relu', ['NETC1011@2:7']],
    [
      'an unclosed `{` before the next definition',
      'network N(x: [1]) {\n  relu\n\nblock B { relu }',
      ['NETC1011@4:1'],
    ],
    ['a missing `,` between list items', 'const a = [1 2]', ['NETC1011@1:14']],
    ['a missing `,` between imported names', 'import { A B } from "x"', ['NETC1011@1:12']],
    ['an empty list item', 'const a = [1,, 2]', ['NETC1010@1:14']],
    ['a stray `)`', net('  relu)'), ['NETC1020@2:7']],
    ['a stray `}`', 'const a = 1\n}\nconst b = 2', ['NETC1020@2:1']],
    // definitions
    ['a statement at top level', 'dense(10)', ['NETC1012@1:1']],
    ['a binding at top level', 'x = 3', ['NETC1012@1:1']],
    ['`let` at top level', 'let a = 1', ['NETC1012@1:1']],
    ['a constant without a name', 'const = 3', ['NETC1010@1:7']],
    ['a constant without `=`', 'const a 3', ['NETC1010@1:9']],
    ['a constant without a value', 'const a =', ['NETC1013@1:10']],
    ['a block without a name', 'block { relu }', ['NETC1010@1:7']],
    ['a reserved word as a name', 'const if = 1', ['NETC1023@1:7']],
    ['a reserved word as a parameter', 'block B(then: int) { relu }', ['NETC1023@1:9']],
    ['a reserved word as a later input', 'network N(x: [1], if: [2]) { x }', ['NETC1023@1:19']],
    ['a network without inputs', 'network N { relu }', ['NETC1010@1:11']],
    ['an input without a shape', 'network N(x) { relu }', ['NETC1010@1:12']],
    ['`->` without an output shape', 'network N(x: [1]) -> { relu }', ['NETC1010@1:22']],
    ['an output shape that is not a list', 'network N(x: [1]) -> 10 { relu }', ['NETC1010@1:22']],
    ['a parameter without a name', 'block B(: int) { relu }', ['NETC1010@1:9']],
    ['a parameter without a type', 'block B(a: ) { relu }', ['NETC1010@1:12']],
    ['a parameter without a default', 'block B(a: int = ) { relu }', ['NETC1013@1:18']],
    ['an import without a path', 'import', ['NETC1010@1:7']],
    ['an import without `from`', 'import { A } "x"', ['NETC1010@1:14']],
    ['two definitions on one line', 'const a = 1 2', ['NETC1019@1:13']],
    // expressions
    ['`=` in a condition', 'const a = if b = 1 then c else d', ['NETC1014@1:16']],
    ['a missing `then`', 'const a = if b c else d', ['NETC1017@1:16']],
    ['a missing `else`', 'const a = if b then c', ['NETC1018@1:22']],
    ['a missing `else` at end of line', net('  if s == 1 then relu'), ['NETC1018@2:22']],
    ['a positional argument after a named one', 'const a = f(x = 1, 2)', ['NETC1022@1:20']],
    ['chained comparisons', 'const a = b < c < d', ['NETC1025@1:17']],
    ['empty parentheses', 'const a = ()', ['NETC1013@1:12']],
    ['a missing operand', 'const a = 1 +', ['NETC1013@1:14']],
    ['an operator without a left operand', 'const a = * 2', ['NETC1013@1:11']],
    ['a sign before `not`', 'const a = - not b', ['NETC1013@1:13']],
    ['a lone `not`', 'const a = not', ['NETC1013@1:14']],
    // bodies and chains
    ['a chain starting with `->`', net('  -> relu'), ['NETC1015@2:3']],
    ['a doubled `->`', net('  relu -> -> gelu'), ['NETC1015@2:11']],
    ['a chain ending with `->`', net('  relu ->'), ['NETC1016@3:1']],
    ['two steps on one line', net('  dense(10) relu'), ['NETC1019@2:13']],
    ['a second ascription', net('  x : [1] : [2]'), ['NETC1019@2:11']],
    ['a statement starting with a keyword', net('  then'), ['NETC1021@2:3']],
    ['a statement starting with `=`', net('  = 3\n  relu'), ['NETC1021@2:3']],
    [
      'a statement starting with `,`',
      net('  relu\n  , gelu\n  , tanh'),
      ['NETC1021@3:3', 'NETC1021@4:3'],
    ],
    ['a reserved word as a statement', net('  repeat(2) { block }'), ['NETC1021@2:15']],
    ['an expression continued on the next line', net('  y = a\n    * b'), ['NETC1021@3:5']],
    ['a number where a setting belongs', 'train T {\n  3 = 4\n}', ['NETC1021@2:3']],
    ['`return` without values', net('  return'), ['NETC1013@2:9']],
    ['`let` without a name', net('  let = 3'), ['NETC1010@2:7']],
    ['a named layer without a layer', net('  c1:'), ['NETC1013@2:6']],
    // train sections
    ['a train section without a network', 'train { epochs = 1 }', ['NETC1010@1:7']],
    ['a setting without `=`', 'train T { epochs 10 }', ['NETC1010@1:11']],
    ['a setting without a name', 'train T { = 10 }', ['NETC1021@1:11']],
    ['a noise without `:`', 'train T { noise z [100] ~ normal }', ['NETC1010@1:19']],
    ['a noise without `~`', 'train T { noise z: [100] normal }', ['NETC1010@1:26']],
    ['two settings on one line', 'train T {\n  a = 1 b = 2\n}', ['NETC1019@2:9']],
  ])('%s', (_, text, expected) => {
    expect(codesAt(text)).toEqual(expected);
  });
});

describe('messages', () => {
  it('say what was expected and what was found, and label the unclosed bracket', () => {
    const text = net('  dense(10\n  relu');
    const d = onlyDiagnostic(text);
    expect(d.message).toBe('expected `)` to close `(` but found end of line');
    expect(d.labels?.map((l) => [spanText(text, l.span), l.message])).toEqual([
      ['(', 'unclosed `(`'],
    ]);
    expect(d.help).toBe('add `)`');
  });

  it('suggest `,` when an item follows another without one', () => {
    expect(onlyDiagnostic('const a = f(1 2)').help).toContain('separate items with `,`');
  });

  it('ask for a leading zero before a decimal point', () => {
    const d = onlyDiagnostic('const rate = .5');
    expect(d.message).toBe('malformed number `.5`');
    expect(d.help).toBe('write `0.5`');
  });

  it('translate a typographic arrow and multiplication sign', () => {
    expect(onlyDiagnostic(net('  flatten → relu')).help).toBe('write `->`');
    expect(onlyDiagnostic('const k = 5×3').help).toBe(
      'write the size as a pair `(5, 3)`; to multiply, write `*`',
    );
  });

  it('say that block comments do not nest, at the inner `/*`', () => {
    const text = '/* old:\n/* note */\nconst a = 1\n*/\nconst b = 2';
    const { diagnostics } = parse(text);
    expect(diagnostics[0]!.labels?.map((l) => [spanText(text, l.span), l.message])).toEqual([
      ['/*', 'this `/*` does not open a nested comment'],
    ]);
    expect(diagnostics[0]!.help).toContain('block comments do not nest');
  });

  it('name the first token left after a definition, not the line break before it', () => {
    // Recovery from the broken `residual(...)` line lets its body's `}` close the block.
    const text = [
      'block B {',
      '  residual(s = if a = 1 then relu',
      '    else f(c, 1, g=h, 2) -> relu) {',
      '    relu',
      '  }',
      '  relu',
      '}',
    ].join('\n');
    const d = parse(text).diagnostics.find((d) => d.code === 'NETC1012')!;
    expect(d.message).toBe('expected a definition but found `relu`');
    expect(d.labels?.map((l) => [spanText(text, l.span), l.message])).toEqual([
      ['}', 'the definition before ends here'],
    ]);
  });

  it('suggest `==` for `=` in a condition', () => {
    const d = onlyDiagnostic('const a = if b = 1 then c else d');
    expect(d.message).toBe('assignment `=` used in a condition');
    expect(d.help).toBe('compare with `==`');
  });

  it('list the definition keywords at top level', () => {
    expect(onlyDiagnostic('dense(10)').help).toBe(
      'a file holds only `import`, `const`, `block`, `network` and `train` definitions',
    );
    expect(onlyDiagnostic('x = 3').help).toBe('define a constant with `const x = ...`');
  });

  it('suggest putting positional arguments first, pointing at the first named one', () => {
    const text = 'const a = f(k = 1, 2)';
    const d = onlyDiagnostic(text);
    expect(spanText(text, d.span)).toBe('2');
    expect(d.labels?.map((l) => spanText(text, l.span))).toEqual(['k = 1']);
    expect(d.help).toBe('put positional arguments first, or name this one');
  });

  it('name a reserved word used as a name', () => {
    expect(onlyDiagnostic('const if = 1').message).toBe(
      '`if` is a reserved word and cannot be used as a name',
    );
  });

  it('show invisible characters escaped', () => {
    expect(onlyDiagnostic('const a = \u0001').message).toBe('unexpected character `\\u{1}`');
  });

  it.each([
    ['const a = 1 # x', '#'],
    ['const a = 12abc', '12abc'],
    ['const a = "a\\qb"', '\\q'],
    ['const a = "abc', '"abc'],
    ['const a = f(1 2)', '2'],
    ['const a = 1 2', '2'],
    ['const if = 1', 'if'],
    ['dense(10)', 'dense'],
    [net('  relu)'), ')'],
    [net('  = 3'), '='],
  ])('point at the offending text in `%s`', (text, offending) => {
    expect(spanText(text, parse(text).diagnostics[0]!.span)).toBe(offending);
  });

  it('are lowercase headlines; every code has a lowercase title', () => {
    for (const [code, info] of Object.entries(syntaxCodes)) {
      expect(info.title, code).toBe(info.title.toLowerCase());
      expect(diagnosticCodes).toHaveProperty(code);
    }
    for (const text of ['const a = f(1 2)', 'dense(10)', net('  relu ->'), 'const a = @']) {
      const { message } = parse(text).diagnostics[0]!;
      expect(message[0]).toBe(message[0]!.toLowerCase());
    }
  });
});

describe('error recovery', () => {
  it('reports every error of a file, not only the first', () => {
    const text = [
      'network A(x: [1]) {',
      '  dense(10 20)',
      '  relu ->',
      '}',
      'const b = if c = 1 then 2 else 3',
      'block C(p: int) {',
      '  conv2d(p, 3) relu',
      '}',
      'train A {',
      '  epochs 10',
      '  batch = 64',
      '}',
      'const d = 5 @',
    ].join('\n');
    expect(codesAt(text)).toEqual([
      'NETC1011@2:12',
      'NETC1016@4:1',
      'NETC1014@5:16',
      'NETC1019@7:16',
      'NETC1010@10:3',
      'NETC1001@13:13',
    ]);
  });

  it('keeps every definition it could parse, with ErrorExpr where an expression failed', () => {
    const text =
      'const a = 1 +\nconst b = 2\nblock B {\n  relu +\n  gelu\n}\nconst = 3\nconst c = 4';
    const { program } = parse(text);
    expect(program.definitions.map(definitionText)).toEqual([
      '(const a <error>)',
      '(const b 2)',
      '(block B () {<error>; gelu})',
      '(const c 4)',
    ]);
  });

  it('goes on with the next statement after a broken one', () => {
    const { program } = parse(net('  if s = 1 then relu else gelu\n  dense(10)\n  relu'));
    expect(program.definitions.map(definitionText)).toEqual([
      '(network N (x:[1]) {<error>; (dense 10); relu})',
    ]);
  });

  it('skips a statement that cannot start as it does, and keeps the rest of the body', () => {
    const text = net('  relu\n  , f(a,\n    b) { c\n    d }\n  repeat(2) { block }\n  gelu');
    const { program, diagnostics } = parse(text);
    expect(diagnostics.map((d) => d.message)).toEqual([
      'expected a statement but found `,`',
      'expected a statement but found `block`',
    ]);
    expect(program.definitions.map(definitionText)).toEqual([
      '(network N (x:[1]) {relu; (repeat 2){}; gelu})',
    ]);
  });

  it('explains how to continue a statement on the next line', () => {
    const { diagnostics } = parse(net('  y = a\n    * b'));
    expect(diagnostics[0]?.help).toBe(
      'a line break ends the statement: wrap an expression that spans lines in `( )`',
    );
  });

  it('goes on with the next definition after an unclosed body', () => {
    const { program } = parse('block A {\n  relu\n\nblock B { gelu }');
    expect(program.definitions.map(definitionText)).toEqual([
      '(block A () {relu})',
      '(block B () {gelu})',
    ]);
  });

  it('keeps a name with non-ASCII letters as one (reported) name', () => {
    const { program, diagnostics } = parse('const größe = 1');
    expect(program.definitions.map(definitionText)).toEqual(['(const größe 1)']);
    expect(diagnostics.map((d) => d.message)).toEqual(['unexpected characters `öß`']);
  });

  it('reports one diagnostic per position', () => {
    const { diagnostics } = parse('network N(x: [1]) {\n  concat {\n    relu');
    const starts = diagnostics.map((d) => d.span.start);
    expect(new Set(starts).size).toBe(starts.length);
    expect(diagnostics.length).toBeGreaterThan(0);
  });

  it('stops after 100 errors with a final note', () => {
    const text = Array.from({ length: 150 }, (_, i) => `const a${i} = @`).join('\n');
    const { diagnostics } = parse(text);
    expect(diagnostics).toHaveLength(101);
    expect(diagnostics.at(-1)?.code).toBe('NETC1024');
  });
});
