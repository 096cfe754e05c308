import type { ChainOp, PrimAttrMap } from '../../program.js';
import { chainProblem } from '../../pointwiseChain.js';
import { outputDerivative } from './epilogue.js';
import {
  input,
  output,
  type Operand,
  type Uniform,
  type WgslCall,
  type WgslKernel,
} from './kernel.js';
import { pointwiseRules } from './pointwise.js';
import { gridDispatch, sizeOf, type WgslFunction } from './shader.js';

/*
 * `pointwise_chain` as one dispatch: one invocation per element loads element idx of every
 * input once, binds each step's value with a `let` (the step's expression is pointwise.ts's
 * rule, the same text its stand-alone kernel stores), and stores only the last. Attributes
 * and factors travel as uniforms named after their step (`s2_alpha`), so the module text
 * depends only on the chain's structure (ops, wiring, activation_grad's kind): chains that
 * differ in alpha, weight or size share one pipeline. A chain has at most MAX_CHAIN_INPUTS
 * inputs, so with its output it always fits the 8 storage buffers every device binds.
 */

/** pointwise.ts's rule form, with the step's attributes at hand for the module text. */
interface StepRule<K extends ChainOp> {
  readonly uniforms?: (call: WgslCall<K>) => readonly Uniform[];
  readonly functions?: readonly WgslFunction[];
  readonly expr: (
    args: readonly string[],
    u: (name: string) => string,
    attrs: PrimAttrMap[K],
  ) => string;
}

const f32 = (name: string, value: number): Uniform => ({ name, type: 'f32', value });

const rules: { readonly [K in ChainOp]: StepRule<K> } = {
  relu: pointwiseRules.relu,
  sigmoid: pointwiseRules.sigmoid,
  tanh: pointwiseRules.tanh,
  softplus: pointwiseRules.softplus,
  gelu: pointwiseRules.gelu,
  elu: pointwiseRules.elu,
  leaky_relu: pointwiseRules.leaky_relu,
  step: pointwiseRules.step,
  identity: pointwiseRules.identity,
  scale: pointwiseRules.scale,
  mul: pointwiseRules.mul,
  // In argument order, as structure.ts's add sums one dispatch's terms.
  add: { expr: (args) => args.join(' + ') },
  relu_grad: pointwiseRules.relu_grad,
  sigmoid_grad: pointwiseRules.sigmoid_grad,
  tanh_grad: pointwiseRules.tanh_grad,
  softplus_grad: pointwiseRules.softplus_grad,
  gelu_grad: pointwiseRules.gelu_grad,
  elu_grad: pointwiseRules.elu_grad,
  leaky_relu_grad: pointwiseRules.leaky_relu_grad,
  // epilogue.ts's derivative from the output; the kind picks the formula, alpha is a uniform.
  activation_grad: {
    uniforms: (call) => [f32('alpha', call.attrs.alpha)],
    expr: ([y, dy], u, { kind }) => outputDerivative[kind](y!, dy!, u('alpha')),
  },
  mse_loss_grad: pointwiseRules.mse_loss_grad,
  l1_loss_grad: pointwiseRules.l1_loss_grad,
  sigmoid_bce_grad: pointwiseRules.sigmoid_bce_grad,
  l1_activity_grad: pointwiseRules.l1_activity_grad,
};

/** [t0, …, tk−1] → [y]: y[idx] is the last step's value at idx. */
export const pointwiseChain: WgslKernel<'pointwise_chain'> = (call) => {
  const { steps } = call.attrs;
  const k = call.inputIds.length;
  const problem = chainProblem(steps, k);
  if (problem !== undefined) throw new Error(`internal error: a pointwise_chain ${problem}`);
  const shape = call.outputShapes[0];
  const operands: Record<string, Operand> = {};
  for (let j = 0; j < k; j++) operands[`a${j}`] = input(j);
  operands['y'] = output(0);
  const value = (a: number) => (a < k ? `v${a}` : `s${a - k}`);

  const uniforms: Uniform[] = [];
  const functions: WgslFunction[] = [];
  const lets = steps.map((step, j) => {
    const rule = rules[step.op] as StepRule<ChainOp>;
    // The step as its own instruction would be called: every operand has y's shape (the
    // loss gradients read their factor's size from it).
    const own = rule.uniforms?.({
      ...call,
      op: step.op,
      attrs: step.attrs,
      inputShapes: step.args.map(() => shape!),
      outputShapes: [shape!],
      inputIds: step.args,
      outputIds: [k + j],
    });
    for (const u of own ?? []) uniforms.push({ ...u, name: `s${j}_${u.name}` });
    functions.push(...(rule.functions ?? []));
    const expr = rule.expr(step.args.map(value), (name) => `u.s${j}_${name}`, step.attrs);
    return `let s${j} = ${expr};`;
  });

  return [
    gridDispatch(call, {
      label: `pointwise_chain (${steps.map((s) => s.op).join(' → ')})`,
      operands,
      uniforms,
      functions,
      invocations: sizeOf(shape),
      body: (t) =>
        [
          ...Array.from({ length: k }, (_, j) => `let v${j} = ${t[`a${j}`]}[idx];`),
          ...lets,
          `${t['y']}[idx] = s${steps.length - 1};`,
        ].join('\n'),
    }),
  ];
};
