import { describe, expect, it } from 'vitest';
import { evaluateModel, trainModel } from '../../src/runtime/train/trainer.js';
import { createWebGpuBackend } from '../../src/runtime/webgpu/backend.js';
import { testDevice } from '../webgpu/gpu.js';
import { setUp } from './harness.js';

/*
 * The training targets of the CPU tests reached again on WebGPU, fused, with the sections'
 * own settings (the generative ones cut down as on the CPU): the losses are read back every
 * 25 steps, as `netc train` does.
 */

const { device } = await testDevice();

describe.skipIf(!device)('training on WebGPU', () => {
  const backend = device && createWebGpuBackend(device);

  it('xor.net reaches 100% test accuracy', async () => {
    const { model, data } = setUp('xor.net', { backend: backend! });
    const result = await trainModel(model, data);
    expect(result.test!.metrics['accuracy']).toBe(1);
  });

  it('mlp.net reaches at least 90% test accuracy on bundled MNIST', async () => {
    const { model, data } = setUp('mlp.net', { backend: backend! });
    const result = await trainModel(model, data);
    expect(result.test!.metrics['accuracy']).toBeGreaterThanOrEqual(0.9);
  }, 300_000);

  it.each(['SparseAE', 'DenoisingAE'])(
    'autoencoder.net: the reconstruction error of %s falls by at least half',
    async (section) => {
      const { model, data } = setUp('autoencoder.net', {
        section,
        trainCount: 4000,
        testCount: 1000,
        backend: backend!,
      });
      const before = await evaluateModel(model, data.test);
      const result = await trainModel(model, data, { epochs: 3 });
      expect(result.test!.metrics['mse']).toBeLessThanOrEqual(
        (before.metrics['mse'] as number) / 2,
      );
    },
    300_000,
  );

  it('vae.net: the loss falls from the first epoch to the last', async () => {
    const { model, data } = setUp('vae.net', {
      trainCount: 3000,
      testCount: 500,
      backend: backend!,
    });
    const before = await evaluateModel(model, data.test);
    const result = await trainModel(model, data, { epochs: 3 });
    expect(result.epochs[2]!.loss).toBeLessThan(result.epochs[0]!.loss);
    expect(result.test!.loss).toBeLessThan(before.loss);
  }, 300_000);

  it('lenet5.net reaches at least 95% test accuracy on bundled MNIST', async () => {
    const { model, data } = setUp('lenet5.net', { backend: backend! });
    const result = await trainModel(model, data);
    expect(result.epochs).toHaveLength(10);
    expect(result.test!.metrics['accuracy']).toBeGreaterThanOrEqual(0.95);
  }, 1_200_000);
});
