import * as fs from 'node:fs';
import * as path from 'node:path';
import { RuntimeError } from '../runtime/backend.js';
import { loadNamedWeights, type Model } from '../runtime/model.js';
import { WeightsFormatError } from '../runtime/weights/safetensors.js';
import { readFileArgument } from './input.js';
import type { CliIO } from './io.js';
import { CliError } from './userError.js';

/*
 * `--weights W` of `eval` and `run`: every parameter of the network must be in the file
 * with its shape, and nothing else (the weights of another network are refused).
 */

export function loadWeightsArgument(model: Model, arg: string, io: CliIO, command: string): void {
  const bytes = readFileArgument(arg, io, command);
  explained(arg, model.plan.network.name, () => model.loadWeights(bytes));
}

/**
 * The other networks of a multi-network section (a GAN's generator), from the files
 * `netc train` writes next to `weights.safetensors`: `weights.<Name>.safetensors`.
 */
export function loadCompanionWeights(model: Model, arg: string, io: CliIO, command: string): void {
  for (const network of model.plan.networks.slice(1)) {
    const companion = path.join(path.dirname(arg), `weights.${network.name}.safetensors`);
    if (!fs.existsSync(path.resolve(io.cwd, companion))) {
      throw new CliError(
        `the section also uses \`${network.name}\`, whose weights \`netc train\` writes next to ` +
          `the others as \`weights.${network.name}.safetensors\`; there is no \`${companion}\``,
      );
    }
    const bytes = readFileArgument(companion, io, command);
    explained(companion, network.name, () => loadNamedWeights(network, model.state, bytes, true));
  }
}

function explained(arg: string, network: string, load: () => void): void {
  try {
    load();
  } catch (error) {
    if (error instanceof WeightsFormatError) throw new CliError(`\`${arg}\`: ${error.message}`);
    if (error instanceof RuntimeError) {
      throw new CliError(
        `\`${arg}\` does not hold the weights of \`${network}\`: ${error.message}`,
      );
    }
    throw error;
  }
}
