import { describe, expect, it } from 'vitest';
import { DataError } from '../../../src/runtime/data/dataset.js';
import { bundledDigits } from '../../../src/runtime/data/mnist.js';
import { labelCounts, load, mean, sameNumbers } from './helpers.js';

const mnist = (train: number, test: number, pairs = false) =>
  ({ kind: 'mnist', train, test, pairs }) as const;

/** The label of each bundled image, found by its pixels. */
function labelByImage(): Map<string, number> {
  const digits = bundledDigits();
  const map = new Map<string, number>();
  for (let i = 0; i < digits.count; i++) {
    map.set(imageKey(digits.images, i), digits.labels[i]!);
  }
  return map;
}

function imageKey(images: Float32Array, i: number): string {
  return Buffer.from(images.buffer, images.byteOffset + i * 784 * 4, 784 * 4).toString('base64');
}

describe('mnist', () => {
  const { train, test } = load(mnist(8000, 2000));

  it('loads the 10,000 real digits of the `mnist` package', () => {
    expect(bundledDigits().count).toBe(10_000);
    expect(train.count + test.count).toBe(10_000);
    expect(train.fields.x!.shape).toEqual([1, 28, 28]);
    expect(train.fields.x!.data.length).toBe(8000 * 784);
    expect(train.fields.label!.shape).toEqual([]);
    expect(test.fields.label!.data.length).toBe(2000);
  });

  it('has labels 0..9 in the proportions of the package (1127 ones, 863 fives)', () => {
    const all = [...train.fields.label!.data, ...test.fields.label!.data];
    expect(labelCounts(all, 10)).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  });

  it('has plausible pixel statistics: values in [0, 1], mean about 0.13, mostly background', () => {
    const pixels = train.fields.x!.data;
    let outside = 0;
    let background = 0;
    for (const v of pixels) {
      if (!(v >= 0 && v <= 1)) outside++;
      if (v === 0) background++;
    }
    expect(outside).toBe(0);
    expect(mean(pixels)).toBeGreaterThan(0.12);
    expect(mean(pixels)).toBeLessThan(0.14);
    expect(background / pixels.length).toBeGreaterThan(0.7);
    expect(background / pixels.length).toBeLessThan(0.9);
  });

  it('interleaves the classes, so even a small training set holds each in its share', () => {
    const small = load(mnist(100, 0)).train.fields.label!.data;
    for (const n of labelCounts(small, 10)) expect(n).toBeGreaterThanOrEqual(8);
    expect(labelCounts(small.subarray(0, 10), 10)).toEqual(new Array(10).fill(1));
  });

  it('takes the test set from the digits after the training set, whatever the seed', () => {
    const all = load(mnist(10_000, 0), 5).train;
    expect(sameNumbers(test.fields.x!.data, all.fields.x!.data.subarray(8000 * 784))).toBe(true);
    expect(sameNumbers(train.fields.x!.data, all.fields.x!.data.subarray(0, 8000 * 784))).toBe(
      true,
    );
    expect(train.fields.label!.data).toEqual(all.fields.label!.data.subarray(0, 8000));
    const reseeded = load(mnist(8000, 2000), 99).test;
    expect(sameNumbers(reseeded.fields.x!.data, test.fields.x!.data)).toBe(true);
  });

  it('reports asking for more digits than are bundled as bad data', () => {
    expect(() => load(mnist(9000, 2000))).toThrow(DataError);
    expect(() => load(mnist(9000, 2000))).toThrow('bundles 10000 digits, but 9000 + 2000');
  });
});

describe('mnist(pairs=true)', () => {
  const source = mnist(400, 100, true);
  const { train, test } = load(source, 3);

  it('yields pairs of images `x1`, `x2` and `same`', () => {
    expect(Object.keys(train.fields)).toEqual(['x1', 'x2', 'same']);
    expect(train.count).toBe(400);
    expect(test.count).toBe(100);
    expect(train.fields.x1!.shape).toEqual([1, 28, 28]);
    expect(train.fields.x2!.data.length).toBe(400 * 784);
  });

  it('makes half of the pairs the same digit and half different digits', () => {
    expect(labelCounts(train.fields.same!.data, 2)).toEqual([200, 200]);
    expect(labelCounts(test.fields.same!.data, 2)).toEqual([50, 50]);
  });

  it('sets `same` to 1 exactly when both images show the same digit', () => {
    const labels = labelByImage();
    for (const part of [train, test]) {
      for (let k = 0; k < part.count; k++) {
        const a = labels.get(imageKey(part.fields.x1!.data, k));
        const b = labels.get(imageKey(part.fields.x2!.data, k));
        expect(a).toBeDefined();
        expect(part.fields.same!.data[k]).toBe(a === b ? 1 : 0);
      }
    }
  });

  it('draws training pairs from the training digits and test pairs from the test digits', () => {
    const digits = bundledDigits();
    const index = new Map<string, number>();
    for (let i = 0; i < 500; i++) index.set(imageKey(digits.images, i), i);
    for (const [part, from, to] of [
      [train, 0, 400],
      [test, 400, 500],
    ] as const) {
      for (let k = 0; k < part.count; k++) {
        for (const field of ['x1', 'x2']) {
          const i = index.get(imageKey(part.fields[field]!.data, k));
          expect(i).toBeGreaterThanOrEqual(from);
          expect(i).toBeLessThan(to);
        }
      }
    }
  });

  it('pairs two different images for a same pair', () => {
    let identical = 0;
    for (let k = 0; k < train.count; k++) {
      if (imageKey(train.fields.x1!.data, k) === imageKey(train.fields.x2!.data, k)) identical++;
    }
    expect(identical).toBe(0);
  });

  it('draws the same pairs for the same seed and other pairs for another', () => {
    expect(sameNumbers(load(source, 3).train.fields.x2!.data, train.fields.x2!.data)).toBe(true);
    expect(sameNumbers(load(source, 4).train.fields.x2!.data, train.fields.x2!.data)).toBe(false);
  });
});
