import { describe, expect, it } from 'vitest';
import { evaluateModel, trainModel } from '../../src/runtime/train/trainer.js';
import { setUp } from './harness.js';

/*
 * The autoencoder, VAE and GAN examples train end to end on the CPU backend. Data and
 * epochs are cut down to fit in CI; what is asserted is what the issue asks of each.
 */

describe('training the generative examples', () => {
  it.each(['SparseAE', 'DenoisingAE'])(
    'autoencoder.net: the reconstruction error of %s falls by at least half',
    async (section) => {
      const { model, data } = setUp('autoencoder.net', {
        section,
        trainCount: 4000,
        testCount: 1000,
      });
      const before = await evaluateModel(model, data.test);
      const result = await trainModel(model, data, { epochs: 3 });
      const after = result.test!;
      expect(after.metrics['mse']).toBeLessThanOrEqual((before.metrics['mse'] as number) / 2);
    },
    300_000,
  );

  it('vae.net: the loss falls from the first epoch to the last', async () => {
    const { model, data } = setUp('vae.net', { trainCount: 3000, testCount: 500 });
    const before = await evaluateModel(model, data.test);
    const result = await trainModel(model, data, { epochs: 3 });
    expect(result.epochs[2]!.loss).toBeLessThan(result.epochs[0]!.loss);
    expect(result.test!.loss).toBeLessThan(before.loss);
  }, 300_000);

  it('gan.net: the alternating phases run without diverging', async () => {
    const { model, data } = setUp('gan.net', { trainCount: 1024, testCount: 64 });
    const generatorBefore = model.state.read('G/dense_0.weight');
    const discriminatorBefore = model.state.read('D/dense_0.weight');
    const result = await trainModel(model, data, { epochs: 2 });
    for (const epoch of result.epochs) {
      const discriminator = epoch.phases['discriminator']!;
      const generator = epoch.phases['generator']!;
      // Each phase ran and its loss stayed finite and in a sane range (log 2 ≈ 0.69 at balance).
      expect(Number.isFinite(discriminator) && discriminator > 0 && discriminator < 5).toBe(true);
      expect(Number.isFinite(generator) && generator > 0 && generator < 10).toBe(true);
    }
    // Both networks were updated, each only by its own phase.
    expect(model.state.read('G/dense_0.weight')).not.toEqual(generatorBefore);
    expect(model.state.read('D/dense_0.weight')).not.toEqual(discriminatorBefore);
    expect(model.counters.phaseSteps).toEqual({ discriminator: 32, generator: 32 });
  }, 300_000);
});
