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
import { gridDispatch, sizeOf, type WgslFunction } from './shader.js';

/*
 * Primitives whose output element i depends only on element i of each input: activations,
 * their gradients, copies, scaling, the in-place regularization updates and the loss
 * gradients that are plain maps. Each is a rule giving the output as one scalar WGSL
 * expression of its inputs, so that a fusion pass can later substitute one rule's
 * expression into the next and run a whole chain as one kernel; on its own, a rule becomes
 * a kernel with one invocation per element.
 *
 * Formulas and their stable forms follow the CPU kernels (cpu/kernels/activations.ts,
 * losses.ts, crossEntropy.ts, regularize.ts).
 */

export interface PointwiseRule<K extends PrimKind> {
  /** How many inputs, all of the output's size. */
  readonly arity: number;
  /** Attribute and size uniforms; the expression reads them through `u`. */
  readonly uniforms?: (call: WgslCall<K>) => readonly Uniform[];
  readonly functions?: readonly WgslFunction[];
  /** The output element from the input elements `a` (WGSL f32 expressions). */
  readonly expr: (a: readonly string[], u: (name: string) => string) => string;
}

export type PointwiseKind =
  | 'relu'
  | 'sigmoid'
  | 'tanh'
  | 'softplus'
  | 'gelu'
  | 'elu'
  | 'leaky_relu'
  | 'step'
  | 'identity'
  | 'reshape'
  | 'scale'
  | 'mul'
  | 'relu_grad'
  | 'sigmoid_grad'
  | 'tanh_grad'
  | 'softplus_grad'
  | 'gelu_grad'
  | 'elu_grad'
  | 'leaky_relu_grad'
  | 'add_scaled'
  | 'add_sign_scaled'
  | 'mse_loss_grad'
  | 'sigmoid_bce_grad'
  | 'l1_loss_grad'
  | 'l1_activity_grad';

const f32 = (name: string, value: number): Uniform => ({ name, type: 'f32', value });

/** weight/M over the M elements of input 0 (mean-reduced losses), computed in float64. */
const perElement =
  (scale: number) =>
  (call: WgslCall<'mse_loss_grad' | 'sigmoid_bce_grad' | 'l1_loss_grad'>): readonly Uniform[] => [
    f32('factor', (scale * call.attrs.weight) / sizeOf(call.inputShapes[0])),
  ];

export const pointwiseRules: { readonly [K in PointwiseKind]: PointwiseRule<K> } = {
  // NaN passes through, as Math.max and torch.relu do.
  relu: { arity: 1, expr: ([x]) => `select(0.0, ${x}, !(${x} <= 0.0))` },
  sigmoid: { arity: 1, functions: [m.sigmoid], expr: ([x]) => `sigmoid_(${x})` },
  tanh: { arity: 1, functions: [m.tanh], expr: ([x]) => `tanh_(${x})` },
  softplus: { arity: 1, functions: [m.softplus], expr: ([x]) => `softplus_(${x})` },
  gelu: { arity: 1, functions: [m.normalCdf], expr: ([x]) => `${x} * normal_cdf_(${x})` },
  elu: {
    arity: 1,
    functions: [m.expm1],
    uniforms: (call) => [f32('alpha', call.attrs.alpha)],
    expr: ([x], u) => `select(${u('alpha')} * expm1_(${x}), ${x}, ${x} > 0.0)`,
  },
  leaky_relu: {
    arity: 1,
    uniforms: (call) => [f32('alpha', call.attrs.alpha)],
    expr: ([x], u) => `select(${u('alpha')} * ${x}, ${x}, ${x} > 0.0)`,
  },
  step: {
    arity: 1,
    uniforms: (call) => [f32('threshold', call.attrs.threshold)],
    expr: ([x], u) => `select(0.0, 1.0, ${x} > ${u('threshold')})`,
  },
  identity: { arity: 1, expr: ([x]) => x! },
  // Row-major data does not move when only the shape changes.
  reshape: { arity: 1, expr: ([x]) => x! },
  scale: {
    arity: 1,
    uniforms: (call) => [f32('factor', call.attrs.factor)],
    expr: ([x], u) => `${u('factor')} * ${x}`,
  },
  mul: { arity: 2, expr: ([a, b]) => `${a} * ${b}` },

  // [a, dY] → [dX] = dY·f'(a), a being the forward input x or output y (program.ts).
  relu_grad: { arity: 2, expr: ([x, dy]) => `${dy} * select(0.0, 1.0, ${x} > 0.0)` },
  sigmoid_grad: { arity: 2, expr: ([y, dy]) => `${dy} * (${y} * (1.0 - ${y}))` },
  tanh_grad: { arity: 2, expr: ([y, dy]) => `${dy} * (1.0 - ${y} * ${y})` },
  softplus_grad: { arity: 2, functions: [m.sigmoid], expr: ([x, dy]) => `${dy} * sigmoid_(${x})` },
  gelu_grad: {
    arity: 2,
    functions: [m.normalCdf, m.normalPdf],
    expr: ([x, dy]) => `${dy} * (normal_cdf_(${x}) + ${x} * normal_pdf_(${x}))`,
  },
  elu_grad: {
    arity: 2,
    uniforms: (call) => [f32('alpha', call.attrs.alpha)],
    expr: ([x, dy], u) => `${dy} * select(${u('alpha')} * exp(${x}), 1.0, ${x} > 0.0)`,
  },
  leaky_relu_grad: {
    arity: 2,
    uniforms: (call) => [f32('alpha', call.attrs.alpha)],
    expr: ([x, dy], u) => `${dy} * select(${u('alpha')}, 1.0, ${x} > 0.0)`,
  },

  // [g, w] → [g], in place: element i is read before it is written.
  add_scaled: {
    arity: 2,
    uniforms: (call) => [f32('alpha', call.attrs.alpha)],
    expr: ([g, w], u) => `${g} + ${u('alpha')} * ${w}`,
  },
  add_sign_scaled: {
    arity: 2,
    uniforms: (call) => [f32('alpha', call.attrs.alpha)],
    expr: ([g, w], u) => `${g} + ${u('alpha')} * sign(${w})`,
  },

  mse_loss_grad: {
    arity: 2,
    uniforms: perElement(2),
    expr: ([p, t], u) => `${u('factor')} * (${p} - ${t})`,
  },
  sigmoid_bce_grad: {
    arity: 2,
    uniforms: perElement(1),
    functions: [m.sigmoid],
    expr: ([x, y], u) => `${u('factor')} * (sigmoid_(${x}) - ${y})`,
  },
  l1_loss_grad: {
    arity: 2,
    uniforms: perElement(1),
    expr: ([p, t], u) => `${u('factor')} * sign(${p} - ${t})`,
  },
  // weight/N with N the batch: Σ|x| is per sample, averaged over the batch.
  l1_activity_grad: {
    arity: 1,
    uniforms: (call) => [f32('factor', call.attrs.weight / (call.inputShapes[0]?.[0] ?? 1))],
    expr: ([x], u) => `${u('factor')} * sign(${x})`,
  },
};

/** A rule as a stand-alone kernel: one invocation per output element. */
export function pointwiseKernel<K extends PrimKind>(rule: PointwiseRule<K>): WgslKernel<K> {
  return (call) => {
    const operands: Record<string, Operand> = {};
    for (let j = 0; j < rule.arity; j++) operands[`a${j}`] = input(j);
    operands['y'] = output(0);
    const args = Array.from({ length: rule.arity }, (_, j) => `a${j}`);
    return [
      gridDispatch(call, {
        label: call.op,
        operands,
        uniforms: rule.uniforms?.(call) ?? [],
        functions: rule.functions ?? [],
        invocations: sizeOf(call.outputShapes[0]),
        body: (t) =>
          `${t['y']}[idx] = ${rule.expr(
            args.map((a) => `${t[a]}[idx]`),
            (name) => `u.${name}`,
          )};`,
      }),
    ];
  };
}

/** Every rule as a kernel. */
export const pointwiseKernels = Object.fromEntries(
  Object.entries(pointwiseRules).map(([op, rule]) => [
    op,
    pointwiseKernel(rule as PointwiseRule<PrimKind>),
  ]),
) as { readonly [K in PointwiseKind]: WgslKernel<K> };
