import type { TapGeometry } from './taps.js';

/*
 * The convolution taps of taps.ts, for zero padding, computed through im2col: per sample
 * and group, the input windows are copied into a [K, P] matrix (K = channels·kh·kw taps, P =
 * output positions), so each of the three sums becomes a matrix product whose innermost loop
 * runs over P contiguous numbers. Same sums as `sumOverTaps`, several times faster, which is
 * what lets the examples' CNNs train on the CPU in a test run. Reflect and replicate padding
 * keep using the tap tables.
 */

/** What is accumulated. */
export type ConvSum =
  /** output[o] += input[i] · weight[k]: conv2d forward. */
  | 'output'
  /** input[i] += output[o] · weight[k]: conv2d's input gradient. */
  | 'input'
  /** weight[k] += output[o] · input[i]: conv2d's weight gradient. */
  | 'weight';

export function convLoops(
  g: TapGeometry,
  sum: ConvSum,
  input: ArrayLike<number>,
  weight: ArrayLike<number>,
  output: ArrayLike<number>,
): void {
  const inPerGroup = g.inChannels / g.groups;
  const outPerGroup = g.outChannels / g.groups;
  const taps = inPerGroup * g.kernel[0] * g.kernel[1];
  const positions = g.outSize[0] * g.outSize[1];
  const inSample = g.inChannels * g.inSize[0] * g.inSize[1];
  const outSample = g.outChannels * positions;
  const cols = new Float64Array(taps * positions);
  for (let n = 0; n < g.batch; n++) {
    for (let group = 0; group < g.groups; group++) {
      const inBase = n * inSample + group * inPerGroup * g.inSize[0] * g.inSize[1];
      if (sum === 'input') cols.fill(0);
      else windows(g, input, inBase, cols, false);
      for (let f = group * outPerGroup; f < (group + 1) * outPerGroup; f++) {
        const outRow = n * outSample + f * positions;
        for (let k = 0; k < taps; k++) {
          const col = k * positions;
          if (sum === 'output') {
            const w = weight[f * taps + k]!;
            const acc = output as Float64Array;
            for (let p = 0; p < positions; p++) acc[outRow + p]! += w * cols[col + p]!;
          } else if (sum === 'input') {
            const w = weight[f * taps + k]!;
            for (let p = 0; p < positions; p++) cols[col + p]! += w * output[outRow + p]!;
          } else {
            let s = 0;
            for (let p = 0; p < positions; p++) s += output[outRow + p]! * cols[col + p]!;
            (weight as Float64Array)[f * taps + k]! += s;
          }
        }
      }
      if (sum === 'input') windows(g, input, inBase, cols, true);
    }
  }
}

/**
 * Copies (`add` false) the windows of one sample and group into `cols` [K, P], zeros where
 * a window reaches into the padding; or (`add` true) adds `cols` back onto the input
 * positions the windows read (the adjoint, for the input gradient).
 */
function windows(
  g: TapGeometry,
  image: Float64Array | ArrayLike<number>,
  base: number,
  cols: Float64Array,
  add: boolean,
): void {
  const [inH, inW] = g.inSize;
  const [outH, outW] = g.outSize;
  const [kh, kw] = g.kernel;
  const [sy, sx] = g.stride;
  const inPerGroup = g.inChannels / g.groups;
  const positions = outH * outW;
  for (let c = 0; c < inPerGroup; c++) {
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) {
        const row = ((c * kh + ky) * kw + kx) * positions;
        const shift = kx * g.dilation[1] - g.pad[1];
        for (let oy = 0; oy < outH; oy++) {
          const iy = oy * sy - g.pad[0] + ky * g.dilation[0];
          const cell = row + oy * outW;
          const plane = base + (c * inH + iy) * inW + shift;
          const rowInside = iy >= 0 && iy < inH;
          for (let ox = 0; ox < outW; ox++) {
            const ix = ox * sx + shift;
            const inside = rowInside && ix >= 0 && ix < inW;
            if (add) {
              if (inside) (image as Float64Array)[plane + ox * sx]! += cols[cell + ox]!;
            } else {
              cols[cell + ox] = inside ? image[plane + ox * sx]! : 0;
            }
          }
        }
      }
    }
  }
}
