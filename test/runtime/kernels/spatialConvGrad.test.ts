import { describe, it } from 'vitest';
import { spatialKernels as k } from '../../../src/runtime/cpu/kernels/spatial.js';
import { size, testValues } from '../../helpers/kernels.js';
import {
  convAttrs,
  convShapes,
  describeConv,
  describeTranspose,
  randomConvCases,
  randomTransposeCases,
  transposeShapes,
  type ConvCase,
  type TransposeCase,
} from './spatialCases.js';
import { expectClose, GRAD_TOL, numericGradient, run1, tensor } from './spatialHarness.js';

/*
 * Gradients of dense and the convolutions against central finite differences of the forward
 * kernel in float64 (eps 1e-6, atol 1e-5, rtol 1e-3): for random x, W, b and upstream dY,
 * each analytic gradient must equal d⟨dY, f(x, W, b)⟩ by differences.
 */

describe('dense gradients match central finite differences', () => {
  const cases = [
    { rows: 1, depth: 1, units: 1 },
    { rows: 4, depth: 7, units: 3 },
    { rows: 2, depth: 5, units: 1 },
    { rows: 3, depth: 2, units: 5 },
  ];
  for (const { rows, depth, units } of cases) {
    it(`dX, dW and db for ${rows} rows of ${depth} features into ${units} units`, () => {
      const x = tensor([rows, depth], 1);
      const w = tensor([units, depth], 2);
      const b = tensor([units], 3);
      const yShape = [rows, units];
      const dy = { data: testValues(size(yShape), 4), shape: yShape };
      const attrs = { bias: true };
      const numeric = (which: number) =>
        numericGradient(k.dense, attrs, [x, w, b], yShape, which, dy.data);
      expectClose(run1(k.dense_grad_input, {}, [dy, w], x.shape), numeric(0), GRAD_TOL);
      expectClose(run1(k.dense_grad_weight, {}, [dy, x], w.shape), numeric(1), GRAD_TOL);
      expectClose(run1(k.bias_grad, {}, [dy], b.shape), numeric(2), GRAD_TOL);
    });
  }
});

const convCases: ConvCase[] = [
  {
    name: 'a 1×1 input and a 1×1 kernel',
    batch: 1,
    channels: 1,
    size: [1, 1],
    attrs: convAttrs({ filters: 1, kernel: [1, 1] }),
  },
  {
    name: 'a stride larger than the kernel on prime sizes',
    batch: 2,
    channels: 2,
    size: [7, 5],
    attrs: convAttrs({ filters: 3, kernel: [2, 1], stride: [3, 2] }),
  },
  {
    name: 'a pad of half a dilated window',
    batch: 1,
    channels: 1,
    size: [5, 7],
    attrs: convAttrs({ filters: 2, kernel: [3, 3], dilation: [2, 2], pad: [2, 2] }),
  },
  {
    name: 'two groups with reflect padding',
    batch: 1,
    channels: 4,
    size: [3, 5],
    attrs: convAttrs({
      filters: 2,
      kernel: [3, 2],
      stride: [1, 2],
      pad: [2, 1],
      groups: 2,
      padMode: 'reflect',
    }),
  },
  {
    name: 'a depthwise kernel with replicate padding on a 1-pixel-high map',
    batch: 2,
    channels: 3,
    size: [1, 5],
    attrs: convAttrs({ filters: 6, kernel: [3, 3], pad: [1, 1], groups: 3, padMode: 'replicate' }),
  },
  {
    name: 'an asymmetric kernel, stride and reflect pad',
    batch: 1,
    channels: 2,
    size: [7, 3],
    attrs: convAttrs({
      filters: 2,
      kernel: [1, 3],
      stride: [2, 1],
      pad: [0, 2],
      padMode: 'reflect',
    }),
  },
  ...randomConvCases(8, 11),
];

describe('conv2d gradients match central finite differences', () => {
  for (const c of convCases) {
    it(`dX, dW and db for ${c.name}`, () => {
      const shapes = convShapes(c);
      const x = tensor(shapes.x, 1);
      const w = tensor(shapes.w, 2);
      const b = tensor(shapes.b, 3);
      const dy = tensor(shapes.y, 4);
      const numeric = (which: number) =>
        numericGradient(k.conv2d, c.attrs, [x, w, b], shapes.y, which, dy.data);
      const context = describeConv(c);
      expectClose(
        run1(k.conv2d_grad_input, c.attrs, [dy, w], shapes.x),
        numeric(0),
        GRAD_TOL,
        context,
      );
      expectClose(
        run1(k.conv2d_grad_weight, c.attrs, [dy, x], shapes.w),
        numeric(1),
        GRAD_TOL,
        context,
      );
      expectClose(run1(k.bias_grad, {}, [dy], shapes.b), numeric(2), GRAD_TOL, context);
    });
  }
});

const transposeAttrs = (partial: Partial<TransposeCase['attrs']>): TransposeCase['attrs'] => ({
  filters: 2,
  kernel: [3, 3],
  stride: [1, 1],
  pad: [0, 0],
  outputPad: [0, 0],
  dilation: [1, 1],
  bias: true,
  ...partial,
});

const transposeCases: TransposeCase[] = [
  {
    name: 'stride 2 with output padding 1',
    batch: 2,
    channels: 2,
    size: [3, 2],
    attrs: transposeAttrs({ filters: 3, stride: [2, 2], pad: [1, 1], outputPad: [1, 1] }),
  },
  {
    name: 'an output padding that only the dilation allows (stride 1, dilation 2)',
    batch: 1,
    channels: 1,
    size: [2, 3],
    attrs: transposeAttrs({ kernel: [2, 2], dilation: [2, 2], outputPad: [1, 1] }),
  },
  {
    name: 'a 1×1 input with a stride larger than the kernel',
    batch: 1,
    channels: 3,
    size: [1, 1],
    attrs: transposeAttrs({ kernel: [2, 3], stride: [3, 3], outputPad: [2, 1] }),
  },
  {
    name: 'a pad that crops all but one row and column',
    batch: 1,
    channels: 2,
    size: [3, 3],
    attrs: transposeAttrs({ filters: 1, pad: [2, 2] }),
  },
  {
    name: 'a stride larger than the kernel on prime sizes',
    batch: 2,
    channels: 1,
    size: [3, 5],
    attrs: transposeAttrs({ kernel: [1, 2], stride: [3, 3], outputPad: [2, 1] }),
  },
  ...randomTransposeCases(6, 23),
];

describe('conv_transpose2d gradients match central finite differences', () => {
  for (const c of transposeCases) {
    it(`dX, dW and db for ${c.name}`, () => {
      const shapes = transposeShapes(c);
      const x = tensor(shapes.x, 1);
      const w = tensor(shapes.w, 2);
      const b = tensor(shapes.b, 3);
      const dy = tensor(shapes.y, 4);
      const numeric = (which: number) =>
        numericGradient(k.conv_transpose2d, c.attrs, [x, w, b], shapes.y, which, dy.data);
      const context = describeTranspose(c);
      const dx = run1(k.conv_transpose2d_grad_input, c.attrs, [dy, w], shapes.x);
      expectClose(dx, numeric(0), GRAD_TOL, context);
      const dw = run1(k.conv_transpose2d_grad_weight, c.attrs, [dy, x], shapes.w);
      expectClose(dw, numeric(1), GRAD_TOL, context);
      expectClose(run1(k.bias_grad, {}, [dy], shapes.b), numeric(2), GRAD_TOL, context);
    });
  }
});
