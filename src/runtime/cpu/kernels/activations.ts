import type { Kernel } from '../kernel.js';
import { gradKernel, sigmoid, softplus, unaryKernel } from './elementwise.js';
import { normalCdf, normalPdf } from './erf.js';

/*
 * Elementwise activations and their gradients, with PyTorch's formulas (docs/ops.md).
 * Where a function has a kink, the gradient at the kink is PyTorch's choice: relu and
 * leaky_relu take the x ≤ 0 side, elu the x ≤ 0 side (alpha·e^0 = alpha).
 */

/** Math.max passes a NaN through, as torch.relu does. */
export const relu: Kernel<'relu'> = unaryKernel((x) => Math.max(x, 0));

export const reluGrad: Kernel<'relu_grad'> = gradKernel((x) => (x > 0 ? 1 : 0));

export const sigmoidKernel: Kernel<'sigmoid'> = unaryKernel(sigmoid);

/** From the forward output y: σ' = y·(1 − y). */
export const sigmoidGrad: Kernel<'sigmoid_grad'> = gradKernel((y) => y * (1 - y));

export const tanh: Kernel<'tanh'> = unaryKernel(Math.tanh);

/** From the forward output y: tanh' = 1 − y². */
export const tanhGrad: Kernel<'tanh_grad'> = gradKernel((y) => 1 - y * y);

export const softplusKernel: Kernel<'softplus'> = unaryKernel(softplus);

/** softplus' = σ(x). */
export const softplusGrad: Kernel<'softplus_grad'> = gradKernel(sigmoid);

/** x·Φ(x) with the exact normal CDF, PyTorch's `approximate='none'`. */
export const gelu: Kernel<'gelu'> = unaryKernel((x) => x * normalCdf(x));

/** d/dx x·Φ(x) = Φ(x) + x·φ(x). */
export const geluGrad: Kernel<'gelu_grad'> = gradKernel((x) => normalCdf(x) + x * normalPdf(x));

/** expm1 keeps alpha·(e^x − 1) accurate for x just below 0. */
export const elu: Kernel<'elu'> = unaryKernel((x, { alpha }) =>
  x > 0 ? x : alpha * Math.expm1(x),
);

export const eluGrad: Kernel<'elu_grad'> = gradKernel((x, { alpha }) =>
  x > 0 ? 1 : alpha * Math.exp(x),
);

export const leakyRelu: Kernel<'leaky_relu'> = unaryKernel((x, { alpha }) =>
  x > 0 ? x : alpha * x,
);

export const leakyReluGrad: Kernel<'leaky_relu_grad'> = gradKernel((x, { alpha }) =>
  x > 0 ? 1 : alpha,
);

/** 1 where x > threshold; it has no gradient primitive (its gradient is 0 everywhere). */
export const step: Kernel<'step'> = unaryKernel((x, { threshold }) => (x > threshold ? 1 : 0));
