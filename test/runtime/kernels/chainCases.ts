import { chainArity } from '../../../src/runtime/pointwiseChain.js';
import {
  MAX_CHAIN_INPUTS,
  type ActivationGrad,
  type ChainOp,
  type ChainStep,
} from '../../../src/runtime/program.js';
import { testValues } from '../../helpers/kernels.js';

/*
 * `pointwise_chain` configurations for the CPU and WGSL kernel tests: the chains the fusion
 * pass makes of the examples, and seeded random ones over every step primitive (n-ary adds
 * included), with inputs whose values cross every kink and saturate some activations.
 */

export interface ChainCase {
  readonly name: string;
  readonly inputs: number;
  readonly steps: readonly ChainStep[];
}

/** What fuse-elementwise makes of resnet18, autoencoder and vae, and wider shapes. */
export const exampleChains: readonly ChainCase[] = [
  {
    name: 'residual add → relu',
    inputs: 2,
    steps: [
      { op: 'add', attrs: {}, args: [0, 1] },
      { op: 'relu', attrs: {}, args: [2] },
    ],
  },
  {
    name: 'mse_loss_grad → sigmoid_grad',
    inputs: 2,
    steps: [
      { op: 'mse_loss_grad', attrs: { weight: 1 }, args: [0, 1] },
      { op: 'sigmoid_grad', attrs: {}, args: [0, 2] },
    ],
  },
  {
    name: 'l1_activity_grad → add → activation_grad(relu)',
    inputs: 2,
    steps: [
      { op: 'l1_activity_grad', attrs: { weight: 0.001 }, args: [0] },
      { op: 'add', attrs: {}, args: [2, 1] },
      { op: 'activation_grad', attrs: { kind: 'relu', alpha: 0 }, args: [0, 3] },
    ],
  },
  {
    name: 'add of 2 → activation_grad(elu) (a gradient fan-in)',
    inputs: 3,
    steps: [
      { op: 'add', attrs: {}, args: [1, 2] },
      { op: 'activation_grad', attrs: { kind: 'elu', alpha: 0.5 }, args: [0, 3] },
    ],
  },
  {
    name: `add of ${MAX_CHAIN_INPUTS} → tanh → tanh_grad, a branch (the most inputs)`,
    inputs: MAX_CHAIN_INPUTS,
    steps: [
      { op: 'add', attrs: {}, args: [0, 1, 2, 3, 4, 5] },
      { op: 'tanh', attrs: {}, args: [6] },
      { op: 'scale', attrs: { factor: -0.5 }, args: [0] },
      { op: 'tanh_grad', attrs: {}, args: [7, 8] },
    ],
  },
];

/** An xorshift stream in [0, 1) for drawing configurations. */
function draws(seed: number) {
  let i = 0;
  const pool = testValues(4096, seed).map((v) => (v + 1) / 2);
  const next = () => pool[i++ % pool.length]!;
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
  };
}

const kinds: readonly ActivationGrad[] = [
  { kind: 'relu', alpha: 0 },
  { kind: 'sigmoid', alpha: 0 },
  { kind: 'tanh', alpha: 0 },
  { kind: 'elu', alpha: 0.7 },
  { kind: 'leaky_relu', alpha: 0.1 },
];

/** Attributes for one step of `op`, drawn from `d`. */
function attrsFor(op: ChainOp, d: ReturnType<typeof draws>): ChainStep['attrs'] {
  switch (op) {
    case 'elu':
    case 'leaky_relu':
    case 'elu_grad':
    case 'leaky_relu_grad':
      return { alpha: d.pick([0.01, 0.3, 1]) };
    case 'step':
      return { threshold: d.pick([0, 0.25, -0.5]) };
    case 'scale':
      return { factor: d.pick([-2.5, 0.5, 3]) };
    case 'activation_grad':
      return d.pick(kinds);
    case 'mse_loss_grad':
    case 'l1_loss_grad':
    case 'sigmoid_bce_grad':
    case 'l1_activity_grad':
      return { weight: d.pick([1, 0.001, 2.5]) };
    default:
      return {};
  }
}

const ops = Object.keys(chainArity) as ChainOp[];

/**
 * `count` random chains of 1 … MAX_CHAIN_INPUTS inputs and 2 … 6 steps. Each step reads the
 * previous one's value (so the chain is connected, as the pass builds them) and otherwise
 * any input or earlier value; adds take 1 … 4 arguments.
 */
export function randomChains(count: number, seed: number): ChainCase[] {
  const d = draws(seed);
  return Array.from({ length: count }, (_, c) => {
    const inputs = d.int(1, MAX_CHAIN_INPUTS);
    const steps: ChainStep[] = [];
    const length = d.int(2, 6);
    for (let j = 0; j < length; j++) {
      const op = d.pick(ops);
      const arity = chainArity[op];
      const n = arity === 'n' ? d.int(1, 4) : arity;
      const args = Array.from({ length: n }, () => d.int(0, inputs + j - 1));
      if (j > 0) args[d.int(0, n - 1)] = inputs + j - 1;
      steps.push({ op, attrs: attrsFor(op, d), args } as ChainStep);
    }
    const name = `random chain ${c + 1}: ${steps.map((s) => s.op).join(' → ')} (${inputs} inputs)`;
    return { name, inputs, steps };
  });
}

/**
 * Input `j` of a chain with `n` elements: values in [−3, 3) with exact zeros and a few
 * saturating values mixed in, different per input.
 */
export function chainInput(n: number, j: number, seed: number): number[] {
  const special = [0, 12, -12, 1e-4, -1e-4];
  return testValues(n, seed * 31 + j + 1).map((v, i) =>
    i % 7 === 3 ? special[(i + j) % special.length]! : 3 * v,
  );
}
