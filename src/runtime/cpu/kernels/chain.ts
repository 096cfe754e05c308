import type { ChainOp, PrimAttrMap } from '../../program.js';
import { chainProblem } from '../../pointwiseChain.js';
import type { Kernel } from '../kernel.js';
import { inputDerivative, stepOf } from './activations.js';
import { bceGrad } from './crossEntropy.js';
import { activate, outputDerivative } from './epilogue.js';
import { input, output, outputShape, batchOf, sizeOf } from './layout.js';
import { l1ActivityGradOf, l1GradOf, mseGradOf } from './losses.js';

/*
 * `pointwise_chain`: several elementwise primitives evaluated element by element, each
 * step's value kept in a float64 scratch array instead of a buffer. Every step calls the
 * very scalar function its own kernel calls (activations.ts, epilogue.ts, losses.ts,
 * crossEntropy.ts), in the same order of operations, so in float64 a chain equals its steps
 * run one by one bit for bit; in float32 it rounds once where the steps round after each.
 */

/** A step's value from the chain's values so far (inputs, then earlier steps). */
type StepFn = (values: Float64Array) => number;

/**
 * A step made ready for one call: its attributes and the run-time shape (every value of a
 * chain has y's shape) bound, its arguments as indices into the values.
 */
type StepRule<K extends ChainOp> = (
  attrs: PrimAttrMap[K],
  shape: readonly number[],
  args: readonly number[],
) => StepFn;

/** [x] → f(x). */
const map =
  <K extends ChainOp>(
    bind: (attrs: PrimAttrMap[K], shape: readonly number[]) => (x: number) => number,
  ): StepRule<K> =>
  (attrs, shape, [a]) => {
    const f = bind(attrs, shape);
    return (v) => f(v[a!]!);
  };

/** [a, b] → f(a, b). */
const zip =
  <K extends ChainOp>(
    bind: (attrs: PrimAttrMap[K], shape: readonly number[]) => (a: number, b: number) => number,
  ): StepRule<K> =>
  (attrs, shape, [a, b]) => {
    const f = bind(attrs, shape);
    return (v) => f(v[a!]!, v[b!]!);
  };

/** [a, dY] → dY·derivative(a), as elementwise.ts's gradKernel computes it. */
const grad = <K extends ChainOp>(
  derivative: (attrs: PrimAttrMap[K]) => (a: number) => number,
): StepRule<K> =>
  zip((attrs) => {
    const d = derivative(attrs);
    return (a, dy) => dy * d(a);
  });

const activation = (kind: keyof typeof activate) =>
  map<'relu' | 'sigmoid' | 'tanh' | 'softplus' | 'gelu'>(() => (x) => activate[kind](x, 0));

const steps: { readonly [K in ChainOp]: StepRule<K> } = {
  relu: activation('relu'),
  sigmoid: activation('sigmoid'),
  tanh: activation('tanh'),
  softplus: activation('softplus'),
  gelu: activation('gelu'),
  elu: map(
    ({ alpha }) =>
      (x) =>
        activate.elu(x, alpha),
  ),
  leaky_relu: map(
    ({ alpha }) =>
      (x) =>
        activate.leaky_relu(x, alpha),
  ),
  step: map(
    ({ threshold }) =>
      (x) =>
        stepOf(x, threshold),
  ),
  // The arithmetic of structure.ts's identity, scale, mul and add, in the same order.
  identity: map(() => (x) => x),
  scale: map(
    ({ factor }) =>
      (x) =>
        factor * x,
  ),
  mul: zip(() => (a, b) => a * b),
  add: (_, __, args) => (v) => {
    let sum = 0;
    for (const a of args) sum += v[a]!;
    return sum;
  },
  relu_grad: grad(() => (x) => inputDerivative.relu(x, 0)),
  softplus_grad: grad(() => (x) => inputDerivative.softplus(x, 0)),
  gelu_grad: grad(() => (x) => inputDerivative.gelu(x, 0)),
  elu_grad: grad(
    ({ alpha }) =>
      (x) =>
        inputDerivative.elu(x, alpha),
  ),
  leaky_relu_grad: grad(
    ({ alpha }) =>
      (x) =>
        inputDerivative.leaky_relu(x, alpha),
  ),
  sigmoid_grad: grad(() => (y) => outputDerivative.sigmoid(y, 0)),
  tanh_grad: grad(() => (y) => outputDerivative.tanh(y, 0)),
  activation_grad: grad(
    ({ kind, alpha }) =>
      (y) =>
        outputDerivative[kind](y, alpha),
  ),
  // The factors as the loss kernels take them: weight over the elements, or over the batch.
  mse_loss_grad: zip(({ weight }, shape) => mseGradOf(weight, sizeOf(shape))),
  l1_loss_grad: zip(({ weight }, shape) => l1GradOf(weight, sizeOf(shape))),
  sigmoid_bce_grad: zip(({ weight }, shape) => {
    const factor = weight / sizeOf(shape);
    return (x, y) => bceGrad(x, y, factor);
  }),
  l1_activity_grad: map(({ weight }, shape) => l1ActivityGradOf(weight, batchOf(shape))),
};

/** [t0, …, tk−1] → [y]: the steps in order for each element; y is the last one's value. */
export const pointwiseChain: Kernel<'pointwise_chain'> = (call) => {
  const k = call.inputs.length;
  const problem = chainProblem(call.attrs.steps, k);
  if (problem !== undefined) throw new Error(`compiler bug: a pointwise_chain ${problem}`);
  const y = output(call, 0);
  const inputs = call.inputs.map((_, j) => input(call, j));
  if (inputs.some((t) => t.length !== y.length))
    throw new Error('compiler bug: a pointwise_chain input differs in size from its output');
  const shape = outputShape(call, 0);
  const fns = call.attrs.steps.map((s) =>
    (steps[s.op] as StepRule<ChainOp>)(s.attrs as never, shape, s.args),
  );
  const values = new Float64Array(k + fns.length);
  const last = values.length - 1;
  for (let i = 0; i < y.length; i++) {
    for (let j = 0; j < k; j++) values[j] = inputs[j]![i]!;
    for (let s = 0; s < fns.length; s++) values[k + s] = fns[s]!(values);
    y[i] = values[last]!;
  }
};
