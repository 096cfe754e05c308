import type {
  ActivationGrad,
  EpilogueActivation,
  EpilogueActivationKind,
  OutputGradActivationKind,
} from '../../program.js';
import type { Buffer } from '../kernel.js';
import { sigmoid, softplus } from './elementwise.js';
import { normalCdf } from './erf.js';

/*
 * The activation scalar formulas in one place: the stand-alone activation kernels
 * (activations.ts) and the epilogues of dense, conv2d and the input gradients use these same
 * functions, so a fused kernel computes exactly what the unfused pair would (in float64 the
 * two agree bit for bit; in float32 the fused one rounds once where the pair rounds twice).
 */

type Scalar = (x: number, alpha: number) => number;

/** act(x), PyTorch's formulas (docs/ops.md); `alpha` is read by elu and leaky_relu only. */
export const activate: { readonly [K in EpilogueActivationKind]: Scalar } = {
  /** Math.max passes a NaN through, as torch.relu does. */
  relu: (x) => Math.max(x, 0),
  sigmoid: (x) => sigmoid(x),
  tanh: (x) => Math.tanh(x),
  softplus: (x) => softplus(x),
  /** x·Φ(x) with the exact normal CDF, PyTorch's `approximate='none'`. */
  gelu: (x) => x * normalCdf(x),
  /** expm1 keeps alpha·(e^x − 1) accurate for x just below 0. */
  elu: (x, alpha) => (x > 0 ? x : alpha * Math.expm1(x)),
  leaky_relu: (x, alpha) => (x > 0 ? x : alpha * x),
};

/**
 * act'(x) written as a function of y = act(x) (program.ts, ActivationGrad). Each holds on the
 * whole range of its activation because y > 0 exactly when x > 0 (alpha ≥ 0 for leaky_relu,
 * alpha > 0 for elu), and σ' = σ(1 − σ), tanh' = 1 − tanh², elu' = alpha·e^x = y + alpha
 * below 0. At the kinks they take PyTorch's side: x ≤ 0.
 */
export const outputDerivative: { readonly [K in OutputGradActivationKind]: Scalar } = {
  relu: (y) => (y > 0 ? 1 : 0),
  sigmoid: (y) => y * (1 - y),
  tanh: (y) => 1 - y * y,
  elu: (y, alpha) => (y > 0 ? 1 : y + alpha),
  leaky_relu: (y, alpha) => (y > 0 ? 1 : alpha),
};

/** x ↦ act(x) with the attributes bound; the identity when there is no activation. */
export function activationOf(activation: EpilogueActivation | undefined): (x: number) => number {
  if (activation === undefined) return (x) => x;
  const f = activate[activation.kind];
  return (x) => f(x, activation.alpha);
}

/**
 * What a forward kernel stores for the value it computed at flat index `at` of its output:
 * act(value + r[at]), with r the residual (the extra last input with `residual`) and act the
 * activation, each skipped when absent.
 */
export function outputEpilogue(
  attrs: { readonly activation?: EpilogueActivation; readonly residual?: boolean },
  inputs: readonly Buffer[],
  size: number,
  op: string,
): (value: number, at: number) => number {
  const act = activationOf(attrs.activation);
  if (!attrs.residual) return (value) => act(value);
  const r = inputs[inputs.length - 1];
  if (r?.length !== size) {
    throw new Error(
      `compiler bug: \`${op}\` with residual needs the residual (${size} elements) as its last input`,
    );
  }
  return (value, at) => act(value + r[at]!);
}

/** Replaces every element of `values` by `epilogue(value, index)`, in place. */
export function applyEpilogue(
  values: Float64Array,
  epilogue: (value: number, at: number) => number,
): void {
  for (let i = 0; i < values.length; i++) values[i] = epilogue(values[i]!, i);
}

/**
 * The activation's output y, the extra last input of an instruction with `activationGrad`:
 * undefined without one. It must have the size of the instruction's output `size`.
 */
export function activationOutput(
  grad: ActivationGrad | undefined,
  inputs: readonly Buffer[],
  at: number,
  size: number,
  op: string,
): Buffer | undefined {
  if (grad === undefined) return undefined;
  const y = inputs[at];
  if (y?.length !== size || inputs.length !== at + 1) {
    const wanted = `the activation's output (${size} elements) as its last input, ${at}`;
    throw new Error(`compiler bug: \`${op}\` with activationGrad needs ${wanted}`);
  }
  return y;
}

/** y ↦ act'(y) with the attributes bound. */
export function derivativeOf(grad: ActivationGrad): (y: number) => number {
  const d = outputDerivative[grad.kind];
  return (y) => d(y, grad.alpha);
}

/**
 * Multiplies every element of the gradient `values` by act'(y[i]), in place, turning the
 * gradient after an activation into the gradient before it; nothing when absent.
 */
export function applyActivationGrad(
  values: Float64Array,
  grad: ActivationGrad | undefined,
  y: Buffer | undefined,
): void {
  if (grad === undefined || y === undefined) return;
  const d = derivativeOf(grad);
  for (let i = 0; i < values.length; i++) values[i] = values[i]! * d(y[i]!);
}
