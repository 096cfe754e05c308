import type { PrimAttrMap } from '../../program.js';
import { imageDims } from './nchw.js';
import type { TapGeometry } from './taps.js';

/*
 * The tap geometry of conv2d and conv_transpose2d from their attributes and run-time
 * shapes, shared by the CPU kernels and the WGSL kernels so both walk the same taps.
 */

type ConvAttrs = PrimAttrMap['conv2d'];
type TransposeAttrs = PrimAttrMap['conv_transpose2d'];

function dims(shape: readonly number[] | undefined, op: string) {
  if (!shape) throw new Error(`compiler bug: \`${op}\` is missing an operand shape`);
  return imageDims(shape, op);
}

/** conv2d's taps from x [N, C, H, W] to y [N, F, H', W']. */
export function convTaps(
  attrs: ConvAttrs,
  xShape: readonly number[] | undefined,
  yShape: readonly number[] | undefined,
  op: string,
): TapGeometry {
  const x = dims(xShape, op);
  const y = dims(yShape, op);
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
 * conv_transpose2d from x [N, C, H, W] to y [N, F, H', W'] is the adjoint of a conv2d from y
 * to x with the same weight [C, F, kh, kw], so it walks that conv2d's taps with the sides
 * swapped. `pad` crops y because conv2d's padding is where y has no element; `outputPad` only
 * makes y larger, which its shape already says.
 */
export function transposeTaps(
  attrs: TransposeAttrs,
  xShape: readonly number[] | undefined,
  yShape: readonly number[] | undefined,
  op: string,
): TapGeometry {
  const x = dims(xShape, op);
  const y = dims(yShape, op);
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
