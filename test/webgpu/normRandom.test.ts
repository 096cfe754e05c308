import { describe, expect, it } from 'vitest';
import type { EpilogueActivation, PrimAttrMap, PrimKind } from '../../src/runtime/program.js';
import { randomUniform, streams } from '../../src/runtime/rng.js';
import { createWebGpuBackend, type WebGpuBackend } from '../../src/runtime/webgpu/backend.js';
import type { TensorArg } from '../helpers/kernels.js';
import { testDevice } from './gpu.js';
import { expectClose, generator, runCpu, runGpu, type OpCase, type Tolerance } from './harness.js';

/*
 * Normalization, randomness and the contrastive loss on WebGPU against the CPU kernels, on
 * [N, D] and [N, C, H, W] tensors with batch 1 and 3 and sizes that are 1, primes and not
 * multiples of a workgroup (64 invocations for elementwise kernels, 256 for the per-channel
 * and per-sample sums), some more than one workgroup's share.
 *
 * Tolerances, |gpu − cpu| ≤ atol + rtol·|cpu| element by element:
 * - Uniform draws and the dropout mask: the same bits. This is what checks the WGSL port of
 *   rng.ts, on more than 10^5 draws with a seed above 2^31 and a large step.
 * - Standard normal draws: 2e-6 absolute plus 2e-6 relative. The words are the CPU's, but
 *   Box–Muller runs in float32 with the device's log, sqrt and cos (rngWgsl.ts); lavapipe
 *   stays below 1e-6 absolute. Scaled draws (mean + std·z, x + std·z) scale that bound.
 * - Normalization and contrastive: float32 sums in a tree against the CPU's float64 sums,
 *   1e-5 relative plus 1e-5 absolute; 2e-5 for the gradients, whose
 *   m·dY − Σ dY − x̂·Σ dY·x̂ cancels. Lavapipe uses at most a third of either.
 * - Elementwise float32 arithmetic against float64 rounded once (batchnorm_infer, dropout's
 *   y, a uniform range that is not a power of two): 1e-6 relative plus 1e-7 absolute.
 */

const { device } = await testDevice();

const sums: Tolerance = { rtol: 1e-5, atol: 1e-5 };
const gradientSums: Tolerance = { rtol: 2e-5, atol: 2e-5 };
const normal: Tolerance = { rtol: 2e-6, atol: 2e-6 };
const ulps: Tolerance = { rtol: 1e-6, atol: 1e-7 };
const exact: Tolerance = { rtol: 0, atol: 0 };

/** The normal tolerance for std·z added to values of up to `offset` in magnitude. */
const scaledNormal = (std: number, offset: number): Tolerance => ({
  rtol: normal.rtol,
  atol: std * normal.atol + ulps.rtol * offset,
});

/** [N, D] and [N, C, H, W]: fixed edge cases, then a few drawn at random (seeded). */
function shapes(): number[][] {
  const g = generator(20261201);
  const small = [1, 2, 3, 5, 7, 11, 13, 17];
  const pick = (list: readonly number[]) => list[g.int(0, list.length - 1)]!;
  const fixed = [
    [1, 1],
    [3, 1],
    [1, 7],
    [3, 257],
    [1, 1, 1, 1],
    [3, 2, 1, 1],
    [1, 3, 5, 7],
    [3, 5, 13, 11],
    [1, 2, 17, 19],
  ];
  const drawn = [
    [pick([1, 3]), pick([257, 263, 509])],
    [pick([1, 3]), pick(small), pick(small), pick(small)],
    [pick([1, 3]), pick(small), pick(small), pick(small)],
  ];
  return [...fixed, ...drawn];
}

const size = (shape: readonly number[]) => shape.reduce((a, d) => a * d, 1);

/** Seeded test values in [lo, hi). */
function tensor(shape: readonly number[], seed: number, lo = -1, hi = 1): TensorArg {
  return { shape, data: generator(seed).uniform(size(shape), lo, hi) };
}

function opCase<K extends PrimKind>(
  op: K,
  attrs: PrimAttrMap[K],
  inputs: readonly TensorArg[],
  outputShapes: readonly (readonly number[])[],
  extra: Pick<OpCase<K>, 'inPlace' | 'ctx'> = {},
): OpCase {
  return { op, attrs, inputs, outputShapes, ...extra } as OpCase;
}

/** Runs `c` on both backends, compares output j within tolerances[j] and returns both. */
async function compare(
  backend: WebGpuBackend,
  c: OpCase,
  tolerances: readonly Tolerance[],
): Promise<{ gpu: Float32Array[]; cpu: Float32Array[] }> {
  const gpu = await runGpu(backend, backend.createState(), c);
  const cpu = runCpu(c);
  const shape = c.inputs[0]?.shape ?? c.outputShapes[0];
  cpu.forEach((expected, j) =>
    expectClose(gpu[j]!, expected, tolerances[j]!, `${c.op} on [${shape}], output ${j}`),
  );
  return { gpu, cpu };
}

/** Fails at the first element whose float32 bits differ. */
function expectSameBits(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const e = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  const i = a.findIndex((bits, k) => bits !== e[k]);
  if (i >= 0) {
    expect.fail(`${what}: element ${i} is ${actual[i]} on WebGPU, ${expected[i]} on the CPU`);
  }
}

/** x far from 0 (the two-pass variance matters), gamma, beta, running mean and variance. */
function batchnormInputs(shape: readonly number[], seed: number): TensorArg[] {
  const c = [shape[1]!];
  return [
    tensor(shape, seed, 2, 4),
    tensor(c, seed + 1, 0.5, 1.5),
    tensor(c, seed + 2),
    tensor(c, seed + 3),
    tensor(c, seed + 4, 0.5, 1.5),
  ];
}

/**
 * The running statistics are inputs 3 and 4, updated in place as outputs 3 and 4; with
 * `residual` one more input of x's shape comes last.
 */
function batchnormTrainCase(
  shape: readonly number[],
  seed: number,
  activation?: EpilogueActivation,
  residual = false,
): OpCase {
  const c = [shape[1]!];
  return opCase(
    'batchnorm_train',
    { momentum: 0.1, eps: 1e-5, ...(activation && { activation }), ...(residual && { residual }) },
    [...batchnormInputs(shape, seed), ...(residual ? [tensor(shape, seed + 9, -2, 2)] : [])],
    [shape, c, c, c, c],
    { inPlace: { 3: 3, 4: 4 } },
  );
}

function layernormCase(shape: readonly number[], seed: number): OpCase {
  const width = shape.slice(1);
  return opCase(
    'layernorm',
    { eps: 1e-5 },
    [tensor(shape, seed, -3, 5), tensor(width, seed + 1, 0.5, 1.5), tensor(width, seed + 2)],
    [shape, [shape[0]!], [shape[0]!]],
  );
}

/** [x, gamma, mean, invstd, dY], the statistics from the CPU's forward kernel. */
function gradInputs(forward: OpCase, seed: number): TensorArg[] {
  const [, mean, invstd] = runCpu(forward);
  const [x, gamma] = forward.inputs as [TensorArg, TensorArg];
  return [
    x,
    gamma,
    { data: mean!, shape: forward.outputShapes[1]! },
    { data: invstd!, shape: forward.outputShapes[2]! },
    tensor(x.shape, seed),
  ];
}

function batchnormGradCase(shape: readonly number[], seed: number): OpCase {
  const c = [shape[1]!];
  const inputs = gradInputs(batchnormTrainCase(shape, seed), seed + 5);
  return opCase('batchnorm_grad', {}, inputs, [shape, c, c]);
}

function layernormGradCase(shape: readonly number[], seed: number): OpCase {
  const width = shape.slice(1);
  const inputs = gradInputs(layernormCase(shape, seed), seed + 5);
  return opCase('layernorm_grad', {}, inputs, [shape, width, width]);
}

/**
 * Pairs at distances around the margin 1.5 (b = a + noise of about 1.15 in norm), `same`
 * alternating 0, 1, 0, ...; with three samples the last pair is identical, so d = 0 with
 * same = 0, where the gradient is defined as 0.
 */
function contrastiveInputs(shape: readonly number[], seed: number): TensorArg[] {
  const batch = shape[0]!;
  const width = size(shape) / batch;
  const a = tensor(shape, seed);
  const noise = generator(seed + 1).uniform(size(shape), -2, 2);
  const b = Array.from(a.data, (v, i) =>
    batch > 1 && i >= (batch - 1) * width ? v : v + noise[i]! / Math.sqrt(width),
  );
  const same = Array.from({ length: batch }, (_, n) => n % 2);
  return [a, { data: b, shape }, { data: same, shape: [batch] }];
}

describe.skipIf(!device)('normalization on WebGPU matches the CPU kernels', () => {
  const backend = createWebGpuBackend(device!);

  it('batchnorm_train: y, the batch statistics and the updated running statistics', async () => {
    for (const [k, shape] of shapes().entries()) {
      const c = batchnormTrainCase(shape, 100 + 10 * k);
      await compare(backend, c, [sums, sums, sums, sums, sums]);
    }
  });

  it('batchnorm_train updates the running statistics with momentum and the unbiased variance', async () => {
    const c = batchnormTrainCase([3, 2, 5, 7], 7);
    const { gpu } = await compare(backend, c, [sums, sums, sums, sums, sums]);
    const [x, , , oldMean, oldVar] = c.inputs.map((t) => Float32Array.from(t.data));
    for (let ch = 0; ch < 2; ch++) {
      const values: number[] = [];
      for (let n = 0; n < 3; n++)
        values.push(...x!.subarray((n * 2 + ch) * 35, (n * 2 + ch + 1) * 35));
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const unbiased = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
      expect(gpu[3]![ch]).toBeCloseTo(0.9 * oldMean![ch]! + 0.1 * mean, 5);
      expect(gpu[4]![ch]).toBeCloseTo(0.9 * oldVar![ch]! + 0.1 * unbiased, 5);
    }
  });

  it('batchnorm_infer', async () => {
    for (const [k, shape] of shapes().entries()) {
      const inputs = batchnormInputs(shape, 200 + 10 * k);
      await compare(backend, opCase('batchnorm_infer', { eps: 1e-5 }, inputs, [shape]), [ulps]);
    }
  });

  it('batchnorm with a residual epilogue, with and without an activation', async () => {
    const activations: (EpilogueActivation | undefined)[] = [undefined, { kind: 'relu', alpha: 0 }];
    for (const [k, activation] of activations.entries()) {
      const shape = [3, 4, 5, 3];
      await compare(backend, batchnormTrainCase(shape, 700 + k, activation, true), [
        sums,
        sums,
        sums,
        sums,
        sums,
      ]);
      const inputs = [...batchnormInputs(shape, 800 + k), tensor(shape, 900 + k, -2, 2)];
      const attrs = { eps: 1e-5, residual: true, ...(activation && { activation }) };
      await compare(backend, opCase('batchnorm_infer', attrs, inputs, [shape]), [sums]);
    }
  });

  it('batchnorm with an activation epilogue (relu, sigmoid, leaky_relu)', async () => {
    const activations: EpilogueActivation[] = [
      { kind: 'relu', alpha: 0 },
      { kind: 'sigmoid', alpha: 0 },
      { kind: 'leaky_relu', alpha: 0.2 },
    ];
    for (const [k, activation] of activations.entries()) {
      const shape = [3, 5, 7, 2];
      await compare(backend, batchnormTrainCase(shape, 500 + k, activation), [
        sums,
        sums,
        sums,
        sums,
        sums,
      ]);
      const inputs = batchnormInputs(shape, 600 + k);
      await compare(
        backend,
        opCase('batchnorm_infer', { eps: 1e-5, activation }, inputs, [shape]),
        [ulps],
      );
    }
  });

  it('batchnorm_grad: dX, dgamma and dbeta', async () => {
    for (const [k, shape] of shapes().entries()) {
      const c = batchnormGradCase(shape, 300 + 10 * k);
      await compare(backend, c, [gradientSums, gradientSums, gradientSums]);
    }
  });

  it('layernorm: y, and the mean and invstd of each sample', async () => {
    for (const [k, shape] of shapes().entries()) {
      await compare(backend, layernormCase(shape, 400 + 10 * k), [sums, sums, sums]);
    }
  });

  it('layernorm_grad: dX, dgamma and dbeta', async () => {
    for (const [k, shape] of shapes().entries()) {
      const c = layernormGradCase(shape, 500 + 10 * k);
      await compare(backend, c, [gradientSums, gradientSums, gradientSums]);
    }
  });
});

describe.skipIf(!device)('random kernels on WebGPU draw the CPU kernels’ numbers', () => {
  const backend = createWebGpuBackend(device!);
  // A seed above 2^31 and a large step: every word wraps around 2^32 somewhere.
  const ctx = { seed: 0xdeadbeef, step: 123457 };
  const many = [...shapes(), [3, 100003]];

  it('dropout: the same mask bit for bit, and y within float32 rounding', async () => {
    for (const [k, shape] of many.entries()) {
      for (const p of [0.1, 0.5]) {
        const x = tensor(shape, 600 + k);
        const c = opCase('dropout', { p, stream: k }, [x], [shape, shape], { ctx });
        const { gpu, cpu } = await compare(backend, c, [ulps, exact]);
        expectSameBits(gpu[1]!, cpu[1]!, `the dropout mask on [${shape}] with p = ${p}`);
      }
    }
  });

  it('dropout drops a draw that equals p rounded down to float32, as the CPU does', async () => {
    // Found by search: element 17 of this stream draws exactly fround(0.7), just below 0.7.
    const at = { seed: 773363, step: 0 };
    expect(randomUniform(at.seed, streams.instrBase, at.step, 17)).toBe(Math.fround(0.7));
    const c = opCase(
      'dropout',
      { p: 0.7, stream: 0 },
      [tensor([3, 7], 1)],
      [
        [3, 7],
        [3, 7],
      ],
      { ctx: at },
    );
    const { gpu, cpu } = await compare(backend, c, [ulps, exact]);
    expect(gpu[1]![17]).toBe(0);
    expectSameBits(gpu[1]!, cpu[1]!, 'the dropout mask');
  });

  it('random_uniform: the same bits on [0, 1) and [−2, 2), within rounding on [0.3, 1.7)', async () => {
    for (const [k, shape] of many.entries()) {
      for (const [low, high] of [
        [0, 1],
        [-2, 2],
      ] as const) {
        const c = opCase('random_uniform', { low, high, stream: k }, [], [shape], { ctx });
        const { gpu, cpu } = await compare(backend, c, [exact]);
        expectSameBits(gpu[0]!, cpu[0]!, `random_uniform on [${shape}] over [${low}, ${high})`);
      }
      const c = opCase('random_uniform', { low: 0.3, high: 1.7, stream: k }, [], [shape], { ctx });
      await compare(backend, c, [ulps]);
    }
  });

  it('random_normal: standard and scaled', async () => {
    for (const [k, shape] of many.entries()) {
      const standard = opCase('random_normal', { mean: 0, std: 1, stream: k }, [], [shape], {
        ctx,
      });
      await compare(backend, standard, [normal]);
      const scaled = opCase('random_normal', { mean: 1, std: 2, stream: k }, [], [shape], { ctx });
      await compare(backend, scaled, [scaledNormal(2, 1)]);
    }
  });

  it('gaussian_noise', async () => {
    for (const [k, shape] of shapes().entries()) {
      const x = tensor(shape, 700 + k);
      const c = opCase('gaussian_noise', { std: 0.5, stream: k }, [x], [shape], { ctx });
      await compare(backend, c, [scaledNormal(0.5, 1)]);
    }
  });

  it('sample_normal: z and eps', async () => {
    for (const [k, shape] of shapes().entries()) {
      const inputs = [tensor(shape, 800 + k), tensor(shape, 801 + k, -2, 2)];
      const c = opCase('sample_normal', { stream: k }, inputs, [shape, shape], { ctx });
      // z = mu + e^(logvar/2)·eps with e^(logvar/2) < e.
      await compare(backend, c, [scaledNormal(Math.E, 1), normal]);
    }
  });

  it('sample_normal_grad_logvar', async () => {
    for (const [k, shape] of shapes().entries()) {
      const inputs = [
        tensor(shape, 900 + k, -2, 2),
        tensor(shape, 901 + k, -3, 3),
        tensor(shape, 902 + k),
      ];
      const c = opCase('sample_normal_grad_logvar', {}, inputs, [shape]);
      await compare(backend, c, [ulps]);
    }
  });
});

describe.skipIf(!device)('the contrastive loss on WebGPU matches the CPU kernels', () => {
  const backend = createWebGpuBackend(device!);

  it('contrastive', async () => {
    for (const [k, shape] of shapes().entries()) {
      const c = opCase('contrastive', { margin: 1.5 }, contrastiveInputs(shape, 1000 + 10 * k), [
        [],
      ]);
      await compare(backend, c, [sums]);
    }
  });

  it('contrastive_grad: dA and dB', async () => {
    for (const [k, shape] of shapes().entries()) {
      const inputs = contrastiveInputs(shape, 1100 + 10 * k);
      const c = opCase('contrastive_grad', { margin: 1.5, weight: 0.7 }, inputs, [shape, shape]);
      await compare(backend, c, [gradientSums, gradientSums]);
    }
  });
});

describe.skipIf(!device)('kernels with more workgroups than one grid dimension holds', () => {
  // Four workgroups a dimension: the work spills into further rows, the last one part empty.
  const backend = createWebGpuBackend(device!, { limits: { maxComputeWorkgroupsPerDimension: 4 } });

  it('index their channels, samples and elements on a 2-D grid', async () => {
    await compare(backend, batchnormTrainCase([3, 11, 3, 5], 1), [sums, sums, sums, sums, sums]);
    await compare(backend, batchnormGradCase([3, 11, 3, 5], 2), [
      gradientSums,
      gradientSums,
      gradientSums,
    ]);
    await compare(backend, layernormCase([7, 301], 3), [sums, sums, sums]);
    await compare(backend, layernormGradCase([7, 301], 4), [
      gradientSums,
      gradientSums,
      gradientSums,
    ]);
    const ctx = { seed: 3, step: 9 };
    const x = tensor([3, 331], 5);
    const drop = opCase(
      'dropout',
      { p: 0.5, stream: 1 },
      [x],
      [
        [3, 331],
        [3, 331],
      ],
      { ctx },
    );
    await compare(backend, drop, [ulps, exact]);
    const draw = opCase('random_normal', { mean: 0, std: 1, stream: 2 }, [], [[3, 301]], { ctx });
    await compare(backend, draw, [normal]);
    const pairs = opCase(
      'contrastive_grad',
      { margin: 1.5, weight: 1 },
      contrastiveInputs([7, 9], 6),
      [
        [7, 9],
        [7, 9],
      ],
    );
    await compare(backend, pairs, [gradientSums, gradientSums]);
  });
});
