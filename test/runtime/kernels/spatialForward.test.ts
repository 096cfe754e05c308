import { describe, expect, it } from 'vitest';
import { spatialKernels as k } from '../../../src/runtime/cpu/kernels/spatial.js';
import { convAttrs } from './spatialCases.js';
import { EXACT, expectClose, run1 } from './spatialHarness.js';

/*
 * Forward values against small cases computed by hand (the arithmetic is in the comments).
 * Tolerance: EXACT (1e-12), since every value is a short sum of small numbers.
 */

/** 1..9 as a [1, 1, 3, 3] image: rows [1 2 3] [4 5 6] [7 8 9]. */
const nine = { data: [1, 2, 3, 4, 5, 6, 7, 8, 9], shape: [1, 1, 3, 3] };
/** The 2×2 weight [[1, 2], [3, 4]] of a 1→1 channel convolution. */
const w2 = { data: [1, 2, 3, 4], shape: [1, 1, 2, 2] };
const noBias = { filters: 1, kernel: [2, 2], bias: false } as const;

describe('dense computes x·Wᵀ + b', () => {
  it('multiplies each row by the weight and adds the bias', () => {
    const x = { data: [1, 2, -1, 0.5], shape: [2, 2] };
    const w = { data: [1, 0, 0, 1, 1, 1], shape: [3, 2] };
    const b = { data: [0.5, -0.5, 0], shape: [3] };
    // row 1: [1, 2, 3] + b; row 2: [-1, 0.5, -0.5] + b
    const y = run1(k.dense, { bias: true }, [x, w, b], [2, 3]);
    expectClose(y, [1.5, 1.5, 3, -0.5, 0, -0.5], EXACT);
  });

  it('leaves the bias out when it has none', () => {
    const x = { data: [3], shape: [1, 1] };
    const w = { data: [2, -1], shape: [2, 1] };
    expectClose(run1(k.dense, { bias: false }, [x, w], [1, 2]), [6, -3], EXACT);
  });
});

describe('conv2d matches hand-computed values', () => {
  it('slides a 2×2 kernel over a 3×3 input at stride 1', () => {
    // y00 = 1·1 + 2·2 + 3·4 + 4·5 = 37, then 47, 67, 77; plus bias 0.5
    const b = { data: [0.5], shape: [1] };
    const y = run1(
      k.conv2d,
      convAttrs({ filters: 1, kernel: [2, 2] }),
      [nine, w2, b],
      [1, 1, 2, 2],
    );
    expectClose(y, [37.5, 47.5, 67.5, 77.5], EXACT);
  });

  it('pads with zeros at stride 2, pad 1', () => {
    // windows start at rows/cols −1 and 1: (0,0) sees only x00·w11 = 4;
    // (0,1) sees x01·w10 + x02·w11 = 6 + 12; (1,0) sees x10·w01 + x20·w11 = 8 + 28; (1,1) = 77
    const attrs = convAttrs({ ...noBias, stride: [2, 2], pad: [1, 1] });
    expectClose(run1(k.conv2d, attrs, [nine, w2], [1, 1, 2, 2]), [4, 18, 36, 77], EXACT);
  });

  it('spreads the kernel taps apart with dilation 2', () => {
    // taps on the corners: 1·1 + 2·3 + 3·7 + 4·9 = 64
    const attrs = convAttrs({ ...noBias, dilation: [2, 2] });
    expectClose(run1(k.conv2d, attrs, [nine, w2], [1, 1, 1, 1]), [64], EXACT);
  });

  it('keeps two groups apart', () => {
    // filter 0 sees channels 0, 1: 10·1 + 20·2 = 50; filter 1 sees channels 2, 3: 30·3 + 40·4 = 250
    const x = { data: [1, 2, 3, 4], shape: [1, 4, 1, 1] };
    const w = { data: [10, 20, 30, 40], shape: [2, 2, 1, 1] };
    const attrs = convAttrs({ filters: 2, kernel: [1, 1], groups: 2, bias: false });
    expectClose(run1(k.conv2d, attrs, [x, w], [1, 2, 1, 1]), [50, 250], EXACT);
  });

  // A 3×3 kernel that only reads its top-left tap shifts the image by one pixel, so the first
  // row and column of the output show the padding itself.
  const shiftWeight = { data: [1, 0, 0, 0, 0, 0, 0, 0, 0], shape: [1, 1, 3, 3] };
  const shift = (padMode: 'zeros' | 'reflect' | 'replicate') =>
    run1(
      k.conv2d,
      convAttrs({ filters: 1, kernel: [3, 3], pad: [1, 1], bias: false, padMode }),
      [nine, shiftWeight],
      [1, 1, 3, 3],
    );

  it('pads with zeros by default', () => {
    expectClose(shift('zeros'), [0, 0, 0, 0, 1, 2, 0, 4, 5], EXACT);
  });

  it('mirrors without repeating the edge with reflect padding', () => {
    // row −1 reads row 1 and column −1 reads column 1
    expectClose(shift('reflect'), [5, 4, 5, 2, 1, 2, 5, 4, 5], EXACT);
  });

  it('repeats the edge with replicate padding', () => {
    expectClose(shift('replicate'), [1, 1, 2, 1, 1, 2, 4, 4, 5], EXACT);
  });

  it('reflects two pixels deep on a 3-wide row', () => {
    // padded row of [1, 2, 3] with 2 on each side: 3 2 | 1 2 3 | 2 1
    const row = { data: [1, 2, 3], shape: [1, 1, 1, 3] };
    const one = { data: [1], shape: [1, 1, 1, 1] };
    const attrs = (padMode: 'reflect' | 'replicate') =>
      convAttrs({ filters: 1, kernel: [1, 1], pad: [0, 2], bias: false, padMode });
    const out = [1, 1, 1, 7];
    expectClose(run1(k.conv2d, attrs('reflect'), [row, one], out), [3, 2, 1, 2, 3, 2, 1], EXACT);
    expectClose(run1(k.conv2d, attrs('replicate'), [row, one], out), [1, 1, 1, 2, 3, 3, 3], EXACT);
  });
});

describe('conv_transpose2d matches hand-computed values', () => {
  it('tiles the kernel at stride 2 and leaves the output-padding row and column to the bias', () => {
    // each x[i][j] stamps x·[[1, 10], [100, 1000]] at (2i, 2j); outputPad adds row 4 and column 4
    const x = { data: [1, 2, 3, 4], shape: [1, 1, 2, 2] };
    const w = { data: [1, 10, 100, 1000], shape: [1, 1, 2, 2] };
    const b = { data: [0.5], shape: [1] };
    const attrs = {
      filters: 1,
      kernel: [2, 2],
      stride: [2, 2],
      pad: [0, 0],
      outputPad: [1, 1],
      dilation: [1, 1],
      bias: true,
    } as const;
    const expected = [
      [1, 10, 2, 20, 0],
      [100, 1000, 200, 2000, 0],
      [3, 30, 4, 40, 0],
      [300, 3000, 400, 4000, 0],
      [0, 0, 0, 0, 0],
    ].flatMap((row) => row.map((v) => v + 0.5));
    expectClose(run1(k.conv_transpose2d, attrs, [x, w, b], [1, 1, 5, 5]), expected, EXACT);
  });

  it('adds overlapping stamps and crops the padding', () => {
    // x = [1, 2], kernel [1, 2, 3], stride 2: full output [1, 2, 3+2, 4, 6];
    // pad 1 crops the first element, outputPad 1 keeps the last: [2, 5, 4, 6]
    const x = { data: [1, 2], shape: [1, 1, 1, 2] };
    const w = { data: [1, 2, 3], shape: [1, 1, 1, 3] };
    const attrs = {
      filters: 1,
      kernel: [1, 3],
      stride: [1, 2],
      pad: [0, 1],
      outputPad: [0, 1],
      dilation: [1, 1],
      bias: false,
    } as const;
    expectClose(run1(k.conv_transpose2d, attrs, [x, w], [1, 1, 1, 4]), [2, 5, 4, 6], EXACT);
  });

  it('maps C input channels to F output channels through a [C, F, kh, kw] weight', () => {
    // y_f = Σ_c x_c·W[c, f]: y0 = 1·1 + 2·3 = 7, y1 = 1·2 + 2·4 = 10, y2 = 1·5 + 2·6 = 17
    const x = { data: [1, 2], shape: [1, 2, 1, 1] };
    const w = { data: [1, 2, 5, 3, 4, 6], shape: [2, 3, 1, 1] };
    const attrs = {
      filters: 3,
      kernel: [1, 1],
      stride: [1, 1],
      pad: [0, 0],
      outputPad: [0, 0],
      dilation: [1, 1],
      bias: false,
    } as const;
    expectClose(run1(k.conv_transpose2d, attrs, [x, w], [1, 3, 1, 1]), [7, 10, 17], EXACT);
  });
});

describe('pools match hand-computed values', () => {
  const pool = { kernel: [2, 2], stride: [2, 2], pad: [1, 1] } as const;

  it('maxpool pads with −∞, so padding never wins even over negative values', () => {
    // windows: {−1}, {−2, −3}, {−4, −7}, {−5, −6, −8, −9}
    const x = { data: nine.data.map((v) => -v), shape: nine.shape };
    expectClose(run1(k.maxpool, pool, [x], [1, 1, 2, 2]), [-1, -2, -4, -5], EXACT);
  });

  it('avgpool counts the zero padding in the divisor', () => {
    // 1/4, (2 + 3)/4, (4 + 7)/4, (5 + 6 + 8 + 9)/4
    expectClose(run1(k.avgpool, pool, [nine], [1, 1, 2, 2]), [0.25, 1.25, 2.75, 7], EXACT);
  });

  it('maxpool makes a window holding a NaN NaN, as PyTorch does', () => {
    const x = { data: [1, Number.NaN, 3, 4], shape: [1, 1, 2, 2] };
    const y = run1(k.maxpool, { kernel: [2, 2], stride: [2, 2], pad: [0, 0] }, [x], [1, 1, 1, 1]);
    expect(Number.isNaN(y[0])).toBe(true);
  });

  it('maxpool_grad sends a tied window’s gradient to its first maximum', () => {
    const x = { data: [0, 7, 7, 7], shape: [1, 1, 2, 2] };
    const dy = { data: [5], shape: [1, 1, 1, 1] };
    const attrs = { kernel: [2, 2], stride: [2, 2], pad: [0, 0] } as const;
    expectClose(run1(k.maxpool_grad, attrs, [x, dy], [1, 1, 2, 2]), [0, 5, 0, 0], EXACT);
  });

  it('global pools reduce each channel plane', () => {
    const x = { data: [1, 5, 3, 2, -1, -4, -2, -3], shape: [1, 2, 2, 2] };
    expectClose(run1(k.global_avgpool, {}, [x], [1, 2]), [2.75, -2.5], EXACT);
    expectClose(run1(k.global_maxpool, {}, [x], [1, 2]), [5, -1], EXACT);
  });

  it('global_maxpool_grad sends a tied plane’s gradient to its first maximum', () => {
    const x = { data: [2, 9, 9, 1], shape: [1, 1, 2, 2] };
    const dy = { data: [3], shape: [1, 1] };
    expectClose(run1(k.global_maxpool_grad, {}, [x, dy], [1, 1, 2, 2]), [0, 3, 0, 0], EXACT);
  });
});

describe('blur matches hand-computed values', () => {
  it('keeps a constant map constant at every stride, down to a 1×1 map', () => {
    for (const [h, w, stride] of [
      [5, 4, 2],
      [3, 7, 3],
      [1, 1, 1],
      [2, 1, 2],
    ] as const) {
      const x = { data: new Array<number>(2 * h * w).fill(3.5), shape: [1, 2, h, w] };
      const out = [1, 2, Math.floor((h - 1) / stride) + 1, Math.floor((w - 1) / stride) + 1];
      const y = run1(k.blur, { stride: [stride, stride] }, [x], out);
      expectClose(y, new Array<number>(y.length).fill(3.5), EXACT);
    }
  });

  it('spreads an impulse into the binomial filter', () => {
    const x = { data: [0, 0, 0, 0, 16, 0, 0, 0, 0], shape: [1, 1, 3, 3] };
    const y = run1(k.blur, { stride: [1, 1] }, [x], [1, 1, 3, 3]);
    expectClose(y, [1, 2, 1, 2, 4, 2, 1, 2, 1], EXACT);
  });

  it('replicates the edge, so a corner keeps (1 + 2)²/16 of itself', () => {
    const x = { data: [16, 0, 0, 0, 0, 0, 0, 0, 0], shape: [1, 1, 3, 3] };
    const y = run1(k.blur, { stride: [1, 1] }, [x], [1, 1, 3, 3]);
    // rows: taps −1 and 0 both read row 0 (weights 1 + 2), tap 1 reads it from row 1 (weight 1)
    expectClose(y, [9, 3, 0, 3, 1, 0, 0, 0, 0], EXACT);
  });
});

describe('upsample matches PyTorch', () => {
  const x = { data: [1, 2, 3, 4], shape: [1, 1, 2, 2] };

  it('nearest copies each pixel into a scale×scale block', () => {
    const y = run1(k.upsample, { scale: 2, mode: 'nearest' }, [x], [1, 1, 4, 4]);
    expectClose(y, [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4], EXACT);
  });

  it('nearest at scale 3 repeats a row three times', () => {
    const row = { data: [5, 6], shape: [1, 1, 1, 2] };
    const y = run1(k.upsample, { scale: 3, mode: 'nearest' }, [row], [1, 1, 3, 6]);
    expectClose(y, [5, 5, 5, 6, 6, 6, 5, 5, 5, 6, 6, 6, 5, 5, 5, 6, 6, 6], EXACT);
  });

  it('bilinear with align_corners=false interpolates between pixel centres of a 2×2 map', () => {
    // sources per axis: −0.25 → 0 (clamped), 0.25, 0.75, 1.25 → 1 (past the last centre)
    const y = run1(k.upsample, { scale: 2, mode: 'bilinear' }, [x], [1, 1, 4, 4]);
    expectClose(
      y,
      [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4],
      EXACT,
    );
  });

  it('bilinear at scale 1 is the identity', () => {
    const y = run1(k.upsample, { scale: 1, mode: 'bilinear' }, [x], [1, 1, 2, 2]);
    expectClose(y, x.data, EXACT);
  });
});
