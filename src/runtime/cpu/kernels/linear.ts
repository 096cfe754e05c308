import type { Buffer, Kernel } from '../kernel.js';
import { activationOutput, derivativeOf, outputEpilogue } from './epilogue.js';
import { operand } from './nchw.js';

/*
 * dense (PyTorch's Linear, weight [units, D]), its gradients, and the bias gradient shared
 * by dense and the convolutions. Every axis before the last of x is a row, so x [N, D] has N
 * rows. Sums are taken in a float64 local and stored once.
 */

/** [units, D] from the weight's shape. */
function weightDims(shape: readonly number[], op: string): [number, number] {
  if (shape.length !== 2) {
    throw new Error(`compiler bug: \`${op}\` expects a [units, D] weight, got [${shape}]`);
  }
  return [shape[0]!, shape[1]!];
}

/**
 * [x, W, b?, res?] → [y]: y[r, u] = act(Σ_d x[r, d]·W[u, d] + b[u] + res[r, u]), act on the
 * float64 sum.
 */
export const dense: Kernel<'dense'> = (call) => {
  const op = 'dense';
  const x = operand(call.inputs, 0, op);
  const w = operand(call.inputs, 1, op);
  const b = call.attrs.bias ? operand(call.inputs, 2, op) : undefined;
  const y = operand(call.outputs, 0, op);
  const [units, depth] = weightDims(operand(call.inputShapes, 1, op), op);
  const epilogue = outputEpilogue(call.attrs, call.inputs, y.length, op);
  const rows = x.length / depth;
  for (let r = 0; r < rows; r++) {
    for (let u = 0; u < units; u++) {
      let sum = b === undefined ? 0 : b[u]!;
      for (let d = 0; d < depth; d++) sum += x[r * depth + d]! * w[u * depth + d]!;
      y[r * units + u] = epilogue(sum, r * units + u);
    }
  }
};

/**
 * [dY, W, y?] → [dX]: dX[r, d] = Σ_u dY[r, u]·W[u, d], times act'(y[r, d]) with
 * `activationGrad` (y the output of the activation that made this dense layer's input).
 */
export const dense_grad_input: Kernel<'dense_grad_input'> = (call) => {
  const op = 'dense_grad_input';
  const dy = operand(call.inputs, 0, op);
  const w = operand(call.inputs, 1, op);
  const dx = operand(call.outputs, 0, op);
  const [units, depth] = weightDims(operand(call.inputShapes, 1, op), op);
  const grad = call.attrs.activationGrad;
  const y = activationOutput(grad, call.inputs, 2, dx.length, op);
  const derivative = grad && derivativeOf(grad);
  const rows = dy.length / units;
  for (let r = 0; r < rows; r++) {
    for (let d = 0; d < depth; d++) {
      let sum = 0;
      for (let u = 0; u < units; u++) sum += dy[r * units + u]! * w[u * depth + d]!;
      const at = r * depth + d;
      dx[at] = derivative && y ? sum * derivative(y[at]!) : sum;
    }
  }
};

/**
 * [dY, x] → [dW, db?]: dW[u, d] = Σ_r dY[r, u]·x[r, d]; with `biasGrad`, db as `bias_grad` of dY
 * writes it (the fusion of the two that saves the WebGPU backend a pass over dY).
 */
export const dense_grad_weight: Kernel<'dense_grad_weight'> = (call) => {
  const op = 'dense_grad_weight';
  const dy = operand(call.inputs, 0, op);
  const x = operand(call.inputs, 1, op);
  const dw = operand(call.outputs, 0, op);
  const [units, depth] = weightDims(operand(call.outputShapes, 0, op), op);
  const rows = dy.length / units;
  for (let u = 0; u < units; u++) {
    for (let d = 0; d < depth; d++) {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += dy[r * units + u]! * x[r * depth + d]!;
      dw[u * depth + d] = sum;
    }
  }
  if (call.attrs.biasGrad) {
    channelSums(dy, operand(call.inputShapes, 0, op), operand(call.outputs, 1, op), op);
  }
};

/**
 * [dY] → [db]: dY is [N, F, ...rest] (rest empty after dense, [H, W] after a convolution) and
 * db[f] sums every element of channel f.
 */
export const bias_grad: Kernel<'bias_grad'> = (call) => {
  const op = 'bias_grad';
  channelSums(
    operand(call.inputs, 0, op),
    operand(call.inputShapes, 0, op),
    operand(call.outputs, 0, op),
    op,
  );
};

/**
 * db[f] = Σ over n and the plane of dY[n, f, ...]: `bias_grad`'s sum, which the weight
 * gradients with `biasGrad` write too, in the same order, so the two agree to the last bit.
 */
export function channelSums(dy: Buffer, shape: readonly number[], db: Buffer, op: string): void {
  const batch = operand(shape, 0, op);
  const channels = operand(shape, 1, op);
  const plane = dy.length / (batch * channels);
  for (let f = 0; f < channels; f++) {
    let sum = 0;
    for (let n = 0; n < batch; n++) {
      const start = (n * channels + f) * plane;
      for (let p = 0; p < plane; p++) sum += dy[start + p]!;
    }
    db[f] = sum;
  }
}
