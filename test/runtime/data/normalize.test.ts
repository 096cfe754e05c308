import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/runtime/data/dataset.js';
import { standardize, standardStatistics } from '../../../src/runtime/data/normalize.js';
import { load, mean } from './helpers.js';

/** Two features per sample: a column that varies and a constant one. */
function table(rows: readonly (readonly [number, number])[], labels: readonly number[]): Dataset {
  return {
    count: rows.length,
    fields: {
      x: { shape: [2], data: Float32Array.from(rows.flat()) },
      label: { shape: [], data: Float32Array.from(labels) },
    },
  };
}

const column = (d: Dataset, c: number) =>
  Array.from(d.fields.x!.data).filter((_, i) => i % 2 === c);

describe('normalize = standard', () => {
  const train = table(
    [
      [1, 5],
      [2, 5],
      [3, 5],
      [6, 5],
    ],
    [0, 1, 0, 1],
  );
  const test = table(
    [
      [3, 4],
      [13, 5],
    ],
    [1, 1],
  );
  const stats = standardStatistics(train, ['x']);

  it('computes each feature element’s mean and population std over the training set', () => {
    expect(Array.from(stats.x!.mean)).toEqual([3, 5]);
    expect(stats.x!.std[0]).toBeCloseTo(Math.sqrt((4 + 1 + 0 + 9) / 4), 12);
    expect(stats.x!.std[1]).toBe(0);
  });

  it('gives the training features mean 0 and std 1', () => {
    const scaled = column(standardize(train, stats), 0);
    expect(mean(scaled)).toBeCloseTo(0, 6);
    expect(mean(scaled.map((v) => v * v))).toBeCloseTo(1, 6);
  });

  it('applies the training statistics to the test set', () => {
    const scaled = standardize(test, stats);
    const std = Math.sqrt(14 / 4);
    expect(column(scaled, 0)[0]).toBeCloseTo(0, 6);
    expect(column(scaled, 0)[1]).toBeCloseTo(10 / std, 5);
  });

  it('only centers a feature that is constant over the training set', () => {
    expect(column(standardize(train, stats), 1)).toEqual([0, 0, 0, 0]);
    expect(column(standardize(test, stats), 1)).toEqual([-1, 0]);
  });

  it('leaves labels and the original dataset as they are', () => {
    const scaled = standardize(test, stats);
    expect(scaled.fields.label).toBe(test.fields.label);
    expect(Array.from(test.fields.x!.data)).toEqual([3, 4, 13, 5]);
  });

  it('standardizes images per pixel, leaving the always-black corners at 0', () => {
    const { train: digits } = load({ kind: 'mnist', train: 500, test: 0, pairs: false });
    const scaled = standardize(digits, standardStatistics(digits, ['x'])).fields.x!.data;
    expect(scaled[0]).toBe(0);
    const centre = Array.from({ length: 500 }, (_, s) => scaled[s * 784 + 14 * 28 + 14]!);
    expect(mean(centre)).toBeCloseTo(0, 5);
    expect(mean(centre.map((v) => v * v))).toBeCloseTo(1, 4);
  });
});
