import { describe, expect, it } from 'vitest';
import type { DataSource } from '../../../src/compiler/train/trainConfig.js';
import { labelCounts, load, mean } from './helpers.js';

const xor = (n: number, noise: number) => ({ kind: 'xor', n, noise }) as const;
const moons = (n: number, noise: number) => ({ kind: 'moons', n, noise }) as const;
const spirals = (n: number, classes: number, noise: number) =>
  ({ kind: 'spirals', n, classes, noise }) as const;

const generators: readonly [string, DataSource, number][] = [
  ['xor', xor(200, 0.1), 2],
  ['moons', moons(200, 0.1), 2],
  ['spirals', spirals(300, 3, 0.2), 3],
];

describe.each(generators)('%s', (_name, source, classes) => {
  const n = (source as { n: number }).n;

  it('yields `x: [2]` and a label, with a test set that is a second draw of the same size', () => {
    const { train, test } = load(source, 7);
    expect(Object.keys(train.fields)).toEqual(['x', 'label']);
    expect(train.fields.x!.shape).toEqual([2]);
    expect(train.fields.x!.data.length).toBe(2 * n);
    expect(train.fields.label!.shape).toEqual([]);
    expect(train.count).toBe(n);
    expect(test.count).toBe(n);
    expect(test.fields.x!.data).not.toEqual(train.fields.x!.data);
  });

  it('balances the classes', () => {
    const counts = labelCounts(load(source, 7).train.fields.label!.data, classes);
    expect(counts).toEqual(new Array(classes).fill(n / classes));
  });

  it('is deterministic per seed and differs between seeds', () => {
    expect(load(source, 7).train.fields.x!.data).toEqual(load(source, 7).train.fields.x!.data);
    expect(load(source, 7).test.fields.x!.data).toEqual(load(source, 7).test.fields.x!.data);
    expect(load(source, 8).train.fields.x!.data).not.toEqual(load(source, 7).train.fields.x!.data);
  });
});

describe('xor', () => {
  it('places noiseless points exactly on the corners, labelled with the XOR of the coordinates', () => {
    const { train } = load(xor(8, 0));
    const x = train.fields.x!.data;
    for (let i = 0; i < 8; i++) {
      const [a, b] = [x[2 * i]!, x[2 * i + 1]!];
      expect([0, 1]).toContain(a);
      expect([0, 1]).toContain(b);
      expect(train.fields.label!.data[i]).toBe(a ^ b);
    }
  });

  it('jitters the corners with Gaussian noise of the given standard deviation', () => {
    const { train } = load(xor(4000, 0.1));
    const x = train.fields.x!.data;
    const offsets = Array.from(x, (v) => v - Math.round(v));
    expect(Math.abs(mean(offsets))).toBeLessThan(0.01);
    expect(Math.sqrt(mean(offsets.map((d) => d * d)))).toBeCloseTo(0.1, 2);
  });
});

describe('moons', () => {
  it('puts label 0 on the upper half circle and label 1 on the lower, shifted one', () => {
    const { train } = load(moons(100, 0));
    const x = train.fields.x!.data;
    for (let i = 0; i < 100; i++) {
      const [a, b] = [x[2 * i]!, x[2 * i + 1]!];
      if (train.fields.label!.data[i] === 0) {
        expect(Math.hypot(a, b)).toBeCloseTo(1, 5);
        expect(b).toBeGreaterThanOrEqual(0);
      } else {
        expect(Math.hypot(a - 1, b - 0.5)).toBeCloseTo(1, 5);
        expect(b).toBeLessThanOrEqual(0.5);
      }
    }
  });

  it('gives the first half (rounded down) of the points label 0', () => {
    expect(labelCounts(load(moons(7, 0.1)).train.fields.label!.data, 2)).toEqual([3, 4]);
  });
});

describe('spirals', () => {
  it('spreads n points over `classes` arms that differ in size by at most one', () => {
    expect(labelCounts(load(spirals(10, 4, 0.2)).train.fields.label!.data, 4)).toEqual([
      3, 3, 2, 2,
    ]);
  });

  it('keeps every point within the unit disc, on its arm when there is no noise', () => {
    const { train } = load(spirals(300, 3, 0));
    const x = train.fields.x!.data;
    for (let i = 0; i < 300; i++) {
      const [a, b] = [x[2 * i]!, x[2 * i + 1]!];
      const r = Math.hypot(a, b);
      expect(r).toBeLessThanOrEqual(1);
      const arm = train.fields.label!.data[i]!;
      const theta = (2 * Math.PI * arm) / 3 + 4 * r;
      expect(a).toBeCloseTo(r * Math.sin(theta), 5);
      expect(b).toBeCloseTo(r * Math.cos(theta), 5);
    }
  });
});
