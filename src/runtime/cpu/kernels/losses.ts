import type { Kernel } from '../kernel.js';
import { sign } from './elementwise.js';
import { batchOf, input, inputShape, output } from './layout.js';

/*
 * Regression-style losses and their gradients (the cross-entropies are in crossEntropy.ts,
 * contrastive in contrastive.ts). A loss reads batched tensors and writes one unbatched
 * scalar; its `_grad` writes d(weight·loss)/d(input) directly. Reductions follow PyTorch:
 * mse and l1 average over the batch and the elements; kl_normal and l1_activity sum each
 * sample and average over the batch.
 */

/** mean (pred − target)², nn.MSELoss(). */
export const mseLoss: Kernel<'mse_loss'> = (call) => {
  const pred = input(call, 0);
  const target = input(call, 1);
  let sum = 0;
  for (let i = 0; i < pred.length; i++) {
    const d = pred[i]! - target[i]!;
    sum += d * d;
  }
  output(call, 0)[0] = sum / pred.length;
};

/*
 * The gradients of the mean-reduced losses are plain maps once their factor is known, which
 * depends on the size: each is a function from (weight, size) to the map of one element, so
 * that a pointwise_chain (chain.ts) evaluates exactly what the kernel does.
 */

/** d(weight·mse)/dpred over `count` elements: 2·weight/count·(pred − target). */
export function mseGradOf(weight: number, count: number): (pred: number, target: number) => number {
  const factor = (2 * weight) / count;
  return (pred, target) => factor * (pred - target);
}

/**
 * d(weight·l1)/dpred over `count` elements; the subgradient is 0 where pred equals target,
 * as PyTorch's.
 */
export function l1GradOf(weight: number, count: number): (pred: number, target: number) => number {
  const factor = weight / count;
  return (pred, target) => factor * sign(pred - target);
}

/** d(weight·l1_activity)/dx for a batch of `batch` samples: weight/batch·sign(x). */
export function l1ActivityGradOf(weight: number, batch: number): (x: number) => number {
  const factor = weight / batch;
  return (x) => factor * sign(x);
}

export const mseLossGrad: Kernel<'mse_loss_grad'> = (call) => {
  const pred = input(call, 0);
  const target = input(call, 1);
  const dPred = output(call, 0);
  const grad = mseGradOf(call.attrs.weight, pred.length);
  for (let i = 0; i < dPred.length; i++) dPred[i] = grad(pred[i]!, target[i]!);
};

/** mean |pred − target|, nn.L1Loss(). */
export const l1Loss: Kernel<'l1_loss'> = (call) => {
  const pred = input(call, 0);
  const target = input(call, 1);
  let sum = 0;
  for (let i = 0; i < pred.length; i++) sum += Math.abs(pred[i]! - target[i]!);
  output(call, 0)[0] = sum / pred.length;
};

export const l1LossGrad: Kernel<'l1_loss_grad'> = (call) => {
  const pred = input(call, 0);
  const target = input(call, 1);
  const dPred = output(call, 0);
  const grad = l1GradOf(call.attrs.weight, pred.length);
  for (let i = 0; i < dPred.length; i++) dPred[i] = grad(pred[i]!, target[i]!);
};

/** Σ |x| per sample, averaged over the batch (a sparsity penalty on activations). */
export const l1Activity: Kernel<'l1_activity'> = (call) => {
  const x = input(call, 0);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]!);
  output(call, 0)[0] = sum / batchOf(inputShape(call, 0));
};

export const l1ActivityGrad: Kernel<'l1_activity_grad'> = (call) => {
  const x = input(call, 0);
  const dX = output(call, 0);
  const grad = l1ActivityGradOf(call.attrs.weight, batchOf(inputShape(call, 0)));
  for (let i = 0; i < dX.length; i++) dX[i] = grad(x[i]!);
};

/**
 * KL(N(mu, e^logvar) ‖ N(0, 1)) summed per sample, averaged over the batch. The term
 * −½(1 + logvar − mu² − e^logvar) is computed as ½(mu² + expm1(logvar) − logvar), which
 * keeps its digits when logvar is near 0 and the term itself is tiny.
 */
export const klNormal: Kernel<'kl_normal'> = (call) => {
  const mu = input(call, 0);
  const logvar = input(call, 1);
  let sum = 0;
  for (let i = 0; i < mu.length; i++) {
    sum += 0.5 * (mu[i]! * mu[i]! + Math.expm1(logvar[i]!) - logvar[i]!);
  }
  output(call, 0)[0] = sum / batchOf(inputShape(call, 0));
};

/** dMu = weight·mu/N, dLogvar = weight·½(e^logvar − 1)/N. */
export const klNormalGrad: Kernel<'kl_normal_grad'> = (call) => {
  const mu = input(call, 0);
  const logvar = input(call, 1);
  const dMu = output(call, 0);
  const dLogvar = output(call, 1);
  const factor = call.attrs.weight / batchOf(inputShape(call, 0));
  for (let i = 0; i < mu.length; i++) {
    dMu[i] = factor * mu[i]!;
    dLogvar[i] = factor * 0.5 * Math.expm1(logvar[i]!);
  }
};

/** The total of a training phase: Σ weights[i]·s_i over scalar loss terms. */
export const weightedSum: Kernel<'weighted_sum'> = (call) => {
  const { weights } = call.attrs;
  if (weights.length !== call.inputs.length) {
    throw new Error(
      `internal error: weighted_sum has ${call.inputs.length} terms but ${weights.length} weights`,
    );
  }
  let total = 0;
  for (let j = 0; j < weights.length; j++) total += weights[j]! * input(call, j)[0]!;
  output(call, 0)[0] = total;
};
