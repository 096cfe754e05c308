import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile, trainPlan } from '../../src/compiler/api.js';
import { createCpuBackend } from '../../src/runtime/cpu/backend.js';
import { gatherBatch, subset } from '../../src/runtime/data/dataset.js';
import { loadDataset } from '../../src/runtime/data/load.js';
import { instantiateModel, type Model } from '../../src/runtime/model.js';
import { prepareData } from '../../src/runtime/train/trainer.js';
import { createWebGpuBackend } from '../../src/runtime/webgpu/backend.js';
import { examples } from '../training/harness.js';
import { testDevice } from './gpu.js';
import { expectClose, type Tolerance } from './harness.js';

/*
 * Whole training steps of every trainable example on WebGPU against the CPU backend, from
 * the same seed and batch, with the fused programs and with the unfused ones: the loss and
 * every updated tensor (weights, optimizer state). Gradients are sums over the batch
 * computed in float32 on both, in different orders; after one step the weights differ by
 * lr times that rounding: rtol 1e-4, atol 1e-5 (more under Adam, below). Three more steps, whose
 * losses come back through `collectLosses`, compound it a little: rtol 1e-3, atol 1e-4.
 */

const { device } = await testDevice();
const oneStep: Tolerance = { rtol: 1e-4, atol: 1e-5 };
const fewSteps: Tolerance = { rtol: 1e-3, atol: 1e-4 };
// Adam's first steps move a weight by about lr·g/|g|: where |g| is near float32 rounding of
// the batch sums, that ratio, hence the weight, differs by a sizeable part of lr (measured:
// 2.7e-5 with lr 1e-3 on keras_cnn's 2.8M-weight dense layer).
const adamOneStep: Tolerance = { rtol: 1e-4, atol: 5e-5 };
const adamFewSteps: Tolerance = { rtol: 1e-3, atol: 2e-4 };
const files = [
  'xor.net',
  'mlp.net',
  'keras_cnn.net',
  'lenet5.net',
  'autoencoder.net',
  'vae.net',
  'gan.net',
  'siamese.net',
  'transfer.net',
];

async function expectSameState(gpu: Model, cpu: Model, tolerance: Tolerance, when: string) {
  expect(gpu.state.names().sort()).toEqual(cpu.state.names().sort());
  for (const name of cpu.state.names()) {
    const loose = /exp_avg_sq|square_avg|sum$/.test(name)
      ? { ...tolerance, atol: 1e-4 }
      : tolerance;
    expectClose(await gpu.state.readAsync(name), cpu.state.read(name), loose, `${name} ${when}`);
  }
}

const sources = [
  ...files.map((file) => path.join(examples, file)),
  // Residual blocks whose adds fuse into batchnorm and dense (no example trains one).
  path.join(import.meta.dirname, '..', 'passes', 'fixtures', 'residual.net'),
];

const cases = sources.flatMap((source) => {
  const file = path.basename(source);
  const compiled = compileFile(source);
  return compiled.trains.flatMap((config) =>
    [true, false].map((fuse) => ({
      name: `${file}${compiled.trains.length > 1 ? ` (${config.name})` : ''}, ${fuse ? 'fused' : 'unfused'}`,
      compiled,
      config,
      fuse,
    })),
  );
});

describe.skipIf(!device)('a training step on WebGPU matches the CPU backend', () => {
  const backend = device && createWebGpuBackend(device);

  it.each(cases.map((c) => [c.name, c] as const))(
    '%s',
    async (_, c) => {
      const plan = trainPlan(c.compiled.analysis, c.config, { fuse: c.fuse });
      const seed = c.config.seed ?? 1;
      const cpu = instantiateModel(plan, createCpuBackend(), { seed });
      const gpu = instantiateModel(plan, backend!, { seed });
      const prepared = prepareData(
        plan.train!,
        loadDataset(c.config.data.source, c.config.data.fields, seed),
        seed,
      );
      const train = subset(
        prepared.train,
        Array.from({ length: Math.min(64, prepared.train.count) }, (_, i) => i),
      );
      const batch = Math.min(c.config.batch, 16);
      const batchAt = (b: number) =>
        gatherBatch(
          train,
          Array.from({ length: batch }, (_, i) => (b * batch + i) % train.count),
        );
      await expectSameState(gpu, cpu, { rtol: 0, atol: 0 }, 'at initialization');

      const [c1, g1] = [await cpu.trainStep(batchAt(0)), await gpu.trainStep(batchAt(0))];
      expectClose(Float32Array.of(g1.loss), Float32Array.of(c1.loss), oneStep, 'loss of step 1');
      const adam = plan.train!.phases.some((p) => p.optimizer.kind === 'adam');
      await expectSameState(gpu, cpu, adam ? adamOneStep : oneStep, 'after one step');

      const cpuLosses: number[] = [];
      for (let b = 1; b < 4; b++) {
        cpuLosses.push((await cpu.trainStep(batchAt(b))).loss);
        await gpu.trainStep(batchAt(b), { readLoss: false });
      }
      const gpuLosses = (await gpu.collectLosses()).map((s) => s.loss);
      expectClose(Float32Array.from(gpuLosses), Float32Array.from(cpuLosses), fewSteps, 'losses');
      await expectSameState(gpu, cpu, adam ? adamFewSteps : fewSteps, 'after four steps');

      // Inference after training reads the updated weights on the GPU.
      const features = c.config.data.fields.filter((f) => f.role === 'feature');
      const inputs = Object.fromEntries(
        plan.network.inputs.map((input, i) => [input.name, batchAt(0)[features[i]!.name]!]),
      );
      const [co, go] = [await cpu.forward(inputs), await gpu.forward(inputs)];
      for (const name of Object.keys(co))
        expectClose(go[name]!, co[name]!, fewSteps, `output ${name}`);
    },
    // A cold shader cache (a fresh CI machine) compiles dozens of pipelines first.
    300_000,
  );
});

describe.skipIf(!device)('dispatches per training step (fused)', () => {
  const backend = device && createWebGpuBackend(device);

  // The issue's targets: a tenth of what TensorFlow.js records for the same models.
  it.each([
    ['mlp.net', 8],
    ['keras_cnn.net', 14],
  ] as const)('%s: at most %i', async (file, most) => {
    const compiled = compileFile(path.join(examples, file));
    const config = compiled.trains[0]!;
    const plan = trainPlan(compiled.analysis, config);
    const model = instantiateModel(plan, backend!, { seed: 1 });
    const n = 4;
    const batch = {
      x: new Float32Array(n * 784).fill(0.5),
      label: Float32Array.from({ length: n }, (_, i) => i % 10),
    };
    await model.trainStep(batch);
    expect(backend!.stats.lastDispatches).toBeGreaterThan(0);
    expect(backend!.stats.lastDispatches).toBeLessThanOrEqual(most);
  });
});
