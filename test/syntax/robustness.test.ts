import { describe, expect, it } from 'vitest';
import { diagnosticCodes } from '../../src/compiler/diagnostics/codes.js';
import { parse } from './helpers.js';

/** A small seeded generator (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pieces = [
  'network',
  'block',
  'train',
  'const',
  'import',
  'let',
  'return',
  'if',
  'then',
  'else',
  'noise',
  'phase',
  'from',
  'not',
  'and',
  'or',
  'x',
  'relu',
  'dense',
  '1',
  '0.5',
  '1e',
  '"s"',
  '"',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  ';',
  '=',
  '==',
  '->',
  '-',
  '+',
  '*',
  '~',
  '\n',
  '\n',
  ' ',
  '//',
  '/*',
  '*/',
  '///',
  '@',
  'é',
  '\t',
];

const example = `/// doc
network N(x: [1, 28, 28]) -> [10] {
  c1: conv2d(6, 5, pad=2) : [6, 28, 28] -> tanh -> avgpool(2)
  h = x -> residual(shortcut = if s == 1 then identity else conv2d(6, 1)) { relu }
  concat { a; b }
  return h
}
train N { noise z: [100] ~ normal; phase p(steps=1) { loss = bce(D(x), 1) + 1e-3 * l1(c) } }
`;

function expectWellFormed(text: string): void {
  const { program, diagnostics } = parse(text);
  expect(program.kind).toBe('Program');
  for (const d of diagnostics) {
    expect(diagnosticCodes).toHaveProperty(d.code);
    expect(d.span.start).toBeGreaterThanOrEqual(0);
    expect(d.span.end).toBeLessThanOrEqual(text.length);
    expect(d.span.start).toBeLessThanOrEqual(d.span.end);
  }
}

describe('any input', () => {
  it('of random bytes gives diagnostics, never an exception', () => {
    const next = random(1);
    for (let run = 0; run < 200; run++) {
      const length = Math.floor(next() * 300);
      const text = Array.from({ length }, () => String.fromCharCode(Math.floor(next() * 256))).join(
        '',
      );
      expectWellFormed(text);
    }
  });

  it('of random tokens gives diagnostics, never an exception', () => {
    const next = random(2);
    for (let run = 0; run < 300; run++) {
      const length = Math.floor(next() * 80);
      const text = Array.from({ length }, () => pieces[Math.floor(next() * pieces.length)]).join(
        ' ',
      );
      expectWellFormed(text);
    }
  });

  it('made by deleting, duplicating or inserting tokens of an example never throws', () => {
    const next = random(3);
    const words = example.split(/(?<=\s)|(?=\s)|(?=[()[\]{},:;])|(?<=[()[\]{},:;])/);
    for (let run = 0; run < 300; run++) {
      const mutated = [...words];
      for (let edit = 0; edit < 3; edit++) {
        const at = Math.floor(next() * mutated.length);
        const choice = next();
        if (choice < 0.4) mutated.splice(at, 1);
        else if (choice < 0.7) mutated.splice(at, 0, mutated[at] ?? '');
        else mutated.splice(at, 0, pieces[Math.floor(next() * pieces.length)]!);
      }
      expectWellFormed(mutated.join(''));
    }
  });

  it('of a large random token soup finishes quickly', () => {
    const next = random(4);
    const text = Array.from(
      { length: 100_000 },
      () => pieces[Math.floor(next() * pieces.length)],
    ).join(' ');
    const started = performance.now();
    expectWellFormed(text);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('hostile input', () => {
  it('above 1 MiB is not parsed', () => {
    const { program, diagnostics } = parse(`const a = 1\n${'x'.repeat(1024 * 1024)}`);
    expect(diagnostics.map((d) => d.code)).toEqual(['NETC5001']);
    expect(program.definitions).toEqual([]);
  });

  it('above 1 MiB in UTF-8 but not in characters is not parsed', () => {
    const { diagnostics } = parse(`// ${'é'.repeat(600_000)}`);
    expect(diagnostics.map((d) => d.code)).toEqual(['NETC5001']);
  });

  it('just below 1 MiB is parsed', () => {
    const { diagnostics } = parse(`// ${'x'.repeat(1024 * 1024 - 10)}`);
    expect(diagnostics).toEqual([]);
  });

  it.each([
    ['parentheses', (n: number) => `const a = ${'('.repeat(n)}1${')'.repeat(n)}`],
    ['lists', (n: number) => `const a = ${'['.repeat(n)}1${']'.repeat(n)}`],
    ['calls', (n: number) => `const a = ${'f('.repeat(n)}1${')'.repeat(n)}`],
    [
      'bodies',
      (n: number) =>
        `network N(x: [1]) ${'{\nconcat '.repeat(n - 1)}{ relu }${'\n}'.repeat(n - 1)}`,
    ],
    ['ifs', (n: number) => `const a = ${'if c then '.repeat(n)}1${' else 2'.repeat(n)}`],
    ['else-ifs', (n: number) => `const a = ${'if c then 1 else '.repeat(n)}2`],
  ])('nested 64 deep in %s is parsed', (_, nest) => {
    const { program, diagnostics } = parse(nest(64));
    expect(diagnostics).toEqual([]);
    expect(program.definitions).toHaveLength(1);
  });

  it.each([
    ['parentheses', `const a = ${'('.repeat(65)}1${')'.repeat(65)}`],
    ['unclosed brackets', `const a = ${'(['.repeat(100_000)}`],
    ['ifs', `const a = ${'if c then '.repeat(65)}1${' else 2'.repeat(65)}`],
    ['else-ifs', `const a = ${'if c then 1 else '.repeat(10_000)}2`],
    ['bodies', `network N(x: [1]) ${'{ concat '.repeat(100)}`],
  ])('nested deeper than 64 in %s stops with NETC5002', (_, text) => {
    const { program, diagnostics } = parse(text);
    expect(diagnostics.map((d) => d.code)).toEqual(['NETC5002']);
    expect(program.definitions).toEqual([]);
  });

  it.each([
    ['`+`', `const a = ${Array.from({ length: 100_000 }, () => '1').join(' + ')}`],
    ['`-` signs', `const a = ${'- '.repeat(100_000)}1`],
    ['`not`s', `const a = ${'not '.repeat(100_000)}c`],
  ])('with 100,000 %s in one expression stops with NETC5002, not a stack overflow', (_, text) => {
    const { program, diagnostics } = parse(text);
    expect(diagnostics.map((d) => d.code)).toEqual(['NETC5002']);
    expect(program.definitions).toEqual([]);
  });

  it('with thousands of broken lines stops after 100 errors', () => {
    const body = Array.from({ length: 20_000 }, () => '  = 3 then').join('\n');
    const { diagnostics } = parse(`network N(x: [1]) {\n${body}\n}`);
    expect(diagnostics).toHaveLength(101);
    expect(diagnostics.at(-1)?.code).toBe('NETC1024');
  });
});

describe('a large file', () => {
  it('of 200,000 tokens parses in well under a few seconds', () => {
    const statements = Array.from({ length: 20_000 }, (_, i) => `  c${i}: conv2d(6, 5) -> relu`);
    const text = `network Big(x: [1, 28, 28]) {\n${statements.join('\n')}\n}\n`;
    const started = performance.now();
    const { program, diagnostics } = parse(text);
    const elapsed = performance.now() - started;
    expect(diagnostics).toEqual([]);
    const big = program.definitions[0];
    expect(big?.kind === 'Network' && big.body.statements.length).toBe(20_000);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('of 40,000 small definitions parses them all', () => {
    const text = Array.from({ length: 40_000 }, (_, i) => `const c${i} = ${i}`).join('\n');
    const { program, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(program.definitions).toHaveLength(40_000);
  });
});
