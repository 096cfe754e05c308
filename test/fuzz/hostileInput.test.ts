import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/compiler/diagnostics/render/text.js';
import { assertCompilesSafely } from './harness.js';

/*
 * Inputs built to exhaust time, memory or the stack (issue 2, item 9): each must come back
 * with diagnostics, or none, within the per-input deadline of the harness; never a crash or a
 * hang.
 */

type Input = readonly [text: string, files?: Record<string, string>];

const lines = (count: number, line: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => line(i)).join('\n') + '\n';

/** A chain of `depth` files, each importing the next. */
function importChain(depth: number): Input {
  const files = Object.fromEntries(
    Array.from({ length: depth }, (_, i) => [
      `f${i}.net`,
      `import "./f${i + 1}.net"\nconst k${i} = ${i + 1}\n`,
    ]),
  );
  return ['import "./f0.net"\nnetwork N(x: [4]) { dense(k0) }\n', files];
}

const hostile: readonly (readonly [string, () => Input])[] = [
  ['a file of one million open brackets', () => ['('.repeat(1 << 20)]],
  ['a file just over the size limit', () => [`// ${'x'.repeat(1 << 20)}\n`]],
  [
    'ten thousand nested ifs',
    () => [`const k = ${'if true then '.repeat(10_000)}1${' else 2'.repeat(10_000)}`],
  ],
  ['an operator chain of fifty thousand terms', () => [`const k = 1${' + 1'.repeat(50_000)}\n`]],
  [
    'a layer chain of twenty thousand steps',
    () => [`network N(x: [4]) { relu${' -> relu'.repeat(20_000)} }\n`],
  ],
  [
    'nested repeats that would make a hundred million layers',
    () => ['network N(x: [4]) { repeat(10000) { repeat(10000) { relu } } }\n'],
  ],
  ['a repeat count of 10^15', () => ['network N(x: [4]) { repeat(1000000000000000) { relu } }\n']],
  [
    'two thousand blocks, each calling the one before',
    () => [
      lines(2000, (i) => (i === 0 ? 'block B0 { relu }' : `block B${i} { B${i - 1} }`)) +
        'network N(x: [4]) { B1999 }\n',
    ],
  ],
  [
    'ten thousand constants, each defined by the one before',
    () => [
      lines(10_000, (i) => (i === 0 ? 'const c0 = 1' : `const c${i} = c${i - 1} + 1`)) +
        'network N(x: [4]) { dense(c9999) }\n',
    ],
  ],
  [
    'a hundred constants defined in a cycle',
    () => [
      lines(100, (i) => `const c${i} = c${(i + 1) % 100} + 1`) +
        'network N(x: [4]) { dense(c0) }\n',
    ],
  ],
  [
    'a block with five thousand parameters',
    () => [
      `block B(${Array.from({ length: 5000 }, (_, i) => `p${i}: int = 1`).join(', ')}) { relu }\nnetwork N(x: [4]) { B }\n`,
    ],
  ],
  [
    'a concat of five thousand branches',
    () => [`network N(x: [4]) { concat {\n${'  dense(1)\n'.repeat(5000)}} }\n`],
  ],
  [
    'dimensions, ranks and counts beyond every limit',
    () => [
      'network N(x: [2147483648, 1, 1, 1, 1, 1, 1, 1, 1]) { reshape([-1]) -> upsample(2147483647) -> dense(9007199254740993) }\n',
    ],
  ],
  ['a hundred thousand unterminated strings', () => ['"\n'.repeat(100_000)]],
  [
    'twenty thousand broken calls on one line',
    () => [`network N(x: [4]) { ${'dense(, ) '.repeat(20_000)}}\n`],
  ],
  [
    'a train section that sets one setting twenty thousand times',
    () => [`network N(x: [2]) { dense(2) }\ntrain N {\n${'  batch = 1\n'.repeat(20_000)}}\n`],
  ],
  [
    'a thousand phases',
    () => [
      `network N(x: [2]) { dense(2) }\ntrain N {\n  data = xor\n${lines(1000, (i) => `  phase p${i} { loss = mse(N(x), 0); optimizer = sgd(lr=1); update = N }`)}}\n`,
    ],
  ],
  ['a chain of a thousand imported files', () => importChain(1000)],
];

describe('hostile input', () => {
  it.each(hostile)('%s is answered in bounded time without a crash', (_name, make) => {
    const [text, files] = make();
    assertCompilesSafely(text, files);
  });

  // `loadModules` follows imports with an explicit stack, not one call per import.
  it('a chain of five thousand imported files is answered without a crash', () => {
    const [text, files] = importChain(5000);
    assertCompilesSafely(text, files);
  });

  // NETC5007 is reported once, and a diagnostic lists only a few of its call sites: 500
  // one-line networks (15 KB) used to print 4.5 MB, one stack of 100 call sites per network.
  it('a deep chain of networks yields a bounded amount of diagnostics', () => {
    const text = lines(500, (i) =>
      i === 0 ? 'network N0(x: [4]) { relu }' : `network N${i}(x: [4]) { N${i - 1} }`,
    );
    const { result } = assertCompilesSafely(text);
    expect(renderText(result.diagnostics, result.sources).length).toBeLessThan(100 * text.length);
  });
});
