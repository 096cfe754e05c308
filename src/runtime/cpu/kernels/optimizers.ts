import type { Buffer, KernelCall, KernelTable } from '../kernel.js';
import type { PrimAttrMap, PrimKind, RunContext } from '../../program.js';

/*
 * Optimizer updates: torch.optim's rules and defaults, one element at a time. One
 * instruction updates one or several parameters (after optimizer fusion): its inputs are
 * groups [param, grad, ...state], one after another, and its outputs groups [param, ...state];
 * the number of state tensors per group follows from the attributes. The interpreter passes
 * the same buffers as inputs and outputs, so the update happens in place. Element i is read
 * from the inputs before it is written to the outputs, so the kernels are also correct when
 * the outputs are separate buffers. Groups are independent: updating them in one call is
 * the same as one call per parameter. Arithmetic is done in float64 and rounded once on
 * store; the order of operations follows PyTorch's for-loop implementation.
 *
 * Weight decay (except AdamW's) is L2 added to the gradient: g = grad + wd·p, skipped when
 * wd = 0 as PyTorch does. `lr` and the 1-based step `t` come from the run context.
 */

type OptimizerKind = 'sgd_update' | 'adagrad_update' | 'adam_update' | 'rmsprop_update';

/** One parameter's operands. */
interface Group {
  readonly p: Buffer;
  readonly grad: Buffer;
  readonly state: readonly Buffer[];
  readonly pOut: Buffer;
  readonly stateOut: readonly Buffer[];
}

/** The update rule of one optimizer, for one parameter. */
interface Rule<K extends OptimizerKind> {
  /** State tensors per parameter. */
  readonly stateCount: (attrs: PrimAttrMap[K]) => number;
  readonly update: (attrs: PrimAttrMap[K], ctx: RunContext, g: Group) => void;
}

/** The operand lists cut into groups; lists that do not cut evenly mean a bad program. */
function groupsOf(call: KernelCall<OptimizerKind>, op: PrimKind, stateCount: number): Group[] {
  const inWidth = 2 + stateCount;
  const outWidth = 1 + stateCount;
  const count = call.inputs.length / inWidth;
  if (!Number.isInteger(count) || count < 1 || call.outputs.length !== count * outWidth) {
    throw new Error(
      `internal error: \`${op}\` takes groups of ${inWidth} inputs and ${outWidth} outputs, got ${call.inputs.length} and ${call.outputs.length}`,
    );
  }
  return Array.from({ length: count }, (_, k) => {
    const inputs = call.inputs.slice(k * inWidth, (k + 1) * inWidth);
    const outputs = call.outputs.slice(k * outWidth, (k + 1) * outWidth);
    return {
      p: inputs[0]!,
      grad: inputs[1]!,
      state: inputs.slice(2),
      pOut: outputs[0]!,
      stateOut: outputs.slice(1),
    };
  });
}

/** The kernel: the rule applied to every group in turn. */
function grouped<K extends OptimizerKind>(op: K, rule: Rule<K>) {
  return (call: KernelCall<K>): void => {
    for (const g of groupsOf(call, op, rule.stateCount(call.attrs))) {
      rule.update(call.attrs, call.ctx, g);
    }
  };
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
 * or buf; p -= lr·direction. State: [velocity] when momentum > 0, else none.
 */
const sgd: Rule<'sgd_update'> = {
  stateCount: (attrs) => (attrs.momentum > 0 ? 1 : 0),
  update: ({ momentum, nesterov, weightDecay }, { lr, t }, { p, grad, state, pOut, stateOut }) => {
    if (momentum === 0) {
      for (let i = 0; i < p.length; i++) {
        const g = weightDecay !== 0 ? grad[i]! + weightDecay * p[i]! : grad[i]!;
        pOut[i] = p[i]! - lr * g;
      }
      return;
    }
    checkStep(t, 'sgd_update');
    const buf = state[0]!;
    const bufOut = stateOut[0]!;
    for (let i = 0; i < p.length; i++) {
      const g = weightDecay !== 0 ? grad[i]! + weightDecay * p[i]! : grad[i]!;
      // PyTorch starts the buffer as a copy of the first gradient, not from zero.
      const b = t === 1 ? g : momentum * buf[i]! + g;
      bufOut[i] = b;
      const direction = nesterov ? g + momentum * b : b;
      pOut[i] = p[i]! - lr * direction;
    }
  },
};

/**
 * torch.optim.Adagrad (lr_decay 0, initial accumulator 0): g = grad + wd·p; sum += g²;
 * p -= lr·g / (sqrt(sum) + eps). State: [sum of squares].
 */
const adagrad: Rule<'adagrad_update'> = {
  stateCount: () => 1,
  update: ({ eps, weightDecay }, { lr }, { p, grad, state, pOut, stateOut }) => {
    const sum = state[0]!;
    const sumOut = stateOut[0]!;
    for (let i = 0; i < p.length; i++) {
      const g = weightDecay !== 0 ? grad[i]! + weightDecay * p[i]! : grad[i]!;
      const s = sum[i]! + g * g;
      sumOut[i] = s;
      pOut[i] = p[i]! - lr * (g / (Math.sqrt(s) + eps));
    }
  },
};

/**
 * torch.optim.Adam / AdamW (amsgrad off). Adam: g = grad + wd·p. AdamW: p ← p·(1 − lr·wd)
 * first, g = grad. Then m = β1·m + (1 − β1)·g; v = β2·v + (1 − β2)·g²;
 * p -= (lr / (1 − β1^t))·m / (sqrt(v) / sqrt(1 − β2^t) + eps). State: [m, v].
 */
const adam: Rule<'adam_update'> = {
  stateCount: () => 2,
  update: (attrs, { lr, t }, { p, grad, state, pOut, stateOut }) => {
    const { beta1, beta2, eps, weightDecay, decoupled } = attrs;
    checkStep(t, 'adam_update');
    const [m, v] = [state[0]!, state[1]!];
    const [mOut, vOut] = [stateOut[0]!, stateOut[1]!];
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
  },
};

/**
 * torch.optim.RMSprop (not centered): g = grad + wd·p; sq = α·sq + (1 − α)·g²;
 * avg = sqrt(sq) + eps; with momentum buf = momentum·buf + g/avg and p -= lr·buf, else
 * p -= lr·g/avg. Both buffers start at zero. State: [square average] and, when
 * momentum > 0, [momentum buffer].
 */
const rmsprop: Rule<'rmsprop_update'> = {
  stateCount: (attrs) => (attrs.momentum > 0 ? 2 : 1),
  update: (attrs, { lr }, { p, grad, state, pOut, stateOut }) => {
    const { alpha, eps, momentum, weightDecay } = attrs;
    const [sq, sqOut] = [state[0]!, stateOut[0]!];
    const buf = momentum > 0 ? state[1] : undefined;
    const bufOut = momentum > 0 ? stateOut[1] : undefined;
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
  },
};

export const optimizerKernels: Pick<KernelTable, OptimizerKind> = {
  sgd_update: grouped('sgd_update', sgd),
  adagrad_update: grouped('adagrad_update', adagrad),
  adam_update: grouped('adam_update', adam),
  rmsprop_update: grouped('rmsprop_update', rmsprop),
};
