import * as fs from 'node:fs';
import type { TrainConfig } from '../compiler/train/trainConfig.js';
import { loadMatchingWeights, type Model } from '../runtime/model.js';
import { WeightsFormatError } from '../runtime/weights/safetensors.js';
import type { CliIO } from './io.js';
import { CliError, describeFsError } from './userError.js';

/*
 * `weights = "lenet5.safetensors"` in a train section: the file's tensors that match the
 * trained network's parameters by name and shape are loaded before training, and the log
 * says which were loaded and which skipped. A frozen layer must be loaded whole: frozen
 * parameters never change, so one left out would stay random for the whole run.
 */

export function loadTransferWeights(model: Model, train: TrainConfig, io: CliIO): void {
  const weights = train.weights;
  if (!weights) return;
  const file = `\`${weights.written}\``;
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(weights.resolved);
  } catch (error) {
    throw new CliError(
      `cannot read the weights ${file} (${weights.resolved}): ${describeFsError(error)}`,
    );
  }
  const network = model.plan.network;
  let match;
  try {
    match = loadMatchingWeights(network, model.state, bytes);
  } catch (error) {
    if (error instanceof WeightsFormatError) throw new CliError(`${file}: ${error.message}`);
    throw error;
  }

  io.stderr(
    `weights: loaded ${match.loaded.length} of ${network.params.length} parameters of \`${network.name}\` from ${file}\n`,
  );
  for (const { param, from } of match.loaded) {
    io.stderr(`  loaded \`${param}\`${from === param ? '' : ` from \`${from}\``}\n`);
  }
  for (const { name, reason } of match.skipped) io.stderr(`  skipped \`${name}\`: ${reason}\n`);

  const loaded = new Set(match.loaded.map((l) => l.param));
  for (const frozen of train.freeze) {
    if (frozen.network !== network.name) continue;
    const missing = frozen.params.filter((p) => !loaded.has(p));
    if (missing.length === 0) continue;
    const names = missing
      .slice(0, 4)
      .map((p) => `\`${p}\``)
      .join(', ');
    const more = missing.length > 4 ? ` and ${missing.length - 4} more` : '';
    throw new CliError(
      `\`${frozen.layer}\` is frozen, but ${file} has nothing to load into ${names}${more}: ` +
        `frozen parameters would keep their random initial values`,
    );
  }
}
