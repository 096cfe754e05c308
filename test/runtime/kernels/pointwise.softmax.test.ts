import { describe, expect, it } from 'vitest';
import { pointwiseKernels as k } from '../../../src/runtime/cpu/kernels/pointwise.js';
import { callKernel, size, testValues } from '../../helpers/kernels.js';
import { checkShapes, dot, expectClose, expectGradients } from './gradcheck.js';

function softmax(x: readonly number[], shape: readonly number[], axis: number, log = false) {
  const input = [{ data: x, shape }];
  const y = log
    ? callKernel(k.log_softmax, { axis }, input, [shape])
    : callKernel(k.softmax, { axis }, input, [shape]);
  return Array.from(y[0]!);
}

function softmaxGrad(y: number[], dY: number[], shape: number[], axis: number, log: boolean) {
  const inputs = [
    { data: y, shape },
    { data: dY, shape },
  ];
  const dX = log
    ? callKernel(k.log_softmax_grad, { axis }, inputs, [shape])
    : callKernel(k.softmax_grad, { axis }, inputs, [shape]);
  return dX[0]!;
}

const close = { atol: 0, rtol: 1e-15 };

describe('softmax and log_softmax', () => {
  it('stay finite on large logits: softmax([1000, 1001]) = [1/(1+e), e/(1+e)]', () => {
    expectClose(softmax([1000, 1001], [1, 2], 0), [0.2689414213699951, 0.7310585786300049], close);
  });

  it('log_softmax([1000, 1001]) = [−log(1+e), 1 − log(1+e)]', () => {
    expectClose(
      softmax([1000, 1001], [1, 2], 0, true),
      [-1.3132616875182228, -0.31326168751822286],
      close,
    );
  });

  it('give 0 (not NaN) for a logit 1000 below the others', () => {
    expectClose(softmax([0, -1000, 0], [1, 3], 0), [0.5, 0, 0.5], close);
  });

  it('normalize along the channel axis of an image: every (n, h, w) sums to 1 over c', () => {
    const shape = [2, 3, 2, 2];
    const y = softmax(testValues(size(shape), 3), shape, 0);
    for (let n = 0; n < 2; n++) {
      for (let p = 0; p < 4; p++) {
        let sum = 0;
        for (let c = 0; c < 3; c++) sum += y[(n * 3 + c) * 4 + p]!;
        expect(Math.abs(sum - 1)).toBeLessThan(1e-15);
      }
    }
  });

  it('normalize along the last axis of an image independently of the other axes', () => {
    const shape = [1, 2, 1, 3];
    const y = softmax([1, 2, 3, 0, 0, 0], shape, 2);
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const total = e[0]! + e[1]! + e[2]!;
    expectClose(y, [e[0]! / total, e[1]! / total, e[2]! / total, 1 / 3, 1 / 3, 1 / 3], {
      atol: 1e-16,
      rtol: 1e-15,
    });
  });

  it('are 1 and 0 along an axis of size 1', () => {
    expect(softmax([5, -3], [2, 1], 0)).toEqual([1, 1]);
    expect(softmax([5, -3], [2, 1], 0, true)).toEqual([0, 0]);
  });
});

describe('softmax_grad and log_softmax_grad match central differences', () => {
  for (const log of [false, true]) {
    const name = log ? 'log_softmax' : 'softmax';
    it(`${name}_grad along every axis of every check shape`, () => {
      checkShapes().forEach((shape, s) => {
        for (let axis = 0; axis < shape.length - 1; axis++) {
          const x = testValues(size(shape), 300 + s).map((v) => 3 * v);
          const dY = testValues(size(shape), 400 + s);
          const y = softmax(x, shape, axis, log);
          const dX = softmaxGrad(y, dY, shape, axis, log);
          expectGradients(
            ([v]) => dot(softmax(v!, shape, axis, log), dY),
            [x],
            [dX],
            `${name} axis ${axis} on [${shape}]`,
          );
        }
      });
    });
  }
});
