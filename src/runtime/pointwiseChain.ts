import { MAX_CHAIN_INPUTS, type ChainOp, type ChainStep } from './program.js';

/*
 * What every consumer of a `pointwise_chain` (the fusion pass that builds one, the CPU and
 * WGSL kernels, the run-time shape rule) agrees on: which primitives may be steps, how many
 * arguments each takes, and when a list of steps is well formed.
 */

/** Arguments per step: a count, or `n` for the n-ary `add` (at least one). */
export const chainArity: { readonly [K in ChainOp]: number | 'n' } = {
  relu: 1,
  sigmoid: 1,
  tanh: 1,
  softplus: 1,
  gelu: 1,
  elu: 1,
  leaky_relu: 1,
  step: 1,
  identity: 1,
  scale: 1,
  add: 'n',
  mul: 2,
  relu_grad: 2,
  sigmoid_grad: 2,
  tanh_grad: 2,
  softplus_grad: 2,
  gelu_grad: 2,
  elu_grad: 2,
  leaky_relu_grad: 2,
  activation_grad: 2,
  mse_loss_grad: 2,
  l1_loss_grad: 2,
  sigmoid_bce_grad: 2,
  l1_activity_grad: 1,
};

export function isChainOp(op: string): op is ChainOp {
  return Object.hasOwn(chainArity, op);
}

/**
 * What is wrong with a chain of `steps` over `inputs` inputs, or undefined when it is well
 * formed: 1 … MAX_CHAIN_INPUTS inputs, at least one step, each a chain primitive with its
 * number of arguments, each argument an input or an earlier step.
 */
export function chainProblem(steps: readonly ChainStep[], inputs: number): string | undefined {
  if (inputs < 1 || inputs > MAX_CHAIN_INPUTS)
    return `has ${inputs} inputs; a chain takes 1 to ${MAX_CHAIN_INPUTS}`;
  if (steps.length === 0) return 'has no steps';
  for (const [j, step] of steps.entries()) {
    if (!isChainOp(step.op)) return `step ${j}: \`${step.op}\` is not an elementwise primitive`;
    const arity = chainArity[step.op];
    const count = step.args.length;
    if (arity === 'n' ? count < 1 : count !== arity)
      return `step ${j}: \`${step.op}\` takes ${arity === 'n' ? 'at least 1' : arity} arguments, got ${count}`;
    const bad = step.args.find((a) => !Number.isInteger(a) || a < 0 || a >= inputs + j);
    if (bad !== undefined)
      return `step ${j}: argument ${bad} is neither an input nor an earlier step's value`;
  }
  return undefined;
}
