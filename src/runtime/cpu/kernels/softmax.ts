import type { Buffer, Kernel, KernelCall } from '../kernel.js';
import { batchedAxis, input, inputShape, output, viewAround } from './layout.js';

/*
 * softmax and log_softmax along one axis of the unbatched shape, and their gradients.
 * Every row (the elements that differ only along the axis) is shifted by its maximum
 * before exponentiating, so logits like [1000, 1001] give finite results.
 */

/**
 * A row of `length` values of `v` starting at `base`, `stride` apart, seen as its maximum
 * and logSum = log Σ e^(v − max). No exponentiated term exceeds 1 and the largest is 1, so
 * the sum neither overflows nor underflows to 0. Callers form v − max before subtracting
 * logSum, which keeps the small differences of large logits exact: with x = [1000, 1001],
 * x − (max + logSum) would round at the scale of 1000 and lose four digits.
 */
export interface ShiftedRow {
  readonly max: number;
  readonly logSum: number;
}

export function shiftedRow(v: Buffer, base: number, length: number, stride: number): ShiftedRow {
  let max = -Infinity;
  for (let k = 0; k < length; k++) max = Math.max(max, v[base + k * stride]!);
  let sum = 0;
  for (let k = 0; k < length; k++) sum += Math.exp(v[base + k * stride]! - max);
  return { max, logSum: Math.log(sum) };
}

/** y = (x − max) − logSum per row, exponentiated for softmax. */
function softmaxRows(call: KernelCall<'softmax' | 'log_softmax'>, log: boolean): void {
  const x = input(call, 0);
  const y = output(call, 0);
  const { outer, length, inner } = viewAround(inputShape(call, 0), batchedAxis(call.attrs.axis));
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * length * inner + i;
      const { max, logSum } = shiftedRow(x, base, length, inner);
      for (let k = 0; k < length; k++) {
        const at = base + k * inner;
        const logP = x[at]! - max - logSum;
        y[at] = log ? logP : Math.exp(logP);
      }
    }
  }
}

export const softmax: Kernel<'softmax'> = (call) => softmaxRows(call, false);

export const logSoftmax: Kernel<'log_softmax'> = (call) => softmaxRows(call, true);

/** From the output y: dX = y·(dY − Σ dY·y) per row (the Jacobian diag(y) − y·yᵀ). */
export const softmaxGrad: Kernel<'softmax_grad'> = (call) => {
  const y = input(call, 0);
  const dY = input(call, 1);
  const dX = output(call, 0);
  const { outer, length, inner } = viewAround(inputShape(call, 0), batchedAxis(call.attrs.axis));
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * length * inner + i;
      let dot = 0;
      for (let k = 0; k < length; k++) dot += dY[base + k * inner]! * y[base + k * inner]!;
      for (let k = 0; k < length; k++) {
        const at = base + k * inner;
        dX[at] = y[at]! * (dY[at]! - dot);
      }
    }
  }
};

/** From the output y = log softmax: dX = dY − softmax·Σ dY per row, softmax = e^y. */
export const logSoftmaxGrad: Kernel<'log_softmax_grad'> = (call) => {
  const y = input(call, 0);
  const dY = input(call, 1);
  const dX = output(call, 0);
  const { outer, length, inner } = viewAround(inputShape(call, 0), batchedAxis(call.attrs.axis));
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * length * inner + i;
      let total = 0;
      for (let k = 0; k < length; k++) total += dY[base + k * inner]!;
      for (let k = 0; k < length; k++) {
        const at = base + k * inner;
        dX[at] = dY[at]! - Math.exp(y[at]!) * total;
      }
    }
  }
};
