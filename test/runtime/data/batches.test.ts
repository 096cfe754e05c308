import { describe, expect, it } from 'vitest';
import {
  batchOrder,
  gatherBatch,
  splitValidation,
  type Dataset,
} from '../../../src/runtime/data/dataset.js';

/** Sample i has x = [i, 10i] and label i mod 3. */
function numbered(count: number): Dataset {
  return {
    count,
    fields: {
      x: {
        shape: [2],
        data: Float32Array.from({ length: 2 * count }, (_, j) => (j >> 1) * (j % 2 ? 10 : 1)),
      },
      label: { shape: [], data: Float32Array.from({ length: count }, (_, i) => i % 3) },
    },
  };
}

const isPermutation = (order: ArrayLike<number>, n: number) =>
  Array.from(order)
    .sort((a, b) => a - b)
    .every((v, i) => v === i) && order.length === n;

describe('batchOrder', () => {
  it('visits every sample exactly once per epoch', () => {
    for (const n of [1, 2, 17, 1000]) expect(isPermutation(batchOrder(n, 3, 0), n)).toBe(true);
  });

  it('reshuffles every epoch', () => {
    const orders = [0, 1, 2].map((epoch) => Array.from(batchOrder(100, 3, epoch)));
    expect(orders[1]).not.toEqual(orders[0]);
    expect(orders[2]).not.toEqual(orders[1]);
  });

  it('depends only on the seed and the epoch', () => {
    expect(batchOrder(50, 9, 4)).toEqual(batchOrder(50, 9, 4));
    expect(batchOrder(50, 10, 4)).not.toEqual(batchOrder(50, 9, 4));
  });
});

describe('gatherBatch', () => {
  it('gathers the samples at the indices, in their order, from every field', () => {
    const batch = gatherBatch(numbered(10), [7, 2, 7]);
    expect(Array.from(batch.x!)).toEqual([7, 70, 2, 20, 7, 70]);
    expect(Array.from(batch.label!)).toEqual([1, 2, 1]);
  });
});

describe('splitValidation', () => {
  it('holds out round(count · fraction) samples and keeps the rest for training', () => {
    const { train, validation } = splitValidation(numbered(10), 0.25, 1);
    expect(validation.count).toBe(3);
    expect(train.count).toBe(7);
    const labels = [
      ...train.fields.x!.data.filter((_, j) => j % 2 === 0),
      ...validation.fields.x!.data.filter((_, j) => j % 2 === 0),
    ];
    expect(isPermutation(labels, 10)).toBe(true);
  });

  it('keeps each part in the original order and every field aligned', () => {
    const { train, validation } = splitValidation(numbered(20), 0.3, 5);
    for (const part of [train, validation]) {
      const ids = Array.from(part.fields.x!.data.filter((_, j) => j % 2 === 0));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(Array.from(part.fields.label!.data)).toEqual(ids.map((i) => i % 3));
    }
  });

  it('is deterministic per seed and holds out other samples for another seed', () => {
    const held = (seed: number) =>
      Array.from(splitValidation(numbered(100), 0.1, seed).validation.fields.label!.data);
    expect(held(1)).toEqual(held(1));
    const ids = (seed: number) =>
      Array.from(splitValidation(numbered(100), 0.1, seed).validation.fields.x!.data);
    expect(ids(2)).not.toEqual(ids(1));
  });

  it('holds out nothing for fraction 0 and always leaves one training sample', () => {
    expect(splitValidation(numbered(5), 0, 1).validation.count).toBe(0);
    expect(splitValidation(numbered(2), 0.9, 1).train.count).toBe(1);
  });
});
