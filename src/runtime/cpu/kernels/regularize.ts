import type { Kernel } from '../kernel.js';
import { sign } from './elementwise.js';
import { input, output } from './layout.js';

/*
 * Weight regularization: the penalties (sum_squares for l2, sum_abs for l1) summed over
 * every regularized tensor, and their gradients added into the gradient buffers in place
 * (`alpha` carries the whole factor, including l2's 2).
 */

export const sumSquares: Kernel<'sum_squares'> = (call) => {
  let total = 0;
  for (let j = 0; j < call.inputs.length; j++) {
    const w = input(call, j);
    for (let i = 0; i < w.length; i++) total += w[i]! * w[i]!;
  }
  output(call, 0)[0] = total;
};

export const sumAbs: Kernel<'sum_abs'> = (call) => {
  let total = 0;
  for (let j = 0; j < call.inputs.length; j++) {
    const w = input(call, j);
    for (let i = 0; i < w.length; i++) total += Math.abs(w[i]!);
  }
  output(call, 0)[0] = total;
};

/** g += alpha·w; element i of g is read before it is written, so in place is safe. */
export const addScaled: Kernel<'add_scaled'> = (call) => {
  const g = input(call, 0);
  const w = input(call, 1);
  const out = output(call, 0);
  for (let i = 0; i < out.length; i++) out[i] = g[i]! + call.attrs.alpha * w[i]!;
};

/** g += alpha·sign(w), with sign(0) = 0 as torch.sign. */
export const addSignScaled: Kernel<'add_sign_scaled'> = (call) => {
  const g = input(call, 0);
  const w = input(call, 1);
  const out = output(call, 0);
  for (let i = 0; i < out.length; i++) out[i] = g[i]! + call.attrs.alpha * sign(w[i]!);
};
