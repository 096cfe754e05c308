import { describe, expect, it } from 'vitest';
import type { ActivationGrad, EpilogueActivation } from '../../src/runtime/program.js';
import { createWebGpuBackend, type WebGpuBackend } from '../../src/runtime/webgpu/backend.js';
import { dense } from '../../src/runtime/webgpu/kernels/linear.js';
import {
  DEFAULT_PRODUCT_VARIANT,
  productCandidates,
  productVariants,
} from '../../src/runtime/webgpu/kernels/product.js';
import { sums } from './cases.js';
import { testDevice } from './gpu.js';
import { expectClose, generator, runCpu, runGpu, type OpCase } from './harness.js';

/*
 * Every variant of the matrix product (product.ts) behind dense, dense_grad_input and
 * dense_grad_weight against the CPU kernels, with every epilogue form (bias, activation,
 * activationGrad's y, biasGrad's row sums), on sizes of 1, primes and sizes that are not
 * multiples of the blocks (4, 8, 16), of the tiles (64) or of splitk's share of k (64); one
 * size per operand layout that vec4 loads apply to (strides and sizes multiples of 4).
 * Tolerance: cases.ts's `sums`, as for the default variant.
 *
 * Then the tuner: it times the candidates once per class of calls and adapter, picks one of
 * them, and a second plan of the class times nothing.
 */

const { device, reason } = await testDevice();

const random = generator(7);
const tensor = (shape: number[], lo = -1, hi = 1) => ({
  data: random.uniform(
    shape.reduce((a, d) => a * d, 1),
    lo,
    hi,
  ),
  shape,
});

const elu: EpilogueActivation = { kind: 'elu', alpha: 0.4 };
const tanhGrad: ActivationGrad = { kind: 'tanh', alpha: 0 };

/** The six forms of the three products for x: [rows, depth], W: [units, depth]. */
function forms(rows: number, depth: number, units: number): { name: string; case: OpCase }[] {
  const x = tensor([rows, depth]);
  const w = tensor([units, depth]);
  const b = tensor([units]);
  const dy = tensor([rows, units]);
  const y = tensor([rows, depth], -0.99, 0.99); // a tanh output
  const dims = `${rows}×${depth} → ${units}`;
  const out = (r: number, c: number) => [[r, c]];
  return [
    {
      name: `dense ${dims} with bias and elu`,
      case: {
        op: 'dense',
        attrs: { bias: true, activation: elu },
        inputs: [x, w, b],
        outputShapes: out(rows, units),
      },
    },
    {
      name: `dense ${dims}`,
      case: { op: 'dense', attrs: { bias: false }, inputs: [x, w], outputShapes: out(rows, units) },
    },
    {
      name: `dense_grad_input ${dims}`,
      case: { op: 'dense_grad_input', attrs: {}, inputs: [dy, w], outputShapes: out(rows, depth) },
    },
    {
      name: `dense_grad_input ${dims} times tanh'(y)`,
      case: {
        op: 'dense_grad_input',
        attrs: { activationGrad: tanhGrad },
        inputs: [dy, w, y],
        outputShapes: out(rows, depth),
      },
    },
    {
      name: `dense_grad_weight ${dims}`,
      case: {
        op: 'dense_grad_weight',
        attrs: {},
        inputs: [dy, x],
        outputShapes: out(units, depth),
      },
    },
    {
      name: `dense_grad_weight ${dims} with biasGrad`,
      case: {
        op: 'dense_grad_weight',
        attrs: { biasGrad: true },
        inputs: [dy, x],
        outputShapes: [[units, depth], [units]],
      },
    },
  ];
}

/**
 * [rows, depth, units]: all ones; a prime batch with depth and units multiples of 4 (vec4
 * along k for dense, along k and j for the input gradient, along i and j for the weight
 * gradient) but not of the blocks; primes throughout (scalar loads); two 64-row tiles, k
 * shorter than one tile's depth; k longer than several of splitk's passes.
 */
const sizes = [
  [1, 1, 1],
  [13, 36, 20],
  [17, 33, 10],
  [65, 3, 64],
  [5, 200, 6],
] as const;

/** Sizes among which each variant finds one needing a 2-D grid under tight limits. */
const twoDimensional: readonly (readonly [number, number, number])[] = [
  [65, 33, 70],
  [41, 37, 44],
  [130, 70, 140],
  [200, 7, 330],
  [12, 5, 20],
];

async function check(backend: WebGpuBackend, c: { name: string; case: OpCase }) {
  const gpu = await runGpu(backend, backend.createState(), c.case);
  const cpu = runCpu(c.case);
  gpu.forEach((out, j) => expectClose(out, cpu[j]!, sums, `${c.name}, output ${j}`));
}

describe.skipIf(!device)(
  `every product variant matches the CPU${device ? '' : ` (skipped: ${reason})`}`,
  () => {
    for (const variant of productVariants.keys()) {
      it(variant, async () => {
        const backend = createWebGpuBackend(device!, { variantFor: () => variant });
        for (const [rows, depth, units] of sizes) {
          for (const c of forms(rows, depth, units)) await check(backend, c);
        }
      });
    }

    it('every variant on 2-D grids with four storage buffers a dispatch', async () => {
      for (const [variant, v] of productVariants) {
        // Workgroups of an m×n product, and a size whose products need a 2-D grid of at most
        // 5×5 (the kernel refuses more).
        const groups = (m: number, n: number) => {
          const tile = v.kind === 'tiled' ? 16 : 1;
          const units = Math.ceil(m / (v.bm * tile)) * Math.ceil(n / (v.bn * tile));
          return v.kind === 'block' ? Math.ceil(units / v.wg) : units;
        };
        const size = twoDimensional.find(([rows, depth, units]) => {
          const counts = [groups(rows, units), groups(rows, depth), groups(units, depth)];
          return counts.every((g) => g <= 25) && counts.some((g) => g > 5);
        });
        expect(size, `a size for ${variant}`).toBeDefined();
        const backend = createWebGpuBackend(device!, {
          variantFor: () => variant,
          limits: { maxComputeWorkgroupsPerDimension: 5, maxStorageBuffersPerShaderStage: 4 },
        });
        for (const c of forms(...size!)) {
          await check(backend, { ...c, name: `${variant}: ${c.name}` });
        }
      }
    });
  },
);

describe('product variants without a device', () => {
  const limits = { maxComputeWorkgroupsPerDimension: 65535, maxStorageBuffersPerShaderStage: 8 };
  const call = {
    op: 'dense' as const,
    attrs: { bias: false },
    inputShapes: [
      [32, 784],
      [30, 784],
    ],
    outputShapes: [[32, 30]],
    inputIds: [0, 1],
    outputIds: [2],
    limits,
  };

  it('untuned calls use the fixed default, so listings do not depend on timing', () => {
    expect(dense(call)[0]!.code).toBe(
      dense({ ...call, variant: DEFAULT_PRODUCT_VARIANT })[0]!.code,
    );
    expect(dense(call)[0]!.code).toBe(dense(call)[0]!.code);
  });

  it('candidates are variants, for CPU adapters and GPUs', () => {
    const p = { m: 32, n: 128, k: 21632, strides: { ai: 21632, ak: 1, bk: 1, bj: 21632 } };
    for (const software of [true, false]) {
      const names = productCandidates(p as never, software);
      expect(names.length).toBeGreaterThan(1);
      for (const name of names) expect(productVariants.has(name)).toBe(true);
    }
    expect(productCandidates(p as never, false)).toContain('tiled4x4');
  });

  it('an unknown variant is an internal error naming it', () => {
    expect(() => dense({ ...call, variant: 'block3x3' })).toThrow(/block3x3/);
  });
});

describe.skipIf(!device)('the tuner', () => {
  // A class of calls no other test of this file plans: 100×256 → 128 (128×128×256 rounded),
  // above the tuner's 4 MFLOP threshold.
  const w = tensor([128, 256]);
  const b = tensor([128]);
  const denseCase = (rows: number): OpCase => ({
    op: 'dense',
    attrs: { bias: true },
    inputs: [tensor([rows, 256]), w, b],
    outputShapes: [[rows, 128]],
  });

  it('times the candidates once, picks one of them and gives the CPU result', async () => {
    const backend = createWebGpuBackend(device!, { tune: true });
    expect(backend.tuning).toEqual([]);
    const c = denseCase(100);
    const [out] = await runGpu(backend, backend.createState(), c);
    expectClose(out!, runCpu(c)[0]!, sums, 'tuned dense');
    const timed = backend.stats.tuningRuns;
    expect(timed).toBeGreaterThan(1);
    expect(backend.tuning).toHaveLength(1);
    const [choice] = backend.tuning;
    expect(choice).toMatchObject({ op: 'dense', m: 100, n: 128, k: 256 });
    const candidates = choice!.timings.map((t) => t.variant);
    expect(candidates).toHaveLength(timed);
    expect(candidates).toContain(choice!.variant);
    expect(choice!.gflops).toBeGreaterThan(0);

    // Another plan of the class (a new state, another batch in the same class) times nothing.
    const other = denseCase(120);
    const [again] = await runGpu(backend, backend.createState(), other);
    expectClose(again!, runCpu(other)[0]!, sums, 'second plan');
    expect(backend.stats.tuningRuns).toBe(timed);

    // Nor does another backend on the same adapter: choices are kept per adapter.
    const second = createWebGpuBackend(device!, { tune: true });
    await runGpu(second, second.createState(), c);
    expect(second.stats.tuningRuns).toBe(0);
    expect(second.tuning.map((t) => t.key)).toContain(choice!.key);
  });

  it('leaves small products to the default, untimed', async () => {
    const backend = createWebGpuBackend(device!, { tune: true });
    const before = backend.tuning.length;
    const c: OpCase = {
      op: 'dense',
      attrs: { bias: false },
      inputs: [tensor([9, 23]), tensor([5, 23])],
      outputShapes: [[9, 5]],
    };
    const [out] = await runGpu(backend, backend.createState(), c);
    expectClose(out!, runCpu(c)[0]!, sums, 'small dense');
    expect(backend.stats.tuningRuns).toBe(0);
    expect(backend.tuning).toHaveLength(before);
  });

  it('an untuned backend reports no choices', () => {
    expect(createWebGpuBackend(device!).tuning).toEqual([]);
  });
});
