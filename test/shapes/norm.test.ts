import { describe, expect, it } from 'vitest';
import {
  checkErrorCase,
  checkShapeCase,
  errorTitle,
  succeed,
  shapeTitle,
  trainableCount,
  type ErrorCase,
  type ShapeCase,
} from './harness.js';

describe('normalization keeps the shape', () => {
  const cases: ShapeCase[] = [
    { op: 'batchnorm', inputs: [[64, 56, 56]], output: [64, 56, 56] },
    { op: 'batchnorm', inputs: [[100]], output: [100] },
    { op: 'batchnorm', args: { momentum: 0, eps: 1e-3 }, inputs: [[1, 1, 1]], output: [1, 1, 1] },
    { op: 'layernorm', inputs: [[10]], output: [10] },
    { op: 'layernorm', args: { eps: 1e-6 }, inputs: [[4, 5, 5]], output: [4, 5, 5] },
  ];
  it.each(cases.map((c) => [shapeTitle(c), c] as const))('%s', (_, c) => checkShapeCase(c));
});

describe('batchnorm parameters', () => {
  it('are weight (ones) and bias (zeros) per channel, plus running statistics as buffers', () => {
    expect(succeed('batchnorm', [[64, 8, 8]]).params).toEqual([
      { role: 'weight', shape: [64], init: { kind: 'ones' }, trainable: true, regularized: false },
      { role: 'bias', shape: [64], init: { kind: 'zeros' }, trainable: true, regularized: false },
      {
        role: 'running_mean',
        shape: [64],
        init: { kind: 'zeros' },
        trainable: false,
        regularized: false,
      },
      {
        role: 'running_var',
        shape: [64],
        init: { kind: 'ones' },
        trainable: false,
        regularized: false,
      },
    ]);
  });

  const pytorch = [
    { layer: 'nn.BatchNorm2d(64)', input: [64, 56, 56], count: 128 },
    { layer: 'nn.BatchNorm1d(100)', input: [100], count: 200 },
    { layer: 'nn.BatchNorm2d(3)', input: [3, 1, 1], count: 6 },
  ];
  it.each(pytorch)('match $layer: $count parameters', ({ input, count }) => {
    const result = succeed('batchnorm', [input]);
    expect(trainableCount(result.params)).toBe(count);
    expect(result.macs).toBe(0);
  });
});

describe('layernorm parameters', () => {
  const pytorch = [
    { layer: 'nn.LayerNorm(10)', input: [10], count: 20 },
    { layer: 'nn.LayerNorm([4, 5, 5])', input: [4, 5, 5], count: 200 },
  ];
  it.each(pytorch)('match $layer: $count parameters', ({ input, count }) => {
    expect(trainableCount(succeed('layernorm', [input]).params)).toBe(count);
  });

  it('have the normalized shape and are not regularized', () => {
    expect(succeed('layernorm', [[4, 5, 5]]).params).toEqual([
      {
        role: 'weight',
        shape: [4, 5, 5],
        init: { kind: 'ones' },
        trainable: true,
        regularized: false,
      },
      {
        role: 'bias',
        shape: [4, 5, 5],
        init: { kind: 'zeros' },
        trainable: true,
        regularized: false,
      },
    ]);
  });
});

describe('normalization rejects', () => {
  const cases: ErrorCase[] = [
    {
      op: 'batchnorm',
      inputs: [[4, 4]],
      because: 'it works on vectors and images only',
      code: 'NETC3001',
      says: '`batchnorm` expects a vector [D] or an image [C, H, W], got [4, 4]',
    },
    {
      op: 'batchnorm',
      inputs: [[2, 3, 4, 5]],
      because: 'rank 4 is neither a vector nor an image',
      code: 'NETC3001',
    },
    {
      op: 'layernorm',
      inputs: [[2, 3]],
      because: 'it works on vectors and images only',
      code: 'NETC3001',
    },
    {
      op: 'batchnorm',
      args: { momentum: 1.5 },
      inputs: [[4]],
      because: 'momentum is a fraction',
      code: 'NETC3006',
      arg: 'momentum',
      says: '`momentum` must be in [0, 1], got 1.5',
    },
    {
      op: 'batchnorm',
      args: { eps: 0 },
      inputs: [[4]],
      because: 'eps must keep the division away from zero',
      code: 'NETC3006',
      arg: 'eps',
      says: '`eps` must be greater than 0, got 0',
    },
    {
      op: 'layernorm',
      args: { eps: -1 },
      inputs: [[4]],
      because: 'eps must be positive',
      code: 'NETC3006',
      arg: 'eps',
    },
    {
      op: 'layernorm',
      inputs: [[4], [4]],
      because: 'it takes one input',
      code: 'NETC3053',
    },
  ];
  it.each(cases.map((c) => [errorTitle(c), c] as const))('%s', (_, c) => checkErrorCase(c));
});
