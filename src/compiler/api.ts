import type { Backend } from '../runtime/backend.js';
import { instantiateModel, type InstantiateOptions, type Model } from '../runtime/model.js';
import type { ModelPlan } from '../runtime/plan.js';
import { analyzeFile, type AnalysisResult, type CompileOptions } from './compile.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';
import type { IRNetwork } from './ir/ir.js';
import { modelPlan } from './lower/plan.js';
import type { PassOptions } from './passes/index.js';
import type { TrainConfig } from './train/trainConfig.js';

/*
 * The library API: `compileFile(path)` gives every network of a file as a compiled network
 * that can be instantiated on a backend, trained and run.
 */

export interface CompiledNetwork {
  readonly name: string;
  /** The typed, shape-checked IR. */
  readonly ir: IRNetwork;
  /** The train section that trains this network, if the file has one. */
  readonly train: TrainConfig | undefined;
  /** The run-time plan (programs, state), fused unless `fuse: false`; built on first use. */
  plan(options?: PlanOptions): ModelPlan;
  instantiate(backend: Backend, options?: InstantiateOptions & PlanOptions): Promise<Model>;
}

export interface PlanOptions {
  /** Run the fusion and memory passes (default true); false gives the reference programs. */
  readonly fuse?: boolean;
}

export interface CompiledFile {
  /** Networks of the file that compiled without errors, by name. */
  readonly networks: Readonly<Record<string, CompiledNetwork>>;
  readonly trains: readonly TrainConfig[];
  readonly diagnostics: readonly Diagnostic[];
  /** The front end's result: IR of every network, sources for rendering diagnostics. */
  readonly analysis: AnalysisResult;
}

export function compileFile(path: string, options: CompileOptions = {}): CompiledFile {
  const analysis = analyzeFile(path, options);
  const networks: Record<string, CompiledNetwork> = {};
  for (const [name, ir] of analysis.networks) {
    const train = analysis.trains.find((t) => t.network === name);
    networks[name] = compiledNetwork(analysis, ir, train);
  }
  return { networks, trains: analysis.trains, diagnostics: analysis.diagnostics, analysis };
}

/** A model for a train section: its first network, plus all the others it trains (GAN). */
export function trainPlan(
  analysis: AnalysisResult,
  train: TrainConfig,
  passes: PassOptions = {},
): ModelPlan {
  return modelPlan(analysis.allNetworks, train.networks[0]!, train, passes);
}

function compiledNetwork(
  analysis: AnalysisResult,
  ir: IRNetwork,
  train: TrainConfig | undefined,
): CompiledNetwork {
  const plans = new Map<boolean, ModelPlan>();
  const getPlan = (options: PlanOptions = {}) => {
    const fuse = options.fuse ?? true;
    let plan = plans.get(fuse);
    if (!plan) plans.set(fuse, (plan = modelPlan(analysis.allNetworks, ir.name, train, { fuse })));
    return plan;
  };
  return {
    name: ir.name,
    ir,
    train,
    plan: getPlan,
    instantiate: (backend, options) =>
      Promise.resolve(instantiateModel(getPlan(options), backend, options)),
  };
}
