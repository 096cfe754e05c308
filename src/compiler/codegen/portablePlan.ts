import * as path from 'node:path';
import type { ModelPlan } from '../../runtime/plan.js';
import type { Instr, Program } from '../../runtime/program.js';

/*
 * A model plan as a generated module embeds it: the same data, minus what ties it to the
 * machine that compiled it. Source spans and file paths (`weights = "..."`, csv files) are
 * made relative to the directory of the `.net` file, with `/` separators, and the source
 * origins of instructions (used only to attribute GPU errors to a line of a source the
 * module does not carry) are dropped. The generated module of a file is then the same on
 * every machine and in every checkout.
 */
export function portablePlan(plan: ModelPlan, netFile: string): ModelPlan {
  const base = path.dirname(path.resolve(netFile));
  const relative = (file: string) =>
    path.isAbsolute(file) ? path.relative(base, file).split(path.sep).join('/') : file;
  const programs = new Map<Program, Program>();
  const program = (p: Program): Program => {
    let portable = programs.get(p);
    if (!portable) programs.set(p, (portable = { ...p, instrs: p.instrs.map(withoutOrigin) }));
    return portable;
  };
  const networks = plan.networks.map((n) => ({
    ...n,
    inference: program(n.inference),
    trainingForward: program(n.trainingForward),
  }));
  const train = plan.train && {
    ...plan.train,
    config: relativePaths(plan.train.config, relative),
    phases: plan.train.phases.map((phase) => ({ ...phase, program: program(phase.program) })),
    evaluation: program(plan.train.evaluation),
  };
  return { ...plan, network: networks[0]!, networks, train };
}

/** The instruction without its origin, its fields in the order the program contract lists them. */
function withoutOrigin(instr: Instr): Instr {
  const { op, attrs, inputs, outputs, origin: _origin, ...rest } = instr;
  return { op, attrs, inputs, outputs, ...rest } as Instr;
}

/** A copy of plain data with every `file` (spans) and `resolved` (file paths) made relative. */
function relativePaths<T>(value: T, relative: (file: string) => string): T {
  if (Array.isArray(value)) return value.map((v: unknown) => relativePaths(v, relative)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    copy[key] =
      (key === 'file' || key === 'resolved') && typeof v === 'string'
        ? relative(v)
        : relativePaths(v, relative);
  }
  return copy as T;
}
