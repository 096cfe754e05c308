import type { DataField } from '../../compiler/train/trainConfig.js';
import { RuntimeError } from '../backend.js';
import { augmentBatch } from '../data/augment.js';
import {
  batchOrder,
  gatherBatch,
  splitValidation,
  type Dataset,
  type DatasetSplits,
} from '../data/dataset.js';
import { standardStatistics, standardize } from '../data/normalize.js';
import type { Model } from '../model.js';
import type { TrainPlan } from '../plan.js';
import { MetricTally, type MetricValue } from './metrics.js';

/*
 * The training loop of a train section: standardize, hold out the validation set, then per
 * epoch visit the training set in a fresh random order in mini-batches (augmented), run one
 * training iteration per batch, and evaluate. Everything random is a pure function of the
 * model seed and the counters the model keeps, so a resumed run continues bit for bit.
 */

export interface Evaluation {
  readonly loss: number;
  readonly metrics: Record<string, MetricValue>;
}

export interface EpochReport {
  /** 1-based. */
  readonly epoch: number;
  readonly epochs: number;
  /** Mean training loss over the epoch's batches (weighted by batch size). */
  readonly loss: number;
  /** Mean loss per phase (GAN). */
  readonly phases: Record<string, number>;
  readonly validation: Evaluation | undefined;
  readonly seconds: number;
}

/** Steps between reads of the losses (and at the end of every epoch). */
const LOSS_READ_INTERVAL = 25;

export interface TrainOptions {
  /** Overrides the section's `epochs`. */
  readonly epochs?: number;
  /** Overrides the section's `batch`. */
  readonly batch?: number;
  /**
   * After each batch: batches done in this epoch and the epoch's total. Losses are read in
   * groups (every 25 steps), so calls come in bursts.
   */
  readonly onBatch?: (done: number, total: number, loss: number) => void;
  /** After each epoch; the model's counters already count it (checkpoint here). */
  readonly onEpoch?: (report: EpochReport) => void | Promise<void>;
}

export interface TrainResult {
  readonly epochs: readonly EpochReport[];
  /** The last epoch's training loss. */
  readonly loss: number;
  readonly test: Evaluation | undefined;
}

/** Data after the section's preprocessing: standardized, validation split off. */
export interface PreparedData {
  readonly train: Dataset;
  readonly validation: Dataset | undefined;
  readonly test: Dataset;
}

export function prepareData(plan: TrainPlan, data: DatasetSplits, seed: number): PreparedData {
  const config = plan.config;
  const split =
    config.validation > 0
      ? splitValidation(data.train, config.validation, seed)
      : { train: data.train, validation: undefined };
  if (config.normalize !== 'standard') return { ...split, test: data.test };
  // Statistics of the training part only, applied to everything (no leak from held-out data).
  const features = featureFields(config.data.fields).map((f) => f.name);
  const statistics = standardStatistics(split.train, features);
  return {
    train: standardize(split.train, statistics),
    validation: split.validation && standardize(split.validation, statistics),
    test: standardize(data.test, statistics),
  };
}

export async function trainModel(
  model: Model,
  data: PreparedData,
  options: TrainOptions = {},
): Promise<TrainResult> {
  const plan = model.plan.train;
  if (!plan) throw new RuntimeError(`\`${model.plan.network.name}\` has no train section`);
  const config = plan.config;
  const epochs = options.epochs ?? config.epochs;
  const batchSize = options.batch ?? config.batch;
  const images = featureFields(config.data.fields)
    .filter((f) => f.image)
    .map((f) => ({ name: f.name, shape: data.train.fields[f.name]!.shape }));
  const reports: EpochReport[] = [];

  while (model.counters.epoch < epochs) {
    const started = performance.now();
    const epoch = model.counters.epoch;
    const order = batchOrder(data.train.count, model.seed, epoch);
    const batches = Math.ceil(data.train.count / batchSize);
    let lossSum = 0;
    const phaseSums: Record<string, number> = {};
    /** Samples of each step whose loss is still on the device. */
    const pending: number[] = [];
    for (let k = 0; k < batches; k++) {
      const indices = order.subarray(k * batchSize, Math.min((k + 1) * batchSize, order.length));
      let batch = gatherBatch(data.train, indices);
      if (config.augment.length > 0) {
        batch = augmentBatch(
          batch,
          indices.length,
          images,
          config.augment,
          model.seed,
          model.counters.runs,
        );
      }
      await model.trainStep(batch, { readLoss: false });
      pending.push(indices.length);
      if (pending.length === LOSS_READ_INTERVAL || k === batches - 1) {
        // One read for many steps: the GPU runs ahead while the host prepares batches.
        const losses = await model.collectLosses();
        const first = k + 1 - pending.length;
        losses.forEach((step, i) => {
          const samples = pending[i]!;
          if (!Number.isFinite(step.loss)) {
            throw new RuntimeError(
              `the loss became ${step.loss} in epoch ${epoch + 1}, batch ${first + i + 1}: lower the learning rate or check the data`,
            );
          }
          lossSum += step.loss * samples;
          for (const [name, value] of Object.entries(step.phases))
            phaseSums[name] = (phaseSums[name] ?? 0) + value * samples;
          options.onBatch?.(first + i + 1, batches, step.loss);
        });
        pending.length = 0;
      }
    }
    model.counters.epoch++;
    const validation =
      data.validation && data.validation.count > 0
        ? await evaluateModel(model, data.validation)
        : undefined;
    const phases = Object.fromEntries(
      Object.entries(phaseSums).map(([n, s]) => [n, s / data.train.count]),
    );
    const report: EpochReport = {
      epoch: epoch + 1,
      epochs,
      loss: lossSum / data.train.count,
      phases,
      validation,
      seconds: (performance.now() - started) / 1000,
    };
    reports.push(report);
    await options.onEpoch?.(report);
  }
  const test = data.test.count > 0 ? await evaluateModel(model, data.test) : undefined;
  return { epochs: reports, loss: reports.at(-1)?.loss ?? Number.NaN, test };
}

/** Inference-mode loss and the section's metrics over a whole dataset. */
export async function evaluateModel(
  model: Model,
  dataset: Dataset,
  batchSize = 256,
): Promise<Evaluation> {
  const plan = model.plan.train;
  if (!plan) throw new RuntimeError(`\`${model.plan.network.name}\` has no train section`);
  const tallies = plan.config.metrics.map((m) => new MetricTally(m));
  let lossSum = 0;
  for (let start = 0; start < dataset.count; start += batchSize) {
    const indices = new Uint32Array(Math.min(batchSize, dataset.count - start)).map(
      (_, i) => start + i,
    );
    const batch = gatherBatch(dataset, indices);
    const results = await model.evaluate(batch);
    lossSum += results.loss![0]! * indices.length;
    plan.config.metrics.forEach((metric, i) => {
      const prediction = results[`metric.${i}.prediction`]!;
      const target =
        metric.kind === 'classification' ? batch[metric.label]! : results[`metric.${i}.target`]!;
      tallies[i]!.add(prediction, target, indices.length);
    });
  }
  const metrics: Record<string, MetricValue> = {};
  plan.config.metrics.forEach((metric, i) => (metrics[metric.name] = tallies[i]!.value()));
  return { loss: lossSum / dataset.count, metrics };
}

function featureFields(fields: readonly DataField[]) {
  return fields.filter((f): f is DataField & { role: 'feature' } => f.role === 'feature');
}
