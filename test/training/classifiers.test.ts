import { describe, expect, it } from 'vitest';
import { trainModel } from '../../src/runtime/train/trainer.js';
import { setUp } from './harness.js';

/*
 * The training targets of the examples, end to end on the CPU backend with the sections'
 * own settings.
 */

describe('training the classifier examples', () => {
  it('xor.net reaches 100% test accuracy', async () => {
    const { model, data } = setUp('xor.net');
    const result = await trainModel(model, data);
    expect(result.test!.metrics['accuracy']).toBe(1);
  });

  it('mlp.net reaches at least 90% test accuracy on bundled MNIST (8,000 train / 2,000 test)', async () => {
    const { model, data } = setUp('mlp.net');
    expect([data.train.count, data.test.count]).toEqual([8000, 2000]);
    const result = await trainModel(model, data);
    expect(result.test!.metrics['accuracy']).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});
