import type { Buffer, Kernel, KernelCall } from '../kernel.js';
import { sigmoid, softplus } from './elementwise.js';
import { batchOf, input, inputShape, output } from './layout.js';
import { shiftedRow } from './softmax.js';

/*
 * The cross-entropies, always from logits so no probability is ever rounded to 0 or 1
 * before its logarithm is taken.
 *
 * softmax_cross_entropy works along the last axis: the logits are rows of K classes.
 * The target is either one class index per row (a batched scalar holding the class
 * number as a float) or a distribution of the logits' shape. Like nn.CrossEntropyLoss the
 * loss is averaged over the batch N.
 *
 * sigmoid_bce is nn.BCEWithLogitsLoss: each element is
 * max(x, 0) − x·y + log1p(e^−|x|) = softplus(x) − x·y, averaged over all elements.
 */

interface Rows {
  readonly count: number;
  readonly classes: number;
  readonly batch: number;
}

function rowsOf(call: KernelCall<'softmax_cross_entropy' | 'softmax_cross_entropy_grad'>): Rows {
  const shape = inputShape(call, 0);
  const classes = shape[shape.length - 1] ?? 1;
  return { count: input(call, 0).length / classes, classes, batch: batchOf(shape) };
}

/** The class of row r; a label outside 0..K−1 is bad data, which no later step could fix. */
function classOf(target: Buffer, r: number, classes: number): number {
  const k = target[r]!;
  if (!Number.isInteger(k) || k < 0 || k >= classes) {
    throw new RangeError(
      `softmax_cross_entropy: the target of row ${r} is ${k}, not a class index 0..${classes - 1}`,
    );
  }
  return k;
}

/** Σ over rows of −Σ_k t_k·log softmax(x)_k, with −log softmax(x)_k = logSum − (x_k − max). */
export const softmaxCrossEntropy: Kernel<'softmax_cross_entropy'> = (call) => {
  const logits = input(call, 0);
  const target = input(call, 1);
  const { count, classes, batch } = rowsOf(call);
  let sum = 0;
  for (let r = 0; r < count; r++) {
    const base = r * classes;
    const { max, logSum } = shiftedRow(logits, base, classes, 1);
    if (call.attrs.target === 'index') {
      sum += logSum - (logits[base + classOf(target, r, classes)]! - max);
    } else {
      for (let k = 0; k < classes; k++) {
        sum += target[base + k]! * (logSum - (logits[base + k]! - max));
      }
    }
  }
  output(call, 0)[0] = sum / batch;
};

/**
 * weight/N·(softmax(x)·Σ_k t_k − t) per row: the exact derivative of the loss above, which
 * is the usual softmax − target whenever the target sums to 1 (always for an index).
 */
export const softmaxCrossEntropyGrad: Kernel<'softmax_cross_entropy_grad'> = (call) => {
  const logits = input(call, 0);
  const target = input(call, 1);
  const dLogits = output(call, 0);
  const { count, classes, batch } = rowsOf(call);
  const factor = call.attrs.weight / batch;
  for (let r = 0; r < count; r++) {
    const base = r * classes;
    const { max, logSum } = shiftedRow(logits, base, classes, 1);
    if (call.attrs.target === 'index') {
      const label = classOf(target, r, classes);
      for (let k = 0; k < classes; k++) {
        const p = Math.exp(logits[base + k]! - max - logSum);
        dLogits[base + k] = factor * (p - (k === label ? 1 : 0));
      }
    } else {
      let mass = 0;
      for (let k = 0; k < classes; k++) mass += target[base + k]!;
      for (let k = 0; k < classes; k++) {
        const p = Math.exp(logits[base + k]! - max - logSum);
        dLogits[base + k] = factor * (p * mass - target[base + k]!);
      }
    }
  }
};

export const sigmoidBce: Kernel<'sigmoid_bce'> = (call) => {
  const logits = input(call, 0);
  const target = input(call, 1);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += softplus(logits[i]!) - logits[i]! * target[i]!;
  output(call, 0)[0] = sum / logits.length;
};

/** weight·(σ(x) − y)/M over the M elements. */
export const sigmoidBceGrad: Kernel<'sigmoid_bce_grad'> = (call) => {
  const logits = input(call, 0);
  const target = input(call, 1);
  const dLogits = output(call, 0);
  const factor = call.attrs.weight / logits.length;
  for (let i = 0; i < dLogits.length; i++) {
    dLogits[i] = factor * (sigmoid(logits[i]!) - target[i]!);
  }
};
