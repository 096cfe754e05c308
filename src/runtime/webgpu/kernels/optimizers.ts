import type { RunContext } from '../../program.js';
import { input, output, type Uniform, type WgslKernel } from './kernel.js';
import { gridDispatch, sizeOf } from './shader.js';

/*
 * The optimizer updates (cpu/kernels/optimizers.ts): torch.optim's rules, one invocation per
 * element, in place. Inputs are [param, grad, ...state] and outputs [param, ...state], the
 * same tensors, so each is bound once, read-write. Step-dependent factors (Adam's bias
 * corrections, SGD's first step) are computed on the host in float64 from the run context
 * and passed as uniforms, so the step count never changes the pipeline.
 */

const f32 = (name: string, value: Uniform['value']): Uniform => ({ name, type: 'f32', value });
const u32 = (name: string, value: Uniform['value']): Uniform => ({ name, type: 'u32', value });
const lr = (ctx: RunContext) => ctx.lr;

/** Adam's bias correction and SGD's first step need t ≥ 1. */
function step(ctx: RunContext, op: string): number {
  if (!Number.isInteger(ctx.t) || ctx.t < 1) {
    throw new Error(`internal error: \`${op}\` needs a 1-based step count, got t = ${ctx.t}`);
  }
  return ctx.t;
}

/** g = grad + wd·p, skipped when wd = 0 as PyTorch does. */
const decayed = (grad: string, p: string) =>
  `select(${grad}[idx], ${grad}[idx] + u.weight_decay * ${p}[idx], u.weight_decay != 0.0)`;

export const sgdUpdate: WgslKernel<'sgd_update'> = (call) => {
  const { momentum, nesterov, weightDecay } = call.attrs;
  const invocations = sizeOf(call.inputShapes[0]);
  if (momentum === 0) {
    return [
      gridDispatch(call, {
        label: 'sgd_update',
        operands: { p: input(0), grad: input(1), p_out: output(0) },
        uniforms: [f32('lr', lr), f32('weight_decay', weightDecay)],
        invocations,
        body: (t) => `
          let g = ${decayed(t.grad, t.p)};
          ${t.p_out}[idx] = ${t.p}[idx] - u.lr * g;`,
      }),
    ];
  }
  return [
    gridDispatch(call, {
      label: 'sgd_update',
      operands: {
        p: input(0),
        grad: input(1),
        buf: input(2),
        p_out: output(0),
        buf_out: output(1),
      },
      uniforms: [
        f32('lr', lr),
        f32('weight_decay', weightDecay),
        f32('momentum', momentum),
        // PyTorch starts the buffer as a copy of the first gradient, not from zero.
        u32('first', (ctx) => (step(ctx, 'sgd_update') === 1 ? 1 : 0)),
      ],
      invocations,
      body: (t) => `
        let g = ${decayed(t.grad, t.p)};
        let b = select(u.momentum * ${t.buf}[idx] + g, g, u.first == 1u);
        ${t.buf_out}[idx] = b;
        ${t.p_out}[idx] = ${t.p}[idx] - u.lr * ${nesterov ? '(g + u.momentum * b)' : 'b'};`,
    }),
  ];
};

/** sum += g²; p −= lr·g / (sqrt(sum) + eps). */
export const adagradUpdate: WgslKernel<'adagrad_update'> = (call) => [
  gridDispatch(call, {
    label: 'adagrad_update',
    operands: { p: input(0), grad: input(1), sum: input(2), p_out: output(0), sum_out: output(1) },
    uniforms: [
      f32('lr', lr),
      f32('weight_decay', call.attrs.weightDecay),
      f32('eps', call.attrs.eps),
    ],
    invocations: sizeOf(call.inputShapes[0]),
    body: (t) => `
      let g = ${decayed(t.grad, t.p)};
      let s = ${t.sum}[idx] + g * g;
      ${t.sum_out}[idx] = s;
      ${t.p_out}[idx] = ${t.p}[idx] - u.lr * (g / (sqrt(s) + u.eps));`,
  }),
];

/**
 * Adam / AdamW: m = β1·m + (1 − β1)·g; v = β2·v + (1 − β2)·g²;
 * p = p·shrink − step_size·m / (sqrt(v)/sqrt(1 − β2^t) + eps), step_size = lr/(1 − β1^t).
 */
export const adamUpdate: WgslKernel<'adam_update'> = (call) => {
  const { beta1, beta2, eps, weightDecay, decoupled } = call.attrs;
  const coupled = !decoupled && weightDecay !== 0;
  return [
    gridDispatch(call, {
      label: 'adam_update',
      operands: {
        p: input(0),
        grad: input(1),
        m: input(2),
        v: input(3),
        p_out: output(0),
        m_out: output(1),
        v_out: output(2),
      },
      uniforms: [
        f32('beta1', beta1),
        f32('one_minus_beta1', 1 - beta1),
        f32('beta2', beta2),
        f32('one_minus_beta2', 1 - beta2),
        f32('eps', eps),
        f32('weight_decay', coupled ? weightDecay : 0),
        f32('shrink', (ctx) => (decoupled ? 1 - ctx.lr * weightDecay : 1)),
        f32('step_size', (ctx) => ctx.lr / (1 - beta1 ** step(ctx, 'adam_update'))),
        f32('correction2_sqrt', (ctx) => Math.sqrt(1 - beta2 ** step(ctx, 'adam_update'))),
      ],
      invocations: sizeOf(call.inputShapes[0]),
      body: (t) => `
        let g = ${decayed(t.grad, t.p)};
        let w = ${t.p}[idx] * u.shrink;
        let mi = u.beta1 * ${t.m}[idx] + u.one_minus_beta1 * g;
        let vi = u.beta2 * ${t.v}[idx] + u.one_minus_beta2 * g * g;
        ${t.m_out}[idx] = mi;
        ${t.v_out}[idx] = vi;
        ${t.p_out}[idx] = w - u.step_size * (mi / (sqrt(vi) / u.correction2_sqrt + u.eps));`,
    }),
  ];
};

/** sq = α·sq + (1 − α)·g²; avg = sqrt(sq) + eps; with momentum buf = μ·buf + g/avg. */
export const rmspropUpdate: WgslKernel<'rmsprop_update'> = (call) => {
  const { alpha, eps, momentum, weightDecay } = call.attrs;
  const uniforms = [
    f32('lr', lr),
    f32('weight_decay', weightDecay),
    f32('alpha', alpha),
    f32('one_minus_alpha', 1 - alpha),
    f32('eps', eps),
    f32('momentum', momentum),
  ];
  const common = (t: Readonly<Record<'p' | 'grad' | 'sq' | 'sq_out', string>>) => `
    let g = ${decayed(t.grad, t.p)};
    let s = u.alpha * ${t.sq}[idx] + u.one_minus_alpha * g * g;
    ${t.sq_out}[idx] = s;
    let avg = sqrt(s) + u.eps;`;
  const invocations = sizeOf(call.inputShapes[0]);
  if (momentum > 0) {
    return [
      gridDispatch(call, {
        label: 'rmsprop_update',
        operands: {
          p: input(0),
          grad: input(1),
          sq: input(2),
          buf: input(3),
          p_out: output(0),
          sq_out: output(1),
          buf_out: output(2),
        },
        uniforms,
        invocations,
        body: (t) => `
          ${common(t)}
          let b = u.momentum * ${t.buf}[idx] + g / avg;
          ${t.buf_out}[idx] = b;
          ${t.p_out}[idx] = ${t.p}[idx] - u.lr * b;`,
      }),
    ];
  }
  return [
    gridDispatch(call, {
      label: 'rmsprop_update',
      operands: { p: input(0), grad: input(1), sq: input(2), p_out: output(0), sq_out: output(1) },
      uniforms,
      invocations,
      body: (t) => `
        ${common(t)}
        ${t.p_out}[idx] = ${t.p}[idx] - u.lr * (g / avg);`,
    }),
  ];
};
