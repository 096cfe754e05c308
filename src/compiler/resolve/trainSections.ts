import * as path from 'node:path';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { IRNetwork, ValueId } from '../ir/ir.js';
import { checkTrain } from '../train/checkTrain.js';
import type { TrainConfig } from '../train/trainConfig.js';
import { evalConst, type ConstScope } from './evalConst.js';
import type { Module } from './modules.js';

export interface TrainSectionInputs {
  readonly networks: ReadonlyMap<string, IRNetwork>;
  readonly namedValues: ReadonlyMap<string, ReadonlyMap<string, ValueId>>;
  /** Networks that had errors: their names exist but there is nothing to check against. */
  readonly broken: ReadonlySet<string>;
  readonly diagnostics: DiagnosticBag;
  readonly moduleConsts: ConstScope;
}

/** Checks every `train` section of the entry file against its compiled networks. */
export function checkTrainSections(entry: Module, inputs: TrainSectionInputs): TrainConfig[] {
  const configs: TrainConfig[] = [];
  for (const definition of entry.program.definitions) {
    // A section with syntax errors is not checked: only those errors are reported.
    if (definition.kind !== 'Train' || definition.recovered) continue;
    const config = checkTrain(definition, {
      networks: inputs.networks,
      brokenNetworks: inputs.broken,
      evalConst: (expr) => evalConst(expr, inputs.moduleConsts, inputs.diagnostics),
      diagnostics: inputs.diagnostics,
      baseDir: path.dirname(entry.path),
      namedValues: (network) => inputs.namedValues.get(network) ?? new Map(),
    });
    if (config) configs.push(config);
  }
  return configs;
}
