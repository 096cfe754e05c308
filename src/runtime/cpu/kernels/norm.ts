import type { Kernel } from '../kernel.js';
import { outputEpilogue } from './epilogue.js';
import { batchOf, input, inputShape, output, sizeOf, viewAround } from './layout.js';

/*
 * Batch and layer normalization, PyTorch's definitions. Batchnorm normalizes each channel
 * (axis 1 of the run-time shape) over the batch and any spatial axes, so one code path
 * serves [N, D] and [N, C, H, W]: around axis 1 the tensor is [N, C, inner] with inner = 1
 * or H·W. Layernorm normalizes each sample over all of its elements.
 *
 * Means and variances are two-pass (mean first, then squared deviations), which stays
 * accurate when the values sit far from zero.
 */

export const batchnormTrain: Kernel<'batchnorm_train'> = (call) => {
  const { momentum, eps } = call.attrs;
  const x = input(call, 0);
  const gamma = input(call, 1);
  const beta = input(call, 2);
  const runningMeanIn = input(call, 3);
  const runningVarIn = input(call, 4);
  const y = output(call, 0);
  const meanOut = output(call, 1);
  const invstdOut = output(call, 2);
  // The interpreter passes the input buffers again here, so these update in place.
  const runningMeanOut = output(call, 3);
  const runningVarOut = output(call, 4);
  const epilogue = outputEpilogue(call.attrs, call.inputs, y.length, 'batchnorm_train');
  const { outer: batch, length: channels, inner } = viewAround(inputShape(call, 0), 1);
  const count = batch * inner;
  // PyTorch's running variance is unbiased; with a single value per channel (which PyTorch
  // refuses in training) the biased one is used so the running statistics stay finite.
  const unbias = count > 1 ? count / (count - 1) : 1;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let n = 0; n < batch; n++) {
      for (let s = 0; s < inner; s++) sum += x[(n * channels + c) * inner + s]!;
    }
    const mean = sum / count;
    let squares = 0;
    for (let n = 0; n < batch; n++) {
      for (let s = 0; s < inner; s++) {
        const d = x[(n * channels + c) * inner + s]! - mean;
        squares += d * d;
      }
    }
    const variance = squares / count;
    const invstd = 1 / Math.sqrt(variance + eps);
    for (let n = 0; n < batch; n++) {
      for (let s = 0; s < inner; s++) {
        const at = (n * channels + c) * inner + s;
        y[at] = epilogue(gamma[c]! * (x[at]! - mean) * invstd + beta[c]!, at);
      }
    }
    meanOut[c] = mean;
    invstdOut[c] = invstd;
    runningMeanOut[c] = (1 - momentum) * runningMeanIn[c]! + momentum * mean;
    runningVarOut[c] = (1 - momentum) * runningVarIn[c]! + momentum * variance * unbias;
  }
};

export const batchnormInfer: Kernel<'batchnorm_infer'> = (call) => {
  const x = input(call, 0);
  const gamma = input(call, 1);
  const beta = input(call, 2);
  const runningMean = input(call, 3);
  const runningVar = input(call, 4);
  const y = output(call, 0);
  const epilogue = outputEpilogue(call.attrs, call.inputs, y.length, 'batchnorm_infer');
  const { outer: batch, length: channels, inner } = viewAround(inputShape(call, 0), 1);
  for (let c = 0; c < channels; c++) {
    const invstd = 1 / Math.sqrt(runningVar[c]! + call.attrs.eps);
    for (let n = 0; n < batch; n++) {
      for (let s = 0; s < inner; s++) {
        const at = (n * channels + c) * inner + s;
        y[at] = epilogue(gamma[c]! * (x[at]! - runningMean[c]!) * invstd + beta[c]!, at);
      }
    }
  }
};

/**
 * With x̂ = (x − mean)·invstd over the m values of a channel: dbeta = Σ dY,
 * dgamma = Σ dY·x̂, and, because mean and invstd depend on every x of the channel,
 * dX = gamma·invstd/m · (m·dY − dbeta − x̂·dgamma).
 */
export const batchnormGrad: Kernel<'batchnorm_grad'> = (call) => {
  const x = input(call, 0);
  const gamma = input(call, 1);
  const mean = input(call, 2);
  const invstd = input(call, 3);
  const dY = input(call, 4);
  const dX = output(call, 0);
  const dGamma = output(call, 1);
  const dBeta = output(call, 2);
  const { outer: batch, length: channels, inner } = viewAround(inputShape(call, 0), 1);
  const count = batch * inner;
  for (let c = 0; c < channels; c++) {
    let sumDy = 0;
    let sumDyXhat = 0;
    for (let n = 0; n < batch; n++) {
      for (let s = 0; s < inner; s++) {
        const at = (n * channels + c) * inner + s;
        sumDy += dY[at]!;
        sumDyXhat += dY[at]! * (x[at]! - mean[c]!) * invstd[c]!;
      }
    }
    dBeta[c] = sumDy;
    dGamma[c] = sumDyXhat;
    const factor = (gamma[c]! * invstd[c]!) / count;
    for (let n = 0; n < batch; n++) {
      for (let s = 0; s < inner; s++) {
        const at = (n * channels + c) * inner + s;
        const xhat = (x[at]! - mean[c]!) * invstd[c]!;
        dX[at] = factor * (count * dY[at]! - sumDy - xhat * sumDyXhat);
      }
    }
  }
};

export const layernorm: Kernel<'layernorm'> = (call) => {
  const x = input(call, 0);
  const gamma = input(call, 1);
  const beta = input(call, 2);
  const y = output(call, 0);
  const meanOut = output(call, 1);
  const invstdOut = output(call, 2);
  const shape = inputShape(call, 0);
  const batch = batchOf(shape);
  const width = sizeOf(shape.slice(1));
  for (let n = 0; n < batch; n++) {
    const base = n * width;
    let sum = 0;
    for (let j = 0; j < width; j++) sum += x[base + j]!;
    const mean = sum / width;
    let squares = 0;
    for (let j = 0; j < width; j++) {
      const d = x[base + j]! - mean;
      squares += d * d;
    }
    const invstd = 1 / Math.sqrt(squares / width + call.attrs.eps);
    for (let j = 0; j < width; j++) {
      y[base + j] = gamma[j]! * (x[base + j]! - mean) * invstd + beta[j]!;
    }
    meanOut[n] = mean;
    invstdOut[n] = invstd;
  }
};

/**
 * Per sample, with g = dY·gamma (the gradient reaching x̂) over its m elements:
 * dX = invstd/m · (m·g − Σ g − x̂·Σ g·x̂). gamma and beta are shared by the batch, so
 * dgamma = Σ over N of dY·x̂ and dbeta = Σ over N of dY.
 */
export const layernormGrad: Kernel<'layernorm_grad'> = (call) => {
  const x = input(call, 0);
  const gamma = input(call, 1);
  const mean = input(call, 2);
  const invstd = input(call, 3);
  const dY = input(call, 4);
  const dX = output(call, 0);
  const dGamma = output(call, 1);
  const dBeta = output(call, 2);
  const shape = inputShape(call, 0);
  const batch = batchOf(shape);
  const width = sizeOf(shape.slice(1));
  // Summed over the batch in float64 and stored once, so float32 outputs round only once.
  const gammaSums = new Float64Array(width);
  const betaSums = new Float64Array(width);
  for (let n = 0; n < batch; n++) {
    const base = n * width;
    let sumG = 0;
    let sumGXhat = 0;
    for (let j = 0; j < width; j++) {
      const xhat = (x[base + j]! - mean[n]!) * invstd[n]!;
      const g = dY[base + j]! * gamma[j]!;
      sumG += g;
      sumGXhat += g * xhat;
      gammaSums[j] = gammaSums[j]! + dY[base + j]! * xhat;
      betaSums[j] = betaSums[j]! + dY[base + j]!;
    }
    for (let j = 0; j < width; j++) {
      const xhat = (x[base + j]! - mean[n]!) * invstd[n]!;
      const g = dY[base + j]! * gamma[j]!;
      dX[base + j] = (invstd[n]! / width) * (width * g - sumG - xhat * sumGXhat);
    }
  }
  dGamma.set(gammaSums);
  dBeta.set(betaSums);
};
