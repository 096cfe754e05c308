import { describe, expect, it } from 'vitest';
import {
  checkErrorCase,
  checkShapeCase,
  errorTitle,
  failure,
  same,
  shapeTitle,
  succeed,
  valid,
  type ErrorCase,
  type ShapeCase,
} from './harness.js';

describe('pooling maps shapes', () => {
  const cases: ShapeCase[] = [
    { op: 'maxpool', args: { k: 2 }, inputs: [[6, 28, 28]], output: [6, 14, 14] },
    { op: 'avgpool', args: { k: 2 }, inputs: [[6, 28, 28]], output: [6, 14, 14] },
    { op: 'avgpool', args: { k: 2 }, inputs: [[16, 10, 10]], output: [16, 5, 5] },
    {
      op: 'maxpool',
      args: { k: 3, stride: 2, pad: 1 },
      inputs: [[64, 112, 112]],
      output: [64, 56, 56],
    },
    { op: 'maxpool', args: { k: 3, stride: 2 }, inputs: [[64, 55, 55]], output: [64, 27, 27] },
    { op: 'maxpool', args: { k: 2 }, inputs: [[1, 5, 5]], output: [1, 2, 2] },
    { op: 'maxpool', args: { k: 3 }, inputs: [[1, 7, 7]], output: [1, 2, 2] },
    {
      op: 'maxpool',
      args: { k: 3, stride: 1, pad: same },
      inputs: [[192, 28, 28]],
      output: [192, 28, 28],
    },
    { op: 'maxpool', args: { k: 3, pad: same }, inputs: [[1, 9, 9]], output: [1, 3, 3] },
    { op: 'maxpool', args: { k: 3, stride: 2, pad: same }, inputs: [[8, 7, 7]], output: [8, 4, 4] },
    { op: 'maxpool', args: { k: [2, 1] }, inputs: [[1, 4, 4]], output: [1, 2, 4] },
    { op: 'maxpool', args: { k: 2, antialias: true }, inputs: [[8, 32, 32]], output: [8, 16, 16] },
    { op: 'avgpool', args: { k: 3, antialias: true }, inputs: [[8, 31, 31]], output: [8, 10, 10] },
    { op: 'avgpool', args: { k: 1 }, inputs: [[3, 1, 1]], output: [3, 1, 1] },
    { op: 'avgpool', args: { k: 2, pad: valid }, inputs: [[3, 7, 7]], output: [3, 3, 3] },
    { op: 'maxpool', args: { k: 2, stride: 3 }, inputs: [[1, 13, 13]], output: [1, 4, 4] },
    { op: 'avgpool', args: { k: 4, pad: 2 }, inputs: [[2, 2, 2]], output: [2, 1, 1] },
    { op: 'avgpool', args: { k: 4, stride: 1, pad: 2 }, inputs: [[2, 2, 2]], output: [2, 3, 3] },
    { op: 'maxpool', args: { k: 5, stride: 1 }, inputs: [[1, 5, 11]], output: [1, 1, 7] },
    { op: 'global_avgpool', inputs: [[512, 7, 7]], output: [512] },
    { op: 'global_maxpool', inputs: [[3, 1, 1]], output: [3] },
    { op: 'global_avgpool', inputs: [[1, 13, 2]], output: [1] },
  ];
  it.each(cases.map((c) => [shapeTitle(c), c] as const))('%s', (_, c) => checkShapeCase(c));

  it('defaults the stride to the kernel size on each axis', () => {
    expect(succeed('maxpool', [[1, 9, 9]], { k: [3, 2] }).attrs).toEqual({
      kernel: [3, 2],
      stride: [3, 2],
      pad: [0, 0],
      antialias: false,
    });
  });

  it('keeps an explicit stride instead of the kernel size', () => {
    expect(succeed('avgpool', [[1, 9, 9]], { k: 3, stride: 1, antialias: true }).attrs).toEqual({
      kernel: [3, 3],
      stride: [1, 1],
      pad: [0, 0],
      antialias: true,
    });
  });

  it('learns nothing and counts no multiply-adds', () => {
    for (const op of ['maxpool', 'avgpool'] as const) {
      const result = succeed(op, [[64, 32, 32]], { k: 2 });
      expect(result.params).toEqual([]);
      expect(result.macs).toBe(0);
    }
  });
});

describe('pooling rejects', () => {
  const cases: ErrorCase[] = [
    {
      op: 'maxpool',
      args: { k: 3 },
      inputs: [[1, 2, 2]],
      because: 'the window is larger than the input',
      code: 'NETC3002',
      says: 'kernel 3×3 does not fit input 2×2 (with padding 0)',
    },
    {
      op: 'avgpool',
      args: { k: 2 },
      inputs: [[1, 1, 8]],
      because: 'a one-pixel-high input is smaller than the window',
      code: 'NETC3002',
    },
    {
      op: 'maxpool',
      args: { k: 3, pad: 2 },
      inputs: [[1, 8, 8]],
      because: 'pooling pads at most half the window',
      code: 'NETC3004',
      arg: 'pad',
      says: 'padding 2 is more than half the kernel 3×3',
    },
    {
      op: 'avgpool',
      args: { k: [4, 2], pad: [2, 2] },
      inputs: [[1, 8, 8]],
      because: 'the padding is more than half of one window axis',
      code: 'NETC3004',
      arg: 'pad',
    },
    {
      op: 'maxpool',
      args: { k: 2, stride: 1, pad: same },
      inputs: [[1, 9, 9]],
      because: 'an even window cannot keep the size',
      code: 'NETC3003',
      arg: 'pad',
    },
    {
      op: 'maxpool',
      args: { k: 0 },
      inputs: [[1, 9, 9]],
      because: 'a zero window is meaningless',
      code: 'NETC3006',
      arg: 'k',
    },
    {
      op: 'avgpool',
      args: { k: 2, stride: 0 },
      inputs: [[1, 9, 9]],
      because: 'a zero stride never moves',
      code: 'NETC3006',
      arg: 'stride',
    },
    {
      op: 'avgpool',
      args: { k: 2, pad: -1 },
      inputs: [[1, 9, 9]],
      because: 'padding cannot be negative',
      code: 'NETC3006',
      arg: 'pad',
    },
    {
      op: 'avgpool',
      args: { k: 2 },
      inputs: [[10]],
      because: 'a vector is not an image',
      code: 'NETC3001',
    },
    {
      op: 'maxpool',
      args: { k: 2 },
      inputs: [[]],
      because: 'a scalar is not an image',
      code: 'NETC3001',
    },
    {
      op: 'global_avgpool',
      inputs: [[10]],
      because: 'a vector has no spatial axes',
      code: 'NETC3001',
      says: '`global_avgpool` expects an image [C, H, W], got [10]',
    },
    {
      op: 'global_maxpool',
      inputs: [[2, 3]],
      because: 'a matrix has no channel axis',
      code: 'NETC3001',
    },
    {
      op: 'global_maxpool',
      inputs: [
        [2, 3, 3],
        [2, 3, 3],
      ],
      because: 'it takes one input',
      code: 'NETC3053',
    },
  ];
  it.each(cases.map((c) => [errorTitle(c), c] as const))('%s', (_, c) => checkErrorCase(c));

  it('tells how much padding is allowed', () => {
    expect(failure('maxpool', [[1, 8, 8]], { k: 3, pad: 2 }).help).toContain('`pad=1`');
  });
});
