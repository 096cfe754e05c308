import type { Kernel } from '../kernel.js';
import { gradKernel, sigmoid, unaryKernel } from './elementwise.js';
import { activate, outputDerivative } from './epilogue.js';
import { normalCdf, normalPdf } from './erf.js';

/*
 * Elementwise activations and their gradients, with PyTorch's formulas (docs/ops.md). The
 * forward formulas, and the derivatives written from the output, live in epilogue.ts, which
 * the fused dense and convolution kernels share. Where a function has a kink, the gradient
 * at the kink is PyTorch's choice: relu and leaky_relu take the x ≤ 0 side, elu the x ≤ 0
 * side (alpha·e^0 = alpha).
 */

/**
 * act'(x) written from the forward input x, for the gradients that read x (relu_grad,
 * softplus_grad, gelu_grad, elu_grad, leaky_relu_grad): the kernels below and the steps of
 * a pointwise_chain (chain.ts) share them. `alpha` is read by elu and leaky_relu only.
 */
export const inputDerivative: {
  readonly [K in 'relu' | 'softplus' | 'gelu' | 'elu' | 'leaky_relu']: (
    x: number,
    alpha: number,
  ) => number;
} = {
  relu: (x) => (x > 0 ? 1 : 0),
  /** softplus' = σ(x). */
  softplus: (x) => sigmoid(x),
  /** d/dx x·Φ(x) = Φ(x) + x·φ(x). */
  gelu: (x) => normalCdf(x) + x * normalPdf(x),
  elu: (x, alpha) => (x > 0 ? 1 : alpha * Math.exp(x)),
  leaky_relu: (x, alpha) => (x > 0 ? 1 : alpha),
};

/** 1 where x > threshold; it has no gradient primitive (its gradient is 0 everywhere). */
export const stepOf = (x: number, threshold: number): number => (x > threshold ? 1 : 0);

export const relu: Kernel<'relu'> = unaryKernel((x) => activate.relu(x, 0));

export const reluGrad: Kernel<'relu_grad'> = gradKernel((x) => inputDerivative.relu(x, 0));

export const sigmoidKernel: Kernel<'sigmoid'> = unaryKernel((x) => activate.sigmoid(x, 0));

/** From the forward output y: σ' = y·(1 − y). */
export const sigmoidGrad: Kernel<'sigmoid_grad'> = gradKernel((y) =>
  outputDerivative.sigmoid(y, 0),
);

export const tanh: Kernel<'tanh'> = unaryKernel((x) => activate.tanh(x, 0));

/** From the forward output y: tanh' = 1 − y². */
export const tanhGrad: Kernel<'tanh_grad'> = gradKernel((y) => outputDerivative.tanh(y, 0));

export const softplusKernel: Kernel<'softplus'> = unaryKernel((x) => activate.softplus(x, 0));

export const softplusGrad: Kernel<'softplus_grad'> = gradKernel((x) =>
  inputDerivative.softplus(x, 0),
);

export const gelu: Kernel<'gelu'> = unaryKernel((x) => activate.gelu(x, 0));

export const geluGrad: Kernel<'gelu_grad'> = gradKernel((x) => inputDerivative.gelu(x, 0));

export const elu: Kernel<'elu'> = unaryKernel((x, { alpha }) => activate.elu(x, alpha));

export const eluGrad: Kernel<'elu_grad'> = gradKernel((x, { alpha }) =>
  inputDerivative.elu(x, alpha),
);

export const leakyRelu: Kernel<'leaky_relu'> = unaryKernel((x, { alpha }) =>
  activate.leaky_relu(x, alpha),
);

export const leakyReluGrad: Kernel<'leaky_relu_grad'> = gradKernel((x, { alpha }) =>
  inputDerivative.leaky_relu(x, alpha),
);

/** [y, dY] → [dX] = dY·act'(y), the derivative of the activation written from its output. */
export const activationGrad: Kernel<'activation_grad'> = gradKernel((y, { kind, alpha }) =>
  outputDerivative[kind](y, alpha),
);

export const step: Kernel<'step'> = unaryKernel((x, { threshold }) => stepOf(x, threshold));
