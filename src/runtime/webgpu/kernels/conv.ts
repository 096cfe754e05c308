import type { PrimAttrMap } from '../../program.js';
import { input, output, type WgslKernel } from './kernel.js';
import { gatherInput, gatherOutput, gatherWeight, imageDims, type TapGeometry } from './taps.js';

/*
 * conv2d, conv_transpose2d and their gradients (cpu/kernels/conv.ts) as the gathers of
 * taps.ts. A conv2d from x to y reads x on the window side and writes y on the strided side;
 * a conv_transpose2d from x to y is the adjoint of the conv2d from y to x with the same
 * weight [C, F, kh, kw], so its forward pass is that conv2d's input gradient, its input
 * gradient that conv2d's forward pass, and its weight gradient that conv2d's weight gradient
 * with the sides swapped.
 */

type ConvAttrs = PrimAttrMap['conv2d'];
type TransposeAttrs = PrimAttrMap['conv_transpose2d'];

/** conv2d's taps from x [N, C, H, W] to y [N, F, H', W']. */
function convTaps(
  attrs: ConvAttrs,
  xShape: readonly number[] | undefined,
  yShape: readonly number[] | undefined,
  op: string,
): TapGeometry {
  const x = imageDims(xShape, op);
  const y = imageDims(yShape, op);
  return {
    batch: x.n,
    inChannels: x.c,
    outChannels: y.c,
    groups: attrs.groups,
    inSize: [x.h, x.w],
    outSize: [y.h, y.w],
    kernel: attrs.kernel,
    stride: attrs.stride,
    pad: attrs.pad,
    dilation: attrs.dilation,
    padMode: attrs.padMode,
  };
}

/**
 * The conv2d from y [N, F, H', W'] (window side) to x [N, C, H, W] (strided side) whose
 * adjoint is the conv_transpose2d from x to y; `outputPad` only enlarges y.
 */
function transposeTaps(
  attrs: TransposeAttrs,
  xShape: readonly number[] | undefined,
  yShape: readonly number[] | undefined,
  op: string,
): TapGeometry {
  const x = imageDims(xShape, op);
  const y = imageDims(yShape, op);
  return {
    batch: x.n,
    inChannels: y.c,
    outChannels: x.c,
    groups: 1,
    inSize: [y.h, y.w],
    outSize: [x.h, x.w],
    kernel: attrs.kernel,
    stride: attrs.stride,
    pad: attrs.pad,
    dilation: attrs.dilation,
    padMode: 'zeros',
  };
}

/** [x, W, b?] → [y]. */
export const conv2d: WgslKernel<'conv2d'> = (call) => [
  gatherOutput(call, {
    label: 'conv2d',
    geometry: convTaps(call.attrs, call.inputShapes[0], call.outputShapes[0], 'conv2d'),
    from: input(0),
    to: output(0),
    weight: { kind: 'tensor', operand: input(1) },
    ...(call.attrs.bias ? { bias: input(2) } : {}),
  }),
];

/** [dY, W] → [dX]. */
export const conv2dGradInput: WgslKernel<'conv2d_grad_input'> = (call) => [
  gatherInput(call, {
    label: 'conv2d_grad_input',
    geometry: convTaps(call.attrs, call.outputShapes[0], call.inputShapes[0], call.op),
    from: input(0),
    to: output(0),
    weight: { kind: 'tensor', operand: input(1) },
  }),
];

/** [dY, x] → [dW]. */
export const conv2dGradWeight: WgslKernel<'conv2d_grad_weight'> = (call) => [
  gatherWeight(call, {
    label: 'conv2d_grad_weight',
    geometry: convTaps(call.attrs, call.inputShapes[1], call.inputShapes[0], call.op),
    from: input(0),
    window: input(1),
    to: output(0),
  }),
];

/** [x, W, b?] → [y]. */
export const convTranspose2d: WgslKernel<'conv_transpose2d'> = (call) => [
  gatherInput(call, {
    label: 'conv_transpose2d',
    geometry: transposeTaps(call.attrs, call.inputShapes[0], call.outputShapes[0], call.op),
    from: input(0),
    to: output(0),
    weight: { kind: 'tensor', operand: input(1) },
    ...(call.attrs.bias ? { bias: input(2) } : {}),
  }),
];

/** [dY, W] → [dX]. */
export const convTranspose2dGradInput: WgslKernel<'conv_transpose2d_grad_input'> = (call) => [
  gatherOutput(call, {
    label: 'conv_transpose2d_grad_input',
    geometry: transposeTaps(call.attrs, call.outputShapes[0], call.inputShapes[0], call.op),
    from: input(0),
    to: output(0),
    weight: { kind: 'tensor', operand: input(1) },
  }),
];

/** [dY, x] → [dW]: the underlying conv2d's strided side is x, its window side dY. */
export const convTranspose2dGradWeight: WgslKernel<'conv_transpose2d_grad_weight'> = (call) => [
  gatherWeight(call, {
    label: 'conv_transpose2d_grad_weight',
    geometry: transposeTaps(call.attrs, call.inputShapes[1], call.inputShapes[0], call.op),
    from: input(1),
    window: input(0),
    to: output(0),
  }),
];
