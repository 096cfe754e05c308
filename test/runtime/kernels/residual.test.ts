import { describe, expect, it } from 'vitest';
import { cpuKernels as k } from '../../../src/runtime/cpu/kernels/index.js';
import type { EpilogueActivation } from '../../../src/runtime/program.js';
import { runtimeShapeRules, ShapeError } from '../../../src/runtime/runtimeShapes.js';
import { callKernel, size, testValues, type TensorArg } from '../../helpers/kernels.js';
import { convAttrs, convShapes } from './spatialCases.js';
import { run1, tensor } from './spatialHarness.js';

/*
 * The residual epilogue (`residual: true`, fuse-residuals.ts): dense, conv2d and batchnorm
 * add their extra last input before the activation. Against the unfused kernels (the op,
 * then `add`, then the activation) in float64: both take the same float64 value, add the
 * same residual and apply the same scalar activation, so they must agree bit for bit. The
 * residual is scaled so that it moves values across 0 and the activation's kink, and every
 * case checks that it changed the output.
 */

const activations: readonly (EpilogueActivation | undefined)[] = [
  undefined,
  { kind: 'relu', alpha: 0 },
  { kind: 'tanh', alpha: 0 },
  { kind: 'leaky_relu', alpha: 0.1 },
];

const named = (a: EpilogueActivation | undefined) => a?.kind ?? 'no activation';

function unfused(
  base: ArrayLike<number>,
  r: TensorArg,
  activation: EpilogueActivation | undefined,
): Float64Array {
  const sum = run1(k.add, {}, [{ data: Array.from(base), shape: r.shape }, r], r.shape);
  if (!activation) return Float64Array.from(sum);
  const attrs = activation.kind === 'leaky_relu' ? { alpha: activation.alpha } : {};
  const act = k[activation.kind] as typeof k.relu;
  return Float64Array.from(run1(act, attrs as never, [{ data: sum, shape: r.shape }], r.shape));
}

function expectIdentical(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string) {
  expect(Array.from(actual), what).toEqual(Array.from(expected));
}

const residualOf = (shape: readonly number[], seed: number): TensorArg => ({
  data: testValues(size(shape), seed).map((v) => 4 * v),
  shape,
});

describe('the residual epilogue equals the op, then add, then the activation', () => {
  it('for dense, with and without bias', () => {
    const x = tensor([3, 5], 1);
    const w = tensor([4, 5], 2);
    const r = residualOf([3, 4], 3);
    for (const bias of [true, false]) {
      const inputs = bias ? [x, w, tensor([4], 4)] : [x, w];
      const base = run1(k.dense, { bias }, inputs, [3, 4]);
      for (const a of activations) {
        const attrs = { bias, residual: true, ...(a && { activation: a }) };
        const fused = run1(k.dense, attrs, [...inputs, r], [3, 4]);
        expectIdentical(fused, unfused(base, r, a), `${named(a)}, bias ${bias}`);
        expect(Array.from(fused)).not.toEqual(Array.from(base));
      }
    }
  });

  it('for conv2d', () => {
    const c = {
      name: 'a 3×3 kernel, same padding',
      batch: 2,
      channels: 3,
      size: [5, 4] as [number, number],
      attrs: convAttrs({ filters: 4, kernel: [3, 3], pad: [1, 1] }),
    };
    const s = convShapes(c);
    const inputs = [tensor(s.x, 5), tensor(s.w, 6), tensor(s.b, 7)];
    const r = residualOf(s.y, 8);
    const base = run1(k.conv2d, c.attrs, inputs, s.y);
    for (const a of activations) {
      const attrs = { ...c.attrs, residual: true, ...(a && { activation: a }) };
      const fused = run1(k.conv2d, attrs, [...inputs, r], s.y);
      expectIdentical(fused, unfused(base, r, a), named(a));
    }
  });

  it('for batchnorm_infer and batchnorm_train (its statistics unchanged)', () => {
    const shape = [3, 2, 2, 2];
    const stats = [tensor([2], 9), tensor([2], 10), { data: [0.1, -0.2], shape: [2] }];
    const variance = { data: [0.5, 2], shape: [2] };
    const x = tensor(shape, 11);
    const r = residualOf(shape, 12);
    const inferInputs = [x, ...stats, variance];
    const base = run1(k.batchnorm_infer, { eps: 1e-5 }, inferInputs, shape);
    const trainAttrs = { momentum: 0.1, eps: 1e-5 };
    const outShapes = [shape, [2], [2], [2], [2]];
    const train = callKernel(k.batchnorm_train, trainAttrs, inferInputs, outShapes);
    for (const a of activations) {
      const extra = { residual: true, ...(a && { activation: a }) };
      const fused = run1(k.batchnorm_infer, { eps: 1e-5, ...extra }, [...inferInputs, r], shape);
      expectIdentical(fused, unfused(base, r, a), `infer, ${named(a)}`);
      const [y, ...rest] = callKernel(
        k.batchnorm_train,
        { ...trainAttrs, ...extra },
        [...inferInputs, r],
        outShapes,
      );
      expectIdentical(y!, unfused(train[0]!, r, a), `train, ${named(a)}`);
      rest.forEach((out, i) => expectIdentical(out, train[i + 1]!, `train output ${i + 1}`));
    }
  });

  it('needs the residual last, of the output shape', () => {
    const dense = runtimeShapeRules.dense;
    const attrs = { bias: false, residual: true };
    expect(
      dense(
        attrs,
        [
          [3, 5],
          [4, 5],
          [3, 4],
        ],
        [],
      ),
    ).toEqual([[3, 4]]);
    expect(() =>
      dense(
        attrs,
        [
          [3, 5],
          [4, 5],
          [3, 5],
        ],
        [],
      ),
    ).toThrow(ShapeError);
    expect(() =>
      dense(
        attrs,
        [
          [3, 5],
          [4, 5],
        ],
        [],
      ),
    ).toThrow(ShapeError);
    expect(() =>
      runtimeShapeRules.batchnorm_infer({ eps: 1e-5, residual: true }, [[2, 3]], []),
    ).toThrow(ShapeError);
  });
});
