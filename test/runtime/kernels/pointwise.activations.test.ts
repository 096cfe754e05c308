import { describe, expect, it } from 'vitest';
import type { Kernel } from '../../../src/runtime/cpu/kernel.js';
import { pointwiseKernels as k } from '../../../src/runtime/cpu/kernels/pointwise.js';
import type { PrimAttrMap, PrimKind } from '../../../src/runtime/program.js';
import { callKernel, size, testValues } from '../../helpers/kernels.js';
import { checkShapes, dot, expectClose, expectGradients, valuesAwayFromZero } from './gradcheck.js';

/** Runs a one-input, one-output kernel on a flat array of the given shape. */
function apply<K extends PrimKind>(
  kernel: Kernel<K>,
  attrs: PrimAttrMap[K],
  x: readonly number[],
  shape: readonly number[] = [x.length],
): number[] {
  return Array.from(callKernel(kernel, attrs, [{ data: x, shape }], [shape])[0]!);
}

const exact = { atol: 0, rtol: 0 };
const close = { atol: 0, rtol: 1e-15 };

describe('activation kernels compute PyTorch’s formulas', () => {
  it('relu zeroes the negatives and keeps the rest', () => {
    expect(apply(k.relu, {}, [-1, 0, 2.5])).toEqual([0, 0, 2.5]);
  });

  it('sigmoid is 1/2 at 0, σ(2) = 0.8807970779778824, and saturates without NaN at ±800', () => {
    expectClose(apply(k.sigmoid, {}, [0, 2, -800, 800]), [0.5, 0.8807970779778824, 0, 1], close);
  });

  it('tanh(0.5) = 0.46211715726000974', () => {
    expectClose(apply(k.tanh, {}, [0.5]), [0.46211715726000974], close);
  });

  it('softplus is log 2 at 0, e^−40 at −40 and exactly x at 800 (no overflow)', () => {
    const y = apply(k.softplus, {}, [0, -40, 800, -800]);
    expectClose(y, [Math.LN2, 4.248354255291589e-18, 800, 0], close);
  });

  it('gelu(1) = 0.8413447460685429 and gelu(−1) = −0.15865525393145705 (exact erf form)', () => {
    expectClose(apply(k.gelu, {}, [1, -1, 0]), [0.8413447460685429, -0.15865525393145705, 0], {
      atol: 1e-15,
      rtol: 1e-14,
    });
  });

  it('gelu keeps relative precision far in the negative tail: gelu(−10) = −7.619853024160526e-23', () => {
    expectClose(apply(k.gelu, {}, [-10]), [-7.619853024160526e-23], { atol: 0, rtol: 1e-12 });
  });

  it('elu is alpha·(e^x − 1) below 0 and x above', () => {
    expectClose(apply(k.elu, { alpha: 1 }, [-1, 2]), [-0.6321205588285577, 2], close);
    expectClose(apply(k.elu, { alpha: 0.5 }, [-1]), [-0.31606027941427884], close);
  });

  it('leaky_relu scales the negatives by alpha', () => {
    expectClose(apply(k.leaky_relu, { alpha: 0.01 }, [-2, 3]), [-0.02, 3], close);
  });

  it('step is 1 strictly above the threshold and 0 at or below it', () => {
    expect(apply(k.step, { threshold: 0.5 }, [0.4, 0.5, 0.6])).toEqual([0, 0, 1]);
  });

  it('identity, reshape and scale copy (and scale) every element', () => {
    const x = [1, -2, 3, 4];
    expectClose(apply(k.identity, {}, x, [2, 2]), x, exact);
    expectClose(apply(k.reshape, {}, x, [2, 2]), x, exact);
    expectClose(apply(k.scale, { factor: -0.5 }, x, [2, 2]), [-0.5, 1, -1.5, -2], exact);
  });

  it('computes in float32 when given float32 buffers', () => {
    const x = [0.1, -0.7, 2.3];
    const y32 = callKernel(k.gelu, {}, [{ data: x, shape: [3] }], [[3]], { precision: 'float32' });
    expect(y32[0]).toBeInstanceOf(Float32Array);
    expectClose(y32[0]!, apply(k.gelu, {}, x.map(Math.fround)), { atol: 1e-7, rtol: 1e-6 });
  });
});

/**
 * An activation with its gradient primitive as two closures over plain arrays; `saves`
 * says whether the gradient reads the forward input x or the forward output y (program.ts).
 */
function activationCase<F extends PrimKind, G extends PrimKind>(
  name: string,
  forward: Kernel<F>,
  forwardAttrs: PrimAttrMap[F],
  grad: Kernel<G>,
  gradAttrs: PrimAttrMap[G],
  saves: 'x' | 'y',
) {
  return {
    name,
    saves,
    run: (x: readonly number[], shape: readonly number[]) =>
      Array.from(callKernel(forward, forwardAttrs, [{ data: x, shape }], [shape])[0]!),
    backward: (saved: readonly number[], dY: readonly number[], shape: readonly number[]) =>
      callKernel(
        grad,
        gradAttrs,
        [
          { data: saved, shape },
          { data: dY, shape },
        ],
        [shape],
      )[0]!,
  };
}

const activationCases = [
  activationCase('relu', k.relu, {}, k.relu_grad, {}, 'x'),
  activationCase('sigmoid', k.sigmoid, {}, k.sigmoid_grad, {}, 'y'),
  activationCase('tanh', k.tanh, {}, k.tanh_grad, {}, 'y'),
  activationCase('softplus', k.softplus, {}, k.softplus_grad, {}, 'x'),
  activationCase('gelu', k.gelu, {}, k.gelu_grad, {}, 'x'),
  activationCase('elu', k.elu, { alpha: 0.7 }, k.elu_grad, { alpha: 0.7 }, 'x'),
  activationCase(
    'leaky_relu',
    k.leaky_relu,
    { alpha: 0.1 },
    k.leaky_relu_grad,
    { alpha: 0.1 },
    'x',
  ),
];

describe('activation gradients match central differences of the forward kernels', () => {
  for (const c of activationCases) {
    it(`${c.name}_grad`, () => {
      checkShapes().forEach((shape, s) => {
        // Kinks (relu, elu, leaky_relu at 0) are kept out of the finite-difference stencil.
        const x = valuesAwayFromZero(size(shape), 100 + s, 3);
        const dY = testValues(size(shape), 200 + s);
        const saved = c.saves === 'x' ? x : c.run(x, shape);
        const dX = c.backward(saved, dY, shape);
        expectGradients(([v]) => dot(c.run(v!, shape), dY), [x], [dX], `${c.name} on [${shape}]`);
      });
    });
  }
});
