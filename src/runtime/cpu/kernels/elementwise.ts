import type { Kernel } from '../kernel.js';
import type { PrimAttrMap, PrimKind } from '../../program.js';
import { input, output } from './layout.js';

/*
 * Building blocks for kernels that treat every element alike: kernel makers for
 * `[x] → [y]` maps and `[a, dY] → [dX]` gradients, and the numerically stable scalar
 * functions the activations and losses share.
 */

/** A kernel [x] → [y] with y[i] = f(x[i]). */
export function unaryKernel<K extends PrimKind>(
  f: (x: number, attrs: PrimAttrMap[K]) => number,
): Kernel<K> {
  return (call) => {
    const x = input(call, 0);
    const y = output(call, 0);
    for (let i = 0; i < y.length; i++) y[i] = f(x[i]!, call.attrs);
  };
}

/**
 * A kernel [a, dY] → [dX] with dX[i] = dY[i]·derivative(a[i]), where `a` is whatever the
 * primitive saves from the forward pass (its input x or its output y, see program.ts).
 */
export function gradKernel<K extends PrimKind>(
  derivative: (a: number, attrs: PrimAttrMap[K]) => number,
): Kernel<K> {
  return (call) => {
    const a = input(call, 0);
    const dY = input(call, 1);
    const dX = output(call, 0);
    for (let i = 0; i < dX.length; i++) dX[i] = dY[i]! * derivative(a[i]!, call.attrs);
  };
}

/** 1/(1 + e^−x), exponentiating only −|x| so neither branch overflows. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + e^x) as max(x, 0) + log1p(e^−|x|): exact for large |x| in both directions. */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** The sign as torch.sign: 0 at 0, which makes the subgradient of |x| there 0. */
export function sign(x: number): number {
  if (x > 0) return 1;
  if (x < 0) return -1;
  return x === 0 ? 0 : Number.NaN;
}
