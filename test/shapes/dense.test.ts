import { describe, expect, it } from 'vitest';
import {
  checkErrorCase,
  checkShapeCase,
  errorTitle,
  failure,
  shapeTitle,
  succeed,
  trainableCount,
  type ErrorCase,
  type ShapeCase,
} from './harness.js';

const big = 2 ** 31 - 1;

describe('dense maps shapes', () => {
  const cases: ShapeCase[] = [
    { op: 'dense', args: { units: 10 }, inputs: [[84]], output: [10] },
    { op: 'dense', args: { units: 120 }, inputs: [[400]], output: [120] },
    { op: 'dense', args: { units: 1 }, inputs: [[1]], output: [1] },
    { op: 'dense', args: { units: 3 }, inputs: [[2]], output: [3] },
    { op: 'dense', args: { units: 4096, bias: false }, inputs: [[25088]], output: [4096] },
    { op: 'dense', args: { units: 7 }, inputs: [[13]], output: [7] },
  ];
  it.each(cases.map((c) => [shapeTitle(c), c] as const))('%s', (_, c) => checkShapeCase(c));
});

describe('dense rejects', () => {
  const cases: ErrorCase[] = [
    {
      op: 'dense',
      args: { units: 120 },
      inputs: [[16, 5, 5]],
      because: 'it needs a vector',
      code: 'NETC3001',
      says: '`dense` expects a vector [D], got [16, 5, 5]',
    },
    {
      op: 'dense',
      args: { units: 10 },
      inputs: [[4, 4]],
      because: 'a matrix is not a vector',
      code: 'NETC3001',
    },
    {
      op: 'dense',
      args: { units: 10 },
      inputs: [[]],
      because: 'a scalar is not a vector',
      code: 'NETC3001',
    },
    {
      op: 'dense',
      args: { units: 0 },
      inputs: [[10]],
      because: 'zero units are meaningless',
      code: 'NETC3006',
      arg: 'units',
      says: '`units` must be at least 1, got 0',
    },
    {
      op: 'dense',
      args: { units: -3 },
      inputs: [[10]],
      because: 'negative units are meaningless',
      code: 'NETC3006',
      arg: 'units',
    },
    {
      op: 'dense',
      args: { units: 2 ** 31 },
      inputs: [[10]],
      because: 'no dimension may exceed 2^31 - 1',
      code: 'NETC3012',
      arg: 'units',
    },
    {
      op: 'dense',
      args: { units: big },
      inputs: [[big]],
      because: 'the weight would have about 2^62 elements',
      code: 'NETC3013',
    },
    {
      op: 'dense',
      args: { units: 10 },
      inputs: [[4], [4]],
      because: 'it takes one input',
      code: 'NETC3053',
    },
    {
      op: 'dense',
      args: { units: 10 },
      inputs: [],
      because: 'it needs an input',
      code: 'NETC3053',
    },
  ];
  it.each(cases.map((c) => [errorTitle(c), c] as const))('%s', (_, c) => checkErrorCase(c));

  it('tells the user to flatten an image first', () => {
    expect(failure('dense', [[16, 5, 5]], { units: 120 }).help).toBe('insert `flatten` before it');
  });
});

describe('dense parameters', () => {
  it('lay out the weight as [out, in] (regularized) and the bias as [out] (zeros, not regularized)', () => {
    expect(succeed('dense', [[784]], { units: 30 }).params).toEqual([
      {
        role: 'weight',
        shape: [30, 784],
        init: { kind: 'glorot' },
        trainable: true,
        regularized: true,
      },
      { role: 'bias', shape: [30], init: { kind: 'zeros' }, trainable: true, regularized: false },
    ]);
  });

  const pytorch = [
    { layer: 'nn.Linear(25088, 4096)', d: 25088, units: 4096, bias: true, count: 102_764_544 },
    { layer: 'nn.Linear(784, 30)', d: 784, units: 30, bias: true, count: 23_550 },
    { layer: 'nn.Linear(2, 3)', d: 2, units: 3, bias: true, count: 9 },
    { layer: 'nn.Linear(512, 1000, bias=False)', d: 512, units: 1000, bias: false, count: 512_000 },
  ];
  it.each(pytorch)('match $layer: $count', ({ d, units, bias, count }) => {
    expect(trainableCount(succeed('dense', [[d]], { units, bias }).params)).toBe(count);
  });

  it('keep the chosen initializer', () => {
    const result = succeed('dense', [[4]], { units: 2, init: { kind: 'lecun' } });
    expect(result.params[0]?.init).toEqual({ kind: 'lecun' });
  });
});

describe('dense multiply-adds', () => {
  it('count in·out per sample, with or without a bias', () => {
    expect(succeed('dense', [[25088]], { units: 4096 }).macs).toBe(102_760_448);
    expect(succeed('dense', [[25088]], { units: 4096, bias: false }).macs).toBe(102_760_448);
  });
});
