import * as path from 'node:path';
import type { IRNetwork } from '../ir/ir.js';
import type { TrainSetting } from '../syntax/ast.js';
import { countRange, readScalar, type ParamSpec } from './args.js';
import type { SectionSetting } from './collectSettings.js';
import type { TrainContext } from './context.js';
import { checkFreeze } from './freeze.js';
import type { LossScope } from './lossScope.js';
import { checkMetrics } from './metrics.js';
import { checkAugment, checkNormalize } from './preprocessing.js';
import type { DataConfig, LossConfig, TrainConfig } from './trainConfig.js';

/*
 * The section settings that do not shape the loss: sizes, seed, preprocessing, evaluation,
 * weights and freezing. Each returns its value (the default when not set), or undefined
 * after reporting.
 */

type Settings = ReadonlyMap<SectionSetting, TrainSetting>;

/** The scalar settings with their types, ranges and defaults (Keras' `fit` defaults). */
export const scalarSettings = {
  batch: {
    name: 'batch',
    type: 'int',
    range: countRange,
    default: 32,
    doc: 'samples per optimizer step',
  },
  epochs: {
    name: 'epochs',
    type: 'int',
    range: countRange,
    default: 1,
    doc: 'passes over the training set',
  },
  validation: {
    name: 'validation',
    type: 'float',
    range: { min: 0, max: 1, maxOpen: true },
    default: 0,
    doc: 'fraction of the training set held out for validation',
  },
  seed: {
    name: 'seed',
    type: 'int',
    range: { min: 0 },
    optional: true,
    doc: 'makes a run reproducible',
  },
} as const satisfies Record<string, ParamSpec>;

export type Scalars = Pick<TrainConfig, 'batch' | 'epochs' | 'validation' | 'seed'>;

export function checkScalars(settings: Settings, ctx: TrainContext): Scalars | undefined {
  let ok = true;
  const read = (key: keyof typeof scalarSettings) => {
    const spec: ParamSpec = scalarSettings[key];
    const setting = settings.get(key);
    if (!setting) return spec.default as number | undefined;
    const value = readScalar(setting.value, spec, ctx);
    if (value === undefined) ok = false;
    return value as number | undefined;
  };
  const scalars = {
    batch: read('batch')!,
    epochs: read('epochs')!,
    validation: read('validation')!,
    seed: read('seed'),
  };
  return ok ? scalars : undefined;
}

export type Preprocessing = Pick<TrainConfig, 'normalize' | 'augment'>;

export function checkPreprocessing(
  settings: Settings,
  data: DataConfig | undefined,
  ctx: TrainContext,
): Preprocessing | undefined {
  const normalizeSetting = settings.get('normalize');
  const augmentSetting = settings.get('augment');
  const normalize = normalizeSetting ? checkNormalize(normalizeSetting.value, ctx) : 'none';
  const augment = augmentSetting ? checkAugment(augmentSetting.value, data, ctx) : [];
  return normalize && augment && { normalize, augment };
}

export interface SingleNetworkParts {
  /** The trained network; undefined for sections with phases (or when it is unknown). */
  readonly network: IRNetwork | undefined;
  readonly phased: boolean;
  readonly scope: LossScope;
  readonly loss: LossConfig | undefined;
}

export type SingleNetworkSettings = Pick<TrainConfig, 'metrics' | 'weights'>;

/** `metrics` and `weights`, which belong to the one network a section without phases trains. */
export function checkSingleNetworkSettings(
  settings: Settings,
  parts: SingleNetworkParts,
  ctx: TrainContext,
): SingleNetworkSettings | undefined {
  const get = (key: 'metrics' | 'weights') => {
    const setting = settings.get(key);
    if (setting && parts.phased) {
      ctx.diagnostics.error(
        'NETC4034',
        setting.key.span,
        `\`${key}\` needs a single trained network, and this section has phases`,
        {
          help: `train one network per section to use \`${key}\``,
        },
      );
      return undefined;
    }
    return setting;
  };
  const metricsSetting = get('metrics');
  const weightsSetting = get('weights');
  const { network, scope, loss } = parts;
  const metrics =
    metricsSetting && network
      ? checkMetrics(metricsSetting.value, { network, scope, loss }, ctx)
      : [];
  const weights =
    weightsSetting && readScalar(weightsSetting.value, { name: 'weights', type: 'string' }, ctx);
  if (!metrics || (weightsSetting && typeof weights !== 'string')) return undefined;
  return {
    metrics,
    weights:
      typeof weights === 'string'
        ? { written: weights, resolved: path.resolve(ctx.baseDir, weights) }
        : undefined,
  };
}

/** `freeze`, looked up in the networks the section trains. */
export function checkFreezeSetting(
  settings: Settings,
  networks: readonly string[],
  ctx: TrainContext,
): TrainConfig['freeze'] | undefined {
  const setting = settings.get('freeze');
  const found = networks
    .map((name) => ctx.networks.get(name))
    .filter((n): n is IRNetwork => n !== undefined);
  if (!setting) return [];
  return found.length ? checkFreeze(setting.value, found, ctx) : undefined;
}
