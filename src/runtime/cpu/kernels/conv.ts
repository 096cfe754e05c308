import type { Kernel } from '../kernel.js';
import { convTaps, transposeTaps } from './convGeometry.js';
import {
  activationOutput,
  applyActivationGrad,
  applyEpilogue,
  outputEpilogue,
} from './epilogue.js';
import { channelSums } from './linear.js';
import { addChannelBias, imageDims, operand } from './nchw.js';
import { sumOverTaps } from './taps.js';

/*
 * conv2d, conv_transpose2d and their gradients, each a sum over the taps of one convolution
 * (see taps.ts). Sums are taken in float64 and stored once, so a float32 run differs from a
 * float64 run only by the rounding of inputs and results, not by the order of additions.
 */

/** [x, W, b?, r?] → [y], then the residual and `activation` on the float64 sums. */
export const conv2d: Kernel<'conv2d'> = (call) => {
  const op = 'conv2d';
  const x = operand(call.inputs, 0, op);
  const w = operand(call.inputs, 1, op);
  const y = operand(call.outputs, 0, op);
  const yShape = operand(call.outputShapes, 0, op);
  const acc = new Float64Array(y.length);
  const taps = convTaps(call.attrs, operand(call.inputShapes, 0, op), yShape, op);
  sumOverTaps(taps, acc, 'output', x, 'input', w, 'weight');
  if (call.attrs.bias) {
    const d = imageDims(yShape, op);
    addChannelBias(acc, operand(call.inputs, 2, op), d.n, d.c, d.h * d.w);
  }
  applyEpilogue(acc, outputEpilogue(call.attrs, call.inputs, y.length, op));
  y.set(acc);
};

/** [dY, W, y?] → [dX], times act'(y) with `activationGrad`. */
export const conv2d_grad_input: Kernel<'conv2d_grad_input'> = (call) => {
  const op = 'conv2d_grad_input';
  const dy = operand(call.inputs, 0, op);
  const w = operand(call.inputs, 1, op);
  const dx = operand(call.outputs, 0, op);
  const dxShape = operand(call.outputShapes, 0, op);
  const acc = new Float64Array(dx.length);
  // Reflect/replicate taps land on the element they copied, so that element collects them.
  const taps = convTaps(call.attrs, dxShape, operand(call.inputShapes, 0, op), op);
  sumOverTaps(taps, acc, 'input', dy, 'output', w, 'weight');
  const grad = call.attrs.activationGrad;
  applyActivationGrad(acc, grad, activationOutput(grad, call.inputs, 2, dx.length, op));
  dx.set(acc);
};

/** [dY, x] → [dW, db?]; with `biasGrad`, db as `bias_grad` of dY writes it. */
export const conv2d_grad_weight: Kernel<'conv2d_grad_weight'> = (call) => {
  const op = 'conv2d_grad_weight';
  const dy = operand(call.inputs, 0, op);
  const x = operand(call.inputs, 1, op);
  const dw = operand(call.outputs, 0, op);
  const xShape = operand(call.inputShapes, 1, op);
  const dyShape = operand(call.inputShapes, 0, op);
  const acc = new Float64Array(dw.length);
  const taps = convTaps(call.attrs, xShape, dyShape, op);
  sumOverTaps(taps, acc, 'weight', dy, 'output', x, 'input');
  dw.set(acc);
  if (call.attrs.biasGrad) channelSums(dy, dyShape, operand(call.outputs, 1, op), op);
};

/** [x, W, b?] → [y]. */
export const conv_transpose2d: Kernel<'conv_transpose2d'> = (call) => {
  const op = 'conv_transpose2d';
  const x = operand(call.inputs, 0, op);
  const w = operand(call.inputs, 1, op);
  const y = operand(call.outputs, 0, op);
  const yShape = operand(call.outputShapes, 0, op);
  const acc = new Float64Array(y.length);
  const taps = transposeTaps(call.attrs, operand(call.inputShapes, 0, op), yShape, op);
  // The underlying conv2d's window side is y and its strided side is x.
  sumOverTaps(taps, acc, 'input', x, 'output', w, 'weight');
  if (call.attrs.bias) {
    const d = imageDims(yShape, op);
    addChannelBias(acc, operand(call.inputs, 2, op), d.n, d.c, d.h * d.w);
  }
  y.set(acc);
};

/** [dY, W] → [dX]: a conv2d of dY, the forward direction of the underlying taps. */
export const conv_transpose2d_grad_input: Kernel<'conv_transpose2d_grad_input'> = (call) => {
  const op = 'conv_transpose2d_grad_input';
  const dy = operand(call.inputs, 0, op);
  const w = operand(call.inputs, 1, op);
  const dx = operand(call.outputs, 0, op);
  const dxShape = operand(call.outputShapes, 0, op);
  const acc = new Float64Array(dx.length);
  const taps = transposeTaps(call.attrs, dxShape, operand(call.inputShapes, 0, op), op);
  sumOverTaps(taps, acc, 'output', dy, 'input', w, 'weight');
  dx.set(acc);
};

/** [dY, x] → [dW]. */
export const conv_transpose2d_grad_weight: Kernel<'conv_transpose2d_grad_weight'> = (call) => {
  const op = 'conv_transpose2d_grad_weight';
  const dy = operand(call.inputs, 0, op);
  const x = operand(call.inputs, 1, op);
  const dw = operand(call.outputs, 0, op);
  const xShape = operand(call.inputShapes, 1, op);
  const acc = new Float64Array(dw.length);
  const taps = transposeTaps(call.attrs, xShape, operand(call.inputShapes, 0, op), op);
  sumOverTaps(taps, acc, 'weight', x, 'output', dy, 'input');
  dw.set(acc);
};
