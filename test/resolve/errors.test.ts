import { describe, expect, it } from 'vitest';
import { compileText, diagnosticsAt } from '../helpers/compileText.js';

/** Each case: a source, the diagnostics it must produce, and a fragment of the first message or help. */
const cases: {
  name: string;
  source: string;
  files?: Record<string, string>;
  expected: string[];
  mentions?: string;
}[] = [
  {
    name: 'an unknown layer suggests the closest built-in',
    source: `network N(x: [4]) { dense(3) -> rleu }`,
    expected: ['NETC2001@1:33'],
    mentions: 'did you mean `relu`?',
  },
  {
    name: 'an unknown argument name suggests the closest parameter',
    source: `network N(x: [3, 8, 8]) { conv2d(4, 3, strid=2) }`,
    expected: ['NETC2006@1:40'],
    mentions: 'did you mean `stride`?',
  },
  {
    name: 'a missing required argument is named',
    source: `network N(x: [4]) { dense }`,
    expected: ['NETC2007@1:21'],
    mentions: '`units`',
  },
  {
    name: 'too many positional arguments',
    source: `network N(x: [4]) { relu(1) }`,
    expected: ['NETC2008@1:26'],
  },
  {
    name: 'an argument given twice points at both',
    source: `network N(x: [4]) { dense(3, units=4) }`,
    expected: ['NETC2009@1:30'],
  },
  {
    name: 'an argument of the wrong type',
    source: `network N(x: [4]) { dense(true) }`,
    expected: ['NETC2010@1:27'],
  },
  {
    name: 'a misspelled padding word suggests `same`',
    source: `network N(x: [3, 8, 8]) { conv2d(4, 3, pad=sme) }`,
    expected: ['NETC2010@1:44'],
    mentions: 'did you mean `same`?',
  },
  {
    name: 'a directly recursive block',
    source: `block B(n: int) { if n == 0 then identity else B(n - 1) }\nnetwork N(x: [4]) { B(3) }`,
    expected: ['NETC2012@1:48'],
  },
  {
    name: 'mutually recursive blocks are reported once',
    source: `block A { B }\nblock B { A }\nnetwork N(x: [4]) { A }`,
    expected: ['NETC2012@2:11'],
  },
  {
    name: 'a recursive constant',
    source: `const a = b + 1\nconst b = a\nnetwork N(x: [4]) { dense(a) }`,
    expected: ['NETC2012@1:7'],
  },
  {
    name: 'an import cycle',
    source: `import "./a.net"\nnetwork N(x: [4]) { dense(2) }`,
    files: { 'a.net': `import "./main.net"\nconst k = 1` },
    expected: ['NETC2004@1:8'],
  },
  {
    name: 'a missing imported file',
    source: `import "./nothere.net"\nnetwork N(x: [4]) { dense(2) }`,
    expected: ['NETC2003@1:8'],
  },
  {
    name: 'a missing imported name suggests the closest',
    source: `import { ResBlok } from "./r.net"\nnetwork N(x: [4]) { dense(2) }`,
    files: { 'r.net': `block ResBlock(c: int) { dense(c) }` },
    expected: ['NETC2005@1:10'],
    mentions: 'did you mean `ResBlock`?',
  },
  {
    name: 'a definition given twice',
    source: `block A { relu }\nblock A { tanh }\nnetwork N(x: [4]) { A }`,
    expected: ['NETC2002@2:7'],
  },
  {
    name: 'two layers with the same name',
    source: `network N(x: [4]) { a: dense(3) -> a: dense(2) }`,
    expected: ['NETC2013@1:36'],
  },
  {
    name: 'a value in the middle of a chain',
    source: `network N(x: [4]) { h = dense(3)\n h -> relu -> h }`,
    expected: ['NETC2014@2:15'],
  },
  {
    name: 'a layer where a value is expected',
    source: `network N(x: [4]) { add(x, relu) }`,
    expected: ['NETC2015@1:28'],
  },
  {
    name: 'a binding that hides an input',
    source: `network N(x: [4]) { x = dense(3) }`,
    expected: ['NETC2016@1:21'],
  },
  {
    name: 'an unknown parameter type',
    source: `block B(n: integer) { dense(n) }\nnetwork N(x: [4]) { B(3) }`,
    expected: ['NETC2017@1:12'],
    mentions: 'did you mean `int`?',
  },
  {
    name: 'a condition that is not a boolean',
    source: `block B(n: int) { if n then relu else tanh }\nnetwork N(x: [4]) { B(3) }`,
    expected: ['NETC2018@1:22'],
  },
  {
    name: 'division by zero in a constant',
    source: `const k = 4 / 0\nnetwork N(x: [4]) { dense(k) }`,
    expected: ['NETC2019@1:13'],
  },
  {
    name: 'a layer with nothing to apply to in a two-input network',
    source: `network N(a: [4], b: [4]) { relu }`,
    expected: ['NETC2020@1:29'],
  },
  {
    name: 'an empty network body',
    source: `network N(x: [4]) { }`,
    expected: ['NETC2021@1:19'],
  },
  {
    name: 'statements after return',
    source: `network N(x: [4]) { h = x -> dense(2)\n return h\n relu }`,
    expected: ['NETC2022@3:2'],
  },
  {
    name: 'a number used as a layer',
    source: `network N(x: [4]) { dense(3) -> 5 }`,
    expected: ['NETC2023@1:33'],
  },
  {
    name: 'a value called with arguments',
    source: `network N(x: [4]) { x(3) }`,
    expected: ['NETC2024@1:21'],
  },
  {
    name: 'a binding inside concat',
    source: `network N(x: [4]) { concat { h = dense(2)\n dense(2) } }`,
    expected: ['NETC2027@1:30'],
  },
  {
    name: 'a network applied to the wrong number of values',
    source: `network P(a: [4], b: [4]) { add(a, b) }\nnetwork N(x: [4]) { P(x) }`,
    expected: ['NETC2028@2:21'],
  },
  {
    name: 'a shape ascription that does not match',
    source: `network N(x: [1, 28, 28]) { conv2d(6, 5) : [6, 28, 28] -> relu }`,
    expected: ['NETC3050@1:44'],
    mentions: '[6, 24, 24]',
  },
  {
    name: 'a declared output shape that does not match',
    source: `network N(x: [4]) -> [10] { dense(3) }`,
    expected: ['NETC3051@1:29'],
  },
  {
    name: 'a network that returns fewer values than it declares',
    source: `network N(x: [4]) -> (a: [2], b: [2]) { a = x -> dense(2)\n return a }`,
    expected: ['NETC3052@2:9'],
  },
  {
    name: 'add with a single branch',
    source: `network N(x: [4]) { add { dense(4) } }`,
    expected: ['NETC3053@1:25'],
  },
  {
    name: 'a network used as a layer on the wrong shape',
    source: `network F(x: [8]) { dense(2) }\nnetwork N(x: [4]) { F }`,
    expected: ['NETC3054@2:21'],
  },
  {
    name: 'an absurd repeat count',
    source: `network N(x: [4]) { repeat(1000000) { relu } }`,
    expected: ['NETC5003@1:28'],
  },
  {
    name: 'a rank above 8',
    source: `network N(x: [1, 1, 1, 1, 1, 1, 1, 1, 1]) { relu }`,
    expected: ['NETC5005@1:14'],
  },
  {
    name: 'a dimension above 2^31-1',
    source: `network N(x: [4294967296]) { relu }`,
    expected: ['NETC5006@1:14'],
  },
  {
    name: 'an integer constant above 2^53',
    source: `const k = 9007199254740993 * 4\nnetwork N(x: [4]) { dense(k) }`,
    expected: ['NETC5008@1:11'],
  },
  {
    name: 'a network with a syntax error reports only that error',
    source: `network N(x: [4]) -> [2] {\n  h = x -> dense(8 -> relu\n  h -> dense(2)\n}`,
    expected: ['NETC1011@2:27'],
  },
  {
    name: 'a block with a syntax error is not reported again where it is used',
    source: `block B(c: int s: int = 1) { dense(s) }\nnetwork N(x: [4]) { B(3) }`,
    expected: ['NETC1011@1:16'],
  },
  {
    name: 'a constant with a syntax error does not make its uses fail',
    source: `const k = [4, 4 2]\nnetwork N(x: [4]) { reshape(k) }`,
    expected: ['NETC1011@1:17'],
  },
  {
    name: 'a train section with a syntax error reports no missing settings',
    source: `network N(x: [2]) { dense(2) }\ntrain N {\n  data = xor\n  loss = mse(output,\n}`,
    expected: ['NETC1010@4:21'],
  },
  {
    name: 'a layer that an unreadable import would have defined is not unknown',
    source: `import "./layers.net"\nnetwork N(x: [4]) { Stem -> dense(2) }`,
    expected: ['NETC2003@1:8'],
  },
  {
    name: 'a value or constant listed by an unreadable import is not unknown',
    source: `import { width } from "./consts.net"\nnetwork N(x: [4]) { dense(width) }`,
    expected: ['NETC2003@1:23'],
  },
  {
    name: 'a name missing from the imported file is reported once, at the import',
    source: `import { Stem } from "./blocks.net"\nnetwork N(x: [4]) { Stem }`,
    files: { 'blocks.net': 'block Steem { relu }' },
    expected: ['NETC2005@1:10'],
    mentions: 'did you mean `Steem`?',
  },
  {
    name: 'a residual body that changes the shape suggests a projection shortcut',
    source: `network N(x: [16, 8, 8]) { residual { conv2d(32, 3, stride=2, pad=same) } }`,
    expected: ['NETC3008@1:28'],
    mentions: '`residual(shortcut = conv2d(32, 1, stride=2)) { ... }`',
  },
  {
    name: 'outputs returned in the wrong order are one error',
    source: `network N(x: [4]) -> (a: [2], b: [3]) {\n  a = x -> dense(2)\n  b = x -> dense(3)\n  return b, a\n}`,
    expected: ['NETC3052@4:10'],
    mentions: '`return a, b`',
  },
  {
    name: 'a first step without input suggests starting from the real input',
    source: `network N(left: [4], right: [4]) { dense(2) }`,
    expected: ['NETC2020@1:36'],
    mentions: '`left -> dense`',
  },
  {
    name: 'a value name on its own line warns that the steps before it are lost',
    source: `network N(x: [4]) {\n  dense(8)\n  x\n  dense(2)\n}`,
    expected: ['NETC2029@3:3'],
    mentions: 'remove this line',
  },
];

describe('resolution and expansion errors', () => {
  it.each(cases)('$name', ({ source, files, expected, mentions }) => {
    const result = compileText(source, files);
    expect(diagnosticsAt(result)).toEqual(expected);
    if (mentions) {
      const first = result.diagnostics[0]!;
      expect(`${first.message} ${first.help ?? ''} ${(first.notes ?? []).join(' ')}`).toContain(
        mentions,
      );
    }
  });

  it('points errors inside a block instance at the call site too', () => {
    const result = compileText(`block B { dense(3) }\nnetwork N(x: [2, 4, 4]) {\n  B\n}`);
    expect(diagnosticsAt(result)).toEqual(['NETC3001@1:11']);
    expect(result.diagnostics[0]!.callSites).toHaveLength(1);
    expect(result.diagnostics[0]!.callSites![0]!.start).toBe(
      result.sources.get('main.net')!.text.indexOf('  B') + 2,
    );
  });

  it('reports an error inside a block once however often it is used', () => {
    const result = compileText(`block B { dense(3) -> nope }\nnetwork N(x: [4]) { B -> B -> B }`);
    expect(diagnosticsAt(result)).toEqual(['NETC2001@1:23']);
  });

  it('reports instances nested too deep once, with the innermost and outermost call sites', () => {
    const networks = Array.from({ length: 150 }, (_, i) =>
      i === 0 ? 'network N0(x: [4]) { relu }' : `network N${i}(x: [4]) { N${i - 1} }`,
    );
    const result = compileText(networks.join('\n'));
    expect(result.diagnostics.map((d) => d.code)).toEqual(['NETC5007']);
    expect(result.diagnostics[0]!.callSites).toHaveLength(4);
    expect(result.diagnostics[0]!.omittedCallSites).toBe(96);
  });

  it('stops a deeply nested expansion with a diagnostic, not a stack overflow', () => {
    const blocks = Array.from({ length: 150 }, (_, i) => `block B${i} { B${i + 1} }`).join('\n');
    const result = compileText(`${blocks}\nblock B150 { relu }\nnetwork N(x: [4]) { B0 }`);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['NETC5007']);
  });

  it('stops an exponential expansion at the node limit', () => {
    const result = compileText(`network N(x: [4]) { repeat(10000) { repeat(10000) { relu } } }`);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['NETC5004']);
  });

  it('keeps checking other networks after one fails', () => {
    const result = compileText(
      `network A(x: [4]) { nope }\nnetwork B(x: [4]) { dense(2) -> relu }`,
    );
    expect(result.networks.has('B')).toBe(true);
    expect(result.networks.has('A')).toBe(false);
  });
});
