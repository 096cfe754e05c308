import type { TrainConfig } from '../compiler/train/trainConfig.js';
import { DataError } from '../runtime/data/dataset.js';
import { loadDataset } from '../runtime/data/load.js';
import type { Model } from '../runtime/model.js';
import { prepareData, type PreparedData } from '../runtime/train/trainer.js';
import { CliError } from './userError.js';

/**
 * A train section's data, read and prepared as training sees it (standardized with the
 * training set's statistics, validation split off), so that `eval` scores the test set
 * exactly as `train` did. Data problems are reported against the `.net` file that names
 * the data: `model.net: error: \`data.csv\`, line 3: ...`.
 */
export function loadSectionData(model: Model, section: TrainConfig, file: string): PreparedData {
  const plan = model.plan.train;
  if (!plan) throw new Error(`internal error: the model of \`${section.name}\` has no train plan`);
  try {
    const splits = loadDataset(section.data.source, section.data.fields, model.seed);
    return prepareData(plan, splits, model.seed);
  } catch (error) {
    if (error instanceof DataError) throw new CliError(error.message, { file });
    throw error;
  }
}
