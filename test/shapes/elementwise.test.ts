import { describe, expect, it } from 'vitest';
import type { OpKind } from '../../src/compiler/ir/ops.js';
import {
  checkErrorCase,
  checkShapeCase,
  errorTitle,
  shapeTitle,
  succeed,
  type ErrorCase,
  type ShapeCase,
} from './harness.js';

const sameShapeOps: readonly OpKind[] = [
  'relu',
  'sigmoid',
  'tanh',
  'softplus',
  'gelu',
  'elu',
  'leaky_relu',
  'step',
  'identity',
  'softmax',
  'log_softmax',
];

describe('activations, dropout and noise keep the shape', () => {
  const cases: ShapeCase[] = [
    ...sameShapeOps.flatMap((op): ShapeCase[] => [
      { op, inputs: [[3, 4, 4]], output: [3, 4, 4] },
      { op, inputs: [[1]], output: [1] },
    ]),
    { op: 'elu', args: { alpha: 0.5 }, inputs: [[7]], output: [7] },
    { op: 'leaky_relu', args: { alpha: 0.2 }, inputs: [[2, 3, 5]], output: [2, 3, 5] },
    { op: 'step', args: { threshold: 0.5 }, inputs: [[3]], output: [3] },
    { op: 'softmax', args: { axis: 0 }, inputs: [[3, 4, 4]], output: [3, 4, 4] },
    { op: 'dropout', args: { p: 0.5 }, inputs: [[100]], output: [100] },
    { op: 'dropout', args: { p: 0 }, inputs: [[8, 2, 2]], output: [8, 2, 2] },
    { op: 'gaussian_noise', args: { std: 0.1 }, inputs: [[784]], output: [784] },
    { op: 'gaussian_noise', args: { std: 0 }, inputs: [[1, 28, 28]], output: [1, 28, 28] },
  ];
  it.each(cases.map((c) => [shapeTitle(c), c] as const))('%s', (_, c) => checkShapeCase(c));

  it('has no parameters and no multiply-adds', () => {
    for (const op of sameShapeOps) {
      const result = succeed(op, [[10]]);
      expect(result.params).toEqual([]);
      expect(result.macs).toBe(0);
    }
  });

  it('uses the documented defaults', () => {
    expect(succeed('elu', [[1]]).attrs).toEqual({ alpha: 1 });
    expect(succeed('leaky_relu', [[1]]).attrs).toEqual({ alpha: 0.01 });
    expect(succeed('step', [[1]]).attrs).toEqual({ threshold: 0 });
  });

  const axes = [
    { op: 'softmax', axis: -1, input: [10], normalized: 0 },
    { op: 'softmax', axis: -1, input: [3, 4, 4], normalized: 2 },
    { op: 'log_softmax', axis: -3, input: [3, 4, 4], normalized: 0 },
    { op: 'softmax', axis: 1, input: [3, 4, 4], normalized: 1 },
  ] as const;
  it.each(axes)(
    '$op(axis=$axis) on $input normalizes the axis to $normalized',
    ({ op, axis, input, normalized }) => {
      expect(succeed(op, [input], { axis }).attrs).toEqual({ axis: normalized });
    },
  );
});

describe('activations, dropout and noise reject', () => {
  const cases: ErrorCase[] = [
    {
      op: 'softmax',
      args: { axis: 1 },
      inputs: [[10]],
      because: 'a vector has only axis 0',
      code: 'NETC3007',
      arg: 'axis',
      says: '`axis=1` is out of range for `softmax` on [10], which has 1 axis',
    },
    {
      op: 'softmax',
      args: { axis: -2 },
      inputs: [[10]],
      because: 'negative axes count from the end',
      code: 'NETC3007',
      arg: 'axis',
    },
    {
      op: 'log_softmax',
      args: { axis: 3 },
      inputs: [[3, 4, 4]],
      because: 'the batch axis is not counted',
      code: 'NETC3007',
      arg: 'axis',
    },
    {
      op: 'dropout',
      args: { p: 1 },
      inputs: [[10]],
      because: 'dropping everything leaves nothing to scale',
      code: 'NETC3006',
      arg: 'p',
      says: '`p` must be in [0, 1), got 1',
    },
    {
      op: 'dropout',
      args: { p: -0.1 },
      inputs: [[10]],
      because: 'a probability is not negative',
      code: 'NETC3006',
      arg: 'p',
    },
    {
      op: 'dropout',
      args: { p: Number.NaN },
      inputs: [[10]],
      because: 'NaN is no probability',
      code: 'NETC3006',
      arg: 'p',
    },
    {
      op: 'gaussian_noise',
      args: { std: -1 },
      inputs: [[10]],
      because: 'a standard deviation is not negative',
      code: 'NETC3006',
      arg: 'std',
      says: '`std` must be at least 0, got -1',
    },
    {
      op: 'elu',
      args: { alpha: Number.POSITIVE_INFINITY },
      inputs: [[10]],
      because: 'alpha must be finite',
      code: 'NETC3006',
      arg: 'alpha',
    },
    {
      op: 'step',
      args: { threshold: Number.NaN },
      inputs: [[10]],
      because: 'the threshold must be finite',
      code: 'NETC3006',
      arg: 'threshold',
    },
    {
      op: 'relu',
      inputs: [[10], [10]],
      because: 'it takes one input',
      code: 'NETC3053',
    },
    {
      op: 'dropout',
      args: { p: 0.5 },
      inputs: [],
      because: 'it needs an input',
      code: 'NETC3053',
    },
  ];
  it.each(cases.map((c) => [errorTitle(c), c] as const))('%s', (_, c) => checkErrorCase(c));
});
