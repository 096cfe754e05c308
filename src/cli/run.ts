import * as path from 'node:path';
import { modelPlan } from '../compiler/lower/plan.js';
import type { BackendChoice } from '../runtime/createBackend.js';
import { instantiateModel } from '../runtime/model.js';
import { writeFileAtomic } from '../runtime/weights/checkpoint.js';
import { encodeSafetensors } from '../runtime/weights/safetensors.js';
import { openBackend } from './backendOption.js';
import { compileInput, readFileArgument } from './input.js';
import { readInputTensors } from './inputTensors.js';
import type { CliIO } from './io.js';
import { chooseNetwork } from './select.js';
import { CliError, describeFsError, reportingUserErrors } from './userError.js';
import { loadWeightsArgument } from './weightsArgument.js';

export interface RunOptions {
  readonly weights: string;
  readonly input: string;
  readonly output: string;
  readonly network?: string;
  readonly backend: BackendChoice;
}

/**
 * `netc run <file> --weights W --input IN --output OUT`: the network's inference pass on
 * the tensors of IN; OUT gets one F32 tensor [N, ...] per network output, under its name.
 */
export function runInference(file: string, options: RunOptions, io: CliIO): Promise<number> {
  return reportingUserErrors(io, () => infer(file, options, io));
}

async function infer(file: string, options: RunOptions, io: CliIO): Promise<number> {
  const compiled = compileInput(file, io, 'run');
  if (!compiled) return 1;
  const name = chooseNetwork(compiled, options.network, file);
  // Inference needs no training programs, so the plan is built without the train section.
  const plan = modelPlan(compiled.analysis.allNetworks, name, undefined);
  const model = instantiateModel(plan, await openBackend(options.backend, io));
  loadWeightsArgument(model, options.weights, io, 'run');
  const input = readFileArgument(options.input, io, 'run');
  const { feeds, count } = readInputTensors(input, plan.network, options.input);

  const results = await model.forward(feeds);
  const outputs = plan.network.outputs.map((o) => ({
    name: o.name,
    dtype: 'F32' as const,
    shape: [count, ...o.shape],
    data: results[o.name]!,
  }));
  try {
    await writeFileAtomic(path.resolve(io.cwd, options.output), encodeSafetensors(outputs));
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === undefined) throw error;
    throw new CliError(`cannot write \`${options.output}\`: ${describeFsError(error)}`);
  }
  const shapes = outputs.map((o) => `\`${o.name}\` [${o.shape.join(', ')}]`).join(', ');
  io.stderr(`wrote ${shapes} to \`${options.output}\`\n`);
  return 0;
}
