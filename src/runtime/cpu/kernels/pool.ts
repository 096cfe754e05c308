import type { Pair } from '../../../compiler/ir/ops.js';
import type { PrimAttrMap } from '../../program.js';
import type { Kernel } from '../kernel.js';
import { activationOutput, applyActivationGrad } from './epilogue.js';
import { imageDims, operand } from './nchw.js';
import { forEachTap, type TapGeometry } from './taps.js';

/*
 * Window pools and the antialiasing blur. Each is a depthwise convolution (one group per
 * channel) walked with the same taps as conv2d (see taps.ts): max and mean ignore the weight
 * index, blur uses a fixed 3×3 weight. Taps on zero padding are skipped, which is exactly
 * "pad with −∞" for maxpool and "pad with zeros" for avgpool.
 */

type Window = Pick<TapGeometry, 'kernel' | 'stride' | 'pad' | 'padMode'>;

/** Taps of a per-channel window from x [N, C, H, W] to y [N, C, H', W']. */
function depthwiseTaps(
  window: Window,
  xShape: readonly number[],
  yShape: readonly number[],
  op: string,
): TapGeometry {
  const x = imageDims(xShape, op);
  const y = imageDims(yShape, op);
  return {
    ...window,
    batch: x.n,
    inChannels: x.c,
    outChannels: x.c,
    groups: x.c,
    inSize: [x.h, x.w],
    outSize: [y.h, y.w],
    dilation: [1, 1],
  };
}

function poolWindow(attrs: PrimAttrMap['maxpool']): Window {
  return { kernel: attrs.kernel, stride: attrs.stride, pad: attrs.pad, padMode: 'zeros' };
}

/**
 * Whether `value` replaces the running maximum `best`. Strictly greater keeps the first
 * maximum on ties; a NaN wins and then stays, as in PyTorch, so a diverging run shows NaN
 * instead of a silently finite maximum.
 */
export function beats(value: number, best: number): boolean {
  return value > best || (Number.isNaN(value) && !Number.isNaN(best));
}

/** [x] → [y]. */
export const maxpool: Kernel<'maxpool'> = (call) => {
  const op = 'maxpool';
  const x = operand(call.inputs, 0, op);
  const y = operand(call.outputs, 0, op);
  const xShape = operand(call.inputShapes, 0, op);
  const yShape = operand(call.outputShapes, 0, op);
  const acc = new Float64Array(y.length).fill(-Infinity);
  forEachTap(depthwiseTaps(poolWindow(call.attrs), xShape, yShape, op), (i, _k, o) => {
    if (beats(x[i]!, acc[o]!)) acc[o] = x[i]!;
  });
  y.set(acc);
};

/**
 * [x, dY, y?] → [dX]: each window's gradient goes to its first maximum; times act'(y) with
 * `activationGrad`.
 */
export const maxpool_grad: Kernel<'maxpool_grad'> = (call) => {
  const op = 'maxpool_grad';
  const x = operand(call.inputs, 0, op);
  const dy = operand(call.inputs, 1, op);
  const dx = operand(call.outputs, 0, op);
  const xShape = operand(call.inputShapes, 0, op);
  const dyShape = operand(call.inputShapes, 1, op);
  const best = new Float64Array(dy.length).fill(-Infinity);
  const argmax = new Int32Array(dy.length).fill(-1);
  forEachTap(depthwiseTaps(poolWindow(call.attrs), xShape, dyShape, op), (i, _k, o) => {
    if (beats(x[i]!, best[o]!)) {
      best[o] = x[i]!;
      argmax[o] = i;
    }
  });
  const acc = new Float64Array(dx.length);
  for (let o = 0; o < dy.length; o++) {
    // A window that saw no element (impossible for pad ≤ half the window) passes nothing.
    if (argmax[o]! >= 0) acc[argmax[o]!]! += dy[o]!;
  }
  const grad = call.attrs.activationGrad;
  applyActivationGrad(acc, grad, activationOutput(grad, call.inputs, 2, dx.length, op));
  dx.set(acc);
};

/**
 * [x] → [y]. With `ceil_mode=False` every window lies inside the padded input, so PyTorch's
 * count_include_pad divisor is always the full window area.
 */
export const avgpool: Kernel<'avgpool'> = (call) => {
  const op = 'avgpool';
  const x = operand(call.inputs, 0, op);
  const y = operand(call.outputs, 0, op);
  const xShape = operand(call.inputShapes, 0, op);
  const yShape = operand(call.outputShapes, 0, op);
  const area = call.attrs.kernel[0] * call.attrs.kernel[1];
  const acc = new Float64Array(y.length);
  forEachTap(depthwiseTaps(poolWindow(call.attrs), xShape, yShape, op), (i, _k, o) => {
    acc[o]! += x[i]!;
  });
  for (let o = 0; o < acc.length; o++) acc[o]! /= area;
  y.set(acc);
};

/** [dY, y?] → [dX], times act'(y) with `activationGrad`. */
export const avgpool_grad: Kernel<'avgpool_grad'> = (call) => {
  const op = 'avgpool_grad';
  const dy = operand(call.inputs, 0, op);
  const dx = operand(call.outputs, 0, op);
  const dyShape = operand(call.inputShapes, 0, op);
  const dxShape = operand(call.outputShapes, 0, op);
  const area = call.attrs.kernel[0] * call.attrs.kernel[1];
  const acc = new Float64Array(dx.length);
  forEachTap(depthwiseTaps(poolWindow(call.attrs), dxShape, dyShape, op), (i, _k, o) => {
    acc[i]! += dy[o]! / area;
  });
  const grad = call.attrs.activationGrad;
  applyActivationGrad(acc, grad, activationOutput(grad, call.inputs, 1, dx.length, op));
  dx.set(acc);
};

/** [1, 2, 1]ᵀ[1, 2, 1] / 16, row-major. */
const BINOMIAL = [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16);

/**
 * The blur: a 3×3 window at `stride` with one pixel of edge replication. Its taps' weight
 * index is channel·9 + position in the window, so `k % 9` picks the binomial weight.
 */
function blurWindow(stride: Pair): Window {
  return { kernel: [3, 3], stride, pad: [1, 1], padMode: 'replicate' };
}

/** [x] → [y]. */
export const blur: Kernel<'blur'> = (call) => {
  const op = 'blur';
  const x = operand(call.inputs, 0, op);
  const y = operand(call.outputs, 0, op);
  const xShape = operand(call.inputShapes, 0, op);
  const yShape = operand(call.outputShapes, 0, op);
  const acc = new Float64Array(y.length);
  forEachTap(depthwiseTaps(blurWindow(call.attrs.stride), xShape, yShape, op), (i, k, o) => {
    acc[o]! += x[i]! * BINOMIAL[k % 9]!;
  });
  y.set(acc);
};

/** [dY] → [dX]: a replicated edge pixel collects the gradient of each of its copies. */
export const blur_grad: Kernel<'blur_grad'> = (call) => {
  const op = 'blur_grad';
  const dy = operand(call.inputs, 0, op);
  const dx = operand(call.outputs, 0, op);
  const dyShape = operand(call.inputShapes, 0, op);
  const dxShape = operand(call.outputShapes, 0, op);
  const acc = new Float64Array(dx.length);
  forEachTap(depthwiseTaps(blurWindow(call.attrs.stride), dxShape, dyShape, op), (i, k, o) => {
    acc[i]! += dy[o]! * BINOMIAL[k % 9]!;
  });
  dx.set(acc);
};
