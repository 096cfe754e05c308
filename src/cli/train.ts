import * as path from 'node:path';
import { trainPlan } from '../compiler/api.js';
import type { BackendChoice } from '../runtime/createBackend.js';
import { instantiateModel, type Model } from '../runtime/model.js';
import { trainModel } from '../runtime/train/trainer.js';
import { readCheckpoint } from '../runtime/weights/checkpoint.js';
import { WeightsFormatError } from '../runtime/weights/safetensors.js';
import { openBackend } from './backendOption.js';
import { compileInput, existingFile } from './input.js';
import type { CliIO } from './io.js';
import { confusionTable, evaluationText, matrixMetrics } from './metricsText.js';
import { trainLog } from './progress.js';
import {
  RunDirectory,
  evaluationRecord,
  historyEntry,
  historyOf,
  type EvaluationRecord,
  type HistoryEntry,
} from './runFiles.js';
import { loadSectionData } from './sectionData.js';
import { chooseTrainSection } from './select.js';
import { loadTransferWeights } from './transfer.js';
import { CliError, reportingUserErrors } from './userError.js';

export interface TrainCommandOptions {
  /** The trained network or the section's name; needed when the file has several sections. */
  readonly network?: string;
  /** Override the section's `epochs` and `batch`. */
  readonly epochs?: number;
  readonly batch?: number;
  readonly backend: BackendChoice;
  /** Output directory; `runs/<section name>` by default. */
  readonly out?: string;
  /** A checkpoint to continue from. */
  readonly resume?: string;
  /** Print only the result as JSON on stdout. */
  readonly json: boolean;
}

/**
 * `netc train <file>`: compiles the file, trains one of its train sections, and writes the
 * weights, a checkpoint after every epoch, the metrics and the loss curve (runFiles.ts).
 * Progress goes to stderr; the test results to stdout. Exit code 0, 1 for errors in the
 * file or the data, 2 for a wrong command line.
 */
export function runTrain(file: string, options: TrainCommandOptions, io: CliIO): Promise<number> {
  return reportingUserErrors(io, () => train(file, options, io));
}

async function train(file: string, options: TrainCommandOptions, io: CliIO): Promise<number> {
  const compiled = compileInput(file, io, 'train');
  if (!compiled) return 1;
  const section = chooseTrainSection(compiled, options.network, file);
  const model = instantiateModel(
    trainPlan(compiled.analysis, section),
    await openBackend(options.backend, io, { tune: true }),
  );

  const epochs = options.epochs ?? section.epochs;
  // A checkpoint holds every weight, so transfer weights matter only to a fresh run.
  const history =
    options.resume === undefined ? [] : await resume(model, options.resume, epochs, io);
  if (options.resume === undefined) loadTransferWeights(model, section, io);
  const data = loadSectionData(model, section, file);

  const outArg = options.out ?? path.join('runs', section.name);
  const out = new RunDirectory(outArg, path.resolve(io.cwd, outArg));
  out.create();
  const log = trainLog(io, model.counters.epoch + 1, epochs);
  let result;
  try {
    result = await trainModel(model, data, {
      epochs,
      ...(options.batch === undefined ? {} : { batch: options.batch }),
      onBatch: log.batch,
      onEpoch: async (report) => {
        log.epoch(report);
        history.push(historyEntry(report));
        await out.checkpoint(model, history);
      },
    });
  } finally {
    log.close();
  }

  const test = result.test ? evaluationRecord(result.test) : null;
  await out.results(model, { section: section.name, history, test });
  if (options.json) {
    io.stdout(resultJson(history, test) + '\n');
  } else if (result.test) {
    io.stdout(`test: ${evaluationText(result.test)}\n`);
    for (const [, rows] of matrixMetrics(result.test.metrics)) io.stdout(confusionTable(rows));
  }
  if (!result.test) io.stderr('no test set: the data source yields no test samples\n');
  io.stderr(`wrote ${[...out.written].join(', ')}\n`);
  return 0;
}

/** Restores `--resume`'s checkpoint into the model; returns the history it carries. */
async function resume(
  model: Model,
  arg: string,
  epochs: number,
  io: CliIO,
): Promise<HistoryEntry[]> {
  const absolute = existingFile(arg, io, 'train');
  let checkpoint;
  try {
    checkpoint = await readCheckpoint(absolute, model.plan.hash);
  } catch (error) {
    // readCheckpoint names the file by the path it was given; name it as the user did.
    if (error instanceof WeightsFormatError) {
      const message = error.message.startsWith(`${absolute}: `)
        ? error.message.slice(absolute.length + 2)
        : error.message;
      throw new CliError(`\`${arg}\`: ${message}`);
    }
    throw error;
  }
  model.restore(checkpoint);
  const done = model.counters.epoch;
  io.stderr(
    done < epochs
      ? `resuming from \`${arg}\` after epoch ${done} of ${epochs}\n`
      : `\`${arg}\` has already trained ${done} epochs (of ${epochs}): nothing left to train\n`,
  );
  return historyOf(checkpoint.extra).filter((h) => h.epoch <= done);
}

/**
 * `--json`: exactly `{"loss", "metrics", "test"}`: the last epoch's training loss, its
 * validation loss and metrics (`{}` without validation), the test loss and metrics (`{}`
 * without a test set). A value JSON cannot hold (NaN) is null.
 */
function resultJson(history: readonly HistoryEntry[], test: EvaluationRecord | null): string {
  const last = history.at(-1);
  return JSON.stringify({
    loss: last?.loss ?? null,
    metrics: last?.validation ?? {},
    test: test ?? {},
  });
}
