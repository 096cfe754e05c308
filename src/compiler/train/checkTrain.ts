import { suggestionHelp } from '../diagnostics/didYouMean.js';
import type { IRNetwork } from '../ir/ir.js';
import type { TrainDecl, TrainSetting } from '../syntax/ast.js';
import { checkDataFitsNetwork } from './checkDataFitsNetwork.js';
import { collectSettings, sectionSettings } from './collectSettings.js';
import type { TrainContext } from './context.js';
import { checkData } from './dataSources.js';
import { buildLossScope } from './lossScope.js';
import { checkNoise } from './noise.js';
import { checkNothingToTrain } from './nothingToTrain.js';
import { checkOptimization, checkPhases, singlePhase, type Optimization } from './phases.js';
import {
  checkFreezeSetting,
  checkPreprocessing,
  checkScalars,
  checkSingleNetworkSettings,
} from './sectionSettings.js';
import type { DataConfig, TrainConfig } from './trainConfig.js';

export type { TrainContext } from './context.js';

/**
 * Checks a `train` section (LANGUAGE §6) against the compiled networks and returns its typed
 * form, or undefined when the section has errors (all of them reported to `ctx.diagnostics`).
 */
export function checkTrain(decl: TrainDecl, ctx: TrainContext): TrainConfig | undefined {
  const errorsBefore = errorCount(ctx);
  const top = collectSettings(decl.entries, sectionSettings, 'section', ctx.diagnostics);
  const phased = top.phases.length > 0;
  const network = phased ? undefined : trainedNetwork(decl, ctx);
  const data = requireData(decl, top.settings.get('data'), top.misspelled.has('data'), ctx);
  const noise = checkNoise(top.noise, namesTaken(network, data), ctx);
  const scope = buildLossScope(
    {
      network,
      networkBroken: !phased && !network,
      data,
      noise: noise.noise,
      brokenNoise: noise.broken,
      phased,
    },
    ctx,
  );
  const section = checkOptimization(top.settings, top.misspelled, scope, ctx);
  if (network && data && feedsFromData(network.name, section))
    checkDataFitsNetwork(data, network, ctx.diagnostics);
  const phases = phased
    ? checkPhases(top.phases, section, scope, ctx)
    : singlePhase(network?.name, section, decl.target.span, ctx);
  const scalars = checkScalars(top.settings, ctx);
  const preprocessing = checkPreprocessing(top.settings, data, ctx);
  const single = checkSingleNetworkSettings(
    top.settings,
    { network, phased, scope, loss: section.loss },
    ctx,
  );
  const freeze = checkFreezeSetting(
    top.settings,
    network ? [network.name] : (phases?.networks ?? []),
    ctx,
  );
  if (phases && freeze) checkNothingToTrain(phases.phases, freeze, ctx);

  if (errorCount(ctx) > errorsBefore) return undefined;
  if (!data || !phases || !scalars || !preprocessing || !single || !freeze) return undefined;
  return {
    name: decl.target.name,
    network: network?.name,
    networks: phases.networks,
    data,
    ...preprocessing,
    noise: noise.noise,
    phases: phases.phases,
    ...scalars,
    ...single,
    freeze,
    span: decl.span,
  };
}

/** The network a section without phases trains (NETC4001 when there is none). */
function trainedNetwork(decl: TrainDecl, ctx: TrainContext): IRNetwork | undefined {
  const name = decl.target.name;
  const network = ctx.networks.get(name);
  if (network || ctx.brokenNetworks.has(name)) return network;
  ctx.diagnostics.error('NETC4001', decl.target.span, `unknown network \`${name}\``, {
    help:
      suggestionHelp(name, [...ctx.networks.keys(), ...ctx.brokenNetworks]) ??
      'name a network defined or imported in this file; a section that trains several networks uses `phase`s',
  });
  return undefined;
}

function requireData(
  decl: TrainDecl,
  setting: TrainSetting | undefined,
  misspelled: boolean,
  ctx: TrainContext,
): DataConfig | undefined {
  if (setting) return checkData(setting.value, ctx);
  if (misspelled) return undefined;
  ctx.diagnostics.error('NETC4004', decl.target.span, 'the train section has no `data`', {
    help: 'add `data = mnist(train=8000, test=2000)` or another source',
  });
  return undefined;
}

/** Names a noise declaration must not take, with what they already are. */
function namesTaken(
  network: IRNetwork | undefined,
  data: DataConfig | undefined,
): Map<string, string> {
  const taken = new Map<string, string>();
  for (const field of data?.fields ?? []) taken.set(field.name, `the data field \`${field.name}\``);
  for (const output of network?.outputs ?? [])
    taken.set(output.name, `an output of \`${network!.name}\``);
  return taken;
}

/**
 * Whether the data is fed to the trained network's inputs: unless the loss only applies it
 * explicitly (`contrastive(Encoder(x1), Encoder(x2), same)`), which checks its own inputs.
 */
function feedsFromData(network: string, section: Optimization): boolean {
  const { implicit, networks } = section.lossUses;
  return implicit.length > 0 || !networks.includes(network);
}

function errorCount(ctx: TrainContext): number {
  return ctx.diagnostics.items.filter((d) => d.severity === 'error').length;
}
