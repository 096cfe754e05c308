import { describe, expect, it } from 'vitest';
import { trainModel } from '../../src/runtime/train/trainer.js';
import { setUp } from './harness.js';

/* LeNet-5 with its section's own settings: the slowest test, alone in its file so it runs beside the others. */

describe('training LeNet-5', () => {
  it('lenet5.net reaches at least 95% test accuracy on bundled MNIST', async () => {
    const { model, data } = setUp('lenet5.net');
    const result = await trainModel(model, data);
    expect(result.epochs).toHaveLength(10);
    expect(result.test!.metrics['accuracy']).toBeGreaterThanOrEqual(0.95);
  }, 1_200_000);
});
