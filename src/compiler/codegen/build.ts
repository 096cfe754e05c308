import * as path from 'node:path';
import type { ModelPlan } from '../../runtime/plan.js';
import type { AnalysisResult } from '../compile.js';
import { modelPlan } from '../lower/plan.js';
import type { PassOptions } from '../passes/index.js';
import type { TrainConfig } from '../train/trainConfig.js';
import { printPlan } from './irListing.js';
import { className, generateModule } from './module.js';
import { portablePlan } from './portablePlan.js';
import { wgslListing } from './wgslListing.js';

/*
 * What `netc build` produces for one network of a file: the model it compiles to, and the
 * generated module, WGSL listing and final IR of that model.
 */

/**
 * The train section the model of `network` trains with: the section that trains it or,
 * failing that, the first section with phases that updates it (a GAN trains both its
 * networks). Undefined when no section trains it.
 */
export function sectionOf(analysis: AnalysisResult, network: string): TrainConfig | undefined {
  return (
    analysis.trains.find((t) => t.network === network) ??
    analysis.trains.find(
      (t) => t.network === undefined && t.phases.some((p) => p.update.includes(network)),
    )
  );
}

/** The model plan of `network` with its section's training, through the passes. */
export function buildPlan(
  analysis: AnalysisResult,
  network: string,
  passes: PassOptions = {},
): ModelPlan {
  return modelPlan(analysis.allNetworks, network, sectionOf(analysis, network), passes);
}

export interface BuiltNetwork {
  readonly network: string;
  /** The class the module exports (the network's name unless that would clash). */
  readonly className: string;
  readonly plan: ModelPlan;
  /** `<network>.ts`: the module. */
  readonly module: string;
  /** `<network>.wgsl`: the WGSL of the training step (or inference). */
  readonly wgsl: string;
  /** The final IR of every program of the model (golden files). */
  readonly ir: string;
}

export interface BuildNetworkOptions {
  /** Run the optimization passes (default true). */
  readonly fuse?: boolean;
}

/** Builds `network` of the analyzed `netFile`; its outputs name the file by its base name. */
export function buildNetwork(
  analysis: AnalysisResult,
  network: string,
  netFile: string,
  options: BuildNetworkOptions = {},
): BuiltNetwork {
  const plan = buildPlan(analysis, network, { fuse: options.fuse ?? true });
  const portable = portablePlan(plan, netFile);
  const displayName = path.basename(netFile);
  return {
    network,
    className: className(network),
    plan,
    module: generateModule({
      plan: portable,
      network: analysis.allNetworks.get(network)!,
      netFile: displayName,
    }),
    wgsl: wgslListing(plan, displayName),
    ir: printPlan(plan),
  };
}
