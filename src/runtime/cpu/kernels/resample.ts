import type { PrimAttrMap } from '../../program.js';
import type { Kernel } from '../kernel.js';
import { imageDims, operand } from './nchw.js';

/*
 * upsample and its gradient. Both modes are linear maps in which every output pixel is a
 * weighted sum of input pixels, separately along height and width; the forward kernel and
 * the gradient walk the same (input, weight, output) triples in opposite directions.
 */

type UpsampleAttrs = PrimAttrMap['upsample'];

interface AxisTap {
  readonly index: number;
  readonly weight: number;
}

/** For each output coordinate of one axis, the input coordinates it reads and their weights. */
function axisTaps(inSize: number, outSize: number, attrs: UpsampleAttrs): AxisTap[][] {
  const taps: AxisTap[][] = [];
  for (let o = 0; o < outSize; o++) {
    if (attrs.mode === 'nearest') {
      taps.push([{ index: Math.floor(o / attrs.scale), weight: 1 }]);
      continue;
    }
    // align_corners=false lines up pixel centres: output o + ½ sits at input (o + ½)/scale.
    // PyTorch clamps sources left of the first centre to it, and past the last centre both
    // neighbours are the last pixel.
    const source = Math.max((o + 0.5) / attrs.scale - 0.5, 0);
    const below = Math.floor(source);
    const fraction = source - below;
    const above = Math.min(below + 1, inSize - 1);
    taps.push([
      { index: below, weight: 1 - fraction },
      { index: above, weight: fraction },
    ]);
  }
  return taps;
}

/** Calls `visit(input, weight, output)` for every pair of pixels the resampling joins. */
function forEachResampleTap(
  attrs: UpsampleAttrs,
  xShape: readonly number[],
  yShape: readonly number[],
  op: string,
  visit: (input: number, weight: number, output: number) => void,
): void {
  const x = imageDims(xShape, op);
  const y = imageDims(yShape, op);
  const rows = axisTaps(x.h, y.h, attrs);
  const cols = axisTaps(x.w, y.w, attrs);
  for (let p = 0; p < x.n * x.c; p++) {
    for (let oy = 0; oy < y.h; oy++) {
      for (let ox = 0; ox < y.w; ox++) {
        const output = (p * y.h + oy) * y.w + ox;
        for (const row of rows[oy]!) {
          for (const col of cols[ox]!) {
            visit((p * x.h + row.index) * x.w + col.index, row.weight * col.weight, output);
          }
        }
      }
    }
  }
}

/** [x] → [y]. */
export const upsample: Kernel<'upsample'> = (call) => {
  const op = 'upsample';
  const x = operand(call.inputs, 0, op);
  const y = operand(call.outputs, 0, op);
  const xShape = operand(call.inputShapes, 0, op);
  const acc = new Float64Array(y.length);
  forEachResampleTap(call.attrs, xShape, operand(call.outputShapes, 0, op), op, (i, w, o) => {
    acc[o]! += w * x[i]!;
  });
  y.set(acc);
};

/** [dY] → [dX]. */
export const upsample_grad: Kernel<'upsample_grad'> = (call) => {
  const op = 'upsample_grad';
  const dy = operand(call.inputs, 0, op);
  const dx = operand(call.outputs, 0, op);
  const dxShape = operand(call.outputShapes, 0, op);
  const acc = new Float64Array(dx.length);
  forEachResampleTap(call.attrs, dxShape, operand(call.inputShapes, 0, op), op, (i, w, o) => {
    acc[i]! += w * dy[o]!;
  });
  dx.set(acc);
};
