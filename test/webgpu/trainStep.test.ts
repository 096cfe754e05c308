import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/runtime/cpu/backend.js';
import { gatherBatch } from '../../src/runtime/data/dataset.js';
import { instantiateModel, type Model } from '../../src/runtime/model.js';
import { createWebGpuBackend } from '../../src/runtime/webgpu/backend.js';
import { WebGpuState } from '../../src/runtime/webgpu/state.js';
import { setUp } from '../training/harness.js';
import { testDevice } from './gpu.js';
import { expectClose, type Tolerance } from './harness.js';

/*
 * Whole training steps of the examples on WebGPU against the CPU backend, from the same
 * seed and batch: the loss and every updated tensor (weights, optimizer state). Gradients
 * are sums over the batch computed in float32 on the GPU and float64 on the CPU; after one
 * step the weights differ by lr times that rounding (measured below 1e-7): rtol 1e-5,
 * atol 1e-6. A few more steps compound it a little: rtol 1e-4, atol 1e-5.
 */

const { device } = await testDevice();
const oneStep: Tolerance = { rtol: 1e-5, atol: 1e-6 };
const fewSteps: Tolerance = { rtol: 1e-4, atol: 1e-5 };

function expectSameState(gpu: Model, cpu: Model, tolerance: Tolerance, when: string): void {
  expect(gpu.state.names().sort()).toEqual(cpu.state.names().sort());
  for (const name of cpu.state.names()) {
    expectClose(gpu.state.read(name), cpu.state.read(name), tolerance, `${name} ${when}`);
  }
}

describe.skipIf(!device)('a training step on WebGPU matches the CPU backend', () => {
  const backend = device && createWebGpuBackend(device);

  it.each(['xor.net', 'mlp.net'])('%s: the loss and every updated tensor', async (file) => {
    const { model, data, config } = setUp(file, { trainCount: 128, testCount: 8 });
    const cpu = instantiateModel(model.plan, createCpuBackend(), { seed: model.seed });
    const gpu = instantiateModel(model.plan, backend!, { seed: model.seed });
    expectSameState(gpu, cpu, { rtol: 0, atol: 0 }, 'at initialization');
    const batchAt = (b: number) =>
      gatherBatch(
        data.train,
        Array.from({ length: config.batch }, (_, i) => (b * config.batch + i) % data.train.count),
      );

    const first = [await cpu.trainStep(batchAt(0)), await gpu.trainStep(batchAt(0))];
    expect(first[1]!.loss).toBeCloseTo(first[0]!.loss, 5);
    expectSameState(gpu, cpu, oneStep, 'after one step');

    for (let b = 1; b < 4; b++) {
      const [c, g] = [await cpu.trainStep(batchAt(b)), await gpu.trainStep(batchAt(b))];
      expectClose(
        Float32Array.of(g.loss),
        Float32Array.of(c.loss),
        fewSteps,
        `loss of step ${b + 1}`,
      );
    }
    expectSameState(gpu, cpu, fewSteps, 'after four steps');
    // The host mirror that `read` answers from is what the GPU holds.
    for (const name of gpu.state.names()) {
      const onGpu = await (gpu.state as WebGpuState).readAsync(name);
      expectClose(onGpu, gpu.state.read(name), { rtol: 0, atol: 0 }, `${name} on the GPU`);
    }
    expect(backend!.stats.lastDispatches).toBe(model.plan.train!.phases[0]!.program.instrs.length);

    // Inference after training reads the updated weights on the GPU.
    const x = batchAt(0)['x']!;
    const [c, g] = [await cpu.forward({ x }), await gpu.forward({ x })];
    for (const name of Object.keys(c)) expectClose(g[name]!, c[name]!, fewSteps, `output ${name}`);
  });
});
