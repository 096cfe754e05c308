import { describe, it } from 'vitest';
import type { Pair } from '../../src/compiler/ir/ops.js';
import type { PrimAttrMap } from '../../src/runtime/program.js';
import { createWebGpuBackend, type WebGpuBackend } from '../../src/runtime/webgpu/backend.js';
import { plainConvKernels } from '../../src/runtime/webgpu/kernels/conv.js';
import { wgslKernels } from '../../src/runtime/webgpu/kernels/index.js';
import {
  convAttrs,
  convShapes,
  describeConv,
  describePool,
  describeTranspose,
  poolShapes,
  randomConvCases,
  randomPoolCases,
  randomTransposeCases,
  transposeShapes,
  type ConvCase,
  type PoolCase,
  type TransposeCase,
} from '../runtime/kernels/spatialCases.js';
import { testDevice } from './gpu.js';
import { expectGpuMatchesCpu, tensor } from './spatialHarness.js';

/*
 * The WGSL kernels of convolutions, pools, blur and upsampling with their gradients, each
 * against its CPU kernel on seeded inputs: named shapes (LeNet's layers, size 1, primes,
 * element counts that are not multiples of the workgroup size, stride above the kernel,
 * dilation, groups, reflect and replicate padding, batches 1 and 3) and seeded random
 * configurations. Tolerances are in spatialHarness.ts: rtol 1e-4, atol 1e-5·√(products per
 * element).
 */

const { device } = await testDevice();
const backend: WebGpuBackend | undefined = device && createWebGpuBackend(device);
/** The one-output-per-invocation convolutions that the blocked ones replaced. */
const plain =
  device && createWebGpuBackend(device, { kernels: { ...wgslKernels, ...plainConvKernels } });
/** A backend that may use only 8 workgroups per grid dimension: larger grids become 2-D. */
const narrow =
  device && createWebGpuBackend(device, { limits: { maxComputeWorkgroupsPerDimension: 8 } });

const area = (k: Pair) => k[0] * k[1];
/** Window elements that can fold onto one element through reflect/replicate padding. */
const ring = (pad: Pair) => (1 + 2 * pad[0]) * (1 + 2 * pad[1]);

async function checkConv(c: ConvCase, gpu = backend!): Promise<void> {
  const s = convShapes(c);
  const a = c.attrs;
  const x = tensor(s.x, 1);
  const w = tensor(s.w, 2);
  const dy = tensor(s.y, 3);
  const what = describeConv(c);
  const inputs = a.bias ? [x, w, tensor(s.b, 4)] : [x, w];
  const taps = (c.channels / a.groups) * area(a.kernel);
  await expectGpuMatchesCpu(gpu, { op: 'conv2d', attrs: a, inputs, reduction: taps + 1 }, what);
  const fan = (a.filters / a.groups) * area(a.kernel) * ring(a.pad);
  await expectGpuMatchesCpu(
    gpu,
    { op: 'conv2d_grad_input', attrs: a, inputs: [dy, w], declared: s.x, reduction: fan },
    what,
  );
  // A layer with a bias gets db from the weight gradient's dispatch (`biasGrad`).
  await expectGpuMatchesCpu(
    gpu,
    {
      op: 'conv2d_grad_weight',
      attrs: { ...a, biasGrad: a.bias },
      inputs: [dy, x],
      reduction: s.y[0]! * area(pair(s.y)),
    },
    what,
  );
}

const pair = (shape: readonly number[]): Pair => [shape[2]!, shape[3]!];

const convCases: ConvCase[] = [
  {
    name: "LeNet's second convolution at batch 3",
    batch: 3,
    channels: 6,
    size: [14, 14],
    attrs: convAttrs({ filters: 16, kernel: [5, 5] }),
  },
  {
    name: 'a 1×1 image, a 1×1 kernel, batch 1',
    batch: 1,
    channels: 1,
    size: [1, 1],
    attrs: convAttrs({ filters: 1, kernel: [1, 1] }),
  },
  {
    name: 'prime sizes with the stride above the kernel',
    batch: 3,
    channels: 5,
    size: [13, 11],
    attrs: convAttrs({ filters: 7, kernel: [2, 3], stride: [3, 4], pad: [1, 0] }),
  },
  {
    name: 'dilation 2×3 with padding, no bias',
    batch: 2,
    channels: 3,
    size: [11, 9],
    attrs: convAttrs({ filters: 4, kernel: [3, 3], dilation: [2, 3], pad: [2, 1], bias: false }),
  },
  {
    name: 'three groups at stride 2',
    batch: 3,
    channels: 6,
    size: [9, 7],
    attrs: convAttrs({ filters: 9, kernel: [3, 3], stride: [2, 2], pad: [1, 1], groups: 3 }),
  },
  {
    name: 'a depthwise convolution (groups = channels)',
    batch: 2,
    channels: 4,
    size: [8, 8],
    attrs: convAttrs({ filters: 4, kernel: [3, 3], pad: [1, 1], groups: 4 }),
  },
  {
    name: 'strides 3×4 with dilation 2 (an element takes every third kernel row, every second column)',
    batch: 2,
    channels: 3,
    size: [17, 16],
    attrs: convAttrs({ filters: 5, kernel: [4, 3], stride: [3, 4], pad: [2, 3], dilation: [2, 2] }),
  },
  {
    name: 'twenty filters over ten channels (ragged channel blocks)',
    batch: 1,
    channels: 10,
    size: [6, 9],
    attrs: convAttrs({ filters: 20, kernel: [3, 3], pad: [1, 1] }),
  },
  {
    name: 'a wide image of prime width, 32 filters, more rows than a workgroup has lanes',
    batch: 5,
    channels: 2,
    size: [28, 29],
    attrs: convAttrs({ filters: 32, kernel: [3, 3] }),
  },
  {
    name: 'seventeen filters over thirteen channels, a 5×5 kernel (uneven blocks)',
    batch: 2,
    channels: 13,
    size: [7, 23],
    attrs: convAttrs({ filters: 17, kernel: [5, 5], pad: [2, 2] }),
  },
  {
    name: 'stride and dilation 2 down but 1 across, a 4×7 kernel padded 3 across (sliding rows)',
    batch: 2,
    channels: 3,
    size: [12, 10],
    attrs: convAttrs({
      filters: 11,
      kernel: [4, 7],
      stride: [2, 1],
      pad: [1, 3],
      dilation: [2, 1],
    }),
  },
  {
    name: 'reflect padding of 2',
    batch: 3,
    channels: 3,
    size: [7, 5],
    attrs: convAttrs({ filters: 2, kernel: [3, 3], pad: [2, 2], padMode: 'reflect' }),
  },
  {
    name: 'replicate padding wider than the image, stride 2 and dilation 2',
    batch: 1,
    channels: 2,
    size: [6, 2],
    attrs: convAttrs({
      filters: 3,
      kernel: [3, 3],
      stride: [2, 2],
      pad: [3, 3],
      dilation: [2, 2],
      padMode: 'replicate',
    }),
  },
  {
    name: 'reflect padding with two groups and a 3×2 kernel',
    batch: 2,
    channels: 4,
    size: [5, 6],
    attrs: convAttrs({ filters: 6, kernel: [3, 2], pad: [1, 1], groups: 2, padMode: 'reflect' }),
  },
];

describe.skipIf(!device)('conv2d and its gradients on WebGPU match the CPU', () => {
  for (const c of convCases) it(`for ${c.name}`, () => checkConv(c));

  it('for twelve seeded random configurations', async () => {
    for (const c of randomConvCases(12, 41)) await checkConv(c);
  });

  it('on 2-D grids of workgroups', async () => {
    await checkConv(convCases[4]!, narrow);
    await checkConv(convCases[8]!, narrow);
  });

  it('in the plain form, one output per invocation', async () => {
    for (const c of convCases) await checkConv(c, plain);
  });
});

async function checkTranspose(c: TransposeCase, gpu = backend!): Promise<void> {
  const s = transposeShapes(c);
  const a = c.attrs;
  const x = tensor(s.x, 5);
  const w = tensor(s.w, 6);
  const dy = tensor(s.y, 7);
  const what = describeTranspose(c);
  const inputs = a.bias ? [x, w, tensor(s.b, 8)] : [x, w];
  const taps = c.channels * area(a.kernel);
  await expectGpuMatchesCpu(
    gpu,
    { op: 'conv_transpose2d', attrs: a, inputs, reduction: taps + 1 },
    what,
  );
  await expectGpuMatchesCpu(
    gpu,
    {
      op: 'conv_transpose2d_grad_input',
      attrs: a,
      inputs: [dy, w],
      reduction: a.filters * area(a.kernel),
    },
    what,
  );
  await expectGpuMatchesCpu(
    gpu,
    {
      op: 'conv_transpose2d_grad_weight',
      attrs: a,
      inputs: [dy, x],
      reduction: s.x[0]! * area(pair(s.x)),
    },
    what,
  );
}

const transposeAttrs = (
  partial: Partial<PrimAttrMap['conv_transpose2d']> &
    Pick<PrimAttrMap['conv_transpose2d'], 'filters' | 'kernel'>,
): PrimAttrMap['conv_transpose2d'] => ({
  stride: [1, 1],
  pad: [0, 0],
  outputPad: [0, 0],
  dilation: [1, 1],
  bias: true,
  ...partial,
});

const transposeCases: TransposeCase[] = [
  {
    name: 'a DCGAN upsampling step (4×4, stride 2, pad 1) at batch 3',
    batch: 3,
    channels: 8,
    size: [4, 4],
    attrs: transposeAttrs({ filters: 4, kernel: [4, 4], stride: [2, 2], pad: [1, 1] }),
  },
  {
    name: 'a 1×1 image, a 1×1 kernel, batch 1',
    batch: 1,
    channels: 1,
    size: [1, 1],
    attrs: transposeAttrs({ filters: 1, kernel: [1, 1] }),
  },
  {
    name: 'stride 3 with output padding, dilation, no bias',
    batch: 2,
    channels: 3,
    size: [5, 3],
    attrs: transposeAttrs({
      filters: 2,
      kernel: [3, 2],
      stride: [3, 2],
      pad: [1, 0],
      outputPad: [2, 1],
      dilation: [1, 2],
      bias: false,
    }),
  },
  {
    name: 'prime sizes at stride 1',
    batch: 3,
    channels: 5,
    size: [7, 11],
    attrs: transposeAttrs({ filters: 3, kernel: [3, 3], pad: [1, 1] }),
  },
];

describe.skipIf(!device)('conv_transpose2d and its gradients on WebGPU match the CPU', () => {
  for (const c of transposeCases) it(`for ${c.name}`, () => checkTranspose(c));

  it('for eight seeded random configurations', async () => {
    for (const c of randomTransposeCases(8, 43)) await checkTranspose(c);
  });

  it('in the plain form, one output per invocation', async () => {
    for (const c of transposeCases) await checkTranspose(c, plain);
  });
});

/** Max pool and average pool, forward and gradient; `levels` > 0 makes ties. */
async function checkPools(c: PoolCase, levels = 0, gpu = backend!): Promise<void> {
  const s = poolShapes(c);
  const a = c.attrs;
  const x = tensor(s.x, 9, levels);
  const dy = tensor(s.y, 10);
  const what = describePool(c) + (levels > 0 ? `, ${levels} levels` : '');
  const k = area(a.kernel);
  await expectGpuMatchesCpu(gpu, { op: 'maxpool', attrs: a, inputs: [x], reduction: 1 }, what);
  await expectGpuMatchesCpu(
    gpu,
    { op: 'maxpool_grad', attrs: a, inputs: [x, dy], reduction: k },
    what,
  );
  await expectGpuMatchesCpu(gpu, { op: 'avgpool', attrs: a, inputs: [x], reduction: k }, what);
  await expectGpuMatchesCpu(
    gpu,
    { op: 'avgpool_grad', attrs: a, inputs: [dy], declared: s.x, reduction: k },
    what,
  );
}

const pool = (kernel: Pair, stride: Pair, pad: Pair = [0, 0]) => ({ kernel, stride, pad });

const poolCases: PoolCase[] = [
  {
    name: "LeNet's 2×2 pool at batch 3",
    batch: 3,
    channels: 6,
    size: [28, 28],
    attrs: pool([2, 2], [2, 2]),
  },
  {
    name: 'overlapping 3×3 windows with padding',
    batch: 2,
    channels: 3,
    size: [13, 11],
    attrs: pool([3, 3], [1, 1], [1, 1]),
  },
  {
    name: 'the stride above the kernel',
    batch: 1,
    channels: 2,
    size: [11, 7],
    attrs: pool([2, 2], [3, 3]),
  },
  {
    name: 'a 3×2 window at stride 2×1 with padding',
    batch: 3,
    channels: 5,
    size: [7, 5],
    attrs: pool([3, 2], [2, 1], [1, 1]),
  },
  { name: 'a 1×1 image', batch: 1, channels: 1, size: [1, 1], attrs: pool([1, 1], [1, 1]) },
  // Windows that tile the image (kernel = stride, no padding) take the cell kernel.
  {
    name: '2×2 tiles over odd sizes (the last row and column in no window)',
    batch: 2,
    channels: 3,
    size: [7, 9],
    attrs: pool([2, 2], [2, 2]),
  },
  {
    name: '3×3 tiles over 10×11, batch 1',
    batch: 1,
    channels: 5,
    size: [10, 11],
    attrs: pool([3, 3], [3, 3]),
  },
  {
    name: '1×3 tiles over a prime width',
    batch: 3,
    channels: 2,
    size: [5, 13],
    attrs: pool([1, 3], [1, 3]),
  },
  {
    name: '6×6 tiles (too large for the cells)',
    batch: 1,
    channels: 2,
    size: [13, 12],
    attrs: pool([6, 6], [6, 6]),
  },
];

describe.skipIf(!device)(
  'max and average pools and their gradients on WebGPU match the CPU',
  () => {
    for (const c of poolCases) it(`for ${c.name}`, () => checkPools(c));

    it('for ten seeded random configurations', async () => {
      for (const c of randomPoolCases(10, 47)) await checkPools(c);
    });

    it('send the gradient to the first maximum when values tie', async () => {
      await checkPools(poolCases[1]!, 3);
      await checkPools(poolCases[0]!, 2);
      await checkPools(poolCases[6]!, 2);
    });

    it('on 2-D grids of workgroups', async () => {
      // 900 cells and 3,420 elements: 15 and 54 workgroups, on a grid 8 wide.
      const c = { name: '2×2 tiles', batch: 2, channels: 5, size: [18, 19] as Pair };
      await checkPools({ ...c, attrs: pool([2, 2], [2, 2]) }, 0, narrow);
      await checkPools({ ...c, attrs: pool([3, 3], [2, 2], [1, 1]) }, 0, narrow);
    });

    it('propagate NaN as the maximum, and its gradient to the first NaN', async () => {
      const a = pool([2, 2], [1, 1]);
      const x = {
        shape: [1, 2, 4, 5],
        data: Array.from(tensor([1, 2, 4, 5], 11).data).map((v, i) =>
          i % 7 === 3 ? Number.NaN : v,
        ),
      };
      const dy = tensor([1, 2, 3, 4], 12);
      // The same at 2×2 tiles, where the cell kernel finds the first NaN.
      const tiles = pool([2, 2], [2, 2]);
      await expectGpuMatchesCpu(
        backend!,
        { op: 'maxpool_grad', attrs: tiles, inputs: [x, tensor([1, 2, 2, 2], 12)], reduction: 4 },
        'with NaN, 2×2 tiles',
      );
      await expectGpuMatchesCpu(
        backend!,
        { op: 'maxpool', attrs: a, inputs: [x], reduction: 1 },
        'with NaN',
      );
      await expectGpuMatchesCpu(
        backend!,
        { op: 'maxpool_grad', attrs: a, inputs: [x, dy], reduction: 4 },
        'with NaN',
      );
    });
  },
);

const blurCases: { readonly shape: readonly number[]; readonly stride: Pair }[] = [
  { shape: [3, 4, 13, 11], stride: [1, 1] },
  { shape: [3, 4, 13, 11], stride: [2, 2] },
  { shape: [2, 3, 2, 5], stride: [3, 1] },
  { shape: [1, 1, 1, 1], stride: [1, 1] },
  { shape: [1, 2, 1, 7], stride: [2, 3] },
];

describe.skipIf(!device)('blur and its gradient on WebGPU match the CPU', () => {
  for (const { shape, stride } of blurCases) {
    it(`for x ${shape.join('×')} at stride ${stride.join('×')}`, async () => {
      const attrs = { stride };
      const x = tensor(shape, 13);
      const what = `x ${shape.join('×')}, stride ${stride}`;
      await expectGpuMatchesCpu(backend!, { op: 'blur', attrs, inputs: [x], reduction: 9 }, what);
      const y = [
        shape[0]!,
        shape[1]!,
        Math.floor((shape[2]! - 1) / stride[0]) + 1,
        Math.floor((shape[3]! - 1) / stride[1]) + 1,
      ];
      await expectGpuMatchesCpu(
        backend!,
        { op: 'blur_grad', attrs, inputs: [tensor(y, 14)], declared: shape, reduction: 36 },
        what,
      );
    });
  }
});

const globalShapes = [
  [3, 5, 7, 7],
  [1, 1, 1, 1],
  [2, 3, 13, 11],
  [1, 2, 32, 33],
];

describe.skipIf(!device)('global pools and their gradients on WebGPU match the CPU', () => {
  for (const shape of globalShapes) {
    it(`for x ${shape.join('×')}`, async () => {
      const x = tensor(shape, 15);
      const dy = tensor(shape.slice(0, 2), 16);
      const plane = shape[2]! * shape[3]!;
      const what = `x ${shape.join('×')}`;
      const gpu = backend!;
      const attrs = {};
      await expectGpuMatchesCpu(
        gpu,
        { op: 'global_avgpool', attrs, inputs: [x], reduction: plane },
        what,
      );
      await expectGpuMatchesCpu(
        gpu,
        { op: 'global_avgpool_grad', attrs, inputs: [dy], declared: shape, reduction: 1 },
        what,
      );
      await expectGpuMatchesCpu(
        gpu,
        { op: 'global_maxpool', attrs, inputs: [x], reduction: 1 },
        what,
      );
      await expectGpuMatchesCpu(
        gpu,
        { op: 'global_maxpool_grad', attrs, inputs: [x, dy], reduction: 1 },
        what,
      );
    });
  }

  it('send the gradient to the first maximum on ties and NaN', async () => {
    const shape = [2, 3, 5, 4];
    const tied = tensor(shape, 17, 3);
    const withNan = {
      shape,
      data: Array.from(tensor(shape, 18).data).map((v, i) => (i % 11 === 5 ? Number.NaN : v)),
    };
    const dy = tensor([2, 3], 19);
    for (const x of [tied, withNan]) {
      await expectGpuMatchesCpu(
        backend!,
        { op: 'global_maxpool', attrs: {}, inputs: [x], reduction: 1 },
        'ties',
      );
      await expectGpuMatchesCpu(
        backend!,
        { op: 'global_maxpool_grad', attrs: {}, inputs: [x, dy], reduction: 1 },
        'ties',
      );
    }
  });
});

const upsampleCases: { readonly shape: readonly number[]; readonly scale: number }[] = [
  { shape: [1, 1, 1, 1], scale: 3 },
  { shape: [3, 2, 5, 7], scale: 2 },
  { shape: [2, 3, 4, 3], scale: 3 },
  { shape: [1, 2, 1, 6], scale: 4 },
  { shape: [2, 1, 3, 2], scale: 1 },
];

describe.skipIf(!device)('upsample and its gradient on WebGPU match the CPU', () => {
  for (const mode of ['nearest', 'bilinear'] as const) {
    for (const { shape, scale } of upsampleCases) {
      it(`${mode}, for x ${shape.join('×')} by ${scale}`, async () => {
        const attrs = { scale, mode };
        const x = tensor(shape, 20);
        const y = [shape[0]!, shape[1]!, shape[2]! * scale, shape[3]! * scale];
        const what = `${mode}, x ${shape.join('×')}, scale ${scale}`;
        await expectGpuMatchesCpu(
          backend!,
          { op: 'upsample', attrs, inputs: [x], reduction: 4 },
          what,
        );
        const reach = (mode === 'nearest' ? 1 : 3) * scale;
        await expectGpuMatchesCpu(
          backend!,
          { op: 'upsample_grad', attrs, inputs: [tensor(y, 21)], reduction: reach * reach },
          what,
        );
      });
    }
  }
});
