import fc from 'fast-check';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { LiteralRef, printLiteral, quote } from '../../src/compiler/codegen/literal.js';

/*
 * The literal printer claims to lay data out exactly as prettier does (the repository's
 * settings: printWidth 100, single quotes). Checked on random data against prettier itself:
 * prettier leaves the printed text unchanged, and prints the same from a one-line input.
 */

const options = { parser: 'typescript', singleQuote: true, printWidth: 100 } as const;
const head = 'const value: unknown = ';

function statement(value: unknown, width = 100): string {
  const layout = { width, indentWidth: 2 };
  return head + printLiteral(value, { indent: 0, column: head.length, trailing: 1 }, layout) + ';';
}

const key = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('id', 'name', 'shape', 'op', 'attrs', 'inputs') },
  { weight: 3, arbitrary: fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,24}$/) },
  { weight: 1, arbitrary: fc.constantFrom('a-b', '1', 'x y', '$ok', '_') },
);
const text = fc.oneof(
  fc.stringMatching(/^[a-z_./]{0,40}$/),
  fc.constantFrom("it's", 'say "hi"', `a"b'c'd`, 'back\\slash', 'line\nbreak', ''),
);
const number = fc.oneof(
  fc.integer({ min: -1000, max: 100000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
  fc.constantFrom(1e-7, 2e-4, 1e21, 0.5),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    number,
    text,
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(number, { maxLength: 40 }),
    fc.array(tie('value'), { maxLength: 6 }),
    fc.dictionary(key, tie('value'), { maxKeys: 7 }),
    fc.array(fc.dictionary(key, number, { minKeys: 1, maxKeys: 4 }), { maxLength: 5 }),
    fc.array(fc.array(number, { minLength: 1, maxLength: 3 }), { maxLength: 4 }),
  ),
}));

describe('printLiteral', () => {
  it('prints what prettier prints, and what prettier leaves alone', async () => {
    await fc.assert(
      fc.asyncProperty(value, async (data) => {
        const printed = statement(data) + '\n';
        expect(await prettier.format(printed, options)).toBe(printed);
        const oneLine = statement(data, Infinity) + '\n';
        expect(await prettier.format(oneLine, options)).toBe(printed);
      }),
      { seed: 20240611, numRuns: 300 },
    );
  });

  it('keeps numbers, strings and references exact', () => {
    const data = [1e21, -0, Infinity, -Infinity, NaN, "it's", new LiteralRef('program0')];
    expect(statement(data)).toBe(`${head}[1e21, -0, Infinity, -Infinity, NaN, "it's", program0];`);
    expect(quote('a\nb')).toBe("'a\\nb'");
  });

  it('fills long arrays of numbers and breaks arrays of records', () => {
    const numbers = Array.from({ length: 40 }, (_, i) => i * 1001);
    const lines = statement(numbers).split('\n');
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.every((l) => l.length <= 100)).toBe(true);
    expect(
      statement([
        { a: 1, b: 2 },
        { a: 3, b: 4 },
      ]),
    ).toBe(`${head}[\n  { a: 1, b: 2 },\n  { a: 3, b: 4 },\n];`);
  });
});
