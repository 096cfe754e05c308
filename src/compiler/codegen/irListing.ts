import type { ModelPlan } from '../../runtime/plan.js';
import type { Program } from '../../runtime/program.js';
import { printProgram } from '../passes/printProgram.js';

/*
 * Every program of a model plan as text (`printProgram`), under the labels the pass
 * pipeline gives them (`MLP inference`, `train step, phase train`, ...): the final IR
 * `netc build` snapshots, and the unoptimized programs `--dump-ir=after:lower` prints.
 */

export interface LabeledProgram {
  readonly label: string;
  readonly program: Program;
}

/** The programs of a plan in the order `optimizePlan` visits them, with its labels. */
export function planPrograms(plan: ModelPlan): LabeledProgram[] {
  const programs: LabeledProgram[] = [];
  for (const n of plan.networks) {
    programs.push({ label: `${n.name} inference`, program: n.inference });
    programs.push({ label: `${n.name} training forward`, program: n.trainingForward });
  }
  for (const phase of plan.train?.phases ?? []) {
    programs.push({ label: `train step, phase ${phase.name}`, program: phase.program });
  }
  if (plan.train) programs.push({ label: 'evaluation', program: plan.train.evaluation });
  return programs;
}

/** Every program of `plan`, titled `<model>: <label>`, separated by blank lines. */
export function printPlan(plan: ModelPlan): string {
  return planPrograms(plan)
    .map(({ label, program }) => printProgram(program, `${plan.network.name}: ${label}`))
    .join('\n');
}
