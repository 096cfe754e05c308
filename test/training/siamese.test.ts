import { describe, expect, it } from 'vitest';
import { gatherBatch } from '../../src/runtime/data/dataset.js';
import { trainModel } from '../../src/runtime/train/trainer.js';
import { setUp } from './harness.js';

describe('training the Siamese example', () => {
  it('siamese.net: embedding distances separate same-digit pairs from different-digit pairs better than chance', async () => {
    const { model, data } = setUp('siamese.net', { trainCount: 1500, testCount: 400 });
    await trainModel(model, data, { epochs: 2 });
    const batch = gatherBatch(
      data.test,
      Array.from({ length: data.test.count }, (_, i) => i),
    );
    const { ea, eb } = await model.forward({ a: batch['x1']!, b: batch['x2']! });
    const same = batch['same']!;
    const dim = ea!.length / same.length;
    const distances = Array.from(same, (_, i) => {
      let d = 0;
      for (let k = 0; k < dim; k++) d += (ea![i * dim + k]! - eb![i * dim + k]!) ** 2;
      return Math.sqrt(d);
    });
    // Area under the ROC curve of "same when the distance is small": 0.5 is chance.
    let wins = 0;
    let pairs = 0;
    distances.forEach((ds, i) => {
      if (same[i] !== 1) return;
      distances.forEach((dd, j) => {
        if (same[j] !== 0) return;
        pairs++;
        wins += ds < dd ? 1 : ds === dd ? 0.5 : 0;
      });
    });
    expect(wins / pairs).toBeGreaterThan(0.75);
  }, 300_000);
});
