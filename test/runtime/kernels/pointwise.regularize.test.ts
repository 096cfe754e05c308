import { describe, expect, it } from 'vitest';
import { pointwiseKernels as k } from '../../../src/runtime/cpu/kernels/pointwise.js';
import { callKernel, size, testValues } from '../../helpers/kernels.js';
import { checkShapes, expectGradients, valuesAwayFromZero } from './gradcheck.js';

function penalty(kind: 'sum_squares' | 'sum_abs', tensors: number[][]) {
  const inputs = tensors.map((data) => ({ data, shape: [data.length] }));
  const out =
    kind === 'sum_squares'
      ? callKernel(k.sum_squares, {}, inputs, [[]])
      : callKernel(k.sum_abs, {}, inputs, [[]]);
  return out[0]![0]!;
}

/** g + alpha·w (or alpha·sign(w)), run in place on g's buffer as the interpreter does. */
function addInto(kind: 'add_scaled' | 'add_sign_scaled', g: number[], w: number[], alpha: number) {
  const inputs = [
    { data: g, shape: [g.length] },
    { data: w, shape: [w.length] },
  ];
  const options = { inPlace: { 0: 0 } };
  const out =
    kind === 'add_scaled'
      ? callKernel(k.add_scaled, { alpha }, inputs, [[g.length]], options)
      : callKernel(k.add_sign_scaled, { alpha }, inputs, [[g.length]], options);
  return Array.from(out[0]!);
}

describe('regularization kernels', () => {
  it('sum_squares and sum_abs add over every element of every tensor', () => {
    expect(penalty('sum_squares', [[1, -2], [3]])).toBe(14);
    expect(penalty('sum_abs', [[-1, 2], [-3]])).toBe(6);
  });

  it('add_scaled and add_sign_scaled update the gradient in place, sign(0) = 0', () => {
    expect(addInto('add_scaled', [1, 1, 1], [2, -4, 0], 0.5)).toEqual([2, -1, 1]);
    expect(addInto('add_sign_scaled', [1, 1, 1], [2, -4, 0], 0.5)).toEqual([1.5, 0.5, 1]);
  });

  it('add_scaled with alpha = 2 adds exactly the central-difference gradient of sum_squares', () => {
    checkShapes().forEach((shape, s) => {
      const w = testValues(size(shape), 160 + s);
      const zeros = new Array<number>(w.length).fill(0);
      const analytic = addInto('add_scaled', zeros, w, 2);
      expectGradients(([v]) => penalty('sum_squares', [v!]), [w], [analytic], `[${shape}]`);
    });
  });

  it('add_sign_scaled with alpha = 1 adds the central-difference gradient of sum_abs', () => {
    checkShapes().forEach((shape, s) => {
      const w = valuesAwayFromZero(size(shape), 170 + s);
      const zeros = new Array<number>(w.length).fill(0);
      const analytic = addInto('add_sign_scaled', zeros, w, 1);
      expectGradients(([v]) => penalty('sum_abs', [v!]), [w], [analytic], `[${shape}]`);
    });
  });
});
