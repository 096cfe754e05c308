import { trainPlan } from '../compiler/api.js';
import type { BackendChoice } from '../runtime/createBackend.js';
import { instantiateModel } from '../runtime/model.js';
import { evaluateModel } from '../runtime/train/trainer.js';
import { openBackend } from './backendOption.js';
import { classPrediction, confusionRows } from './confusion.js';
import { compileInput } from './input.js';
import type { CliIO } from './io.js';
import { confusionTable, evaluationText } from './metricsText.js';
import { loadSectionData } from './sectionData.js';
import { chooseTrainSection } from './select.js';
import { CliError, reportingUserErrors } from './userError.js';
import { loadCompanionWeights, loadWeightsArgument } from './weightsArgument.js';

export interface EvalOptions {
  readonly weights: string;
  /** The trained network or the section's name; needed when the file has several sections. */
  readonly network?: string;
  readonly backend: BackendChoice;
  readonly json: boolean;
}

/**
 * `netc eval <file> --weights W`: the loss and metrics of a train section on its test set,
 * with the weights of W, plus the confusion matrix when the section classifies. Text or,
 * with --json, `{"loss", "metrics", "confusion"}` on stdout.
 */
export function runEval(file: string, options: EvalOptions, io: CliIO): Promise<number> {
  return reportingUserErrors(io, () => evaluate(file, options, io));
}

async function evaluate(file: string, options: EvalOptions, io: CliIO): Promise<number> {
  const compiled = compileInput(file, io, 'eval');
  if (!compiled) return 1;
  const section = chooseTrainSection(compiled, options.network, file);
  const model = instantiateModel(
    trainPlan(compiled.analysis, section),
    await openBackend(options.backend, io),
  );
  loadWeightsArgument(model, options.weights, io, 'eval');
  loadCompanionWeights(model, options.weights, io, 'eval');
  const { test } = loadSectionData(model, section, file);
  if (test.count === 0) {
    throw new CliError(`the data of \`train ${section.name}\` has no test set to evaluate on`, {
      file,
    });
  }

  const evaluation = await evaluateModel(model, test);
  const prediction = classPrediction(section, model.plan.network);
  const confusion = prediction && (await confusionRows(model, prediction, test));
  if (options.json) {
    const result = {
      loss: evaluation.loss,
      metrics: evaluation.metrics,
      confusion: confusion ?? null,
    };
    io.stdout(JSON.stringify(result) + '\n');
    return 0;
  }
  io.stdout(`test (${test.count} samples): ${evaluationText(evaluation)}\n`);
  if (confusion) io.stdout(confusionTable(confusion));
  return 0;
}
