import { describe, expect, it } from 'vitest';
import { bodyText, definitionsOf, expressionText, parse } from './helpers.js';
import { definitionText } from './sexpr.js';

describe('expressions', () => {
  it.each([
    // literals and names
    ['3', '3'],
    ['0.5', '0.5'],
    ['1e-3', '1e-3'],
    ['"a \\"b\\"\\n"', JSON.stringify('a "b"\n')],
    ['true', 'true'],
    ['relu', 'relu'],
    ['train_size', 'train_size'],
    ['thenx', 'thenx'],
    // soft keywords are names outside their own place
    ['phase', 'phase'],
    ['noise', 'noise'],
    ['mnist(train=8000, test=2000)', '(mnist train=8000 test=2000)'],
    // calls
    ['f()', '(f)'],
    ['dense(10)', '(dense 10)'],
    ['conv2d(6, 5, pad=2)', '(conv2d 6 5 pad=2)'],
    ['f(a, b,)', '(f a b)'],
    ['concat { a; b }', 'concat{a; b}'],
    ['repeat(3) { relu }', '(repeat 3){relu}'],
    ['residual(shortcut = identity) { relu }', '(residual shortcut=identity){relu}'],
    ['concat {}', 'concat{}'],
    // lists, tuples and groups
    ['[1, 28, 28]', '[1 28 28]'],
    ['[1, 28, 28,]', '[1 28 28]'],
    ['[]', '[]'],
    ['[-1, 4]', '[(- 1) 4]'],
    ['(3, 5)', '(tuple 3 5)'],
    ['(a,)', '(tuple a)'],
    ['(3, 5,)', '(tuple 3 5)'],
    ['(a)', '(group a)'],
    ['(a -> b -> c)', '(group (-> a b c))'],
    // operators and precedence
    ['1 + 2 * 3', '(+ 1 (* 2 3))'],
    ['(1 + 2) * 3', '(* (group (+ 1 2)) 3)'],
    ['a - b - c', '(- (- a b) c)'],
    ['a / b % c', '(% (/ a b) c)'],
    ['-a * b', '(* (- a) b)'],
    ['- -a', '(- (- a))'],
    ['+a', '(+ a)'],
    ['a == b + 1', '(== a (+ b 1))'],
    ['a != b', '(!= a b)'],
    ['a <= b and b >= c', '(and (<= a b) (>= b c))'],
    ['a or b and c', '(or a (and b c))'],
    ['a and b or c', '(or (and a b) c)'],
    ['not a == b', '(not (== a b))'],
    ['not a and b', '(and (not a) b)'],
    ['not not a', '(not (not a))'],
    ['a and not b or c', '(or (and a (not b)) c)'],
    ['bce(recon, x) + 1e-3 * l1(code)', '(+ (bce recon x) (* 1e-3 (l1 code)))'],
    // chains, named layers and ascriptions
    ['a -> b', '(-> a b)'],
    ['x -> dense(400) -> relu', '(-> x (dense 400) relu)'],
    ['c1: conv2d(6, 5)', '(: c1 (conv2d 6 5))'],
    ['conv2d(6, 5) : [6, 28, 28]', '(:: (conv2d 6 5) [6 28 28])'],
    ['x: [1, 28, 28]', '(:: x [1 28 28])'],
    ['c1: conv2d(6, 5) : [6, 28, 28] -> relu', '(-> (:: (: c1 (conv2d 6 5)) [6 28 28]) relu)'],
    ['a -> c1: b -> c', '(-> a (: c1 b) c)'],
    // if takes the whole chain in its else branch
    ['if a then b else c', '(if a b c)'],
    [
      'if s == 1 then identity else conv2d(c, 1) -> batchnorm',
      '(if (== s 1) identity (-> (conv2d c 1) batchnorm))',
    ],
    ['if a then b -> c else d', '(if a (-> b c) d)'],
    ['x -> if a then b else c -> d', '(-> x (if a b (-> c d)))'],
    ['if a then if b then c else d else e', '(if a (if b c d) e)'],
    ['if a then b else if c then d else e', '(if a b (if c d e))'],
  ])('`%s` is %s', (source, expected) => {
    expect(expressionText(source)).toBe(expected);
  });
});

describe('numbers', () => {
  it.each([
    ['3', 3, true],
    ['0.5', 0.5, false],
    ['3.0', 3, false],
    ['1e-3', 0.001, false],
    ['2E3', 2000, false],
    ['0.25', 0.25, false],
  ])('`%s` has value %s (integer: %s)', (text, value, isInteger) => {
    const { program } = parse(`const c = ${text}`);
    const def = program.definitions[0];
    expect(def?.kind === 'Const' && def.value).toMatchObject({
      kind: 'Number',
      value,
      isInteger,
      text,
    });
  });
});

describe('statements', () => {
  it.each([
    ['dense(30) -> sigmoid', ['(-> (dense 30) sigmoid)']],
    ['h = x -> dense(400)', ['(= h (-> x (dense 400)))']],
    ['let enc = Encoder(64)', ['(let enc (Encoder 64))']],
    ['return recon, mu, logvar', ['(return recon mu logvar)']],
    ['a == b', ['(== a b)']],
    ['relu; gelu', ['relu', 'gelu']],
    ['relu;', ['relu']],
    ['relu\n\n\n\ngelu', ['relu', 'gelu']],
    ['relu;\n;\ngelu', ['relu', 'gelu']],
  ])('`%s` is %j', (body, expected) => {
    expect(bodyText(body)).toEqual(expected);
  });

  it('each line of a `concat` body is a statement of that body', () => {
    expect(bodyText('concat {\n  a -> b\n  c\n}\nrelu')).toEqual(['concat{(-> a b); c}', 'relu']);
  });

  it('nested bodies keep their own statements', () => {
    expect(bodyText('repeat(2) {\n  concat {\n    a\n    b\n  }\n  c\n}')).toEqual([
      '(repeat 2){concat{a; b}; c}',
    ]);
  });
});

describe('definitions', () => {
  it.each([
    ['import "./x.net"', '(import "./x.net")'],
    ['import { A, B } from "./x.net"', '(import (A B) "./x.net")'],
    ['import {\n  A,\n  B,\n} from "./x.net"', '(import (A B) "./x.net")'],
    ['const classes = 10', '(const classes 10)'],
    ['block B { relu }', '(block B () {relu})'],
    ['block B() { relu }', '(block B () {relu})'],
    ['block B(p: int, q: int = 1, r = 2) { relu }', '(block B (p:int q:int=1 r=2) {relu})'],
    ['block B(act: layer = relu,) { act }', '(block B (act:layer=relu) {act})'],
    [
      'network N(x: [1, 28, 28], y: [10]) -> [10] { x }',
      '(network N (x:[1 28 28] y:[10]) -> ([10]) {x})',
    ],
    [
      'network N(x: [784]) -> (recon: [784], mu: [20]) { x }',
      '(network N (x:[784]) -> (recon:[784] mu:[20]) {x})',
    ],
    ['network N(x: [1]) { x }', '(network N (x:[1]) {x})'],
    ['network N(x: [1])\n  -> [1] {\n  x\n}', '(network N (x:[1]) -> ([1]) {x})'],
    ['train T { epochs = 10 }', '(train T {(= epochs 10)})'],
    ['train T {}', '(train T {})'],
    [
      'train T { noise z: [100] ~ normal(std=0.5) }',
      '(train T {(noise z [100] (normal std=0.5))})',
    ],
    ['train T { phase p { update = D } }', '(train T {(phase p {(= update D)})})'],
    ['train T { phase p(steps=2) { update = D } }', '(train T {(phase p steps=2 {(= update D)})})'],
    ['train T { noise = 3; phase = 2 }', '(train T {(= noise 3); (= phase 2)})'],
  ])('`%s` is %s', (source, expected) => {
    expect(definitionsOf(source)).toEqual([expected]);
  });

  it('two definitions may share a line when the first ends with `}` or `;`', () => {
    expect(definitionsOf('block A { a } block B { b }; const c = 1')).toEqual([
      '(block A () {a})',
      '(block B () {b})',
      '(const c 1)',
    ]);
  });
});

describe('doc comments', () => {
  it('are attached to the definition directly below, without `///` and one space', () => {
    const { program } = parse('/// First line.\n///   indented\n///\nblock B { relu }');
    expect(program.definitions[0]).toMatchObject({
      kind: 'Block',
      doc: 'First line.\n  indented\n',
    });
  });

  it.each([
    ['const', '/// Ten.\nconst c = 10'],
    ['network', '/// Net.\nnetwork N(x: [1]) { x }'],
    ['train', '/// Train.\ntrain N { epochs = 1 }'],
  ])('are attached to a %s', (_, text) => {
    expect(parse(text).program.definitions[0]).toHaveProperty('doc');
  });

  it.each([
    ['a blank line separates them', '/// Lost.\n\nblock B { relu }'],
    ['an ordinary comment separates them', '/// Lost.\n// other\nblock B { relu }'],
    ['they are ordinary comments', '// Not a doc.\nblock B { relu }'],
    ['they have four slashes', '//// divider\nblock B { relu }'],
  ])('are not attached when %s', (_, text) => {
    expect(parse(text).program.definitions[0]).not.toHaveProperty('doc');
  });

  it('belong to the next definition only', () => {
    const { program } = parse('/// A.\nconst a = 1\nconst b = 2');
    expect(program.definitions.map((d) => (d.kind === 'Const' ? d.doc : ''))).toEqual([
      'A.',
      undefined,
    ]);
  });
});

describe('a file', () => {
  it.each([
    ['empty', ''],
    ['blank', '\n\n  \t\n'],
    ['only comments', '// a\n/* b */\n/// c\n'],
  ])('that is %s is an empty program', (_, text) => {
    const { program, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(program.definitions).toEqual([]);
  });

  it('with Windows line ends parses like one with Unix line ends', () => {
    const unix = '/// Doc.\nnetwork N(x: [1]) {\n  a\n  -> b\n  c\n}\n';
    const windows = unix.replace(/\n/g, '\r\n');
    expect(definitionsOf(windows)).toEqual(definitionsOf(unix));
    expect(parse(windows).program.definitions[0]).toHaveProperty('doc', 'Doc.');
  });
});

describe('comments', () => {
  it('are all collected in source order with their kind and text', () => {
    const text = '// line\n/* block\n */ const a = 1 /// doc\n/// doc2\nconst b = 2 /* tail */';
    const { program, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(program.comments.map((c) => [c.kind, c.text])).toEqual([
      ['LineComment', '// line'],
      ['BlockComment', '/* block\n */'],
      ['DocComment', '/// doc'],
      ['DocComment', '/// doc2'],
      ['BlockComment', '/* tail */'],
    ]);
    for (const c of program.comments) expect(text.slice(c.span.start, c.span.end)).toBe(c.text);
  });

  it('do not end a statement unless they span lines', () => {
    expect(bodyText('a /* x */ -> b')).toEqual(['(-> a b)']);
    expect(bodyText('a /* x\n */ b')).toEqual(['a', 'b']);
  });

  it('leave the program intact', () => {
    const { program } = parse('const a = 1 // one\n// between\nconst b = 2');
    expect(program.definitions.map(definitionText)).toEqual(['(const a 1)', '(const b 2)']);
  });
});
