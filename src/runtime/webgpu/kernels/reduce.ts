import type { PrimKind } from '../../program.js';
import {
  input,
  output,
  type Operand,
  type Uniform,
  type WgslCall,
  type WgslKernel,
} from './kernel.js';
import * as m from './math.js';
import { gridDispatch, reduceDispatch, sizeOf, type WgslFunction } from './shader.js';
import { inputChunks } from './structure.js';

/*
 * Kernels that sum many elements into few: the mean-reduced losses, the regularization
 * penalties and the bias gradient (cpu/kernels/losses.ts, crossEntropy.ts, regularize.ts,
 * linear.ts). A loss is one workgroup summing in float32 with a fixed-order tree
 * (shader.ts), where the CPU sums in float64: they agree to about 1e-6 relative for the
 * sizes of a batch, which the tests state.
 */

const u32 = (name: string, value: number): Uniform => ({ name, type: 'u32', value });
const f32 = (name: string, value: number): Uniform => ({ name, type: 'f32', value });

/** The batch N of a batched tensor's run-time shape. */
function batchOf(shape: readonly number[] | undefined): number {
  const n = shape?.[0];
  if (n === undefined) throw new Error('internal error: a batched tensor has an empty shape');
  return n;
}

/**
 * A loss Σ term(i) / divisor over the elements of input 0, with `term` a WGSL expression of
 * the elements `a[0..arity)` at index `i`, evaluated before it is added (as on the CPU).
 */
function meanLoss<K extends PrimKind>(
  arity: number,
  divisor: (call: WgslCall<K>) => number,
  term: (a: readonly string[]) => string,
  functions: readonly WgslFunction[] = [],
): WgslKernel<K> {
  return (call) => {
    const operands: Record<string, Operand> = {};
    for (let j = 0; j < arity; j++) operands[`a${j}`] = input(j);
    operands['y'] = output(0);
    return [
      reduceDispatch(call, {
        label: call.op,
        operands,
        functions,
        uniforms: [u32('count', sizeOf(call.inputShapes[0])), f32('divisor', divisor(call))],
        body: (t) => `
          for (var i = lid; i < u.count; i = i + WG) {
            acc = acc + (${term(Array.from({ length: arity }, (_, j) => `${t[`a${j}`]}[i]`))});
          }`,
        finish: (t) => `${t['y']}[0] = total / u.divisor;`,
      }),
    ];
  };
}

const elements = (call: WgslCall<PrimKind>) => sizeOf(call.inputShapes[0]);
const batch = (call: WgslCall<PrimKind>) => batchOf(call.inputShapes[0]);

/** mean (pred − target)², nn.MSELoss(). */
export const mseLoss: WgslKernel<'mse_loss'> = meanLoss(
  2,
  elements,
  ([p, t]) => `(${p} - ${t}) * (${p} - ${t})`,
);

/** mean |pred − target|, nn.L1Loss(). */
export const l1Loss: WgslKernel<'l1_loss'> = meanLoss(2, elements, ([p, t]) => `abs(${p} - ${t})`);

/** Σ|x| per sample, averaged over the batch. */
export const l1Activity: WgslKernel<'l1_activity'> = meanLoss(1, batch, ([x]) => `abs(${x})`);

/** nn.BCEWithLogitsLoss: mean of softplus(x) − x·y. */
export const sigmoidBce: WgslKernel<'sigmoid_bce'> = meanLoss(
  2,
  elements,
  ([x, y]) => `softplus_(${x}) - ${x} * ${y}`,
  [m.softplus],
);

/**
 * [logits, target] → [loss, dLogits]: sigmoid_bce and sigmoid_bce_grad in one dispatch. The
 * mean needs every element, so this is ONE workgroup (a dispatch has nowhere to combine the
 * partial sums of several): its REDUCE_SIZE invocations stride over all M elements, any M,
 * adding softplus(x) − x·y to the loss as sigmoid_bce orders it and writing
 * weight/M·(σ(x) − y), sigmoid_bce_grad's formula, for each element they visit.
 */
export const sigmoidBceWithGrad: WgslKernel<'sigmoid_bce_with_grad'> = (call) => {
  const count = sizeOf(call.inputShapes[0]);
  return [
    reduceDispatch(call, {
      label: 'sigmoid_bce_with_grad',
      operands: { x: input(0), tgt: input(1), y: output(0), dx: output(1) },
      functions: [m.softplus, m.sigmoid],
      // The gradient's factor in float64, as pointwise.ts's sigmoid_bce_grad computes it.
      uniforms: [
        u32('count', count),
        f32('divisor', count),
        f32('factor', call.attrs.weight / count),
      ],
      body: (t) => `
        for (var i = lid; i < u.count; i = i + WG) {
          let x = ${t.x}[i];
          let y = ${t.tgt}[i];
          acc = acc + (softplus_(x) - x * y);
          ${t.dx}[i] = u.factor * (sigmoid_(x) - y);
        }`,
      finish: (t) => `${t.y}[0] = total / u.divisor;`,
    }),
  ];
};

/** KL(N(mu, e^logvar) ‖ N(0, 1)) per sample, averaged over the batch; ½(mu² + expm1(lv) − lv). */
export const klNormal: WgslKernel<'kl_normal'> = meanLoss(
  2,
  batch,
  ([mu, lv]) => `0.5 * (${mu} * ${mu} + expm1_(${lv}) - ${lv})`,
  [m.expm1],
);

/** [mu, logvar] → [dMu, dLogvar] = weight/N·(mu, ½(e^logvar − 1)). */
export const klNormalGrad: WgslKernel<'kl_normal_grad'> = (call) => [
  gridDispatch(call, {
    label: 'kl_normal_grad',
    operands: { mu: input(0), lv: input(1), dmu: output(0), dlv: output(1) },
    functions: [m.expm1],
    uniforms: [f32('factor', call.attrs.weight / batchOf(call.inputShapes[0]))],
    invocations: sizeOf(call.inputShapes[0]),
    body: (t) => `
      ${t.dmu}[idx] = u.factor * ${t.mu}[idx];
      ${t.dlv}[idx] = u.factor * 0.5 * expm1_(${t.lv}[idx]);`,
  }),
];

/** Σ over every input tensor of term(w); dispatches after the first add to the output. */
function sumOver<K extends 'sum_squares' | 'sum_abs'>(term: (w: string) => string): WgslKernel<K> {
  return (call) => {
    const chunks = inputChunks(call);
    return chunks.map((chunk, c) => {
      const operands: Record<string, Operand> = {};
      for (const j of chunk) operands[`a${j}`] = input(j);
      operands['y'] = output(0);
      return reduceDispatch(call, {
        label: chunks.length > 1 ? `${call.op} (part ${c + 1} of ${chunks.length})` : call.op,
        operands,
        uniforms: chunk.map((j) => u32(`count${j}`, sizeOf(call.inputShapes[j]))),
        body: (t) =>
          chunk
            .map(
              (j) => `
                for (var i = lid; i < u.count${j}; i = i + WG) {
                  acc = acc + ${term(`${t[`a${j}`]}[i]`)};
                }`,
            )
            .join('\n'),
        finish: (t) => (c === 0 ? `${t['y']}[0] = total;` : `${t['y']}[0] = ${t['y']}[0] + total;`),
      });
    });
  };
}

export const sumSquares: WgslKernel<'sum_squares'> = sumOver((w) => `${w} * ${w}`);
export const sumAbs: WgslKernel<'sum_abs'> = sumOver((w) => `abs(${w})`);

/**
 * [dY] → [db]: dY is [N, F, ...rest]; db[f] sums every element of channel f. One invocation
 * per channel walks its N·plane elements.
 */
export const biasGrad: WgslKernel<'bias_grad'> = (call) => {
  const shape = call.inputShapes[0];
  const n = batchOf(shape);
  const channels = shape?.[1];
  if (channels === undefined) throw new Error('internal error: bias_grad needs [N, F, ...]');
  const plane = sizeOf(shape) / (n * channels);
  return [
    gridDispatch(call, {
      label: 'bias_grad',
      operands: { dy: input(0), db: output(0) },
      uniforms: [u32('batch', n), u32('channels', channels), u32('plane', plane)],
      invocations: channels,
      body: (t) => `
        var sum: f32 = 0.0;
        for (var s = 0u; s < u.batch; s = s + 1u) {
          let base = (s * u.channels + idx) * u.plane;
          for (var p = 0u; p < u.plane; p = p + 1u) {
            sum = sum + ${t.dy}[base + p];
          }
        }
        ${t.db}[idx] = sum;`,
    }),
  ];
};
