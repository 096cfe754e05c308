import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OpKind } from '../../src/compiler/ir/ops.js';
import { run, type RawArgs } from './harness.js';

/* Properties over many sizes, with a fixed seed so failures reproduce. */

const settings = { seed: 20240501, numRuns: 500 } as const;

/** How many window positions fit, counted one by one rather than by formula. */
function countPositions(size: number, k: number, s: number, p: number, d: number): number {
  const extent = d * (k - 1) + 1;
  let count = 0;
  for (let start = 0; start + extent <= size + 2 * p; start += s) count++;
  return count;
}

describe('the sliding-window rule', () => {
  it('agrees with counting window positions one by one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        (size, k, stride, pad, dilation) => {
          const outcome = run('conv2d', [[2, size, size]], {
            filters: 1,
            k,
            stride,
            pad,
            dilation,
          });
          const expected = countPositions(size, k, stride, pad, dilation);
          if (expected === 0) {
            expect(outcome.ok ? outcome.shape : outcome.error.code).toBe('NETC3002');
          } else {
            expect(outcome.ok && outcome.shape).toEqual([1, expected, expected]);
          }
        },
      ),
      settings,
    );
  });

  it('is undone by conv_transpose2d with the same kernel, stride and padding', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.nat(),
        (size, k, stride, pad, dilation, seed) => {
          const outputPad = seed % stride;
          const args = { filters: 1, k, stride, pad, dilation };
          const up = run('conv_transpose2d', [[1, size, size]], { ...args, output_pad: outputPad });
          if (!up.ok) return;
          const down = run('conv2d', [up.shape], args);
          expect(down.ok && down.shape).toEqual([1, size, size]);
        },
      ),
      settings,
    );
  });
});

describe('the rules on hostile numbers', () => {
  const anyInt = fc.oneof(
    fc.integer({ min: -3, max: 40 }),
    fc.constantFrom(2 ** 31 - 1, 2 ** 31, 2 ** 40, Number.MAX_SAFE_INTEGER),
  );
  const dim = fc.oneof(fc.integer({ min: 1, max: 64 }), fc.constantFrom(2 ** 16, 2 ** 31 - 1));

  const calls: readonly [OpKind, (a: number, b: number, c: number) => RawArgs][] = [
    ['conv2d', (a, b, c) => ({ filters: a, k: b, stride: c, pad: c, dilation: b, groups: 1 })],
    ['conv_transpose2d', (a, b, c) => ({ filters: a, k: b, stride: c, pad: a, dilation: c })],
    ['maxpool', (a, b, c) => ({ k: a, stride: b, pad: c })],
    ['avgpool', (a, b) => ({ k: [a, b] })],
    ['dense', (a) => ({ units: a })],
    ['upsample', (a) => ({ scale: a })],
    ['reshape', (a, b) => ({ shape: [a, -1, b] })],
  ];

  it.each(calls)('never make `%s` throw and give only exact results', (op, argsOf) => {
    fc.assert(
      fc.property(anyInt, anyInt, anyInt, dim, dim, dim, (a, b, c, channels, h, w) => {
        const outcome = run(op, [op === 'dense' ? [channels] : [channels, h, w]], argsOf(a, b, c));
        if (!outcome.ok) {
          expect(outcome.error.code).toMatch(/^NETC3\d{3}$/);
          return;
        }
        expect(Number.isSafeInteger(outcome.macs)).toBe(true);
        for (const d of outcome.shape) expect(d >= 1 && d <= 2 ** 31 - 1).toBe(true);
      }),
      settings,
    );
  });
});
