import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { DataField, FilePath } from '../../../src/compiler/train/trainConfig.js';
import { DataError } from '../../../src/runtime/data/dataset.js';
import { loadDataset } from '../../../src/runtime/data/load.js';
import { idxBytes, load, tempFolder } from './helpers.js';

const file = tempFolder();

const idx = (images: FilePath, labels: FilePath, testImages?: FilePath, testLabels?: FilePath) =>
  ({ kind: 'idx', images, labels, testImages, testLabels }) as const;

/** Three 2×3 images with pixels 0, 51, ..., and labels 7, 0, 9. */
const images = idxBytes(
  [3, 2, 3],
  Array.from({ length: 18 }, (_, i) => (i * 15) % 256),
);
const labels = idxBytes([3], [7, 0, 9]);
const goodImages = file('images.idx', images);
const goodLabels = file('labels.idx', labels);

const withClasses = (classes: number): DataField[] => [
  { role: 'feature', name: 'x', index: 0, shape: undefined, image: true },
  { role: 'label', name: 'label', classes },
];

describe('idx: good files', () => {
  it('reads images as [1, rows, columns] scaled to [0, 1] and the labels', () => {
    const { train, test } = load(idx(goodImages, goodLabels));
    expect(train.count).toBe(3);
    expect(train.fields.x!.shape).toEqual([1, 2, 3]);
    expect(train.fields.x!.data[1]).toBeCloseTo(15 / 255, 7);
    expect(train.fields.x!.data[17]).toBeCloseTo(255 / 255, 7);
    expect(Array.from(train.fields.label!.data)).toEqual([7, 0, 9]);
    expect(test.count).toBe(0);
  });

  it('reads gzip-compressed files as MNIST distributes them', () => {
    const gz = idx(
      file('images.gz', zlib.gzipSync(images)),
      file('labels.gz', zlib.gzipSync(labels)),
    );
    expect(Array.from(load(gz).train.fields.label!.data)).toEqual([7, 0, 9]);
  });

  it('reads optional test files', () => {
    const testImages = file('t-images.idx', idxBytes([1, 2, 3], [0, 0, 0, 255, 255, 255]));
    const testLabels = file('t-labels.idx', idxBytes([1], [4]));
    const { test } = load(idx(goodImages, goodLabels, testImages, testLabels));
    expect(test.count).toBe(1);
    expect(Array.from(test.fields.x!.data)).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('accepts labels within the known number of classes', () => {
    expect(loadDataset(idx(goodImages, goodLabels), withClasses(10), 1).train.count).toBe(3);
  });
});

/** [what is wrong, images bytes, labels bytes, expected message] */
const badFiles: readonly [string, Uint8Array, Uint8Array, string][] = [
  ['an empty images file', new Uint8Array(0), labels, 'is empty: expected an images file in IDX'],
  [
    'a file too short for a magic number',
    new Uint8Array([0, 0]),
    labels,
    'too short to be an IDX file (2 bytes)',
  ],
  [
    'a text file',
    new TextEncoder().encode('label,x\n1,2\n'),
    labels,
    'is not an IDX file: it starts with 0x6c616265, but an images file starts with the magic number 0x00000803',
  ],
  [
    'swapped files',
    labels,
    images,
    'is a labels file (magic 0x00000801), but an images file (0x00000803) was expected: are the images and labels files swapped?',
  ],
  [
    'four dimensions',
    idxBytes([1, 1, 2, 2], [1, 2, 3, 4]),
    labels,
    'has 4 dimensions (magic 0x00000804), but an images file has 3',
  ],
  [
    'float elements',
    idxBytes([1, 1, 1], [0, 0, 0, 0], 0x0d03),
    labels,
    'holds 32-bit floats (magic 0x00000d03), but only unsigned bytes (0x00000803) are supported',
  ],
  [
    'a cut header',
    images.subarray(0, 10),
    labels,
    'ends inside its header: 3 dimensions need 16 bytes, the file has 10',
  ],
  [
    'truncated pixels',
    images.subarray(0, images.length - 4),
    labels,
    'declares 3 × 2 × 3 = 18 bytes of data, but holds 14 (is it truncated?)',
  ],
  [
    'trailing bytes',
    new Uint8Array([...images, 1, 2]),
    labels,
    'declares 3 × 2 × 3 = 18 bytes of data, but holds 20',
  ],
  ['no images', idxBytes([0, 28, 28], []), idxBytes([0], []), 'holds no samples (its count is 0)'],
  ['an image side of 0', idxBytes([2, 0, 28], []), labels, 'has a dimension of size 0: 2 × 0 × 28'],
  [
    'fewer labels than images',
    images,
    idxBytes([2], [1, 2]),
    '`images` holds 3 images, but `labels` holds 2 labels',
  ],
  [
    'truncated labels',
    images,
    labels.subarray(0, labels.length - 1),
    '`labels` declares 3 = 3 bytes of data, but holds 2',
  ],
];

describe('idx: bad files', () => {
  it.each(badFiles)('rejects %s', (_what, imageBytes, labelBytes, message) => {
    const source = idx(file('images', imageBytes), file('labels', labelBytes));
    expect(() => load(source)).toThrow(DataError);
    expect(() => load(source)).toThrow(message);
  });

  it('rejects labels beyond the known number of classes', () => {
    const run = () => loadDataset(idx(goodImages, goodLabels), withClasses(8), 1);
    expect(run).toThrow(
      '`labels.idx`, label 3: `label` 9 is out of range: expected a class index in 0..7 (8 classes)',
    );
  });

  it('rejects images that do not fit the network input', () => {
    const fields: DataField[] = [
      { role: 'feature', name: 'x', index: 0, shape: [1, 28, 28], image: true },
      { role: 'label', name: 'label', classes: 10 },
    ];
    expect(() => loadDataset(idx(goodImages, goodLabels), fields, 1)).toThrow(
      'yields `x` of shape [1, 2, 3] (6 numbers per sample), but the network expects [1, 28, 28] (784)',
    );
  });

  it('rejects test images of another size than the training images', () => {
    const testImages = file('t2-images.idx', idxBytes([1, 3, 2], [0, 0, 0, 0, 0, 0]));
    const testLabels = file('t2-labels.idx', idxBytes([1], [4]));
    expect(() => load(idx(goodImages, goodLabels, testImages, testLabels))).toThrow(
      '`t2-images.idx` holds 3×2 images, but `images.idx` holds 2×3 images',
    );
  });

  it('rejects a missing labels file', () => {
    const missing = { written: 'train-labels', resolved: '/nowhere/train-labels' };
    expect(() => load(idx(goodImages, missing))).toThrow(
      'cannot read `train-labels` (/nowhere/train-labels): no such file',
    );
  });

  it('rejects a damaged gzip file', () => {
    const broken = file('broken.gz', new Uint8Array([0x1f, 0x8b, 1, 2, 3]));
    expect(() => load(idx(broken, goodLabels))).toThrow(
      '`broken.gz` looks gzip-compressed but does not inflate',
    );
  });
});
