import type { Instr, TensorId } from '../../runtime/program.js';
import type { ProgramPass } from './pass.js';

/*
 * One optimizer instruction per parameter becomes one per optimizer configuration: the
 * updates of every parameter with the same rule and attributes join into a multi-parameter
 * instruction (groups of operands one after another), which the WebGPU kernel runs as one
 * dispatch, or a few where the device binds few buffers. The joined instruction sits where
 * the last of its members was; a member is left alone if anything between its place and
 * there touches its tensors.
 */
export const fuseOptimizer: ProgramPass = {
  name: 'fuse-optimizer',
  summary: 'updates all parameters with one optimizer instruction',
  run(program) {
    const isUpdate = (i: Instr) =>
      i.op === 'sgd_update' ||
      i.op === 'adam_update' ||
      i.op === 'adagrad_update' ||
      i.op === 'rmsprop_update';
    const groups = new Map<string, number[]>();
    program.instrs.forEach((instr, index) => {
      if (!isUpdate(instr)) return;
      const key = `${instr.op} ${JSON.stringify(instr.attrs)}`;
      groups.set(key, [...(groups.get(key) ?? []), index]);
    });
    const instrs: (Instr | undefined)[] = [...program.instrs];
    for (const members of groups.values()) {
      if (members.length < 2) continue;
      const at = members[members.length - 1]!;
      const joinable = members.filter((m) => m === at || untouchedBetween(program.instrs, m, at));
      if (joinable.length < 2) continue;
      const parts = joinable.map((m) => program.instrs[m]!);
      instrs[at] = {
        ...parts[0]!,
        inputs: parts.flatMap((p) => p.inputs),
        outputs: parts.flatMap((p) => p.outputs),
      } as Instr;
      for (const m of joinable) if (m !== at) instrs[m] = undefined;
    }
    return { ...program, instrs: instrs.filter((x) => x !== undefined) };
  },
};

/** Whether no instruction after `from` and before `to` reads or writes `from`'s tensors. */
function untouchedBetween(instrs: readonly Instr[], from: number, to: number): boolean {
  const own = new Set<TensorId>([...instrs[from]!.inputs, ...instrs[from]!.outputs]);
  for (let k = from + 1; k < to; k++) {
    const other = instrs[k]!;
    if ([...other.inputs, ...other.outputs].some((id) => own.has(id))) return false;
  }
  return true;
}
