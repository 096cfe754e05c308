import type { PrimAttrMap, PrimKind, RunContext } from '../../program.js';
import {
  input,
  output,
  type Operand,
  type Uniform,
  type WgslCall,
  type WgslDispatch,
  type WgslKernel,
} from './kernel.js';
import { gridDispatch, sizeOf } from './shader.js';

/*
 * The optimizer updates (cpu/kernels/optimizers.ts): torch.optim's rules, one invocation per
 * four elements (the tensors read as vec4s: the same expressions, component-wise), in place. One instruction updates one or several parameters (after optimizer
 * fusion): inputs are groups [param, grad, ...state] one after another, outputs groups
 * [param, ...state], the same tensors, so each is bound once, read-write.
 *
 * A whole model's update is one dispatch, or a few: the groups are cut into chunks that bind
 * at most `maxStorageBuffersPerShaderStage` buffers, and one dispatch runs a chunk over the
 * flat index of its elements, parameter after parameter. WGSL cannot pick a binding by a
 * run-time value, so the module holds each group's update with its own bindings and branches
 * on the flat index, through a balanced tree of comparisons against the groups' starts
 * (log₂ of the group count per element, not a linear scan). The starts are uniforms, so the
 * module's text depends only on the number of groups and the rule: chunks of equally many
 * parameters share one pipeline, whatever their sizes.
 *
 * Step-dependent factors (Adam's bias corrections, SGD's first step) are computed on the
 * host in float64 from the run context and passed as uniforms, so the step count never
 * changes the pipeline.
 */

type OptimizerKind = 'sgd_update' | 'adagrad_update' | 'adam_update' | 'rmsprop_update';

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

/** The WGSL names of one group's bindings; element `i` of the group is the one to update. */
interface GroupNames {
  readonly p: string;
  readonly grad: string;
  readonly state: readonly string[];
  readonly pOut: string;
  readonly stateOut: readonly string[];
}

/** One optimizer: how many state tensors, its uniforms, and the update of element `i`. */
interface Rule<K extends OptimizerKind> {
  readonly stateCount: (attrs: PrimAttrMap[K]) => number;
  readonly uniforms: (attrs: PrimAttrMap[K]) => readonly Uniform[];
  readonly update: (attrs: PrimAttrMap[K], t: GroupNames) => string;
}

/** g = grad + wd·p, skipped when wd = 0 as PyTorch does. */
const decayed = (t: GroupNames) =>
  `select(${t.grad}[i], ${t.grad}[i] + u.weight_decay * ${t.p}[i], u.weight_decay != 0.0)`;

const sgd: Rule<'sgd_update'> = {
  stateCount: (attrs) => (attrs.momentum > 0 ? 1 : 0),
  uniforms: ({ momentum, weightDecay }) => [
    f32('lr', lr),
    f32('weight_decay', weightDecay),
    ...(momentum > 0
      ? [
          f32('momentum', momentum),
          // PyTorch starts the buffer as a copy of the first gradient, not from zero.
          u32('first', (ctx: RunContext) => (step(ctx, 'sgd_update') === 1 ? 1 : 0)),
        ]
      : []),
  ],
  update: ({ momentum, nesterov }, t) =>
    momentum === 0
      ? `
        let g = ${decayed(t)};
        ${t.pOut}[i] = ${t.p}[i] - u.lr * g;`
      : `
        let g = ${decayed(t)};
        let b = select(u.momentum * ${t.state[0]}[i] + g, g, u.first == 1u);
        ${t.stateOut[0]}[i] = b;
        ${t.pOut}[i] = ${t.p}[i] - u.lr * ${nesterov ? '(g + u.momentum * b)' : 'b'};`,
};

/** sum += g²; p −= lr·g / (sqrt(sum) + eps). */
const adagrad: Rule<'adagrad_update'> = {
  stateCount: () => 1,
  uniforms: ({ weightDecay, eps }) => [
    f32('lr', lr),
    f32('weight_decay', weightDecay),
    f32('eps', eps),
  ],
  update: (_, t) => `
    let g = ${decayed(t)};
    let s = ${t.state[0]}[i] + g * g;
    ${t.stateOut[0]}[i] = s;
    ${t.pOut}[i] = ${t.p}[i] - u.lr * (g / (sqrt(s) + u.eps));`,
};

/**
 * Adam / AdamW: m = β1·m + (1 − β1)·g; v = β2·v + (1 − β2)·g²;
 * p = p·shrink − step_size·m / (sqrt(v)/sqrt(1 − β2^t) + eps), step_size = lr/(1 − β1^t).
 */
const adam: Rule<'adam_update'> = {
  stateCount: () => 2,
  uniforms: ({ beta1, beta2, eps, weightDecay, decoupled }) => [
    f32('beta1', beta1),
    f32('one_minus_beta1', 1 - beta1),
    f32('beta2', beta2),
    f32('one_minus_beta2', 1 - beta2),
    f32('eps', eps),
    f32('weight_decay', !decoupled && weightDecay !== 0 ? weightDecay : 0),
    f32('shrink', (ctx) => (decoupled ? 1 - ctx.lr * weightDecay : 1)),
    f32('step_size', (ctx) => ctx.lr / (1 - beta1 ** step(ctx, 'adam_update'))),
    f32('correction2_sqrt', (ctx) => Math.sqrt(1 - beta2 ** step(ctx, 'adam_update'))),
  ],
  update: (_, t) => `
    let g = ${decayed(t)};
    let w = ${t.p}[i] * u.shrink;
    let mi = u.beta1 * ${t.state[0]}[i] + u.one_minus_beta1 * g;
    let vi = u.beta2 * ${t.state[1]}[i] + u.one_minus_beta2 * g * g;
    ${t.stateOut[0]}[i] = mi;
    ${t.stateOut[1]}[i] = vi;
    ${t.pOut}[i] = w - u.step_size * (mi / (sqrt(vi) / u.correction2_sqrt + u.eps));`,
};

/** sq = α·sq + (1 − α)·g²; avg = sqrt(sq) + eps; with momentum buf = μ·buf + g/avg. */
const rmsprop: Rule<'rmsprop_update'> = {
  stateCount: (attrs) => (attrs.momentum > 0 ? 2 : 1),
  uniforms: ({ alpha, eps, momentum, weightDecay }) => [
    f32('lr', lr),
    f32('weight_decay', weightDecay),
    f32('alpha', alpha),
    f32('one_minus_alpha', 1 - alpha),
    f32('eps', eps),
    f32('momentum', momentum),
  ],
  update: ({ momentum }, t) => `
    let g = ${decayed(t)};
    let s = u.alpha * ${t.state[0]}[i] + u.one_minus_alpha * g * g;
    ${t.stateOut[0]}[i] = s;
    let avg = sqrt(s) + u.eps;
    ${
      momentum > 0
        ? `let b = u.momentum * ${t.state[1]}[i] + g / avg;
    ${t.stateOut[1]}[i] = b;
    ${t.pOut}[i] = ${t.p}[i] - u.lr * b;`
        : `${t.pOut}[i] = ${t.p}[i] - u.lr * (g / avg);`
    }`,
};

/** Where group k's operands are in the instruction's lists. */
interface Group {
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
}

function groupsOf(call: WgslCall<PrimKind>, stateCount: number): Group[] {
  const inWidth = 2 + stateCount;
  const outWidth = 1 + stateCount;
  const count = call.inputIds.length / inWidth;
  if (!Number.isInteger(count) || count < 1 || call.outputIds.length !== count * outWidth) {
    throw new Error(
      `internal error: \`${call.op}\` takes groups of ${inWidth} inputs and ${outWidth} outputs, got ${call.inputIds.length} and ${call.outputIds.length}`,
    );
  }
  const range = (from: number, n: number) => Array.from({ length: n }, (_, j) => from + j);
  return range(0, count).map((k) => ({
    inputs: range(k * inWidth, inWidth),
    outputs: range(k * outWidth, outWidth),
  }));
}

/**
 * Consecutive groups, as many per chunk as bind at most `limit` distinct tensors (a tensor
 * listed twice, as the in-place input and output, is bound once: shader.ts's `bind`).
 */
function chunksOf(call: WgslCall<PrimKind>, groups: readonly Group[]): Group[][] {
  const limit = call.limits.maxStorageBuffersPerShaderStage;
  const chunks: Group[][] = [];
  let current: Group[] = [];
  let tensors = new Set<number>();
  for (const g of groups) {
    const ids = [
      ...g.inputs.map((j) => call.inputIds[j]!),
      ...g.outputs.map((j) => call.outputIds[j]!),
    ];
    const joined = new Set([...tensors, ...ids]);
    if (current.length > 0 && joined.size > limit) {
      chunks.push(current);
      current = [];
      tensors = new Set(ids);
    } else {
      tensors = joined;
    }
    current.push(g);
  }
  chunks.push(current);
  return chunks;
}

/**
 * WGSL picking the group of flat index `idx` among groups lo … hi − 1 by halving, then
 * running `body(k)` with `i` the index inside group k.
 */
function branches(lo: number, hi: number, body: (k: number) => string): string {
  if (hi - lo === 1) {
    return [`let i = idx${lo > 0 ? ` - u.start${lo}` : ''};`, body(lo).trim()].join('\n');
  }
  const mid = (lo + hi) >> 1;
  return [
    `if (idx < u.start${mid}) {`,
    branches(lo, mid, body),
    '} else {',
    branches(mid, hi, body),
    '}',
  ].join('\n');
}

/** One dispatch over the elements of a chunk of groups. */
function chunkDispatch<K extends OptimizerKind>(
  call: WgslCall<K>,
  rule: Rule<K>,
  chunk: readonly Group[],
  stateCount: number,
): WgslDispatch {
  const operands: Record<string, Operand> = {};
  chunk.forEach((g, k) => {
    operands[`p${k}`] = input(g.inputs[0]!);
    operands[`grad${k}`] = input(g.inputs[1]!);
    operands[`p_out${k}`] = output(g.outputs[0]!);
    for (let j = 0; j < stateCount; j++) {
      operands[`s${k}_${j}`] = input(g.inputs[2 + j]!);
      operands[`s_out${k}_${j}`] = output(g.outputs[1 + j]!);
    }
  });
  // starts[k]: the index of group k's first vec4; each group's last vec4 is padded (the
  // padding of a parameter and its state is updated from the padding of its gradient and
  // never read).
  const starts = [0];
  for (const g of chunk)
    starts.push(starts[starts.length - 1]! + Math.ceil(sizeOf(call.inputShapes[g.inputs[0]!]) / 4));
  const states = Array.from({ length: stateCount }, (_, j) => j);
  return gridDispatch(call, {
    label: chunk.length > 1 ? `${call.op} (${chunk.length} parameters)` : call.op,
    operands,
    uniforms: [
      ...starts.slice(1, -1).map((start, k) => u32(`start${k + 1}`, start)),
      ...rule.uniforms(call.attrs),
    ],
    invocations: starts[starts.length - 1]!,
    vec4: true,
    body: (t) =>
      branches(0, chunk.length, (k) =>
        rule.update(call.attrs, {
          p: t[`p${k}`]!,
          grad: t[`grad${k}`]!,
          state: states.map((j) => t[`s${k}_${j}`]!),
          pOut: t[`p_out${k}`]!,
          stateOut: states.map((j) => t[`s_out${k}_${j}`]!),
        }),
      ),
  });
}

function grouped<K extends OptimizerKind>(rule: Rule<K>): WgslKernel<K> {
  return (call) => {
    const stateCount = rule.stateCount(call.attrs);
    return chunksOf(call, groupsOf(call, stateCount)).map((chunk) =>
      chunkDispatch(call, rule, chunk, stateCount),
    );
  };
}

export const sgdUpdate: WgslKernel<'sgd_update'> = grouped(sgd);
export const adagradUpdate: WgslKernel<'adagrad_update'> = grouped(adagrad);
export const adamUpdate: WgslKernel<'adam_update'> = grouped(adam);
export const rmspropUpdate: WgslKernel<'rmsprop_update'> = grouped(rmsprop);
