import type { Kernel, KernelCall } from '../kernel.js';
import { batchOf, input, inputShape, output } from './layout.js';

/*
 * The contrastive loss of siamese networks (Hadsell, Chopra and LeCun, 2006) as program.ts
 * defines it: per sample d = ‖a − b‖₂ over all of the sample's elements, and
 * same·d² + (1 − same)·max(0, margin − d)², averaged over the batch (no ½ factor). `same` is
 * a batched scalar, 1 for a matching pair and 0 otherwise.
 */

interface Pairs {
  readonly batch: number;
  /** Elements per sample. */
  readonly width: number;
}

function pairsOf(call: KernelCall<'contrastive' | 'contrastive_grad'>): Pairs {
  const batch = batchOf(inputShape(call, 0));
  if (input(call, 2).length !== batch) {
    throw new Error('internal error: contrastive needs one `same` value per sample');
  }
  return { batch, width: input(call, 0).length / batch };
}

/** ‖a_n − b_n‖₂ for sample n. */
function distance(call: KernelCall<'contrastive' | 'contrastive_grad'>, n: number, width: number) {
  const a = input(call, 0);
  const b = input(call, 1);
  let squares = 0;
  for (let j = n * width; j < (n + 1) * width; j++) {
    const diff = a[j]! - b[j]!;
    squares += diff * diff;
  }
  return Math.sqrt(squares);
}

export const contrastive: Kernel<'contrastive'> = (call) => {
  const same = input(call, 2);
  const { margin } = call.attrs;
  const { batch, width } = pairsOf(call);
  let sum = 0;
  for (let n = 0; n < batch; n++) {
    const d = distance(call, n, width);
    const gap = Math.max(0, margin - d);
    sum += same[n]! * d * d + (1 - same[n]!) * gap * gap;
  }
  output(call, 0)[0] = sum / batch;
};

/**
 * Both terms are functions of d, and ∂d/∂a = (a − b)/d, so dA = c·(a − b) and dB = −dA
 * with c = weight/N·(2·same − (1 − same)·2·max(0, margin − d)/d). The first term is
 * 2·same·(a − b) before dividing by d, so only the hinge needs d > 0; at d = 0 the
 * direction is undefined and the contract sets that gradient to 0.
 */
export const contrastiveGrad: Kernel<'contrastive_grad'> = (call) => {
  const a = input(call, 0);
  const b = input(call, 1);
  const same = input(call, 2);
  const dA = output(call, 0);
  const dB = output(call, 1);
  const { margin, weight } = call.attrs;
  const { batch, width } = pairsOf(call);
  for (let n = 0; n < batch; n++) {
    const d = distance(call, n, width);
    const hinge = d > 0 ? (2 * Math.max(0, margin - d)) / d : 0;
    const c = (weight / batch) * (2 * same[n]! - (1 - same[n]!) * hinge);
    for (let j = n * width; j < (n + 1) * width; j++) {
      const g = c * (a[j]! - b[j]!);
      dA[j] = g;
      dB[j] = -g;
    }
  }
};
