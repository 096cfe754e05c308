import type { Buffer, KernelCall, KernelTable } from '../kernel.js';
import type { PrimKind } from '../../program.js';

/*
 * Optimizer updates: torch.optim's rules and defaults, one element at a time. Inputs are
 * [param, grad, ...state] and outputs [param, ...state]; the interpreter passes the same
 * buffers for both, so the update happens in place. Element i is read from the inputs
 * before it is written to the outputs, so the kernels are also correct when the outputs are
 * separate buffers. Arithmetic is done in float64 and rounded once on store; the order of
 * operations follows PyTorch's for-loop implementation.
 *
 * Weight decay (except AdamW's) is L2 added to the gradient: g = grad + wd·p, skipped when
 * wd = 0 as PyTorch does. `lr` and the 1-based step `t` come from the run context.
 */

type OptimizerKind = 'sgd_update' | 'adagrad_update' | 'adam_update' | 'rmsprop_update';

/** The `index`th buffer of a list; a missing one means the compiler built a bad program. */
function operand(list: readonly Buffer[], index: number, op: PrimKind, what: string): Buffer {
  const buffer = list[index];
  if (buffer === undefined) {
    throw new Error(`internal error: \`${op}\` is missing its ${what} (operand ${index})`);
  }
  return buffer;
}

/** Adam's bias correction and SGD's first step need t ≥ 1; anything else is a runtime bug. */
function checkStep(t: number, op: PrimKind): void {
  if (!Number.isInteger(t) || t < 1) {
    throw new Error(`internal error: \`${op}\` needs a 1-based step count, got t = ${t}`);
  }
}

/**
 * torch.optim.SGD (dampening 0): g = grad + wd·p; with momentum, buf = g on the first step
 * and buf = momentum·buf + g afterwards; the step direction is g + momentum·buf (Nesterov)
 * or buf; p -= lr·direction.
 */
function sgdUpdate(call: KernelCall<'sgd_update'>): void {
  const { momentum, nesterov, weightDecay } = call.attrs;
  const { lr, t } = call.ctx;
  const op = 'sgd_update';
  const p = operand(call.inputs, 0, op, 'parameter');
  const grad = operand(call.inputs, 1, op, 'gradient');
  const pOut = operand(call.outputs, 0, op, 'parameter output');
  if (momentum === 0) {
    for (let i = 0; i < p.length; i++) {
      const g = weightDecay !== 0 ? grad[i]! + weightDecay * p[i]! : grad[i]!;
      pOut[i] = p[i]! - lr * g;
    }
    return;
  }
  checkStep(t, op);
  const buf = operand(call.inputs, 2, op, 'velocity');
  const bufOut = operand(call.outputs, 1, op, 'velocity output');
  for (let i = 0; i < p.length; i++) {
    const g = weightDecay !== 0 ? grad[i]! + weightDecay * p[i]! : grad[i]!;
    // PyTorch starts the buffer as a copy of the first gradient, not from zero.
    const b = t === 1 ? g : momentum * buf[i]! + g;
    bufOut[i] = b;
    const direction = nesterov ? g + momentum * b : b;
    pOut[i] = p[i]! - lr * direction;
  }
}

/**
 * torch.optim.Adagrad (lr_decay 0, initial accumulator 0): g = grad + wd·p; sum += g²;
 * p -= lr·g / (sqrt(sum) + eps).
 */
function adagradUpdate(call: KernelCall<'adagrad_update'>): void {
  const { eps, weightDecay } = call.attrs;
  const { lr } = call.ctx;
  const op = 'adagrad_update';
  const p = operand(call.inputs, 0, op, 'parameter');
  const grad = operand(call.inputs, 1, op, 'gradient');
  const sum = operand(call.inputs, 2, op, 'sum of squares');
  const pOut = operand(call.outputs, 0, op, 'parameter output');
  const sumOut = operand(call.outputs, 1, op, 'sum of squares output');
  for (let i = 0; i < p.length; i++) {
    const g = weightDecay !== 0 ? grad[i]! + weightDecay * p[i]! : grad[i]!;
    const s = sum[i]! + g * g;
    sumOut[i] = s;
    pOut[i] = p[i]! - lr * (g / (Math.sqrt(s) + eps));
  }
}

/**
 * torch.optim.Adam / AdamW (amsgrad off). Adam: g = grad + wd·p. AdamW: p ← p·(1 − lr·wd)
 * first, g = grad. Then m = β1·m + (1 − β1)·g; v = β2·v + (1 − β2)·g²;
 * p -= (lr / (1 − β1^t))·m / (sqrt(v) / sqrt(1 − β2^t) + eps).
 */
function adamUpdate(call: KernelCall<'adam_update'>): void {
  const { beta1, beta2, eps, weightDecay, decoupled } = call.attrs;
  const { lr, t } = call.ctx;
  const op = 'adam_update';
  checkStep(t, op);
  const p = operand(call.inputs, 0, op, 'parameter');
  const grad = operand(call.inputs, 1, op, 'gradient');
  const m = operand(call.inputs, 2, op, 'first moment');
  const v = operand(call.inputs, 3, op, 'second moment');
  const pOut = operand(call.outputs, 0, op, 'parameter output');
  const mOut = operand(call.outputs, 1, op, 'first moment output');
  const vOut = operand(call.outputs, 2, op, 'second moment output');
  const stepSize = lr / (1 - beta1 ** t);
  const correction2Sqrt = Math.sqrt(1 - beta2 ** t);
  const coupled = !decoupled && weightDecay !== 0;
  const shrink = decoupled ? 1 - lr * weightDecay : 1;
  for (let i = 0; i < p.length; i++) {
    const g = coupled ? grad[i]! + weightDecay * p[i]! : grad[i]!;
    const w = p[i]! * shrink;
    const mi = beta1 * m[i]! + (1 - beta1) * g;
    const vi = beta2 * v[i]! + (1 - beta2) * g * g;
    mOut[i] = mi;
    vOut[i] = vi;
    pOut[i] = w - stepSize * (mi / (Math.sqrt(vi) / correction2Sqrt + eps));
  }
}

/**
 * torch.optim.RMSprop (not centered): g = grad + wd·p; sq = α·sq + (1 − α)·g²;
 * avg = sqrt(sq) + eps; with momentum buf = momentum·buf + g/avg and p -= lr·buf, else
 * p -= lr·g/avg. Both buffers start at zero.
 */
function rmspropUpdate(call: KernelCall<'rmsprop_update'>): void {
  const { alpha, eps, momentum, weightDecay } = call.attrs;
  const { lr } = call.ctx;
  const op = 'rmsprop_update';
  const p = operand(call.inputs, 0, op, 'parameter');
  const grad = operand(call.inputs, 1, op, 'gradient');
  const sq = operand(call.inputs, 2, op, 'square average');
  const pOut = operand(call.outputs, 0, op, 'parameter output');
  const sqOut = operand(call.outputs, 1, op, 'square average output');
  const buf = momentum > 0 ? operand(call.inputs, 3, op, 'momentum buffer') : undefined;
  const bufOut = momentum > 0 ? operand(call.outputs, 2, op, 'momentum buffer output') : undefined;
  for (let i = 0; i < p.length; i++) {
    const g = weightDecay !== 0 ? grad[i]! + weightDecay * p[i]! : grad[i]!;
    const s = alpha * sq[i]! + (1 - alpha) * g * g;
    sqOut[i] = s;
    const avg = Math.sqrt(s) + eps;
    if (buf !== undefined && bufOut !== undefined) {
      const b = momentum * buf[i]! + g / avg;
      bufOut[i] = b;
      pOut[i] = p[i]! - lr * b;
    } else {
      pOut[i] = p[i]! - lr * (g / avg);
    }
  }
}

export const optimizerKernels: Pick<KernelTable, OptimizerKind> = {
  sgd_update: sgdUpdate,
  adagrad_update: adagradUpdate,
  adam_update: adamUpdate,
  rmsprop_update: rmspropUpdate,
};
