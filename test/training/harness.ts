import * as path from 'node:path';
import { compileFile, trainPlan } from '../../src/compiler/api.js';
import type { TrainConfig } from '../../src/compiler/train/trainConfig.js';
import type { Backend } from '../../src/runtime/backend.js';
import { createCpuBackend } from '../../src/runtime/cpu/backend.js';
import { subset } from '../../src/runtime/data/dataset.js';
import { loadDataset } from '../../src/runtime/data/load.js';
import { instantiateModel, type Model } from '../../src/runtime/model.js';
import { prepareData, type PreparedData } from '../../src/runtime/train/trainer.js';

/*
 * Sets up an example's train section for an end-to-end training test: the model on the CPU
 * backend (or the one given) and its data after the section's preprocessing, optionally cut down so the test
 * fits in CI.
 */

export const examples = path.resolve(import.meta.dirname, '../../examples');

export interface TrainingSetup {
  readonly model: Model;
  readonly data: PreparedData;
  readonly config: TrainConfig;
}

export function setUp(
  file: string,
  options: {
    readonly section?: string;
    readonly trainCount?: number;
    readonly testCount?: number;
    /** Where the model runs (default: the CPU backend). */
    readonly backend?: Backend;
  } = {},
): TrainingSetup {
  const compiled = compileFile(path.isAbsolute(file) ? file : path.join(examples, file));
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join('\n'));
  const config = options.section
    ? compiled.trains.find((t) => t.name === options.section)!
    : compiled.trains[0]!;
  const plan = trainPlan(compiled.analysis, config);
  const model = instantiateModel(plan, options.backend ?? createCpuBackend());
  const prepared = prepareData(
    plan.train!,
    loadDataset(config.data.source, config.data.fields, model.seed),
    model.seed,
  );
  const cut = (dataset: PreparedData['train'], count: number | undefined) =>
    count === undefined || count >= dataset.count
      ? dataset
      : subset(
          dataset,
          Array.from({ length: count }, (_, i) => i),
        );
  return {
    model,
    config,
    data: {
      train: cut(prepared.train, options.trainCount),
      validation: prepared.validation,
      test: cut(prepared.test, options.testCount),
    },
  };
}
