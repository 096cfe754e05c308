import { describe, expect, it } from 'vitest';
import {
  checkErrorCase,
  checkShapeCase,
  errorTitle,
  failure,
  shapeTitle,
  succeed,
  type ErrorCase,
  type ShapeCase,
} from './harness.js';

const big = 2 ** 31 - 1;

describe('multi-input ops map shapes', () => {
  const cases: ShapeCase[] = [
    {
      op: 'add',
      inputs: [
        [16, 8, 8],
        [16, 8, 8],
      ],
      output: [16, 8, 8],
    },
    { op: 'add', inputs: [[5], [5], [5]], output: [5] },
    { op: 'mul', inputs: [[4], [4]], output: [4] },
    { op: 'sample_normal', inputs: [[20], [20]], output: [20] },
    {
      op: 'concat',
      inputs: [
        [64, 28, 28],
        [128, 28, 28],
        [32, 28, 28],
        [32, 28, 28],
      ],
      output: [256, 28, 28],
    },
    { op: 'concat', inputs: [[3], [7]], output: [10] },
    {
      op: 'concat',
      args: { axis: -1 },
      inputs: [
        [3, 4],
        [3, 5],
      ],
      output: [3, 9],
    },
    {
      op: 'concat',
      args: { axis: 1 },
      inputs: [
        [2, 3, 4],
        [2, 5, 4],
      ],
      output: [2, 8, 4],
    },
    {
      op: 'concat',
      inputs: [
        [1, 1, 1],
        [1, 1, 1],
      ],
      output: [2, 1, 1],
    },
  ];
  it.each(cases.map((c) => [shapeTitle(c), c] as const))('%s', (_, c) => checkShapeCase(c));

  it('normalizes a negative concat axis', () => {
    const result = succeed(
      'concat',
      [
        [2, 3, 4],
        [2, 3, 5],
      ],
      { axis: -1 },
    );
    expect(result.attrs).toEqual({ axis: 2 });
  });

  it('learn nothing and count no multiply-adds', () => {
    for (const op of ['add', 'mul', 'sample_normal', 'concat'] as const) {
      const result = succeed(op, [[4], [4]]);
      expect(result.params).toEqual([]);
      expect(result.macs).toBe(0);
    }
  });
});

describe('multi-input ops reject', () => {
  const cases: ErrorCase[] = [
    {
      op: 'add',
      inputs: [
        [16, 8, 8],
        [32, 8, 8],
      ],
      because: 'the channels differ',
      code: 'NETC3008',
      says: 'input 2 of `add` has shape [32, 8, 8], but input 1 has [16, 8, 8]',
    },
    {
      op: 'add',
      inputs: [[5], [5], [6]],
      because: 'the third input differs',
      code: 'NETC3008',
      says: 'input 3 of `add`',
    },
    {
      op: 'add',
      inputs: [[16, 8, 8], [1024]],
      because: 'the ranks differ',
      code: 'NETC3008',
    },
    {
      op: 'mul',
      inputs: [
        [2, 3],
        [3, 2],
      ],
      because: 'transposed shapes are different shapes',
      code: 'NETC3008',
    },
    {
      op: 'sample_normal',
      inputs: [[20], [10]],
      because: 'mu and logvar must match',
      code: 'NETC3008',
      says: 'input 2 of `sample_normal` has shape [10], but input 1 has [20]',
    },
    {
      op: 'add',
      inputs: [[5]],
      because: 'one value is nothing to add',
      code: 'NETC3053',
      says: '`add` takes two or more inputs, got one input',
    },
    {
      op: 'mul',
      inputs: [[4], [4], [4]],
      because: 'it takes exactly two inputs',
      code: 'NETC3053',
    },
    {
      op: 'sample_normal',
      inputs: [[4]],
      because: 'it needs mu and logvar',
      code: 'NETC3053',
    },
    {
      op: 'concat',
      inputs: [
        [16, 8, 8],
        [16, 4, 4],
      ],
      because: 'the spatial sizes differ',
      code: 'NETC3009',
      says: 'they may differ only along axis 0',
    },
    {
      op: 'concat',
      inputs: [[16, 8, 8], [16]],
      because: 'the ranks differ',
      code: 'NETC3009',
      says: 'input 2 of `concat` has rank 1 ([16]), but input 1 has rank 3 ([16, 8, 8])',
    },
    {
      op: 'concat',
      args: { axis: 3 },
      inputs: [
        [1, 2, 2],
        [1, 2, 2],
      ],
      because: 'the shapes have axes 0 to 2',
      code: 'NETC3007',
      arg: 'axis',
    },
    {
      op: 'concat',
      args: { axis: -4 },
      inputs: [
        [1, 2, 2],
        [1, 2, 2],
      ],
      because: 'negative axes count from the end',
      code: 'NETC3007',
      arg: 'axis',
    },
    {
      op: 'concat',
      inputs: [[3]],
      because: 'one value is nothing to join',
      code: 'NETC3053',
    },
    {
      op: 'concat',
      inputs: [[big], [big]],
      because: 'the joined axis would exceed 2^31 - 1',
      code: 'NETC3012',
    },
  ];
  it.each(cases.map((c) => [errorTitle(c), c] as const))('%s', (_, c) => checkErrorCase(c));

  it('suggests a 1×1 convolution when only the channels differ', () => {
    expect(
      failure('add', [
        [16, 8, 8],
        [32, 8, 8],
      ]).help,
    ).toContain('conv2d(16, 1)');
  });

  it('suggests matching padding when concat branches differ in size', () => {
    expect(
      failure('concat', [
        [16, 8, 8],
        [16, 6, 6],
      ]).help,
    ).toContain('pad=same');
  });
});
