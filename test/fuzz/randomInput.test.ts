import fc from 'fast-check';
import { describe, it } from 'vitest';
import { assertCompilesSafely, seed } from './harness.js';

/*
 * (a) Arbitrary text and bytes: the compiler returns diagnostics with valid spans, never an
 * exception, whatever it is given.
 */

const runs = 150;

/** Pieces of the language and of things users paste, so random text often gets past the lexer. */
const fragments = [
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
  'phase',
  'noise',
  'from',
  'and',
  'or',
  'not',
  'true',
  'false',
  'N',
  'x',
  'h',
  'dense',
  'conv2d',
  'relu',
  'flatten',
  'concat',
  'add',
  'residual',
  'repeat',
  'reshape',
  'maxpool',
  'batchnorm',
  'sample_normal',
  'softmax',
  'identity',
  'same',
  'data',
  'loss',
  'optimizer',
  'mnist',
  'adam',
  'cross_entropy',
  'output',
  'label',
  'update',
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
  '!=',
  '<',
  '<=',
  '->',
  '~',
  '.',
  '+',
  '-',
  '*',
  '/',
  '%',
  '"',
  '"./a.net"',
  '"unterminated',
  '/*',
  '*/',
  '//',
  '///',
  '0',
  '1',
  '3',
  '28',
  '-1',
  '0.5',
  '1e-3',
  '1e999',
  '1e',
  '1.',
  '.5',
  '3x3',
  '9007199254740993',
  '99999999999999999999999999999',
  '2147483648',
  '0x10',
  '\n',
  '\r\n',
  '\t',
  ' ',
  '\0',
  '\\',
  '\\q',
  '\u00e9',
  '\u2192',
  '\u{1F600}',
  '\ud800',
  '\ufeff',
];

const tokenSoup = fc
  .array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 4 })), { maxLength: 120 })
  .chain((parts) =>
    fc
      .array(fc.constantFrom(' ', '', '\n'), { minLength: parts.length, maxLength: parts.length })
      .map((gaps) => parts.map((part, i) => part + (gaps[i] ?? '')).join('')),
  );

/** Any UTF-16 code units, lone surrogates and NUL included. */
const codeUnits = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  maxLength: 300,
});

const bytesAsUtf8 = fc
  .uint8Array({ maxLength: 400 })
  .map((bytes) => new TextDecoder().decode(bytes));
const bytesAsLatin1 = fc
  .uint8Array({ maxLength: 400 })
  .map((bytes) => Buffer.from(bytes).toString('latin1'));

/** Deeply nested or very long constructs around a valid skeleton. */
const deepNesting = fc
  .tuple(
    fc.constantFrom('(', '[', '{', 'if true then ', '- ', 'not ', 'a + ', 'relu -> ', '(x -> '),
    fc.integer({ min: 1, max: 3000 }),
    fc.constantFrom('network N(x: [4]) { dense(', 'const k = ', 'train N { loss = ', ''),
  )
  .map(([piece, times, prefix]) => `${prefix}${piece.repeat(times)}1\n`);

/** Valid programs with extreme numbers in every argument position. */
const hugeNumbers = fc
  .tuple(
    fc.constantFrom(
      '1e308',
      '1e309',
      '-1e309',
      '9007199254740993',
      '99999999999999999999',
      '2147483648',
      '4294967296',
      '0',
      '-0',
      '-1',
      '0.0000001',
      '1e-400',
      '3.5',
    ),
    fc.constantFrom(
      (n: string) => `network N(x: [${n}]) { flatten }`,
      (n: string) => `network N(x: [4]) { dense(${n}) }`,
      (n: string) => `network N(x: [3, 32, 32]) { conv2d(8, ${n}, stride=${n}, pad=${n}) }`,
      (n: string) => `network N(x: [4]) { repeat(${n}) { relu } }`,
      (n: string) => `network N(x: [16]) { reshape([${n}, -1]) }`,
      (n: string) => `network N(x: [3, 8, 8]) { upsample(${n}) }`,
      (n: string) => `const k = ${n} * ${n}\nnetwork N(x: [4]) { dense(k) }`,
      (n: string) =>
        `network N(x: [2]) { dense(2) }\ntrain N { data = xor(n=${n}); loss = cross_entropy(output, label); optimizer = sgd(lr=${n}); batch = ${n}; epochs = ${n} }`,
    ),
  )
  .map(([n, template]) => template(n));

describe('the compiler on arbitrary input', () => {
  it.each([
    ['language-flavoured token soup', tokenSoup],
    ['random UTF-16 code units, lone surrogates and NUL included', codeUnits],
    ['random bytes read as UTF-8', bytesAsUtf8],
    ['random bytes read as Latin-1', bytesAsLatin1],
    ['deeply nested and very long constructs', deepNesting],
    ['extreme numbers in every argument position', hugeNumbers],
  ] as const)('never throws and reports only valid spans on %s', (_name, inputs) => {
    fc.assert(
      fc.property(inputs, (text) => {
        assertCompilesSafely(text);
      }),
      { seed, numRuns: runs },
    );
  });

  it('never throws on random text in an imported file', () => {
    fc.assert(
      fc.property(tokenSoup, (imported) => {
        assertCompilesSafely('import "./lib.net"\nnetwork N(x: [4]) { dense(2) }\n', {
          'lib.net': imported,
        });
      }),
      { seed, numRuns: 50 },
    );
  });
});
