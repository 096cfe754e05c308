import type { Shape } from '../../compiler/ir/ops.js';
import { randomPermutation, streams } from '../rng.js';

/*
 * Data in memory: every field of a dataset is one Float32Array holding all samples one
 * after another (sample-major), so a batch is a gather of contiguous runs. Labels are
 * fields of shape [] (one number per sample). The functions here never mutate a dataset.
 */

/** One named thing per sample: `count` runs of `size(shape)` numbers. */
export interface DataTensor {
  readonly shape: Shape;
  readonly data: Float32Array;
}

export interface Dataset {
  /** Feature and label fields by name (`x`, `label`; `x1`, `x2`, `same`). */
  readonly fields: Readonly<Record<string, DataTensor>>;
  readonly count: number;
}

/** What a data source loads: a training set and a test set (the test set may be empty). */
export interface DatasetSplits {
  readonly train: Dataset;
  readonly test: Dataset;
}

/**
 * Bad data found when loading: a missing or malformed file, a value that is not a finite
 * number, a shape that does not fit. The message names the file and the place in it.
 */
export class DataError extends Error {
  override readonly name = 'DataError';
}

/** Numbers per sample of a field of this shape. */
export function sampleSize(shape: Shape): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/** A dataset from fields that already hold `count` samples each. */
export function makeDataset(fields: Record<string, DataTensor>, count: number): Dataset {
  for (const [name, field] of Object.entries(fields)) {
    if (field.data.length !== count * sampleSize(field.shape)) {
      throw new Error(
        `internal error: field \`${name}\` holds ${field.data.length} numbers, not ${count} × [${field.shape.join(', ')}]`,
      );
    }
  }
  return { fields, count };
}

/** The samples at `indices` (in that order) of every field: the inputs of one step. */
export function gatherBatch(
  dataset: Dataset,
  indices: ArrayLike<number>,
): Record<string, Float32Array> {
  const batch: Record<string, Float32Array> = {};
  for (const [name, field] of Object.entries(dataset.fields)) {
    batch[name] = gatherRows(field, indices);
  }
  return batch;
}

function gatherRows(field: DataTensor, indices: ArrayLike<number>): Float32Array {
  const size = sampleSize(field.shape);
  const out = new Float32Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) {
    const start = indices[i]! * size;
    out.set(field.data.subarray(start, start + size), i * size);
  }
  return out;
}

/** A dataset of the samples at `indices`, in that order. */
export function subset(dataset: Dataset, indices: ArrayLike<number>): Dataset {
  const fields: Record<string, DataTensor> = {};
  for (const [name, field] of Object.entries(dataset.fields)) {
    fields[name] = { shape: field.shape, data: gatherRows(field, indices) };
  }
  return { fields, count: indices.length };
}

/**
 * The order in which epoch `epoch` visits the training set: a permutation of 0..count-1,
 * drawn afresh every epoch (sampling without replacement), a pure function of the seed.
 */
export function batchOrder(count: number, seed: number, epoch: number): Uint32Array {
  return randomPermutation(count, seed, streams.shuffle, epoch);
}

/**
 * Holds out `round(count · fraction)` random samples (stream `validation`) for validation,
 * always leaving at least one for training. Both parts keep the original sample order.
 */
export function splitValidation(
  train: Dataset,
  fraction: number,
  seed: number,
): { readonly train: Dataset; readonly validation: Dataset } {
  if (!(fraction >= 0 && fraction < 1)) {
    throw new RangeError(`validation fraction ${fraction} is not in [0, 1)`);
  }
  const held = Math.min(Math.round(train.count * fraction), Math.max(train.count - 1, 0));
  const order = randomPermutation(train.count, seed, streams.validation, 0);
  const validation = order.slice(0, held).sort();
  const rest = order.slice(held).sort();
  return { train: subset(train, rest), validation: subset(train, validation) };
}
