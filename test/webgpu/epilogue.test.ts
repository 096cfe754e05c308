import { describe, expect, it } from 'vitest';
import type { Pair } from '../../src/compiler/ir/ops.js';
import { cpuKernels } from '../../src/runtime/cpu/kernels/index.js';
import type { Kernel } from '../../src/runtime/cpu/kernel.js';
import type {
  ActivationGrad,
  EpilogueActivation,
  PrimAttrMap,
  PrimKind,
} from '../../src/runtime/program.js';
import { createWebGpuBackend, type WebGpuBackend } from '../../src/runtime/webgpu/backend.js';
import { plainConvKernels } from '../../src/runtime/webgpu/kernels/conv.js';
import { wgslKernels } from '../../src/runtime/webgpu/kernels/index.js';
import type { WgslCall, WgslKernel } from '../../src/runtime/webgpu/kernels/kernel.js';
import { callKernel, size, type TensorArg } from '../helpers/kernels.js';
import {
  convAttrs,
  convShapes,
  describeConv,
  describePool,
  poolShapes,
  randomConvCases,
  randomPoolCases,
  type ConvCase,
  type PoolCase,
} from '../runtime/kernels/spatialCases.js';
import { exact } from './cases.js';
import { testDevice } from './gpu.js';
import { expectClose, runCpu, runGpu as runGpuCase } from './harness.js';
import { expectGpuMatchesCpu, tensor, values, type SpatialCheck } from './spatialHarness.js';

/*
 * The epilogue forms of the WGSL kernels against the CPU kernels: dense and conv2d with
 * `activation`, dense_grad_input, conv2d_grad_input, maxpool_grad and avgpool_grad with
 * `activationGrad` (blocked and plain convolution forms, zero, reflect and replicate
 * padding), and `activation_grad` itself, on sizes of 1, primes and sizes that are not
 * multiples of the blocks (4 for dense, up to 16 channels × 4 pixels for convolutions) or of
 * the workgroup (64).
 *
 * Tolerances. The fused kernels use spatialHarness.ts's: rtol 1e-4, atol 1e-5·√L for an
 * element that sums L products. The epilogue does not widen them: every activation has a
 * slope of at most 1.13 (gelu's largest), so it carries the float32 error of the sum over
 * at most that much, and its own float32 evaluation adds a few ulp (erfc's fit 1e-6
 * relative), far inside rtol 1e-4; every derivative written from the output is at most 1 in
 * magnitude on the activation's range (y ∈ (0, 1) for sigmoid, (−1, 1) for tanh, elu's
 * y + alpha ≤ alpha ≤ 1, leaky alpha ≤ 1). `activation_grad` alone is one or two float32
 * products per element against the CPU's float64 product rounded once: cases.ts's `exact`,
 * rtol 1e-6, atol 1e-7 (1 − y² loses digits as |y| → 1, but only ε·|dY| absolutely).
 */

const { device, reason } = await testDevice();
const backend: WebGpuBackend | undefined = device && createWebGpuBackend(device);
/** The one-output-per-invocation convolutions, whose gathers have their own epilogue. */
const plain =
  device && createWebGpuBackend(device, { kernels: { ...wgslKernels, ...plainConvKernels } });
/** Few workgroups per grid dimension (2-D grids) and four storage buffers a dispatch. */
const tight =
  device &&
  createWebGpuBackend(device, {
    limits: { maxComputeWorkgroupsPerDimension: 5, maxStorageBuffersPerShaderStage: 4 },
  });

const activations: readonly EpilogueActivation[] = [
  { kind: 'relu', alpha: 0 },
  { kind: 'sigmoid', alpha: 0 },
  { kind: 'tanh', alpha: 0 },
  { kind: 'softplus', alpha: 0 },
  { kind: 'gelu', alpha: 0 },
  { kind: 'elu', alpha: 1 },
  { kind: 'elu', alpha: 0.4 },
  { kind: 'leaky_relu', alpha: 0.01 },
  { kind: 'leaky_relu', alpha: 0.3 },
];

const grads: readonly ActivationGrad[] = [
  { kind: 'relu', alpha: 0 },
  { kind: 'sigmoid', alpha: 0 },
  { kind: 'tanh', alpha: 0 },
  { kind: 'elu', alpha: 1 },
  { kind: 'elu', alpha: 0.4 },
  { kind: 'leaky_relu', alpha: 0.01 },
  { kind: 'leaky_relu', alpha: 0.3 },
];

const label = (a: EpilogueActivation | ActivationGrad) =>
  a.kind === 'elu' || a.kind === 'leaky_relu' ? `${a.kind}(${a.alpha})` : a.kind;

/**
 * y = act(x) by the CPU activation kernel, x from `seed` in [−3, 3) with exact zeros and a
 * few saturated values mixed in: the activation output an `activationGrad` reads.
 */
function activationOutput(g: ActivationGrad, shape: readonly number[], seed: number): TensorArg {
  const special = [0, 12, -12, 1e-4, -1e-4];
  const x = values(size(shape), seed).map((v, i) => (i % 7 === 3 ? special[i % 5]! : 3 * v));
  const attrs = g.kind === 'elu' || g.kind === 'leaky_relu' ? { alpha: g.alpha } : {};
  const kernel = cpuKernels[g.kind] as Kernel<PrimKind>;
  const [y] = callKernel(kernel, attrs as never, [{ data: x, shape }], [shape]);
  return { data: Array.from(y!), shape };
}

/** Runs a check and asserts that WebGPU did it in one dispatch. */
async function expectOneDispatch<K extends PrimKind>(
  gpu: WebGpuBackend,
  check: SpatialCheck<K>,
  what: string,
): Promise<void> {
  await expectGpuMatchesCpu(gpu, check, what);
  expect(gpu.stats.lastDispatches, `${check.op} ${what}: dispatches`).toBe(1);
}

// ------------------------------------------------------------------ without a device

/** The dispatches a kernel makes for a call, with the device's limits out of the way. */
function dispatches<K extends PrimKind>(
  op: K,
  attrs: PrimAttrMap[K],
  inputShapes: number[][],
  outputShapes: number[][],
) {
  const kernel = wgslKernels[op] as WgslKernel<K>;
  const call: WgslCall<K> = {
    op,
    attrs,
    inputShapes,
    outputShapes,
    inputIds: inputShapes.map((_, i) => i),
    outputIds: outputShapes.map((_, j) => inputShapes.length + j),
    limits: { maxComputeWorkgroupsPerDimension: 65535, maxStorageBuffersPerShaderStage: 8 },
  };
  return kernel(call);
}

describe('the epilogue kernels', () => {
  const conv = convAttrs({ filters: 3, kernel: [3, 3], pad: [1, 1] });
  const reflect = { ...conv, padMode: 'reflect' as const };
  const pool = { kernel: [2, 2] as Pair, stride: [2, 2] as Pair, pad: [0, 0] as Pair };
  const g: ActivationGrad = { kind: 'elu', alpha: 0.5 };
  const x = [2, 4, 6, 6];
  const cases = [
    dispatches(
      'dense',
      { bias: true, activation: activations[4]! },
      [[2, 3], [4, 3], [4]],
      [[2, 4]],
    ),
    dispatches(
      'conv2d',
      { ...conv, activation: activations[6]! },
      [x, [3, 4, 3, 3], [3]],
      [[2, 3, 6, 6]],
    ),
    dispatches(
      'conv2d',
      { ...reflect, activation: activations[6]! },
      [x, [3, 4, 3, 3], [3]],
      [[2, 3, 6, 6]],
    ),
    dispatches(
      'dense_grad_input',
      { activationGrad: g },
      [
        [2, 4],
        [4, 3],
        [2, 3],
      ],
      [[2, 3]],
    ),
    dispatches(
      'conv2d_grad_input',
      { ...conv, activationGrad: g },
      [[2, 3, 6, 6], [3, 4, 3, 3], x],
      [x],
    ),
    dispatches(
      'conv2d_grad_input',
      { ...reflect, activationGrad: g },
      [[2, 3, 6, 6], [3, 4, 3, 3], x],
      [x],
    ),
    dispatches('maxpool_grad', { ...pool, activationGrad: g }, [x, [2, 4, 3, 3], x], [x]),
    dispatches('avgpool_grad', { ...pool, activationGrad: g }, [[2, 4, 3, 3], x], [x]),
  ];

  it('apply the activation or its derivative in the one dispatch of the layer', () => {
    for (const [i, d] of cases.entries()) {
      expect(d.length, `case ${i}`).toBe(1);
      expect(d[0]!.code, `case ${i}`).toMatch(i < 3 ? /= act_\(/ : /= act_grad_\(/);
    }
  });

  it('bind the activation output, the last input, read-only', () => {
    for (const d of cases.slice(3)) {
      const last = d === cases[7] ? 1 : 2;
      const y = d[0]!.bindings.filter(
        (b) => b.operand.side === 'input' && b.operand.index === last,
      );
      expect(y, d[0]!.label).toEqual([{ operand: { side: 'input', index: last }, access: 'read' }]);
    }
  });

  it('share one module across alphas: alpha is a uniform', () => {
    const with03 = dispatches(
      'dense',
      { bias: false, activation: { kind: 'elu', alpha: 0.3 } },
      [
        [2, 3],
        [4, 3],
      ],
      [[2, 4]],
    );
    const with1 = dispatches(
      'dense',
      { bias: false, activation: { kind: 'elu', alpha: 1 } },
      [
        [2, 3],
        [4, 3],
      ],
      [[2, 4]],
    );
    expect(with03[0]!.code).toBe(with1[0]!.code);
  });
});

// ------------------------------------------------------------------ activation_grad

describe.skipIf(!device)(
  `activation_grad on WebGPU matches the CPU${device ? '' : ` (skipped: ${reason})`}`,
  () => {
    for (const g of grads) {
      it(`${label(g)} on sizes 1, 2, 7, 63, 64, 65, 257, 1031`, async () => {
        for (const n of [1, 2, 7, 63, 64, 65, 257, 1031]) {
          const y = activationOutput(g, [n], n);
          const dy = { data: values(n, n + 1), shape: [n] };
          const c = {
            op: 'activation_grad' as const,
            attrs: g,
            inputs: [y, dy],
            outputShapes: [[n]],
          };
          const [gpu] = await runGpuCase(backend!, backend!.createState(), c);
          const [cpu] = runCpu(c);
          expectClose(gpu!, cpu!, exact, `${label(g)} on [${n}]`);
        }
      });
    }

    it('on a 2-D grid of workgroups', async () => {
      const n = 1031;
      const c = {
        op: 'activation_grad' as const,
        attrs: grads[4]!,
        inputs: [activationOutput(grads[4]!, [n], 3), { data: values(n, 4), shape: [n] }],
        outputShapes: [[n]],
      };
      const [gpu] = await runGpuCase(tight!, tight!.createState(), c);
      expectClose(gpu!, runCpu(c)[0]!, exact, 'elu(0.4) on [1031]');
    });
  },
);

// ------------------------------------------------------------------ dense

const denseSizes = [
  [1, 1, 1],
  [3, 5, 7],
  [17, 33, 10],
  [65, 3, 64],
  [7, 129, 13],
] as const;

async function checkDense(gpu: WebGpuBackend, rows: number, depth: number, units: number) {
  const x = { data: values(rows * depth, rows).map((v) => 2 * v), shape: [rows, depth] };
  const w = tensor([units, depth], depth);
  const b = tensor([units], units);
  const dims = `${rows}×${depth} → ${units}`;
  for (const a of activations) {
    for (const bias of [true, false]) {
      await expectOneDispatch(
        gpu,
        {
          op: 'dense',
          attrs: { bias, activation: a },
          inputs: bias ? [x, w, b] : [x, w],
          reduction: depth + 1,
        },
        `${label(a)}, ${dims}${bias ? ' with bias' : ''}`,
      );
    }
  }
  const dy = tensor([rows, units], units + 1);
  for (const g of grads) {
    const y = activationOutput(g, [rows, depth], rows + depth);
    await expectOneDispatch(
      gpu,
      {
        op: 'dense_grad_input',
        attrs: { activationGrad: g },
        inputs: [dy, w, y],
        reduction: units,
      },
      `${label(g)}, ${dims}`,
    );
  }
}

describe.skipIf(!device)('dense and dense_grad_input with an epilogue on WebGPU', () => {
  for (const [rows, depth, units] of denseSizes) {
    it(`match the CPU for ${rows}×${depth} → ${units}`, () =>
      checkDense(backend!, rows, depth, units));
  }

  it('match the CPU on 2-D grids with four storage buffers a dispatch', () =>
    checkDense(tight!, 65, 3, 64));

  it('pass a NaN through relu, as the stand-alone relu does', async () => {
    const x = { data: [0.5, Number.NaN, -1, 2, 0.25, -0.5], shape: [2, 3] };
    const check = {
      op: 'dense' as const,
      attrs: { bias: false, activation: activations[0]! },
      inputs: [x, tensor([5, 3], 2)],
      reduction: 3,
    };
    await expectOneDispatch(backend!, check, 'with a NaN');
  });
});

// ------------------------------------------------------------------ conv2d

const area = (k: Pair) => k[0] * k[1];
/** Window elements that can fold onto one element through reflect/replicate padding. */
const ring = (pad: Pair) => (1 + 2 * pad[0]) * (1 + 2 * pad[1]);

const convCases: ConvCase[] = [
  {
    name: 'a 1×1 image and kernel, batch 1',
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
    name: 'twenty filters over ten channels (ragged channel blocks)',
    batch: 1,
    channels: 10,
    size: [6, 9],
    attrs: convAttrs({ filters: 20, kernel: [3, 3], pad: [1, 1] }),
  },
  {
    name: 'three groups at stride 2',
    batch: 2,
    channels: 6,
    size: [9, 7],
    attrs: convAttrs({ filters: 9, kernel: [3, 3], stride: [2, 2], pad: [1, 1], groups: 3 }),
  },
  {
    name: 'reflect padding of 2',
    batch: 2,
    channels: 3,
    size: [7, 5],
    attrs: convAttrs({ filters: 2, kernel: [3, 3], pad: [2, 2], padMode: 'reflect' }),
  },
  {
    name: 'replicate padding with stride 2',
    batch: 1,
    channels: 2,
    size: [6, 5],
    attrs: convAttrs({
      filters: 3,
      kernel: [3, 3],
      stride: [2, 2],
      pad: [1, 1],
      padMode: 'replicate',
    }),
  },
  ...randomConvCases(3, 71),
];

async function checkConv(
  gpu: WebGpuBackend,
  c: ConvCase,
  forward: readonly EpilogueActivation[],
  backward: readonly ActivationGrad[],
): Promise<void> {
  const s = convShapes(c);
  const a = c.attrs;
  const x = { data: values(size(s.x), 1).map((v) => 2 * v), shape: s.x };
  const w = tensor(s.w, 2);
  const inputs = a.bias ? [x, w, tensor(s.b, 4)] : [x, w];
  const what = describeConv(c);
  const taps = (c.channels / a.groups) * area(a.kernel);
  for (const act of forward) {
    await expectOneDispatch(
      gpu,
      { op: 'conv2d', attrs: { ...a, activation: act }, inputs, reduction: taps + 1 },
      `${label(act)}, ${what}`,
    );
  }
  const dy = tensor(s.y, 3);
  const fan = (a.filters / a.groups) * area(a.kernel) * ring(a.pad);
  for (const g of backward) {
    await expectOneDispatch(
      gpu,
      {
        op: 'conv2d_grad_input',
        attrs: { ...a, activationGrad: g },
        inputs: [dy, w, activationOutput(g, s.x, 5)],
        declared: s.x,
        reduction: fan,
      },
      `${label(g)}, ${what}`,
    );
  }
}

/*
 * Every kind of activation is checked on dense above; what a convolution adds is where its
 * store puts the epilogue, which does not depend on the kind. Each convolution case takes
 * one activation and one derivative, in turn, so that all of them meet the convolution
 * kernels without compiling every kind for every block shape (each a few seconds of shader
 * compilation on a software rasterizer).
 */
const nth = <T>(list: readonly T[], i: number): T => list[i % list.length]!;

describe.skipIf(!device)('conv2d and conv2d_grad_input with an epilogue on WebGPU', () => {
  for (const [i, c] of convCases.entries()) {
    const act = nth(activations, i);
    const g = nth(grads, i);
    it(`match the CPU for ${c.name} (${label(act)}, ${label(g)}')`, () =>
      checkConv(backend!, c, [act], [g]));
  }

  it('match the CPU in the plain form, one output per invocation', async () => {
    for (const [i, c] of convCases.entries()) {
      await checkConv(plain!, c, [nth(activations, i + 4)], [nth(grads, i + 3)]);
    }
  });

  it('match the CPU on 2-D grids with four storage buffers a dispatch', () =>
    checkConv(tight!, convCases[4]!, [activations[1]!], [grads[3]!]));
});

// ------------------------------------------------------------------ residual

describe.skipIf(!device)('dense and conv2d with a residual epilogue on WebGPU', () => {
  it('match the CPU, with and without an activation, in one dispatch', async () => {
    for (const [rows, depth, units] of [
      [3, 5, 7],
      [17, 33, 10],
    ] as const) {
      const x = tensor([rows, depth], depth);
      const inputs = [x, tensor([units, depth], units), tensor([units], 3)];
      const r = { data: values(rows * units, 4).map((v) => 3 * v), shape: [rows, units] };
      for (const a of [undefined, activations[0]!]) {
        await expectOneDispatch(
          backend!,
          {
            op: 'dense',
            attrs: { bias: true, residual: true, ...(a && { activation: a }) },
            inputs: [...inputs, r],
            reduction: depth + 2,
          },
          `${a ? label(a) : 'no activation'}, ${rows}×${depth} → ${units}`,
        );
      }
    }
    for (const [i, c] of convCases.slice(0, 4).entries()) {
      const s = convShapes(c);
      const a = c.attrs;
      const inputs = [tensor(s.x, 1), tensor(s.w, 2), ...(a.bias ? [tensor(s.b, 4)] : [])];
      const r = { data: values(size(s.y), 5).map((v) => 3 * v), shape: s.y };
      const taps = (c.channels / a.groups) * area(a.kernel);
      for (const gpu of [backend!, plain!]) {
        await expectOneDispatch(
          gpu,
          {
            op: 'conv2d',
            attrs: { ...a, residual: true, activation: nth(activations, i) },
            inputs: [...inputs, r],
            reduction: taps + 2,
          },
          `${label(nth(activations, i))}, ${describeConv(c)}`,
        );
      }
    }
  });
});

// ------------------------------------------------------------------ pools

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
    name: '3×3 tiles over 10×11 (rows and columns in no window)',
    batch: 2,
    channels: 2,
    size: [10, 11],
    attrs: pool([3, 3], [3, 3]),
  },
  { name: 'a 1×1 image', batch: 1, channels: 1, size: [1, 1], attrs: pool([1, 1], [1, 1]) },
  ...randomPoolCases(3, 73),
];

describe.skipIf(!device)('maxpool_grad and avgpool_grad with an epilogue on WebGPU', () => {
  for (const c of poolCases) {
    it(`match the CPU for ${c.name}`, async () => {
      const s = poolShapes(c);
      const a = c.attrs;
      const x = tensor(s.x, 9);
      const dy = tensor(s.y, 10);
      const k = area(a.kernel);
      for (const g of grads) {
        const y = activationOutput(g, s.x, 11);
        const what = `${label(g)}, ${describePool(c)}`;
        const attrs = { ...a, activationGrad: g };
        await expectOneDispatch(
          backend!,
          { op: 'maxpool_grad', attrs, inputs: [x, dy, y], reduction: k },
          what,
        );
        await expectOneDispatch(
          backend!,
          { op: 'avgpool_grad', attrs, inputs: [dy, y], declared: s.x, reduction: k },
          what,
        );
      }
    });
  }
});
