import { describe, expect, it } from 'vitest';
import {
  checkErrorCase,
  checkShapeCase,
  errorTitle,
  failure,
  same,
  shapeTitle,
  succeed,
  trainableCount,
  valid,
  type ErrorCase,
  type RawArgs,
  type ShapeCase,
} from './harness.js';

const big = 2 ** 31 - 1;

describe('conv2d maps shapes', () => {
  const cases: ShapeCase[] = [
    { op: 'conv2d', args: { filters: 16, k: 3 }, inputs: [[3, 32, 32]], output: [16, 30, 30] },
    {
      op: 'conv2d',
      args: { filters: 6, k: 5, pad: 2 },
      inputs: [[1, 28, 28]],
      output: [6, 28, 28],
    },
    { op: 'conv2d', args: { filters: 16, k: 5 }, inputs: [[6, 14, 14]], output: [16, 10, 10] },
    {
      op: 'conv2d',
      args: { filters: 128, k: 3, stride: 2, pad: 1 },
      inputs: [[64, 56, 56]],
      output: [128, 28, 28],
    },
    {
      op: 'conv2d',
      args: { filters: 64, k: 7, stride: 2, pad: 3 },
      inputs: [[3, 224, 224]],
      output: [64, 112, 112],
    },
    {
      op: 'conv2d',
      args: { filters: 64, k: 11, stride: 4, pad: 2 },
      inputs: [[3, 224, 224]],
      output: [64, 55, 55],
    },
    {
      op: 'conv2d',
      args: { filters: 32, k: 5, pad: same },
      inputs: [[192, 28, 28]],
      output: [32, 28, 28],
    },
    {
      op: 'conv2d',
      args: { filters: 8, k: 3, pad: valid },
      inputs: [[1, 5, 5]],
      output: [8, 3, 3],
    },
    {
      op: 'conv2d',
      args: { filters: 4, k: 3, dilation: 2 },
      inputs: [[1, 7, 7]],
      output: [4, 3, 3],
    },
    {
      op: 'conv2d',
      args: { filters: 4, k: 3, dilation: 2, pad: same },
      inputs: [[1, 7, 7]],
      output: [4, 7, 7],
    },
    {
      op: 'conv2d',
      args: { filters: 8, k: [1, 7], pad: [0, 3] },
      inputs: [[8, 17, 17]],
      output: [8, 17, 17],
    },
    {
      op: 'conv2d',
      args: { filters: 8, k: [3, 5], pad: same },
      inputs: [[8, 17, 19]],
      output: [8, 17, 19],
    },
    {
      op: 'conv2d',
      args: { filters: 2, k: 3, stride: [2, 1] },
      inputs: [[1, 9, 9]],
      output: [2, 4, 7],
    },
    { op: 'conv2d', args: { filters: 4, k: 1 }, inputs: [[3, 1, 1]], output: [4, 1, 1] },
    {
      op: 'conv2d',
      args: { filters: 2, k: 3, stride: 2 },
      inputs: [[1, 13, 13]],
      output: [2, 6, 6],
    },
    {
      op: 'conv2d',
      args: { filters: 2, k: 3, stride: 2 },
      inputs: [[1, 7, 11]],
      output: [2, 3, 5],
    },
    { op: 'conv2d', args: { filters: 10, k: 5 }, inputs: [[1, 5, 5]], output: [10, 1, 1] },
    { op: 'conv2d', args: { filters: 1, k: 1, stride: 5 }, inputs: [[1, 3, 3]], output: [1, 1, 1] },
    {
      op: 'conv2d',
      args: { filters: 64, k: 3, pad: 1, groups: 32 },
      inputs: [[32, 8, 8]],
      output: [64, 8, 8],
    },
    {
      op: 'conv2d',
      args: { filters: 3, k: 3, pad: 1, pad_mode: 'reflect' },
      inputs: [[3, 2, 2]],
      output: [3, 2, 2],
    },
    {
      op: 'conv2d',
      args: { filters: 3, k: 5, pad: 4, pad_mode: 'replicate' },
      inputs: [[3, 2, 2]],
      output: [3, 6, 6],
    },
    {
      op: 'conv2d',
      args: { filters: 5, k: 3, stride: 3, dilation: 2, groups: 5 },
      inputs: [[5, 23, 29]],
      output: [5, 7, 9],
    },
  ];
  it.each(cases.map((c) => [shapeTitle(c), c] as const))('%s', (_, c) => checkShapeCase(c));
});

describe('conv2d rejects', () => {
  const cases: ErrorCase[] = [
    {
      op: 'conv2d',
      args: { filters: 1, k: 5 },
      inputs: [[3, 3, 3]],
      because: 'the kernel is larger than the input',
      code: 'NETC3002',
      says: 'kernel 5×5 does not fit input 3×3 (with padding 0)',
    },
    {
      op: 'conv2d',
      args: { filters: 1, k: 3, dilation: 3 },
      inputs: [[1, 6, 6]],
      because: 'the dilated kernel spans 7 pixels',
      code: 'NETC3002',
      says: 'kernel 3×3 with dilation 3 (spanning 7×7) does not fit input 6×6',
    },
    {
      op: 'conv2d',
      args: { filters: 1, k: [1, 9], pad: [0, 1] },
      inputs: [[1, 9, 6]],
      because: 'the kernel is too wide for the padded input',
      code: 'NETC3002',
      says: 'with padding (0, 1)',
    },
    {
      op: 'conv2d',
      args: { filters: 0, k: 3 },
      inputs: [[3, 8, 8]],
      because: 'zero filters are meaningless',
      code: 'NETC3006',
      arg: 'filters',
    },
    {
      op: 'conv2d',
      args: { filters: 4, k: [3, 0] },
      inputs: [[3, 8, 8]],
      because: 'a kernel axis is zero',
      code: 'NETC3006',
      arg: 'k',
      says: 'got (3, 0)',
    },
    {
      op: 'conv2d',
      args: { filters: 4, k: 3, stride: 0 },
      inputs: [[3, 8, 8]],
      because: 'a zero stride never moves',
      code: 'NETC3006',
      arg: 'stride',
    },
    {
      op: 'conv2d',
      args: { filters: 4, k: 3, dilation: 0 },
      inputs: [[3, 8, 8]],
      because: 'dilation must be at least 1',
      code: 'NETC3006',
      arg: 'dilation',
    },
    {
      op: 'conv2d',
      args: { filters: 4, k: 3, groups: 0 },
      inputs: [[4, 8, 8]],
      because: 'zero groups are meaningless',
      code: 'NETC3006',
      arg: 'groups',
    },
    {
      op: 'conv2d',
      args: { filters: 4, k: 3, pad: -1 },
      inputs: [[4, 8, 8]],
      because: 'padding cannot be negative',
      code: 'NETC3006',
      arg: 'pad',
    },
    {
      op: 'conv2d',
      args: { filters: 16, k: 3, groups: 3 },
      inputs: [[3, 8, 8]],
      because: 'the groups do not divide the filters',
      code: 'NETC3005',
      arg: 'groups',
      says: 'does not divide the 16 filters',
    },
    {
      op: 'conv2d',
      args: { filters: 4, k: 3, groups: 2 },
      inputs: [[3, 8, 8]],
      because: 'the groups do not divide the input channels',
      code: 'NETC3005',
      arg: 'groups',
      says: 'does not divide the 3 input channels',
    },
    {
      op: 'conv2d',
      args: { filters: 4, k: 4, pad: same },
      inputs: [[3, 8, 8]],
      because: 'an even kernel cannot be padded evenly',
      code: 'NETC3003',
      arg: 'pad',
      says: 'odd kernel extent',
    },
    {
      op: 'conv2d',
      args: { filters: 4, k: [3, 2], pad: same },
      inputs: [[3, 8, 8]],
      because: 'one kernel axis is even',
      code: 'NETC3003',
      arg: 'pad',
    },
    {
      op: 'conv2d',
      args: { filters: 4, k: 3, pad: 3, pad_mode: 'reflect' },
      inputs: [[3, 3, 3]],
      because: 'reflection needs padding below the input size',
      code: 'NETC3004',
      arg: 'pad',
    },
    {
      op: 'conv2d',
      args: { filters: 4, k: 3 },
      inputs: [[784]],
      because: 'a vector is not an image',
      code: 'NETC3001',
      says: 'expects an image [C, H, W], got [784]',
    },
    {
      op: 'conv2d',
      args: { filters: 4, k: 3 },
      inputs: [[28, 28]],
      because: 'a matrix has no channel axis',
      code: 'NETC3001',
    },
    {
      op: 'conv2d',
      args: { filters: 2 ** 31, k: 1 },
      inputs: [[3, 8, 8]],
      because: 'no dimension may exceed 2^31 - 1',
      code: 'NETC3012',
      arg: 'filters',
    },
    {
      op: 'conv2d',
      args: { filters: big, k: 1 },
      inputs: [[big, 1, 1]],
      because: 'the weight has more than 2^53 - 1 elements',
      code: 'NETC3013',
      says: '`weight` elements',
    },
    {
      op: 'conv2d',
      args: { filters: 2 ** 16, k: 1 },
      inputs: [[2 ** 16, 2 ** 16, 2 ** 16]],
      because: 'the multiply-adds exceed 2^53 - 1',
      code: 'NETC3013',
      says: 'multiply-adds',
    },
    {
      op: 'conv2d',
      args: { filters: 2 ** 20, k: 1 },
      inputs: [[1, 2 ** 20, 2 ** 20]],
      because: 'the output has more than 2^53 - 1 elements',
      code: 'NETC3013',
      says: 'output elements',
    },
    {
      op: 'conv2d',
      args: { filters: 4, k: 3 },
      inputs: [
        [3, 8, 8],
        [3, 8, 8],
      ],
      because: 'it takes one input',
      code: 'NETC3053',
    },
  ];
  it.each(cases.map((c) => [errorTitle(c), c] as const))('%s', (_, c) => checkErrorCase(c));

  it('suggests reshaping a square vector into a one-channel image', () => {
    expect(failure('conv2d', [[784]], { filters: 4, k: 3 }).help).toContain('reshape([1, 28, 28])');
  });

  it('suggests adding a channel axis to a matrix', () => {
    expect(failure('conv2d', [[28, 30]], { filters: 4, k: 3 }).help).toContain(
      'reshape([1, 28, 30])',
    );
  });

  it('gives ceil(size / stride) outputs for `same` with a stride, padding symmetrically', () => {
    for (const [size, k, s] of [
      [8, 3, 2],
      [9, 3, 2],
      [56, 3, 2],
      [7, 5, 3],
      [1, 3, 2],
      [224, 7, 2],
    ] as const) {
      const { shape } = succeed('conv2d', [[3, size, size]], {
        filters: 4,
        k,
        stride: s,
        pad: same,
      });
      expect(shape).toEqual([4, Math.ceil(size / s), Math.ceil(size / s)]);
      const explicit = succeed('conv2d', [[3, size, size]], {
        filters: 4,
        k,
        stride: s,
        pad: (k - 1) / 2,
      });
      expect(explicit.shape).toEqual(shape);
    }
  });
});

describe('the seeds formula floor((h + 2p - f) / s) + 1', () => {
  const table = [
    { h: 6, f: 3, p: 0, s: 1, out: 4 },
    { h: 7, f: 3, p: 0, s: 2, out: 3 },
    { h: 32, f: 5, p: 2, s: 1, out: 32 },
    { h: 227, f: 11, p: 0, s: 4, out: 55 },
    { h: 5, f: 2, p: 0, s: 2, out: 2 },
    { h: 31, f: 4, p: 1, s: 3, out: 10 },
    { h: 1, f: 1, p: 0, s: 1, out: 1 },
    { h: 2, f: 3, p: 1, s: 1, out: 2 },
    { h: 17, f: 7, p: 3, s: 5, out: 4 },
  ];
  it.each(table)('gives $out for h=$h, f=$f, p=$p, s=$s', ({ h, f, p, s, out }) => {
    expect(Math.floor((h + 2 * p - f) / s) + 1).toBe(out);
    const result = succeed('conv2d', [[1, h, h]], { filters: 1, k: f, pad: p, stride: s });
    expect(result.shape).toEqual([1, out, out]);
  });
});

describe('conv2d parameters', () => {
  const seeds = [
    { f: 3, c: 3, n: 64, count: 1792 },
    { f: 5, c: 1, n: 6, count: 156 },
    { f: 5, c: 6, n: 16, count: 2416 },
    { f: 1, c: 192, n: 16, count: 3088 },
    { f: 11, c: 3, n: 96, count: 34944 },
  ];
  it.each(seeds)('number ((f·f·c) + 1)·N = $count for f=$f, c=$c, N=$n', ({ f, c, n, count }) => {
    expect((f * f * c + 1) * n).toBe(count);
    const result = succeed('conv2d', [[c, 32, 32]], { filters: n, k: f });
    expect(trainableCount(result.params)).toBe(count);
  });

  it('lay out the weight as PyTorch does: [F, C/groups, kh, kw], and the bias as [F]', () => {
    const result = succeed('conv2d', [[32, 8, 8]], { filters: 64, k: [3, 5], groups: 4, pad: 2 });
    expect(result.params).toEqual([
      {
        role: 'weight',
        shape: [64, 8, 3, 5],
        init: { kind: 'he' },
        trainable: true,
        regularized: true,
      },
      { role: 'bias', shape: [64], init: { kind: 'zeros' }, trainable: true, regularized: false },
    ]);
  });

  it('leave out the bias with bias=false and keep a chosen initializer', () => {
    const result = succeed('conv2d', [[3, 8, 8]], {
      filters: 8,
      k: 3,
      bias: false,
      init: { kind: 'normal', std: 0.02 },
    });
    expect(result.params).toEqual([
      {
        role: 'weight',
        shape: [8, 3, 3, 3],
        init: { kind: 'normal', std: 0.02 },
        trainable: true,
        regularized: true,
      },
    ]);
  });

  const pytorch: { layer: string; c: number; args: RawArgs; count: number }[] = [
    { layer: 'nn.Conv2d(3, 64, 3)', c: 3, args: { filters: 64, k: 3 }, count: 1792 },
    {
      layer: 'nn.Conv2d(64, 64, 3, bias=False)',
      c: 64,
      args: { filters: 64, k: 3, bias: false },
      count: 36864,
    },
    {
      layer: 'nn.Conv2d(32, 64, 3, groups=32)',
      c: 32,
      args: { filters: 64, k: 3, groups: 32 },
      count: 640,
    },
    { layer: 'nn.Conv2d(512, 512, 3)', c: 512, args: { filters: 512, k: 3 }, count: 2359808 },
    { layer: 'nn.Conv2d(3, 96, (11, 5))', c: 3, args: { filters: 96, k: [11, 5] }, count: 15936 },
  ];
  it.each(pytorch)('match $layer: $count', ({ c, args, count }) => {
    expect(trainableCount(succeed('conv2d', [[c, 32, 32]], args).params)).toBe(count);
  });
});

describe('the Network-in-Network cost example on [192, 28, 28]', () => {
  const input = [192, 28, 28];

  it('costs a direct 5×5 conv to 32 channels 153,600 weights and 120,422,400 multiply-adds', () => {
    const direct = succeed('conv2d', [input], { filters: 32, k: 5, pad: same, bias: false });
    expect(direct.shape).toEqual([32, 28, 28]);
    expect(trainableCount(direct.params)).toBe(153_600);
    expect(direct.macs).toBe(120_422_400);
  });

  it('costs 12,443,648 multiply-adds with a 1×1 bottleneck to 16 channels first', () => {
    const squeeze = succeed('conv2d', [input], { filters: 16, k: 1, bias: false });
    const expand = succeed('conv2d', [squeeze.shape], {
      filters: 32,
      k: 5,
      pad: same,
      bias: false,
    });
    expect(expand.shape).toEqual([32, 28, 28]);
    expect(squeeze.macs).toBe(2_408_448);
    expect(squeeze.macs + expand.macs).toBe(12_443_648);
  });
});

describe('conv2d multiply-adds', () => {
  it('count output elements × (C/groups)·kh·kw', () => {
    const result = succeed('conv2d', [[32, 9, 9]], { filters: 64, k: [3, 5], groups: 4 });
    expect(result.shape).toEqual([64, 7, 5]);
    expect(result.macs).toBe(64 * 7 * 5 * 8 * 3 * 5);
  });

  it('are counted exactly near 2^53 rather than rounded', () => {
    // 2^25 outputs × 2^27 per output = 2^52: exact.
    const result = succeed('conv2d', [[2 ** 11, 2 ** 12, 2 ** 11]], { filters: 2 ** 2, k: 1 });
    expect(result.macs).toBe(2 ** 2 * 2 ** 12 * 2 ** 11 * 2 ** 11);
    expect(Number.isSafeInteger(result.macs)).toBe(true);
  });
});

describe('conv_transpose2d maps shapes', () => {
  const cases: ShapeCase[] = [
    {
      op: 'conv_transpose2d',
      args: { filters: 512, k: 4 },
      inputs: [[100, 1, 1]],
      output: [512, 4, 4],
    },
    {
      op: 'conv_transpose2d',
      args: { filters: 256, k: 4, stride: 2, pad: 1 },
      inputs: [[512, 4, 4]],
      output: [256, 8, 8],
    },
    {
      op: 'conv_transpose2d',
      args: { filters: 32, k: 3, stride: 2, pad: 1, output_pad: 1 },
      inputs: [[64, 14, 14]],
      output: [32, 28, 28],
    },
    {
      op: 'conv_transpose2d',
      args: { filters: 1, k: 3, dilation: 2 },
      inputs: [[1, 5, 5]],
      output: [1, 9, 9],
    },
    {
      op: 'conv_transpose2d',
      args: { filters: 1, k: 3, dilation: 2, output_pad: 1 },
      inputs: [[1, 5, 5]],
      output: [1, 10, 10],
    },
    { op: 'conv_transpose2d', args: { filters: 1, k: 1 }, inputs: [[1, 1, 1]], output: [1, 1, 1] },
    {
      op: 'conv_transpose2d',
      args: { filters: 3, k: [2, 3], stride: [2, 3] },
      inputs: [[8, 7, 11]],
      output: [3, 14, 33],
    },
    {
      op: 'conv_transpose2d',
      args: { filters: 8, k: 5, pad: 2 },
      inputs: [[16, 13, 13]],
      output: [8, 13, 13],
    },
  ];
  it.each(cases.map((c) => [shapeTitle(c), c] as const))('%s', (_, c) => checkShapeCase(c));

  it('matches nn.ConvTranspose2d(16, 8, 4): weight [16, 8, 4, 4] (PyTorch layout), 2,056 parameters', () => {
    const result = succeed('conv_transpose2d', [[16, 4, 4]], { filters: 8, k: 4 });
    expect(result.params.map((p) => [p.role, p.shape])).toEqual([
      ['weight', [16, 8, 4, 4]],
      ['bias', [8]],
    ]);
    expect(trainableCount(result.params)).toBe(2056);
  });

  it('counts input elements × F·kh·kw multiply-adds', () => {
    const result = succeed('conv_transpose2d', [[16, 4, 4]], { filters: 8, k: 4 });
    expect(result.shape).toEqual([8, 7, 7]);
    expect(result.macs).toBe(16 * 4 * 4 * (8 * 4 * 4));
  });
});

describe('conv_transpose2d rejects', () => {
  const cases: ErrorCase[] = [
    {
      op: 'conv_transpose2d',
      args: { filters: 1, k: 3, stride: 2, output_pad: 2 },
      inputs: [[1, 4, 4]],
      because: 'the output padding reaches the stride',
      code: 'NETC3014',
      arg: 'output_pad',
    },
    {
      op: 'conv_transpose2d',
      args: { filters: 1, k: 3, output_pad: 1 },
      inputs: [[1, 4, 4]],
      because: 'with stride 1 and dilation 1 no output padding is possible',
      code: 'NETC3014',
      arg: 'output_pad',
    },
    {
      op: 'conv_transpose2d',
      args: { filters: 1, k: 3, pad: 2 },
      inputs: [[1, 1, 1]],
      because: 'the padding crops away the whole output',
      code: 'NETC3002',
      arg: 'pad',
      says: 'would give -1×-1',
    },
    {
      op: 'conv_transpose2d',
      args: { filters: 1, k: 3 },
      inputs: [[64]],
      because: 'a vector is not an image',
      code: 'NETC3001',
    },
    {
      op: 'conv_transpose2d',
      args: { filters: 0, k: 3 },
      inputs: [[1, 4, 4]],
      because: 'zero filters are meaningless',
      code: 'NETC3006',
      arg: 'filters',
    },
    {
      op: 'conv_transpose2d',
      args: { filters: 1, k: 0 },
      inputs: [[1, 4, 4]],
      because: 'a zero kernel is meaningless',
      code: 'NETC3006',
      arg: 'k',
    },
    {
      op: 'conv_transpose2d',
      args: { filters: 1, k: 3, pad: -1 },
      inputs: [[1, 4, 4]],
      because: 'padding cannot be negative',
      code: 'NETC3006',
      arg: 'pad',
    },
    {
      op: 'conv_transpose2d',
      args: { filters: 1, k: 1, stride: big },
      inputs: [[1, 3, 3]],
      because: 'the output would exceed 2^31 - 1',
      code: 'NETC3012',
    },
    {
      op: 'conv_transpose2d',
      args: { filters: 1, k: 3, stride: big, dilation: big },
      inputs: [[1, big, big]],
      because: 'the output size is not even exact in float64',
      code: 'NETC3012',
    },
  ];
  it.each(cases.map((c) => [errorTitle(c), c] as const))('%s', (_, c) => checkErrorCase(c));
});
