import { sampleSize, type Dataset, type DataTensor } from './dataset.js';

/*
 * `normalize = standard`: every feature element (each pixel of an image, each column of a
 * table) is centered and scaled with the mean and the population standard deviation
 * (divisor n, as scikit-learn's StandardScaler) that it has over the training set. An
 * element that is constant over the training set (std 0) is only centered. The same
 * statistics are then applied to validation and test data, which never inform them.
 */

export interface FeatureStatistics {
  readonly mean: Float64Array;
  readonly std: Float64Array;
}

/** Statistics of the named feature fields over `train`. */
export type Standardization = Readonly<Record<string, FeatureStatistics>>;

export function standardStatistics(
  train: Dataset,
  featureNames: readonly string[],
): Standardization {
  const result: Record<string, FeatureStatistics> = {};
  for (const name of featureNames) {
    const field = train.fields[name];
    if (!field) throw new Error(`internal error: no field \`${name}\` to normalize`);
    result[name] = fieldStatistics(field, train.count);
  }
  return result;
}

function fieldStatistics(field: DataTensor, count: number): FeatureStatistics {
  const size = sampleSize(field.shape);
  const mean = new Float64Array(size);
  const std = new Float64Array(size);
  if (count === 0) return { mean, std };
  for (let s = 0; s < count; s++) {
    for (let e = 0; e < size; e++) mean[e]! += field.data[s * size + e]!;
  }
  for (let e = 0; e < size; e++) mean[e]! /= count;
  for (let s = 0; s < count; s++) {
    for (let e = 0; e < size; e++) {
      const d = field.data[s * size + e]! - mean[e]!;
      std[e]! += d * d;
    }
  }
  for (let e = 0; e < size; e++) std[e] = Math.sqrt(std[e]! / count);
  return { mean, std };
}

/** `dataset` with the standardized fields replaced: (x - mean) / std, or x - mean for std 0. */
export function standardize(dataset: Dataset, statistics: Standardization): Dataset {
  const fields: Record<string, DataTensor> = { ...dataset.fields };
  for (const [name, { mean, std }] of Object.entries(statistics)) {
    const field = dataset.fields[name];
    if (!field) throw new Error(`internal error: no field \`${name}\` to normalize`);
    const size = mean.length;
    const data = new Float32Array(field.data.length);
    for (let i = 0; i < data.length; i++) {
      const e = i % size;
      const centered = field.data[i]! - mean[e]!;
      data[i] = std[e]! > 0 ? centered / std[e]! : centered;
    }
    fields[name] = { shape: field.shape, data };
  }
  return { fields, count: dataset.count };
}
