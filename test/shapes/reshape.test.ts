import { describe, expect, it } from 'vitest';
import {
  checkErrorCase,
  checkShapeCase,
  errorTitle,
  failure,
  shapeTitle,
  succeed,
  type ErrorCase,
  type ShapeCase,
} from './harness.js';

const big = 2 ** 31 - 1;

describe('flatten, reshape and upsample map shapes', () => {
  const cases: ShapeCase[] = [
    { op: 'flatten', inputs: [[16, 5, 5]], output: [400] },
    { op: 'flatten', inputs: [[512, 7, 7]], output: [25088] },
    { op: 'flatten', inputs: [[10]], output: [10] },
    { op: 'flatten', inputs: [[1, 1, 1]], output: [1] },
    { op: 'flatten', inputs: [[3, 5, 7, 11]], output: [1155] },
    { op: 'reshape', args: { shape: [-1] }, inputs: [[4, 2, 2]], output: [16] },
    { op: 'reshape', args: { shape: [1, 28, 28] }, inputs: [[784]], output: [1, 28, 28] },
    { op: 'reshape', args: { shape: [16, -1, 7] }, inputs: [[784]], output: [16, 7, 7] },
    { op: 'reshape', args: { shape: [-1, 4] }, inputs: [[2, 2, 2]], output: [2, 4] },
    { op: 'reshape', args: { shape: [13] }, inputs: [[13]], output: [13] },
    { op: 'reshape', args: { shape: [1, 1, -1] }, inputs: [[1]], output: [1, 1, 1] },
    { op: 'reshape', args: { shape: [-1, 1, 1] }, inputs: [[64]], output: [64, 1, 1] },
    { op: 'upsample', inputs: [[3, 4, 4]], output: [3, 8, 8] },
    {
      op: 'upsample',
      args: { scale: 3, mode: 'bilinear' },
      inputs: [[1, 5, 7]],
      output: [1, 15, 21],
    },
    { op: 'upsample', args: { scale: 1 }, inputs: [[2, 1, 1]], output: [2, 1, 1] },
  ];
  it.each(cases.map((c) => [shapeTitle(c), c] as const))('%s', (_, c) => checkShapeCase(c));

  it('keeps the reshape target as written and resolves only the output shape', () => {
    const result = succeed('reshape', [[784]], { shape: [16, -1, 7] });
    expect(result.attrs).toEqual({ shape: [16, -1, 7] });
    expect(result.shape).toEqual([16, 7, 7]);
  });
});

describe('flatten, reshape and upsample reject', () => {
  const cases: ErrorCase[] = [
    {
      op: 'reshape',
      args: { shape: [5, 5] },
      inputs: [[784]],
      because: 'the element counts differ',
      code: 'NETC3010',
      arg: 'shape',
      says: 'cannot reshape [784] (784 elements) into [5, 5]',
    },
    {
      op: 'reshape',
      args: { shape: [-1, 5] },
      inputs: [[12]],
      because: '5 does not divide 12',
      code: 'NETC3010',
      arg: 'shape',
    },
    {
      op: 'reshape',
      args: { shape: [1, 1] },
      inputs: [[2]],
      because: 'it would drop an element',
      code: 'NETC3010',
      arg: 'shape',
    },
    {
      op: 'reshape',
      args: { shape: [-1, -1] },
      inputs: [[4]],
      because: 'only one dimension can be inferred',
      code: 'NETC3011',
      arg: 'shape',
      says: 'more than one `-1`',
    },
    {
      op: 'reshape',
      args: { shape: [0, 4] },
      inputs: [[4]],
      because: 'dimensions are at least 1',
      code: 'NETC3011',
      arg: 'shape',
    },
    {
      op: 'reshape',
      args: { shape: [-2, 2] },
      inputs: [[4]],
      because: 'only -1 is a placeholder',
      code: 'NETC3011',
      arg: 'shape',
    },
    {
      op: 'reshape',
      args: { shape: [] },
      inputs: [[1]],
      because: 'a target needs a dimension',
      code: 'NETC3011',
      arg: 'shape',
    },
    {
      op: 'reshape',
      args: { shape: [2 ** 31] },
      inputs: [[4]],
      because: 'no dimension may exceed 2^31 - 1',
      code: 'NETC3012',
      arg: 'shape',
    },
    {
      op: 'reshape',
      args: { shape: [-1] },
      inputs: [[big, big, big]],
      because: 'the input has more than 2^53 - 1 elements',
      code: 'NETC3013',
    },
    {
      op: 'flatten',
      inputs: [[65536, 65536]],
      because: 'the vector would be longer than 2^31 - 1',
      code: 'NETC3012',
    },
    {
      op: 'flatten',
      inputs: [[big, big, big]],
      because: 'the element count is not exact',
      code: 'NETC3013',
    },
    {
      op: 'upsample',
      args: { scale: 0 },
      inputs: [[1, 4, 4]],
      because: 'a zero scale is meaningless',
      code: 'NETC3006',
      arg: 'scale',
    },
    {
      op: 'upsample',
      inputs: [[784]],
      because: 'a vector is not an image',
      code: 'NETC3001',
    },
    {
      op: 'upsample',
      args: { scale: 2 ** 20 },
      inputs: [[1, 2 ** 12, 2 ** 12]],
      because: 'the output would exceed 2^31 - 1',
      code: 'NETC3012',
    },
    {
      op: 'upsample',
      args: { scale: big },
      inputs: [[1, big, big]],
      because: 'the output size is not even exact in float64',
      code: 'NETC3012',
      arg: 'scale',
    },
    {
      op: 'flatten',
      inputs: [[1], [1]],
      because: 'it takes one input',
      code: 'NETC3053',
    },
  ];
  it.each(cases.map((c) => [errorTitle(c), c] as const))('%s', (_, c) => checkErrorCase(c));

  it('suggests an image shape for a square vector before upsampling', () => {
    expect(failure('upsample', [[784]]).help).toContain('reshape([1, 28, 28])');
  });
});
