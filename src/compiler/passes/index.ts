import type { ModelPlan, NetworkPlan } from '../../runtime/plan.js';
import type { Program } from '../../runtime/program.js';
import { deadCode } from './deadCode.js';
import { fuseElementwise } from './fuseElementwise.js';
import { fuseEpilogues } from './fuseEpilogues.js';
import { fuseGradients } from './fuseGradients.js';
import { fuseLosses } from './fuseLosses.js';
import { fuseOptimizer } from './fuseOptimizer.js';
import { fuseRegularization } from './fuseRegularization.js';
import { fuseResiduals } from './fuseResiduals.js';
import { memory } from './memory.js';
import type { ProgramPass } from './pass.js';
import { views } from './views.js';

/*
 * The optimization pipeline every program of a model goes through after lowering, in this
 * order. `fuse: false` skips it (the unfused program is the reference the fused one is
 * tested against).
 */
export const programPasses: readonly ProgramPass[] = [
  deadCode,
  views,
  fuseLosses,
  fuseResiduals,
  fuseEpilogues,
  fuseGradients,
  fuseElementwise,
  fuseRegularization,
  fuseOptimizer,
  memory,
];

export interface PassOptions {
  /** Run the pipeline (default true). */
  readonly fuse?: boolean;
  /** Called with every pass's output, e.g. to dump one (`--dump-ir=after:NAME`). */
  readonly after?: (pass: ProgramPass, program: Program, label: string) => void;
}

export function optimizeProgram(
  program: Program,
  label: string,
  options: PassOptions = {},
): Program {
  if (options.fuse === false) return program;
  let current = program;
  for (const pass of programPasses) {
    current = pass.run(current);
    options.after?.(pass, current, label);
  }
  return current;
}

/** Every program of a model plan through the pipeline; the hash stays the unfused one's. */
export function optimizePlan(plan: ModelPlan, options: PassOptions = {}): ModelPlan {
  if (options.fuse === false) return plan;
  const network = (n: NetworkPlan): NetworkPlan => ({
    ...n,
    inference: optimizeProgram(n.inference, `${n.name} inference`, options),
    trainingForward: optimizeProgram(n.trainingForward, `${n.name} training forward`, options),
  });
  const networks = plan.networks.map(network);
  return {
    ...plan,
    network: networks[0]!,
    networks,
    train: plan.train && {
      ...plan.train,
      phases: plan.train.phases.map((phase) => ({
        ...phase,
        program: optimizeProgram(phase.program, `train step, phase ${phase.name}`, options),
      })),
      evaluation: optimizeProgram(plan.train.evaluation, 'evaluation', options),
    },
  };
}

/** The pass named `name`, for `--dump-ir=after:NAME`. */
export function passNamed(name: string): ProgramPass | undefined {
  return programPasses.find((p) => p.name === name);
}
