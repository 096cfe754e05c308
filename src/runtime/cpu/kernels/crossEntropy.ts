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
 *
 * The `_with_grad` forms (loss fusion) write the loss and the `_grad` output from one pass.
 */

interface Rows {
  readonly count: number;
  readonly classes: number;
  readonly batch: number;
}

type SoftmaxCe =
  'softmax_cross_entropy' | 'softmax_cross_entropy_grad' | 'softmax_cross_entropy_with_grad';

function rowsOf(call: KernelCall<SoftmaxCe>): Rows {
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

/**
 * One row of logits with its target. The loss, the gradient and the fused kernel all go
 * through `addRowLoss` and `rowGrad`, so the fused kernel's two outputs are those of the
 * separate kernels to the last bit.
 */
interface Row {
  readonly logits: Buffer;
  readonly target: Buffer;
  readonly index: boolean;
  readonly r: number;
  readonly base: number;
  readonly classes: number;
  readonly max: number;
  readonly logSum: number;
}

function rowAt(call: KernelCall<SoftmaxCe>, rows: Rows, r: number): Row {
  const logits = input(call, 0);
  const base = r * rows.classes;
  const { max, logSum } = shiftedRow(logits, base, rows.classes, 1);
  const index = call.attrs.target === 'index';
  return { logits, target: input(call, 1), index, r, base, classes: rows.classes, max, logSum };
}

/** sum + −Σ_k t_k·log softmax(x)_k of the row, with −log softmax(x)_k = logSum − (x_k − max). */
function addRowLoss(sum: number, row: Row): number {
  const { logits, target, base, classes, max, logSum } = row;
  if (row.index) {
    return sum + (logSum - (logits[base + classOf(target, row.r, classes)]! - max));
  }
  let total = sum;
  for (let k = 0; k < classes; k++) {
    total += target[base + k]! * (logSum - (logits[base + k]! - max));
  }
  return total;
}

/**
 * factor·(softmax(x)·Σ_k t_k − t) into the row of dLogits: the exact derivative of the loss
 * above, which is the usual softmax − target whenever the target sums to 1 (always for an
 * index).
 */
function rowGrad(row: Row, factor: number, dLogits: Buffer): void {
  const { logits, target, base, classes, max, logSum } = row;
  if (row.index) {
    const label = classOf(target, row.r, classes);
    for (let k = 0; k < classes; k++) {
      const p = Math.exp(logits[base + k]! - max - logSum);
      dLogits[base + k] = factor * (p - (k === label ? 1 : 0));
    }
    return;
  }
  let mass = 0;
  for (let k = 0; k < classes; k++) mass += target[base + k]!;
  for (let k = 0; k < classes; k++) {
    const p = Math.exp(logits[base + k]! - max - logSum);
    dLogits[base + k] = factor * (p * mass - target[base + k]!);
  }
}

/** The loss averaged over the batch N. */
export const softmaxCrossEntropy: Kernel<'softmax_cross_entropy'> = (call) => {
  const rows = rowsOf(call);
  let sum = 0;
  for (let r = 0; r < rows.count; r++) sum = addRowLoss(sum, rowAt(call, rows, r));
  output(call, 0)[0] = sum / rows.batch;
};

/** weight/N·(softmax(x)·Σ_k t_k − t) per row. */
export const softmaxCrossEntropyGrad: Kernel<'softmax_cross_entropy_grad'> = (call) => {
  const rows = rowsOf(call);
  const dLogits = output(call, 0);
  const factor = call.attrs.weight / rows.batch;
  for (let r = 0; r < rows.count; r++) rowGrad(rowAt(call, rows, r), factor, dLogits);
};

/** [logits, target] → [loss, dLogits]: both of the above from one pass over the rows. */
export const softmaxCrossEntropyWithGrad: Kernel<'softmax_cross_entropy_with_grad'> = (call) => {
  const rows = rowsOf(call);
  const dLogits = output(call, 1);
  const factor = call.attrs.weight / rows.batch;
  let sum = 0;
  for (let r = 0; r < rows.count; r++) {
    const row = rowAt(call, rows, r);
    sum = addRowLoss(sum, row);
    rowGrad(row, factor, dLogits);
  }
  output(call, 0)[0] = sum / rows.batch;
};

/**
 * One element's loss softplus(x) − x·y, and its gradient factor·(σ(x) − y) with factor
 * weight/M, which a pointwise_chain step evaluates too (chain.ts).
 */
const bceTerm = (x: number, y: number) => softplus(x) - x * y;
export const bceGrad = (x: number, y: number, factor: number) => factor * (sigmoid(x) - y);

export const sigmoidBce: Kernel<'sigmoid_bce'> = (call) => {
  const logits = input(call, 0);
  const target = input(call, 1);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += bceTerm(logits[i]!, target[i]!);
  output(call, 0)[0] = sum / logits.length;
};

/** weight·(σ(x) − y)/M over the M elements. */
export const sigmoidBceGrad: Kernel<'sigmoid_bce_grad'> = (call) => {
  const logits = input(call, 0);
  const target = input(call, 1);
  const dLogits = output(call, 0);
  const factor = call.attrs.weight / logits.length;
  for (let i = 0; i < dLogits.length; i++) dLogits[i] = bceGrad(logits[i]!, target[i]!, factor);
};

/** [logits, target] → [loss, dLogits]: sigmoid_bce and sigmoid_bce_grad in one pass. */
export const sigmoidBceWithGrad: Kernel<'sigmoid_bce_with_grad'> = (call) => {
  const logits = input(call, 0);
  const target = input(call, 1);
  const dLogits = output(call, 1);
  const factor = call.attrs.weight / logits.length;
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    // Both read element i before dLogits[i] is written, should the two share a buffer.
    const x = logits[i]!;
    const y = target[i]!;
    sum += bceTerm(x, y);
    dLogits[i] = bceGrad(x, y, factor);
  }
  output(call, 0)[0] = sum / logits.length;
};
